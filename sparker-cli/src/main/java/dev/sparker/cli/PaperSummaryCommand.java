package dev.sparker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.IdealTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
                        + " dof and KS p, per signal the median t and Z with 68 % intervals, wall time per toy),"
                        + " figure1.png (median Z against M, as the paper's Figure 1), figure5.png (null t with the"
                        + " fitted chi-square per run, as Figure 5) and table1.md (Table 1 with our ideal-test Z beside"
                        + " the paper's, and Figure 1 in numbers)."})
final class PaperSummaryCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "docs/paper/runs",
            description = "folder of the study's run folders, or one expo1d output folder (default: ${DEFAULT-VALUE})")
    Path runs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs/paper",
            description = "folder for summary.json, figure1.png, figure5.png and table1.md (default: ${DEFAULT-VALUE})")
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
            IdealTest.Result id = IdealTest.run(Expo1d.hypotheses(s), idealToys, idealToys, ToySeeds.seed(seed, 7_000_000L + s.ordinal()));
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
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("study", "EXPO-1D at the paper's scale (paper section 3, Figure 1, Figure 5, Table 1; appendix B)");
        summary.put("zMethods", "zEmpirical: p = (#null t >= median signal t + 1) / (null toys + 1); zChiSquare: upper tail"
                + " of the chi-square fitted (maximum likelihood) to the run's null t; each at the median signal t and at"
                + " the ends of the median's 68 % interval (order statistics)");
        summary.put("runs", summaries);
        summary.put("idealTest", ideal);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("summary.json").toFile(), summary);
        Files.writeString(out.resolve("table1.md"), table(summaries, idealBySignal), StandardCharsets.UTF_8);
        List<String> signalNames = new ArrayList<>(idealBySignal.keySet());
        if (!noPlots) {
            Plots.studyFigure1(summaries, signalNames, out.resolve("figure1.png"));
            Plots.studyFigure5(summaries, out.resolve("figure5.png"));
        }
        o.printf(Locale.ROOT, "%-36s %5s %6s %5s %6s %6s", "run", "M", "N_R", "null", "dof", "KS p");
        for (String s : signalNames) {
            o.printf(Locale.ROOT, "  %-16s", s + " (toys) Z");
        }
        o.println();
        for (PaperSummary.RunSummary r : summaries) {
            o.printf(Locale.ROOT, "%-36s %5d %6d %5d %6.2f %6.3f", r.label(), r.kernels(), r.referenceSize(), r.nullToys(),
                    r.dof(), r.ksP());
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

    /** Table 1 (our Z_id beside the paper's) and Figure 1 in numbers, as Markdown. */
    static String table(List<PaperSummary.RunSummary> runs, Map<String, IdealTest.Result> ideal) {
        StringBuilder b = new StringBuilder();
        b.append("<!-- written by ./sparker paper-summary; do not edit -->\n");
        b.append("## Table 1: the EXPO-1D signals and the ideal test\n\n");
        b.append("| signal | N(S) | N(S)/N(H0) | Z_id paper | Z_id ours [p +- error] | ideal toys per hypothesis |\n");
        b.append("|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, IdealTest.Result> e : ideal.entrySet()) {
            Expo1dSignal s = Expo1dSignal.parse(e.getKey());
            IdealTest.Result id = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.4f | %.1f | %.2f [%.2f, %.2f] | %d |%n", s.cliName(),
                    s.expectedCount(), s.expectedCount() / Expo1d.N0, s.paperZId(), id.zId(), id.zIdLow(),
                    Math.min(99, id.zIdHigh()), id.nullToys()));
        }
        b.append("\nZ_id ours: ").append(ideal.values().iterator().next().method()).append(".\n\n");
        b.append("## Figure 1 in numbers: median Z per model, M and schedule\n\n");
        b.append("Z from the chi-square fitted to the run's null t, at the median signal t, with the Z at the ends of the"
                + " median's 68 % interval; in brackets after it the empirical Z (`>` when the median beats every null toy,"
                + " a lower bound) and the signal toys.\n\n");
        b.append("| model | M | schedule | N_R | null toys | null dof (KS p) |");
        for (String s : ideal.keySet()) {
            b.append(' ').append(s).append(" |");
        }
        b.append("\n|---|---:|---|---:|---:|---:|");
        b.append("---|".repeat(ideal.size())).append('\n');
        for (PaperSummary.RunSummary r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %.2f (%.2f) |",
                    r.model().equals("falkon") ? "Falkon-NPLM" : "SparKer", r.kernels(), r.schedule(), r.referenceSize(),
                    r.nullToys(), r.dof(), r.ksP()));
            for (String s : ideal.keySet()) {
                PaperSummary.SignalSummary sig = r.signal(s);
                b.append(sig == null ? " - |" : String.format(Locale.ROOT, " %.2f [%.2f, %.2f] (%s%.2f; %d) |",
                        sig.zChiSquare(), sig.zChiSquareLow(), sig.zChiSquareHigh(), sig.zEmpiricalSaturated() ? ">" : "",
                        sig.zEmpirical(), sig.toys()));
            }
            b.append('\n');
        }
        b.append("\n## Wall time per toy (median seconds per toy as each row records it; the study runs one thread per toy)\n\n");
        b.append("| model | M | schedule | null | signal toys |\n|---|---:|---|---:|---:|\n");
        for (PaperSummary.RunSummary r : runs) {
            double sig = r.signals().stream().mapToDouble(PaperSummary.SignalSummary::secondsPerToy).average().orElse(Double.NaN);
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %.3g | %.3g |%n",
                    r.model().equals("falkon") ? "Falkon-NPLM" : "SparKer", r.kernels(), r.schedule(), r.nullSecondsPerToy(), sig));
        }
        return b.toString();
    }
}
