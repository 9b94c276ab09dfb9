package dev.sparker.bench;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end training step of a lock-step batch ({@link Trainer#trainBatch}: evaluation, penalty or
 * entropy, Adam, clip, checks, the end-of-epoch loss; on the OpenCL engine the device-resident loop) against
 * the raw batch evaluation ({@link BoundBatch#evaluate}, coefficient and location requests alternating as in
 * training), both measured in the same run, as a ratio. Not a JMH benchmark: one case at N_R = 200 000,
 * M = 1000, B = 100 takes seconds per step on a CPU, so each case measures a time budget instead of fixed
 * iterations; it still warms up first and reports ratios, never absolute claims.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.sparker.bench.TrainingStepRatio [--engines E1,E2] [--nr 20000,200000]
 *        [--m 50,1000] [--b 1,16,100] [--case ENGINE:NR:M:B ...] [--threads T] [--seconds S] [--steps K]
 *        [--out table.md]
 * </pre>
 * Engines: {@code scalar}, {@code vector-float}, {@code vector-double}, {@code opencl-float},
 * {@code opencl-double} (device loop), {@code opencl-float-host}, {@code opencl-double-host} (the same engine
 * with the trainer's host loop), {@code opencl-float-storek}, {@code opencl-double-storek} (device loop, the
 * forward pass's kernel values stored for the moment pass). N_D = N_R / 100 (at least 20); toys share the reference; sigma = ln 10, the
 * EXPO_1D preset's penalties for M; K coefficient and K location steps per epoch (default 10).
 * End-to-end per step: the mean wall time of epochs 2..E (epoch 1 holds the binding and the warm-up), from
 * the trainer's listener, divided by 2K.
 */
public final class TrainingStepRatio {
    private TrainingStepRatio() {
    }

    record Case(String engine, int nRef, int m, int b) {
    }

    record Row(Case c, double rawMs, double endToEndMs, int rawSteps, int epochs, String device) {
        double ratio() {
            return endToEndMs / rawMs;
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> engines = List.of("opencl-float", "vector-float");
        int[] nrs = {20_000, 200_000};
        int[] ms = {50, 1000};
        int[] bs = {1, 16, 100};
        List<Case> extra = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        double seconds = 2;
        int steps = 10;
        boolean grid = true;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--engines" -> { engines = List.of(v.split(",")); i++; }
                case "--nr" -> { nrs = ints(v); i++; }
                case "--m" -> { ms = ints(v); i++; }
                case "--b" -> { bs = ints(v); i++; }
                case "--case" -> {
                    String[] p = v.split(":");
                    extra.add(new Case(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])));
                    i++;
                }
                case "--only-cases" -> grid = false;
                case "--threads" -> { threads = Integer.parseInt(v); i++; }
                case "--seconds" -> { seconds = Double.parseDouble(v); i++; }
                case "--steps" -> { steps = Integer.parseInt(v); i++; }
                case "--out" -> { out = Path.of(v); i++; }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        List<Case> cases = new ArrayList<>();
        if (grid) {
            for (String e : engines) {
                for (int nr : nrs) {
                    for (int m : ms) {
                        for (int b : bs) {
                            cases.add(new Case(e, nr, m, b));
                        }
                    }
                }
            }
        }
        cases.addAll(extra);
        PrintStream o = System.out;
        String header = "| engine | N_R | M | B | raw evaluate ms/step | end-to-end ms/step | end-to-end / raw |"
                + " raw steps | epochs | device |";
        StringBuilder table = new StringBuilder(header).append('\n')
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        o.println(header);
        for (Case c : cases) {
            String line;
            try {
                Row r = measure(c, threads, seconds, steps);
                line = String.format(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %.3f | %.2f | %d | %d | %s |",
                        c.engine(), c.nRef(), c.m(), c.b(), r.rawMs(), r.endToEndMs(), r.ratio(), r.rawSteps(),
                        r.epochs(), r.device());
            } catch (RuntimeException e) {
                line = String.format(Locale.ROOT, "| %s | %d | %d | %d | failed: %s |", c.engine(), c.nRef(), c.m(),
                        c.b(), e.toString().replace('|', '/'));
            }
            o.println(line);
            table.append(line).append('\n');
        }
        String note = String.format(Locale.ROOT, "%n%d threads, %d + %d steps per epoch, about %.1f s measured per"
                + " side; N_D = N_R / 100; java %s%n", threads, steps, steps, seconds, System.getProperty("java.version"));
        table.append(note);
        o.print(note);
        if (out != null) {
            Files.writeString(out, table);
        }
    }

    static Row measure(Case c, int threads, double seconds, int steps) {
        Engine engine = engine(c.engine());
        Precision precision = c.engine().contains("double") ? Precision.DOUBLE : Precision.FLOAT;
        EngineSettings settings = new EngineSettings(precision, threads);
        int nData = Math.max(20, c.nRef() / 100);
        Problems base = new Problems(c.nRef(), nData, c.m(), 1, 17);
        List<Samples> refs = new ArrayList<>();
        List<Samples> toys = new ArrayList<>();
        double[][] a = new double[c.b()][];
        double[][] mu = new double[c.b()][];
        for (int p = 0; p < c.b(); p++) {
            Problems toy = p == 0 ? base : new Problems(c.nRef(), nData, c.m(), 1, 17 + 1000L * p);
            refs.add(base.reference);
            toys.add(toy.data);
            a[p] = base.a.clone();
            mu[p] = toy.mu.clone();
        }
        // raw: the batch evaluation alone, coefficient and location requests alternating
        double rawMs;
        int rawSteps;
        String device = engine instanceof OpenClEngine ocl ? ocl.device().map(dev.sparker.gpu.OpenClDeviceInfo::describe).orElse("?") : "CPU";
        try (BoundBatch batch = engine.bindBatch(refs, toys, base.shape, settings)) {
            boolean[] active = new boolean[c.b()];
            Arrays.fill(active, true);
            NpEvaluation[] outs = new NpEvaluation[c.b()];
            for (int p = 0; p < c.b(); p++) {
                outs[p] = new NpEvaluation(base.shape);
            }
            long warm = System.nanoTime();
            int w = 0;
            while (w < 2 || (System.nanoTime() - warm) < seconds * 0.5e9) {
                batch.evaluate(a, mu, active, w % 2 == 0 ? GradientRequest.COEFFICIENTS : GradientRequest.LOCATIONS, outs);
                w++;
            }
            long t0 = System.nanoTime();
            int n = 0;
            while (n < 2 || (System.nanoTime() - t0) < seconds * 1e9) {
                batch.evaluate(a, mu, active, n % 2 == 0 ? GradientRequest.COEFFICIENTS : GradientRequest.LOCATIONS, outs);
                n++;
            }
            rawMs = (System.nanoTime() - t0) * 1e-6 / n;
            rawSteps = n;
        }
        // end to end: whole epochs of the trainer, timed by its listener
        int epochs = 1 + Math.max(2, (int) Math.ceil(seconds * 1e3 / (2 * steps * rawMs)));
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, c.m()).toBuilder().sigma(Math.log(10))
                .epochs(epochs).coefficientSteps(steps).locationSteps(steps).seed(5).build();
        long[] at = new long[epochs + 1];
        at[0] = System.nanoTime();
        List<TrainingOutcome> outcomes = Trainer.trainBatch(refs, toys, config, engine, settings,
                (epoch, total, loss) -> at[epoch] = System.nanoTime());
        for (TrainingOutcome t : outcomes) {
            t.resultOrThrow();
        }
        double perStep = (at[epochs] - at[1]) * 1e-6 / ((epochs - 1) * 2.0 * steps);
        return new Row(c, rawMs, perStep, rawSteps, epochs, device);
    }

    static Engine engine(String name) {
        return switch (name) {
            case "scalar" -> new ScalarEngine();
            case "vector-float", "vector-double" -> {
                Engine e = Engines.byName("vector");
                if (!e.availability().available()) {
                    throw new IllegalStateException("vector engine unavailable: " + e.availability().reason());
                }
                yield e;
            }
            case "opencl-float", "opencl-double", "opencl-float-host", "opencl-double-host", "opencl-float-storek",
                 "opencl-double-storek" -> {
                OpenClEngine e = OpenClEngine.builder().device(System.getProperty(OpenClEngine.DEVICE_PROPERTY))
                        .residentTraining(!name.endsWith("-host")).storeKernelValues(name.endsWith("-storek")).build();
                if (!e.availability().available()) {
                    throw new IllegalStateException("opencl engine unavailable: " + e.availability().reason());
                }
                yield e;
            }
            default -> throw new IllegalArgumentException("unknown engine '" + name + "'");
        };
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
