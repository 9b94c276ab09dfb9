package dev.sparker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToyRow;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dStudy;
import dev.sparker.expo.IdealTest;
import dev.sparker.output.AtomicFiles;
import dev.sparker.train.StopCounts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sparker paper-summary}: the summary of the paper-scale EXPO-1D study ({@link PaperSummary}):
 * {@code summary.json}, Figure 1, Figure 5 and Table 1 from the toys' JSON-lines files.
 */
@Command(name = "paper-summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Summarises the EXPO-1D study at the paper's scale (docs/paper/run-paper-study.sh runs it: one"
                        + " ./sparker expo1d output folder per model, M and schedule under --runs). Every number is"
                        + " recomputed from the toys' JSON-lines files, so a study still in progress is summarised as far"
                        + " as it got.",
                "Writes into --out: summary.json (per model, M and schedule: toy counts, the null's fitted chi-square"
                        + " dof and KS p, per signal the median t and Z with 68 %% intervals, wall time per toy),"
                        + " figure1.png (median Z against M, as the paper's Figure 1), figure5.png (null t with the"
                        + " fitted chi-square per run, as Figure 5) and table1.md (Table 1 with our ideal-test Z beside"
                        + " the paper's, Figure 1 in numbers, SparKer against Falkon-NPLM toy by toy with a sign test,"
                        + " SparKer's schedules toy by toy, and the wall time per toy)."})
final class PaperSummaryCommand implements Callable<Integer> {

