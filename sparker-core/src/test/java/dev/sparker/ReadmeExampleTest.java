package dev.sparker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's "API in ten lines", compiled and run as written (with a small sample and schedule). */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() {
        int nRef = 4000;
        double expected = 400;
        double[] refX = TestData.reference(1, nRef, expected).flatCoordinates();
        double[] dataX = TestData.data(2, expected, 40, 1.6, 0.16).flatCoordinates();
        int nData = dataX.length;

        // ---- README example begins ----
        Samples reference = Samples.fromFlat(refX, nRef, 1, expected / nRef); // weight w = N0 / N_R
        Samples data = Samples.fromFlat(dataX, nData, 1, 1.0);
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, 10)    // paper settings for M = 10
                .toBuilder().epochs(20).seed(7).build();                      // every setting overridable
        TestResult result = SparKer.test(reference, data, config);
        double t = result.t();                                                // -2 L_NP at the end of training
        KernelModel model = result.model();                                   // learned a_i, mu_i, sigma
        double f = model.evaluate(new double[] {1.6});                        // log density ratio estimate
        String json = ResultJson.toJson(result);                              // full result, config, history
        // ---- README example ends ----

        assertTrue(Double.isFinite(t) && Double.isFinite(f));
        assertEquals(10, model.size());
        assertTrue(json.contains("\"t\""), "JSON holds the test statistic");
        assertTrue(f > 0, "the learned f is positive at the injected bump (1.6), got " + f);
    }

    /** Every line of the README's Java block appears verbatim in this test, so the two cannot drift apart. */
    @Test
    void readmeBlockIsTheCodeAbove() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        int start = text.indexOf("```java");
        assertTrue(start >= 0, "README.md has a ```java block");
        int end = text.indexOf("```", start + 7);
        String block = text.substring(start + 7, end);
        String self = Files.readString(Path.of("src/test/java/dev/sparker/ReadmeExampleTest.java"));
        int lines = 0;
        for (String line : block.strip().split("\n")) {
            assertTrue(self.contains(line.strip()), "README line not in the compiled example: " + line.strip());
            lines++;
        }
        assertTrue(lines >= 8, "the README example has its ten-or-so lines, found " + lines);
    }
}
