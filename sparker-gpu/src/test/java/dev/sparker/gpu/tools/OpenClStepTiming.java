package dev.sparker.gpu.tools;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A plain timing harness (not a unit test, not JMH; the JMH suite is where the lead may move it): milliseconds
 * per training step of the OpenCL engine on EXPO-1D-shaped problems, with the scalar engine measured in the
 * same run for the ratio, and a batch of small toys in one launch against the same toys one at a time.
 * A step alternates COEFFICIENTS and LOCATIONS requests, as training does.
 *
 * <pre>
 *   java -cp ... dev.sparker.gpu.tools.OpenClStepTiming [--nr 20000,200000] [--m 50,1000]
 *        [--precision FLOAT,DOUBLE] [--toys 100] [--scalar true] [--seconds 2]
 * </pre>
 * The device is the one {@code -Dsparker.opencl.device} names (default: the first GPU, else the first device).
 */
public final class OpenClStepTiming {
    private static final int N_DATA = 2000;
    private static final double SIGMA = 2.3;

    private OpenClStepTiming() {
    }

    public static void main(String[] args) {
        int[] nrs = {20_000, 200_000};
        int[] ms = {50, 1000};
        List<Precision> precisions = List.of(Precision.FLOAT, Precision.DOUBLE);
        int toys = 100;
        boolean scalar = true;
        double seconds = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--nr" -> nrs = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--m" -> ms = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--precision" -> precisions = Arrays.stream(v.split(",")).map(Precision::valueOf).toList();
                case "--toys" -> toys = Integer.parseInt(v);
                case "--scalar" -> scalar = Boolean.parseBoolean(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        OpenClEngine engine = new OpenClEngine();
        if (!engine.availability().available()) {
            System.out.println("OpenCL engine unavailable: " + engine.availability().reason());
            return;
        }
        System.out.println("device: " + engine.device().orElseThrow().describe());
        System.out.println("java: " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        System.out.println();
        System.out.println("| N_R | N_D | M | d | engine | precision | ms/step | scalar / this |");
        System.out.println("|---:|---:|---:|---:|---|---|---:|---:|");
        for (int nr : nrs) {
            for (int m : ms) {
                SplittableRandom rng = new SplittableRandom(nr * 31L + m);
                Samples ref = exponential(rng, nr, 2000.0 / nr);
                Samples data = exponential(rng, N_DATA, 1);
                KernelShape shape = new KernelShape(m, 1, SIGMA, Amplitude.GAUSSIAN);
                double[] a = new double[m];
                double[] mu = new double[m];
                for (int i = 0; i < m; i++) {
                    a[i] = rng.nextDouble(-0.5, 0.5);
                    mu[i] = data.coordinate(rng.nextInt(N_DATA), 0);
                }
                double scalarMs = Double.NaN;
                if (scalar) {
                    scalarMs = msPerStep(new ScalarEngine(), ref, data, shape, Precision.DOUBLE, a, mu, seconds);
                    row(nr, m, "scalar", Precision.DOUBLE, scalarMs, 1);
                }
                for (Precision p : precisions) {
                    if (engine.supports(p)) {
                        double t = msPerStep(engine, ref, data, shape, p, a, mu, seconds);
                        row(nr, m, "opencl", p, t, scalarMs / t);
                    }
                }
            }
        }
        if (toys > 0) {
            batchTiming(engine, toys, seconds, scalar);
        }
    }

    private static void row(int nr, int m, String engine, Precision p, double ms, double ratio) {
        System.out.printf(Locale.ROOT, "| %d | %d | %d | 1 | %s | %s | %.2f | %s |%n", nr, N_DATA, m, engine, p, ms,
                Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio));
    }

    /** Mean wall time of one step (alternating COEFFICIENTS and LOCATIONS), after two warm-up steps. */
    private static double msPerStep(Engine engine, Samples ref, Samples data, KernelShape shape, Precision p,
                                     double[] a, double[] mu, double seconds) {
        NpEvaluation out = new NpEvaluation(shape);
        try (BoundProblem bound = engine.bind(ref, data, shape, new EngineSettings(p, 1))) {
            bound.evaluate(a, mu, GradientRequest.COEFFICIENTS, out);
            bound.evaluate(a, mu, GradientRequest.LOCATIONS, out);
            long start = System.nanoTime();
            int steps = 0;
            while (steps < 4 || System.nanoTime() - start < seconds * 1e9) {
                bound.evaluate(a, mu, steps % 2 == 0 ? GradientRequest.COEFFICIENTS : GradientRequest.LOCATIONS, out);
                steps++;
            }
            return (System.nanoTime() - start) * 1e-6 / steps;
        }
    }

    /** {@code toys} small problems (shared N_R = 20 000 reference, 2000 data events, M = 10), FLOAT. */
    private static void batchTiming(OpenClEngine engine, int toys, double seconds, boolean scalar) {
        SplittableRandom rng = new SplittableRandom(42);
        int nr = 20_000;
        int m = 10;
        Samples ref = exponential(rng, nr, 2000.0 / nr);
        List<Samples> refs = new ArrayList<>();
        List<Samples> data = new ArrayList<>();
        double[][] a = new double[toys][m];
        double[][] mu = new double[toys][m];
        NpEvaluation[] out = new NpEvaluation[toys];
        boolean[] active = new boolean[toys];
        KernelShape shape = new KernelShape(m, 1, SIGMA, Amplitude.GAUSSIAN);
        for (int t = 0; t < toys; t++) {
            refs.add(ref);
            Samples d = exponential(rng, N_DATA, 1);
            data.add(d);
            for (int i = 0; i < m; i++) {
                a[t][i] = rng.nextDouble(-0.5, 0.5);
                mu[t][i] = d.coordinate(rng.nextInt(N_DATA), 0);
            }
            out[t] = new NpEvaluation(shape);
            active[t] = true;
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "batch of %d toys (shared N_R = %d, N_D = %d, M = %d, d = 1)%n", toys, nr,
                N_DATA, m);
        System.out.println("| how | precision | ms per batch step | ms per toy step |");
        System.out.println("|---|---|---:|---:|");
        List<Precision> ps = engine.supports(Precision.DOUBLE)
                ? List.of(Precision.FLOAT, Precision.DOUBLE) : List.of(Precision.FLOAT);
        for (Precision p : ps) {
            EngineSettings settings = new EngineSettings(p, 1);
            try (BoundBatch batch = engine.bindBatch(refs, data, shape, settings)) {
                double ms = batchMs(batch, a, mu, active, out, seconds);
                System.out.printf(Locale.ROOT, "| opencl, one launch | %s | %.2f | %.3f |%n", p, ms, ms / toys);
            }
            // the same toys one launch each (what the default Engine.bindBatch would do)
            List<BoundProblem> singles = new ArrayList<>();
            for (int t = 0; t < toys; t++) {
                singles.add(engine.bind(ref, data.get(t), shape, settings));
            }
            double ms = sequentialMs(singles, a, mu, out, seconds);
            singles.forEach(BoundProblem::close);
            System.out.printf(Locale.ROOT, "| opencl, one launch per toy | %s | %.2f | %.3f |%n", p, ms, ms / toys);
        }
        if (scalar) {
            try (BoundBatch batch = new ScalarEngine().bindBatch(refs, data, shape, EngineSettings.singleThreadDouble())) {
                double ms = batchMs(batch, a, mu, active, out, seconds);
                System.out.printf(Locale.ROOT, "| scalar, one after the other | DOUBLE | %.2f | %.3f |%n", ms, ms / toys);
            }
        }
    }

    private static double batchMs(BoundBatch batch, double[][] a, double[][] mu, boolean[] active, NpEvaluation[] out,
                                  double seconds) {
        batch.evaluate(a, mu, active, GradientRequest.COEFFICIENTS, out);
        long start = System.nanoTime();
        int steps = 0;
        while (steps < 2 || System.nanoTime() - start < seconds * 1e9) {
            batch.evaluate(a, mu, active, steps % 2 == 0 ? GradientRequest.COEFFICIENTS : GradientRequest.LOCATIONS, out);
            steps++;
        }
        return (System.nanoTime() - start) * 1e-6 / steps;
    }

    private static double sequentialMs(List<BoundProblem> singles, double[][] a, double[][] mu, NpEvaluation[] out,
                                       double seconds) {
        long start = System.nanoTime();
        int steps = 0;
        while (steps < 2 || System.nanoTime() - start < seconds * 1e9) {
            GradientRequest req = steps % 2 == 0 ? GradientRequest.COEFFICIENTS : GradientRequest.LOCATIONS;
            for (int t = 0; t < singles.size(); t++) {
                singles.get(t).evaluate(a[t], mu[t], req, out[t]);
            }
            steps++;
        }
        return (System.nanoTime() - start) * 1e-6 / steps;
    }

    private static Samples exponential(SplittableRandom rng, int n, double weight) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -Math.log1p(-rng.nextDouble());
        }
        return Samples.fromFlat(x, n, 1, weight);
    }
}
