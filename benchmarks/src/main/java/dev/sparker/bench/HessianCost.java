package dev.sparker.bench;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The cost of one coefficient-Hessian evaluation against one coefficient-gradient evaluation on the vector
 * engine, measured in one run: EXPO-1D (N_R events, one data toy), M kernels on data events. Usage:
 * {@code HessianCost [nRef] [precision] [threads] [M,M,...]}. Prints, per M, milliseconds per gradient and per
 * Hessian evaluation and their ratio; a Newton coefficient solve (about 3 Hessians and 3 line-search losses
 * per epoch once warm) pays while that ratio stays well below the number of gradient steps it replaces.
 */
public final class HessianCost {
    private HessianCost() {
    }

    public static void main(String[] args) {
        int nRef = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Precision precision = args.length > 1 ? Precision.valueOf(args[1]) : Precision.FLOAT;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String[] ms = (args.length > 3 ? args[3] : "10,50,100,200,400,1000").split(",");
        Samples ref = Expo1d.reference(nRef, 1);
        Samples data = Expo1d.dataToy(Expo1dSignal.NONE, 2);
        var engine = Engines.select("vector").engine();
        for (String mText : ms) {
            int m = Integer.parseInt(mText.trim());
            KernelShape shape = new KernelShape(m, 1, 2.3, Amplitude.GAUSSIAN);
            SplittableRandom r = new SplittableRandom(m);
            double[] a = new double[m];
            double[] mu = new double[m];
            for (int i = 0; i < m; i++) {
                a[i] = r.nextDouble(-1, 1);
                mu[i] = data.coordinate(r.nextInt(data.size()), 0);
            }
            try (BoundProblem b = engine.bind(ref, data, shape, new EngineSettings(precision, threads))) {
                double grad = time(b, a, mu, GradientRequest.COEFFICIENTS, m);
                double hess = time(b, a, mu, GradientRequest.COEFFICIENT_HESSIAN, m);
                System.out.printf(Locale.ROOT, "M = %4d: gradient %8.2f ms, Hessian %8.2f ms, ratio %6.1f%n", m, grad,
                        hess, hess / grad);
            }
        }
    }

    /** Milliseconds per evaluation: warm up, then repeat for about a second. */
    private static double time(BoundProblem b, double[] a, double[] mu, GradientRequest req, int m) {
        NpEvaluation out = new NpEvaluation(m, 1);
        for (int i = 0; i < 3; i++) {
            b.evaluate(a, mu, req, out);
        }
        int reps = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000_000L || reps < 3) {
            b.evaluate(a, mu, req, out);
            reps++;
        }
        return (System.nanoTime() - start) * 1e-6 / reps;
    }
}
