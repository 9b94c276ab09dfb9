package dev.sparker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToyEnsemble;
import dev.sparker.calibration.ToyRow;
import dev.sparker.expo.Expo1dEnsembles;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.falkon.FalkonExpo1dModel;
import dev.sparker.train.StopCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The numbers of the paper-scale EXPO-1D study (paper section 3, Figure 1, Figure 5; appendix B), recomputed
 * from the toys' JSON-lines files of each run folder that {@code docs/paper/run-paper-study.sh} fills (one
 * {@code ./sparker expo1d} output folder per model, M and schedule). Nothing is read from the folders'
 * {@code result.json} (or, before a run's first call has finished, {@code run-settings.json}, which expo1d writes
 * when it starts) but the settings (reference size, schedule, precision, sigma): every statistic comes from the
 * toy rows, so a partial run (an ensemble still growing) is summarised as far as it got.
 */
final class PaperSummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PaperSummary() {
    }

    /**
     * One signal of one run.
     *
     * @param signal               the signal's command-line name
     * @param expectedSignalEvents N_S
     * @param toys                 signal toys in the file
     * @param medianT              median t of the signal toys
     * @param medianTLow           lower end of the median's 68 % interval (order statistics)
     * @param medianTHigh          upper end
     * @param zEmpirical           Z of the median against the run's null toys
     * @param zEmpiricalLow        at {@code medianTLow}
     * @param zEmpiricalHigh       at {@code medianTHigh}
     * @param zEmpiricalSaturated  true when the median beats every null toy (Z is then a lower bound)
     * @param zChiSquare           Z of the median from the chi-square fitted to the null toys
     * @param zChiSquareLow        at {@code medianTLow}
     * @param zChiSquareHigh       at {@code medianTHigh}
     * @param secondsPerToy        median wall seconds per toy
     */
    record SignalSummary(String signal, double expectedSignalEvents, int toys, double medianT, double medianTLow,
                         double medianTHigh, double zEmpirical, double zEmpiricalLow, double zEmpiricalHigh,
                         boolean zEmpiricalSaturated, double zChiSquare, double zChiSquareLow, double zChiSquareHigh,
                         double secondsPerToy) {
    }

    /**
     * One run folder: a model at one M and schedule.
     *
     * @param run               the folder's name
     * @param model             {@code sparker} or {@code falkon}
     * @param kernels           M
     * @param schedule          {@code paper} or {@code converged} (SparKer), {@code -} for Falkon-NPLM
     * @param epochs            SparKer's epochs (the paper schedule's count, the converged schedule's cap); 0 for
     *                          Falkon-NPLM
     * @param stepsPerPhase     SparKer's Adam steps per phase per epoch (paper schedule); 0 for Falkon-NPLM
     * @param learningRate      SparKer's Adam learning rate (paper schedule); null for Falkon-NPLM
     * @param engine            the engine SparKer trained on ({@code -} for Falkon-NPLM)
     * @param precision         engine precision of the SparKer trainings ({@code -} for Falkon-NPLM)
     * @param referenceSize     N_R
     * @param seed              the run's master seed (toy k's data follow from it and k)
     * @param lambdaA           SparKer's lambda_a, or Falkon-NPLM's lambda
     * @param lambdaH           SparKer's lambda_H (null for Falkon-NPLM)
     * @param sigma             the kernel width used for every toy
     * @param nullToys          null toys in the file
     * @param nullMedianT       their median t
     * @param dof               maximum-likelihood chi-square degrees of freedom fitted to the null t
     * @param dofError          its standard error
     * @param fitUsed           null toys the fit used (those with t &gt; 0)
     * @param fitDropped        null toys left out of the fit (t &lt;= 0, outside a chi-square's support)
     * @param ksP               Kolmogorov-Smirnov p of the null t against the fitted chi-square
     * @param nullSecondsPerToy median wall seconds per null toy
     * @param signals           the signals with toys, in the paper's order
     * @param stops             how the run's toys (null and signal) stopped under the converged schedule, from
     *                          each row's convergence record; null (not written) for other schedules and models
     * @param nullT             the null t values (for Figure 5; not written to JSON)
     * @param rows              the toy rows by index, per ensemble ({@code null} or the signal's name), for the
     *                          toy-by-toy comparison of schedules (not written to JSON)
     */
    record RunSummary(String run, String model, int kernels, String schedule, int epochs, int stepsPerPhase,
                      Double learningRate, String engine, String precision, int referenceSize, long seed,
                      double lambdaA, Double lambdaH, double sigma, int nullToys, double nullMedianT, double dof,
                      double dofError, int fitUsed, int fitDropped, double ksP, double nullSecondsPerToy,
                      List<SignalSummary> signals,
                      @com.fasterxml.jackson.annotation.JsonInclude(
                              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) StopCounts stops,
                      @com.fasterxml.jackson.annotation.JsonIgnore double[] nullT,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Map<Integer, ToyRow>> rows) {

        /**
         * The legend name of the model and schedule, e.g. {@code SparKer (paper schedule)}, with the settings that
         * differ from the study's (epochs other than 500, an engine other than {@code vector}, N_R other than
         * 200 000).
         */
        String label() {
            List<String> extra = new ArrayList<>();
            if (model.equals("sparker")) {
                extra.add(schedule + " schedule");
                if (schedule.equals("paper") && epochs != 500) {
                    extra.add(epochs + " epochs");
                }
                if (!engine.equals("vector")) {
                    extra.add(engine);
                }
            }
            if (referenceSize != 200_000) {
                extra.add("N_R = " + referenceSize);
            }
            String name = model.equals("falkon") ? "Falkon-NPLM" : "SparKer";
            return extra.isEmpty() ? name : name + " (" + String.join(", ", extra) + ")";
        }

        /** {@return the signal's summary, or null when the run has no toys of it} */
        SignalSummary signal(String name) {
            return signals.stream().filter(s -> s.signal().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * Summarises every run folder under {@code runs} (a folder holding a {@code null-M..} toy file), or
     * {@code runs} alone when it is a run folder itself, sorted by model, M and schedule.
     *
     * @param runs    the folder of run folders, or one run folder
     * @param skipped receives one line per run folder left out because it has toy files but no settings (no
     *                result file, and no run-settings.json: written by an expo1d from before that file)
     * @return one summary per run folder
     * @throws IOException              a file cannot be read
     * @throws IllegalArgumentException no run folder, or a folder that mixes configurations (named)
     */
    static List<RunSummary> summariseAll(Path runs, List<String> skipped) throws IOException {
        if (!Files.isDirectory(runs)) {
            throw new IllegalArgumentException("no such folder of study runs: " + runs);
        }
        List<RunSummary> out = new ArrayList<>();
        List<Path> candidates;
        if (hasNullFile(runs)) {
            candidates = List.of(runs); // one run folder given on its own
        } else {
            try (Stream<Path> folders = Files.list(runs)) {
                candidates = folders.filter(Files::isDirectory).sorted().toList();
            }
        }
        for (Path folder : candidates) {
            for (boolean falkon : new boolean[] {false, true}) {
                if (!hasNullFile(folder, falkon)) {
                    continue;
                }
                Optional<String> notYet = notYetSummarisable(folder, falkon);
                if (notYet.isPresent()) {
                    skipped.add(runName(folder, falkon) + ": " + notYet.get());
                    continue;
                }
                out.add(summarise(folder, falkon));
            }
        }
        if (out.isEmpty() && !skipped.isEmpty()) {
            throw new IllegalArgumentException(runs + ": no run can be summarised yet ("
                    + String.join("; ", skipped) + "); summarise again when its first toys are done");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(runs + " holds no run folder (a folder with a null-M<M>-<hash>.jsonl"
                    + " file written by ./sparker expo1d); run docs/paper/run-paper-study.sh first");
        }
        out.sort(Comparator.comparing(RunSummary::model).reversed().thenComparingInt(RunSummary::kernels)
                .thenComparing(RunSummary::schedule, Comparator.reverseOrder()).thenComparingInt(RunSummary::epochs));
        return out;
    }

    private static boolean hasNullFile(Path folder) throws IOException {
        return hasNullFile(folder, false) || hasNullFile(folder, true);
    }

    private static boolean hasNullFile(Path folder, boolean falkon) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> isNullFile(f, falkon));
        }
    }

    private static boolean isNullFile(Path f, boolean falkon) {
        return ensembleFile(f, falkon).filter(Expo1dEnsembles.EnsembleFile::isNull).isPresent();
    }

    /** The ensemble file {@code f} of SparKer's run or (with {@code falkon}) Falkon-NPLM's, if it is one. */
    private static Optional<Expo1dEnsembles.EnsembleFile> ensembleFile(Path f, boolean falkon) {
        return Expo1dEnsembles.parseFileName(f.getFileName().toString())
                .filter(e -> e.prefix().equals(prefix(falkon)));
    }

    /** The run's name in tables: the folder's, with " (falkon)" for Falkon-NPLM's files in a folder not named so. */
    private static String runName(Path folder, boolean falkon) {
        String name = folder.getFileName().toString();
        return falkon && !name.startsWith(FalkonExpo1dModel.NAME) ? name + " (falkon)" : name;
    }

    private static String resultFileName(boolean falkon) {
        return falkon ? "result-falkon.json" : "result.json";
    }

    private static String prefix(boolean falkon) {
        return falkon ? Expo1dEnsembles.filePrefix(FalkonExpo1dModel.NAME) : "";
    }

    /**
     * Why a folder that holds a null ensemble cannot be summarised yet (a run that has just started), or empty
     * when it can: it needs its settings and at least 3 null toys (the chi-square fit's minimum). A folder
     * holding several null ensembles is left to {@link #summarise}, which names the mix.
     */
    private static Optional<String> notYetSummarisable(Path folder, boolean falkon) throws IOException {
        List<Path> nullFiles;
        try (Stream<Path> files = Files.list(folder)) {
            nullFiles = files.filter(f -> isNullFile(f, falkon)).toList();
        }
        if (nullFiles.size() != 1) {
            return Optional.empty();
        }
        String hash = ensembleFile(nullFiles.get(0), falkon).orElseThrow().hash();
        if (settingsFile(folder, falkon, hash).isEmpty()) {
            return Optional.of("toys but no settings yet (neither " + resultFileName(falkon) + " nor a "
                    + Expo1dEnsembles.settingsFileName(prefix(falkon)) + " of this ensemble: written by an expo1d older"
                    + " than run-settings.json whose first call has not finished)");
        }
        int rows = ToyEnsemble.readRows(nullFiles.get(0), hash).size();
        return rows < 3 ? Optional.of(rows + " null toys so far (the chi-square fit needs 3)") : Optional.empty();
    }

    /**
     * The file that holds the settings of the run whose null ensemble has configuration hash {@code nullHash}:
     * the settings file every expo1d call writes before its first toy when it names that ensemble (so that a run
     * still growing is summarised, and a result file left by an earlier configuration is not read), else the
     * result file of the last finished call.
     */
    private static Optional<Path> settingsFile(Path folder, boolean falkon, String nullHash) throws IOException {
        Path settings = folder.resolve(Expo1dEnsembles.settingsFileName(prefix(falkon)));
        if (Files.exists(settings) && nullHash.equals(JSON.readTree(settings.toFile()).path("nullEnsemble").asText())) {
            return Optional.of(settings);
        }
        Path result = folder.resolve(resultFileName(falkon));
        return Files.exists(result) ? Optional.of(result) : Optional.empty();
    }

    /**
     * Summarises one model's run in a folder (SparKer's and Falkon-NPLM's runs may share an output folder: their
     * files carry different prefixes).
     *
     * @param folder an {@code ./sparker expo1d} output folder
     * @param falkon the Falkon-NPLM run ({@code falkon-} files) instead of SparKer's
     * @return its summary
     * @throws IOException              a file cannot be read
     * @throws IllegalArgumentException the folder holds toys of more than one configuration or model, fewer than 3
     *                                  null toys, or no settings (result file or run-settings.json)
     */
    static RunSummary summarise(Path folder, boolean falkon) throws IOException {
        List<Path> nullFiles = new ArrayList<>();
        Map<Path, Expo1dEnsembles.EnsembleFile> signalFiles = new LinkedHashMap<>();
        Expo1dEnsembles.EnsembleFile nullFile = null;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                Optional<Expo1dEnsembles.EnsembleFile> e = ensembleFile(f, falkon);
                if (e.isPresent() && e.get().isNull()) {
                    nullFiles.add(f);
                    nullFile = e.get();
                } else if (e.isPresent()) {
                    signalFiles.put(f, e.get());
                }
            }
        }
        if (nullFiles.size() != 1) {
            throw new IllegalArgumentException(folder + " holds " + nullFiles.size() + " null ensembles ("
                    + nullFiles.stream().map(p -> p.getFileName().toString()).toList()
                    + "): one run folder must hold one configuration; move the others to their own folder");
        }
        int kernels = nullFile.kernels();
        Path resultFile = settingsFile(folder, falkon, nullFile.hash()).orElseThrow(() -> new IllegalArgumentException(folder
                + " has toy files but neither " + resultFileName(falkon) + " nor "
                + Expo1dEnsembles.settingsFileName(prefix(falkon))
                + " (written by ./sparker expo1d when it starts and when it ends): rerun the study script for this folder"));
        JsonNode result = JSON.readTree(resultFile.toFile());
        JsonNode settings = result.path("settings");
        double lambdaA = falkon ? settings.path("lambda").asDouble(Double.NaN)
                : result.path("trainingConfig").path("lambdaA").asDouble(Double.NaN);
        Double lambdaH = falkon ? null : result.path("trainingConfig").path("lambdaH").asDouble(Double.NaN);
        long seed = settings.path("seed").asLong();
        int steps = falkon ? 0 : settings.path("stepsPerPhase").asInt();
        Double learningRate = falkon ? null : settings.path("learningRate").asDouble(Double.NaN);
        String engine = falkon ? "-" : result.path("engine").asText("?");
        int referenceSize = settings.path("referenceSize").asInt();
        double sigma = settings.path("sigmas").path(0).asDouble(Double.NaN);
        String schedule = falkon ? "-" : settings.path("schedule").asText("paper").toLowerCase(Locale.ROOT);
        String precision = falkon ? "-" : settings.path("precision").asText();
        int epochs = falkon ? 0 : settings.path("epochs").asInt();
        Map<String, Map<Integer, ToyRow>> byToy = new LinkedHashMap<>();

        List<ToyRow> nullRows = List.copyOf(ToyEnsemble.readRows(nullFiles.get(0), nullFile.hash()).values());
        double[] nullT = nullRows.stream().mapToDouble(ToyRow::t).toArray();
        byToy.put("null", byIndex(nullRows));
        if (nullT.length < 3) {
            throw new IllegalArgumentException(nullFiles.get(0) + " holds " + nullT.length
                    + " null toys; the chi-square fit needs at least 3");
        }
        Significance.ChiSquareFit fit = Significance.fitChiSquare(nullT);
        double[] sortedNull = nullT.clone();
        Arrays.sort(sortedNull);

        List<SignalSummary> signals = new ArrayList<>();
        for (Expo1dSignal s : Expo1dSignal.values()) {
            List<Path> ofSignalFiles = signalFiles.entrySet().stream().filter(e -> e.getValue().signal() == s)
                    .map(Map.Entry::getKey).toList();
            List<String> ofSignal = ofSignalFiles.stream().map(f -> f.getFileName().toString()).toList();
            if (ofSignal.size() > 1) {
                throw new IllegalArgumentException(folder + " holds " + ofSignal.size() + " " + s.cliName()
                        + " ensembles (" + ofSignal + "): one run folder must hold one configuration; move the others"
                        + " to their own folder");
            }
            for (Path f : ofSignalFiles) {
                Expo1dEnsembles.EnsembleFile sf = signalFiles.get(f);
                if (sf.kernels() != kernels) {
                    throw new IllegalArgumentException(folder + " mixes values of M: " + f.getFileName() + " beside "
                            + nullFiles.get(0).getFileName());
                }
                List<ToyRow> rows = List.copyOf(ToyEnsemble.readRows(f, sf.hash()).values());
                if (rows.isEmpty()) {
                    continue;
                }
                double[] st = rows.stream().mapToDouble(ToyRow::t).toArray();
                byToy.put(s.cliName(), byIndex(rows));
                Significance.Sensitivity sens = Significance.sensitivity(nullT, st, fit);
                signals.add(new SignalSummary(s.cliName(), s.expectedCount(), st.length, sens.medianT(),
                        sens.medianTLow(), sens.medianTHigh(), sens.zEmpirical(), sens.zEmpiricalLow(),
                        sens.zEmpiricalHigh(), sens.empiricalSaturated(), sens.zAsymptotic(), sens.zAsymptoticLow(),
                        sens.zAsymptoticHigh(), medianSeconds(rows)));
            }
        }
        return new RunSummary(runName(folder, falkon), falkon ? "falkon" : "sparker", kernels, schedule, epochs, steps, learningRate,
                engine, precision, referenceSize, seed, lambdaA, lambdaH, sigma, nullT.length,
                Significance.quantile(sortedNull, 0.5), fit.dof(), fit.dofError(), fit.used(), fit.dropped(), fit.ksP(),
                medianSeconds(nullRows), List.copyOf(signals),
                StopCounts.of(byToy.values().stream().flatMap(m -> m.values().stream()).map(ToyRow::convergence).toList()),
                nullT, byToy);
    }

    private static Map<Integer, ToyRow> byIndex(List<ToyRow> rows) {
        Map<Integer, ToyRow> m = new TreeMap<>();
        rows.forEach(r -> m.put(r.index(), r));
        return m;
    }

    private static double medianSeconds(List<ToyRow> rows) {
        double[] w = rows.stream().mapToDouble(ToyRow::wallSeconds).sorted().toArray();
        return w.length == 0 ? Double.NaN : Significance.quantile(w, 0.5);
    }
}
