package dev.sparker.loss;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;

/**
 * The Neyman–Pearson loss {@code L_NP = sum_R w (e^f - 1) - sum_D w f} of a model on a (reference, data)
 * pair, with its gradients, through the scalar reference engine. The derivation of the gradient sits on
 * {@link ScalarEngine}, next to the loop that computes it; fast engines live behind the same contract.
 */
public final class NeymanPearsonLoss {

    private NeymanPearsonLoss() {
    }

    /**
     * {@return {@code L_NP = sum_R w (e^f - 1) - sum_D w f} and both gradients of {@code model} on (reference,
     * data), in double precision (paper section 2)}
     *
     * @param reference the reference sample R
     * @param data      the data sample D
     * @param model     the model f
     * @throws IllegalArgumentException when the dimensions differ
     */
    public static NpEvaluation evaluate(Samples reference, Samples data, KernelModel model) {
        NpEvaluation out = new NpEvaluation(model.shape());
        try (BoundProblem p = new ScalarEngine().bind(reference, data, model.shape(), EngineSettings.singleThreadDouble())) {
            p.evaluate(model.coefficients(), model.locations(), GradientRequest.BOTH, out);
        }
        return out;
    }

    /**
     * {@return the test statistic {@code t = -2 L_NP} of a model (paper section 2)}
     *
     * @param reference the reference sample R
     * @param data      the data sample D
     * @param model     the model f
     * @throws IllegalArgumentException when the dimensions differ
     */
    public static double testStatistic(Samples reference, Samples data, KernelModel model) {
        return -2 * evaluate(reference, data, model).loss();
    }
}
