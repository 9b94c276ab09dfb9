package dev.sparker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparker.SparKer;
import dev.sparker.calibration.Significance;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.model.Samples;
import dev.sparker.train.ConvergedSettings;
import dev.sparker.train.Preset;
import dev.sparker.train.Schedule;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The schedule study of docs/guide/converged-training.md: EXPO-1D toys trained under the paper or the
 * converged schedule, one JSON line per toy appended to a file (an interrupted run resumes: toys already in
 * the file are skipped), and a summary of such files.
 *
 * <pre>
 *   run  out=FILE schedule=paper|converged kernels=M signal=NONE|TAIL toys=N [first=0] [epochs=E] [nref=200000]
 *        [threads=2] [precision=FLOAT] [tolerance=1e-6] [patience=3] [iterations=10] [warmup=0]
 *   summarise null=FILE [signal=FILE]        t median, chi-square dof (ML) and KS p; median signal t and Z
 *   compare a=FILE b=FILE                    per-toy t of the toys both files hold: max and median |dt|, ratio
 * </pre>
 * Toy k of a signal always gets the same data (seed {@code (signal + 1) 1e6 + k}) and the same reference
 * (N_R events from seed 20261130), so files of different schedules compare toy by toy. The kernel width is
 * the preset's (90 % quantile of the reference's pairwise distances), resolved once on the reference.
 */
