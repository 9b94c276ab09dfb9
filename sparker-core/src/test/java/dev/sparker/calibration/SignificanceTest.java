package dev.sparker.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SignificanceTest {

    /** Chi-square(k) draws as sums of k squared standard normals. */
    static double[] chiSquare(int k, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                double g = rng.nextGaussian();
                s += g * g;
            }
            t[i] = s;
        }
        return t;
    }

    @Test
    void maximumLikelihoodRecoversTheDegreesOfFreedom() {
        for (int k : new int[] {1, 4, 10}) {
            double[] t = chiSquare(k, 4000, 100 + k);
            Significance.ChiSquareFit fit = Significance.fitChiSquare(t);
            // within 4 standard errors (the error is the inverse Fisher information, ~1.5-4 % here)
            assertEquals(k, fit.dof(), 4 * fit.dofError(), "dof " + k + ": " + fit);
            assertTrue(fit.dofError() < 0.05 * k, "standard error " + fit.dofError());
            assertTrue(fit.ksP() > 1e-3, "fitted chi-square must be KS-compatible: " + fit);
            assertEquals(0, fit.dropped());
        }
    }

    @Test
    void kolmogorovSmirnovRejectsAWrongShape() {
        // a scaled chi-square(4): same mean as chi-square(8)/... no chi-square fits it well in shape
        double[] t = chiSquare(4, 4000, 3);
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i] * t[i];
        }
        assertTrue(Significance.fitChiSquare(t).ksP() < 1e-6);
    }

    @Test
    void normalFitRecoversMeanAndSpreadAndGivesTheGaussianTail() {
        SplittableRandom rng = new SplittableRandom(41);
        double[] t = new double[4000];
        for (int i = 0; i < t.length; i++) {
            t[i] = 0.3 + 0.15 * rng.nextGaussian();
        }
        Significance.NormalFit fit = Significance.fitNormal(t);
        // mean within 4 standard errors (0.15 / sqrt(4000) = 2.4e-3), sd within 4 of its ~1.7e-3
        assertEquals(0.3, fit.mean(), 4 * 0.15 / Math.sqrt(4000), fit.toString());
        assertEquals(0.15, fit.sd(), 4 * 0.15 / Math.sqrt(2 * 4000), fit.toString());
        assertTrue(fit.ksP() > 1e-3, "normal toys must be KS-compatible with their fit: " + fit);
        // Z counts fitted standard deviations; p is the upper Gaussian tail at that Z
        assertEquals(3.0, fit.z(fit.mean() + 3 * fit.sd()), 1e-12);
        assertEquals(1.3498980316300946e-3, fit.p(fit.mean() + 3 * fit.sd()), 1e-15);
        // chi-square(1) toys are far from normal in shape
        assertTrue(Significance.fitNormal(chiSquare(1, 4000, 5)).ksP() < 1e-6);
    }

    @Test
    void normalFitRejectsTooFewOrIdenticalToys() {
        assertEquals("a normal fit needs at least 3 null toys, got 2",
                assertThrows(IllegalArgumentException.class, () -> Significance.fitNormal(new double[] {1, 2})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Significance.fitNormal(new double[] {2, 2, 2}))
                .getMessage().contains("needs spread"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Significance.fitNormal(new double[] {1, Double.NaN, 2}))
                .getMessage().contains("NaN"));
    }

    @Test
    void empiricalPValueCountsTiesAndAddsOne() {
        double[] nullT = {1, 2, 3, 4};
        assertEquals(5.0 / 5, Significance.empiricalP(nullT, 0.5), 0);
        assertEquals(3.0 / 5, Significance.empiricalP(nullT, 3), 0);
        assertEquals(1.0 / 5, Significance.empiricalP(nullT, 9), 0);
    }

    @Test
    void empiricalPOnChiSquareToysMatchesTheExactTail() {
        double[] nullT = chiSquare(3, 20000, 9);
        // chi-square(3) upper 5 % point is 7.8147
        assertEquals(0.05, Significance.empiricalP(nullT, 7.8147), 0.005);
        assertEquals(0.05, Significance.chiSquareUpperTail(3, 7.8147), 1e-4);
        assertEquals(0.05, Significance.chiSquareUpperTail(1, 3.841459), 1e-6);
    }

    @Test
    void zIsTheNormalQuantileAndKeepsDigitsInTheTail() {
        assertEquals(0, Significance.z(0.5), 1e-12);
        assertEquals(1.959964, Significance.z(0.025), 1e-6);
        assertEquals(8.0, Significance.z(Significance.pOfZ(8.0)), 1e-6);
        assertEquals(1.2e-36, Significance.pOfZ(Significance.z(1.2e-36)), 1e-40);
        assertThrows(IllegalArgumentException.class, () -> Significance.z(0));
        assertThrows(IllegalArgumentException.class, () -> Significance.z(Double.NaN));
    }

    @Test
    void sensitivityOfAShiftedSampleMatchesTheClosedForm() {
        double[] nullT = chiSquare(2, 20000, 5);
        double[] signal = chiSquare(2, 1001, 6);
        for (int i = 0; i < signal.length; i++) {
            signal[i] += 10;
        }
        Significance.ChiSquareFit fit = Significance.fitChiSquare(nullT);
        Significance.Sensitivity s = Significance.sensitivity(nullT, signal, fit);
        // median of chi-square(2) is 2 ln 2; its tail at 2 ln 2 + 10 is exp(-(2 ln 2 + 10)/2) = e^-5 / 2
        double exactZ = Significance.z(Math.exp(-5) / 2);
        assertEquals(exactZ, s.zAsymptotic(), 0.1);
        assertEquals(exactZ, s.zEmpirical(), 0.15);
        assertTrue(s.zEmpiricalLow() <= s.zEmpirical() && s.zEmpirical() <= s.zEmpiricalHigh());
        assertTrue(s.zAsymptoticHigh() - s.zAsymptoticLow() < 0.2, "68 % interval of Z with 1001 toys");
    }

    @Test
    void combiningIdenticalWidthsByMinPChangesNothing() {
        double[] nullT = chiSquare(3, 500, 1);
        double[] sig = chiSquare(3, 101, 2);
        double[][] n2 = new double[nullT.length][];
        double[][] s2 = new double[sig.length][];
        for (int i = 0; i < nullT.length; i++) {
            n2[i] = new double[] {nullT[i], nullT[i]};
        }
        for (int i = 0; i < sig.length; i++) {
            sig[i] += 6;
            s2[i] = new double[] {sig[i], sig[i]};
        }
        Significance.Sensitivity single = Significance.sensitivity(nullT, sig, null);
        Significance.Sensitivity minP = WidthCombination.sensitivity(n2, s2, WidthCombination.Method.MIN_P);
        Significance.Sensitivity fisher = WidthCombination.sensitivity(n2, s2, WidthCombination.Method.FISHER);
        // the combined null uses leave-one-out p-values (N0 - 1 others), so Z may move by one rank
        assertEquals(single.zEmpirical(), minP.zEmpirical(), 0.05);
        assertEquals(single.zEmpirical(), fisher.zEmpirical(), 0.05);
    }

    @Test
    void chiSquareZIsTheUpperTailsZAndStaysFinite() {
        // Q(2/2, 6/2) = e^-3 for 2 dof (the exponential), Z = Phi^-1(1 - e^-3)
        assertEquals(Significance.z(Math.exp(-3)), Significance.chiSquareZ(2, 6), 1e-12);
        assertEquals(-8.2, Significance.chiSquareZ(3, 0), 0.1, "t <= 0: p held below 1");
        assertEquals(-8.2, Significance.chiSquareZ(3, -4), 0.1);
        double far = Significance.chiSquareZ(3, 1e6);
        assertTrue(Double.isFinite(far) && far > 37 && far < 38, "t beyond every double p: " + far);
        assertThrows(IllegalArgumentException.class, () -> Significance.chiSquareZ(0, 1));
    }

    @Test
    void pairedComparisonCountsToyByToyAndGivesTheExactSignTest() {
        // 10 toys: A higher on 8, B higher on 1, one tie; the sign test runs on the 9 that differ
        double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 0.5, 3};
        double[] b = {0, 1, 2, 3, 4, 5, 6, 7, 1.5, 3};
        Significance.PairedComparison c = Significance.pairedComparison(a, b);
        assertEquals(10, c.toys());
        assertEquals(8, c.aHigher());
        assertEquals(1, c.bHigher());
        // two-sided exact binomial p of 8 of 9 at 1/2: 2 (C(9,8) + C(9,9)) / 2^9 = 20 / 512
        assertEquals(20.0 / 512, c.signTestP(), 1e-12);
        assertEquals(3.5, c.medianA(), 1e-12); // sorted a: 0.5 1 2 3 3 4 5 ...: middle 3 and 4
        assertEquals(3.0, c.medianB(), 1e-12); // sorted b: 0 1 1.5 2 3 3 4 ...: middle 3 and 3
        assertEquals(1.0, c.medianDifference(), 1e-12); // differences: eight 1s, one -1, one 0
        // symmetric: swapping the tests swaps the counts, keeps p
        Significance.PairedComparison s = Significance.pairedComparison(b, a);
        assertEquals(1, s.aHigher());
        assertEquals(8, s.bHigher());
        assertEquals(c.signTestP(), s.signTestP(), 1e-15);
        assertEquals(-1.0, s.medianDifference(), 1e-12);
        // all tied: nothing to test
        assertEquals(1.0, Significance.pairedComparison(new double[] {2, 2}, new double[] {2, 2}).signTestP());
        // balanced: p = 1
        assertEquals(1.0, Significance.pairedComparison(new double[] {1, 0}, new double[] {0, 1}).signTestP(), 1e-12);
    }

    @Test
    void pairedComparisonRefusesUnpairedOrNonFiniteInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Significance.pairedComparison(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 and 1 toys"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Significance.pairedComparison(new double[] {1, Double.NEGATIVE_INFINITY}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("toy 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Significance.pairedComparison(new double[0], new double[0]));
    }
}
