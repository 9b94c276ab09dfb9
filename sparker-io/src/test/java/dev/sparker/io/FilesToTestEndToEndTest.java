package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.SparKer;
import dev.sparker.model.Samples;
import dev.sparker.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files to p-value through the library: a CSV reference and .npy data files, read, standardised, tested,
 * calibrated with resampling toys. A data file with an injected signal must get a smaller empirical p-value
 * than one without. Seeded; measured: t_null = 10.09, p_null = 0.7; t_signal = 197.2, p_signal = 0.1 (the
 * smallest possible with 9 toys). About 3 s.
 */
class FilesToTestEndToEndTest {
    private static final int NR = 2000;
    private static final int ND = 200;
    private static final int TOYS = 9;

    @TempDir
    Path dir;

    private static double[] gaussian2d(SplittableRandom r, int n) {
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = 3 + 2 * r.nextGaussian();
        }
        return x;
    }

    @Test
    void injectedSignalGetsASmallerPValue() {
        SplittableRandom r = new SplittableRandom(2024);
        Samples ref = Samples.fromFlat(gaussian2d(r, NR), NR, 2, 1.0);
        Samples nullData = Samples.fromFlat(gaussian2d(r, ND), ND, 2, 1.0);
        double[] sig = gaussian2d(r, ND);
        for (int i = 0; i < 30; i++) {                      // 30 of 200 events replaced by a bump at (7, 7)
            sig[2 * i] = 7 + 0.5 * r.nextGaussian();
            sig[2 * i + 1] = 7 + 0.5 * r.nextGaussian();
        }
        Samples sigData = Samples.fromFlat(sig, ND, 2, 1.0);
        Path refFile = dir.resolve("reference.csv");
        CsvWriter.write(refFile, ref, List.of("u", "v"), null);
        Path nullFile = dir.resolve("data.npy");
        Path sigFile = dir.resolve("data_signal.npy");
        NpyWriter.write(nullFile, nullData);
        NpyWriter.write(sigFile, sigData);

        TrainingConfig config = TrainingConfig.builder().kernels(4).sigma(0.5).lambdaA(1e-5).lambdaH(1e-3)
                .epochs(25).coefficientSteps(10).locationSteps(10).learningRate(0.05).seed(3).build();
        double[] p = new double[2];
        double[] t = new double[2];
        Path[] files = {nullFile, sigFile};
        for (int f = 0; f < 2; f++) {
            TestInputs in = TestInputs.read(refFile, ReadOptions.defaults(), files[f], ReadOptions.defaults(), true, Double.NaN);
            assertEquals(List.of("u", "v"), in.featureNames());
            t[f] = SparKer.test(in.reference(), in.data(), config).t();
            int above = 0;
            for (int k = 0; k < TOYS; k++) {
                NullResampling.Toy toy = NullResampling.toy(in.reference().withWeight(1.0), ND, 77, k);
                if (SparKer.test(toy.reference(), toy.data(), config).t() >= t[f]) {
                    above++;
                }
            }
            p[f] = (above + 1.0) / (TOYS + 1.0);
        }
        String numbers = "t_null = " + t[0] + ", p_null = " + p[0] + "; t_signal = " + t[1] + ", p_signal = " + p[1];
        System.out.println("FilesToTestEndToEndTest: " + numbers);
        assertTrue(t[1] > t[0], numbers);
        assertEquals(1.0 / (TOYS + 1), p[1], 0.0, "signal beats every null toy: " + numbers);
        assertTrue(p[0] > p[1], numbers);
    }
}
