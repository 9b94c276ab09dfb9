package dev.sparker.validation;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import dev.sparker.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The engine contract's pieces, shared by every engine cross-check: one seeded problem generator, one
 * reference evaluation (the formulas of DESIGN.md section 1 transcribed directly, in double with
 * {@code Math.exp}), one error measure and one tolerance table.
 *
 * <p>Error measure: the loss error relative to the sum of the loss terms' magnitudes
 * {@code S_L = sum_R w (e^f + 1) + sum_D w |f|} (the loss itself may cancel to near zero, where |L| would
 * judge every engine's rounding as failure); each gradient's largest component error relative to that
 * gradient's largest component (an L2 norm would let one wrong component through about sqrt(M d) times more
 * easily); the coefficient Hessian's largest entry error relative to its largest-magnitude entry.
 */
final class EngineContract {
    /** Reference sizes: 1, tails around 16 (every vector width's block boundary), a mid size, an odd large one. */
    static final int[] REFERENCE_SIZES = {1, 15, 16, 17, 1000, 20001};
    /** Data size paired with REFERENCE_SIZES[i]: a permutation of the same list, so both passes hit every tail. */
    static final int[] DATA_SIZES = {17, 1, 16, 15, 20001, 1000};
    static final int[] KERNELS = {1, 7, 16, 50, 1000};
    static final int[] DIMENSIONS = {1, 3, 12};
    /**
     * The coefficient Hessian's per-request size limit: it is checked where {@code N_R M^2 <= 5e7} (its cost,
     * in the engines and in the reference transcription below, is N_R M^2 / 2 pairs): every cell with M <= 50,
     * and M = 1000 at the small sizes.
     */
    static final long HESSIAN_MAX_WORK = 50_000_000L;
    /**
     * The OpenCL Hessian's own limit: its kernel pairs run along one grid dimension, M (M + 1) / 2 <= 65535, so
     * M <= 361 (OpenClBatch refuses larger M with an IllegalArgumentException naming the limit).
     */
    static final int OPENCL_HESSIAN_MAX_KERNELS = 361;

    private EngineContract() {
    }

    /** The one tolerance table: the relative error (in the measure above) allowed for each precision. */
    static double tolerance(Precision precision) {
        return switch (precision) {
            case DOUBLE -> 1e-12;
            case FLOAT -> 1e-5;
        };
    }

    /** Whether the coefficient Hessian is checked on {@code p} at all: {@code N_R M^2 <=} {@link #HESSIAN_MAX_WORK}. */
    static boolean hessianInScope(Problem p) {
        long m = p.shape().kernels();
        return p.reference().size() * m * m <= HESSIAN_MAX_WORK;
    }

    /** Whether {@code engine} computes the coefficient Hessian at M kernels (the OpenCL engine: M <= 361). */
    static boolean engineHandlesHessian(Engine engine, int m) {
        return !engine.name().equals("opencl") || m <= OPENCL_HESSIAN_MAX_KERNELS;
    }

