package dev.sparker.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Settings of the {@link Schedule#CONVERGED} schedule (ignored by {@link Schedule#PAPER}); the epoch cap is
 * the configuration's {@code epochs}.
 *
 * @param tolerance          stop when the total loss's relative decrease per epoch stays below this ...
 * @param patience           ... for this many epochs in a row ({@link StoppingRule})
 * @param locationIterations L-BFGS iterations on the locations per epoch (and on the coefficients above the
 *                           Newton limit)
 * @param newtonMaxKernels   the coefficient phase is solved by Newton up to this M; above it by L-BFGS, because
 *                           a Newton iteration costs N M^2 / 2 multiply-adds against N M exponentials for a
 *                           gradient (see docs/guide/converged-training.md for the measured cross-over)
 * @param newtonIterations   Newton iterations at most per coefficient phase
 * @param warmupEpochs       paper epochs (Adam, the configuration's steps and learning rate) run before the
 *                           first exact epoch: from a = 0 and the initial locations the exact coefficient
 *                           solve jumps straight to large coefficients of alternating sign (another, much
 *                           deeper basin of J); a short Adam warm-up lets the locations spread first, so that
 *                           the exact epochs polish the basin the paper schedule is in
 */
public record ConvergedSettings(double tolerance, int patience, int locationIterations, int newtonMaxKernels,
                                int newtonIterations, int warmupEpochs) {

    /** Default relative decrease per epoch below which an epoch is quiet. */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** Default number of quiet epochs in a row that stop the training. */
    public static final int DEFAULT_PATIENCE = 3;
    /** Default L-BFGS iterations per phase and epoch. */
    public static final int DEFAULT_LOCATION_ITERATIONS = 10;
    /** Default largest M solved by Newton (measured cross-over, docs/guide/converged-training.md). */
    public static final int DEFAULT_NEWTON_MAX_KERNELS = 200;
    /** Default Newton iterations per coefficient phase. */
    public static final int DEFAULT_NEWTON_ITERATIONS = 20;
    /** Default paper epochs before the first exact epoch. */
    public static final int DEFAULT_WARMUP_EPOCHS = 0;

    /**
     * Validates the settings.
     *
     * @param tolerance          see the record
     * @param patience           see the record
     * @param locationIterations see the record
     * @param newtonMaxKernels   see the record
     * @param newtonIterations   see the record
     * @param warmupEpochs       see the record
     * @throws IllegalArgumentException naming the first bad value
     */
    @JsonCreator
    public ConvergedSettings(@JsonProperty("tolerance") double tolerance, @JsonProperty("patience") int patience,
                             @JsonProperty("locationIterations") int locationIterations,
                             @JsonProperty("newtonMaxKernels") int newtonMaxKernels,
                             @JsonProperty("newtonIterations") int newtonIterations,
                             @JsonProperty("warmupEpochs") int warmupEpochs) {
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("stopping tolerance = " + tolerance + "; it must be finite and > 0");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("stopping patience = " + patience + "; at least 1 epoch is needed");
        }
        if (locationIterations < 1) {
            throw new IllegalArgumentException("location iterations per epoch = " + locationIterations
                    + "; at least 1 is needed");
        }
        if (newtonMaxKernels < 0) {
            throw new IllegalArgumentException("Newton kernel limit = " + newtonMaxKernels + "; it must be >= 0");
        }
        if (newtonIterations < 1) {
            throw new IllegalArgumentException("Newton iterations = " + newtonIterations + "; at least 1 is needed");
        }
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warm-up epochs = " + warmupEpochs + "; it must be >= 0");
        }
        this.tolerance = tolerance;
        this.patience = patience;
        this.locationIterations = locationIterations;
        this.newtonMaxKernels = newtonMaxKernels;
        this.newtonIterations = newtonIterations;
        this.warmupEpochs = warmupEpochs;
    }

    /**
     * The defaults above.
     *
     * @return the default settings
     */
    public static ConvergedSettings defaults() {
        return new ConvergedSettings(DEFAULT_TOLERANCE, DEFAULT_PATIENCE, DEFAULT_LOCATION_ITERATIONS,
                DEFAULT_NEWTON_MAX_KERNELS, DEFAULT_NEWTON_ITERATIONS, DEFAULT_WARMUP_EPOCHS);
    }

    /**
     * Whether the coefficient phase is solved by Newton for {@code kernels} kernels.
     *
     * @param kernels M
     * @return true for Newton, false for L-BFGS
     */
    public boolean usesNewton(int kernels) {
        return kernels <= newtonMaxKernels;
    }
}
