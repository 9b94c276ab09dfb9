package dev.sparker.train;

/**
 * The converged schedule's stopping rule: stop when the relative decrease of the total loss over an epoch,
 * {@code (J_{e-1} - J_e) / max(|J_e|, 1)}, has stayed below {@code tolerance} for {@code patience}
 * consecutive epochs. The denominator is at least 1 so that a total loss near zero (a null toy) is judged on
 * an absolute scale of the same size. A loss that went up counts as not decreasing (the phases never let it
 * rise by more than the engine's rounding). One rule per problem; feed it J after every epoch.
 */
public final class StoppingRule {
    private final double tolerance;
    private final int patience;
    private double previous = Double.NaN;
    private double lastRelativeDecrease = Double.NaN;
    private int quietEpochs;
    private int flatEpochs;

    /**
     * A rule for one problem.
     *
     * @param tolerance relative decrease per epoch below which an epoch counts as quiet (&gt; 0)
     * @param patience  quiet epochs in a row that stop the training (&gt;= 1)
     */
    public StoppingRule(double tolerance, int patience) {
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("stopping tolerance = " + tolerance + "; it must be finite and > 0");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("stopping patience = " + patience + " epochs; at least 1 is needed");
        }
        this.tolerance = tolerance;
        this.patience = patience;
    }

    /**
     * Records the total loss after an epoch.
     *
     * @param totalLoss {@code J} after the epoch
     * @return true when the rule says stop
     */
    public boolean epochDone(double totalLoss) {
        if (!Double.isNaN(previous)) {
            lastRelativeDecrease = (previous - totalLoss) / Math.max(Math.abs(totalLoss), 1);
            quietEpochs = lastRelativeDecrease < tolerance ? quietEpochs + 1 : 0;
            flatEpochs = lastRelativeDecrease <= 0 ? flatEpochs + 1 : 0;
        }
        previous = totalLoss;
        return quietEpochs >= patience;
    }

    /**
     * Whether the quiet epochs that stopped the rule were all flat (no decrease at all): the phases found no
     * step that lowers the loss at the engine's precision, which in FLOAT can happen well before the gradient
     * is small. Meaningful once {@link #epochDone} has returned true.
     *
     * @return whether the stopping epochs were all flat
     */
    public boolean stalled() {
        return flatEpochs >= patience;
    }

    /**
     * The last epoch's relative decrease.
     *
     * @return {@code (J_{e-1} - J_e) / max(|J_e|, 1)}, NaN before the second epoch
     */
    public double lastRelativeDecrease() {
        return lastRelativeDecrease;
    }
}
