package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.loss.LocationEntropy;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector engine's location entropy ({@code Engine.locationEntropy}, VectorLocationEntropy) against the
 * scalar reference {@link LocationEntropy} on random locations with M in {1, 3, 15, 16, 17, 33, 100, 257}
 * (every lane tail at 128, 256 and 512 bits) and d in {1, 2, 5}: value within 1e-12 (DOUBLE) / 1e-5 (FLOAT)
 * relative, gradient within 1e-10 / 1e-4 of its largest component; the DOUBLE gradient also against central
 * finite differences of the vector value (1e-6 of the largest component). Then the trainer's parallel host
 * work: a batch trained with 1 and with 3 threads gives the same bits.
 */
class VectorLocationEntropyTest {
    private static final int[] KERNELS = {1, 3, 15, 16, 17, 33, 100, 257};
    private static final int[] DIMENSIONS = {1, 2, 5};

    @Test
    void vectorEntropyAgreesWithScalarAndFiniteDifferences() {
        Engine vector = Engines.select("vector").engine();
        assertEquals("vector", vector.name(), "the vector engine must be available in the validation build");
        SplittableRandom rng = new SplittableRandom(42);
        int checked = 0;
        for (int m : KERNELS) {
            for (int d : DIMENSIONS) {
                double sigma = 0.5 + rng.nextDouble();
                KernelShape shape = new KernelShape(m, d, sigma, d == 2 ? Amplitude.GAUSSIAN : Amplitude.UNIT);
                double[] mu = new double[m * d];
                for (int k = 0; k < mu.length; k++) {
                    mu[k] = 2 * rng.nextGaussian();
                }
                double[] refGrad = new double[m * d];
                double ref = LocationEntropy.valueAndGradient(mu, shape, refGrad);
                double gScale = maxAbs(refGrad);
                for (Precision precision : Precision.values()) {
                    EntropyWorkspace ws = vector.locationEntropy(shape, precision);
                    double[] grad = new double[m * d];
                    double h = ws.compute(mu, grad);
                    double tolValue = precision == Precision.DOUBLE ? 1e-12 : 1e-5;
                    double tolGrad = precision == Precision.DOUBLE ? 1e-10 : 1e-4;
                    String where = "M=" + m + " d=" + d + " " + precision;
                    assertEquals(ref, h, tolValue * Math.max(1e-300, Math.abs(ref)) + 1e-300, where + ": L_H");
                    assertEquals(h, ws.compute(mu, null), 0.0, where + ": value without gradient");
                    for (int k = 0; k < grad.length; k++) {
                        assertEquals(refGrad[k], grad[k], tolGrad * gScale + 1e-300, where + ": dL_H/dmu[" + k + "]");
                    }
                    if (precision == Precision.DOUBLE && m > 1) {
                        double step = 1e-6;
                        for (int k = 0; k < mu.length; k++) {
                            double[] up = mu.clone();
                            double[] down = mu.clone();
                            up[k] += step;
                            down[k] -= step;
                            double fd = (ws.compute(up, null) - ws.compute(down, null)) / (2 * step);
                            assertEquals(fd, grad[k], 1e-6 * gScale + 1e-9, where + ": finite difference [" + k + "]");
                        }
                    }
                    checked++;
                }
            }
        }
        assertEquals(KERNELS.length * DIMENSIONS.length * 2, checked);
    }

    @Test
    void hostWorkInParallelGivesTheSameBitsForAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(8);
        List<Samples> refs = new ArrayList<>();
        List<Samples> data = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            refs.add(Samples.fromFlat(gaussian(rng, 300 * 2, 0), 300, 2, 0.1));
            data.add(Samples.fromFlat(gaussian(rng, (31 + p) * 2, 0.4), 31 + p, 2, 1.0));
        }
        TrainingConfig base = TrainingConfig.builder().kernels(9).sigma(0.8).lambdaH(0.05).epochs(4)
                .coefficientSteps(3).locationSteps(3).learningRate(0.05).seed(2).build();
        ScalarEngine scalar = new ScalarEngine();
        List<TrainingOutcome> one = Trainer.trainBatch(refs, data, base, scalar,
                new EngineSettings(Precision.DOUBLE, 1), null);
        List<TrainingOutcome> three = Trainer.trainBatch(refs, data, base, scalar,
                new EngineSettings(Precision.DOUBLE, 3), null);
        for (int p = 0; p < refs.size(); p++) {
            TestResult a = one.get(p).resultOrThrow();
            TestResult b = three.get(p).resultOrThrow();
            assertTrue(Math.abs(a.t()) > 1e-6, "training must move t: " + a.t());
            assertEquals(Double.doubleToRawLongBits(a.t()), Double.doubleToRawLongBits(b.t()), "problem " + p + " t");
            assertEquals(a.model(), b.model(), "problem " + p + " parameters");
            for (int e = 0; e < a.history().epochs(); e++) {
                assertEquals(Double.doubleToRawLongBits(a.history().locationEntropy()[e]),
                        Double.doubleToRawLongBits(b.history().locationEntropy()[e]), "problem " + p + " L_H epoch " + e);
            }
        }
    }

    private static double[] gaussian(SplittableRandom rng, int n, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = shift + rng.nextGaussian();
        }
        return x;
    }

    private static double maxAbs(double[] v) {
        double s = 0;
        for (double x : v) {
            s = Math.max(s, Math.abs(x));
        }
        return s;
    }
}
