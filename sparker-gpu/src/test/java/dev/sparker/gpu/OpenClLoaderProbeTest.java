package dev.sparker.gpu;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The check made before JOCL is touched: when {@code libOpenCL.so} cannot be opened, the reason is recorded
 * (for ./sparker engines) and JOCL's native code, which would print "Could not load libOpenCL.so" on stdout at
 * exit, is never called.
 */
class OpenClLoaderProbeTest {

    @Test
    void aLibraryThatCannotBeOpenedGivesTheReasonAndTheFix() {
        String reason = OpenClPlatforms.unopenable("libSparkerNoSuchOpenCL.so");
        assertNotNull(reason);
        assertTrue(reason.contains("libSparkerNoSuchOpenCL.so cannot be opened") && reason.contains("ocl-icd-opencl-dev"), reason);
    }

    @Test
    void theInstalledLoaderOpens() {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libOpenCL.so"))
                        || Files.exists(Path.of("/lib/x86_64-linux-gnu/libOpenCL.so")),
                "needs the unversioned ocl-icd loader (ocl-icd-opencl-dev)");
        assertNull(OpenClPlatforms.unopenable("libOpenCL.so"));
    }
}
