package dev.sparker.io;

import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks of the data against the reference that do not stop a test but that a user must see: data events
 * outside the reference's range in a feature (the model cannot learn anything there from the reference, and
 * a single far event can move t a lot), and values repeated many times in the data but (almost) never in the
 * reference, which is how missing-value sentinels such as {@code -999} look. Computed on the values as read
 * (original units, before standardisation). Weights are ignored: these are event counts.
 */
public final class InputChecks {
    /** A repeated value is reported when the data hold it at least this many times ... */
    static final int MIN_REPEATS = 5;
    /** ... and its share of the data is more than this many times its share of the reference. */
    static final double REPEAT_EXCESS = 10;
    /** At most this many repeated values are listed per feature. */
    static final int MAX_REPEATS_LISTED = 5;

    private InputChecks() {
    }

    /**
     * A value the data repeat far more often than the reference.
     *
     * @param value          the value
     * @param dataCount      data events holding exactly it in this feature
     * @param referenceCount reference events holding exactly it
     */
    public record Repeat(double value, int dataCount, int referenceCount) {
    }

    /**
     * One feature's report.
     *
     * @param feature      the feature's name
     * @param referenceMin the reference's lowest value
     * @param referenceMax the reference's highest value
     * @param below        data events below {@code referenceMin}
     * @param above        data events above {@code referenceMax}
     * @param dataMin      the data's lowest value
     * @param dataMax      the data's highest value
     * @param repeats      values repeated in the data far more than in the reference (at most 5, most frequent first)
     */
    public record FeatureReport(String feature, double referenceMin, double referenceMax, int below, int above,
                                double dataMin, double dataMax, List<Repeat> repeats) {
        /** Copies the repeats. */
        public FeatureReport {
            repeats = List.copyOf(repeats);
        }

        /** {@return whether there is anything to report: events outside the reference's range, or repeats} */
        public boolean flagged() {
            return below > 0 || above > 0 || !repeats.isEmpty();
        }
    }

    /**
     * {@return one report per feature, in feature order}
     *
     * @param reference the reference as read (original units)
     * @param data      the data as read, with as many features
     * @throws IllegalArgumentException when the two have different dimensions
     */
    public static List<FeatureReport> compare(SampleTable reference, SampleTable data) {
        Samples r = reference.samples();
        Samples d = data.samples();
        if (r.dimension() != d.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: reference " + r.dimension() + ", data " + d.dimension());
        }
        List<FeatureReport> out = new ArrayList<>(r.dimension());
        for (int j = 0; j < r.dimension(); j++) {
            double[] rv = column(r, j);
            double[] dv = column(d, j);
            Arrays.sort(rv);
            Arrays.sort(dv);
            double lo = rv[0];
            double hi = rv[rv.length - 1];
            int below = 0;
            while (below < dv.length && dv[below] < lo) {
                below++;
            }
            int above = 0;
            while (above < dv.length && dv[dv.length - 1 - above] > hi) {
                above++;
            }
            List<Repeat> repeats = new ArrayList<>();
            for (int i = 0; i < dv.length; ) {
                int k = i;
                while (k < dv.length && Double.compare(dv[k], dv[i]) == 0) {
                    k++;
                }
                int count = k - i;
                if (count >= MIN_REPEATS) {
                    int refCount = countOf(rv, dv[i]);
                    if ((double) count / dv.length > REPEAT_EXCESS * refCount / rv.length) {
                        repeats.add(new Repeat(dv[i], count, refCount));
                    }
                }
                i = k;
            }
            repeats.sort((a, b) -> Integer.compare(b.dataCount(), a.dataCount()));
            out.add(new FeatureReport(reference.featureNames().get(j), lo, hi, below, above, dv[0], dv[dv.length - 1],
                    repeats.subList(0, Math.min(MAX_REPEATS_LISTED, repeats.size()))));
        }
        return out;
    }

    /**
     * {@return the lines to show a user: one per flagged feature, none when nothing is flagged}
     *
     * @param reports    from {@link #compare}
     * @param dataEvents the data's event count, for "n of N events"
     */
    public static List<String> describe(List<FeatureReport> reports, int dataEvents) {
        List<String> lines = new ArrayList<>();
        for (FeatureReport f : reports) {
            if (!f.flagged()) {
                continue;
            }
            StringBuilder sb = new StringBuilder("check data, feature " + f.feature() + ":");
            String sep = " ";
            if (f.below() > 0) {
                sb.append(String.format(Locale.ROOT, "%s%d of %d events below the reference's lowest value %.6g (lowest %.6g)",
                        sep, f.below(), dataEvents, f.referenceMin(), f.dataMin()));
                sep = "; ";
            }
            if (f.above() > 0) {
                sb.append(String.format(Locale.ROOT, "%s%d of %d events above the reference's highest value %.6g (highest %.6g)",
                        sep, f.above(), dataEvents, f.referenceMax(), f.dataMax()));
                sep = "; ";
            }
            for (Repeat rep : f.repeats()) {
                sb.append(String.format(Locale.ROOT, "%svalue %.6g repeated %d times (%d times in the reference): a missing-value sentinel?",
                        sep, rep.value(), rep.dataCount(), rep.referenceCount()));
                sep = "; ";
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /**
     * {@return the reports as plain maps for result.json, one per feature}
     *
     * @param reports from {@link #compare}
     */
    public static List<Map<String, Object>> toJson(List<FeatureReport> reports) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FeatureReport f : reports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", f.feature());
            m.put("referenceMin", f.referenceMin());
            m.put("referenceMax", f.referenceMax());
            m.put("dataMin", f.dataMin());
            m.put("dataMax", f.dataMax());
            m.put("below", f.below());
            m.put("above", f.above());
            List<Map<String, Object>> reps = new ArrayList<>();
            for (Repeat r : f.repeats()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("value", r.value());
                rm.put("dataCount", r.dataCount());
                rm.put("referenceCount", r.referenceCount());
                reps.add(rm);
            }
            m.put("repeatedValues", reps);
            out.add(m);
        }
        return out;
    }

    private static double[] column(Samples s, int j) {
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.coordinate(i, j);
        }
        return v;
    }

    private static int countOf(double[] sorted, double v) {
        int i = Arrays.binarySearch(sorted, v);
        if (i < 0) {
            return 0;
        }
        int lo = i;
        while (lo > 0 && Double.compare(sorted[lo - 1], v) == 0) {
            lo--;
        }
        int hi = i;
        while (hi + 1 < sorted.length && Double.compare(sorted[hi + 1], v) == 0) {
            hi++;
        }
        return hi - lo + 1;
    }
}