    /** Runs with fewer null toys are in the tables but not in the figures. */
    static final int FIGURE_MIN_NULL_TOYS = 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final Path DEFAULT_RUNS = Path.of("docs", "paper", "runs");

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "docs/paper/runs",
            description = "folder of the study's run folders, or one expo1d output folder (default: ${DEFAULT-VALUE})")
    Path runs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "folder for summary.json, figure1.png, figure5.png and table1.md (default: docs/paper for the"
                    + " default --runs, else the --runs folder itself, so a summary of other runs never overwrites the"
                    + " study's)")
    Path out;

    @Option(names = "--ideal-toys", defaultValue = "20000",
            description = "toys per hypothesis of the ideal likelihood-ratio test Z_id (default: ${DEFAULT-VALUE})")
    int idealToys;

    @Option(names = "--seed", defaultValue = "1",
            description = "master seed of the ideal test's toys, as expo1d's --seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-plots", description = "skip figure1.png and figure5.png")
    boolean noPlots;

    @Override
    public Integer call() throws IOException {
        if (idealToys < 100) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ideal-toys must be at least 100 (was " + idealToys + ")");
        }
        PrintWriter o = spec.commandLine().getOut();
        if (out == null) {
            out = runs.normalize().equals(DEFAULT_RUNS) ? DEFAULT_RUNS.getParent() : runs;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a folder");
        }
        List<String> skipped = new ArrayList<>();
        List<PaperSummary.RunSummary> summaries = PaperSummary.summariseAll(runs, skipped);
        for (String line : skipped) {
            o.println("skipped " + line);
        }
        List<Map<String, Object>> ideal = new ArrayList<>();
        Map<String, IdealTest.Result> idealBySignal = new LinkedHashMap<>();
        for (Expo1dSignal s : Expo1dSignal.values()) {
            if (s == Expo1dSignal.NONE) {
                continue;
            }
            // the same toys as expo1d's ideal test at the same seed
            IdealTest.Result id = Expo1dStudy.idealTest(s, idealToys, seed);
            idealBySignal.put(s.cliName(), id);
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("signal", s.cliName());
            part.put("expectedSignalEvents", s.expectedCount());
            part.put("zId", id.zId());
            part.put("zIdLow", id.zIdLow());
            part.put("zIdHigh", id.zIdHigh());
            part.put("toysPerHypothesis", idealToys);
            part.put("method", id.method());
            part.put("paperZId", s.paperZId());
            ideal.add(part);
        }
        Files.createDirectories(out);
        List<String> signalNames = new ArrayList<>(idealBySignal.keySet());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("study", "EXPO-1D at the paper's scale (paper section 3, Figure 1, Figure 5, Table 1; appendix B)");
        summary.put("zMethods", "zEmpirical: p = (#null t >= median signal t + 1) / (null toys + 1); zChiSquare: upper tail"
                + " of the chi-square fitted (maximum likelihood) to the run's null t; each at the median signal t and at"
                + " the ends of the median's 68 % interval (order statistics)");
        summary.put("runs", summaries);
        summary.put("idealTest", ideal);
        List<ModelPair> modelPairs = modelPairs(summaries);
        summary.put("sparkerAgainstFalkon", modelPairsJson(modelPairs));
        // JSON has no NaN or infinity: a Z that does not exist (a median t at or below every null t) is written null
        com.fasterxml.jackson.databind.module.SimpleModule finite = new com.fasterxml.jackson.databind.module.SimpleModule();
        com.fasterxml.jackson.databind.JsonSerializer<Double> nullIfNotFinite = new com.fasterxml.jackson.databind.JsonSerializer<>() {
            @Override
            public void serialize(Double v, com.fasterxml.jackson.core.JsonGenerator g,
                                  com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
                if (Double.isFinite(v)) {
                    g.writeNumber(v);
                } else {
                    g.writeNull();
                }
            }
        };
        finite.addSerializer(Double.class, nullIfNotFinite);
        finite.addSerializer(double.class, nullIfNotFinite);
        AtomicFiles.writeString(out.resolve("summary.json"), new ObjectMapper().registerModule(finite)
                .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
        AtomicFiles.writeString(out.resolve("table1.md"), table(summaries, modelPairs, idealBySignal));
        // the figures last: a figure that cannot be drawn (no fonts on a headless machine) leaves the numbers written
        if (!noPlots) {
            // runs of a few toys (the long paper runs) would only add noise to the figures
            List<PaperSummary.RunSummary> ensembles = summaries.stream().filter(r -> r.nullToys() >= FIGURE_MIN_NULL_TOYS).toList();
            List<PaperSummary.RunSummary> shown = ensembles.isEmpty() ? summaries : ensembles;
            for (PaperSummary.RunSummary r : summaries) {
                if (!shown.contains(r)) {
                    o.printf(Locale.ROOT, "not in the figures (fewer than %d null toys): %s%n", FIGURE_MIN_NULL_TOYS, r.run());
                }
            }
            // each figure replaces its file whole (output.AtomicFiles): one that cannot be drawn leaves the old one
            Plots.studyFigure1(shown, signalNames, out.resolve("figure1.png"));
            Plots.studyFigure5(shown, out.resolve("figure5.png"));
        }
        int width = Math.max(20, summaries.stream().mapToInt(r -> r.label().length()).max().orElse(20));
        String labelColumn = "%-" + width + "s";
        o.printf(Locale.ROOT, labelColumn + " %5s %6s %5s %6s %6s", "model (schedule)", "M", "N_R", "null", "dof", "KS p");
        for (String s : signalNames) {
            o.printf(Locale.ROOT, "  %-16s", s + " (toys) Z");
        }
        o.println();
        for (PaperSummary.RunSummary r : summaries) {
            o.printf(Locale.ROOT, labelColumn + " %5d %6d %5d %6.2f %6.3f", r.label(), r.kernels(), r.referenceSize(), r.nullToys(),
                    r.dof(), r.ksP());
            if (r.fitDropped() > 0) {
                o.printf(Locale.ROOT, "  (fit left out %d null toys with t <= 0)", r.fitDropped());
            }
            for (String s : signalNames) {
                PaperSummary.SignalSummary sig = r.signal(s);
                o.printf(Locale.ROOT, "  %-16s", sig == null ? "-" : String.format(Locale.ROOT, "(%d) %.2f", sig.toys(), sig.zChiSquare()));
            }
            o.println();
        }
        o.printf(Locale.ROOT, "Z: from the fitted chi-square null at the median signal t; wrote %s (summary.json, table1.md%s)%n",
                out, noPlots ? "" : ", figure1.png, figure5.png");
        o.flush();
        return 0;
    }

    /**
     * The toys two runs both trained, in index order: each pair is the two runs' rows of one index whose toy seeds
     * agree (the same seed, so the same data).
     */
    private static List<ToyRow[]> sameToys(Map<Integer, ToyRow> a, Map<Integer, ToyRow> b) {
        List<ToyRow[]> pairs = new ArrayList<>();
        a.forEach((k, row) -> {
            ToyRow o = b.get(k);
            if (o != null && o.seed() == row.seed()) {
                pairs.add(new ToyRow[] {row, o});
            }
        });
        return pairs;
    }

    /**
     * SparKer's schedules toy by toy: for every two SparKer runs at the same M, on the toys both ran (same index,
     * so the same data), the medians of t, the median relative difference and the share of toys whose t agree
     * within 0.5 % or 0.02 (whichever is larger; the converged-training issue's target).
     */
    static String scheduleComparison(List<PaperSummary.RunSummary> runs) {
        StringBuilder b = new StringBuilder();
        List<PaperSummary.RunSummary> sparker = runs.stream().filter(r -> r.model().equals("sparker")).toList();
        boolean header = false;
        for (int i = 0; i < sparker.size(); i++) {
            for (int j = i + 1; j < sparker.size(); j++) {
                PaperSummary.RunSummary a = sparker.get(i);
                PaperSummary.RunSummary c = sparker.get(j);
                if (a.kernels() != c.kernels()) {
                    continue;
                }
                if (a.referenceSize() != c.referenceSize() || a.seed() != c.seed()) {
                    continue; // other data: nothing to compare toy by toy
                }
                for (Map.Entry<String, Map<Integer, ToyRow>> e : a.rows().entrySet()) {
                    Map<Integer, ToyRow> other = c.rows().get(e.getKey());
                    if (other == null) {
                        continue;
                    }
                    List<double[]> pairs = sameToys(e.getValue(), other).stream()
                            .map(r -> new double[] {r[0].t(), r[1].t()}).toList();
                    if (pairs.isEmpty()) {
                        continue;
                    }
                    if (!header) {
                        b.append("\n## SparKer's schedules toy by toy\n\n");
                        b.append("On the toys both runs trained (same N_R, master seed and toy seed, so the same reference,"
                                + " data and initial locations; the labels name any other difference): the median t of each, the median of (t_A - t_B) / |t_B|, and the toys whose"
                                + " t agree within 0.5 % or 0.02, whichever is larger.\n\n");
                        b.append("| M | run A | run B | toys | median t A | median t B | median (t_A - t_B)/abs(t_B) | agree |\n");
                        b.append("|---:|---|---|---|---:|---:|---:|---:|\n");
                        header = true;
                    }
                    double[] ta = pairs.stream().mapToDouble(p -> p[0]).sorted().toArray();
                    double[] tb = pairs.stream().mapToDouble(p -> p[1]).sorted().toArray();
                    double[] rel = pairs.stream().mapToDouble(p -> (p[0] - p[1]) / Math.abs(p[1])).sorted().toArray();
                    long agree = pairs.stream().filter(p -> Math.abs(p[0] - p[1]) <= Math.max(0.005 * Math.abs(p[1]), 0.02)).count();
                    b.append(String.format(Locale.ROOT, "| %d | %s | %s | %d %s | %.3f | %.3f | %+.3f | %d of %d |%n",
                            a.kernels(), a.label(), c.label(), pairs.size(), e.getKey(),
                            dev.sparker.calibration.Significance.quantile(ta, 0.5),
                            dev.sparker.calibration.Significance.quantile(tb, 0.5),
                            dev.sparker.calibration.Significance.quantile(rel, 0.5), agree, pairs.size()));
                }
            }
        }
        return b.toString();
    }

    /**
     * SparKer against Falkon-NPLM on one signal's toys, toy by toy.
     *
     * @param kernels    M of both runs
     * @param sparkerRun the SparKer run's folder name
     * @param sparker    its legend label (model, schedule and any setting that differs from the study's)
     * @param falkonRun  the Falkon-NPLM run's folder name
     * @param signal     the signal's command-line name
     * @param comparison each toy's Z under its own run's fitted chi-square null ({@link Significance#chiSquareZ}),
     *                   SparKer as test A, Falkon-NPLM as test B ({@link Significance#pairedComparison})
     */
    record ModelPair(int kernels, String sparkerRun, String sparker, String falkonRun, String signal,
                     Significance.PairedComparison comparison) {
    }

    /**
     * SparKer against Falkon-NPLM toy by toy: for every SparKer run and the Falkon-NPLM run at the same M, N_R and
     * master seed, on the signal toys both trained (same index and toy seed, so the same data), each toy's Z under
     * each run's own fitted chi-square null, compared by {@link Significance#pairedComparison}.
     */
    static List<ModelPair> modelPairs(List<PaperSummary.RunSummary> runs) {
        List<ModelPair> out = new ArrayList<>();
        for (PaperSummary.RunSummary s : runs) {
            if (!s.model().equals("sparker")) {
                continue;
            }
            for (PaperSummary.RunSummary f : runs) {
                if (!f.model().equals("falkon") || f.kernels() != s.kernels() || f.referenceSize() != s.referenceSize()
                        || f.seed() != s.seed()) {
                    continue;
                }
                for (Map.Entry<String, Map<Integer, ToyRow>> e : s.rows().entrySet()) {
                    Map<Integer, ToyRow> other = f.rows().get(e.getKey());
                    if (e.getKey().equals("null") || other == null) {
                        continue;
                    }
                    List<double[]> pairs = sameToys(e.getValue(), other).stream()
                            .map(r -> new double[] {Significance.chiSquareZ(s.dof(), r[0].t()),
                                    Significance.chiSquareZ(f.dof(), r[1].t())}).toList();
                    if (!pairs.isEmpty()) {
                        out.add(new ModelPair(s.kernels(), s.run(), s.label(), f.run(), e.getKey(),
                                Significance.pairedComparison(pairs.stream().mapToDouble(p -> p[0]).toArray(),
                                        pairs.stream().mapToDouble(p -> p[1]).toArray())));
                    }
                }
            }
        }
        return out;
    }

    /** {@link #modelPairs} as a Markdown section (empty without pairs). */
    static String modelComparison(List<ModelPair> pairs) {
        if (pairs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append("\n## SparKer against Falkon-NPLM toy by toy\n\n");
        b.append("On the signal toys both models trained (same N_R, master seed and toy seed, so the same"
                + " data): each toy's Z from its own run's fitted chi-square null (held within -8.2 and 37.5),"
                + " the median Z of each model over those toys, the median of Z_SparKer - Z_Falkon toy by"
                + " toy, the toys on which each model gives the higher Z, and the exact two-sided sign-test p"
                + " of neither being higher more often (ties left out). The pairing removes the spread of the"
                + " data that both models share, so it can separate models whose 68 % intervals in Figure 1"
                + " overlap. summary.json has the same rows (`sparkerAgainstFalkon`).\n\n");
        b.append("| M | SparKer | signal | toys | median Z SparKer | median Z Falkon | median difference"
                + " | SparKer higher | Falkon higher | sign-test p |\n");
        b.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ModelPair p : pairs) {
            Significance.PairedComparison c = p.comparison();
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.2f | %.2f | %+.2f | %d | %d | %.2g |%n",
                    p.kernels(), p.sparker(), p.signal(), c.toys(), c.medianA(), c.medianB(), c.medianDifference(),
                    c.aHigher(), c.bHigher(), c.signTestP()));
        }
        return b.toString();
    }

    /** {@link #modelPairs} for summary.json: one object per SparKer run, Falkon-NPLM run and signal. */
    static List<Map<String, Object>> modelPairsJson(List<ModelPair> pairs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelPair p : pairs) {
            Significance.PairedComparison c = p.comparison();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kernels", p.kernels());
            m.put("sparkerRun", p.sparkerRun());
            m.put("falkonRun", p.falkonRun());
            m.put("signal", p.signal());
            m.put("toys", c.toys());
            m.put("medianZSparker", c.medianA());
            m.put("medianZFalkon", c.medianB());
            m.put("medianDifference", c.medianDifference());
            m.put("sparkerHigher", c.aHigher());
            m.put("falkonHigher", c.bHigher());
            m.put("signTestP", c.signTestP());
            out.add(m);
        }
        return out;
    }

    /** Table 1 (our Z_id beside the paper's), Figure 1 in numbers and the toy-by-toy comparisons, as Markdown. */
    static String table(List<PaperSummary.RunSummary> runs, List<ModelPair> modelPairs,
                        Map<String, IdealTest.Result> ideal) {
        StringBuilder b = new StringBuilder();
        b.append("<!-- written by ./sparker paper-summary; do not edit -->\n");
        b.append("## Table 1: the EXPO-1D signals and the ideal test\n\n");
        b.append("| signal | N(S) | N(S)/N(H0) | Z_id paper | Z_id ours [at p -+ its error] | ideal toys per hypothesis |\n");
        b.append("|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, IdealTest.Result> e : ideal.entrySet()) {
            Expo1dSignal s = Expo1dSignal.parse(e.getKey());
            IdealTest.Result id = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.4f | %.1f | %.2f [%.2f, %.2f] | %d |%n", s.cliName(),
                    s.expectedCount(), s.expectedCount() / Expo1d.N0, s.paperZId(), id.zId(), id.zIdLow(),
                    Math.min(99, id.zIdHigh()), id.nullToys()));
        }
        b.append("\nZ_id ours: ").append(ideal.values().iterator().next().method()).append(". The interval is the"
                + " importance-sampling error of p at the median t_id only; the median's own spread over the toys is"
                + " not in it. Why ours differ from the paper's for bulk, tail and extreme-tail: [Reproducing the"
                + " paper](../guide/reproducing-the-paper.md#our-z_id-against-the-papers).\n\n");
        b.append("## Figure 1 in numbers: median Z per model, M and schedule\n\n");
        b.append("Z from the chi-square fitted to the run's null t, at the median signal t, with the Z at the ends of the"
                + " median's 68 % interval; in brackets after it the empirical Z (`>` when the median beats every null toy,"
                + " a lower bound) and the signal toys.\n\n");
        b.append("| model | M | schedule (epochs) | N_R | null toys | null dof (KS p) |");
        for (String s : ideal.keySet()) {
            b.append(' ').append(s).append(" |");
        }
        b.append("\n|---|---:|---|---:|---:|---:|");
        b.append("---|".repeat(ideal.size())).append('\n');
        for (PaperSummary.RunSummary r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d%s | %.2f (%.2f) |",
                    r.model().equals("falkon") ? "Falkon-NPLM" : "SparKer", r.kernels(),
                    r.model().equals("falkon") ? "-" : r.schedule() + " (" + r.epochs() + ")"
                            + (r.engine().equals("vector") ? "" : ", " + r.engine()), r.referenceSize(),
                    r.nullToys(), r.fitDropped() > 0 ? " (" + r.fitDropped() + " with t <= 0 not fitted)" : "", r.dof(), r.ksP()));
            for (String s : ideal.keySet()) {
                PaperSummary.SignalSummary sig = r.signal(s);
                b.append(sig == null ? " - |" : String.format(Locale.ROOT, " %.2f [%.2f, %.2f] (%s%.2f; %d) |",
                        sig.zChiSquare(), sig.zChiSquareLow(), sig.zChiSquareHigh(), sig.zEmpiricalSaturated() ? ">" : "",
                        sig.zEmpirical(), sig.toys()));
            }
            b.append('\n');
        }
        b.append(modelComparison(modelPairs));
        b.append(scheduleComparison(runs));
        b.append("\n## Wall time per toy\n\n");
        b.append("Seconds per toy as each row records it: the median over the null toys, and the mean over the signals of"
                + " each signal's median. On a CPU the study runs one thread per toy, two toys at a time on two cores; a"
                + " batched run (`opencl`) records its batch's wall time divided by its toys, and batches of one ensemble"
                + " may share the device (two at once halve each one's speed), so its null column can read up to twice"
                + " the device's time per toy.\n\n");
        b.append("| model | M | schedule (epochs) | engine, precision | null | signal toys |\n|---|---:|---|---|---:|---:|\n");
        for (PaperSummary.RunSummary r : runs) {
            double sig = r.signals().stream().mapToDouble(PaperSummary.SignalSummary::secondsPerToy).average().orElse(Double.NaN);
            boolean falkon = r.model().equals("falkon");
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.3g | %s |%n", falkon ? "Falkon-NPLM" : "SparKer",
                    r.kernels(), falkon ? "-" : r.schedule() + " (" + r.epochs() + ")",
                    falkon ? "-" : r.engine() + ", " + r.precision(), r.nullSecondsPerToy(),
                    Double.isNaN(sig) ? "-" : String.format(Locale.ROOT, "%.3g", sig)));
        }
        List<PaperSummary.RunSummary> converged = runs.stream().filter(r -> r.stops() != null).toList();
        if (!converged.isEmpty()) {
            b.append("\n## How the converged schedule's toys stopped\n\n");
            b.append("From each toy's convergence record (null and signal toys together): by the tolerance (the total"
                    + " loss stopped falling), stalled (no step lowered the loss at the engine's precision, so t is where"
                    + " that precision stopped the search), or at the epoch cap.\n\n");
            b.append("| M | precision | toys | tolerance | stalled | cap | epochs (min-max, median) |\n"
                    + "|---:|---|---:|---:|---:|---:|---|\n");
            for (PaperSummary.RunSummary r : converged) {
                StopCounts c = r.stops();
                b.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %d (%d) | %d-%d, %s |%n", r.kernels(),
                        r.precision(), c.toys(), c.tolerance(), c.stalled(), c.cap(), r.epochs(), c.epochsMin(),
                        c.epochsMax(), String.format(Locale.ROOT, "%.1f", c.epochsMedian())));
            }
        }
        return b.toString();
    }
}
