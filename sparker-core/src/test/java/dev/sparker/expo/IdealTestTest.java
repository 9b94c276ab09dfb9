package dev.sparker.expo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.calibration.Significance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.hipparchus.distribution.discrete.PoissonDistribution;
import org.junit.jupiter.api.Test;

class IdealTestTest {
    private static final double N0 = 2000;
    private static final double NS = 90;

    /**
     * A signal with the background's shape, n_S = (NS/N0) n_0: then t_id = 2 [N_D log(1 + r) - NS] depends
     * only on the count N_D, Poisson(N0) under the null and Poisson(N0 + NS) under the signal, so everything
     * about it has a closed form.
     */
    private static final IdealTest.Hypotheses PROPORTIONAL = new IdealTest.Hypotheses() {
        @Override
        public double[] sample(boolean withSignal, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            // t depends only on the count, so the positions are left at 0
            return new double[Expo1d.poisson(withSignal ? N0 + NS : N0, rng)];
        }

        @Override
        public double t(double[] events) {
            return 2 * (events.length * Math.log1p(NS / N0) - NS);
        }
    };

    @Test
    void proportionalSignalMatchesTheClosedForm() {
        IdealTest.Result r = IdealTest.run(PROPORTIONAL, 20000, 4001, 11);
        double c = Math.log1p(NS / N0);
        // null mean 2 [N0 c - NS], standard deviation 2 c sqrt(N0)
        double mean0 = 2 * (N0 * c - NS);
        assertEquals(mean0, r.meanNullT(), 4 * 2 * c * Math.sqrt(N0) / Math.sqrt(20000));
        // the median signal count of Poisson(2090) is 2090; p = P(Poisson(2000) >= 2090)
        double medianCount = Math.round((r.medianSignalT() / 2 + NS) / c);
        assertEquals(N0 + NS, medianCount, 2);
        double exactP = 1 - new PoissonDistribution(N0).cumulativeProbability((int) medianCount - 1);
        double exactZ = Significance.z(exactP);
        assertEquals(exactZ, r.zId(), 0.05, "importance-sampling Z_id vs closed form");
        assertEquals(exactZ, r.zEmpirical(), 0.1, "null-toy Z vs closed form");
        assertTrue(r.zIdLow() <= r.zId() && r.zId() <= r.zIdHigh());
    }

    @Test
    void expoIdealStatisticIsTheLogLikelihoodRatio() {
        // t_id = 2 [sum log(1 + nS/n0) - NS]: check one hand-computed event for the bulk signal
        double x = 1.6;
        double nS = 90 * Math.exp(0) / (0.16 * Math.sqrt(2 * Math.PI));
        double n0 = 2000 * Math.exp(-x);
        assertEquals(2 * (Math.log(1 + nS / n0) - 90), Expo1d.idealT(Expo1dSignal.BULK, new double[] {x}), 1e-12);
        // far in the tail the ratio is huge and must not overflow
        double t = Expo1d.idealT(Expo1dSignal.EXTREME_TAIL, new double[] {9.0, 9.0, 9.0});
        assertTrue(Double.isFinite(t) && t > 0, "t = " + t);
        assertEquals(-10, Expo1d.idealT(Expo1dSignal.EXTREME_TAIL, new double[] {0.1}), 1e-3);
    }

    @Test
    void dataToysHaveTheExpectedCounts() {
        double[] counts = new double[400];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Expo1d.dataEvents(Expo1dSignal.BULK, i).length;
        }
        double mean = Arrays.stream(counts).average().orElseThrow();
        // Poisson(2090): standard error of the mean sqrt(2090 / 400) = 2.3
        assertEquals(2090, mean, 4 * 2.3);
        assertEquals(Expo1dSignal.EXTREME_TAIL, Expo1dSignal.parse("extreme-tail"));
        assertEquals(2000.0 / 5000, Expo1d.reference(5000, 1).weight(0), 0);
    }
}
