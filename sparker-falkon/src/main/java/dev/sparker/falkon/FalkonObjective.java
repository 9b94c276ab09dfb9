package dev.sparker.falkon;

import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Falkon-NPLM objective for fixed Nystrom centres, with its gradient, Hessian and Hessian-vector product,
 * each computed by streaming over the events: the n x M kernel matrix is never held, only one M-long kernel
 * row per event and thread.
 *
 * <h2>The objective</h2>
 * Pool the {@code n = N_R + N_D} events, label data {@code y = 1} and reference {@code y = 0}, and let
 * {@code f(x) = sum_j alpha_j k(x, c_j)}, {@code k(x, c) = exp(-|x - c|^2 / (2 sigma^2))}. Then
 * <pre>
 *   J(alpha) = (1/n) sum_i w_i l(y_i, f(x_i))  +  (lambda/2) alpha^T K_MM alpha
 *   l(1, f) = log(1 + e^-f)                      (data event)
 *   l(0, f) = log(1 + e^f)                       (reference event)
 * </pre>
 * where {@code w_i} is the event's own weight from its {@link Samples}. With data weights 1 and reference
 * weights {@code w = N0/N_R} this is exactly the community's {@code y log(1+e^-f) + w (1-y) log(1+e^f)}; with
 * Monte Carlo event weights each event's loss is multiplied by its weight, for data and reference alike, so
 * that the population minimiser is {@code f* = log(sum-of-data-weights density / sum-of-reference-weights
 * density)}, the same quantity the Neyman-Pearson loss estimates. The average is over the event count
 * {@code n}, not the total weight, so minimising {@code J} is minimising
 * {@code sum_i w_i l_i + (n lambda / 2) alpha^T K_MM alpha}: at fixed lambda the relative penalty strength
 * grows with the sample size like the community's Falkon setting.
 *
 * <h2>Derivatives</h2>
 * With {@code s = 1/(1+e^-f)}: {@code dl(1,f)/df = s - 1}, {@code dl(0,f)/df = s}, and for both labels
 * {@code d2l/df2 = s (1 - s)}. Writing {@code v_i = w_i dl_i/df} and {@code h_i = w_i s_i (1 - s_i)} and
 * {@code k_i} for the M-vector {@code (k(x_i, c_j))_j}:
 * <pre>
 *   grad J = (1/n) sum_i v_i k_i           + lambda K_MM alpha
 *   H      = (1/n) sum_i h_i k_i k_i^T     + lambda K_MM
 *   H u    = (1/n) sum_i h_i (k_i . u) k_i + lambda K_MM u
 * </pre>
 *
 * <h2>Determinism</h2>
 * The events are cut into a fixed number of contiguous partitions that depends only on {@code n}; each
 * partition is summed in event order, and the partition sums are added in partition order. The threads only
 * decide which partition is computed where, so the result is bit-for-bit the same for any thread count.
 *
 * <p>An instance holds a thread pool when {@code threads > 1}: close it. Not thread-safe; use one per test.
 */
public final class FalkonObjective implements AutoCloseable {
    /** At most this many partitions; enough to keep 32 threads busy, few enough to keep partial sums cheap. */
    static final int MAX_PARTITIONS = 32;

    private final int n;
    private final int nRef;
    private final int d;
    private final int m;
    private final double[] x;
    private final double[] w;
    private final double[] centres;
    private final double[] centreWeights;
    private final boolean[] centreIsData;
    private final double sigma;
    private final double inv2s2;
    private final double lambda;
    private final double[] kmm;
    private final int threads;
    private final int partitions;
    private final ExecutorService pool;

