package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.SparKer;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.engine.vector.VectorEngine;
import dev.sparker.engine.Precision;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * End to end: t after 20 epochs of EXPO_1D training (shortened to 20 + 20 steps per epoch) with the vector
 * engine agrees with the scalar engine on the same seed: within 1e-9 relative in DOUBLE, 1e-3 in FLOAT.
 */
class VectorTrainingAgreementTest {

    @Test
    void expo1dTestStatisticAgreesWithScalar() {
        SplittableRandom r = new SplittableRandom(2024);
        int nr = 20000;
        int nd = 200;
        double[] ref = new double[nr];
        for (int i = 0; i < nr; i++) {
            ref[i] = -Math.log(1 - r.nextDouble());
        }
        double[] dat = new double[nd + 20];
        for (int i = 0; i < nd; i++) {
            dat[i] = -Math.log(1 - r.nextDouble());
        }
        for (int i = nd; i < dat.length; i++) {
            dat[i] = 1.6 + 0.16 * r.nextGaussian();
        }
        Samples reference = Samples.fromFlat(ref, nr, 1, (double) nd / nr);
        Samples data = Samples.fromFlat(dat, dat.length, 1, 1.0);
        TrainingConfig base = TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder()
                .epochs(20).coefficientSteps(20).locationSteps(20).seed(5).build();
        TestResult scalar = SparKer.test(reference, data, base, new ScalarEngine(), EngineSettings.singleThreadDouble());
        for (Precision precision : Precision.values()) {
            int threads = precision == Precision.DOUBLE ? 2 : 1;
            TestResult vector = SparKer.test(reference, data, base, new VectorEngine(),
                    new EngineSettings(precision, threads));
            double tol = precision == Precision.DOUBLE ? 1e-9 : 1e-3;
            double rel = Math.abs(vector.t() - scalar.t()) / Math.abs(scalar.t());
            assertTrue(rel <= tol, precision + ": t = " + vector.t() + " vs scalar " + scalar.t() + ", relative "
                    + rel + " > " + tol);
            assertTrue(scalar.t() > 1, "the injected signal must give a clearly positive t, got " + scalar.t());
        }
    }
}
