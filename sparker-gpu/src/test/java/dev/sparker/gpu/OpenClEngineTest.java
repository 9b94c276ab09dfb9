package dev.sparker.gpu;

import static dev.sparker.gpu.OpenClTestSupport.coefficients;
import static dev.sparker.gpu.OpenClTestSupport.locations;
import static dev.sparker.gpu.OpenClTestSupport.normRelativeError;
import static dev.sparker.gpu.OpenClTestSupport.requireDevice;
import static dev.sparker.gpu.OpenClTestSupport.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.engine.ScalarEngine;
import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.loss.LocationEntropy;
import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OpenCL engine against the scalar engine on small problems, batches against single problems bit for
 * bit, and the failure paths (no device, kernel build error, memory). The wide grid, shared by every engine,
 * lives in the validation module ({@code EngineContractTest}).
 */
class OpenClEngineTest {
    private static final double FLOAT_TOL = 1e-5;
    private static final double DOUBLE_TOL = 1e-12;

    @Test
    void isFoundByServiceLoaderAndSelectableByName() {
        assertTrue(Engines.all().stream().anyMatch(e -> e instanceof OpenClEngine),
                "Engines.all() must list the opencl engine: " + Engines.all().stream().map(Engine::name).toList());
        requireDevice();
        Engines.Selection sel = Engines.select("opencl");
        assertInstanceOf(OpenClEngine.class, sel.engine());
        OpenClDeviceInfo dev = ((OpenClEngine) sel.engine()).device().orElseThrow();
        if (dev.type() != OpenClDeviceInfo.DeviceType.GPU) {
            assertEquals(-1, sel.engine().autoSelectPriority(), "a non-GPU OpenCL device is never auto-selected");
            assertFalse(Engines.select("auto").engine() instanceof OpenClEngine);
        }
    }

    @Test
    void selectsDevicesByTypeNumberAndName() {
        OpenClEngine engine = requireDevice();
        OpenClDeviceInfo dev = engine.device().orElseThrow();
        assertEquals(dev, OpenClEngine.builder().device("#" + dev.index()).build().device().orElseThrow());
        assertEquals(dev.type(), OpenClEngine.builder().device(dev.type().name().toLowerCase()).build()
                .device().orElseThrow().type());
        assertEquals(dev, OpenClEngine.builder().device(dev.name().toUpperCase()).build().device().orElseThrow());
        OpenClEngine none = OpenClEngine.builder().device("no-such-device-xyz").build();
        assertFalse(none.availability().available());
        assertTrue(none.availability().reason().contains("no-such-device-xyz"), none.availability().reason());
        assertFalse(none.supports(Precision.FLOAT));
        SplittableRandom rng = new SplittableRandom(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.bind(sample(rng, 3, 1, 1),
                sample(rng, 3, 1, 1), new KernelShape(1, 1, 1, Amplitude.UNIT), EngineSettings.singleThreadDouble()));
        assertTrue(e.getMessage().contains("not available"), e.getMessage());
    }

    @ParameterizedTest(name = "nRef={0} nData={1} M={2} d={3} {4}")
    @CsvSource({
            "1, 1, 1, 1, UNIT", "17, 5, 7, 3, GAUSSIAN", "300, 33, 16, 2, REFERENCE_CODE", "1000, 257, 50, 12, UNIT",
            "5000, 100, 300, 1, GAUSSIAN"})
    void matchesScalarEngine(int nRef, int nData, int m, int d, Amplitude amplitude) {
        OpenClEngine engine = requireDevice();
        SplittableRandom rng = new SplittableRandom(nRef * 31L + m);
        Samples ref = sample(rng, nRef, d, 0.1);
        Samples data = sample(rng, nData, d, 1);
        KernelShape shape = new KernelShape(m, d, 0.8 * Math.sqrt(d), amplitude);
        double[] a = coefficients(rng, m);
        double[] mu = locations(rng, m, d);
        NpEvaluation want = new NpEvaluation(shape);
        try (BoundProblem s = new ScalarEngine().bind(ref, data, shape, EngineSettings.singleThreadDouble())) {
            s.evaluate(a, mu, GradientRequest.BOTH, want);
        }
        List<Precision> precisions = new ArrayList<>(List.of(Precision.FLOAT));
        if (engine.supports(Precision.DOUBLE)) {
            precisions.add(Precision.DOUBLE);
        }
        for (Precision precision : precisions) {
            double tol = precision == Precision.DOUBLE ? DOUBLE_TOL : FLOAT_TOL;
            NpEvaluation got = new NpEvaluation(shape);
            try (BoundProblem p = engine.bind(ref, data, shape, new EngineSettings(precision, 1))) {
                p.evaluate(a, mu, GradientRequest.BOTH, got);
            }
            String what = precision + " (tolerance " + tol + ")";
            assertEquals(want.loss(), got.loss(), tol * Math.abs(want.loss()), "loss, " + what);
            assertTrue(normRelativeError(got.coefficientGradient(), want.coefficientGradient(), m) <= tol,
                    "dL/da, " + what);
            assertTrue(normRelativeError(got.locationGradient(), want.locationGradient(), m * d) <= tol,
                    "dL/dmu, " + what);
        }
    }

