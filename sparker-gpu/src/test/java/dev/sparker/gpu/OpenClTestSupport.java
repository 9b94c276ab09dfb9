package dev.sparker.gpu;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparker.model.Samples;
import java.util.SplittableRandom;

/** Device checks and random problems shared by the OpenCL engine's tests. */
final class OpenClTestSupport {
    /** When set to 1 (CI does), a missing OpenCL device fails the tests instead of skipping them. */
    static final String REQUIRE_ENV = "SPARKER_REQUIRE_OPENCL";

    private OpenClTestSupport() {
    }

    /** Skips (or, with {@value #REQUIRE_ENV}=1, fails) the calling test when the engine has no device here. */
    static OpenClEngine requireDevice(OpenClEngine engine) {
        var av = engine.availability();
        if (!av.available()) {
            String why = "no OpenCL device for the OpenCL engine tests: " + av.reason();
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                fail(why + " (" + REQUIRE_ENV + "=1, so this fails instead of skipping)");
            }
            assumeTrue(false, why);
        }
        return engine;
    }

    static OpenClEngine requireDevice() {
        return requireDevice(new OpenClEngine());
    }

    /** {@code n} events in {@code d} dimensions, standard normal coordinates, weights {@code w * U(0.5, 1.5)}. */
    static Samples sample(SplittableRandom rng, int n, int d, double w) {
        double[] x = new double[n * d];
        double[] ws = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = gaussian(rng);
        }
        for (int i = 0; i < n; i++) {
            ws[i] = w * (0.5 + rng.nextDouble());
        }
        return Samples.fromFlat(x, n, d, ws);
    }

    static double[] coefficients(SplittableRandom rng, int m) {
        double[] a = new double[m];
        for (int i = 0; i < m; i++) {
            a[i] = rng.nextDouble(-1, 1) / Math.sqrt(m);
        }
        return a;
    }

    static double[] locations(SplittableRandom rng, int m, int d) {
        double[] mu = new double[m * d];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = gaussian(rng);
        }
        return mu;
    }

    static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /** max_k |got_k - want_k| / ||want||_2 (or the absolute difference when want is all zero). */
    static double normRelativeError(double[] got, double[] want, int len) {
        double norm = 0;
        double maxDiff = 0;
        for (int k = 0; k < len; k++) {
            norm += want[k] * want[k];
            maxDiff = Math.max(maxDiff, Math.abs(got[k] - want[k]));
        }
        norm = Math.sqrt(norm);
        return norm == 0 ? maxDiff : maxDiff / norm;
    }
}
