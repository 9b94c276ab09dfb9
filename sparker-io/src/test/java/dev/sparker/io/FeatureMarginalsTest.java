package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMarginalsTest {
    private static TestInputs inputs() {
        SampleTable ref = new SampleTable(Path.of("r"), Samples.fromFlat(Fixtures.randomFlat(1, 2000, 2), 2000, 2, 1.0),
                List.of("a", "b"), false, 0);
        SampleTable data = new SampleTable(Path.of("d"), Samples.fromFlat(Fixtures.randomFlat(2, 200, 2), 200, 2, 1.0),
                List.of("a", "b"), false, 0);
        return TestInputs.prepare(ref, data);
    }

    @Test
    void countsKeepEveryEventAndAZeroModelPredictsTheReference() {
        TestInputs in = inputs();
        KernelModel zero = new KernelModel(2, 1.0, Amplitude.UNIT, new double[] {0}, new double[] {0, 0});
        List<FeatureMarginals.Marginal> m = FeatureMarginals.compute(in, zero, 25);
        assertEquals(2, m.size());
        for (FeatureMarginals.Marginal f : m) {
            assertEquals(200, Arrays.stream(f.data()).sum(), 1e-9);
            assertEquals(200, Arrays.stream(f.reference()).sum(), 1e-9, "reference weights sum to N0");
            assertArrayEquals(f.reference(), f.fitted(), 1e-12);
            assertEquals(26, f.edges().length);
        }
        assertEquals("b", m.get(1).feature());
    }

    @Test
    void aPositiveKernelRaisesThePredictionAroundItsLocationInOriginalUnits() {
        TestInputs in = inputs();
        KernelModel bump = new KernelModel(2, 0.3, Amplitude.UNIT, new double[] {1.0}, new double[] {1.0, 0});
        FeatureMarginals.Marginal a = FeatureMarginals.compute(in, bump, 20).getFirst();
        double loc = a.kernelLocations()[0];
        assertEquals(in.standardisation().toOriginal(new double[] {1.0, 0})[0], loc, 1e-12);
        int b = 0;
        while (a.edges()[b + 1] < loc) {
            b++;
        }
        assertTrue(a.fitted()[b] > 1.3 * a.reference()[b], "bin " + b + ": " + a.fitted()[b] + " vs " + a.reference()[b]);
        assertEquals(a.reference()[0], a.fitted()[0], 0.05 * a.reference()[0] + 1e-9, "far bins barely move");
    }
}
