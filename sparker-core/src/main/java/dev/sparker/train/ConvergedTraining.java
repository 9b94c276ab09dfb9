package dev.sparker.train;

import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.loss.CoefficientPenalty;
import dev.sparker.model.KernelShape;
import java.util.concurrent.CancellationException;

/**
 * The {@link Schedule#CONVERGED} schedule: block-coordinate descent on the total loss
 * {@code J(a, mu) = L_NP + L_a - lambda_H L_H}, whose partial derivatives are exactly the paper's two phase
 * objectives ({@code L_a} does not depend on mu, {@code L_H} not on a). After {@code warmupEpochs} epochs of
 * the paper's Adam steps, each epoch:
 * <ol>
 *   <li>coefficient phase: the convex problem {@code min_a L_NP + L_a} solved by {@link CoefficientNewton}
 *       (warm-started from the last a) when {@code M <= newtonMaxKernels}, else {@code locationIterations}
 *       L-BFGS iterations on a ({@link BlockLbfgs});</li>
 *   <li>location phase: {@code locationIterations} L-BFGS iterations on mu for {@code L_NP - lambda_H L_H}
 *       with a backtracking line search (no step may raise the objective; no coordinate moves more than
 *       sigma / 4 per iteration);</li>
 *   <li>the epoch's loss terms are recorded and the problem's {@link StoppingRule} is fed J; a problem whose
 *       rule fires stops (stopped by TOLERANCE, or STALLED when those epochs had no decrease at all); the others go on up to {@code epochs} (stopped by CAP).</li>
 * </ol>
 * Every phase only accepts points that do not raise its objective, so J never increases from epoch to epoch
 * beyond the engine's rounding. A non-finite loss, gradient or Hessian stops that problem alone with a
 * {@link TrainingDivergedException} naming the epoch, phase and iteration.
 */
final class ConvergedTraining {
    /** Largest move of a location coordinate in one L-BFGS iteration, in units of sigma. */
    static final double LOCATION_MAX_STEP_SIGMAS = 0.25;
    /** L-BFGS pairs kept. */
    static final int MEMORY = 8;
    /** Relative Newton decrement at which the coefficient solve counts as exact. */
    static final double NEWTON_TOLERANCE = 1e-10;

    private ConvergedTraining() {
    }

