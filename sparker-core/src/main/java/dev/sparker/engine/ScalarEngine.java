package dev.sparker.engine;

import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;

/**
 * The reference engine: double precision, plain loops, one thread. Every other engine is checked against
 * it, so it stays simple and obviously right.
 *
 * <h2>The Neyman–Pearson loss and its gradient</h2>
 * <pre>
 *   f(x)   = sum_i a_i k_i(x),         k_i(x) = A exp(-|x - mu_i|^2 / (2 sigma^2))
 *   L_NP   = sum_{x in R} w_x (e^{f(x)} - 1)  -  sum_{x in D} w_x f(x)
 * </pre>
 * Differentiating event by event, with {@code g_n = dL_NP/df(x_n)}:
 * <pre>
 *   g_n = w_n e^{f(x_n)}    for a reference event,
 *   g_n = -w_n              for a data event;
 *   df/da_i   = k_i(x)                                  =>  dL/da_i   = sum_n g_n k_i(x_n)
 *   dk_i/dmu_i = k_i(x) (x - mu_i) / sigma^2            =>  dL/dmu_i  = (a_i / sigma^2) sum_n g_n k_i(x_n) (x_n - mu_i)
 * </pre>
 * So one pass over the events gives the loss and both gradients, with one exponential per (event, kernel):
 * for each event the M kernel values are kept in an M-long scratch row (never an n x M matrix), f and
 * {@code g_n} follow, and the row is then folded into the gradient sums.
 */
public final class ScalarEngine implements Engine {
    /**
     * The name users pick this engine by.
     */
    public static final String NAME = "scalar";

    /** Creates the scalar reference engine ({@link java.util.ServiceLoader} calls this). */
    public ScalarEngine() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EngineAvailability availability() {
        return EngineAvailability.yes("plain double-precision loops; always available");
    }

    @Override
    public boolean supports(Precision precision) {
        return precision == Precision.DOUBLE;
    }

    @Override
    public int autoSelectPriority() {
        return 0;
    }

    @Override
    public BoundProblem bind(Samples reference, Samples data, KernelShape shape, EngineSettings settings) {
        Engine.checkBindArguments(reference, data, shape, settings);
        if (!supports(settings.precision())) {
            throw new IllegalArgumentException("the scalar engine computes in DOUBLE only; "
                    + settings.precision() + " was asked for");
        }
        return new Bound(reference, data, shape);
    }

    private static final class Bound implements BoundProblem {
        private final KernelShape shape;
        private final int d;
        private final int m;
        private final double[] refX;
        private final double[] refW;
        private final int nRef;
        private final double[] dataX;
        private final double[] dataW;
        private final int nData;
        private final double[] k;
        private final double[] gradA;
        private final double[] momentSum;

        Bound(Samples reference, Samples data, KernelShape shape) {
            this.shape = shape;
            this.d = shape.dimension();
            this.m = shape.kernels();
            this.refX = reference.flatCoordinates();
            this.refW = reference.weights();
            this.nRef = reference.size();
            this.dataX = data.flatCoordinates();
            this.dataW = data.weights();
            this.nData = data.size();
            this.k = new double[m];
            this.gradA = new double[m];
            this.momentSum = new double[m * d];
        }

        @Override
        public KernelShape shape() {
            return shape;
        }

        @Override
        public void evaluate(double[] a, double[] mu, GradientRequest request, NpEvaluation out) {
            if (a.length != m || mu.length != m * d) {
                throw new IllegalArgumentException("parameters have M = " + a.length + ", mu length " + mu.length
                        + " but the problem was bound for M = " + m + ", d = " + d);
            }
            java.util.Arrays.fill(gradA, 0);
            java.util.Arrays.fill(momentSum, 0);
            boolean wantMu = request.wantsLocations();
            boolean wantAny = request.wantsCoefficients() || wantMu;
            double amp = shape.amplitudeFactor();
            double inv2s2 = 1.0 / (2 * shape.sigma() * shape.sigma());

            // sum_{R} w (e^f - 1)
            double refSum = 0;
            for (int n = 0; n < nRef; n++) {
                double f = kernelRow(refX, n, mu, a, amp, inv2s2);
                double ef = Math.exp(f);
                refSum += refW[n] * (ef - 1);
                if (wantAny) {
                    accumulate(refX, n, mu, refW[n] * ef, wantMu);
                }
            }
            // - sum_{D} w f
            double dataSum = 0;
            for (int n = 0; n < nData; n++) {
                double f = kernelRow(dataX, n, mu, a, amp, inv2s2);
                dataSum += dataW[n] * f;
                if (wantAny) {
                    accumulate(dataX, n, mu, -dataW[n], wantMu);
                }
            }
            out.setLoss(refSum - dataSum);
            if (request.wantsCoefficients()) {
                System.arraycopy(gradA, 0, out.coefficientGradient(), 0, m);
            }
            if (wantMu) {
                double invS2 = 1.0 / (shape.sigma() * shape.sigma());
                double[] gMu = out.locationGradient();
                for (int i = 0; i < m; i++) {
                    double scale = a[i] * invS2;
                    for (int j = 0; j < d; j++) {
                        gMu[i * d + j] = scale * momentSum[i * d + j];
                    }
                }
            }
        }

        /** Fills {@code k[i] = k_i(x_n)} and returns {@code f(x_n)}. */
        private double kernelRow(double[] x, int n, double[] mu, double[] a, double amp, double inv2s2) {
            double f = 0;
            int base = n * d;
            for (int i = 0; i < m; i++) {
                double r2 = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[base + j] - mu[i * d + j];
                    r2 += diff * diff;
                }
                double ki = amp * Math.exp(-r2 * inv2s2);
                k[i] = ki;
                f += a[i] * ki;
            }
            return f;
        }

        /** Adds event n's share {@code g k_i} to dL/da and {@code g k_i (x - mu_i)} to the location moments. */
        private void accumulate(double[] x, int n, double[] mu, double g, boolean wantMu) {
            int base = n * d;
            for (int i = 0; i < m; i++) {
                double gk = g * k[i];
                gradA[i] += gk;
                if (wantMu) {
                    for (int j = 0; j < d; j++) {
                        momentSum[i * d + j] += gk * (x[base + j] - mu[i * d + j]);
                    }
                }
            }
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
