package dev.sparker.io;

import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The numbers behind the per-feature picture of a test (the paper's Figure 3), in original units: for each
 * feature, histograms of the data, of the reference (weighted), and of the reference reweighted by
 * {@code e^{f(x)}}, which is what the learned model predicts the data should look like; plus the kernel
 * locations projected on that feature with their coefficients. Plotting is left to the caller.
 *
 * <p>Bins are equal-width between the 0.1 % and 99.9 % quantiles of the pooled reference and data values of
 * that feature; values outside fall into the first or last bin (so no event is lost from the counts).
 */
public final class FeatureMarginals {

    private FeatureMarginals() {
    }

    /**
     * One feature.
     *
     * @param feature            the feature name
     * @param edges              bin edges in original units, {@code bins + 1}
     * @param data               weighted data counts per bin
     * @param reference          weighted reference counts per bin (reference weights include {@code N0 / N_R})
     * @param fitted             reference counts reweighted by {@code e^{f}}: the model's prediction of the data
     * @param kernelLocations    each kernel's location on this feature, original units
     * @param kernelCoefficients each kernel's coefficient {@code a_i}
     */
    public record Marginal(String feature, double[] edges, double[] data, double[] reference, double[] fitted,
                           double[] kernelLocations, double[] kernelCoefficients) {
    }

    /**
     * {@return one histogram per feature: data, reference and model-reweighted reference (the paper's Figure 3)}
     *
     * @param inputs the prepared inputs the model was trained on
     * @param model  the learned model (standardised units)
     * @param bins   bins per feature, at least 1
     * @throws IllegalArgumentException when bins is below 1 or the model's dimension differs
     */
    public static List<Marginal> compute(TestInputs inputs, KernelModel model, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins = " + bins + "; at least 1 is needed");
        }
        Samples ref = inputs.reference();
        Samples data = inputs.data();
        if (model.dimension() != ref.dimension()) {
            throw new IllegalArgumentException("model has dimension " + model.dimension() + " but the samples have " + ref.dimension());
        }
        Standardisation st = inputs.standardisation();
        double[] expF = new double[ref.size()];
        for (int i = 0; i < ref.size(); i++) {
            expF[i] = Math.exp(model.evaluate(ref.event(i)));
        }
        Standardisation.OriginalUnitKernels k = st.toOriginalUnits(model);
        double[] mean = st.means();
        double[] std = st.stds();
        List<Marginal> out = new ArrayList<>(ref.dimension());
        for (int j = 0; j < ref.dimension(); j++) {
            double[] pooled = new double[ref.size() + data.size()];
            for (int i = 0; i < ref.size(); i++) {
                pooled[i] = mean[j] + std[j] * ref.coordinate(i, j);
            }
            for (int i = 0; i < data.size(); i++) {
                pooled[ref.size() + i] = mean[j] + std[j] * data.coordinate(i, j);
            }
            double[] sorted = pooled.clone();
            Arrays.sort(sorted);
            double lo = sorted[(int) Math.floor(0.001 * (sorted.length - 1))];
            double hi = sorted[(int) Math.ceil(0.999 * (sorted.length - 1))];
            if (!(hi > lo)) {
                lo = sorted[0];
                hi = sorted[sorted.length - 1];
            }
            if (!(hi > lo)) {
                hi = lo + 1;
            }
            double[] edges = new double[bins + 1];
            for (int b = 0; b <= bins; b++) {
                edges[b] = lo + (hi - lo) * b / bins;
            }
            double[] refCounts = new double[bins];
            double[] fitted = new double[bins];
            double[] dataCounts = new double[bins];
            for (int i = 0; i < ref.size(); i++) {
                int b = bin(pooled[i], lo, hi, bins);
                refCounts[b] += ref.weight(i);
                fitted[b] += ref.weight(i) * expF[i];
            }
            for (int i = 0; i < data.size(); i++) {
                dataCounts[bin(pooled[ref.size() + i], lo, hi, bins)] += data.weight(i);
            }
            double[] loc = new double[model.size()];
            for (int i = 0; i < loc.length; i++) {
                loc[i] = k.locations()[i][j];
            }
            out.add(new Marginal(st.featureNames().get(j), edges, dataCounts, refCounts, fitted, loc, k.coefficients()));
        }
        return out;
    }

    private static int bin(double x, double lo, double hi, int bins) {
        int b = (int) Math.floor((x - lo) / (hi - lo) * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }
}
