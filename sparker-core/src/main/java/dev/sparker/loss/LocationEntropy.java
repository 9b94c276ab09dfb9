package dev.sparker.loss;

import dev.sparker.model.KernelShape;

/**
 * The entropy of the kernel locations, which the location phase maximises ({@code L_NP - lambda_H L_H}) so
 * that kernels spread out instead of piling onto one anomaly.
 * <pre>
 *   K_ij = k(mu_i, mu_j) = A exp(-|mu_i - mu_j|^2 / (2 sigma^2))      (symmetric, K_jj = A)
 *   p_j  = (1/M) sum_i K_ij                                           (self term included)
 *   L_H  = - sum_j p_j log p_j
 * </pre>
 * Gradient. With {@code c_j = dL_H/dp_j = -(log p_j + 1)} and
 * {@code dK_ij/dmu_l = K_ij (mu_j - mu_l)/sigma^2 [i = l] + K_ij (mu_i - mu_l)/sigma^2 [j = l]}
 * (each term vanishes for i = j = l), {@code mu_l} enters {@code p_l} through every {@code K_il} and every
 * other {@code p_j} through {@code K_lj}:
 * <pre>
 *   dL_H/dmu_l = (1/(M sigma^2)) sum_j K_lj (mu_j - mu_l) (c_j + c_l)
 * </pre>
 * Cost O(M^2 d), independent of the number of events.
 */
public final class LocationEntropy implements EntropyWorkspace {
    private final KernelShape shape;
    private final double[] kernelMatrix;
    private final double[] p;
    private final double[] c;

    /**
     * A reusable workspace for one kernel shape: the M x M kernel matrix and two M-long buffers are
     * allocated once, so repeated gradient evaluations during training allocate nothing.
     *
     * @param shape M, d, sigma and amplitude of the kernels
     */
    public LocationEntropy(KernelShape shape) {
        this.shape = shape;
        int m = shape.kernels();
        this.kernelMatrix = new double[m * m];
        this.p = new double[m];
        this.c = new double[m];
    }

    /**
     * {@return {@code L_H = -sum_j p_j log p_j} at locations {@code mu}, with {@code p_j = (1/M) sum_i k_i(mu_j)}
     * (paper section 2)}
     *
     * @param mu    locations, row-major M x d
     * @param shape the kernels' shape
     */
    public static double value(double[] mu, KernelShape shape) {
        return new LocationEntropy(shape).compute(mu, null);
    }

    /**
     * Writes {@code dL_H/dmu} into {@code grad} and returns {@code L_H}.
     *
     * @param mu    locations, row-major M x d
     * @param shape the kernels' shape
     * @param grad  output, M x d, overwritten
     * @return {@code L_H}
     */
    public static double valueAndGradient(double[] mu, KernelShape shape, double[] grad) {
        return new LocationEntropy(shape).compute(mu, grad);
    }

    /**
     * {@code L_H} at {@code mu}; when {@code grad} is not null, also writes {@code dL_H/dmu} into it.
     * Each of the M(M-1)/2 distinct kernel values is computed once.
     *
     * @param mu   locations, row-major M x d (this workspace's M and d)
     * @param grad output, M x d, overwritten; null for the value only
     * @return {@code L_H}
     */
    @Override
    public double compute(double[] mu, double[] grad) {
        int m = shape.kernels();
        int d = shape.dimension();
        double amp = shape.amplitudeFactor();
        double inv2s2 = 1.0 / (2 * shape.sigma() * shape.sigma());
        double[] k = kernelMatrix;
        for (int i = 0; i < m; i++) {
            k[i * m + i] = amp;
            for (int j = i + 1; j < m; j++) {
                double kij = amp * Math.exp(-squaredDistance(mu, i, j, d) * inv2s2);
                k[i * m + j] = kij;
                k[j * m + i] = kij;
            }
        }
        double h = 0;
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += k[i * m + j];
            }
            p[j] = s / m;
            double logp = Math.log(p[j]);
            h -= p[j] * logp;
            c[j] = -(logp + 1);
        }
        if (grad == null) {
            return h;
        }
        double pre = 1.0 / (m * shape.sigma() * shape.sigma());
        java.util.Arrays.fill(grad, 0, m * d, 0);
        for (int l = 0; l < m; l++) {
            for (int j = 0; j < m; j++) {
                if (j == l) {
                    continue;
                }
                double s = pre * k[l * m + j] * (c[j] + c[l]);
                for (int q = 0; q < d; q++) {
                    grad[l * d + q] += s * (mu[j * d + q] - mu[l * d + q]);
                }
            }
        }
        return h;
    }

    private static double squaredDistance(double[] mu, int i, int j, int d) {
        double r2 = 0;
        for (int q = 0; q < d; q++) {
            double diff = mu[i * d + q] - mu[j * d + q];
            r2 += diff * diff;
        }
        return r2;
    }
}
