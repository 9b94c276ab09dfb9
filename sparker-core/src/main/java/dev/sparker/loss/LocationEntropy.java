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
public final class LocationEntropy {

    private LocationEntropy() {
    }

    /** {@code L_H} at locations {@code mu} (row-major M x d). */
    public static double value(double[] mu, KernelShape shape) {
        double[] p = densities(mu, shape);
        double h = 0;
        for (double pj : p) {
            h -= pj * Math.log(pj);
        }
        return h;
    }

    /** Writes {@code dL_H/dmu} into {@code grad} (row-major M x d) and returns {@code L_H}. */
    public static double valueAndGradient(double[] mu, KernelShape shape, double[] grad) {
        int m = shape.kernels();
        int d = shape.dimension();
        double[] p = densities(mu, shape);
        double[] c = new double[m];
        double h = 0;
        for (int j = 0; j < m; j++) {
            h -= p[j] * Math.log(p[j]);
            c[j] = -(Math.log(p[j]) + 1);
        }
        double amp = shape.amplitudeFactor();
        double inv2s2 = 1.0 / (2 * shape.sigma() * shape.sigma());
        double pre = 1.0 / (m * shape.sigma() * shape.sigma());
        java.util.Arrays.fill(grad, 0, m * d, 0);
        for (int l = 0; l < m; l++) {
            for (int j = 0; j < m; j++) {
                if (j == l) {
                    continue;
                }
                double klj = amp * Math.exp(-squaredDistance(mu, l, j, d) * inv2s2);
                double s = pre * klj * (c[j] + c[l]);
                for (int q = 0; q < d; q++) {
                    grad[l * d + q] += s * (mu[j * d + q] - mu[l * d + q]);
                }
            }
        }
        return h;
    }

    /** {@code p_j = (1/M) sum_i k(mu_i, mu_j)}. */
    static double[] densities(double[] mu, KernelShape shape) {
        int m = shape.kernels();
        int d = shape.dimension();
        double amp = shape.amplitudeFactor();
        double inv2s2 = 1.0 / (2 * shape.sigma() * shape.sigma());
        double[] p = new double[m];
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += amp * Math.exp(-squaredDistance(mu, i, j, d) * inv2s2);
            }
            p[j] = s / m;
        }
        return p;
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
