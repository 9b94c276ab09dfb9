package dev.sparker.train;

/**
 * Per-epoch record of every loss term, each evaluated at the parameters reached at the end of the epoch.
 *
 * @param npLoss             {@code L_NP}
 * @param coefficientPenalty {@code L_a} (already multiplied by lambda_a)
 * @param locationEntropy    {@code L_H} (not multiplied by lambda_H)
 */
public record TrainingHistory(double[] npLoss, double[] coefficientPenalty, double[] locationEntropy) {

    /**
     * {@return the number of epochs recorded}
     */
    public int epochs() {
        return npLoss.length;
    }
}
