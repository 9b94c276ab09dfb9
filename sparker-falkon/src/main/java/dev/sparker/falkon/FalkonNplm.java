package dev.sparker.falkon;

import dev.sparker.model.DistinctDraw;
import dev.sparker.model.Samples;
import dev.sparker.train.WidthHeuristic;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * The Falkon-NPLM baseline (Letizia et al. 2022) as the NPLM community runs it: kernel logistic regression
 * on a Nystrom basis, fitted by Newton steps, scored with the Neyman-Pearson loss.
 *
 * <ol>
 *   <li>{@code M} centres are drawn without replacement from the pooled reference and data events (seeded by
 *       {@link FalkonConfig#seed()}).</li>
 *   <li>The width {@code sigma} follows SparKer's rule ({@link WidthHeuristic}, the same seed salt as
 *       {@code dev.sparker.train.Trainer}, so one seed gives both models the same sigma).</li>
 *   <li>From {@code alpha = 0}, {@link FalkonConfig#newtonSteps()} pure Newton steps
 *       {@code alpha <- alpha - H^-1 grad J} on the objective of {@link FalkonObjective} (no line search).</li>
 *   <li>{@code t = -2 L_NP(f)}, {@code f(x) = sum_j alpha_j k(x, c_j)}, evaluated in the same streaming pass
 *       as the final objective (checked against {@code dev.sparker.loss.NeymanPearsonLoss} in the tests).</li>
 * </ol>
 *
 * <h2>The Nystrom basis</h2>
 * The Gaussian {@code K_MM} is numerically singular as soon as centres crowd (in one dimension with the 90 %
 * quantile width, already for a few tens of centres), and so is {@code H} with a small lambda. In those
 * directions {@code f} is not determined: an eigen-direction of {@code K_MM} with eigenvalue {@code mu}
 * changes the fitted {@code f} by a fraction of about {@code mu hbar / (lambda M)} of a well-determined one
 * ({@code hbar} the mean curvature), but it carries rounding noise amplified by {@code 1/mu}. So EJML's
 * symmetric eigen-decomposition {@code K_MM = U diag(mu) U^T} is taken once per test, the directions with
 * {@code mu < } {@link FalkonConfig#eigenCutoff()} {@code x mu_max} are dropped, and the Newton system is solved
 * in the coordinates {@code gamma} of {@code alpha = W^T gamma}, {@code W = diag(mu_r^-1/2) U_r^T} ({@code r x M}).
 * There {@code W K_MM W^T = I}, so the penalty is {@code (lambda/2)|gamma|^2} and the Newton matrix
 * {@code H_gamma = W H W^T} is at least {@code lambda I}: positive definite, factorised by EJML's Cholesky.
 * When no direction is dropped this is the exact Newton step in {@code alpha}. (A jittered Cholesky of
 * {@code K_MM}, Falkon's own choice, was tried first: on EXPO-1D with M = 1000 its preconditioned CG stalled
 * at a relative residual of 1e-2 because the jitter spreads the many irrelevant directions over the
 * spectrum and the rounding noise of {@code L^-1} swamps them.)
 *
 * <h2>Solving the Newton system</h2>
 * <b>Direct</b>: one streaming pass accumulates {@code H_gamma = (1/n) sum h_i phi_i phi_i^T + lambda I},
 * {@code phi_i = W k_i}, at {@code n (M r + r^2/2)} multiply-adds beside the {@code n M} exponentials; then
 * Cholesky and two triangular solves. While the {@code n x r} table of the {@code phi_i} fits in
 * {@link #FEATURE_CACHE_LIMIT} entries it is kept (it is not an n x M matrix: in one dimension r is near 10 to 30),
 * and since {@code f_i = phi_i . gamma} every further Newton step and the final score are {@code O(n r^2)}
 * without a kernel evaluation: one kernel pass per test.
 *
 * <p><b>Conjugate gradient</b>, as Falkon (Rudi et al. 2017; Meanti et al. 2020): the centres are a uniform
 * subsample of the events, so {@code (1/n) sum_i h_i k_i k_i^T ~ (1/M) K_MM D K_MM}. Falkon's logistic
 * preconditioner puts each centre's own curvature in {@code D}; here the reference weight is a hundred times
 * the data weight's inverse and that estimate rests on the one percent of centres that are data events, so
 * {@code D = hbar I} with the mean curvature {@code hbar = (1/n) sum h_i}. In the {@code gamma} coordinates the
 * preconditioner is then diagonal, {@code P = hbar diag(mu_r) / M + lambda I}, and each CG iteration costs one
 * streaming Hessian-vector product ({@code n M} exponentials, {@code 2 n M} multiply-adds) plus
 * {@code O(M r)}. CG stops at relative residual {@link FalkonConfig#cgTolerance()}.
 *
 * <p><b>Where to switch.</b> What decides is the retained rank {@code r}, not {@code M}: a direct step costs
 * one pass with {@code M r + r^2/2} multiply-adds per event, a CG step (iterations + 1) passes with about
 * {@code 2 M}. With {@link FalkonSolver#AUTO} the CG path is used when {@code r >= }
 * {@link FalkonConfig#cgSwitchPoint()} (default 1000, so never below M = 1000): at {@code r = 1000} a direct
 * pass costs about {@code 1.5e3 n M} multiply-adds, while 20 to 50 CG iterations cost 40 to 100 {@code n M}
 * multiply-adds plus their exponentials (each worth 10 to 20), so CG is ahead by a few times; at
 * {@code r = 100} the direct pass (about {@code 150 n M}) is ahead. In one dimension {@code r} stays near 30
 * even for M = 1000, and the direct path is the faster one (README, "Falkon-NPLM baseline", has the timings).
 * The switch point is configurable and either path can be forced.
 *
 * <p>Stateless and thread-safe; prints nothing. Bad input throws {@link IllegalArgumentException} naming it;
 * a non-finite objective after a step throws {@link ArithmeticException} naming the step.
 */
public final class FalkonNplm {
    /** The same salt as the SparKer trainer's width subsample, so one seed gives both models the same sigma. */
    static final long WIDTH_SEED_SALT = 0x5DEECE66DL;
    /** Unit roundoff of double precision. */
    static final double EPS = Math.ulp(1.0);
    private static final int MAX_JITTER_RAISES = 24;
    /**
     * The direct path keeps the n x r feature table {@code phi_i = W k_i} when it has at most this many entries
     * (256 MiB): then the kernel is evaluated in one pass per test instead of one per Newton step plus one.
     */
    static final long FEATURE_CACHE_LIMIT = 32L << 20;
    /** Up to this many centres the full eigen-decomposition is cheap enough; above it the subspace method first. */
    static final int SUBSPACE_MIN_CENTRES = 256;
    static final int SUBSPACE_START_BLOCK = 64;
    static final int SUBSPACE_POWER_ITERATIONS = 3;

    private FalkonNplm() {
    }

    /**
     * Runs the Falkon-NPLM test: draws M centres, fits alpha by Newton steps and scores {@code t = -2 L_NP(f)}.
     * Validates, prints nothing, thread-safe.
     *
     * @param reference the reference sample R (weights {@code N0 / N_R} or per event)
     * @param data      the data sample D
     * @param config    centres, lambda, width, Newton steps and solver
     * @return t, the fitted model and how it was solved
     * @throws IllegalArgumentException naming a bad input: an empty sample, dimensions that differ, M larger than
     *                                  the pooled sample
     */
    public static FalkonResult test(Samples reference, Samples data, FalkonConfig config) {
        return test(reference, data, config, true);
    }

    /** As {@link #test(Samples, Samples, FalkonConfig)}; {@code cacheFeatures = false} forces the cache-free direct path (tests). */
    static FalkonResult test(Samples reference, Samples data, FalkonConfig config, boolean cacheFeatures) {
        long start = System.nanoTime();
        if (config == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        if (reference == null || data == null) {
            throw new IllegalArgumentException("reference and data samples must not be null");
        }
        if (reference.dimension() != data.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: reference events have " + reference.dimension()
                    + " coordinates but data events have " + data.dimension());
        }
        int pooled = reference.size() + data.size();
        int m = config.centres();
        if (m > pooled) {
            throw new IllegalArgumentException("number of Nystrom centres M = " + m + " exceeds the " + pooled
                    + " pooled events (" + reference.size() + " reference + " + data.size()
                    + " data); centres are drawn without replacement");
        }
        double sigma = WidthHeuristic.resolve(config.width(), reference, config.seed() ^ WIDTH_SEED_SALT);
        int[] centreIndices = drawCentres(pooled, m, config.seed());
        double[] alpha = new double[m];
        int[] cgIterations = new int[config.newtonSteps()];
        try (FalkonObjective objective = new FalkonObjective(reference, data, centreIndices, sigma,
                config.lambda(), config.threads())) {
            Basis basis = basis(objective, config.eigenCutoff());
            int r = basis.rank;
            FalkonSolver solver = switch (config.solver()) {
                case AUTO -> r >= config.cgSwitchPoint() ? FalkonSolver.CONJUGATE_GRADIENT : FalkonSolver.DIRECT;
                default -> config.solver();
            };
            boolean direct = solver == FalkonSolver.DIRECT;
            double gradientNorm;
            FalkonObjective.Evaluation fin;
            if (direct && cacheFeatures && (long) objective.events() * r <= FEATURE_CACHE_LIMIT) {
                // one kernel pass for phi_i = W k_i; every Newton step and the final score then cost O(n r^2)
                double[] phi = objective.features(basis.w, r);
                double[] penalty = objective.projectedKmm(basis.w, r);
                double[] gamma = new double[r];
                for (int step = 1; step <= config.newtonSteps(); step++) {
                    FalkonObjective.Evaluation at = objective.evaluateFeatures(phi, r, penalty, gamma, true);
                    requireFinite(at.objective(), step, "objective before the step");
                    double[] deltaGamma = choleskySolve(at.hessianView(), at.gradientView(), r);
                    for (int k = 0; k < r; k++) {
                        gamma[k] += deltaGamma[k];
                    }
                    requireFiniteVector(gamma, step);
                }
                fin = objective.evaluateFeatures(phi, r, penalty, gamma, false);
                gradientNorm = norm(fin.gradientView());
                alpha = basis.lift(gamma, m);
            } else {
                for (int step = 1; step <= config.newtonSteps(); step++) {
                    FalkonObjective.Evaluation at = objective.evaluate(alpha, direct, basis.w, r);
                    requireFinite(at.objective(), step, "objective before the step");
                    double[] gGamma = basis.project(at.gradientView(), m);
                    double[] deltaGamma;
                    if (direct) {
                        deltaGamma = choleskySolve(at.hessianView(), gGamma, r);
                    } else {
                        CgStep s = cgStep(objective, at, basis, gGamma, config);
                        deltaGamma = s.delta;
                        cgIterations[step - 1] = s.iterations;
                    }
                    double[] delta = basis.lift(deltaGamma, m);
                    for (int j = 0; j < m; j++) {
                        alpha[j] += delta[j];
                    }
                    requireFiniteVector(alpha, step);
                }
                fin = objective.evaluate(alpha, false);
                gradientNorm = norm(basis.project(fin.gradientView(), m));
            }
            requireFinite(fin.objective(), config.newtonSteps(), "objective after the step");
            requireFinite(fin.npLoss(), config.newtonSteps(), "NP loss after the step");
            return new FalkonResult(-2 * fin.npLoss(), fin.npLoss(), fin.objective(), gradientNorm, sigma,
                    reference.dimension(), alpha, objective.centreCoordinates(), centreIndices, solver,
                    cgIterations, r, System.nanoTime() - start, config);
        }
    }

    /** {@code W = diag(mu^-1/2) U^T} over the retained eigen-directions, row-major {@code r x M}, and {@code mu}. */
    record Basis(double[] w, double[] mu, int rank) {
        /** {@code W v}. */
        double[] project(double[] v, int m) {
            double[] out = new double[rank];
            for (int k = 0; k < rank; k++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += w[k * m + j] * v[j];
                }
                out[k] = s;
            }
            return out;
        }

        /** {@code W^T g}. */
        double[] lift(double[] g, int m) {
            double[] out = new double[m];
            for (int k = 0; k < rank; k++) {
                double gk = g[k];
                for (int j = 0; j < m; j++) {
                    out[j] += w[k * m + j] * gk;
                }
            }
            return out;
        }
    }

    /**
     * The retained eigen-directions of {@code K_MM} (eigenvalue above {@code cutoff x mu_max}). For
     * {@code M > } {@link #SUBSPACE_MIN_CENTRES} the spectrum is first sought in a block Krylov subspace
     * ({@link #subspaceBasis}); the full decomposition is the fallback.
     */
    static Basis basis(FalkonObjective objective, double cutoff) {
        int m = objective.centres();
        if (m > SUBSPACE_MIN_CENTRES) {
            Basis b = subspaceBasis(objective.kmmView(), m, cutoff);
            if (b != null) {
                return b;
            }
        }
        return fullBasis(objective.kmmView(), m, cutoff);
    }

    /** EJML's symmetric eigen-decomposition of all of {@code K_MM} ({@code O(M^3)}, a few seconds at M = 1000). */
    static Basis fullBasis(double[] kmm, int m, double cutoff) {
        DMatrixRMaj k = new DMatrixRMaj(m, m);
        System.arraycopy(kmm, 0, k.data, 0, m * m);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(k)) {
            throw new ArithmeticException("eigen-decomposition of the " + m + " x " + m + " kernel matrix K_MM failed");
        }
        int count = eig.getNumberOfEigenvalues();
        double[] values = new double[count];
        double[][] vectors = new double[count][];
        for (int i = 0; i < count; i++) {
            values[i] = eig.getEigenvalue(i).getReal();
            vectors[i] = eig.getEigenVector(i).data;
        }
        return retain(values, vectors, m, cutoff);
    }

    /**
     * Randomised block subspace iteration (Halko, Martinsson and Tropp 2011): {@code Y = K^(q+1) Omega} with a
     * fixed-seed Gaussian {@code M x l} block, re-orthonormalised (EJML QR) after each product, then
     * Rayleigh-Ritz on {@code Q^T K Q}. The Gaussian kernel's spectrum falls steeply, so once the smallest Ritz
     * value is below the cutoff the block holds every retained direction to rounding accuracy; the block
     * doubles until it does, and past {@code M/4} columns this gives up (returns null) for the full
     * decomposition. Cost {@code O(M^2 l)} instead of {@code O(M^3)}.
     */
    static Basis subspaceBasis(double[] kmm, int m, double cutoff) {
        DMatrixRMaj k = DMatrixRMaj.wrap(m, m, kmm);
        SplittableRandom rng = new SplittableRandom(0x5EED_FA1C0L);
        for (int l = SUBSPACE_START_BLOCK; l <= m / 4; l *= 2) {
            DMatrixRMaj q = new DMatrixRMaj(m, l);
            for (int i = 0; i < q.data.length; i++) {
                q.data[i] = gaussian(rng);
            }
            DMatrixRMaj y = new DMatrixRMaj(m, l);
            for (int it = 0; it <= SUBSPACE_POWER_ITERATIONS; it++) {
                CommonOps_DDRM.mult(k, q, y);
                QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(m, l);
                if (!qr.decompose(y)) {
                    return null;
                }
                q = qr.getQ(null, true);
            }
            DMatrixRMaj kq = new DMatrixRMaj(m, l);
            CommonOps_DDRM.mult(k, q, kq);
            DMatrixRMaj small = new DMatrixRMaj(l, l);
            CommonOps_DDRM.multTransA(q, kq, small);
            // symmetrise the rounding away before the symmetric solver
            for (int a = 0; a < l; a++) {
                for (int b = 0; b < a; b++) {
                    double v = 0.5 * (small.get(a, b) + small.get(b, a));
                    small.set(a, b, v);
                    small.set(b, a, v);
                }
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(l, true, true);
            if (!eig.decompose(small)) {
                return null;
            }
            double[] values = new double[l];
            double[][] vectors = new double[l][];
            double max = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < l; i++) {
                values[i] = eig.getEigenvalue(i).getReal();
                max = Math.max(max, values[i]);
                min = Math.min(min, values[i]);
                DMatrixRMaj s = eig.getEigenVector(i);
                DMatrixRMaj u = new DMatrixRMaj(m, 1);
                CommonOps_DDRM.mult(q, s, u);
                vectors[i] = u.data;
            }
            if (min <= cutoff * max) {
                return retain(values, vectors, m, cutoff);
            }
        }
        return null;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; any fixed distribution with full-rank draws would do
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Keeps the eigenpairs above {@code cutoff x max}, largest first (ties by index), scaled to {@code W} rows. */
    private static Basis retain(double[] values, double[][] vectors, int m, double cutoff) {
        int count = values.length;
        Integer[] order = new Integer[count];
        double max = 0;
        for (int i = 0; i < count; i++) {
            order[i] = i;
            max = Math.max(max, values[i]);
        }
        Arrays.sort(order, (a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a]) : Integer.compare(a, b));
        double floor = cutoff * max;
        int r = 0;
        while (r < count && values[order[r]] > floor && values[order[r]] > 0) {
            r++;
        }
        double[] w = new double[r * m];
        double[] mu = new double[r];
        for (int kk = 0; kk < r; kk++) {
            int idx = order[kk];
            mu[kk] = values[idx];
            double[] u = vectors[idx];
            double norm = 0;
            for (double v : u) {
                norm += v * v;
            }
            double scale = 1.0 / Math.sqrt(mu[kk] * norm);
            for (int j = 0; j < m; j++) {
                w[kk * m + j] = scale * u[j];
            }
        }
        return new Basis(w, mu, r);
    }

    /** {@code m} distinct indices out of {@code n}, seeded (the project's one draw without replacement). */
    static int[] drawCentres(int n, int m, long seed) {
        return DistinctDraw.indices(n, m, seed);
    }

    private static void requireFiniteVector(double[] v, int step) {
        for (int j = 0; j < v.length; j++) {
            if (!Double.isFinite(v[j])) {
                throw new ArithmeticException("Falkon-NPLM diverged at Newton step " + step
                        + ": coefficient " + j + " = " + v[j] + " (try a larger lambda)");
            }
        }
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static void requireFinite(double v, int step, String what) {
        if (!Double.isFinite(v)) {
            throw new ArithmeticException("Falkon-NPLM diverged at Newton step " + step + ": " + what + " = " + v
                    + " (try a larger lambda)");
        }
    }

    /** {@code -(A)^-1 g} for the symmetric positive definite {@code r x r} matrix {@code A}, by Cholesky. */
    static double[] choleskySolve(double[] a, double[] g, int r) {
        double[] lower = cholesky(a, r);
        double[] x = new double[r];
        for (int j = 0; j < r; j++) {
            x[j] = -g[j];
        }
        // L L^T x = -g
        TriangularSolver_DDRM.solveL(lower, x, r);
        TriangularSolver_DDRM.solveTranL(lower, x, r);
        return x;
    }

    /**
     * Lower Cholesky factor of {@code a} by EJML. {@code H_gamma >= lambda I} in exact arithmetic; should rounding
     * still defeat the factorisation, a diagonal jitter from {@code r eps max_j a_jj} up is added, tenfold each try.
     */
    static double[] cholesky(double[] a, int m) {
        double maxDiag = 0;
        for (int j = 0; j < m; j++) {
            maxDiag = Math.max(maxDiag, a[j * m + j]);
        }
        double jitter = 0;
        for (int attempt = 0; attempt <= MAX_JITTER_RAISES; attempt++) {
            DMatrixRMaj mat = new DMatrixRMaj(m, m);
            System.arraycopy(a, 0, mat.data, 0, m * m);
            for (int j = 0; j < m; j++) {
                mat.data[j * m + j] += jitter;
            }
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(m, true);
            if (chol.decompose(mat)) {
                DMatrixRMaj lower = chol.getT(null);
                boolean finite = true;
                for (double v : lower.data) {
                    finite &= Double.isFinite(v);
                }
                if (finite) {
                    return lower.data;
                }
            }
            jitter = jitter == 0 ? Math.max(m * EPS * maxDiag, Double.MIN_NORMAL) : jitter * 10;
        }
        throw new ArithmeticException("Cholesky factorisation of the " + m + " x " + m
                + " Newton matrix failed even with diagonal jitter " + jitter / 10 + " (non-finite entries?)");
    }

    private record CgStep(double[] delta, int iterations) {
    }

    /**
     * Preconditioned conjugate gradient for {@code H_gamma delta = -g_gamma}, {@code H_gamma v = W H W^T v}
     * streamed, preconditioner {@code P = hbar diag(mu) / M + lambda I}.
     */
    private static CgStep cgStep(FalkonObjective objective, FalkonObjective.Evaluation at, Basis basis,
                                 double[] gGamma, FalkonConfig config) {
        int m = objective.centres();
        int r = basis.rank;
        double hbar = at.meanCurvature();
        double[] precond = new double[r];
        for (int k = 0; k < r; k++) {
            precond[k] = hbar * basis.mu[k] / m + objective.lambda();
        }
        double[] x = new double[r];
        double[] res = new double[r];
        double[] z = new double[r];
        for (int k = 0; k < r; k++) {
            res[k] = -gGamma[k];
            z[k] = res[k] / precond[k];
        }
        double[] p = z.clone();
        double rz = dot(res, z);
        double stop = config.cgTolerance() * Math.sqrt(dot(res, res));
        int it = 0;
        while (it < config.cgMaxIterations() && Math.sqrt(dot(res, res)) > stop) {
            double[] q = basis.project(objective.hessianTimes(at, basis.lift(p, m)), m);
            double pq = dot(p, q);
            it++;
            if (!(pq > 0)) {
                break; // rounding has left no descent along p; keep the iterate
            }
            double a = rz / pq;
            for (int k = 0; k < r; k++) {
                x[k] += a * p[k];
                res[k] -= a * q[k];
                z[k] = res[k] / precond[k];
            }
            double rzNew = dot(res, z);
            double b = rzNew / rz;
            for (int k = 0; k < r; k++) {
                p[k] = z[k] + b * p[k];
            }
            rz = rzNew;
        }
        return new CgStep(x, it);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
