package dev.sparker.train;

/**
 * How a training ended, recorded in every result.
 *
 * @param schedule                the schedule that ran
 * @param epochs                  epochs run
 * @param stoppedBy               {@code TOLERANCE} (the stopping rule), {@code STALLED} (the rule fired on
 *                                epochs without any decrease: no step lowered the loss at the engine's
 *                                precision; in FLOAT this happens while the gradient is still large),
 *                                {@code CAP} (the converged schedule's epoch cap) or {@code SCHEDULE} (the
 *                                paper schedule's fixed epochs)
 * @param finalRelativeDecrease   the last epoch's relative decrease of the total loss
 *                                {@code J = L_NP + L_a - lambda_H L_H}, {@code (J_{e-1} - J_e) / max(|J_e|, 1)};
 *                                NaN after a single epoch
 * @param coefficientGradientNorm {@code |d(L_NP + L_a)/da|_2} at the end
 * @param locationGradientNorm    {@code |d(L_NP - lambda_H L_H)/dmu|_2} at the end
 * @param coefficientSolver       {@code ADAM}, {@code NEWTON} or {@code LBFGS}
 */
public record Convergence(Schedule schedule, int epochs, StoppedBy stoppedBy, double finalRelativeDecrease,
                          double coefficientGradientNorm, double locationGradientNorm, String coefficientSolver) {

    /** Why the training stopped. */
    public enum StoppedBy {
        /** The stopping rule fired: the total loss stopped falling. */
        TOLERANCE,
        /** The stopping rule fired on epochs without any decrease (flat at the engine's precision). */
        STALLED,
        /** The converged schedule reached its epoch cap. */
        CAP,
        /** The paper schedule ran its fixed epochs. */
        SCHEDULE
    }
}
