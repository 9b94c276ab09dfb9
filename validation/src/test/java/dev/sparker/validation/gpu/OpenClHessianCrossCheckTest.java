package dev.sparker.validation.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL coefficient Hessian ({@code np_hessian}, {@link GradientRequest#COEFFICIENT_HESSIAN}) in batches: a
 * batch of four problems (one inactive) gives each problem's Hessian bit for bit as a batch of one. Its agreement
 * with the formulas on the contract's grid (M &lt;= 361, both precisions where the device has fp64) is checked by
 * {@code EngineContractTest}, which also requires the refusal beyond M = 361.
 */
class OpenClHessianCrossCheckTest {
    @Test
    void batchHessianEqualsSingleProblemBitForBit() {
        OpenClEngine engine = OpenClDevice.require();
        SplittableRandom rng = new SplittableRandom(17);
        int m = 11;
        int d = 2;
        KernelShape shape = new KernelShape(m, d, 1.1, Amplitude.UNIT);
        Samples shared = sample(rng, 3001, d, 0.05);
        List<Samples> refs = List.of(shared, shared, sample(rng, 999, d, 0.2), shared);
        List<Samples> data = new ArrayList<>();
        for (int n : new int[]{40, 1, 700, 129}) {
            data.add(sample(rng, n, d, 1));
        }
        double[][] a = new double[4][m];
        double[][] mu = new double[4][m * d];
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < m; i++) {
                a[p][i] = rng.nextDouble(-0.5, 0.5);
            }
            for (int k = 0; k < m * d; k++) {
                mu[p][k] = gaussian(rng);
            }
        }
        EngineSettings settings = new EngineSettings(Precision.FLOAT, 1);
        NpEvaluation[] out = new NpEvaluation[4];
        for (int p = 0; p < 4; p++) {
            out[p] = new NpEvaluation(shape);
        }
        boolean[] active = {true, true, false, true};
        try (BoundBatch batch = engine.bindBatch(refs, data, shape, settings)) {
            batch.evaluate(a, mu, active, GradientRequest.COEFFICIENT_HESSIAN, out);
        }
        for (int p = 0; p < 4; p++) {
            if (!active[p]) {
                continue;
            }
            NpEvaluation single = new NpEvaluation(shape);
            try (BoundProblem one = engine.bind(refs.get(p), data.get(p), shape, settings)) {
                one.evaluate(a[p], mu[p], GradientRequest.COEFFICIENT_HESSIAN, single);
            }
            assertArrayEquals(single.coefficientHessian(), out[p].coefficientHessian(), 0.0, "problem " + p);
        }
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
}