    @Test
    void floatOnlyAccumulationStaysWithinFloatTolerance() {
        OpenClEngine engine = requireDevice(OpenClEngine.builder().accumulateInDouble(false).build());
        SplittableRandom rng = new SplittableRandom(5);
        int m = 40;
        int d = 2;
        Samples ref = sample(rng, 20001, d, 0.1);
        Samples data = sample(rng, 1000, d, 1);
        KernelShape shape = new KernelShape(m, d, 1.1, Amplitude.UNIT);
        double[] a = coefficients(rng, m);
        double[] mu = locations(rng, m, d);
        NpEvaluation want = new NpEvaluation(shape);
        NpEvaluation got = new NpEvaluation(shape);
        try (BoundProblem s = new ScalarEngine().bind(ref, data, shape, EngineSettings.singleThreadDouble());
             BoundProblem p = engine.bind(ref, data, shape, new EngineSettings(Precision.FLOAT, 1))) {
            s.evaluate(a, mu, GradientRequest.BOTH, want);
            p.evaluate(a, mu, GradientRequest.BOTH, got);
        }
        assertEquals(want.loss(), got.loss(), FLOAT_TOL * Math.abs(want.loss()), "loss, float sums (tol 1e-5)");
        assertTrue(normRelativeError(got.coefficientGradient(), want.coefficientGradient(), m) <= FLOAT_TOL);
        assertTrue(normRelativeError(got.locationGradient(), want.locationGradient(), m * d) <= FLOAT_TOL);
    }

