package dev.sparker.train;

/** How the alternating training runs (see {@code docs/guide/converged-training.md}). */
public enum Schedule {
    /**
     * The paper's: {@code epochs} x ({@code coefficientSteps} + {@code locationSteps}) Adam steps at the
     * configured learning rate, every epoch run. Bit for bit what the library did before schedules existed.
     */
    PAPER,
    /**
     * Trained to the minimum: each epoch solves the convex coefficient problem exactly (Newton; L-BFGS above
     * the Newton kernel limit) and then takes L-BFGS steps on the locations; stops when the total loss stops
     * decreasing ({@link StoppingRule}), with {@code epochs} as the cap.
     */
    CONVERGED
}
