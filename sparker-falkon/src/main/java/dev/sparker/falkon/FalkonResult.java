package dev.sparker.falkon;

import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelModel;

/**
 * What a Falkon-NPLM test returns: the test statistic, the fitted model and how the fit went.
 *
 * @param t              the test statistic {@code -2 L_NP(f)} of the fitted {@code f}
 * @param npLoss         {@code L_NP(f) = sum_R w (e^f - 1) - sum_D w f}
 * @param objective      the final value of the Falkon objective {@code J(alpha)}
 * @param gradientNorm   the Euclidean norm of the gradient of {@code J} at the returned point, in the Newton
 *                       coordinates {@code gamma} of {@link FalkonNplm} ({@code W grad_alpha J})
 * @param sigma          the kernel width used
 * @param dimension      {@code d}
 * @param alpha          the fitted coefficients, length {@code M}
 * @param centres        the Nystrom centres, row-major {@code M x d}
 * @param centreIndices  the centres as indices into the pooled events (reference {@code 0..N_R-1}, then data)
 * @param solver         the solver used ({@link FalkonSolver#DIRECT} or {@link FalkonSolver#CONJUGATE_GRADIENT})
 * @param cgIterations   conjugate-gradient iterations per Newton step (zeros on the direct path)
 * @param rank           the number of eigen-directions of {@code K_MM} kept in the Nystrom basis ({@code <= M});
 *                       see {@link FalkonNplm}
 * @param nanos          wall time of the test, centre draw and width included, in nanoseconds
 * @param config         the configuration that produced this result
 */
public record FalkonResult(double t, double npLoss, double objective, double gradientNorm, double sigma,
                           int dimension, double[] alpha, double[] centres, int[] centreIndices,
                           FalkonSolver solver, int[] cgIterations, int rank, long nanos,
                           FalkonConfig config) {

    /**
     * Copies the arrays.
     */
    public FalkonResult {
        alpha = alpha.clone();
        centres = centres.clone();
        centreIndices = centreIndices.clone();
        cgIterations = cgIterations.clone();
    }

    /**
     * {@return a copy of the M fitted coefficients alpha}
     */
    @Override
    public double[] alpha() {
        return alpha.clone();
    }

    /**
     * {@return a copy of the centre coordinates, row-major M x d}
     */
    @Override
    public double[] centres() {
        return centres.clone();
    }

    /**
     * {@return a copy of the centres' indices into the pooled events (reference first, then data)}
     */
    @Override
    public int[] centreIndices() {
        return centreIndices.clone();
    }

    /**
     * {@return a copy of the conjugate-gradient iterations of each Newton step (empty for the direct solve)}
     */
    @Override
    public int[] cgIterations() {
        return cgIterations.clone();
    }

    /**
     * The fitted {@code f(x) = sum_j alpha_j exp(-|x - c_j|^2 / (2 sigma^2))} as a {@link KernelModel} with
     * {@link Amplitude#UNIT}, so it can be evaluated and scored with the foundation's NP loss.
     *
     * @return the fitted model
     */
    public KernelModel model() {
        return new KernelModel(dimension, sigma, Amplitude.UNIT, alpha, centres);
    }
}
