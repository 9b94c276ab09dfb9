package dev.sparker.bench;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How an evaluation of a batch splits between the forward pass (f and the per-event g: a {@code LOSS_ONLY}
 * request runs it alone) and the moment pass (the coefficient or location request adds it): the data for
 * the question whether the moment pass should reuse the forward pass's kernel values instead of computing
 * its own exponentials. Same arguments as {@link TrainingStepRatio} ({@code --engines --nr --m --b
 * --threads --seconds}); one line per case, ms per request, in one run.
 */
public final class EvaluationSplit {
    private EvaluationSplit() {
    }

    public static void main(String[] args) {
        List<String> engines = List.of("opencl-float");
        int[] nrs = {20_000};
        int[] ms = {50, 1000};
        int[] bs = {1, 16};
        int threads = Runtime.getRuntime().availableProcessors();
        double seconds = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--engines" -> engines = List.of(v.split(","));
                case "--nr" -> nrs = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--m" -> ms = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--b" -> bs = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--threads" -> threads = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        System.out.println("| engine | N_R | M | B | loss only (forward) ms | coefficients ms | locations ms |"
                + " moment pass / forward pass (coefficients, locations) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (String name : engines) {
            for (int nr : nrs) {
                for (int m : ms) {
                    for (int b : bs) {
                        Engine engine = TrainingStepRatio.engine(name);
                        Precision precision = name.contains("double") ? Precision.DOUBLE : Precision.FLOAT;
                        int nData = Math.max(20, nr / 100);
                        Problems base = new Problems(nr, nData, m, 1, 17);
                        List<Samples> refs = new ArrayList<>();
                        List<Samples> toys = new ArrayList<>();
                        double[][] a = new double[b][];
                        double[][] mu = new double[b][];
                        for (int p = 0; p < b; p++) {
                            Problems toy = p == 0 ? base : new Problems(nr, nData, m, 1, 17 + 1000L * p);
                            refs.add(base.reference);
                            toys.add(toy.data);
                            a[p] = base.a.clone();
                            mu[p] = toy.mu.clone();
                        }
                        try (BoundBatch batch = engine.bindBatch(refs, toys, base.shape,
                                new EngineSettings(precision, threads))) {
                            boolean[] active = new boolean[b];
                            Arrays.fill(active, true);
                            NpEvaluation[] outs = new NpEvaluation[b];
                            for (int p = 0; p < b; p++) {
                                outs[p] = new NpEvaluation(base.shape);
                            }
                            GradientRequest[] requests = {GradientRequest.LOSS_ONLY, GradientRequest.COEFFICIENTS,
                                    GradientRequest.LOCATIONS};
                            double[] ms3 = new double[3];
                            // two rounds, the first a warm-up; requests interleaved so that load drifts hit all alike
                            for (int round = 0; round < 2; round++) {
                                long[] spent = new long[3];
                                int[] count = new int[3];
                                long end = System.nanoTime() + (long) (seconds * 1e9);
                                while (System.nanoTime() < end || count[2] < 2) {
                                    for (int r = 0; r < 3; r++) {
                                        long t0 = System.nanoTime();
                                        batch.evaluate(a, mu, active, requests[r], outs);
                                        spent[r] += System.nanoTime() - t0;
                                        count[r]++;
                                    }
                                }
                                for (int r = 0; r < 3; r++) {
                                    ms3[r] = spent[r] * 1e-6 / count[r];
                                }
                            }
                            System.out.println(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %.3f | %.3f | %.2f, %.2f |",
                                    name, nr, m, b, ms3[0], ms3[1], ms3[2], (ms3[1] - ms3[0]) / ms3[0],
                                    (ms3[2] - ms3[0]) / ms3[0]));
                        }
                    }
                }
            }
        }
    }
}
