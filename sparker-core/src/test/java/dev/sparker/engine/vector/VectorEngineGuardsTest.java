package dev.sparker.engine.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The vector engine's JIT guards: each failing guard gives one line naming the flag and the fix, in the
 * documented order; options the JVM does not report pass. A child JVM run with {@code -XX:-UseFMA} shows
 * the FMA guard wired into the engine's availability and automatic selection falling back to scalar.
 */
class VectorEngineGuardsTest {

    /** A healthy HotSpot with C2, no JVMCI compiler and hardware FMA. */
    private static Map<String, String> healthy() {
        Map<String, String> options = new HashMap<>();
        options.put("UseCompiler", "true");
        options.put("TieredStopAtLevel", "4");
        options.put("TieredCompilation", "true");
        options.put("UseJVMCICompiler", "false");
        options.put("UseFMA", "true");
        return options;
    }

    private static String problem(Map<String, String> options) {
        return VectorEngine.jitProblem("mixed mode, sharing", options::get);
    }

    @Test
    void eachGuardNamesItsFlagInOneLine() {
        assertNull(problem(healthy()), "a healthy JVM passes");
        assertNull(problem(Map.of()), "options the JVM does not report pass their guards");
        assertTrue(VectorEngine.jitProblem("interpreted mode", healthy()::get).contains("-Xint"));

        Map<String, String> jvmci = healthy();
        jvmci.put("UseJVMCICompiler", "true");
        Map<String, String> noFma = healthy();
        noFma.put("UseFMA", "false");
        Map<String, String> c1 = healthy();
        c1.put("TieredStopAtLevel", "1");
        Map<String, String> noJit = healthy();
        noJit.put("UseCompiler", "false");
        Map<Map<String, String>, String> expected = Map.of(jvmci, "-XX:+UseJVMCICompiler", noFma, "-XX:-UseFMA",
                c1, "-XX:TieredStopAtLevel=1", noJit, "-XX:-UseCompiler");
        expected.forEach((options, flag) -> {
            String why = problem(options);
            assertTrue(why != null && why.contains(flag), "expected a reason naming " + flag + ", got " + why);
            assertFalse(why.contains("\n"), "one line: " + why);
        });
        // the order: a JVM without C2 is reported as such before its FMA is looked at
        Map<String, String> both = healthy();
        both.put("UseCompiler", "false");
        both.put("UseFMA", "false");
        assertTrue(problem(both).contains("-XX:-UseCompiler"), problem(both));
    }

    @Test
    void withoutHardwareFmaTheEngineIsUnavailableAndAutoFallsBack() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:-UseFMA", "-cp",
                System.getProperty("java.class.path"), VectorGuardProbe.class.getName());
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
        assertTrue(facts.get("reason").contains("-XX:-UseFMA"), out);
        assertEquals("scalar", facts.get("auto"), "automatic selection falls back to the scalar engine: " + out);
        assertTrue(err.contains("-XX:-UseFMA"), "the fallback is logged with its reason: " + err);
    }
}
