package dev.sparker.engine.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Ties the vector exponential ({@link VectorMath#expKernelArgument} and {@link VectorMath#exp}, {@code 2^n}
 * times a Taylor polynomial, degree 12 in double and 6 in float), at every place a pass calls it, to one
 * scalar transcription of the same method, bit for bit, on a grid of arguments that includes 0, the clamps
 * ({@code MIN_ARG}, {@code MAX_ARG}, the overflow to infinity) and NaN. Each call site is reached through a
 * problem built so that one output is that exponential's value alone:
 * <ul>
 *   <li>kernel values, {@code forward} and {@code forward1}, both event vectors of a step (lanes "a" and
 *       "b"): one data event of weight 1 at x = 0 (at index 0, or at index L after L events of weight 0), a
 *       = 0, UNIT amplitude, sigma = 1; then {@code dL/da_i = -exp(-mu_i^2 / 2)} exactly;</li>
 *   <li>{@code e^f}, {@code referenceWeights}: one reference event of weight 1 on the only kernel's centre,
 *       so {@code f = a}; then {@code L_NP = e^f - 1} (and in DOUBLE {@code dL/da = e^f}) exactly.</li>
 * </ul>
 * Dropping one polynomial term, or changing one constant, fails this test. Further tests: the general loops
 * at d = 1 give the one-feature loops' bits (loss, gradients, coefficient Hessian); the location entropy's
 * kernel matrix; the benchmarks' pair ({@link BareExponentialPass}: helper called vs written out) gives the
 * same bits on both sides.
 */
class ExponentialCopiesTest {

    // ---- the scalar transcription: one source for what every copy must compute ----

    /** The DOUBLE exponential of an argument already clamped (as the passes clamp it). */
    static double expDouble(double y) {
        double s = Math.fma(y, VectorMath.LOG2E, VectorMath.ROUND);
        double n = s - VectorMath.ROUND;
        double r = Math.fma(n, -VectorMath.LN2_LO, Math.fma(n, -VectorMath.LN2_HI, y));
        double p = Math.fma(r, 1.0 / 479001600, 1.0 / 39916800);
        double[] c = {1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6,
                0.5, 1.0, 1.0};
        for (double ci : c) {
            p = Math.fma(p, r, ci);
        }
        return p * Double.longBitsToDouble((Double.doubleToRawLongBits(s) - (VectorMath.ROUND_BITS - 1023)) << 52);
    }

    /** The FLOAT exponential of an argument already clamped. */
    static float expFloat(float y) {
        float s = Math.fma(y, VectorMath.LOG2E_F, VectorMath.ROUND_F);
        float n = s - VectorMath.ROUND_F;
        float r = Math.fma(n, -VectorMath.LN2_LO_F, Math.fma(n, -VectorMath.LN2_HI_F, y));
        float p = Math.fma(r, 1f / 720, 1f / 120);
        for (float ci : new float[] {1f / 24, 1f / 6, 0.5f, 1f, 1f}) {
            p = Math.fma(p, r, ci);
        }
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(s) - (VectorMath.ROUND_F_BITS - 127)) << 23);
    }

    /** {@code e^f} of the reference weights: clamped to [MIN_ARG, MAX_ARG], infinity above the overflow. */
    static double expOfF(double f) {
        double e = expDouble(Math.min(Math.max(f, VectorMath.MIN_ARG), VectorMath.MAX_ARG));
        return f > VectorMath.OVERFLOW_ARG ? Double.POSITIVE_INFINITY : e;
    }

    // ---- grids ----

    /** Kernel arguments y = -mu^2/2 from 0 to beyond each precision's clamp (NaN: its own check, it spreads through f). */
    private static double[] locations() {
        List<Double> mu = new ArrayList<>();
        mu.add(0.0);
        for (double y = 1e-12; y < 900; y *= 1.07) {
            mu.add(Math.sqrt(2 * y));
        }
        for (double y : new double[] {87.3, 87.29, 87.31, 708, 707.99, 708.01, 745, 1e4}) {
            mu.add(Math.sqrt(2 * y));
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            mu.add(40 * r.nextDouble());
        }
        return mu.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Arguments f of e^f over the whole clamped range and past both ends, plus NaN. */
    private static double[] arguments() {
        List<Double> f = new ArrayList<>();
        for (double x : new double[] {0, -0.0, 1e-300, -1e-300, 1e-8, -1e-8, 0.5, -0.5, Math.log(2), 1, -1, 20, -20,
                87.3, -87.3, 700, -700, -708, -708.0001, -707.9999, -745, -1000, 709, 709.5, 709.78, 709.7827128933840,
                709.78271289338403, 709.8, 710, 1e4, Double.NaN}) {
            f.add(x);
        }
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 400; i++) {
            f.add(-720 + 1440 * r.nextDouble());
        }
        return f.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- the copies ----

    private static NpEvaluation run(EventPass pass, KernelShape shape, double[] a, double[] mu) {
        NpEvaluation out = new NpEvaluation(shape);
        try (VectorBoundProblem p = new VectorBoundProblem(shape, pass)) {
            p.evaluate(a, mu, GradientRequest.COEFFICIENTS, out);
        }
        return out;
    }

    /** One data event of weight 1 at x = 0, at index {@code at} (earlier events weigh 0); a zero-weight reference. */
    private static Samples[] kernelValueSamples(int at) {
        double[] w = new double[at + 1];
        w[at] = 1;
        Samples data = Samples.fromFlat(new double[at + 1], at + 1, 1, w);
        Samples reference = Samples.fromFlat(new double[] {0}, 1, 1, 0.0);
        return new Samples[] {reference, data};
    }

    @Test
    void kernelValueCopiesMatchTheTranscriptionBitForBit() {
        double[] mu = locations();
        int m = mu.length;
        KernelShape shape = new KernelShape(m, 1, 1.0, Amplitude.UNIT);
        assertEquals(1.0, shape.amplitudeFactor(), 0.0);
        double[] a = new double[m];
        int checked = 0;
        for (boolean oneFeature : new boolean[] {true, false}) {
            for (boolean laneB : new boolean[] {false, true}) {
                Samples[] dbl = kernelValueSamples(laneB ? DoubleEventPass.BLOCK / 4 : 0);
                NpEvaluation d = run(new DoubleEventPass(dbl[0], dbl[1], shape, 1, oneFeature), shape, a, mu);
                Samples[] flt = kernelValueSamples(laneB ? FloatEventPass.BLOCK / 4 : 0);
                NpEvaluation f = run(new FloatEventPass(flt[0], flt[1], shape, 1, oneFeature), shape, a, mu);
                String copy = (oneFeature ? "forward1" : "forward") + (laneB ? ", second vector" : ", first vector");
                for (int i = 0; i < m; i++) {
                    double t = 0 - mu[i];
                    double wantD = -expDouble(Math.max(t * t * -0.5, VectorMath.MIN_ARG));
                    float tf = 0f - (float) mu[i];
                    double wantF = -expFloat(Math.max(tf * tf * (float) -0.5, VectorMath.MIN_ARG_F));
                    sameBits(wantD, d.coefficientGradient()[i], "DOUBLE " + copy + " at mu = " + mu[i]);
                    sameBits(wantF, f.coefficientGradient()[i], "FLOAT " + copy + " at mu = " + mu[i]);
                    checked += 2;
                }
            }
        }
        assertEquals(8 * m, checked);
        // a NaN location gives a NaN kernel value in every copy, never a clamped number
        KernelShape one = new KernelShape(1, 1, 1.0, Amplitude.UNIT);
        for (boolean oneFeature : new boolean[] {true, false}) {
            for (boolean laneB : new boolean[] {false, true}) {
                Samples[] dbl = kernelValueSamples(laneB ? DoubleEventPass.BLOCK / 4 : 0);
                Samples[] flt = kernelValueSamples(laneB ? FloatEventPass.BLOCK / 4 : 0);
                double gd = run(new DoubleEventPass(dbl[0], dbl[1], one, 1, oneFeature), one, new double[1],
                        new double[] {Double.NaN}).coefficientGradient()[0];
                double gf = run(new FloatEventPass(flt[0], flt[1], one, 1, oneFeature), one, new double[1],
                        new double[] {Double.NaN}).coefficientGradient()[0];
                assertTrue(Double.isNaN(expDouble(Math.max(Double.NaN, VectorMath.MIN_ARG))) && Double.isNaN(gd)
                        && Double.isNaN(gf), "NaN location: " + gd + ", " + gf);
            }
        }
        // the transcription itself is an exponential: within 2 ulp-ish of Math.exp on the unclamped range
        for (double y = -700; y <= 0; y += 0.37) {
            assertEquals(Math.exp(y), expDouble(y), 4e-16 * Math.exp(y), "double transcription at " + y);
        }
        for (double y = -87; y <= 0; y += 0.037) {
            double want = Math.exp((float) y);
            assertEquals(want, expFloat((float) y), 4e-7 * want, "float transcription at " + y);
        }
    }

    @Test
    void exponentialOfFCopiesMatchTheTranscriptionBitForBit() {
        double c = 40;
        Samples reference = Samples.fromFlat(new double[] {c}, 1, 1, 1.0);
        Samples data = Samples.fromFlat(new double[] {c}, 1, 1, 0.0);
        KernelShape shape = new KernelShape(1, 1, 1.0, Amplitude.UNIT);
        double[] mu = {c};
        try (VectorBoundProblem dp = new VectorBoundProblem(shape, new DoubleEventPass(reference, data, shape, 1));
             VectorBoundProblem fp = new VectorBoundProblem(shape, new FloatEventPass(reference, data, shape, 1))) {
            for (double f : arguments()) {
                NpEvaluation d = new NpEvaluation(shape);
                dp.evaluate(new double[] {f}, mu, GradientRequest.COEFFICIENTS, d);
                NpEvaluation fl = new NpEvaluation(shape);
                fp.evaluate(new double[] {f}, mu, GradientRequest.COEFFICIENTS, fl);
                double e = expOfF(f);
                sameBits(e - 1, d.loss(), "DOUBLE referenceWeights: L_NP = e^f - 1 at f = " + f);
                sameBits(e, d.coefficientGradient()[0], "DOUBLE referenceWeights: dL/da = e^f at f = " + f);
                double ff = (float) f;
                sameBits(expOfF(ff) - 1, fl.loss(), "FLOAT referenceWeights: L_NP = e^f - 1 at f = " + ff);
            }
        }
    }

    @Test
    void oneFeatureLoopsGiveTheGeneralLoopsBitsAtDimensionOne() {
        SplittableRandom r = new SplittableRandom(11);
        for (int[] size : new int[][] {{1, 1, 1}, {17, 15, 7}, {1000, 301, 16}, {20001, 1000, 50}}) {
            double[] rx = new double[size[0]];
            double[] dx = new double[size[1]];
            for (int i = 0; i < rx.length; i++) {
                rx[i] = r.nextGaussian();
            }
            for (int i = 0; i < dx.length; i++) {
                dx[i] = 0.3 + 1.2 * r.nextGaussian();
            }
            Samples reference = Samples.fromFlat(rx, rx.length, 1, (double) dx.length / rx.length);
            Samples data = Samples.fromFlat(dx, dx.length, 1, 1.0);
            int m = size[2];
            KernelShape shape = new KernelShape(m, 1, 0.9, Amplitude.GAUSSIAN);
            double[] a = new double[m];
            double[] mu = new double[m];
            for (int i = 0; i < m; i++) {
                a[i] = (2 * r.nextDouble() - 1) / Math.sqrt(m) / shape.amplitudeFactor();
                mu[i] = dx[r.nextInt(dx.length)] + (i % 7 == 6 ? 40 : 0);
            }
            for (boolean dbl : new boolean[] {true, false}) {
                NpEvaluation one = new NpEvaluation(shape);
                NpEvaluation general = new NpEvaluation(shape);
                EventPass p1 = dbl ? new DoubleEventPass(reference, data, shape, 2, true)
                        : new FloatEventPass(reference, data, shape, 2, true);
                EventPass p2 = dbl ? new DoubleEventPass(reference, data, shape, 2, false)
                        : new FloatEventPass(reference, data, shape, 2, false);
                NpEvaluation oneH = new NpEvaluation(shape);
                NpEvaluation generalH = new NpEvaluation(shape);
                try (VectorBoundProblem b1 = new VectorBoundProblem(shape, p1);
                     VectorBoundProblem b2 = new VectorBoundProblem(shape, p2)) {
                    b1.evaluate(a, mu, GradientRequest.BOTH, one);
                    b2.evaluate(a, mu, GradientRequest.BOTH, general);
                    b1.evaluate(a, mu, GradientRequest.COEFFICIENT_HESSIAN, oneH);
                    b2.evaluate(a, mu, GradientRequest.COEFFICIENT_HESSIAN, generalH);
                }
                String where = (dbl ? "DOUBLE" : "FLOAT") + " N_R = " + size[0] + ", M = " + m;
                sameBits(general.loss(), one.loss(), where + ": loss");
                assertArrayEquals(general.coefficientGradient(), one.coefficientGradient(), 0.0, where + ": dL/da");
                assertArrayEquals(general.locationGradient(), one.locationGradient(), 0.0, where + ": dL/dmu");
                assertArrayEquals(generalH.coefficientHessian(), oneH.coefficientHessian(), 0.0, where + ": Hessian");
                assertTrue(Double.isFinite(one.loss()) && oneH.coefficientHessian()[0] > 0, where);
            }
        }
    }

    /**
     * Locations in d = 2 whose distances to the first one (the origin) give kernel arguments from 0 to past each
     * precision's clamp, then random ones, one NaN location in the middle (its row and column must be NaN, never
     * a clamped number); every diagonal entry is the argument 0, in every lane of every vector.
     */
    private static double[] entropyLocations(double sigma) {
        List<double[]> mu = new ArrayList<>();
        mu.add(new double[] {0, 0});
        List<Double> ys = new ArrayList<>();
        for (double y = 1e-12; y < 900; y *= 1.07) {
            ys.add(y);
        }
        for (double y : new double[] {87.3, 87.29, 87.31, 708, 707.99, 708.01, 745, 1e4}) {
            ys.add(y);
        }
        for (int i = 0; i < ys.size(); i++) {
            double r = sigma * Math.sqrt(2 * ys.get(i));
            mu.add(i % 2 == 0 ? new double[] {r, 0} : new double[] {0, -r});
            if (i == ys.size() / 2) {
                mu.add(new double[] {Double.NaN, 0.5});
            }
        }
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < 101; i++) {
            mu.add(new double[] {60 * r.nextDouble() - 30, 60 * r.nextDouble() - 30});
        }
        double[] flat = new double[2 * mu.size()];
        for (int i = 0; i < mu.size(); i++) {
            flat[2 * i] = mu.get(i)[0];
            flat[2 * i + 1] = mu.get(i)[1];
        }
        return flat;
    }

    @Test
    void locationEntropyKernelCopiesMatchTheTranscriptionBitForBit() {
        double sigma = 1.3;
        double[] mu = entropyLocations(sigma);
        int d = 2;
        int m = mu.length / d;
        assertTrue(m > 4 * VectorShapes.FLOAT.length(), "M = " + m);
        for (Amplitude amplitude : new Amplitude[] {Amplitude.UNIT, Amplitude.GAUSSIAN}) {
            KernelShape shape = new KernelShape(m, d, sigma, amplitude);
            double amp = shape.amplitudeFactor();
            double neg = -1.0 / (2 * (sigma * sigma));
            double[] kd = new VectorLocationEntropy(shape, Precision.DOUBLE).kernelValues(mu);
            double[] kf = new VectorLocationEntropy(shape, Precision.FLOAT).kernelValues(mu);
            int zeros = 0;
            int clampedD = 0;
            int clampedF = 0;
            int nans = 0;
            for (int l = 0; l < m; l++) {
                for (int j = 0; j < m; j++) {
                    double r2 = 0;
                    float r2f = 0;
                    for (int q = 0; q < d; q++) {
                        double t = mu[j * d + q] - mu[l * d + q];
                        r2 = Math.fma(t, t, r2);
                        float tf = (float) mu[j * d + q] - (float) mu[l * d + q];
                        r2f = Math.fma(tf, tf, r2f);
                    }
                    double y = r2 * neg;
                    float yf = r2f * (float) neg;
                    zeros += y == 0 ? 1 : 0;
                    clampedD += y < VectorMath.MIN_ARG ? 1 : 0;
                    clampedF += yf < VectorMath.MIN_ARG_F ? 1 : 0;
                    nans += Double.isNaN(y) ? 1 : 0;
                    double wantD = expDouble(Math.max(y, VectorMath.MIN_ARG)) * amp;
                    float wantF = expFloat(Math.max(yf, VectorMath.MIN_ARG_F)) * (float) amp;
                    String where = amplitude + " K_" + l + "," + j + " (argument " + y + ")";
                    sameBits(wantD, kd[l * m + j], "DOUBLE location entropy " + where);
                    sameBits(wantF, kf[l * m + j], "FLOAT location entropy " + where);
                }
            }
            // the grid reaches what it claims: the argument 0, both clamps, NaN
            assertTrue(zeros >= m - 1 && clampedD > 0 && clampedF > clampedD && nans == 2 * m - 1,
                    "zeros " + zeros + ", clamped " + clampedD + "/" + clampedF + ", NaN " + nans);
        }
    }

    /**
     * The benchmarks' pair ({@link BareExponentialPass}): the loop that calls {@link VectorMath}'s helper and the
     * same loop with the exponential written out give the same bits in FLOAT and DOUBLE, on events whose
     * arguments run from 0 past both clamps; and the sums are the exponentials' sums (within float / double
     * rounding of {@code Math.exp}), so neither side can be a constant.
     */
    @Test
    void benchmarkPairGivesTheSameBitsWithTheHelperAndWrittenOut() {
        SplittableRandom r = new SplittableRandom(17);
        for (int[] size : new int[][] {{1, 1}, {37, 3}, {2000, 10}, {20000, 50}}) {
            double[] x = new double[size[0]];
            double[] mu = new double[size[1]];
            for (int n = 0; n < x.length; n++) {
                x[n] = 30 * r.nextGaussian();
            }
            for (int i = 0; i < mu.length; i++) {
                mu[i] = 10 * r.nextGaussian();
            }
            double sigma = 0.8;
            BareExponentialPass pass = new BareExponentialPass(x, mu, sigma);
            String where = "N = " + x.length + ", M = " + mu.length;
            float f = pass.sumPolynomial();
            double d = pass.sumPolynomialDouble();
            sameBits(pass.sumPolynomialWrittenOut(), f, "FLOAT pair, " + where);
            sameBits(pass.sumPolynomialDoubleWrittenOut(), d, "DOUBLE pair, " + where);
            // padding events sit at x = 0; count them in the oracle as the passes do
            int padF = (int) (pass.evaluations() / mu.length) - x.length;
            int blockD = 4 * VectorShapes.DOUBLE.length();
            int padD = (x.length + blockD - 1) / blockD * blockD - x.length;
            double want = 0;
            double zeros = 0;
            for (double m : mu) {
                for (double xn : x) {
                    want += Math.exp(-(xn - m) * (xn - m) / (2 * sigma * sigma));
                }
                zeros += Math.exp(-m * m / (2 * sigma * sigma));
            }
            double n = (double) (x.length + padF) * mu.length;
            assertEquals(want + padF * zeros, f, 1e-6 * n, "FLOAT sum, " + where);
            assertEquals(want + padD * zeros, d, 1e-14 * n, "DOUBLE sum, " + where);
        }
    }

    private static void sameBits(double want, double got, String what) {
        if (Double.isNaN(want) && Double.isNaN(got)) {
            return;
        }
        if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got)) {
            fail(what + ": want " + want + " (" + Long.toHexString(Double.doubleToRawLongBits(want)) + "), got " + got
                    + " (" + Long.toHexString(Double.doubleToRawLongBits(got)) + ")");
        }
    }
}
