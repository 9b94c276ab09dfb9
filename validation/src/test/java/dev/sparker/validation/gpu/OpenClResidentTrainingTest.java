package dev.sparker.validation.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.gpu.OpenClEngine;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import dev.sparker.train.Phase;
import dev.sparker.train.ResidentTraining;
import dev.sparker.train.Schedule;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingDivergedException;
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
 * The device-resident training loop (np_train.cl, {@link ResidentTraining}) against the trainer's host loop
 * with the scalar engine, the reference: random problems with d in {1, 3}, M in {1, 7, 33}, odd event counts,
 * random weights, and a clip small enough that coefficients sit on it. After 20 epochs t agrees within 1e-9
 * relative in DOUBLE and 1e-4 in FLOAT; so do the lowest loss and the final coefficients (DOUBLE); and t is within
 * 1e-9 of the same engine's host loop (the device loop switched off) in both precisions. A problem
 * gives the same bits alone and inside a batch; a problem that turns non-finite stops alone, at the epoch,
 * phase and step the host loop names. Storing the forward pass's kernel values for the moment pass
 * ({@code storeKernelValues}) changes no bit.
 */
class OpenClResidentTrainingTest {
    /** The same engine with the device loop switched off: the trainer's host loop over the same kernels. */
    private static final OpenClEngine HOST_LOOP = OpenClEngine.builder()
            .device(System.getProperty(OpenClEngine.DEVICE_PROPERTY)).residentTraining(false).build();

    /** d, M, N_R, N_D, clip. */
    private static final int[][] CASES = {{1, 1, 401, 57, 0}, {1, 7, 1237, 311, 1}, {3, 7, 999, 201, 0},
            {3, 33, 1531, 263, 1}, {2, 33, 777, 95, 1}};

