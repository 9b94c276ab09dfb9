package dev.sparker.falkon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.loss.NeymanPearsonLoss;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Determinism, the NP-loss statistic, centre draw and the basic sensitivity of the Falkon-NPLM test. */
class FalkonBehaviourTest {

    /** An EXPO-like problem: Exp(1) reference of {@code nr} events with weight n0/nr, data Exp(1) plus a bump. */
    static Samples[] expo(long seed, int nr, int n0, int signal) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] ref = new double[nr];
        for (int i = 0; i < nr; i++) {
            ref[i] = -Math.log(1 - r.nextDouble());
        }
        double[] dat = new double[n0 + signal];
        for (int i = 0; i < n0; i++) {
            dat[i] = -Math.log(1 - r.nextDouble());
        }
        for (int i = n0; i < n0 + signal; i++) {
            dat[i] = 1.6 + 0.16 * r.nextGaussian();
        }
        return new Samples[] {Samples.fromFlat(ref, nr, 1, (double) n0 / nr), Samples.fromFlat(dat, dat.length, 1, 1.0)};
    }

    @Test
    void sameSeedGivesIdenticalBitsWhateverTheThreadCount() {
        Samples[] p = expo(3, 3000, 300, 30);
        FalkonConfig base = FalkonConfig.defaults(40, 1e-5).toBuilder().seed(11).newtonSteps(2).build();
        for (FalkonSolver solver : new FalkonSolver[] {FalkonSolver.DIRECT, FalkonSolver.CONJUGATE_GRADIENT}) {
            FalkonConfig c = base.toBuilder().solver(solver).build();
            FalkonResult one = FalkonNplm.test(p[0], p[1], c);
            FalkonResult again = FalkonNplm.test(p[0], p[1], c);
            FalkonResult three = FalkonNplm.test(p[0], p[1], c.toBuilder().threads(3).build());
            assertArrayEquals(one.alpha(), again.alpha(), solver + ": same seed, same bits");
            assertArrayEquals(one.alpha(), three.alpha(), solver + ": 1 and 3 threads, same bits");
            assertEquals(Double.doubleToLongBits(one.t()), Double.doubleToLongBits(three.t()), solver + " t");
        }
    }

    @Test
    void tIsMinusTwiceTheFoundationNpLossOfTheFittedModel() {
        Samples[] p = expo(5, 4000, 400, 40);
        for (int steps : new int[] {1, 3}) {
            FalkonResult r = FalkonNplm.test(p[0], p[1], FalkonConfig.defaults(25, 1e-4).toBuilder().newtonSteps(steps).build());
            double tFoundation = NeymanPearsonLoss.testStatistic(p[0], p[1], r.model());
            // two summation orders of the same double-precision sum over 4440 events
            assertEquals(tFoundation, r.t(), 1e-9 * Math.max(1, Math.abs(tFoundation)), "steps = " + steps);
        }
    }

    @Test
    void centresAreDistinctPooledEventsAndDependOnTheSeed() {
        Samples[] p = expo(7, 500, 100, 0);
        FalkonResult a = FalkonNplm.test(p[0], p[1], FalkonConfig.defaults(600, 1e-3).toBuilder().seed(1).build());
        Set<Integer> seen = new HashSet<>();
        for (int i : a.centreIndices()) {
            assertTrue(i >= 0 && i < 600, "index " + i);
            assertTrue(seen.add(i), "centre index " + i + " drawn twice");
        }
        assertEquals(600, seen.size(), "all 600 pooled events drawn exactly once");
        int[] c1 = FalkonNplm.drawCentres(600, 20, 1);
        int[] c2 = FalkonNplm.drawCentres(600, 20, 2);
        assertTrue(!java.util.Arrays.equals(c1, c2), "different seeds draw different centres");
        assertArrayEquals(c1, FalkonNplm.drawCentres(600, 20, 1), "same seed, same centres");
    }

    @Test
    void widthIsSparkersWidthForTheSameSeed() {
        Samples[] p = expo(9, 3000, 300, 0);
        FalkonResult r = FalkonNplm.test(p[0], p[1], FalkonConfig.defaults(10, 1e-4).toBuilder().seed(42).build());
        double sparker = Trainer.resolveSigma(p[0], TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder().seed(42).build());
        assertEquals(sparker, r.sigma(), 0.0, "same heuristic, same seed, same sigma");
        FalkonResult fixed = FalkonNplm.test(p[0], p[1], FalkonConfig.defaults(10, 1e-4).toBuilder()
                .width(WidthSpec.fixed(0.75)).build());
        assertEquals(0.75, fixed.sigma(), 0.0);
    }

    @Test
    void aStrongBumpRaisesTAboveEveryNullToy() {
        FalkonConfig c = FalkonConfig.defaults(30, 1e-5);
        double maxNull = Double.NEGATIVE_INFINITY;
        for (int toy = 0; toy < 5; toy++) {
            Samples[] p = expo(100 + toy, 5000, 500, 0);
            maxNull = Math.max(maxNull, FalkonNplm.test(p[0], p[1], c.toBuilder().seed(toy).build()).t());
        }
        Samples[] s = expo(200, 5000, 500, 120);
        double tSignal = FalkonNplm.test(s[0], s[1], c).t();
        // 120 events in a 0.16-wide bump over ~500*e^-1.6*0.8 ~ 80 background events: t of order 100
        assertTrue(tSignal > 3 * maxNull && tSignal > 30, "signal t = " + tSignal + ", largest null t = " + maxNull);
    }

    @Test
    void cachedFeaturesGiveTheSameFitAsTheStreamedDirectPath() {
        Samples[] p = expo(17, 4000, 400, 50);
        for (int steps : new int[] {1, 3}) {
            FalkonConfig c = FalkonConfig.defaults(120, 1e-6).toBuilder().newtonSteps(steps).threads(2).build();
            FalkonResult cached = FalkonNplm.test(p[0], p[1], c, true);
            FalkonResult streamed = FalkonNplm.test(p[0], p[1], c, false);
            // same Newton iterates; f summed as phi . gamma against sum alpha_j k_j: rounding only
            assertEquals(streamed.t(), cached.t(), 1e-9 * Math.abs(streamed.t()), "t, steps " + steps);
            assertEquals(streamed.objective(), cached.objective(), 1e-12 * Math.abs(streamed.objective()), "J");
            assertEquals(streamed.rank(), cached.rank());
            assertTrue(streamed.rank() < 120, "cutoff active: rank " + streamed.rank());
        }
    }

    @Test
    void subspaceSpectrumMatchesTheFullEigenDecomposition() {
        Samples[] p = expo(19, 2000, 200, 20);
        int m = 400;
        try (FalkonObjective o = new FalkonObjective(p[0], p[1], FalkonNplm.drawCentres(2220, m, 3), 2.3, 1e-6, 1)) {
            FalkonNplm.Basis full = FalkonNplm.fullBasis(o.kernelMatrix(), m, 1e-10);
            FalkonNplm.Basis sub = FalkonNplm.subspaceBasis(o.kernelMatrix(), m, 1e-10);
            assertTrue(sub != null, "the block subspace captured the spectrum");
            assertEquals(full.rank(), sub.rank(), "same retained rank");
            for (int k = 0; k < full.rank(); k++) {
                // eigenvalues down to 1e-10 mu_max carry absolute errors ~ eps mu_max
                assertEquals(full.mu()[k], sub.mu()[k], 1e-12 * full.mu()[0] + 1e-8 * full.mu()[k], "mu_" + k);
            }
            // both bases whiten K_MM: W K W^T = I up to the rounding of the smallest retained eigenvalue
            double[] p2 = o.projectedKmm(sub.w(), sub.rank());
            for (int a = 0; a < sub.rank(); a++) {
                for (int b = 0; b < sub.rank(); b++) {
                    assertEquals(a == b ? 1.0 : 0.0, p2[a * sub.rank() + b], 1e-4, "W K W^T [" + a + "][" + b + "]");
                }
            }
        }
    }

    @Test
    void moreNewtonStepsLowerTheObjective() {
        Samples[] p = expo(13, 3000, 300, 40);
        double previous = Double.POSITIVE_INFINITY;
        for (int steps = 1; steps <= 4; steps++) {
            FalkonResult r = FalkonNplm.test(p[0], p[1], FalkonConfig.defaults(30, 1e-4).toBuilder().newtonSteps(steps).build());
            // Newton on a convex objective near its minimum: the objective never rises beyond rounding
            assertTrue(r.objective() <= previous + 1e-12, "steps " + steps + ": " + r.objective() + " > " + previous);
            previous = r.objective();
        }
    }
}
