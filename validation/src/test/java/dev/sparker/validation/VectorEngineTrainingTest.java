package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.engine.vector.VectorEngine;
import dev.sparker.engine.Precision;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: t after 20 epochs of EXPO_1D training (M = 10, the preset's schedule shortened to 20 epochs)
 * with the vector engine agrees with the scalar engine on the same seed and data: within
 * {@value #DOUBLE_TOLERANCE} relative in {@code DOUBLE} and {@value #FLOAT_TOLERANCE} relative in
 * {@code FLOAT}. N_R = 20 000 (a tenth of the paper's) keeps the scalar run to seconds.
 */
class VectorEngineTrainingTest {
    static final double DOUBLE_TOLERANCE = 1e-9;
    static final double FLOAT_TOLERANCE = 1e-3;
    static final int N_REF = 20_000;
    static final int EPOCHS = 20;
    static final long SEED = 20260;

    private static Samples reference;
    private static Samples data;
    private static TestResult scalar;

    /** EXPO-1D at a tenth of the size: Exp(1) reference weighted N_D/N_R, data Poisson(200) Exp(1) + ~9 bump events. */
    @BeforeAll
    static void trainScalar() {
        SplittableRandom r = new SplittableRandom(SEED);
        double expected = N_REF / 100.0;
        double[] rx = new double[N_REF];
        for (int i = 0; i < N_REF; i++) {
            rx[i] = -Math.log1p(-r.nextDouble());
        }
        reference = Samples.fromFlat(rx, N_REF, 1, expected / N_REF);
        int nb = (int) Math.round(expected + Math.sqrt(expected) * r.nextGaussian());
        int ns = 9;
        double[] dx = new double[nb + ns];
        for (int i = 0; i < nb; i++) {
            dx[i] = -Math.log1p(-r.nextDouble());
        }
        for (int i = nb; i < nb + ns; i++) {
            dx[i] = 1.6 + 0.16 * r.nextGaussian();
        }
        data = Samples.fromFlat(dx, dx.length, 1, 1.0);
        scalar = Trainer.train(reference, data, config(), new ScalarEngine(), EngineSettings.singleThreadDouble(), null);
        assertTrue(Double.isFinite(scalar.t()) && scalar.t() != 0, "scalar training gave t = " + scalar.t());
    }

    static TrainingConfig config() {
        return TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder().epochs(EPOCHS).seed(SEED).build();
    }

    @Test
    void doublePrecisionMatchesScalar() {
        check(Precision.DOUBLE, DOUBLE_TOLERANCE);
    }

    @Test
    void floatPrecisionMatchesScalar() {
        check(Precision.FLOAT, FLOAT_TOLERANCE);
    }

    private static void check(Precision precision, double tol) {
        TestResult v = Trainer.train(reference, data, config(), new VectorEngine(), new EngineSettings(precision, 2), null);
        assertEquals("vector", v.engine(), "the vector engine must have run, not a fallback");
        assertEquals(scalar.sigma(), v.sigma(), 0.0, "both runs must use the same sigma");
        double rel = Math.abs(v.t() - scalar.t()) / Math.abs(scalar.t());
        assertTrue(rel <= tol, precision + ": t = " + v.t() + " vs scalar " + scalar.t() + " after " + EPOCHS
                + " epochs; relative difference " + rel + " exceeds " + tol);
    }
}
