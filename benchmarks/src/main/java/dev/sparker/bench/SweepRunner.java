package dev.sparker.bench;

import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.engine.vector.VectorEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark sweep (or its default subset) through JMH, one JMH run per problem size so that the
 * engines and the bare exponential pass of a size are measured back to back, and writes a Markdown table.
 * A command-line tool: it prints JMH's progress and where the table went. {@code --quick} (one small size,
 * one iteration) only checks that the tooling works; its numbers mean nothing.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *        -cp benchmarks/target/benchmarks.jar dev.sparker.bench.SweepRunner [--full | --quick] [--out FILE]
 *        [--threads T] [--forks F] [--warmup W] [--iterations I] [--scalar-limit EVALS]
 *        [--opencl-limit EVALS] [--note TEXT]
 * </pre>
 */
public final class SweepRunner {
    /** The sweep of the issue: M x N_R at d = 1 (N_D = N_R / 100), plus d = 12 at the GW-12D size. */
    static final int[] SWEEP_M = {10, 50, 200, 1000};
    static final int[] SWEEP_NR = {20_000, 50_000, 100_000, 200_000};

    record Size(int d, int nRef, int nData, int m) {
        long evaluations() {
            return (long) (nRef + nData) * m;
        }

        String label() {
            return String.format(Locale.ROOT, "d=%d N_R=%d N_D=%d M=%d", d, nRef, nData, m);
        }
    }

