package dev.sparker.io;

import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import dev.sparker.train.ResultJson;
import java.util.Arrays;
import java.util.List;

/**
 * The per-feature affine map {@code z_j = (x_j - mean_j) / std_j} fitted on the reference sample, applied to
 * reference and data alike (as in the paper), and kept so that learned kernels can be reported in the
 * original units. Immutable; serialises to JSON.
 *
 * <p>Means and standard deviations are weighted by the reference's event weights (plain ones when every
 * weight is equal); the standard deviation is the population one ({@code ddof = 0}, as NumPy's default).
 * A kernel that is isotropic with width {@code sigma} in standardised units is an axis-aligned Gaussian of
 * width {@code sigma * std_j} along feature {@code j} in original units, with the same height.
 *
 * @param featureNames one name per feature
 * @param means        the reference mean of each feature (all 0 when not applied)
 * @param stds         the reference standard deviation of each feature (all 1 when not applied)
 * @param applied      false when standardisation was turned off (the map is then the identity)
 */
public record Standardisation(List<String> featureNames, double[] means, double[] stds, boolean applied) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException when the names, means and deviations differ in length, or a deviation
     *         is not finite and > 0
     */
    public Standardisation {
        featureNames = List.copyOf(featureNames);
        if (means == null || stds == null || means.length != stds.length || means.length != featureNames.size()) {
            throw new IllegalArgumentException("standardisation needs one name, mean and standard deviation per feature");
        }
        means = means.clone();
        stds = stds.clone();
        for (int j = 0; j < stds.length; j++) {
            if (!Double.isFinite(means[j]) || !(stds[j] > 0) || !Double.isFinite(stds[j])) {
                throw new IllegalArgumentException("feature " + j + " ('" + featureNames.get(j) + "'): mean " + means[j]
                        + ", standard deviation " + stds[j] + "; the mean must be finite and the deviation finite and > 0");
            }
        }
    }

    /**
     * The identity map: standardisation turned off.
     *
     * @param featureNames one name per feature (d names)
     * @return means 0, deviations 1, {@code applied} false
     */
    public static Standardisation identity(List<String> featureNames) {
        double[] zeros = new double[featureNames.size()];
        double[] ones = new double[featureNames.size()];
        Arrays.fill(ones, 1.0);
        return new Standardisation(featureNames, zeros, ones, false);
    }

    /**
     * Fits means and standard deviations on {@code reference}. A feature whose values are all equal (to
     * rounding: {@code std <= 1e-12 |mean|}) is rejected: it carries no information and cannot be scaled.
     *
     * @param reference    the reference sample, n x d, with its weights
     * @param featureNames one name per feature (d names)
     * @return the fitted map
     * @throws IllegalArgumentException naming the feature with zero variance, or when the names do not match d or
     *         the weights sum to 0
     */
    public static Standardisation fit(Samples reference, List<String> featureNames) {
        int d = reference.dimension();
        if (featureNames.size() != d) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + d + " features");
        }
        int n = reference.size();
        double total = reference.totalWeight();
        if (!(total > 0)) {
            throw new IllegalArgumentException("the reference's weights sum to " + total + "; cannot standardise");
        }
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += reference.weight(i) * reference.coordinate(i, j);
            }
            m /= total;
            double v = 0;
            for (int i = 0; i < n; i++) {
                double dx = reference.coordinate(i, j) - m;
                v += reference.weight(i) * dx * dx;
            }
            double s = Math.sqrt(v / total);
            if (!(s > 1e-12 * Math.abs(m)) || s == 0) {
                throw new IllegalArgumentException("feature " + j + " ('" + featureNames.get(j) + "') has zero variance in"
                        + " the reference (every value is " + reference.coordinate(0, j) + "); it carries no information"
                        + " and cannot be standardised: leave it out of the features");
            }
            mean[j] = m;
            std[j] = s;
        }
        return new Standardisation(featureNames, mean, std, true);
    }

    /**
     * {@return the number of features d}
     */
    public int dimension() {
        return means.length;
    }

    /**
     * {@return a copy of the d reference means, in original units}
     */
    @Override
    public double[] means() {
        return means.clone();
    }

    /**
     * {@return a copy of the d reference standard deviations, in original units}
     */
    @Override
    public double[] stds() {
        return stds.clone();
    }

    /**
     * The same events in standardised units, weights kept.
     *
     * @param samples n x d events in original units
     * @return n x d events in standardised units
     * @throws IllegalArgumentException when the dimension differs from this map's
     */
    public Samples apply(Samples samples) {
        requireDimension(samples.dimension());
        if (!applied) {
            return samples;
        }
        int d = dimension();
        double[] x = samples.flatCoordinates();
        for (int k = 0; k < x.length; k++) {
            int j = k % d;
            x[k] = (x[k] - means[j]) / stds[j];
        }
        return Samples.fromFlat(x, samples.size(), d, samples.weights());
    }

    /**
     * One point from original to standardised units.
     *
     * @param point d coordinates in original units
     * @return d standardised coordinates
     */
    public double[] toStandardised(double[] point) {
        requireDimension(point.length);
        double[] z = new double[point.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = (point[j] - means[j]) / stds[j];
        }
        return z;
    }

    /**
     * One point from standardised back to original units.
     *
     * @param point d standardised coordinates
     * @return d coordinates in original units
     */
    public double[] toOriginal(double[] point) {
        requireDimension(point.length);
        double[] x = new double[point.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = means[j] + stds[j] * point[j];
        }
        return x;
    }

    /**
     * The kernel width along each feature in original units: {@code sigma * std_j}.
     *
     * @param sigma the kernel width in standardised units
     * @return d widths in original units
     */
    public double[] sigmaInOriginalUnits(double sigma) {
        double[] s = new double[dimension()];
        for (int j = 0; j < s.length; j++) {
            s[j] = sigma * stds[j];
        }
        return s;
    }

    /**
     * A learned model's kernels in original units: locations mapped back, width per feature.
     *
     * @param model a model trained on standardised samples (dimension d)
     * @return coefficients, M x d locations and d widths in original units
     */
    public OriginalUnitKernels toOriginalUnits(KernelModel model) {
        requireDimension(model.dimension());
        double[][] locations = new double[model.size()][];
        for (int i = 0; i < model.size(); i++) {
            locations[i] = toOriginal(model.location(i));
        }
        return new OriginalUnitKernels(featureNames, model.coefficients(), locations, sigmaInOriginalUnits(model.sigma()));
    }

    /**
     * {@code f} at a point given in original units (the model was trained in standardised units).
     *
     * @param model a model trained on standardised samples
     * @param point d coordinates in original units
     * @return f(point), the estimated log density ratio
     */
    public double evaluateAtOriginal(KernelModel model, double[] point) {
        return model.evaluate(toStandardised(point));
    }

    /**
     * {@return this map as JSON (names, means, deviations, applied)}
     */
    public String toJson() {
        return ResultJson.toJson(this);
    }

    /**
     * Reads a map written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the map
     * @throws java.io.UncheckedIOException when the JSON cannot be read
     */
    public static Standardisation fromJson(String json) {
        return ResultJson.fromJson(json, Standardisation.class);
    }

    private void requireDimension(int d) {
        if (d != dimension()) {
            throw new IllegalArgumentException("dimension " + d + " but the standardisation has " + dimension() + " features");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardisation s && s.applied == applied && s.featureNames.equals(featureNames)
                && Arrays.equals(s.means, means) && Arrays.equals(s.stds, stds);
    }

    @Override
    public int hashCode() {
        return 31 * featureNames.hashCode() + 7 * Arrays.hashCode(means) + Arrays.hashCode(stds) + (applied ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Standardisation[applied=" + applied + ", features=" + featureNames + ", means=" + Arrays.toString(means)
                + ", stds=" + Arrays.toString(stds) + "]";
    }

    /**
     * Kernels of a model in original units.
     *
     * @param featureNames    one name per feature
     * @param coefficients    the M coefficients a_i (unchanged by the map)
     * @param locations       M x d kernel locations mu_i in original units
     * @param sigmaPerFeature d kernel widths {@code sigma * std_j} in original units
     */
    public record OriginalUnitKernels(List<String> featureNames, double[] coefficients, double[][] locations,
                                      double[] sigmaPerFeature) {
    }
}
