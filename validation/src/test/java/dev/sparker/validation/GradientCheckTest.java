package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.loss.CoefficientPenalty;
import dev.sparker.loss.LocationEntropy;
import dev.sparker.loss.PenaltyMode;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hand-derived gradient (NP loss w.r.t. coefficients and locations, coefficient penalty, location
 * entropy) against (1) central finite differences and (2) Hipparchus forward-mode derivatives computed by an
 * independent re-implementation of each loss in {@link Gradient} arithmetic.
 *
 * <p>Problems: d in {1, 2, 5, 12} x M in {1, 3, 17, 50}, seeded; some kernels sit far from every event (their
 * gradients underflow to ~0 and must not be garbage), and some coefficients sit at +-clip.
 */
class GradientCheckTest {
    /** Forward-mode AD and the analytic formula are both exact up to rounding. */
    static final double AD_TOLERANCE = 1e-10;
    /** Central differences with h = 1e-6 (relative) carry O(h^2) truncation plus O(eps/h) rounding error. */
    static final double FD_TOLERANCE = 1e-6;
    static final double CLIP = 2.0;

    static Stream<Arguments> problems() {
        List<Arguments> list = new ArrayList<>();
        for (int d : new int[] {1, 2, 5, 12}) {
            for (int m : new int[] {1, 3, 17, 50}) {
                for (Amplitude amp : new Amplitude[] {Amplitude.UNIT, Amplitude.REFERENCE_CODE}) {
                    list.add(Arguments.of(d, m, amp));
                }
            }
        }
        return list.stream();
    }

    record Problem(Samples ref, Samples data, KernelShape shape, double[] a, double[] mu) {
    }

    static Problem problem(int d, int m, Amplitude amp) {
        SplittableRandom r = new SplittableRandom(1000L * d + m + amp.ordinal());
        int nr = 37;
        int nd = 19;
        double[] rx = new double[nr * d];
        double[] dx = new double[nd * d];
        double[] rw = new double[nr];
        double[] dw = new double[nd];
        for (int i = 0; i < rx.length; i++) {
            rx[i] = r.nextGaussian();
        }
        for (int i = 0; i < dx.length; i++) {
            dx[i] = r.nextGaussian() * 1.2 + 0.3;
        }
        for (int i = 0; i < nr; i++) {
            rw[i] = 0.3 + 0.4 * r.nextDouble();
        }
        for (int i = 0; i < nd; i++) {
            dw[i] = 0.5 + r.nextDouble();
        }
        double sigma = 0.8 + 0.2 * Math.sqrt(d);
        KernelShape shape = new KernelShape(m, d, sigma, amp);
        double[] a = new double[m];
        double[] mu = new double[m * d];
        for (int i = 0; i < m; i++) {
            // every fifth coefficient at the clip, the rest moderate
            a[i] = i % 5 == 4 ? (i % 2 == 0 ? CLIP : -CLIP) : (r.nextDouble() - 0.5) / Math.max(1, amp.value(sigma, d));
            for (int j = 0; j < d; j++) {
                // every seventh kernel far from every event
                mu[i * d + j] = i % 7 == 6 ? 40 + r.nextDouble() : r.nextGaussian();
            }
        }
        a = clipTo(a, CLIP);
        return new Problem(Samples.fromFlat(rx, nr, d, rw), Samples.fromFlat(dx, nd, d, dw), shape, a, mu);
    }

