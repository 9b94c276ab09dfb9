package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Data outside the reference's range and sentinel-like repeated values, per feature. */
class InputChecksTest {

    private static SampleTable table(String name, double[][] x) {
        return new SampleTable(Path.of(name), Samples.of(x, 1.0), List.of("x", "y"), false, 0);
    }

    private static double[][] exp2(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {-Math.log(1 - r.nextDouble()), r.nextInt(5)};
        }
        return x;
    }

    @Test
    void sentinelsAndFarEventsAreCountedPerFeature() {
        double[][] ref = exp2(5000, 1);
        double[][] data = exp2(2101, 2);
        for (int i = 0; i < 100; i++) {
            data[i][0] = -999;
        }
        data[100][0] = 1e200;
        List<InputChecks.FeatureReport> rep = InputChecks.compare(table("r", ref), table("d", data));
        InputChecks.FeatureReport x = rep.get(0);
        double refMin = Double.MAX_VALUE;
        double refMax = -Double.MAX_VALUE;
        for (double[] e : ref) {
            refMin = Math.min(refMin, e[0]);
            refMax = Math.max(refMax, e[0]);
        }
        int trueBelow = 0;
        int trueAbove = 0;
        for (double[] e : data) {
            trueBelow += e[0] < refMin ? 1 : 0;
            trueAbove += e[0] > refMax ? 1 : 0;
        }
        assertTrue(trueBelow >= 100 && trueAbove >= 1);
        assertEquals(trueBelow, x.below());
        assertEquals(trueAbove, x.above());
        assertEquals(-999, x.dataMin());
        assertEquals(1e200, x.dataMax());
        assertEquals(1, x.repeats().size(), x.repeats().toString());
        assertEquals(new InputChecks.Repeat(-999, 100, 0), x.repeats().getFirst());
        // a discrete feature whose values the reference holds as often is not flagged
        InputChecks.FeatureReport y = rep.get(1);
        assertFalse(y.flagged(), y.toString());
        List<String> lines = InputChecks.describe(rep, data.length);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.getFirst().contains("feature x") && lines.getFirst().contains("value -999.000 repeated 100 times"),
                lines.getFirst());
    }

    @Test
    void dataInsideTheReferenceIsNotFlagged() {
        double[][] ref = exp2(3000, 3);
        double[][] data = new double[50][];
        for (int i = 0; i < data.length; i++) {
            data[i] = ref[i * 7].clone();
        }
        List<InputChecks.FeatureReport> rep = InputChecks.compare(table("r", ref), table("d", data));
        assertTrue(rep.stream().noneMatch(InputChecks.FeatureReport::flagged), rep.toString());
        assertTrue(InputChecks.describe(rep, data.length).isEmpty());
    }
}
