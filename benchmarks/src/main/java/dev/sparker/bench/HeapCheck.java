package dev.sparker.bench;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.loss.LocationEntropy;
import java.util.Locale;

/**
 * Checks that the vector engine's steps at the largest sweep size (N_R = 200 000, N_D = 2 000, M = 1000)
 * run in a small heap: run it with {@code -Xmx256m}. It binds the problem in each precision, takes three
 * evaluations of each phase (the location phase with its M x M entropy term), prints the time per step, and exits non-zero when the heap did not suffice.
 */
public final class HeapCheck {
    private HeapCheck() {
    }

    public static void main(String[] args) {
        int nRef = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf(Locale.ROOT, "max heap %.0f MiB; N_R = %d, N_D = %d, M = %d%n", maxHeap / 1048576.0,
                nRef, BenchProblem.defaultDataSize(nRef), m);
        try {
            BenchProblem p = BenchProblem.create(1, nRef, BenchProblem.defaultDataSize(nRef), m);
            int threads = Runtime.getRuntime().availableProcessors();
            LocationEntropy entropy = new LocationEntropy(p.shape());
            double[] entropyGrad = new double[p.locations().length];
            for (Precision precision : Precision.values()) {
                NpEvaluation out = new NpEvaluation(p.shape());
                try (BoundProblem b = Engines.byName("vector").bind(p.reference(), p.data(), p.shape(),
                        new EngineSettings(precision, threads))) {
                    for (GradientRequest req : new GradientRequest[] {GradientRequest.COEFFICIENTS, GradientRequest.LOCATIONS}) {
                        long t0 = System.nanoTime();
                        for (int s = 0; s < 3; s++) {
                            b.evaluate(p.coefficients(), p.locations(), req, out);
                            if (req == GradientRequest.LOCATIONS) {
                                entropy.compute(p.locations(), entropyGrad);
                            }
                        }
                        double ms = (System.nanoTime() - t0) * 1e-6 / 3;
                        System.out.printf(Locale.ROOT, "vector %s %s: %.1f ms per evaluation (cold, 3 steps; locations with the entropy term), loss %.6g%n",
                                precision, req, ms, out.loss());
                    }
                }
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "OK: heap in use at the end %.1f MiB of %.0f MiB%n",
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0, maxHeap / 1048576.0);
        } catch (OutOfMemoryError e) {
            System.out.println("FAILED: out of memory with max heap " + maxHeap / 1048576 + " MiB: " + e);
            System.exit(1);
        }
    }
}
