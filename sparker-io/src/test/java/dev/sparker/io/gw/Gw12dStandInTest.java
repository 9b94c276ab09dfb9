package dev.sparker.io.gw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.io.NpyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gw12dStandInTest {
    @TempDir
    Path dir;

    private static double mean(double[] x, int n, int j, double[] mask, boolean signal) {
        double s = 0;
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (mask == null || (mask[i] == 1) == signal) {
                s += x[i * 12 + j];
                c++;
            }
        }
        return s / c;
    }

    /** Pearson correlation of the logarithms of features a and b. */
    private static double correlation(double[] x, int n, int a, int b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += Math.log(x[i * 12 + a]) / n;
            mb += Math.log(x[i * 12 + b]) / n;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = Math.log(x[i * 12 + a]) - ma;
            double db = Math.log(x[i * 12 + b]) - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void writesTheFilesWithThePaperSizesAndIsSeeded() {
        Gw12dStandIn gen = new Gw12dStandIn(2402, 240, 20, 2.0, 0.004, 5);
        Gw12dStandIn.Generated g = gen.writeTo(dir);
        NpyReader.NpyArray ref = NpyReader.readArray(dir.resolve("reference.npy"));
        assertEquals(2402, ref.rows());
        assertEquals(12, ref.columns());
        assertArrayEquals(g.reference(), ref.values(), 0.0);
        assertEquals(240, NpyReader.readArray(dir.resolve("data_signal.npy")).rows());
        assertEquals(20, java.util.Arrays.stream(NpyReader.readVector(dir.resolve("data_signal_truth.npy"))).sum(), 0.0);
        assertTrue(Files.exists(dir.resolve("features.txt")));
        assertArrayEquals(g.data(), gen.generate().data(), 0.0, "same seed, same samples");
        assertEquals(24020, Gw12dStandIn.paperSized(1).referenceSize());
        assertEquals(2402, Gw12dStandIn.paperSized(1).dataSize());
    }

    @Test
    void lossesArePositiveSkewedAndPairsAreCorrelated() {
        Gw12dStandIn.Generated g = new Gw12dStandIn(20000, 10, 0, 0, 0.0, 7).generate();
        int n = 20000;
        for (int j = 0; j < 10; j++) {
            double m = mean(g.reference(), n, j, null, false);
            // median of a lognormal is below its mean: right skew
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = g.reference()[i * 12 + j];
                assertTrue(col[i] > 0, "losses are positive");
            }
            java.util.Arrays.sort(col);
            assertTrue(col[n / 2] < m, "feature " + j + " is right-skewed");
        }
        // same autoencoder on H1 and L1: correlation of the logs (0.35^2 + 0.5^2) / 0.9975 = 0.373; sd of the
        // estimate at n = 20000 is about 0.006, so 0.03 is 5 sd
        assertEquals(0.3734, correlation(g.reference(), n, 0, 5), 0.03);
        // two autoencoders on one detector: (0.35^2 + 0.45^2) / 0.9975 = 0.326
        assertEquals(0.3258, correlation(g.reference(), n, 0, 1), 0.03);
        for (int i = 0; i < n; i++) {
            assertTrue(g.reference()[i * 12 + 10] > 0 && g.reference()[i * 12 + 10] < 1);
            assertTrue(Math.abs(g.reference()[i * 12 + 11]) < 1);
        }
    }

    @Test
    void signalEventsSitInTheUpperTailsOfTheShiftedFeaturesOnly() {
        Gw12dStandIn.Generated g = new Gw12dStandIn(10, 4000, 400, 2.0, 0.0, 11).generate();
        for (int j : new int[] {0, 5, 2, 7, 10, 11}) {
            assertTrue(mean(g.dataWithSignal(), 4000, j, g.signalMask(), true)
                    > 1.2 * mean(g.dataWithSignal(), 4000, j, g.signalMask(), false) + 0.05, "feature " + j + " shifted up");
        }
        for (int j : new int[] {1, 3, 4, 6, 8, 9}) {
            double s = mean(g.dataWithSignal(), 4000, j, g.signalMask(), true);
            double b = mean(g.dataWithSignal(), 4000, j, g.signalMask(), false);
            assertEquals(b, s, 0.15 * b, "feature " + j + " not shifted");
        }
    }

    @Test
    void glitchesAreSingleFeatureOutliers() {
        int n = 20000;
        Gw12dStandIn.Generated clean = new Gw12dStandIn(n, 10, 0, 0, 0.0, 3).generate();
        Gw12dStandIn.Generated glitchy = new Gw12dStandIn(n, 10, 0, 0, 0.01, 3).generate();
        int changed = 0;
        for (int i = 0; i < n; i++) {
            int diff = 0;
            for (int j = 0; j < 12; j++) {
                double a = clean.reference()[i * 12 + j];
                double b = glitchy.reference()[i * 12 + j];
                if (a != b) {
                    diff++;
                    assertTrue(b / a > Math.exp(2.5) * 0.999999, "a glitch multiplies one loss by at least e^2.5");
                }
            }
            assertTrue(diff <= 1, "event " + i + ": a glitch touches one feature");
            changed += diff;
        }
        // Binomial(20000, 0.01): mean 200, sd 14
        assertTrue(changed > 200 - 90 && changed < 200 + 90, "glitches: " + changed);
    }
}
