package dev.sparker.validation.gpu;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparker.engine.EngineAvailability;
import dev.sparker.gpu.OpenClEngine;

/** The OpenCL engine for the validation tests, or a skip (a failure when CI sets SPARKER_REQUIRE_OPENCL=1). */
final class OpenClDevice {
    private OpenClDevice() {
    }

    static OpenClEngine require() {
        OpenClEngine engine = new OpenClEngine();
        EngineAvailability av = engine.availability();
        if (!av.available()) {
            String why = "no OpenCL device for the OpenCL cross-checks: " + av.reason();
            if ("1".equals(System.getenv("SPARKER_REQUIRE_OPENCL"))) {
                fail(why + " (SPARKER_REQUIRE_OPENCL=1, so this fails instead of skipping)");
            }
            assumeTrue(false, why);
        }
        return engine;
    }
}
