package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StandardisationTest {
    private static final List<String> NAMES = List.of("a", "b", "c");

    private static Samples skewed(long seed, int n, double weight) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * 3];
        for (int i = 0; i < n; i++) {
            x[3 * i] = Math.exp(r.nextGaussian());
            x[3 * i + 1] = 1e4 + 250 * r.nextGaussian();
            x[3 * i + 2] = -3e-3 * (-Math.log(1 - r.nextDouble()));
        }
        return Samples.fromFlat(x, n, 3, weight);
    }

    private static double[] meanAndStd(Samples s, int j) {
        double m = 0;
        for (int i = 0; i < s.size(); i++) {
            m += s.coordinate(i, j);
        }
        m /= s.size();
        double v = 0;
        for (int i = 0; i < s.size(); i++) {
            v += (s.coordinate(i, j) - m) * (s.coordinate(i, j) - m);
        }
        return new double[] {m, Math.sqrt(v / s.size())};
    }

    @Test
    void referenceHasMeanZeroAndStdOneAfterwardsAndWeightsAreKept() {
        Samples ref = skewed(1, 5000, 0.1);
        Standardisation st = Standardisation.fit(ref, NAMES);
        Samples z = st.apply(ref);
        for (int j = 0; j < 3; j++) {
            double[] ms = meanAndStd(z, j);
            assertEquals(0, ms[0], 1e-10, "mean of feature " + j); // rounding: |mean| / std = 40 for feature 1
            assertEquals(1, ms[1], 1e-10, "std of feature " + j);
        }
        assertArrayEquals(ref.weights(), z.weights(), 0.0);
    }

    @Test
    void equalWeightsGiveThePlainPopulationMeanAndStd() {
        Samples ref = skewed(2, 1000, 3.0);
        Standardisation st = Standardisation.fit(ref, NAMES);
        for (int j = 0; j < 3; j++) {
            double[] ms = meanAndStd(ref, j);
            assertEquals(ms[0], st.means()[j], 1e-12 * Math.abs(ms[0]) + 1e-15);
            assertEquals(ms[1], st.stds()[j], 1e-10 * ms[1]);
        }
    }

    @Test
    void weightedFitEqualsFitOnRepeatedEvents() {
        // weight 2 on an event is the same as the event twice
        Samples w = Samples.fromFlat(new double[] {0, 1, 2, 3, 4, 5, 6, 9, 9}, 3, 3, new double[] {1, 2, 1});
        Samples rep = Samples.fromFlat(new double[] {0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 9, 9}, 4, 3, 1.0);
        Standardisation a = Standardisation.fit(w, NAMES);
        Standardisation b = Standardisation.fit(rep, NAMES);
        assertArrayEquals(b.means(), a.means(), 1e-14);
        assertArrayEquals(b.stds(), a.stds(), 1e-14);
    }

    @Test
    void inverseMappingRecoversOriginalPointsAndKernels() {
        Samples ref = skewed(3, 800, 1.0);
        Standardisation st = Standardisation.fit(ref, NAMES);
        Samples z = st.apply(ref);
        for (int i = 0; i < ref.size(); i += 37) {
            double[] back = st.toOriginal(z.event(i));
            double[] orig = ref.event(i);
            for (int j = 0; j < 3; j++) {
                assertEquals(orig[j], back[j], 1e-12 * Math.max(1, Math.abs(orig[j])));
            }
        }
        double[] mu = {0.5, -1, 2, 0, 0, 0};
        KernelModel model = new KernelModel(3, 0.7, Amplitude.UNIT, new double[] {1.2, -0.4}, mu);
        Standardisation.OriginalUnitKernels k = st.toOriginalUnits(model);
        for (int j = 0; j < 3; j++) {
            assertEquals(st.means()[j] + st.stds()[j] * mu[j], k.locations()[0][j], 1e-12 * Math.abs(k.locations()[0][j]) + 1e-15);
            assertEquals(st.means()[j], k.locations()[1][j], 0.0);
            assertEquals(0.7 * st.stds()[j], k.sigmaPerFeature()[j], 1e-15 * st.stds()[j]);
        }
        assertArrayEquals(model.coefficients(), k.coefficients(), 0.0);
        // f at a kernel's original-unit location equals f at its standardised location
        assertEquals(model.evaluate(model.location(0)), st.evaluateAtOriginal(model, k.locations()[0]), 1e-12);
    }

    @Test
    void jsonRoundTripAndIdentityWhenTurnedOff() {
        Standardisation st = Standardisation.fit(skewed(4, 300, 1.0), NAMES);
        String json = st.toJson();
        assertEquals(st, Standardisation.fromJson(json));
        Standardisation id = Standardisation.identity(NAMES);
        Samples s = skewed(5, 10, 1.0);
        assertSame(s, id.apply(s));
        assertEquals(id, Standardisation.fromJson(id.toJson()));
        assertArrayEquals(new double[] {1.5, 1.5, 1.5}, id.sigmaInOriginalUnits(1.5), 0.0);
    }
}
