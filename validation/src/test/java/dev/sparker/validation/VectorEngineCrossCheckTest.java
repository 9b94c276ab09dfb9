package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelModel;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector engine against the scalar reference on seeded random problems whose sizes hit every SIMD tail:
 * reference sizes n in {1, 15, 16, 17, 1000, 20001} (each paired with a data size from the same list, so
 * both passes hit every tail), M in {1, 7, 16, 50, 1000}, d in {1, 3, 12}; both precisions; every
 * {@link GradientRequest}. One evaluation per case.
 *
 * <p>Tolerances (relative):
 * <ul>
 *   <li>{@code DOUBLE}: {@value #DOUBLE_TOLERANCE}, {@code FLOAT}: {@value #FLOAT_TOLERANCE};</li>
 *   <li>loss: relative to its conditioning scale {@code S_L = sum_R w (e^f + 1) + sum_D w |f|}, the sum of
 *       the magnitudes of the terms every engine adds ({@code w e^f}, {@code -w}, {@code -w f}); it is
 *       &gt;= |L_NP|, and it matters when the kernels are tiny (f ~ 1e-9: {@code e^f - 1} cancels in every
 *       engine, the scalar one included);</li>
 *   <li>gradients: the largest component error relative to the gradient vector's max-abs component.</li>
 * </ul>
 *
 * <p>An independent second check beside {@link VectorEngineWidthCheckTest} (own problem generator, data
 * sizes paired with reference sizes, max-abs gradient scale, re-evaluation after another point in the
 * determinism test). It runs in the default execution at the hardware width; started with
 * {@value VectorWidths#FORCE_BITS_PROPERTY} = W it asserts that the engine uses W (it was run that way at
 * 128, 256 and 512 bits: 720 comparisons each, all within tolerance).
 */
class VectorEngineCrossCheckTest {
    static final double DOUBLE_TOLERANCE = 1e-12;
    static final double FLOAT_TOLERANCE = 1e-5;
    static final int[] EVENT_COUNTS = {1, 15, 16, 17, 1000, 20001};
    /** Data size paired with EVENT_COUNTS[i]: a permutation of the same list. */
    static final int[] DATA_COUNTS = {17, 1, 16, 15, 20001, 1000};
    static final int[] KERNEL_COUNTS = {1, 7, 16, 50, 1000};
    static final int[] DIMENSIONS = {1, 3, 12};
    /** Threads the engine uses in the cross-checks: more than one, so the partition and reduction are covered. */
    static final int THREADS = 3;

    private static Engine vector;
    private static int forcedBits;

    @BeforeAll
    static void findEngineAndWidth() {
        vector = Engines.byName("vector");
        forcedBits = VectorWidths.forcedBits();
        if (forcedBits != 0) {
            int max = VectorWidths.maxVectorBits();
            Assumptions.assumeTrue(forcedBits <= max, () -> forcedBits
                    + "-bit vectors forced but this machine's widest is " + max + " bits");
        }
        EngineAvailability av = vector.availability();
        assertTrue(av.available(), "the vector engine is on the class path but not available: " + av.reason());
        for (Precision p : Precision.values()) {
            assertTrue(vector.supports(p), "the vector engine must support " + p);
        }
        if (forcedBits != 0) {
            assertEquals(forcedBits, VectorWidths.vectorBits(), "the engine must use the forced width "
                    + VectorWidths.FORCE_BITS_PROPERTY + "=" + forcedBits + " (machine max "
                    + VectorWidths.maxVectorBits() + ")");
        }
    }

    static Stream<Arguments> problems() {
        List<Arguments> list = new ArrayList<>();
        for (int i = 0; i < EVENT_COUNTS.length; i++) {
            for (int m : KERNEL_COUNTS) {
                for (int d : DIMENSIONS) {
                    list.add(Arguments.of(EVENT_COUNTS[i], DATA_COUNTS[i], m, d));
                }
            }
        }
        return list.stream();
    }

    /** A seeded random problem with parameters (a, mu). */
    record Problem(Samples ref, Samples data, KernelShape shape, double[] a, double[] mu) {
    }

    /**
     * Reference events N(0, 1) per coordinate, data N(0.3, 1.2^2); weights random positive, the reference's
     * scaled by nData/nRef as in an NPLM problem. Kernels sit on data events (jittered), every seventh one
     * far from every event so its values underflow; coefficients U(-1, 1)/sqrt(M) keep f of order one.
     * Amplitudes vary with the case so that tiny kernel values (GAUSSIAN/REFERENCE_CODE at d = 12) are covered.
     */
    static Problem problem(int nRef, int nData, int m, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] rx = new double[nRef * d];
        double[] dx = new double[nData * d];
        double[] rw = new double[nRef];
        double[] dw = new double[nData];
        for (int i = 0; i < rx.length; i++) {
            rx[i] = r.nextGaussian();
        }
        for (int i = 0; i < dx.length; i++) {
            dx[i] = 0.3 + 1.2 * r.nextGaussian();
        }
        double refScale = (double) nData / nRef;
        for (int i = 0; i < nRef; i++) {
            rw[i] = (0.5 + r.nextDouble()) * refScale;
        }
        for (int i = 0; i < nData; i++) {
            dw[i] = 0.5 + r.nextDouble();
        }
        double sigma = 0.5 + 0.4 * Math.sqrt(d);
        Amplitude amp = Amplitude.values()[(m + d) % Amplitude.values().length];
        KernelShape shape = new KernelShape(m, d, sigma, amp);
        double[] a = new double[m];
        double[] mu = new double[m * d];
        for (int i = 0; i < m; i++) {
            a[i] = (2 * r.nextDouble() - 1) / Math.sqrt(m);
            int event = r.nextInt(nData);
            boolean far = i % 7 == 6;
            for (int j = 0; j < d; j++) {
                mu[i * d + j] = dx[event * d + j] + 0.1 * r.nextGaussian() + (far ? 40 * sigma : 0);
            }
        }
        return new Problem(Samples.fromFlat(rx, nRef, d, rw), Samples.fromFlat(dx, nData, d, dw), shape, a, mu);
    }

    /** {@code S_L = sum_R w (e^f + 1) + sum_D w |f|}, the scale the loss error is measured against. */
    static double lossScale(Problem p) {
        KernelShape s = p.shape();
        KernelModel model = new KernelModel(s.dimension(), s.sigma(), s.amplitude(), p.a(), p.mu());
        double sum = 0;
        for (int n = 0; n < p.ref().size(); n++) {
            sum += p.ref().weight(n) * (Math.exp(model.evaluate(p.ref().event(n))) + 1);
        }
        for (int n = 0; n < p.data().size(); n++) {
            sum += p.data().weight(n) * Math.abs(model.evaluate(p.data().event(n)));
        }
        return sum;
    }

    static NpEvaluation evaluate(Engine engine, Problem p, EngineSettings settings, GradientRequest request) {
        NpEvaluation out = new NpEvaluation(p.shape());
        try (BoundProblem bound = engine.bind(p.ref(), p.data(), p.shape(), settings)) {
            bound.evaluate(p.a(), p.mu(), request, out);
        }
        return out;
    }

    @ParameterizedTest(name = "nRef={0} nData={1} M={2} d={3}")
    @MethodSource("problems")
    void vectorMatchesScalar(int nRef, int nData, int m, int d) {
        Problem p = problem(nRef, nData, m, d, 7919L * nRef + 131L * m + d);
        NpEvaluation ref = evaluate(new ScalarEngine(), p, EngineSettings.singleThreadDouble(), GradientRequest.BOTH);
        double lossScale = Math.max(lossScale(p), Math.abs(ref.loss()));
        double aScale = maxAbs(ref.coefficientGradient());
        double muScale = maxAbs(ref.locationGradient());
        String where = "nRef=" + nRef + " nData=" + nData + " M=" + m + " d=" + d + " " + p.shape().amplitude()
                + " width=" + (forcedBits == 0 ? "default" : forcedBits + " bits");
        for (Precision precision : Precision.values()) {
            double tol = precision == Precision.DOUBLE ? DOUBLE_TOLERANCE : FLOAT_TOLERANCE;
            for (GradientRequest request : GradientRequest.values()) {
                if (request.wantsCoefficientHessian()) {
                    continue;   // checked on its own grid in CoefficientHessianCrossCheckTest (its cost is n M^2)
                }
                NpEvaluation v = evaluate(vector, p, new EngineSettings(precision, THREADS), request);
                String ctx = where + " " + precision + " " + request;
                double lossErr = Math.abs(v.loss() - ref.loss());
                assertTrue(lossErr <= tol * lossScale, ctx + ": loss " + v.loss() + " vs scalar " + ref.loss()
                        + ", error " + lossErr + " exceeds " + tol + " relative to the loss scale " + lossScale);
                if (request.wantsCoefficients()) {
                    assertClose(ref.coefficientGradient(), v.coefficientGradient(), aScale, tol, ctx + ": dL/da");
                }
                if (request.wantsLocations()) {
                    assertClose(ref.locationGradient(), v.locationGradient(), muScale, tol, ctx + ": dL/dmu");
                }
            }
        }
    }

    /**
     * Same inputs and thread count give identical bits: two separately bound problems, and the same bound
     * problem evaluated twice (buffers reused across steps), for 1 and 3 threads, both precisions.
     */
    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 3})
    void sameInputsAndThreadsGiveIdenticalBits(int threads) {
        Problem p = problem(20001, 1000, 50, 3, 42);
        for (Precision precision : Precision.values()) {
            EngineSettings settings = new EngineSettings(precision, threads);
            NpEvaluation first = evaluate(vector, p, settings, GradientRequest.BOTH);
            NpEvaluation second = new NpEvaluation(p.shape());
            NpEvaluation third = new NpEvaluation(p.shape());
            try (BoundProblem bound = vector.bind(p.ref(), p.data(), p.shape(), settings)) {
                bound.evaluate(p.a(), p.mu(), GradientRequest.BOTH, second);
                // a different point in between must not leave anything behind
                double[] a2 = p.a().clone();
                a2[0] += 0.25;
                bound.evaluate(a2, p.mu(), GradientRequest.BOTH, new NpEvaluation(p.shape()));
                bound.evaluate(p.a(), p.mu(), GradientRequest.BOTH, third);
            }
            for (int k = 0; k < 2; k++) {
                NpEvaluation other = k == 0 ? second : third;
                String ctx = precision + " threads=" + threads + (k == 0
                        ? ", a second bind vs the first" : ", re-evaluation after another point vs the first bind");
                assertEquals(Double.doubleToRawLongBits(first.loss()), Double.doubleToRawLongBits(other.loss()),
                        ctx + ": loss bits differ (" + first.loss() + " vs " + other.loss() + ")");
                assertSameBits(first.coefficientGradient(), other.coefficientGradient(), ctx + ": dL/da");
                assertSameBits(first.locationGradient(), other.locationGradient(), ctx + ": dL/dmu");
            }
        }
    }

    @Test
    void forcedWidthIsTheWidthInUse() {
        int bits = VectorWidths.vectorBits();
        int max = VectorWidths.maxVectorBits();
        assertTrue(bits == 128 || bits == 256 || bits == 512, "vector width " + bits + " bits is not 128/256/512");
        assertTrue(bits <= max, "vector width " + bits + " exceeds the machine's widest, " + max);
        if (forcedBits != 0) {
            assertEquals(forcedBits, bits, "forced width not in use");
        }
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static void assertClose(double[] expected, double[] actual, double scale, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= worst) || Double.isNaN(actual[i])) {
                worst = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : err;
                at = i;
            }
        }
        if (!(worst <= tol * scale)) {
            fail(what + "[" + at + "] = " + actual[at] + " vs scalar " + expected[at] + ": error " + worst
                    + " exceeds " + tol + " relative to the gradient's max-abs scale " + scale);
        }
    }

    static void assertSameBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + "[" + i + "] bits differ: " + expected[i] + " vs " + actual[i]);
            }
        }
    }
}
