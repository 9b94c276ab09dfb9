package dev.sparker.calibration;

/**
 * Combines the tests run at several kernel widths on the same toys. Each width's t becomes a p-value
 * against that width's null toys (leave-one-out for a null toy: {@code (#{others >= t} + 1) / N0}, the
 * p-value a fresh toy would get from the other N0 - 1 toys), then
 * <ul>
 *   <li>min-p: {@code T = -log min_w p_w};</li>
 *   <li>Fisher: {@code T = -2 sum_w log p_w}.</li>
 * </ul>
 * Because the widths' p-values are correlated, neither combined statistic has its textbook null
 * distribution; each is calibrated on its own null toys (the combined values of the null toys).
 */
public final class WidthCombination {

    private WidthCombination() {
    }

    /**
     * How the per-width p-values combine: {@code MIN_P} gives {@code -log min_w p_w}, {@code FISHER} gives
     * {@code -2 sum_w log p_w}; larger is less null-like.
     */
    public enum Method {
        /** {@code -log min_w p_w}. */
        MIN_P,
        /** {@code -2 sum_w log p_w}. */
        FISHER
    }

    /**
     * {@return the combined statistic of every null toy, each toy's p-values taken leave-one-out against the other
     * null toys}
     *
     * @param nullT  null toys' t, {@code nullT[toy][width]}, every toy with the same number of widths
     * @param method how to combine
     * @throws IllegalArgumentException when there are fewer than two toys or the rows differ in length
     */
    public static double[] combineNull(double[][] nullT, Method method) {
        int n = requireMatrix(nullT, "null toys");
        if (n < 2) {
            throw new IllegalArgumentException("at least 2 null toys are needed to combine widths");
        }
        int widths = nullT[0].length;
        double[] out = new double[n];
        double[] p = new double[widths];
        for (int j = 0; j < n; j++) {
            for (int w = 0; w < widths; w++) {
                int above = 0;
                for (int i = 0; i < n; i++) {
                    if (i != j && nullT[i][w] >= nullT[j][w]) {
                        above++;
                    }
                }
                p[w] = (above + 1.0) / n;
            }
            out[j] = combine(p, method);
        }
        return out;
    }

    /**
     * {@return the combined statistic of each signal toy, p-values against all null toys}
     *
     * @param nullT   null toys' t, {@code nullT[toy][width]}
     * @param signalT signal toys' t, {@code signalT[toy][width]}, as many widths as the null toys
     * @param method  how to combine
     * @throws IllegalArgumentException when the numbers of widths differ or a sample is empty
     */
    public static double[] combineSignal(double[][] nullT, double[][] signalT, Method method) {
        int n = requireMatrix(nullT, "null toys");
        requireMatrix(signalT, "signal toys");
        int widths = nullT[0].length;
        if (signalT[0].length != widths) {
            throw new IllegalArgumentException("null toys have " + widths + " widths but signal toys have " + signalT[0].length);
        }
        double[] out = new double[signalT.length];
        double[] p = new double[widths];
        double[] column = new double[n];
        for (int k = 0; k < signalT.length; k++) {
            for (int w = 0; w < widths; w++) {
                for (int i = 0; i < n; i++) {
                    column[i] = nullT[i][w];
                }
                p[w] = Significance.empiricalP(column, signalT[k][w]);
            }
            out[k] = combine(p, method);
        }
        return out;
    }

    static double combine(double[] p, Method method) {
        return switch (method) {
            case MIN_P -> {
                double min = 1;
                for (double v : p) {
                    min = Math.min(min, v);
                }
                yield -Math.log(min);
            }
            case FISHER -> {
                double s = 0;
                for (double v : p) {
                    s += Math.log(v);
                }
                yield -2 * s;
            }
        };
    }

    /**
     * {@return the sensitivity of the combined test: empirical Z at the median combined signal statistic, its
     * null calibrated on the combined null toys}
     *
     * @param nullT   null toys' t, {@code nullT[toy][width]}
     * @param signalT signal toys' t, {@code signalT[toy][width]}
     * @param method  how to combine
     * @throws IllegalArgumentException when the numbers of widths differ or a sample is empty
     */
    public static Significance.Sensitivity sensitivity(double[][] nullT, double[][] signalT, Method method) {
        return Significance.sensitivity(combineNull(nullT, method), combineSignal(nullT, signalT, method), null);
    }

    private static int requireMatrix(double[][] m, String what) {
        if (m == null || m.length == 0 || m[0] == null || m[0].length == 0) {
            throw new IllegalArgumentException("no " + what + " to combine");
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null || m[i].length != m[0].length) {
                throw new IllegalArgumentException(what + ": toy " + i + " has a different number of widths than toy 0");
            }
        }
        return m.length;
    }
}