    @Test
    void residentTrainingAgreesWithTheHostLoopOnScalar() throws IOException {
        OpenClEngine engine = OpenClDevice.require();
        StringBuilder report = new StringBuilder();
        int clippedCases = 0;
        for (int c = 0; c < CASES.length; c++) {
            int[] k = CASES[c];
            SplittableRandom rng = new SplittableRandom(1000 + c);
            Samples reference = gaussian(rng, k[2], k[0], 0.0, 0.2 * k[3] / k[2]);
            Samples data = gaussian(rng, k[3], k[0], 0.3, 1.0);
            TrainingConfig base = config(k[1], k[4] == 1, 20 + c);
            assertResident(engine, reference, data, base);
            TestResult scalar = Trainer.train(reference, data, base, new ScalarEngine(),
                    EngineSettings.singleThreadDouble(), null);
            assertTrue(Math.abs(scalar.t()) > 1e-3, "case " + c + ": training must move t away from 0: " + scalar.t());
            if (k[4] == 1) {
                double clip = base.clip();
                boolean onClip = false;
                for (double a : scalar.model().coefficients()) {
                    onClip |= Math.abs(a) == clip;
                }
                assertTrue(onClip, "case " + c + ": some coefficient must sit on the clip " + clip);
                clippedCases++;
            }
            for (Precision precision : List.of(Precision.DOUBLE, Precision.FLOAT)) {
                if (!engine.supports(precision)) {
                    continue;
                }
                double tol = precision == Precision.DOUBLE ? 1e-9 : 1e-4;
                EngineSettings settings = new EngineSettings(precision, 1);
                TestResult dev = Trainer.train(reference, data, base, engine, settings, null);
                TestResult hostLoop = Trainer.train(reference, data, base, HOST_LOOP, settings, null);
                double relHost = relative(dev.t(), hostLoop.t());
                double rel = relative(dev.t(), scalar.t());
                double relLowest = relative(dev.lowestLoss(), scalar.lowestLoss());
                report.append(String.format(Locale.ROOT, "case %d (d=%d M=%d N_R=%d N_D=%d clip=%b) %s: t %.12g vs"
                                + " scalar %.12g, relative %.3g; lowest loss relative %.3g; vs the OpenCL host loop %.3g%n",
                        c, k[0], k[1], k[2], k[3], k[4] == 1, precision, dev.t(), scalar.t(), rel, relLowest, relHost));
                assertTrue(relHost <= 1e-9, "case " + c + " " + precision + ": device loop t = " + dev.t()
                        + " vs the same engine's host loop " + hostLoop.t());
                assertTrue(rel <= tol, "case " + c + " " + precision + ": t = " + dev.t() + " vs scalar " + scalar.t()
                        + ", relative " + rel + " > " + tol);
                assertTrue(relLowest <= tol, "case " + c + " " + precision + ": lowest loss " + dev.lowestLoss()
                        + " vs " + scalar.lowestLoss());
                assertEquals(scalar.history().epochs(), dev.history().epochs());
                if (precision == Precision.DOUBLE) {
                    double[] ad = dev.model().coefficients();
                    double[] as = scalar.model().coefficients();
                    for (int i = 0; i < as.length; i++) {
                        assertEquals(as[i], ad[i], 1e-9 * Math.max(1, Math.abs(as[i])), "case " + c + " a_" + i);
                    }
                    double[] hs = scalar.history().locationEntropy();
                    double[] hd = dev.history().locationEntropy();
                    double[] ps = scalar.history().coefficientPenalty();
                    double[] pd = dev.history().coefficientPenalty();
                    for (int e = 0; e < hs.length; e++) {
                        assertEquals(hs[e], hd[e], 1e-9 * Math.max(1, Math.abs(hs[e])), "case " + c + " L_H epoch " + e);
                        assertEquals(ps[e], pd[e], 1e-9 * Math.max(1e-12, Math.abs(ps[e])), "case " + c + " L_a epoch " + e);
                    }
                }
            }
        }
        assertTrue(clippedCases >= 2, "the cases must include clipped coefficients");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "opencl-resident-training.txt"), report);
    }

    @Test
    void aProblemGivesTheSameBitsAloneAndInABatch() {
        OpenClEngine engine = OpenClDevice.require();
        for (Precision precision : List.of(Precision.FLOAT, Precision.DOUBLE)) {
            if (!engine.supports(precision)) {
                continue;
            }
            SplittableRandom rng = new SplittableRandom(77);
            Samples reference = gaussian(rng, 1001, 2, 0.0, 0.1);
            List<Samples> refs = new ArrayList<>();
            List<Samples> toys = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                refs.add(k == 2 ? gaussian(rng, 613, 2, 0.0, 0.2) : reference);
                toys.add(gaussian(rng, 97 + 31 * k, 2, 0.1 * k, 1.0));
            }
            TrainingConfig config = config(5, true, 6).toBuilder().epochs(6).build();
            EngineSettings settings = new EngineSettings(precision, 1);
            List<TrainingOutcome> batch = Trainer.trainBatch(refs, toys, config, engine, settings, null);
            for (int k = 0; k < toys.size(); k++) {
                TestResult alone = Trainer.train(refs.get(k), toys.get(k), config, engine, settings, null);
                TestResult inBatch = batch.get(k).resultOrThrow();
                assertEquals(Double.doubleToRawLongBits(alone.t()), Double.doubleToRawLongBits(inBatch.t()),
                        precision + " toy " + k + ": t alone " + alone.t() + ", in the batch " + inBatch.t());
                assertEquals(Double.doubleToRawLongBits(alone.lowestLoss()),
                        Double.doubleToRawLongBits(inBatch.lowestLoss()), precision + " toy " + k + ": lowest loss");
                double[] la = alone.model().locations();
                double[] lb = inBatch.model().locations();
                for (int i = 0; i < la.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(la[i]), Double.doubleToRawLongBits(lb[i]),
                            precision + " toy " + k + ": mu[" + i + "]");
                }
            }
        }
    }

    @Test
    void storedKernelValuesGiveTheSameBitsAsRecomputedOnes() {
        OpenClEngine engine = OpenClDevice.require();
        OpenClEngine stored = OpenClEngine.builder().device(System.getProperty(OpenClEngine.DEVICE_PROPERTY))
                .storeKernelValues(true).build();
        SplittableRandom rng = new SplittableRandom(31);
        Samples reference = gaussian(rng, 1013, 2, 0.0, 0.1);
        List<Samples> refs = List.of(reference, reference, reference);
        List<Samples> toys = List.of(gaussian(rng, 101, 2, 0.2, 1.0), gaussian(rng, 77, 2, 0.5, 1.0),
                gaussian(rng, 129, 2, -0.3, 1.0));
        TrainingConfig config = config(11, true, 9).toBuilder().epochs(5).build();
        for (Precision precision : List.of(Precision.FLOAT, Precision.DOUBLE)) {
            if (!engine.supports(precision)) {
                continue;
            }
            EngineSettings settings = new EngineSettings(precision, 1);
            List<TrainingOutcome> recomputed = Trainer.trainBatch(refs, toys, config, engine, settings, null);
            List<TrainingOutcome> reused = Trainer.trainBatch(refs, toys, config, stored, settings, null);
            for (int k = 0; k < toys.size(); k++) {
                TestResult x = recomputed.get(k).resultOrThrow();
                TestResult y = reused.get(k).resultOrThrow();
                assertEquals(Double.doubleToRawLongBits(x.t()), Double.doubleToRawLongBits(y.t()),
                        precision + " toy " + k + ": t " + x.t() + " recomputed, " + y.t() + " stored");
                assertEquals(x.model(), y.model(), precision + " toy " + k + ": parameters");
            }
        }
    }

    @Test
    void aDivergingProblemStopsAloneWhereTheHostLoopStops() {
        OpenClEngine engine = OpenClDevice.require();
        SplittableRandom rng = new SplittableRandom(5);
        Samples reference = gaussian(rng, 501, 1, 0.0, 0.2);
        Samples good = gaussian(rng, 101, 1, 0.2, 1.0);
        // data weights of 1e307: dL/da_i = -sum_D w k_i overflows to -Infinity at the first step
        Samples overflowing = gaussian(rng, 101, 1, 0.2, 1e307);
        TrainingConfig config = config(3, false, 4);
        EngineSettings settings = EngineSettings.singleThreadDouble();
        TrainingDivergedException host = null;
        try {
            Trainer.train(reference, overflowing, config, new ScalarEngine(), settings, null);
        } catch (TrainingDivergedException e) {
            host = e;
        }
        assertNotNull(host, "the host loop must diverge on this problem for the check to mean anything");
        List<TrainingOutcome> out = Trainer.trainBatch(List.of(reference, reference), List.of(good, overflowing),
                config, engine, settings, null);
        assertNull(out.get(0).failure(), "the healthy problem must finish");
        TestResult alone = Trainer.train(reference, good, config, engine, settings, null);
        assertEquals(alone.t(), out.get(0).result().t(), 0.0, "the healthy problem is not disturbed");
        assertTrue(out.get(1).failure() instanceof TrainingDivergedException, "got " + out.get(1).failure());
        TrainingDivergedException dev = (TrainingDivergedException) out.get(1).failure();
        assertEquals(host.epoch(), dev.epoch());
        assertEquals(host.phase(), dev.phase());
        assertEquals(host.step(), dev.step());
        assertEquals(Phase.COEFFICIENTS, dev.phase());
        assertEquals(host.getMessage(), dev.getMessage());
    }

    @Test
    void theConvergedScheduleStaysOnTheHostDriver() {
        OpenClEngine engine = OpenClDevice.require();
        SplittableRandom rng = new SplittableRandom(77);
        Samples reference = gaussian(rng, 999, 2, 0.0, 0.2 * 201 / 999);
        Samples data = gaussian(rng, 201, 2, 0.3, 1.0);
        TrainingConfig converged = config(7, false, 5).toBuilder().schedule(Schedule.CONVERGED).epochs(5).build();
        KernelShape shape = new KernelShape(converged.kernels(), 2, 0.9, converged.amplitude());
        try (BoundBatch b = engine.bindBatch(List.of(reference), List.of(data), shape,
                new EngineSettings(Precision.DOUBLE, 1))) {
            assertTrue(b instanceof ResidentTraining rt && !rt.supportsResidentTraining(converged),
                    "the device loop runs the paper's Adam schedule only");
        }
        EngineSettings settings = new EngineSettings(Precision.DOUBLE, 1);
        TestResult withDeviceLoopOn = Trainer.train(reference, data, converged, engine, settings, null);
        TestResult hostLoop = Trainer.train(reference, data, converged, HOST_LOOP, settings, null);
        assertEquals(hostLoop.t(), withDeviceLoopOn.t(), "converged schedule: same bits whether or not the"
                + " engine offers the device loop");
    }

    private static void assertResident(OpenClEngine engine, Samples reference, Samples data, TrainingConfig config) {
        KernelShape shape = new KernelShape(config.kernels(), reference.dimension(), 0.9, config.amplitude());
        try (BoundBatch b = engine.bindBatch(List.of(reference), List.of(data), shape,
                new EngineSettings(Precision.FLOAT, 1))) {
            assertTrue(b instanceof ResidentTraining rt && rt.supportsResidentTraining(config),
                    "the OpenCL batch must offer the resident training, or these checks would test the host loop");
        }
    }

    private static TrainingConfig config(int m, boolean clipped, long seed) {
        return TrainingConfig.builder().kernels(m).sigma(0.9).lambdaA(1e-4).lambdaH(3e-2).epochs(20)
                .coefficientSteps(4).locationSteps(3).learningRate(clipped ? 0.05 : 0.02)
                .clip(clipped ? 0.15 : TrainingConfig.DEFAULT_CLIP).seed(seed).build();
    }

    private static double relative(double x, double ref) {
        return Math.abs(x - ref) / Math.abs(ref);
    }

    /** n events in d dimensions: N(shift, 1) in every coordinate, weights uniform in [0.5, 1.5] times scale. */
    static Samples gaussian(SplittableRandom rng, int n, int d, double shift, double scale) {
        double[] x = new double[n * d];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = shift + rng.nextGaussian();
            }
            w[i] = scale * (0.5 + rng.nextDouble());
        }
        return Samples.fromFlat(x, n, d, w);
    }
}
