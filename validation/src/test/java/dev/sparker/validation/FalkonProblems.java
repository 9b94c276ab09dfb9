package dev.sparker.validation;

import dev.sparker.model.Samples;
import java.util.SplittableRandom;

/** Small seeded problems for the Falkon-NPLM checks, and a plain dense implementation of its Newton solve. */
final class FalkonProblems {
    private FalkonProblems() {
    }

    /**
     * Reference: {@code nr} events, each coordinate Exp(1), weight {@code nd / nr} times a random factor in
     * [0.5, 1.5] (Monte Carlo weights); data: {@code nd} such events plus {@code bump} events near 1.2 in every
     * coordinate, weights in [0.5, 1.5].
     */
    static Samples[] problem(long seed, int d, int nr, int nd, int bump) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] ref = new double[nr * d];
        double[] wr = new double[nr];
        for (int i = 0; i < nr; i++) {
            for (int k = 0; k < d; k++) {
                ref[i * d + k] = -Math.log(1 - r.nextDouble());
            }
            wr[i] = (double) nd / nr * (0.5 + r.nextDouble());
        }
        int n = nd + bump;
        double[] dat = new double[n * d];
        double[] wd = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                dat[i * d + k] = i < nd ? -Math.log(1 - r.nextDouble()) : 1.2 + 0.2 * r.nextGaussian();
            }
            wd[i] = 0.5 + r.nextDouble();
        }
        return new Samples[] {Samples.fromFlat(ref, nr, d, wr), Samples.fromFlat(dat, n, d, wd)};
    }

    /** The fitted coefficients and t of a dense, independent Newton solve. */
    record Dense(double[] alpha, double t) {
    }

    /**
     * Falkon-NPLM written plainly: the full n x M kernel matrix, the Newton matrix and gradient from their
     * textbook formulas, Gaussian elimination with partial pivoting, {@code steps} steps from zero.
     */
    static Dense denseNewton(Samples ref, Samples data, double[] centres, double sigma, double lambda, int steps) {
        int d = ref.dimension();
        int m = centres.length / d;
        int nr = ref.size();
        int n = nr + data.size();
        double[][] x = new double[n][];
        double[] w = new double[n];
        boolean[] isData = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < nr ? ref.event(i) : data.event(i - nr);
            w[i] = i < nr ? ref.weight(i) : data.weight(i - nr);
            isData[i] = i >= nr;
        }
        double[][] k = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                k[i][j] = gauss(x[i], centres, j, d, sigma);
            }
        }
        double[][] kmm = new double[m][m];
        for (int a = 0; a < m; a++) {
            double[] ca = java.util.Arrays.copyOfRange(centres, a * d, (a + 1) * d);
            for (int b = 0; b < m; b++) {
                kmm[a][b] = gauss(ca, centres, b, d, sigma);
            }
        }
        double[] alpha = new double[m];
        for (int s = 0; s < steps; s++) {
            double[] grad = new double[m];
            double[][] h = new double[m][m];
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int j = 0; j < m; j++) {
                    f += k[i][j] * alpha[j];
                }
                double sig = 1 / (1 + Math.exp(-f));
                double v = w[i] * (isData[i] ? sig - 1 : sig);
                double c = w[i] * sig * (1 - sig);
                for (int a = 0; a < m; a++) {
                    grad[a] += v * k[i][a] / n;
                    for (int b = 0; b < m; b++) {
                        h[a][b] += c * k[i][a] * k[i][b] / n;
                    }
                }
            }
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    grad[a] += lambda * kmm[a][b] * alpha[b];
                    h[a][b] += lambda * kmm[a][b];
                }
            }
            double[] rhs = new double[m];
            for (int a = 0; a < m; a++) {
                rhs[a] = -grad[a];
            }
            double[] delta = gaussianElimination(h, rhs);
            for (int a = 0; a < m; a++) {
                alpha[a] += delta[a];
            }
        }
        double np = 0;
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < m; j++) {
                f += k[i][j] * alpha[j];
            }
            np += isData[i] ? -w[i] * f : w[i] * (Math.exp(f) - 1);
        }
        return new Dense(alpha, -2 * np);
    }

    static double gauss(double[] xi, double[] centres, int j, int d, double sigma) {
        double r2 = 0;
        for (int q = 0; q < d; q++) {
            double diff = xi[q] - centres[j * d + q];
            r2 += diff * diff;
        }
        return Math.exp(-r2 / (2 * sigma * sigma));
    }

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting; {@code a} and {@code b} are consumed. */
    static double[] gaussianElimination(double[][] a, double[] b) {
        int m = b.length;
        for (int col = 0; col < m; col++) {
            int piv = col;
            for (int row = col + 1; row < m; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[piv][col])) {
                    piv = row;
                }
            }
            double[] tr = a[col];
            a[col] = a[piv];
            a[piv] = tr;
            double tb = b[col];
            b[col] = b[piv];
            b[piv] = tb;
            for (int row = col + 1; row < m; row++) {
                double factor = a[row][col] / a[col][col];
                for (int q = col; q < m; q++) {
                    a[row][q] -= factor * a[col][q];
                }
                b[row] -= factor * b[col];
            }
        }
        double[] x = new double[m];
        for (int row = m - 1; row >= 0; row--) {
            double s = b[row];
            for (int q = row + 1; q < m; q++) {
                s -= a[row][q] * x[q];
            }
            x[row] = s / a[row][row];
        }
        return x;
    }

    static double maxAbs(double[] v) {
        double s = 0;
        for (double x : v) {
            s = Math.max(s, Math.abs(x));
        }
        return s;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s = Math.max(s, Math.abs(a[i] - b[i]));
        }
        return s;
    }
}