public final class ConvergedStudy {
    private static final long REFERENCE_SEED = 20261130L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConvergedStudy() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: run|summarise|compare key=value ... (see the class comment)");
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("argument '" + args[i] + "' is not key=value");
            }
            o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        switch (args[0]) {
            case "run" -> run(o);
            case "summarise" -> summarise(o);
            case "compare" -> compare(o);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'; use run, summarise or compare");
        }
    }

    private static void run(Map<String, String> o) throws IOException {
        Path out = Path.of(required(o, "out"));
        Schedule schedule = Schedule.valueOf(required(o, "schedule").toUpperCase(Locale.ROOT));
        int m = Integer.parseInt(required(o, "kernels"));
        Expo1dSignal signal = Expo1dSignal.valueOf(required(o, "signal").toUpperCase(Locale.ROOT));
        int toys = Integer.parseInt(required(o, "toys"));
        int first = Integer.parseInt(o.getOrDefault("first", "0"));
        int nRef = Integer.parseInt(o.getOrDefault("nref", String.valueOf(Expo1d.PAPER_REFERENCE_SIZE)));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        Precision precision = Precision.valueOf(o.getOrDefault("precision", "FLOAT"));
        TrainingConfig.Builder b = TrainingConfig.preset(Preset.EXPO_1D, m).toBuilder()
                .seed(1).schedule(schedule);
        if (o.containsKey("epochs")) {
            b.epochs(Integer.parseInt(o.get("epochs")));
        }
        if (schedule == Schedule.CONVERGED) {
            ConvergedSettings d = ConvergedSettings.defaults();
            b.converged(new ConvergedSettings(Double.parseDouble(o.getOrDefault("tolerance", String.valueOf(d.tolerance()))),
                    Integer.parseInt(o.getOrDefault("patience", String.valueOf(d.patience()))),
                    Integer.parseInt(o.getOrDefault("iterations", String.valueOf(d.locationIterations()))),
                    d.newtonMaxKernels(), d.newtonIterations(),
                    Integer.parseInt(o.getOrDefault("warmup", String.valueOf(d.warmupEpochs())))));
        }
        Samples reference = Expo1d.reference(nRef, REFERENCE_SEED);
        TrainingConfig config = b.build();
        config = config.toBuilder().sigma(Trainer.resolveSigma(reference, config)).build();
        Set<Integer> done = new HashSet<>();
        if (Files.exists(out)) {
            for (JsonNode n : read(out)) {
                done.add(n.get("toy").asInt());
            }
        }
        for (int k = first; k < first + toys; k++) {
            if (done.contains(k)) {
                continue;
            }
            long seed = (signal.ordinal() + 1) * 1_000_000L + k;
            Samples data = Expo1d.dataToy(signal, seed);
            long start = System.nanoTime();
            TestResult r = SparKer.test(reference, data, config, Engines.select("vector").engine(),
                    new EngineSettings(precision, threads));
            double wall = (System.nanoTime() - start) * 1e-9;
            ObjectNode line = JSON.createObjectNode();
            line.put("toy", k).put("seed", seed).put("schedule", schedule.name()).put("M", m)
                    .put("signal", signal.name()).put("nRef", nRef).put("nData", data.size())
                    .put("sigma", r.sigma()).put("precision", precision.name()).put("threads", threads)
                    .put("t", r.t()).put("epochs", r.convergence().epochs())
                    .put("stoppedBy", r.convergence().stoppedBy().name())
                    .put("relativeDecrease", r.convergence().finalRelativeDecrease())
                    .put("gradA", r.convergence().coefficientGradientNorm())
                    .put("gradMu", r.convergence().locationGradientNorm())
                    .put("wallSeconds", wall);
            // t after every 100th epoch (and the last), to see whether it still moves
            var tNode = line.putArray("tEvery100Epochs");
            double[] np = r.history().npLoss();
            for (int e = 99; e < np.length; e += 100) {
                tNode.add(-2 * np[e]);
            }
            var aNode = line.putArray("a");
            for (double v : r.model().coefficients()) {
                aNode.add(v);
            }
            var muNode = line.putArray("mu");
            for (double v : r.model().locations()) {
                muNode.add(v);
            }
            Files.writeString(out, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.printf(Locale.ROOT, "toy %d: t = %.4f, %d epochs (%s), %.1f s%n", k, r.t(),
                    r.convergence().epochs(), r.convergence().stoppedBy(), wall);
        }
    }

    private static void summarise(Map<String, String> o) throws IOException {
        List<JsonNode> nulls = read(Path.of(required(o, "null")));
        double[] t0 = column(nulls, "t");
        double[] w0 = column(nulls, "wallSeconds");
        Significance.ChiSquareFit fit = Significance.fitChiSquare(t0);
        System.out.printf(Locale.ROOT, "null: %d toys, median t %.3f, chi-square dof %.2f +- %.2f (KS p %.3f),"
                        + " median wall %.1f s, median epochs %.0f%n", t0.length, median(t0), fit.dof(), fit.dofError(),
                fit.ksP(), median(w0), median(column(nulls, "epochs")));
        if (o.containsKey("signal")) {
            List<JsonNode> sig = read(Path.of(o.get("signal")));
            double[] t1 = column(sig, "t");
            Significance.Sensitivity s = Significance.sensitivity(t0, t1, fit);
            System.out.printf(Locale.ROOT, "signal: %d toys, median t %.3f [%.3f, %.3f], Z empirical %.2f%s,"
                            + " Z chi-square %.2f [%.2f, %.2f], median wall %.1f s%n", t1.length, s.medianT(),
                    s.medianTLow(), s.medianTHigh(), s.zEmpirical(), s.empiricalSaturated() ? " (lower bound)" : "",
                    s.zAsymptotic(), s.zAsymptoticLow(), s.zAsymptoticHigh(), median(column(sig, "wallSeconds")));
        }
    }

    private static void compare(Map<String, String> o) throws IOException {
        Map<Integer, JsonNode> a = byToy(read(Path.of(required(o, "a"))));
        Map<Integer, JsonNode> b = byToy(read(Path.of(required(o, "b"))));
        List<Double> diffs = new ArrayList<>();
        int within = 0;
        double wallA = 0;
        double wallB = 0;
        for (var e : a.entrySet()) {
            JsonNode other = b.get(e.getKey());
            if (other == null) {
                continue;
            }
            double ta = e.getValue().get("t").asDouble();
            double tb = other.get("t").asDouble();
            double dt = ta - tb;
            diffs.add(dt);
            if (Math.abs(dt) <= Math.max(0.02, 0.005 * Math.abs(tb))) {
                within++;
            }
            wallA += e.getValue().get("wallSeconds").asDouble();
            wallB += other.get("wallSeconds").asDouble();
            System.out.printf(Locale.ROOT, "toy %d: t_a %.4f, t_b %.4f, diff %+.4f%n", e.getKey(), ta, tb, dt);
        }
        double[] d = diffs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] abs = Arrays.stream(d).map(Math::abs).toArray();
        System.out.printf(Locale.ROOT, "%d common toys: median t_a - t_b %+.4f, max |diff| %.4f, %d within max(0.02,"
                        + " 0.5 %%) of t_b; wall per toy %.1f s (a) vs %.1f s (b), ratio %.3f%n", d.length, median(d),
                Arrays.stream(abs).max().orElse(Double.NaN), within, wallA / d.length, wallB / d.length, wallA / wallB);
    }

    private static Map<Integer, JsonNode> byToy(List<JsonNode> rows) {
        Map<Integer, JsonNode> m = new java.util.TreeMap<>();
        for (JsonNode n : rows) {
            m.put(n.get("toy").asInt(), n);
        }
        return m;
    }

    private static List<JsonNode> read(Path p) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    private static double[] column(List<JsonNode> rows, String key) {
        return rows.stream().mapToDouble(n -> n.get(key).asDouble()).toArray();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return Significance.quantile(s, 0.5);
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return v;
    }
}
