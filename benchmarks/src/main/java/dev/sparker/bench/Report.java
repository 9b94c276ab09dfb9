package dev.sparker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH JSON results ({@code -rf json}) of {@link StepBenchmark} and {@link BarePassBenchmark} into one
 * Markdown table: ms per step, kernel evaluations per second, ns per evaluation, ratio to the bare
 * exponential pass of the same N x M (d = 1), and speed-up over the scalar engine where it ran.
 * Usage: {@code Report OUT.md HEADER_LINE IN.json...}.
 */
public final class Report {

    private Report() {
    }

    record Case(int nRef, int nData, int kernels, int dimension, int threads) {
        long evaluations() {
            return (long) (nRef + nData) * kernels;
        }
    }

    record Row(Case c, String engine, String phase, double ms, double error) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: Report OUT.md HEADER_LINE IN.json...");
        }
        ObjectMapper json = new ObjectMapper();
        List<Row> steps = new ArrayList<>();
        Map<String, Double> bare = new LinkedHashMap<>();
        Map<String, String> bareKind = new LinkedHashMap<>();
        for (int f = 2; f < args.length; f++) {
            for (JsonNode run : json.readTree(Path.of(args[f]).toFile())) {
                String name = run.get("benchmark").asText();
                String method = name.substring(name.lastIndexOf('.') + 1);
                JsonNode p = run.get("params");
                double score = run.get("primaryMetric").get("score").asDouble();
                double error = run.get("primaryMetric").get("scoreError").asDouble();
                int nRef = p.get("nRef").asInt();
                int kernels = p.get("kernels").asInt();
                if (name.contains("BarePassBenchmark")) {
                    String key = nRef + "/" + kernels;
                    if (!bare.containsKey(key) || score < bare.get(key)) {
                        bare.put(key, score);
                        bareKind.put(key, method);
                    }
                    continue;
                }
                int nData = p.get("nData").asInt();
                Case c = new Case(nRef, nData > 0 ? nData : nRef / 100, kernels, p.get("dimension").asInt(),
                        p.get("threads").asInt());
                steps.add(new Row(c, p.get("engine").asText(), method.replace("Step", ""), score, error));
            }
        }
        steps.sort(Comparator.comparingInt((Row r) -> r.c().dimension()).thenComparingInt(r -> r.c().nRef())
                .thenComparingInt(r -> r.c().kernels()).thenComparing(Row::phase).thenComparing(Row::engine));
        StringBuilder out = new StringBuilder();
        out.append(args[1]).append("\n\n");
        out.append("| N_R | N_D | M | d | threads | engine | phase | ms / step | kernel evals / s | ns / eval | x bare exp pass | speed-up vs scalar |\n");
        out.append("|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : steps) {
            Case c = r.c();
            double ns = r.ms() * 1e6 / c.evaluations();
            Double b = c.dimension() == 1 ? bare.get(c.nRef() + "/" + c.kernels()) : null;
            Row scalar = steps.stream().filter(s -> s.c().equals(c) && s.phase().equals(r.phase())
                    && s.engine().equals("scalar")).findFirst().orElse(null);
            out.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %s | %s | %s ± %s | %.3g | %.3f | %s | %s |%n",
                    c.nRef(), c.nData(), c.kernels(), c.dimension(), c.threads(), r.engine(), r.phase(),
                    fmt(r.ms()), fmt(r.error()), c.evaluations() / (r.ms() * 1e-3), ns,
                    b == null ? "" : String.format(Locale.ROOT, "%.2f", r.ms() / b),
                    scalar == null || r.engine().equals("scalar") ? ""
                            : String.format(Locale.ROOT, "%.1f", scalar.ms() / r.ms())));
        }
        if (!bare.isEmpty()) {
            out.append("\nBare exponential pass (one thread, float lanes, the same (N_R + N_D) x M arguments; the faster of "
                    + "the Vector API's EXP and the engine's polynomial exponential):\n\n");
            out.append("| N_R | M | ms / pass | ns / eval | variant |\n|---:|---:|---:|---:|---|\n");
            for (var e : bare.entrySet()) {
                String[] k = e.getKey().split("/");
                int nRef = Integer.parseInt(k[0]);
                int m = Integer.parseInt(k[1]);
                double ns = e.getValue() * 1e6 / ((double) (nRef + nRef / 100) * m);
                out.append(String.format(Locale.ROOT, "| %d | %d | %s | %.3f | %s |%n", nRef, m, fmt(e.getValue()), ns,
                        bareKind.get(e.getKey())));
            }
        }
        Files.writeString(Path.of(args[0]), out.toString());
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
