package dev.sparker.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no OpenCL platform (the ICD loader pointed at an empty vendor folder through {@code OCL_ICD_VENDORS}),
 * the engine reports itself unavailable with the reason, automatic selection goes on without it, and asking
 * for it by name fails with that reason. Runs in a child JVM because discovery happens once per JVM.
 */
class OpenClUnavailableTest {

    @Test
    void noPlatformMeansUnavailableWithReason(@TempDir Path emptyVendors) throws IOException, InterruptedException {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libOpenCL.so"))
                        || Files.exists(Path.of("/lib/x86_64-linux-gnu/libOpenCL.so")),
                "this check needs the ocl-icd loader (ocl-icd-libopencl1, ocl-icd-opencl-dev), which reads OCL_ICD_VENDORS");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), NoPlatformProbe.class.getName());
        pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
        pb.redirectErrorStream(false);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, proc.exitValue(), "probe failed: " + out + err);
        Map<String, String> facts = new HashMap<>();
        for (String line : List.of(out.split("\n"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        assertEquals("false", facts.get("available"), out);
        assertTrue(facts.get("reason").contains("no OpenCL platform"), out);
        assertEquals("-1", facts.get("priority"), out);
        assertEquals("0", facts.get("devices"), out);
        assertTrue(!facts.get("auto").equals("opencl"), out);
        assertTrue(facts.get("byName").contains("not available") && facts.get("byName").contains("no OpenCL platform"),
                out);
        assertTrue(err.contains("OpenCL engine unavailable"), "one log line names the reason: " + err);
    }
}
