package dev.sparker.validation.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.engine.Precision;
import dev.sparker.SparKer;
import dev.sparker.gpu.DeviceMemoryException;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole trainings on the OpenCL engine against the scalar engine: the EXPO_1D preset (M = 50) shortened to
 * 20 epochs of (10 + 10) steps on N_R = 10 000 reference events (weight N0 / N_R, N0 = 2000) and a data toy
 * of 2000 Exp(1) events plus 90 events of the bulk signal N(1.6, 0.16). t agrees within 1e-9 relative in
 * {@code DOUBLE} and 1e-3 relative in {@code FLOAT}. Then a batch of toys sharing the reference trained in
 * one lock-step batch gives every toy's t bit for bit as when that toy trains alone.
 */
class OpenClEndToEndTest {
    private static final int N_R = 10_000;
    private static final double N0 = 2000;

    @Test
    void twentyEpochsOfExpo1dAgreeWithScalar() throws IOException {
        OpenClEngine engine = OpenClDevice.require();
        SplittableRandom rng = new SplittableRandom(20261128L);
        Samples reference = exponential(rng, N_R, N0 / N_R);
        Samples data = toy(rng, 2000, 90);
        TrainingConfig base = TrainingConfig.preset(Preset.EXPO_1D, 50).toBuilder()
                .epochs(20).coefficientSteps(10).locationSteps(10).seed(7).build();
        TestResult scalar = Trainer.train(reference, data, base, new ScalarEngine(), EngineSettings.singleThreadDouble(), null);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "scalar t = %.15g%n", scalar.t()));
        assertTrue(Math.abs(scalar.t()) > 1e-3, "the training must move t away from 0 for the check to mean anything: "
                + scalar.t());
        List<Precision> precisions = engine.supports(Precision.DOUBLE)
                ? List.of(Precision.DOUBLE, Precision.FLOAT) : List.of(Precision.FLOAT);
        for (Precision precision : precisions) {
            double tol = precision == Precision.DOUBLE ? 1e-9 : 1e-3;
            TestResult gpu = Trainer.train(reference, data, base, engine, new EngineSettings(precision, 1), null);
            assertEquals(OpenClEngine.NAME, gpu.engine());
            double rel = Math.abs(gpu.t() - scalar.t()) / Math.abs(scalar.t());
            report.append(String.format(Locale.ROOT, "opencl %s t = %.15g, relative difference %.3g (tolerance %.0e)%n",
                    precision, gpu.t(), rel, tol));
            assertTrue(rel <= tol, precision + ": t = " + gpu.t() + " vs scalar " + scalar.t() + ", relative "
                    + rel + " > " + tol);
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "opencl-end-to-end.txt"), report);
    }

    @Test
    void batchedTrainingEqualsOneAtATimeBitForBit() {
        OpenClEngine engine = OpenClDevice.require();
        EngineSettings settings = new EngineSettings(Precision.FLOAT, 1);
        SplittableRandom rng = new SplittableRandom(99);
        Samples reference = exponential(rng, 5000, N0 / 5000);
        List<Samples> refs = new ArrayList<>();
        List<Samples> toys = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            refs.add(reference);
            toys.add(toy(rng, 1900 + 37 * k, k * 20));
        }
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder()
                .epochs(5).coefficientSteps(5).locationSteps(5).sigma(2.3).seed(3).build();
        List<TrainingOutcome> batch = Trainer.trainBatch(refs, toys, config, engine, settings, null);
        for (int k = 0; k < toys.size(); k++) {
            TestResult alone = Trainer.train(reference, toys.get(k), config, engine, settings, null);
            TestResult inBatch = batch.get(k).resultOrThrow();
            assertEquals(Double.doubleToRawLongBits(alone.t()), Double.doubleToRawLongBits(inBatch.t()),
                    "toy " + k + ": t alone " + alone.t() + ", in the batch " + inBatch.t());
        }
    }

    /**
     * An engine configured through its builder reaches the trainer as it was built: a memory limit far below
     * what the problem needs is refused by the trainer's bind, and the float-only sums it was asked for give a
     * t that differs from the default engine's (double sums) yet agrees with the scalar engine within the
     * float tolerance.
     */
    @Test
    void engineBuiltThroughItsBuilderTrainsThroughSparKer() {
        OpenClDevice.require();
        SplittableRandom rng = new SplittableRandom(5);
        Samples reference = exponential(rng, 4000, N0 / 4000);
        Samples data = toy(rng, 2000, 40);
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder()
                .epochs(4).coefficientSteps(10).locationSteps(10).learningRate(0.05).sigma(2.3).seed(11).build();
        EngineSettings settings = new EngineSettings(Precision.FLOAT, 1);
        OpenClEngine tiny = OpenClEngine.builder().memoryLimitBytes(1024).build();
        DeviceMemoryException refused = org.junit.jupiter.api.Assertions.assertThrows(DeviceMemoryException.class,
                () -> SparKer.test(reference, data, config, tiny, settings));
        assertTrue(refused.getMessage().contains("1024") || refused.bytesRequested() > 1024, refused.getMessage());

        TestResult scalar = SparKer.test(reference, data, config, new ScalarEngine(), EngineSettings.singleThreadDouble());
        TestResult floatSums = SparKer.test(reference, data, config,
                OpenClEngine.builder().accumulateInDouble(false).build(), settings);
        TestResult doubleSums = SparKer.test(reference, data, config, OpenClEngine.builder().build(), settings);
        assertEquals(OpenClEngine.NAME, floatSums.engine());
        for (TestResult r : List.of(floatSums, doubleSums)) {
            double rel = Math.abs(r.t() - scalar.t()) / Math.abs(scalar.t());
            assertTrue(rel <= 1e-3, "opencl FLOAT t = " + r.t() + " vs scalar " + scalar.t() + ": relative " + rel);
        }
        if (OpenClEngine.builder().build().device().orElseThrow().fp64()) {
            assertTrue(floatSums.t() != doubleSums.t(), "float-only sums must be the path that ran: t = "
                    + floatSums.t() + " with both settings");
        }
    }

    static Samples exponential(SplittableRandom rng, int n, double weight) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -Math.log1p(-rng.nextDouble());
        }
        return Samples.fromFlat(x, n, 1, weight);
    }

    /** {@code background} Exp(1) events plus {@code signal} events from N(1.6, 0.16). */
    static Samples toy(SplittableRandom rng, int background, int signal) {
        double[] x = new double[background + signal];
        for (int i = 0; i < background; i++) {
            x[i] = -Math.log1p(-rng.nextDouble());
        }
        for (int i = background; i < x.length; i++) {
            x[i] = 1.6 + 0.16 * gaussian(rng);
        }
        return Samples.fromFlat(x, x.length, 1, 1.0);
    }

    /** A standard normal draw (Box-Muller, one of the pair). */
    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
