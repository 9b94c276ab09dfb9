package dev.sparker.train;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.loss.CoefficientPenalty;
import dev.sparker.loss.PenaltyMode;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The exact coefficient phase: Newton's method on the convex problem
 * <pre>
 *   F(a) = L_NP(a; mu fixed) + L_a(a),   L_a = lambda_a s sum_i a_i^2  (s = 1/M for MEAN, 1 for SUM)
 *   grad F = dL_NP/da + 2 lambda_a s a
 *   H      = d^2 L_NP/da da + 2 lambda_a s I,   d^2 L_NP/da_i da_j = sum_R w e^f k_i k_j   (positive semi-definite)
 * </pre>
 * For fixed locations f is linear in a and e^f is convex, so F is convex and H is positive (semi-)definite;
 * {@code lambda_a > 0} makes it definite. Each iteration asks the engine for
 * {@link GradientRequest#COEFFICIENT_HESSIAN} (cost N M^2 / 2 multiply-adds over the reference events, beside
 * the N M exponentials of a gradient step), solves {@code H delta = -grad F} by Cholesky (EJML), and
 * backtracks on the step length (halving, Armijo condition {@code F(a_t) <= F(a) + 1e-4 grad F . (a_t - a)},
 * at most 30 halvings) so that F never increases; the trial points are clipped to {@code |a_i| <= clip} like
 * every Adam step. When the Cholesky factorisation fails (H singular to working precision: a kernel with no
 * reference event under it and {@code lambda_a = 0}), the diagonal is damped, {@code H + tau max_i(H_ii) I}
 * with tau = 1e-12, 1e-10, ..., 1 (Levenberg-Marquardt); if even that fails, or H is not finite, the problem
 * stops with a {@link TrainingDivergedException}-worthy message.
 *
 * <p>Stops when the Newton decrement {@code lambda^2 / 2 = -grad F . delta / 2} (an estimate of F - min F) is
 * at most {@code tolerance * max(1, |F|)}, when no step length lowers F (the loss is flat at the engine's
 * precision), or after {@code maxIterations}. Many problems iterate in lock step over one {@link BoundBatch};
 * a problem that is done drops out of the active set.
 */
public final class CoefficientNewton {
    /** Armijo constant of the backtracking line search. */
    private static final double ARMIJO = 1e-4;
    private static final int MAX_HALVINGS = 30;

    private final int m;
    private final CoefficientPenalty penalty;
    private final double penaltyCurvature;
    private final double clip;
    private final int maxIterations;
    private final double tolerance;
    private final LinearSolverDense<DMatrixRMaj> solver;
    private final DMatrixRMaj h;
    private final DMatrixRMaj rhs;
    private final DMatrixRMaj step;