    static void run(Trainer.Driver driver, TrainingConfig config, TrainingListener progress) {
        ConvergedSettings settings = config.converged();
        KernelShape shape = driver.batch.shape();
        int m = shape.kernels();
        int d = shape.dimension();
        int problems = driver.runs.size();
        boolean newton = settings.usesNewton(m);
        CoefficientNewton newtonSolver = newton ? new CoefficientNewton(m, config.lambdaA(), config.penaltyMode(),
                config.clip(), settings.newtonIterations(), NEWTON_TOLERANCE) : null;
        BlockLbfgs coefficientLbfgs = newton ? null : new BlockLbfgs(m, MEMORY, 1.0 / shape.amplitudeFactor());
        BlockLbfgs locationLbfgs = new BlockLbfgs(m * d, MEMORY, LOCATION_MAX_STEP_SIGMAS * shape.sigma());
        CoefficientPenalty penalty = new CoefficientPenalty(config.lambdaA(), config.penaltyMode());
        StoppingRule[] rules = new StoppingRule[problems];
        for (int p = 0; p < problems; p++) {
            rules[p] = new StoppingRule(settings.tolerance(), settings.patience());
            driver.runs.get(p).coefficientSolver = newton ? "NEWTON" : "LBFGS";
        }
        double[][] entropyGrad = new double[problems][m * d];
        BlockLbfgs.Objective coefficients = new BlockLbfgs.Objective() {
            @Override
            public GradientRequest request() {
                return GradientRequest.COEFFICIENTS;
            }

            @Override
            public double[] parameters(double[][] a, double[][] mu, int p) {
                return a[p];
            }

            @Override
            public double valueAndGradient(int p, double[] x, NpEvaluation e, double[] grad) {
                System.arraycopy(e.coefficientGradient(), 0, grad, 0, m);
                penalty.addGradient(x, grad);
                return e.loss() + penalty.value(x);
            }

            @Override
            public void project(double[] x) {
                double clip = config.clip();
                for (int i = 0; i < x.length; i++) {
                    x[i] = Math.max(-clip, Math.min(clip, x[i]));
                }
            }
        };
        BlockLbfgs.Objective locations = new BlockLbfgs.Objective() {
            @Override
            public GradientRequest request() {
                return GradientRequest.LOCATIONS;
            }

            @Override
            public double[] parameters(double[][] a, double[][] mu, int p) {
                return mu[p];
            }

            @Override
            public double valueAndGradient(int p, double[] x, NpEvaluation e, double[] grad) {
                double lh = config.lambdaH();
                double entropy = driver.entropy.compute(x, entropyGrad[p]);
                double[] g = e.locationGradient();
                for (int k = 0; k < grad.length; k++) {
                    grad[k] = g[k] - lh * entropyGrad[p][k];
                }
                return e.loss() - lh * entropy;
            }

            @Override
            public void project(double[] x) {
                // locations are unconstrained
            }
        };

        int warmup = Math.min(settings.warmupEpochs(), config.epochs());
        for (int epoch = 1; epoch <= warmup; epoch++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("training interrupted before epoch " + epoch);
            }
            for (int s = 1; s <= config.coefficientSteps(); s++) {
                driver.step(Phase.COEFFICIENTS, epoch, s);
            }
            for (int s = 1; s <= config.locationSteps(); s++) {
                driver.step(Phase.LOCATIONS, epoch, s);
            }
            driver.endEpoch(epoch);
            for (int p = 0; p < problems; p++) {
                if (driver.active[p] && epoch == warmup) {
                    rules[p].epochDone(driver.runs.get(p).totalLoss(epoch));
                    driver.runs.get(p).stoppedBy = Convergence.StoppedBy.CAP;
                }
            }
            Trainer.Run first = driver.firstActive();
            if (first == null) {
                return;
            }
            progress.epochDone(epoch, config.epochs(), first.history[0][epoch - 1]);
        }
        for (int epoch = warmup + 1; epoch <= config.epochs(); epoch++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("training interrupted before epoch " + epoch);
            }
            if (newton) {
                CoefficientNewton.Report[] r = newtonSolver.solve(driver.batch, driver.a, driver.mu, driver.active,
                        driver.out);
                for (int p = 0; p < problems; p++) {
                    if (r[p] != null && r[p].status() == CoefficientNewton.Status.FAILED) {
                        fail(driver, p, new TrainingDivergedException(epoch, Phase.COEFFICIENTS, r[p].iterations(),
                                r[p].failure() + " in the Newton coefficient solve"));
                    }
                }
            } else {
                lbfgs(driver, coefficientLbfgs, coefficients, settings.locationIterations(), epoch, Phase.COEFFICIENTS);
            }
            lbfgs(driver, locationLbfgs, locations, settings.locationIterations(), epoch, Phase.LOCATIONS);
            driver.endEpoch(epoch);
            for (int p = 0; p < problems; p++) {
                if (driver.active[p]) {
                    Trainer.Run run = driver.runs.get(p);
                    if (rules[p].epochDone(run.totalLoss(epoch))) {
                        run.stoppedBy = rules[p].stalled() ? Convergence.StoppedBy.STALLED
                                : Convergence.StoppedBy.TOLERANCE;
                        driver.active[p] = false;
                    } else {
                        run.stoppedBy = Convergence.StoppedBy.CAP;
                    }
                }
            }
            Trainer.Run first = driver.firstActive();
            if (first == null) {
                break;
            }
            progress.epochDone(epoch, config.epochs(), first.history[0][epoch - 1]);
        }
    }

    private static void lbfgs(Trainer.Driver driver, BlockLbfgs optimiser, BlockLbfgs.Objective objective,
                              int iterations, int epoch, Phase phase) {
        BlockLbfgs.Report[] r = optimiser.run(driver.batch, driver.a, driver.mu, driver.active, driver.out, objective,
                iterations);
        for (int p = 0; p < r.length; p++) {
            if (r[p] != null && r[p].failure() != null) {
                fail(driver, p, new TrainingDivergedException(epoch, phase, r[p].iterations() + 1,
                        r[p].failure() + " in the L-BFGS " + phase.name().toLowerCase(java.util.Locale.ROOT)
                                + " step"));
            }
        }
    }

    private static void fail(Trainer.Driver driver, int p, TrainingDivergedException e) {
        driver.runs.get(p).failure = e;
        driver.active[p] = false;
    }
}
