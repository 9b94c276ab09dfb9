package dev.sparker.falkon;

import dev.sparker.train.WidthSpec;

/**
 * Settings of one Falkon-NPLM test. Immutable and validated on construction: every bad value throws
 * {@link IllegalArgumentException} naming it. Start from {@link #defaults(int, double)} and change what you need
 * through {@link #toBuilder()}.
 *
 * @param centres          number of Nystrom centres {@code M >= 1}, drawn without replacement from reference and
 *                         data pooled (must not exceed the pooled size; checked when the test runs)
 * @param lambda           ridge penalty {@code lambda > 0}; the objective is
 *                         {@code (1/n) sum_i w_i l_i + (lambda/2) alpha^T K_MM alpha} with {@code n} the number of
 *                         pooled events, so {@code lambda} is a per-event penalty (see {@link FalkonNplm})
 * @param width            the kernel width rule, the same as SparKer's ({@link WidthSpec}; default 90 % quantile)
 * @param newtonSteps      Newton steps from {@code alpha = 0}, at least 1 (the community's default is 1)
 * @param solver           how each Newton system is solved
 * @param cgSwitchPoint    with {@link FalkonSolver#AUTO}: the conjugate-gradient path is used when the retained
 *                         Nystrom rank {@code r} (at most M) is at least this (default 1000); see {@link FalkonNplm}
 * @param cgTolerance      conjugate gradient stops when the preconditioned residual falls below this fraction of
 *                         its starting value, in (0, 1)
 * @param cgMaxIterations  conjugate gradient stops after this many iterations at most, at least 1
 * @param eigenCutoff      eigen-directions of {@code K_MM} with eigenvalue below this fraction of the largest are
 *                         dropped from the Nystrom basis (they change f by a negligible amount and only carry
 *                         rounding noise; see {@link FalkonNplm}), in [0, 1); default 1e-10
 * @param threads          threads for the streaming passes over the events, at least 1; results do not depend on it
 * @param seed             seeds the centre draw and the width subsample
 */
public record FalkonConfig(int centres, double lambda, WidthSpec width, int newtonSteps, FalkonSolver solver,
                           int cgSwitchPoint, double cgTolerance, int cgMaxIterations, double eigenCutoff,
                           int threads, long seed) {

    /** Default switch point from the direct solve to conjugate gradient; see {@link FalkonNplm}. */
    public static final int DEFAULT_CG_SWITCH_POINT = 1000;
    /**
     * Default relative residual at which conjugate gradient stops.
     */
    public static final double DEFAULT_CG_TOLERANCE = 1e-7;
    /**
     * Default cap on conjugate-gradient iterations.
     */
    public static final int DEFAULT_CG_MAX_ITERATIONS = 200;
    /**
     * Default fraction of the largest eigenvalue of {@code K_MM} below which directions are dropped.
     */
    public static final double DEFAULT_EIGEN_CUTOFF = 1e-10;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public FalkonConfig {
        if (centres < 1) {
            throw new IllegalArgumentException("number of Nystrom centres M = " + centres + "; M must be at least 1");
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("ridge penalty lambda = " + lambda + "; lambda must be finite and > 0");
        }
        if (width == null) {
            throw new IllegalArgumentException("width rule must not be null");
        }
        if (newtonSteps < 1) {
            throw new IllegalArgumentException("Newton steps = " + newtonSteps + "; at least one step is needed");
        }
        if (solver == null) {
            throw new IllegalArgumentException("solver must not be null");
        }
        if (cgSwitchPoint < 1) {
            throw new IllegalArgumentException("CG switch point = " + cgSwitchPoint + "; it must be at least 1");
        }
        if (!(cgTolerance > 0 && cgTolerance < 1)) {
            throw new IllegalArgumentException("CG tolerance = " + cgTolerance + "; it must lie in (0, 1)");
        }
        if (cgMaxIterations < 1) {
            throw new IllegalArgumentException("CG max iterations = " + cgMaxIterations + "; at least 1 is needed");
        }
        if (!(eigenCutoff >= 0 && eigenCutoff < 1)) {
            throw new IllegalArgumentException("eigen cutoff = " + eigenCutoff + "; it must lie in [0, 1)");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + "; at least one thread is needed");
        }
    }

    /**
     * {@return {@code M} centres, penalty {@code lambda}, width from the 90 % quantile, one Newton step, solver AUTO}
     *
     * @param centres number of Nystrom centres M, at least 1
     * @param lambda  the ridge penalty, finite and > 0
     * @throws IllegalArgumentException when M is below 1 or lambda is not finite and > 0
     */
    public static FalkonConfig defaults(int centres, double lambda) {
        return new FalkonConfig(centres, lambda, WidthSpec.defaultQuantile(), 1, FalkonSolver.AUTO,
                DEFAULT_CG_SWITCH_POINT, DEFAULT_CG_TOLERANCE, DEFAULT_CG_MAX_ITERATIONS, DEFAULT_EIGEN_CUTOFF, 1, 0L);
    }

    /**
     * {@return a builder holding every setting of this configuration, to override some}
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy; {@link #build()} validates. */
    public static final class Builder {
        private int centres;
        private double lambda;
        private WidthSpec width;
        private int newtonSteps;
        private FalkonSolver solver;
        private int cgSwitchPoint;
        private double cgTolerance;
        private int cgMaxIterations;
        private double eigenCutoff;
        private int threads;
        private long seed;

        private Builder(FalkonConfig c) {
            centres = c.centres;
            lambda = c.lambda;
            width = c.width;
            newtonSteps = c.newtonSteps;
            solver = c.solver;
            cgSwitchPoint = c.cgSwitchPoint;
            cgTolerance = c.cgTolerance;
            cgMaxIterations = c.cgMaxIterations;
            eigenCutoff = c.eigenCutoff;
            threads = c.threads;
            seed = c.seed;
        }

        /**
         * {@return this builder}
         *
         * @param v number of Nystrom centres M, at least 1
         */
        public Builder centres(int v) { centres = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v the ridge penalty lambda, finite and > 0
         */
        public Builder lambda(double v) { lambda = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v the kernel width rule
         */
        public Builder width(WidthSpec v) { width = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v Newton steps from alpha = 0, at least 1
         */
        public Builder newtonSteps(int v) { newtonSteps = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v how each Newton system is solved
         */
        public Builder solver(FalkonSolver v) { solver = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v the retained rank from which AUTO uses conjugate gradient
         */
        public Builder cgSwitchPoint(int v) { cgSwitchPoint = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v conjugate gradient's relative residual target, in (0, 1)
         */
        public Builder cgTolerance(double v) { cgTolerance = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v conjugate gradient's iteration cap, at least 1
         */
        public Builder cgMaxIterations(int v) { cgMaxIterations = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v eigenvalue cutoff as a fraction of the largest, in [0, 1)
         */
        public Builder eigenCutoff(double v) { eigenCutoff = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v threads for the streaming passes, at least 1
         */
        public Builder threads(int v) { threads = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v seed of the centre draw and the width subsample
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * {@return the configuration}
         *
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public FalkonConfig build() {
            return new FalkonConfig(centres, lambda, width, newtonSteps, solver, cgSwitchPoint, cgTolerance,
                    cgMaxIterations, eigenCutoff, threads, seed);
        }
    }
}
