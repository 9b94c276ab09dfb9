package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs last (its own surefire execution, after the per-width ones) and fails the build if a vector width
 * this machine supports was not cross-checked in this build: every width &lt;= the machine's widest needs a
 * "checked" marker from this build with every comparison counted; a wider one needs either that or a
 * "skipped" marker giving the reason.
 */
class VectorWidthCoverageTest {

    @Test
    void everySupportedWidthWasCrossChecked() throws Exception {
        Path dir = VectorWidths.markerDir();
        assertNotNull(dir, "system property " + VectorWidths.MARKER_DIR_PROPERTY
                + " is not set; run this class through the validation pom's vector-width-coverage execution");
        String build = VectorWidths.buildId();
        assertFalse(build.isBlank(), "system property " + VectorWidths.BUILD_ID_PROPERTY + " is not set");
        int max = VectorWidths.maxVectorBits();
        int checked = 0;
        for (int bits : VectorWidths.WIDTHS) {
            VectorWidths.Marker m = VectorWidths.readMarker(dir, bits);
            String where = bits + "-bit vectors (machine max " + max + " bits, markers in " + dir + ")";
            assertNotNull(m, where + ": no marker, so the per-width cross-check did not run or did not pass");
            assertEquals(build, m.buildId(), where + ": marker is from another build (" + m.buildId() + ")");
            if (bits <= max) {
                assertEquals(VectorWidths.Marker.CHECKED, m.status(), where + ": supported here but " + m.status()
                        + " (" + m.reason() + ")");
                assertEquals(VectorEngineCrossCheckTest.EXPECTED_COMPARISONS, m.cases(),
                        where + ": not every comparison was made");
                checked++;
            } else {
                assertTrue(m.status().equals(VectorWidths.Marker.CHECKED)
                                || (m.status().equals(VectorWidths.Marker.SKIPPED) && !m.reason().isBlank()),
                        where + ": wider than the machine, needs a skip reason; got " + m.status());
            }
        }
        assertTrue(checked >= 1, "no vector width was checked at all (machine max " + max + " bits)");
    }
}