    /**
     * A solver for one kernel count and penalty; reusable across calls (not thread-safe).
     *
     * @param kernels       M
     * @param lambdaA       coefficient penalty weight (&gt;= 0)
     * @param penaltyMode   MEAN or SUM
     * @param clip          trial coefficients are clipped to {@code |a_i| <= clip}
     * @param maxIterations Newton iterations at most per call (&gt;= 1)
     * @param tolerance     relative Newton decrement at which the solve counts as converged (&gt; 0)
     */
    public CoefficientNewton(int kernels, double lambdaA, PenaltyMode penaltyMode, double clip, int maxIterations,
                             double tolerance) {
        if (kernels < 1) {
            throw new IllegalArgumentException("M = " + kernels + "; at least one kernel is needed");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Newton iterations = " + maxIterations + "; at least 1 is needed");
        }
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("Newton tolerance = " + tolerance + "; it must be finite and > 0");
        }
        this.m = kernels;
        this.penalty = new CoefficientPenalty(lambdaA, penaltyMode);
        this.penaltyCurvature = 2 * lambdaA * (penaltyMode == PenaltyMode.MEAN ? 1.0 / kernels : 1.0);
        this.clip = clip;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.solver = LinearSolverFactory_DDRM.chol(kernels);
        this.h = new DMatrixRMaj(kernels, kernels);
        this.rhs = new DMatrixRMaj(kernels, 1);
        this.step = new DMatrixRMaj(kernels, 1);
    }

    /** How one problem's solve ended. */
    public enum Status {
        /** The Newton decrement fell below the tolerance. */
        CONVERGED,
        /** No step length lowered F (it is flat at the engine's precision); a is left where F was lowest. */
        STALLED,
        /** The iteration cap was reached first. */
        ITERATION_CAP,
        /** The loss, gradient or Hessian became non-finite, or H could not be factorised even damped. */
        FAILED
    }

    /**
     * One problem's solve.
     *
     * @param status          how it ended
     * @param iterations      Hessian evaluations (Newton iterations) made
     * @param objective       {@code F = L_NP + L_a} at the returned coefficients
     * @param gradientNorm    {@code |grad F|_2} at the last Hessian evaluation
     * @param decrement       the last Newton decrement {@code lambda^2 / 2}
     * @param dampedSolves    iterations whose Cholesky factorisation needed damping
     * @param failure         what went wrong, for {@link Status#FAILED}; else null
     */
    public record Report(Status status, int iterations, double objective, double gradientNorm, double decrement,
                         int dampedSolves, String failure) {
    }

    /**
     * Minimises F over the coefficients of every active problem, in place in {@code a[p]}, with the locations
     * {@code mu[p]} fixed. {@code out[p]} is used as scratch. Problems not active are left alone and get a
     * null report.
     *
     * @param batch  the bound problems (locations fixed during the solve)
     * @param a      each problem's coefficients, updated in place
     * @param mu     each problem's locations
     * @param active which problems to solve
     * @param out    one scratch evaluation per problem
     * @return one report per problem (null where not active)
     */
    public Report[] solve(BoundBatch batch, double[][] a, double[][] mu, boolean[] active, NpEvaluation[] out) {
        int problems = a.length;
        if (mu.length != problems || active.length != problems || out.length != problems
                || batch.problems() != problems) {
            throw new IllegalArgumentException("a batch of " + batch.problems() + " problems got " + problems
                    + " coefficient vectors, " + mu.length + " location vectors, " + active.length
                    + " active flags and " + out.length + " outputs");
        }
        if (batch.shape().kernels() != m) {
            throw new IllegalArgumentException("the solver was made for M = " + m + " but the batch has M = "
                    + batch.shape().kernels());
        }
        Report[] reports = new Report[problems];
        boolean[] running = active.clone();
        boolean[] searching = new boolean[problems];
        int[] iterations = new int[problems];
        int[] damped = new int[problems];
        double[] objective = new double[problems];
        double[] gradNorm = new double[problems];
        double[] decrement = new double[problems];
        double[] slope = new double[problems];
        double[] stepLength = new double[problems];
        double[][] grad = new double[problems][];
        double[][] direction = new double[problems][];
        double[][] start = new double[problems][];
        double[][] trial = new double[problems][];
        for (int p = 0; p < problems; p++) {
            if (active[p]) {
                grad[p] = new double[m];
                direction[p] = new double[m];
                start[p] = a[p].clone();
                trial[p] = new double[m];
            }
        }
        while (any(running)) {
            batch.evaluate(a, mu, running, GradientRequest.COEFFICIENT_HESSIAN, out);
            for (int p = 0; p < problems; p++) {
                if (!running[p]) {
                    continue;
                }
                iterations[p]++;
                String bad = newtonDirection(a[p], out[p], grad[p], direction[p], p, objective, gradNorm, damped);
                if (bad != null) {
                    reports[p] = new Report(Status.FAILED, iterations[p], objective[p], gradNorm[p], decrement[p],
                            damped[p], bad);
                    running[p] = false;
                    continue;
                }
                double gd = dot(grad[p], direction[p]);
                decrement[p] = -gd / 2;
                if (decrement[p] <= tolerance * Math.max(1, Math.abs(objective[p]))) {
                    reports[p] = new Report(Status.CONVERGED, iterations[p], objective[p], gradNorm[p], decrement[p],
                            damped[p], null);
                    running[p] = false;
                    continue;
                }
                System.arraycopy(a[p], 0, start[p], 0, m);
                stepLength[p] = 1;
                searching[p] = true;
            }
            // backtracking line search, all searching problems in lock step
            for (int halving = 0; any(searching); halving++) {
                for (int p = 0; p < problems; p++) {
                    if (searching[p]) {
                        for (int i = 0; i < m; i++) {
                            double v = start[p][i] + stepLength[p] * direction[p][i];
                            trial[p][i] = Math.max(-clip, Math.min(clip, v));
                        }
                        System.arraycopy(trial[p], 0, a[p], 0, m);
                    }
                }
                batch.evaluate(a, mu, searching, GradientRequest.LOSS_ONLY, out);
                for (int p = 0; p < problems; p++) {
                    if (!searching[p]) {
                        continue;
                    }
                    double f = out[p].loss() + penalty.value(a[p]);
                    slope[p] = 0;
                    for (int i = 0; i < m; i++) {
                        slope[p] += grad[p][i] * (a[p][i] - start[p][i]);
                    }
                    if (Double.isFinite(f) && f <= objective[p] + ARMIJO * slope[p]) {
                        objective[p] = f;
                        searching[p] = false;
                        if (iterations[p] >= maxIterations) {
                            reports[p] = new Report(Status.ITERATION_CAP, iterations[p], f, gradNorm[p],
                                    decrement[p], damped[p], null);
                            running[p] = false;
                        }
                    } else if (halving + 1 >= MAX_HALVINGS) {
                        System.arraycopy(start[p], 0, a[p], 0, m);
                        searching[p] = false;
                        running[p] = false;
                        reports[p] = new Report(Status.STALLED, iterations[p], objective[p], gradNorm[p],
                                decrement[p], damped[p], null);
                    } else {
                        stepLength[p] *= 0.5;
                    }
                }
            }
        }
        return reports;
    }

    /**
     * grad F and the Newton direction {@code delta = -H^-1 grad F} for one problem; returns null, or what went
     * wrong. Records F and |grad F| in the arrays at p.
     */
    private String newtonDirection(double[] a, NpEvaluation e, double[] grad, double[] direction, int p,
                                   double[] objective, double[] gradNorm, int[] damped) {
        double f = e.loss() + penalty.value(a);
        objective[p] = f;
        if (!Double.isFinite(f)) {
            return "L_NP + L_a = " + f;
        }
        System.arraycopy(e.coefficientGradient(), 0, grad, 0, m);
        penalty.addGradient(a, grad);
        double norm = 0;
        for (int i = 0; i < m; i++) {
            if (!Double.isFinite(grad[i])) {
                return "dF/da[" + i + "] = " + grad[i];
            }
            norm += grad[i] * grad[i];
        }
        gradNorm[p] = Math.sqrt(norm);
        if (norm == 0) {
            java.util.Arrays.fill(direction, 0);   // already at the minimum: a zero decrement ends the solve
            return null;
        }
        double[] hv = e.coefficientHessian();
        double maxDiag = 0;
        for (int k = 0; k < m * m; k++) {
            if (!Double.isFinite(hv[k])) {
                return "coefficient Hessian entry (" + k / m + ", " + k % m + ") = " + hv[k];
            }
        }
        for (int i = 0; i < m; i++) {
            maxDiag = Math.max(maxDiag, hv[i * m + i] + penaltyCurvature);
            rhs.data[i] = -grad[i];
        }
        if (maxDiag <= 0) {
            // every kernel is zero on every reference event and there is no penalty: F is linear in a
            return "the coefficient Hessian is zero (no reference event under any kernel and lambda_a = 0)";
        }
        double tau = 0;
        while (true) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(hv, i * m, h.data, i * m, m);
                h.data[i * m + i] += penaltyCurvature + tau * maxDiag;
            }
            if (solver.setA(h)) {
                solver.solve(rhs, step);
                boolean finite = true;
                for (int i = 0; i < m; i++) {
                    finite &= Double.isFinite(step.data[i]);
                }
                if (finite && dot(grad, step.data) < 0) {
                    System.arraycopy(step.data, 0, direction, 0, m);
                    if (tau > 0) {
                        damped[p]++;
                    }
                    return null;
                }
            }
            tau = tau == 0 ? 1e-12 : tau * 100;
            if (tau > 1) {
                return "the coefficient Hessian is not positive definite even with damping tau = 1 (M = " + m
                        + ", max diagonal " + maxDiag + ")";
            }
        }
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static boolean any(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }
}