    /**
     * Five problems, three of them sharing one reference object, one sharing it by content only, one with its
     * own: every output of the batch equals the single-problem output bit for bit, for every request, and an
     * inactive problem's output is left alone.
     */
    @Test
    void batchEqualsSingleProblemsBitForBit() {
        OpenClEngine engine = requireDevice();
        SplittableRandom rng = new SplittableRandom(9);
        int m = 9;
        int d = 3;
        KernelShape shape = new KernelShape(m, d, 1.3, Amplitude.UNIT);
        Samples shared = sample(rng, 4099, d, 0.05);
        Samples sameContent = Samples.fromFlat(shared.flatCoordinates(), shared.size(), d, shared.weights());
        List<Samples> refs = List.of(shared, shared, sameContent, sample(rng, 700, d, 0.2), shared);
        List<Samples> data = new ArrayList<>();
        int[] nData = {31, 1, 513, 64, 2000};
        for (int n : nData) {
            data.add(sample(rng, n, d, 1));
        }
        int problems = refs.size();
        double[][] a = new double[problems][];
        double[][] mu = new double[problems][];
        for (int p = 0; p < problems; p++) {
            a[p] = coefficients(rng, m);
            mu[p] = locations(rng, m, d);
        }
        List<Precision> precisions = engine.supports(Precision.DOUBLE)
                ? List.of(Precision.FLOAT, Precision.DOUBLE) : List.of(Precision.FLOAT);
        for (Precision precision : precisions) {
            EngineSettings settings = new EngineSettings(precision, 1);
            try (BoundBatch batch = engine.bindBatch(refs, data, shape, settings)) {
                for (GradientRequest req : GradientRequest.values()) {
                    NpEvaluation[] out = new NpEvaluation[problems];
                    for (int p = 0; p < problems; p++) {
                        out[p] = new NpEvaluation(shape);
                        out[p].setLoss(-12345);
                    }
                    boolean[] active = {true, true, true, true, true};
                    active[3] = req != GradientRequest.BOTH;
                    batch.evaluate(a, mu, active, req, out);
                    for (int p = 0; p < problems; p++) {
                        if (!active[p]) {
                            assertEquals(-12345, out[p].loss(), "inactive problem " + p + " was written to");
                            continue;
                        }
                        NpEvaluation single = new NpEvaluation(shape);
                        try (BoundProblem one = engine.bind(refs.get(p), data.get(p), shape, settings)) {
                            one.evaluate(a[p], mu[p], req, single);
                        }
                        String what = precision + " " + req + " problem " + p;
                        assertEquals(Double.doubleToRawLongBits(single.loss()), Double.doubleToRawLongBits(out[p].loss()),
                                "loss bits, " + what);
                        if (req.wantsCoefficients()) {
                            assertArrayEquals(single.coefficientGradient(), out[p].coefficientGradient(), 0.0, what);
                        }
                        if (req.wantsLocations()) {
                            assertArrayEquals(single.locationGradient(), out[p].locationGradient(), 0.0, what);
                        }
                        if (req.wantsCoefficientHessian()) {
                            assertArrayEquals(single.coefficientHessian(), out[p].coefficientHessian(), 0.0, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void kernelBuildErrorCarriesCompilerLog() {
        OpenClEngine engine = requireDevice();
        OpenClPlatforms.Device dev = OpenClPlatforms.match(OpenClPlatforms.discovery().devices(),
                "#" + engine.device().orElseThrow().index());
        OpenClRuntime runtime = OpenClRuntime.of(dev);
        KernelBuildException e = assertThrows(KernelBuildException.class,
                () -> runtime.build("__kernel void broken(__global float* x) { x[0] = undeclared_name; }", ""));
        assertTrue(e.buildLog().contains("undeclared_name"), "build log should name the error: " + e.buildLog());
        assertTrue(e.getMessage().contains(e.buildLog()));
    }

    @Test
    void tooLargeBatchNamesTheBytesAskedFor() {
        OpenClEngine engine = requireDevice(OpenClEngine.builder().memoryLimitBytes(100_000).build());
        SplittableRandom rng = new SplittableRandom(3);
        Samples ref = sample(rng, 20_000, 1, 0.1);
        Samples data = sample(rng, 100, 1, 1);
        KernelShape shape = new KernelShape(5, 1, 1, Amplitude.UNIT);
        DeviceMemoryException e = assertThrows(DeviceMemoryException.class,
                () -> engine.bind(ref, data, shape, new EngineSettings(Precision.FLOAT, 1)));
        assertTrue(e.bytesRequested() > 100_000, "bytes requested: " + e.bytesRequested());
        assertTrue(e.getMessage().contains(e.bytesRequested() + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("100000 bytes"), e.getMessage());
    }

    @Test
    void rejectsBadInputWithClearMessages() {
        OpenClEngine engine = requireDevice();
        SplittableRandom rng = new SplittableRandom(4);
        KernelShape shape = new KernelShape(3, 2, 1, Amplitude.UNIT);
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> engine.bind(
                sample(rng, 5, 2, 1), sample(rng, 5, 3, 1), shape, new EngineSettings(Precision.FLOAT, 1)));
        assertTrue(dim.getMessage().contains("dimension 3"), dim.getMessage());
        try (BoundProblem p = engine.bind(sample(rng, 5, 2, 1), sample(rng, 5, 2, 1), shape,
                new EngineSettings(Precision.FLOAT, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.evaluate(new double[4], new double[6], GradientRequest.BOTH, new NpEvaluation(shape)));
            assertTrue(e.getMessage().contains("M = 4"), e.getMessage());
        }
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> engine.bindBatch(
                List.of(sample(rng, 5, 2, 1)), List.of(), shape, new EngineSettings(Precision.FLOAT, 1)));
        assertTrue(batch.getMessage().contains("1 and 0"), batch.getMessage());
    }

    @ParameterizedTest(name = "M={0} d={1} {2}")
    @CsvSource({"1, 1, FLOAT", "17, 3, FLOAT", "257, 2, DOUBLE", "1000, 1, FLOAT", "1000, 1, DOUBLE"})
    void hostLoopEntropyIsTheDoubleReference(int m, int d, Precision precision) {
        // the converged schedule's host loop takes its entropy from the engine: the Vector API in double here
        // (no device needed), which must equal the reference whatever the evaluations' precision
        KernelShape shape = new KernelShape(m, d, 0.7, Amplitude.GAUSSIAN);
        EntropyWorkspace fast = new OpenClEngine().locationEntropy(shape, precision);
        assertFalse(fast instanceof LocationEntropy, "this JVM has jdk.incubator.vector: the Vector API path runs");
        SplittableRandom rng = new SplittableRandom(m * 31L + d);
        double[] mu = new double[m * d];
        for (int k = 0; k < mu.length; k++) {
            mu[k] = 3 * rng.nextDouble();
        }
        double[] gFast = new double[m * d];
        double[] gRef = new double[m * d];
        double vFast = fast.compute(mu, gFast);
        double vRef = new LocationEntropy(shape).compute(mu, gRef);
        assertEquals(vRef, vFast, 1e-12 * Math.abs(vRef), "entropy value");
        double scale = 0;
        for (double g : gRef) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int k = 0; k < gRef.length; k++) {
            assertEquals(gRef[k], gFast[k], 1e-10 * scale + 1e-300, "gradient component " + k);
        }
    }
}
