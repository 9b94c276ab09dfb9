package dev.sparker.validation.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL engine against the scalar engine on seeded random problems over the whole grid n in {1, 15, 16,
 * 17, 1000, 20001} (reference and data each of n events), M in {1, 7, 16, 50, 1000}, d in {1, 3, 12}.
 *
 * <p>Tolerances: {@code FLOAT} 1e-5, {@code DOUBLE} 1e-12, relative. The loss is compared relative to |L|; a
 * gradient vector g is compared component by component relative to its Euclidean norm,
 * {@code max_k |got_k - want_k| <= tol * ||want||_2}, so that components near zero are judged on the scale of
 * the vector. Every cell is checked for {@code BOTH}; cells with n * M &lt;= 1e5 also for {@code COEFFICIENTS}
 * and {@code LOSS_ONLY}. The largest error per precision is written to
 * {@code target/opencl-crosscheck.txt}.
 */
class OpenClCrossCheckTest {
    private static final int[] NS = {1, 15, 16, 17, 1000, 20001};
    private static final int[] MS = {1, 7, 16, 50, 1000};
    private static final int[] DS = {1, 3, 12};
    private static final double FLOAT_TOL = 1e-5;
    private static final double DOUBLE_TOL = 1e-12;

    @Test
    void wholeGridMatchesScalarEngine() throws IOException {
        OpenClEngine engine = OpenClDevice.require();
        List<Precision> precisions = new ArrayList<>(List.of(Precision.FLOAT));
        if (engine.supports(Precision.DOUBLE)) {
            precisions.add(Precision.DOUBLE);
        }
        double[][] worst = new double[2][3];   // [precision][loss, dL/da, dL/dmu]
        String[][] worstCell = new String[2][3];
        int cells = 0;
        int checks = 0;
        for (int d : DS) {
            for (int m : MS) {
                for (int n : NS) {
                    SplittableRandom rng = new SplittableRandom(1_000_003L * n + 1009L * m + d);
                    Samples ref = sample(rng, n, d, 0.1);
                    Samples data = sample(rng, n, d, 1);
                    Amplitude amp = Amplitude.values()[(n + m + d) % Amplitude.values().length];
                    KernelShape shape = new KernelShape(m, d, 0.8 * Math.sqrt(d), amp);
                    double[] a = new double[m];
                    double ampFactor = shape.amplitudeFactor();
                    for (int i = 0; i < m; i++) {
                        a[i] = rng.nextDouble(-1, 1) / (Math.sqrt(m) * ampFactor);
                    }
                    double[] mu = new double[m * d];
                    for (int k = 0; k < mu.length; k++) {
                        mu[k] = gaussian(rng);
                    }
                    List<GradientRequest> requests = (long) n * m <= 100_000
                            ? List.of(GradientRequest.BOTH, GradientRequest.COEFFICIENTS, GradientRequest.LOSS_ONLY)
                            : List.of(GradientRequest.BOTH);
                    NpEvaluation want = new NpEvaluation(shape);
                    try (BoundProblem s = new ScalarEngine().bind(ref, data, shape, EngineSettings.singleThreadDouble())) {
                        s.evaluate(a, mu, GradientRequest.BOTH, want);
                    }
                    cells++;
                    for (int pi = 0; pi < precisions.size(); pi++) {
                        Precision precision = precisions.get(pi);
                        double tol = precision == Precision.DOUBLE ? DOUBLE_TOL : FLOAT_TOL;
                        try (BoundProblem p = engine.bind(ref, data, shape, new EngineSettings(precision, 1))) {
                            for (GradientRequest req : requests) {
                                NpEvaluation got = new NpEvaluation(shape);
                                p.evaluate(a, mu, req, got);
                                checks++;
                                String cell = String.format(Locale.ROOT, "n=%d M=%d d=%d %s %s %s", n, m, d, amp,
                                        precision, req);
                                double[] err = {
                                        Math.abs(got.loss() - want.loss()) / Math.abs(want.loss()),
                                        req.wantsCoefficients() ? normRelative(got.coefficientGradient(),
                                                want.coefficientGradient()) : 0,
                                        req.wantsLocations() ? normRelative(got.locationGradient(),
                                                want.locationGradient()) : 0};
                                String[] names = {"loss", "dL/da", "dL/dmu"};
                                for (int k = 0; k < 3; k++) {
                                    assertTrue(err[k] <= tol, names[k] + " relative error " + err[k]
                                            + " exceeds the " + precision + " tolerance " + tol + " at " + cell);
                                    if (err[k] >= worst[pi][k]) {
                                        worst[pi][k] = err[k];
                                        worstCell[pi][k] = cell;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(NS.length * MS.length * DS.length, cells, "every grid cell was checked");
        StringBuilder report = new StringBuilder("OpenCL vs scalar, device " + engine.device().orElseThrow().describe()
                + ", " + cells + " cells, " + checks + " evaluations\n");
        for (int pi = 0; pi < precisions.size(); pi++) {
            report.append(String.format(Locale.ROOT, "%s: worst loss %.3g (%s); dL/da %.3g (%s); dL/dmu %.3g (%s)%n",
                    precisions.get(pi), worst[pi][0], worstCell[pi][0], worst[pi][1], worstCell[pi][1], worst[pi][2],
                    worstCell[pi][2]));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "opencl-crosscheck.txt"), report);
    }

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

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** max_k |got_k - want_k| / ||want||_2. */
    static double normRelative(double[] got, double[] want) {
        double norm = 0;
        double maxDiff = 0;
        for (int k = 0; k < want.length; k++) {
            norm += want[k] * want[k];
            maxDiff = Math.max(maxDiff, Math.abs(got[k] - want[k]));
        }
        norm = Math.sqrt(norm);
        return norm == 0 ? maxDiff : maxDiff / norm;
    }
}