    /** A problem: samples, shape and the parameters to evaluate at. */
    record Problem(Samples reference, Samples data, KernelShape shape, double[] a, double[] mu) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "N_R=%d N_D=%d M=%d d=%d %s", reference.size(), data.size(),
                    shape.kernels(), shape.dimension(), shape.amplitude());
        }
    }

    /** The grid: every (reference size, data size) pair x every M x every d, 90 problems, each seeded by its cell. */
    static List<Problem> grid() {
        List<Problem> list = new ArrayList<>();
        for (int i = 0; i < REFERENCE_SIZES.length; i++) {
            for (int m : KERNELS) {
                for (int d : DIMENSIONS) {
                    list.add(problem(REFERENCE_SIZES[i], DATA_SIZES[i], m, d, 7919L * REFERENCE_SIZES[i] + 131L * m + d));
                }
            }
        }
        return list;
    }

    /**
     * Reference events N(0, 1) per coordinate, data N(0.3, 1.2^2); weights random positive, the reference's
     * scaled by N_D / N_R as in an NPLM problem. Kernels sit on data events (jittered) with coefficients
     * U(-1, 1)/sqrt(M), so f is of order one; every seventh kernel is far (40 sigma) from every event, so its
     * values underflow, and carries a coefficient at the training's clip, +-{@value TrainingConfig#DEFAULT_CLIP}.
     * The amplitude convention varies with the cell, so tiny kernel values (GAUSSIAN and REFERENCE_CODE at
     * d = 12) are covered.
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
            boolean far = i % 7 == 6;
            a[i] = far ? (r.nextBoolean() ? 1 : -1) * TrainingConfig.DEFAULT_CLIP : (2 * r.nextDouble() - 1) / Math.sqrt(m);
            int event = r.nextInt(nData);
            for (int j = 0; j < d; j++) {
                mu[i * d + j] = dx[event * d + j] + 0.1 * r.nextGaussian() + (far ? 40 * sigma : 0);
            }
        }
        return new Problem(Samples.fromFlat(rx, nRef, d, rw), Samples.fromFlat(dx, nData, d, dw), shape, a, mu);
    }

    /**
     * The reference evaluation and the scales the errors are measured against.
     *
     * @param lossScale {@code S_L}
     * @param aScale    the largest |dL/da_i|
     * @param muScale   the largest |dL/dmu_ij|
     * @param hessian   {@code H_ij = d^2 L / da_i da_j}, M x M row-major, or null where not computed
     * @param hScale    the largest |H_ij| (0 where not computed)
     */
    record Reference(double loss, double[] gradA, double[] gradMu, double lossScale, double aScale, double muScale,
                     double[] hessian, double hScale) {
    }

    /**
     * {@code L_NP}, {@code dL/da_i = sum_n g_n k_i(x_n)}, {@code dL/dmu_ij = (a_i / sigma^2) sum_n g_n
     * k_i(x_n) (x_nj - mu_ij)} with {@code g = w e^f} on the reference and {@code -w} on the data, and
     * {@code S_L}, written out event by event in double; with {@code withHessian} also
     * {@code H_ij = sum_R w e^f k_i(x) k_j(x)} (the data term is linear in a).
     */
    static Reference reference(Problem p, boolean withHessian) {
        KernelShape s = p.shape();
        int m = s.kernels();
        int d = s.dimension();
        double amp = s.amplitudeFactor();
        double inv2s2 = 1 / (2 * s.sigma() * s.sigma());
        double[] gradA = new double[m];
        double[] gradMu = new double[m * d];
        double[] k = new double[m];
        double[] hessian = withHessian ? new double[m * m] : null;
        double loss = 0;
        double scale = 0;
        for (int sample = 0; sample < 2; sample++) {
            boolean isRef = sample == 0;
            Samples x = isRef ? p.reference() : p.data();
            for (int n = 0; n < x.size(); n++) {
                double f = 0;
                for (int i = 0; i < m; i++) {
                    double r2 = 0;
                    for (int j = 0; j < d; j++) {
                        double t = x.coordinate(n, j) - p.mu()[i * d + j];
                        r2 += t * t;
                    }
                    k[i] = amp * Math.exp(-r2 * inv2s2);
                    f += p.a()[i] * k[i];
                }
                double w = x.weight(n);
                double g;
                if (isRef) {
                    double ef = Math.exp(f);
                    loss += w * (ef - 1);
                    scale += w * (ef + 1);
                    g = w * ef;
                } else {
                    loss -= w * f;
                    scale += w * Math.abs(f);
                    g = -w;
                }
                if (isRef && withHessian) {
                    for (int i = 0; i < m; i++) {
                        double gk = g * k[i];
                        for (int j = 0; j < m; j++) {
                            hessian[i * m + j] += gk * k[j];
                        }
                    }
                }
                for (int i = 0; i < m; i++) {
                    double gk = g * k[i];
                    gradA[i] += gk;
                    for (int j = 0; j < d; j++) {
                        gradMu[i * d + j] += gk * (x.coordinate(n, j) - p.mu()[i * d + j]);
                    }
                }
            }
        }
        double invS2 = 2 * inv2s2;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                gradMu[i * d + j] *= p.a()[i] * invS2;
            }
        }
        return new Reference(loss, gradA, gradMu, Math.max(scale, Math.abs(loss)), maxAbs(gradA), maxAbs(gradMu),
                hessian, withHessian ? maxAbs(hessian) : 0);
    }

    /** Evaluates {@code p} on {@code engine} once, in a problem bound for the call. */
    static NpEvaluation evaluate(Engine engine, Problem p, EngineSettings settings, GradientRequest request) {
        NpEvaluation out = new NpEvaluation(p.shape());
        try (BoundProblem bound = engine.bind(p.reference(), p.data(), p.shape(), settings)) {
            bound.evaluate(p.a(), p.mu(), request, out);
        }
        return out;
    }

    /**
     * The errors of {@code got} against {@code ref} in the contract's measure: {loss, dL/da, dL/dmu, H}; a
     * part that was not requested counts 0, a NaN counts infinity.
     */
    static double[] errors(NpEvaluation got, Reference ref, GradientRequest request) {
        return new double[] {
                relative(Math.abs(got.loss() - ref.loss()), ref.lossScale()),
                request.wantsCoefficients() ? relative(maxError(got.coefficientGradient(), ref.gradA()), ref.aScale()) : 0,
                request.wantsLocations() ? relative(maxError(got.locationGradient(), ref.gradMu()), ref.muScale()) : 0,
                request.wantsCoefficientHessian()
                        ? relative(maxError(got.coefficientHessian(), ref.hessian()), ref.hScale()) : 0};
    }

    private static double relative(double error, double scale) {
        if (Double.isNaN(error)) {
            return Double.POSITIVE_INFINITY;
        }
        return scale > 0 ? error / scale : error;
    }

    static double maxError(double[] got, double[] want) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double e = Math.abs(got[i] - want[i]);
            worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(worst, e);
        }
        return worst;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