    /**
     * The objective {@code J(alpha)} of Falkon-NPLM for fixed centres: weighted logistic loss averaged over the
     * pooled events plus the ridge penalty (Letizia et al. 2022, the paper's baseline). Closes its thread pool
     * with {@link #close()}.
     *
     * @param reference      the reference sample ({@code y = 0})
     * @param data           the data sample ({@code y = 1})
     * @param centreIndices  the centres as indices into the pooled events: {@code 0 .. N_R-1} are reference events,
     *                       {@code N_R .. n-1} data events; duplicates are allowed but make {@code K_MM} singular
     * @param sigma          kernel width, finite and {@code > 0}
     * @param lambda         ridge penalty, finite and {@code > 0}
     * @param threads        threads for the streaming passes, at least 1
     */
    public FalkonObjective(Samples reference, Samples data, int[] centreIndices, double sigma, double lambda, int threads) {
        if (reference == null || data == null) {
            throw new IllegalArgumentException("reference and data samples must not be null");
        }
        if (reference.dimension() != data.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: reference events have " + reference.dimension()
                    + " coordinates but data events have " + data.dimension());
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("kernel width sigma = " + sigma + "; sigma must be finite and > 0");
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("ridge penalty lambda = " + lambda + "; lambda must be finite and > 0");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + "; at least one thread is needed");
        }
        this.nRef = reference.size();
        this.n = nRef + data.size();
        this.d = reference.dimension();
        if (centreIndices == null || centreIndices.length < 1) {
            throw new IllegalArgumentException("number of Nystrom centres M = "
                    + (centreIndices == null ? 0 : centreIndices.length) + "; M must be at least 1");
        }
        this.m = centreIndices.length;
        this.x = new double[n * d];
        System.arraycopy(reference.flatCoordinates(), 0, x, 0, nRef * d);
        System.arraycopy(data.flatCoordinates(), 0, x, nRef * d, (n - nRef) * d);
        this.w = new double[n];
        System.arraycopy(reference.weights(), 0, w, 0, nRef);
        System.arraycopy(data.weights(), 0, w, nRef, n - nRef);
        this.centres = new double[m * d];
        this.centreWeights = new double[m];
        this.centreIsData = new boolean[m];
        for (int j = 0; j < m; j++) {
            int i = centreIndices[j];
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("centre index " + i + " (centre " + j + ") is outside the "
                        + n + " pooled events");
            }
            System.arraycopy(x, i * d, centres, j * d, d);
            centreWeights[j] = w[i];
            centreIsData[j] = i >= nRef;
        }
        this.sigma = sigma;
        this.inv2s2 = 1.0 / (2 * sigma * sigma);
        this.lambda = lambda;
        this.kmm = new double[m * m];
        for (int a = 0; a < m; a++) {
            kmm[a * m + a] = 1.0;
            for (int b = 0; b < a; b++) {
                double r2 = 0;
                for (int k = 0; k < d; k++) {
                    double diff = centres[a * d + k] - centres[b * d + k];
                    r2 += diff * diff;
                }
                double v = Math.exp(-r2 * inv2s2);
                kmm[a * m + b] = v;
                kmm[b * m + a] = v;
            }
        }
        this.threads = threads;
        this.partitions = Math.min(MAX_PARTITIONS, n);
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "falkon-stream");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * {@return the number of pooled events {@code n = N_R + N_D}}
     */
    public int events() {
        return n;
    }

    /**
     * {@return the number of centres {@code M}}
     */
    public int centres() {
        return m;
    }

    /**
     * {@return the number of features d}
     */
    public int dimension() {
        return d;
    }

    /**
     * {@return the kernel width sigma}
     */
    public double sigma() {
        return sigma;
    }

    /**
     * {@return the ridge penalty lambda}
     */
    public double lambda() {
        return lambda;
    }

    /**
     * {@return a copy of the centre coordinates, row-major {@code M x d}}
     */
    public double[] centreCoordinates() {
        return centres.clone();
    }

    /**
     * {@return a copy of {@code K_MM}, row-major M x M}
     */
    public double[] kernelMatrix() {
        return kmm.clone();
    }

    double[] kmmView() {
        return kmm;
    }

    /** {@code K_MM u}. */
    double[] kmmTimes(double[] u) {
        double[] out = new double[m];
        for (int a = 0; a < m; a++) {
            double s = 0;
            for (int b = 0; b < m; b++) {
                s += kmm[a * m + b] * u[b];
            }
            out[a] = s;
        }
        return out;
    }

    /**
     * {@return the objective, its gradient and the NP loss at {@code alpha}; the Hessian too when asked
     * ({@code O(n M^2)})}
     *
     * @param alpha       the M coefficients
     * @param withHessian whether to form the M x M Hessian
     */
    public Evaluation evaluate(double[] alpha, boolean withHessian) {
        return evaluate(alpha, withHessian, null, 0);
    }

    /**
     * As {@link #evaluate(double[], boolean)}, but when {@code basis} is given (row-major {@code r x M}, rows
     * {@code b_k}) the Hessian is accumulated in the coordinates {@code gamma} of {@code alpha = basis^T gamma}:
     * {@code (1/n) sum_i h_i phi_i phi_i^T + lambda basis K_MM basis^T}, {@code phi_i = basis k_i}, an
     * {@code r x r} matrix at {@code n (M r + r^2 / 2)} multiply-adds instead of {@code n M^2 / 2}.
     */
    Evaluation evaluate(double[] alpha, boolean withHessian, double[] basis, int rank) {
        checkLength(alpha, "alpha");
        boolean zero = true;
        for (double a : alpha) {
            if (!Double.isFinite(a)) {
                throw new IllegalArgumentException("alpha has a non-finite entry " + a);
            }
            zero &= a == 0;
        }
        final boolean alphaIsZero = zero;
        double[] curvature = new double[n];
        final int hd = basis == null ? m : rank;
        Partial total = new Partial(m, withHessian ? hd : 0);
        runPartitions(total, withHessian ? hd : 0, (p, acc, row) -> {
            int lo = lo(p);
            int hi = lo(p + 1);
            double[] phi = basis == null ? row : new double[hd];
            for (int i = lo; i < hi; i++) {
                kernelRow(i, row);
                double f = 0;
                if (!alphaIsZero) {
                    for (int j = 0; j < m; j++) {
                        f += alpha[j] * row[j];
                    }
                }
                double wi = w[i];
                double s = sigmoid(f);
                double v;
                if (i >= nRef) {
                    // data: l = log(1 + e^-f), l' = s - 1; NP term -w f
                    acc.loss += wi * softplus(-f);
                    v = wi * (s - 1);
                    acc.np -= wi * f;
                } else {
                    // reference: l = log(1 + e^f), l' = s; NP term w (e^f - 1)
                    acc.loss += wi * softplus(f);
                    v = wi * s;
                    acc.np += wi * Math.expm1(f);
                }
                double h = wi * s * (1 - s);
                curvature[i] = h;
                double[] g = acc.vector;
                for (int j = 0; j < m; j++) {
                    g[j] += v * row[j];
                }
                if (acc.hessian != null) {
                    if (basis != null) {
                        for (int k = 0; k < hd; k++) {
                            double sum = 0;
                            int base = k * m;
                            for (int j = 0; j < m; j++) {
                                sum += basis[base + j] * row[j];
                            }
                            phi[k] = sum;
                        }
                    }
                    double[] hs = acc.hessian;
                    // lower triangle of h phi phi^T (phi = k, or basis k); mirrored once at the end
                    for (int j = 0; j < hd; j++) {
                        double hj = h * phi[j];
                        int base = j * hd;
                        for (int k = 0; k <= j; k++) {
                            hs[base + k] += hj * phi[k];
                        }
                    }
                }
            }
        });
        double invN = 1.0 / n;
        double[] ka = kmmTimes(alpha);
        double penalty = 0;
        double[] grad = new double[m];
        for (int j = 0; j < m; j++) {
            penalty += alpha[j] * ka[j];
            grad[j] = total.vector[j] * invN + lambda * ka[j];
        }
        double objective = total.loss * invN + 0.5 * lambda * penalty;
        double[] hessian = null;
        if (withHessian) {
            hessian = total.hessian;
            double[] pen = basis == null ? kmm : projectedKmm(basis, hd);
            for (int a = 0; a < hd; a++) {
                for (int b = 0; b <= a; b++) {
                    double v = hessian[a * hd + b] * invN + lambda * pen[a * hd + b];
                    hessian[a * hd + b] = v;
                    hessian[b * hd + a] = v;
                }
            }
        }
        return new Evaluation(alpha.clone(), objective, grad, hessian, total.np, curvature);
    }

    /**
     * The Nystrom features {@code phi_i = basis k_i} of every event, row-major {@code n x r}, in one streaming
     * pass. Only for {@code r} well below {@code M}: this is the one n-long table the direct path may keep.
     */
    double[] features(double[] basis, int r) {
        double[] phi = new double[Math.multiplyExact(n, r)];
        // basis transposed (M x r): phi_i accumulates r independent sums, one axpy per centre, so the
        // loop is not bound by the latency of a single running sum
        double[] bt = new double[m * r];
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                bt[j * r + k] = basis[k * m + j];
            }
        }
        runPartitions(new Partial(m, 0), 0, (p, acc, row) -> {
            double[] out = new double[r];
            for (int i = lo(p), hi = lo(p + 1); i < hi; i++) {
                kernelRow(i, row);
                java.util.Arrays.fill(out, 0);
                for (int j = 0; j < m; j++) {
                    double kj = row[j];
                    int base = j * r;
                    for (int k = 0; k < r; k++) {
                        out[k] += kj * bt[base + k];
                    }
                }
                System.arraycopy(out, 0, phi, i * r, r);
            }
        });
        return phi;
    }

    /**
     * The objective in the coordinates {@code gamma} ({@code alpha = basis^T gamma}) from cached features:
     * {@code f_i = phi_i . gamma}, gradient {@code (1/n) sum v_i phi_i + lambda P gamma} and, when asked,
     * {@code (1/n) sum h_i phi_i phi_i^T + lambda P}, with {@code P = basis K_MM basis^T}. One thread, event
     * order; {@code O(n r^2)}. The evaluation's {@link Evaluation#alpha()} holds {@code gamma}.
     */
    Evaluation evaluateFeatures(double[] phi, int r, double[] penalty, double[] gamma, boolean withHessian) {
        double loss = 0;
        double np = 0;
        double[] g = new double[r];
        double[] hs = withHessian ? new double[r * r] : null;
        double[] curvature = new double[n];
        for (int i = 0; i < n; i++) {
            int base = i * r;
            double f = 0;
            for (int k = 0; k < r; k++) {
                f += phi[base + k] * gamma[k];
            }
            double wi = w[i];
            double s = sigmoid(f);
            double v;
            if (i >= nRef) {
                loss += wi * softplus(-f);
                v = wi * (s - 1);
                np -= wi * f;
            } else {
                loss += wi * softplus(f);
                v = wi * s;
                np += wi * Math.expm1(f);
            }
            double h = wi * s * (1 - s);
            curvature[i] = h;
            for (int k = 0; k < r; k++) {
                g[k] += v * phi[base + k];
            }
            if (hs != null) {
                for (int a = 0; a < r; a++) {
                    double ha = h * phi[base + a];
                    for (int b = 0; b <= a; b++) {
                        hs[a * r + b] += ha * phi[base + b];
                    }
                }
            }
        }
        double invN = 1.0 / n;
        double quad = 0;
        double[] grad = new double[r];
        for (int a = 0; a < r; a++) {
            double pg = 0;
            for (int b = 0; b < r; b++) {
                pg += penalty[a * r + b] * gamma[b];
            }
            quad += gamma[a] * pg;
            grad[a] = g[a] * invN + lambda * pg;
        }
        if (hs != null) {
            for (int a = 0; a < r; a++) {
                for (int b = 0; b <= a; b++) {
                    double v = hs[a * r + b] * invN + lambda * penalty[a * r + b];
                    hs[a * r + b] = v;
                    hs[b * r + a] = v;
                }
            }
        }
        return new Evaluation(gamma.clone(), loss * invN + 0.5 * lambda * quad, grad, hs, np, curvature);
    }

    /** {@code basis K_MM basis^T}, {@code r x r}. */
    double[] projectedKmm(double[] basis, int r) {
        double[] bk = new double[r * m];
        for (int k = 0; k < r; k++) {
            double[] row = java.util.Arrays.copyOfRange(basis, k * m, (k + 1) * m);
            double[] v = kmmTimes(row);
            System.arraycopy(v, 0, bk, k * m, m);
        }
        double[] out = new double[r * r];
        for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += bk[a * m + j] * basis[b * m + j];
                }
                out[a * r + b] = s;
            }
        }
        return out;
    }

    /**
     * {@return {@code H u} with the Hessian at the point of {@code at}, in one streaming pass ({@code O(n M)})}
     *
     * @param at an evaluation (its point and per-event curvature)
     * @param u  a vector of length M
     */
    public double[] hessianTimes(Evaluation at, double[] u) {
        checkLength(u, "u");
        double[] curvature = at.curvature;
        Partial total = new Partial(m, 0);
        runPartitions(total, 0, (p, acc, row) -> {
            int lo = lo(p);
            int hi = lo(p + 1);
            double[] out = acc.vector;
            for (int i = lo; i < hi; i++) {
                kernelRow(i, row);
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += u[j] * row[j];
                }
                double c = curvature[i] * s;
                for (int j = 0; j < m; j++) {
                    out[j] += c * row[j];
                }
            }
        });
        double[] ku = kmmTimes(u);
        double invN = 1.0 / n;
        double[] out = new double[m];
        for (int j = 0; j < m; j++) {
            out[j] = total.vector[j] * invN + lambda * ku[j];
        }
        return out;
    }

    /**
     * {@return {@code f(x_i)} for every pooled event (reference first, then data), in one streaming pass}
     *
     * @param alpha the M coefficients
     */
    public double[] predict(double[] alpha) {
        checkLength(alpha, "alpha");
        double[] f = new double[n];
        runPartitions(new Partial(m, 0), 0, (p, acc, row) -> {
            for (int i = lo(p), hi = lo(p + 1); i < hi; i++) {
                kernelRow(i, row);
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += alpha[j] * row[j];
                }
                f[i] = s;
            }
        });
        return f;
    }

    /** {@code row[j] = exp(-|x_i - c_j|^2 / (2 sigma^2))}; the hot loop of every pass. */
    private void kernelRow(int i, double[] row) {
        if (d == 1) {
            double xi = x[i];
            for (int j = 0; j < m; j++) {
                double diff = xi - centres[j];
                row[j] = Math.exp(-(diff * diff) * inv2s2);
            }
            return;
        }
        int base = i * d;
        for (int j = 0; j < m; j++) {
            double r2 = 0;
            int cb = j * d;
            for (int k = 0; k < d; k++) {
                double diff = x[base + k] - centres[cb + k];
                r2 += diff * diff;
            }
            row[j] = Math.exp(-r2 * inv2s2);
        }
    }

    private int lo(int partition) {
        return (int) ((long) partition * n / partitions);
    }

    private interface PartitionPass {
        void run(int partition, Partial acc, double[] row);
    }

    /** Per-partition sums: a loss, an NP loss, an M-vector and optionally an M x M lower triangle. */
    private static final class Partial {
        double loss;
        double np;
        final double[] vector;
        final double[] hessian;

        Partial(int m, int hessianSize) {
            vector = new double[m];
            this.hessian = hessianSize > 0 ? new double[hessianSize * hessianSize] : null;
        }

        void reset() {
            loss = 0;
            np = 0;
            java.util.Arrays.fill(vector, 0);
            if (hessian != null) {
                java.util.Arrays.fill(hessian, 0);
            }
        }

        void addTo(Partial total) {
            total.loss += loss;
            total.np += np;
            for (int j = 0; j < vector.length; j++) {
                total.vector[j] += vector[j];
            }
            if (hessian != null) {
                for (int j = 0; j < hessian.length; j++) {
                    total.hessian[j] += hessian[j];
                }
            }
        }
    }

    /**
     * Runs {@code pass} over every partition and adds the partition sums into {@code total} in partition order.
     * Partitions go out in waves of {@code threads}, one reusable accumulator per slot, so the memory is
     * {@code threads} partial sums (an M x M each for the Hessian) whatever the partition count.
     */
    private void runPartitions(Partial total, int hessianSize, PartitionPass pass) {
        int slots = Math.min(threads, partitions);
        Partial[] acc = new Partial[slots];
        double[][] rows = new double[slots][m];
        for (int s = 0; s < slots; s++) {
            acc[s] = new Partial(m, hessianSize);
        }
        for (int wave = 0; wave < partitions; wave += slots) {
            int count = Math.min(slots, partitions - wave);
            if (pool == null || count == 1) {
                for (int s = 0; s < count; s++) {
                    acc[s].reset();
                    pass.run(wave + s, acc[s], rows[s]);
                    acc[s].addTo(total);
                }
                continue;
            }
            List<Callable<Void>> tasks = new ArrayList<>(count);
            for (int s = 0; s < count; s++) {
                final int slot = s;
                final int partition = wave + s;
                tasks.add(() -> {
                    acc[slot].reset();
                    pass.run(partition, acc[slot], rows[slot]);
                    return null;
                });
            }
            try {
                List<Future<Void>> done = pool.invokeAll(tasks);
                for (Future<Void> f : done) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a streaming pass", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("a streaming pass failed", cause);
            }
            for (int s = 0; s < count; s++) {
                acc[s].addTo(total);
            }
        }
    }

    private void checkLength(double[] v, String name) {
        if (v == null || v.length != m) {
            throw new IllegalArgumentException(name + " must have length M = " + m + " but has "
                    + (v == null ? "null" : v.length));
        }
    }

    /** {@code 1 / (1 + e^-f)} without overflow for large |f|. */
    static double sigmoid(double f) {
        if (f >= 0) {
            return 1.0 / (1.0 + Math.exp(-f));
        }
        double e = Math.exp(f);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^f)} without overflow for large f. */
    static double softplus(double f) {
        return f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * The objective's value and gradient at one point, the Neyman-Pearson loss of {@code f} there, and the
     * Hessian when it was asked for.
     */
    public static final class Evaluation {
        private final double[] alpha;
        private final double objective;
        private final double[] gradient;
        private final double[] hessian;
        private final double npLoss;
        final double[] curvature;

        Evaluation(double[] alpha, double objective, double[] gradient, double[] hessian, double npLoss,
                   double[] curvature) {
            this.alpha = alpha;
            this.objective = objective;
            this.gradient = gradient;
            this.hessian = hessian;
            this.npLoss = npLoss;
            this.curvature = curvature;
        }

        /**
         * {@return a copy of the point}
         */
        public double[] alpha() {
            return alpha.clone();
        }

        /**
         * {@return {@code J(alpha)}}
         */
        public double objective() {
            return objective;
        }

        /**
         * {@return a copy of {@code grad J(alpha)}, length M}
         */
        public double[] gradient() {
            return gradient.clone();
        }

        /**
         * {@return a copy of the Hessian, row-major M x M, or null when it was not asked for}
         */
        public double[] hessian() {
            return hessian == null ? null : hessian.clone();
        }

        /** {@code (1/n) sum_i h_i}, the mean curvature of the loss at this point. */
        double meanCurvature() {
            double s = 0;
            for (double h : curvature) {
                s += h;
            }
            return s / curvature.length;
        }

        double[] hessianView() {
            return hessian;
        }

        double[] gradientView() {
            return gradient;
        }

        /**
         * {@return {@code L_NP = sum_R w (e^f - 1) - sum_D w f} of {@code f = sum_j alpha_j k(., c_j)}}
         */
        public double npLoss() {
            return npLoss;
        }
    }
}
