package dev.sparker.train;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;

/**
 * Limited-memory BFGS over one block of parameters (the locations, or the coefficients), the other block
 * fixed, for many problems in lock step over one {@link BoundBatch}. Used by the converged schedule:
 * <ul>
 *   <li>locations: minimise {@code L_NP - lambda_H L_H} over mu (a fixed), the paper's location objective;</li>
 *   <li>coefficients, for M above the Newton limit: minimise {@code L_NP + L_a} over a (mu fixed).</li>
 * </ul>
 * Each iteration takes the two-loop L-BFGS direction (the last {@code memory} pairs; the first direction is
 * steepest descent), limits it so that no component moves by more than {@code maxStep} (a kernel location
 * may not jump across the sample in one step), and backtracks by halving until the Armijo condition
 * {@code J(x_t) <= J(x) + 1e-4 grad J . (x_t - x)} holds, so the objective never increases. A pair is kept
 * only when its curvature {@code s . y} is positive. A problem stops early when its gradient is zero or no
 * step length (down to 2^-30) lowers the objective (flat at the engine's precision).
 */
final class BlockLbfgs {
    private static final double ARMIJO = 1e-4;
    private static final int MAX_HALVINGS = 30;

    /** The objective of one block: which request gives its gradient, its value and gradient, a projection. */
    interface Objective {
        GradientRequest request();

        /** The block's parameters of problem p (live array: the optimiser writes trial points into it). */
        double[] parameters(double[][] a, double[][] mu, int p);

        /** The objective at the point just evaluated into {@code e}; its gradient into {@code grad}. */
        double valueAndGradient(int p, double[] x, NpEvaluation e, double[] grad);

        /** Maps a trial point onto the feasible set in place (the coefficient clip); identity for locations. */
        void project(double[] x);
    }

    /** One problem's run: objective and gradient norm at the returned point, iterations and whether it stalled. */
    record Report(double objective, double gradientNorm, int iterations, boolean stalled, String failure) {
    }

    private final int size;
    private final int memory;
    private final double maxStep;

    /**
     * @param size    parameters per problem in the block
     * @param memory  L-BFGS pairs kept
     * @param maxStep largest change of any one parameter in one iteration
     */
    BlockLbfgs(int size, int memory, double maxStep) {
        this.size = size;
        this.memory = memory;
        this.maxStep = maxStep;
    }

    /**
     * Runs up to {@code iterations} iterations on every active problem, in place. {@code out[p]} is scratch.
     * Returns null for inactive problems.
     */
    Report[] run(BoundBatch batch, double[][] a, double[][] mu, boolean[] active, NpEvaluation[] out,
                 Objective objective, int iterations) {
        int problems = a.length;
        State[] st = new State[problems];
        Report[] reports = new Report[problems];
        boolean[] running = active.clone();
        batch.evaluate(a, mu, running, objective.request(), out);
        for (int p = 0; p < problems; p++) {
            if (!running[p]) {
                continue;
            }
            State s = new State(size, memory);
            st[p] = s;
            double[] x = objective.parameters(a, mu, p);
            s.value = objective.valueAndGradient(p, x, out[p], s.grad);
            String bad = checkFinite(s.value, s.grad);
            if (bad != null) {
                reports[p] = new Report(s.value, Double.NaN, 0, false, bad);
                running[p] = false;
            }
        }
        boolean[] searching = new boolean[problems];
        for (int it = 1; it <= iterations && any(running); it++) {
            for (int p = 0; p < problems; p++) {
                if (!running[p]) {
                    continue;
                }
                State s = st[p];
                double[] x = objective.parameters(a, mu, p);
                System.arraycopy(x, 0, s.start, 0, size);
                s.direction(maxStep);
                if (s.slope >= 0) {
                    // zero gradient, or no descent direction left: nothing to do
                    reports[p] = s.report(false, null);
                    running[p] = false;
                    continue;
                }
                s.step = 1;
                searching[p] = true;
            }
            for (int halving = 0; any(searching); halving++) {
                for (int p = 0; p < problems; p++) {
                    if (searching[p]) {
                        State s = st[p];
                        double[] x = objective.parameters(a, mu, p);
                        for (int k = 0; k < size; k++) {
                            x[k] = s.start[k] + s.step * s.dir[k];
                        }
                        objective.project(x);
                    }
                }
                batch.evaluate(a, mu, searching, objective.request(), out);
                for (int p = 0; p < problems; p++) {
                    if (!searching[p]) {
                        continue;
                    }
                    State s = st[p];
                    double[] x = objective.parameters(a, mu, p);
                    double f = objective.valueAndGradient(p, x, out[p], s.trialGrad);
                    double slope = 0;
                    for (int k = 0; k < size; k++) {
                        slope += s.grad[k] * (x[k] - s.start[k]);
                    }
                    if (Double.isFinite(f) && checkFinite(f, s.trialGrad) == null && f <= s.value + ARMIJO * slope) {
                        s.accept(x, f);
                        searching[p] = false;
                    } else if (halving + 1 >= MAX_HALVINGS) {
                        System.arraycopy(s.start, 0, x, 0, size);
                        searching[p] = false;
                        running[p] = false;
                        reports[p] = s.report(true, null);
                    } else {
                        s.step *= 0.5;
                    }
                }
            }
        }
        for (int p = 0; p < problems; p++) {
            if (active[p] && reports[p] == null) {
                reports[p] = st[p].report(false, null);
            }
        }
        return reports;
    }