    private SweepRunner() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean full = false;
        boolean quick = false;
        Path outFile = Path.of("benchmarks/results/latest.md");
        int threads = Runtime.getRuntime().availableProcessors();
        int forks = 1;
        int warmup = 3;
        int iterations = 5;
        long scalarLimit = 12_000_000L;
        long openclLimit = 12_000_000L;
        String note = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--quick" -> quick = true;
                case "--out" -> outFile = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--scalar-limit" -> scalarLimit = Long.parseLong(args[++i]);
                case "--opencl-limit" -> openclLimit = Long.parseLong(args[++i]);
                case "--note" -> note = args[++i];
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: --full, --quick, "
                        + "--out FILE, --threads T, --forks F, --warmup W, --iterations I, --scalar-limit EVALS, --opencl-limit EVALS, --note TEXT");
            }
        }
        if (quick) {
            warmup = 1;
            iterations = 1;
        }
        List<Size> sizes = quick ? List.of(new Size(1, 20_000, 200, 10)) : full ? fullSweep() : defaultSubset();
        List<String> skipped = new ArrayList<>();
        List<String> engines = engines(skipped);

        Map<Size, List<Row>> rows = new LinkedHashMap<>();
        for (Size s : sizes) {
            List<String> here = new ArrayList<>();
            for (String e : engines) {
                if (e.equals("scalar") && s.evaluations() > scalarLimit
                        || e.startsWith("opencl") && s.evaluations() > openclLimit) {
                    continue;
                }
                here.add(e);
            }
            ChainedOptionsBuilder ob = new OptionsBuilder()
                    .include(StepBenchmark.class.getName() + "\\.(coefficientStep|locationStep)$")
                    .include(BareExponentialBenchmark.class.getName() + "\\.exponentialPass$")
                    .param("engine", here.toArray(String[]::new))
                    .param("d", Integer.toString(s.d()))
                    .param("nRef", Integer.toString(s.nRef()))
                    .param("nData", Integer.toString(s.nData()))
                    .param("m", Integer.toString(s.m()))
                    .param("threads", Integer.toString(threads))
                    .forks(forks)
                    .warmupIterations(warmup)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.seconds(1))
                    .shouldFailOnError(true);
            Collection<RunResult> results = runWaitingForLock(ob);
            rows.put(s, toRows(s, results));
        }
        String md = markdown(rows, full, quick, threads, forks, warmup, iterations, scalarLimit, openclLimit,
                skipped, note);
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Files.writeString(outFile, md, StandardCharsets.UTF_8);
        System.out.println(md);
        System.out.println("wrote " + outFile.toAbsolutePath());
    }

    /**
     * Runs JMH; when another JMH run on this machine holds JMH's lock, waits for it (up to an hour) rather
     * than measuring two benchmarks on the same cores at once.
     */
    static Collection<RunResult> runWaitingForLock(ChainedOptionsBuilder ob) throws RunnerException {
        long deadline = System.nanoTime() + 3_600_000_000_000L;
        while (true) {
            try {
                return new Runner(ob.build()).run();
            } catch (RunnerException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("JMH lock");
                if (!locked || System.nanoTime() > deadline) {
                    throw e;
                }
                System.out.println("another JMH run holds the lock; waiting 20 s");
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static List<Size> fullSweep() {
        List<Size> sizes = new ArrayList<>();
        for (int nr : SWEEP_NR) {
            for (int m : SWEEP_M) {
                sizes.add(new Size(1, nr, BenchProblem.defaultDataSize(nr), m));
            }
        }
        sizes.add(new Size(12, 24_020, 2_402, 20));
        return sizes;
    }

    /** About ten minutes on two cores: the corners and the target size of the sweep, and d = 12. */
    static List<Size> defaultSubset() {
        return List.of(
                new Size(1, 20_000, 200, 10),
                new Size(1, 50_000, 500, 200),
                new Size(1, 200_000, 2_000, 50),
                new Size(1, 200_000, 2_000, 1000),
                new Size(12, 24_020, 2_402, 20));
    }

    /** scalar, vector in both precisions, and opencl in each precision it supports here; others noted. */
    static List<String> engines(List<String> skipped) {
        List<String> list = new ArrayList<>();
        list.add("scalar");
        for (String name : List.of("vector", "opencl")) {
            Engine e;
            try {
                e = Engines.byName(name);
            } catch (IllegalArgumentException notOnClassPath) {
                skipped.add(name + ": not on the class path");
                continue;
            }
            EngineAvailability av = e.availability();
            if (!av.available()) {
                skipped.add(name + ": " + av.reason());
                continue;
            }
            for (Precision p : Precision.values()) {
                if (e.supports(p)) {
                    list.add(name + ":" + p);
                } else {
                    skipped.add(name + ":" + p + ": not supported here");
                }
            }
        }
        return list;
    }

    record Row(String phase, String engine, double ms, double error, long evaluations) {
    }

    static List<Row> toRows(Size s, Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            String engine = method.equals("exponentialPass") ? "bare exp pass (Vector API, float)"
                    : r.getParams().getParam("engine");
            String phase = switch (method) {
                case "coefficientStep" -> "coefficients";
                case "locationStep" -> "locations";
                default -> "-";
            };
            rows.add(new Row(phase, engine, r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), s.evaluations()));
        }
        return rows;
    }

    static String markdown(Map<Size, List<Row>> all, boolean full, boolean quick, int threads, int forks, int warmup,
                           int iterations, long scalarLimit, long openclLimit, List<String> skipped,
                           String note) {
        StringBuilder sb = new StringBuilder();
        sb.append("# SparKer benchmark: one training step per engine\n\n");
        sb.append("- date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")))
                .append(" UTC\n");
        sb.append("- CPU: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" logical CPUs; JDK ").append(System.getProperty("java.vm.version")).append('\n');
        sb.append("- engine threads: ").append(threads).append("; vector engine width: ")
                .append(VectorEngine.vectorBits()).append(" bits; bare pass width: ")
                .append(BareExponentialPass.vectorBits()).append(" bits\n");
        sb.append("- JMH: ").append(forks).append(" fork(s), ").append(warmup).append(" x 1 s warmup, ")
                .append(iterations).append(" x 1 s measurement, average time; ")
                .append(quick ? "QUICK smoke run, numbers not meaningful" : full ? "full sweep"
                        : "default subset (benchmarks/run.sh --full for the whole sweep)")
                .append('\n');
        sb.append("- the scalar engine runs only where N x M <= ").append(scalarLimit)
                .append(" (it costs ~15 ns per evaluation: ~3 s per step at N_R = 200 000, M = 1000)\n");
        sb.append("- the opencl engine runs only where N x M <= ").append(openclLimit)
                .append(" (--opencl-limit; on a CPU through PoCL it costs 30-70 ns per evaluation here)\n");
        for (String s : skipped) {
            sb.append("- not measured: ").append(s).append('\n');
        }
        if (!note.isBlank()) {
            sb.append("- ").append(note).append('\n');
        }
        sb.append("\nStep = loss + gradients + penalty/entropy term + Adam update. evals = (N_R + N_D) x M kernel "
                + "evaluations per step; ns/eval is wall time per evaluation (x threads for per-thread cost); "
                + "x bare = step time / bare exponential pass time on the same size and threads; "
                + "vs scalar = scalar step time / this step time.\n\n");
        sb.append("| size | phase | engine | ms/step (± 99.9%) | evals/s | ns/eval | ns/eval/thread | x bare | vs scalar |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<Size, List<Row>> e : all.entrySet()) {
            List<Row> rows = e.getValue();
            double bare = rows.stream().filter(r -> r.phase().equals("-")).mapToDouble(Row::ms).findFirst().orElse(Double.NaN);
            for (String phase : List.of("-", "coefficients", "locations")) {
                double scalar = rows.stream().filter(r -> r.phase().equals(phase) && r.engine().equals("scalar"))
                        .mapToDouble(Row::ms).findFirst().orElse(Double.NaN);
                for (Row r : rows) {
                    if (!r.phase().equals(phase)) {
                        continue;
                    }
                    double ns = r.ms() * 1e6 / r.evaluations();
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s ± %s | %.3g | %.3f | %.3f | %s | %s |%n",
                            e.getKey().label(), phase, r.engine(), fmt(r.ms()), fmt(r.error()),
                            r.evaluations() / (r.ms() * 1e-3), ns, ns * threads,
                            phase.equals("-") ? "1" : ratio(r.ms() / bare),
                            phase.equals("-") || Double.isNaN(scalar) ? "" : ratio(scalar / r.ms())));
                }
            }
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }
}