    private static double[] clipTo(double[] a, double clip) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.max(-clip, Math.min(clip, c[i]));
        }
        return c;
    }

    // ---------- the losses written again in forward-mode arithmetic ----------

    /** L_NP with every a_i and mu_ij a free variable: index i for a_i, M + i*d + j for mu_ij. */
    static Gradient npLossAd(Problem p) {
        int m = p.shape.kernels();
        int d = p.shape.dimension();
        int vars = m + m * d;
        Gradient[] a = new Gradient[m];
        Gradient[] mu = new Gradient[m * d];
        for (int i = 0; i < m; i++) {
            a[i] = Gradient.variable(vars, i, p.a[i]);
        }
        for (int k = 0; k < m * d; k++) {
            mu[k] = Gradient.variable(vars, m + k, p.mu[k]);
        }
        double amp = p.shape.amplitudeFactor();
        double s2 = p.shape.sigma() * p.shape.sigma();
        Gradient loss = Gradient.constant(vars, 0);
        for (int n = 0; n < p.ref.size(); n++) {
            Gradient f = fAd(p.ref.event(n), a, mu, m, d, amp, s2, vars);
            loss = loss.add(f.exp().subtract(1).multiply(p.ref.weight(n)));
        }
        for (int n = 0; n < p.data.size(); n++) {
            Gradient f = fAd(p.data.event(n), a, mu, m, d, amp, s2, vars);
            loss = loss.subtract(f.multiply(p.data.weight(n)));
        }
        return loss;
    }

    private static Gradient fAd(double[] x, Gradient[] a, Gradient[] mu, int m, int d, double amp, double s2, int vars) {
        Gradient f = Gradient.constant(vars, 0);
        for (int i = 0; i < m; i++) {
            Gradient r2 = Gradient.constant(vars, 0);
            for (int j = 0; j < d; j++) {
                Gradient diff = mu[i * d + j].negate().add(x[j]);
                r2 = r2.add(diff.multiply(diff));
            }
            f = f.add(a[i].multiply(r2.divide(-2 * s2).exp().multiply(amp)));
        }
        return f;
    }

    /** L_H = -sum_j p_j log p_j with p_j = (1/M) sum_i A exp(-|mu_i - mu_j|^2 / (2 sigma^2)). */
    static Gradient entropyAd(double[] muValues, KernelShape shape) {
        int m = shape.kernels();
        int d = shape.dimension();
        int vars = m * d;
        Gradient[] mu = new Gradient[vars];
        for (int k = 0; k < vars; k++) {
            mu[k] = Gradient.variable(vars, k, muValues[k]);
        }
        double amp = shape.amplitudeFactor();
        double s2 = shape.sigma() * shape.sigma();
        Gradient h = Gradient.constant(vars, 0);
        for (int j = 0; j < m; j++) {
            Gradient pj = Gradient.constant(vars, 0);
            for (int i = 0; i < m; i++) {
                Gradient r2 = Gradient.constant(vars, 0);
                for (int q = 0; q < d; q++) {
                    Gradient diff = mu[i * d + q].subtract(mu[j * d + q]);
                    r2 = r2.add(diff.multiply(diff));
                }
                pj = pj.add(r2.divide(-2 * s2).exp().multiply(amp));
            }
            pj = pj.divide(m);
            h = h.subtract(pj.multiply(pj.log()));
        }
        return h;
    }

    // ---------- the checks ----------

    @ParameterizedTest(name = "NP loss gradient, d={0}, M={1}, {2}: AD within 1e-10, FD within 1e-6 of |grad|")
    @MethodSource("problems")
    void npLossGradientMatchesForwardModeAndFiniteDifferences(int d, int m, Amplitude amp) {
        Problem p = problem(d, m, amp);
        NpEvaluation ev = evaluate(p, p.a, p.mu);
        Gradient ad = npLossAd(p);
        assertEquals(ad.getValue(), ev.loss(), AD_TOLERANCE * Math.max(1, Math.abs(ad.getValue())),
                "L_NP value vs forward-mode re-implementation (1e-10 relative)");
        double[] analytic = concat(ev.coefficientGradient(), ev.locationGradient());
        assertClose(ad.getGradient(), analytic, AD_TOLERANCE, "dL_NP/d(a, mu) vs Hipparchus forward mode");

        double[] fd = new double[analytic.length];
        for (int k = 0; k < fd.length; k++) {
            fd[k] = centralDifference(theta -> evaluate(p, coefficientsOf(theta, m), locationsOf(theta, m)).loss(),
                    concat(p.a, p.mu), k);
        }
        assertClose(fd, analytic, FD_TOLERANCE, "dL_NP/d(a, mu) vs central finite differences");

        // kernels far from all events: their gradient is zero to within rounding, never NaN
        for (int i = 6; i < m; i += 7) {
            assertTrue(Math.abs(ev.coefficientGradient()[i]) < 1e-100,
                    "far kernel " + i + " should have a vanishing dL/da, got " + ev.coefficientGradient()[i]);
        }
    }

    @ParameterizedTest(name = "coefficient penalty gradient, d={0}, M={1}, {2}: exact, FD within 1e-6")
    @MethodSource("problems")
    void penaltyGradientMatches(int d, int m, Amplitude amp) {
        Problem p = problem(d, m, amp);
        for (PenaltyMode mode : PenaltyMode.values()) {
            CoefficientPenalty pen = new CoefficientPenalty(3e-3, mode);
            double[] g = new double[m];
            pen.addGradient(p.a, g);
            Gradient[] a = new Gradient[m];
            Gradient value = Gradient.constant(m, 0);
            for (int i = 0; i < m; i++) {
                a[i] = Gradient.variable(m, i, p.a[i]);
                value = value.add(a[i].multiply(a[i]));
            }
            value = value.multiply(mode == PenaltyMode.MEAN ? 3e-3 / m : 3e-3);
            assertEquals(value.getValue(), pen.value(p.a), 1e-15, "penalty value, " + mode);
            assertClose(value.getGradient(), g, AD_TOLERANCE, "penalty gradient vs forward mode, " + mode);
            double[] fd = new double[m];
            for (int k = 0; k < m; k++) {
                fd[k] = centralDifference(pen::value, p.a, k);
            }
            assertClose(fd, g, FD_TOLERANCE, "penalty gradient vs finite differences, " + mode);
        }
    }

    @ParameterizedTest(name = "location entropy gradient, d={0}, M={1}, {2}: AD within 1e-10, FD within 1e-6")
    @MethodSource("problems")
    void entropyGradientMatches(int d, int m, Amplitude amp) {
        Problem p = problem(d, m, amp);
        double[] g = new double[m * d];
        double h = LocationEntropy.valueAndGradient(p.mu, p.shape, g);
        assertEquals(LocationEntropy.value(p.mu, p.shape), h, 0, "value and valueAndGradient agree exactly");
        Gradient ad = entropyAd(p.mu, p.shape);
        assertEquals(ad.getValue(), h, AD_TOLERANCE * Math.max(1, Math.abs(h)), "L_H value vs forward mode");
        assertClose(ad.getGradient(), g, AD_TOLERANCE, "dL_H/dmu vs Hipparchus forward mode");
        double[] fd = new double[m * d];
        for (int k = 0; k < fd.length; k++) {
            fd[k] = centralDifference(mu -> LocationEntropy.value(mu, p.shape), p.mu, k);
        }
        assertClose(fd, g, FD_TOLERANCE, "dL_H/dmu vs central finite differences");
    }

    // ---------- helpers ----------

    private static double[] coefficientsOf(double[] theta, int m) {
        return java.util.Arrays.copyOfRange(theta, 0, m);
    }

    private static double[] locationsOf(double[] theta, int m) {
        return java.util.Arrays.copyOfRange(theta, m, theta.length);
    }

    static NpEvaluation evaluate(Problem p, double[] a, double[] mu) {
        NpEvaluation out = new NpEvaluation(p.shape);
        try (BoundProblem b = new ScalarEngine().bind(p.ref, p.data, p.shape, EngineSettings.singleThreadDouble())) {
            b.evaluate(a, mu, GradientRequest.BOTH, out);
        }
        return out;
    }

    static double centralDifference(ToDoubleFunction<double[]> f, double[] x, int k) {
        double h = 1e-6 * Math.max(1, Math.abs(x[k]));
        double[] xp = x.clone();
        double[] xm = x.clone();
        xp[k] += h;
        xm[k] -= h;
        return (f.applyAsDouble(xp) - f.applyAsDouble(xm)) / (2 * h);
    }

    static double[] concat(double[] x, double[] y) {
        double[] c = new double[x.length + y.length];
        System.arraycopy(x, 0, c, 0, x.length);
        System.arraycopy(y, 0, c, x.length, y.length);
        return c;
    }

    /** Every component within {@code tol * max(1, |expected|_inf)}: relative to the gradient's scale. */
    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Double.isFinite(actual[i]), what + ": component " + i + " is " + actual[i]);
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= tol * scale, what + ": component " + i + " expected " + expected[i] + " got " + actual[i]
                    + " (|err| " + err + " > " + tol + " x scale " + scale + ")");
        }
    }
}