    private static String checkFinite(double value, double[] grad) {
        if (!Double.isFinite(value)) {
            return "objective = " + value;
        }
        for (int k = 0; k < grad.length; k++) {
            if (!Double.isFinite(grad[k])) {
                return "gradient[" + k + "] = " + grad[k];
            }
        }
        return null;
    }

    private static boolean any(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    /** One problem's L-BFGS state. */
    private static final class State {
        final double[] grad;
        final double[] trialGrad;
        final double[] start;
        final double[] dir;
        final double[][] s;
        final double[][] y;
        final double[] rho;
        final double[] alpha;
        int pairs;
        int newest = -1;
        int iterations;
        double value;
        double slope;
        double step;

        State(int n, int memory) {
            grad = new double[n];
            trialGrad = new double[n];
            start = new double[n];
            dir = new double[n];
            s = new double[memory][n];
            y = new double[memory][n];
            rho = new double[memory];
            alpha = new double[memory];
        }

        /** The two-loop recursion: dir = -H grad, then limited to maxStep per component; sets slope = grad . dir. */
        void direction(double maxStep) {
            int n = grad.length;
            for (int k = 0; k < n; k++) {
                dir[k] = -grad[k];
            }
            int mem = s.length;
            for (int c = 0; c < pairs; c++) {
                int j = Math.floorMod(newest - c, mem);
                alpha[j] = rho[j] * dot(s[j], dir);
                for (int k = 0; k < n; k++) {
                    dir[k] -= alpha[j] * y[j][k];
                }
            }
            if (pairs > 0) {
                double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                for (int k = 0; k < n; k++) {
                    dir[k] *= gamma;
                }
            }
            for (int c = pairs - 1; c >= 0; c--) {
                int j = Math.floorMod(newest - c, mem);
                double beta = rho[j] * dot(y[j], dir);
                for (int k = 0; k < n; k++) {
                    dir[k] += (alpha[j] - beta) * s[j][k];
                }
            }
            double largest = 0;
            for (double v : dir) {
                largest = Math.max(largest, Math.abs(v));
            }
            if (largest > maxStep) {
                double scale = maxStep / largest;
                for (int k = 0; k < n; k++) {
                    dir[k] *= scale;
                }
            }
            slope = dot(grad, dir);
            if (!(slope < 0) && pairs > 0) {
                // the quasi-Newton direction is not a descent direction: forget the memory, use the gradient
                pairs = 0;
                direction(maxStep);
            }
        }

        void accept(double[] x, double f) {
            int mem = s.length;
            int slot = (newest + 1) % mem;
            double sy = 0;
            for (int k = 0; k < x.length; k++) {
                s[slot][k] = x[k] - start[k];
                y[slot][k] = trialGrad[k] - grad[k];
                sy += s[slot][k] * y[slot][k];
            }
            if (sy > 1e-300) {
                rho[slot] = 1 / sy;
                newest = slot;
                pairs = Math.min(pairs + 1, mem);
            }
            System.arraycopy(trialGrad, 0, grad, 0, x.length);
            value = f;
            iterations++;
        }

        Report report(boolean stalled, String failure) {
            return new Report(value, Math.sqrt(dot(grad, grad)), iterations, stalled, failure);
        }

        private static double dot(double[] u, double[] v) {
            double t = 0;
            for (int k = 0; k < u.length; k++) {
                t += u[k] * v[k];
            }
            return t;
        }
    }
}
