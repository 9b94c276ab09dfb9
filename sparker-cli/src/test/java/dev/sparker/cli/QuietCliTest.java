package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the tool prints besides what was asked: help paragraphs, engine reasons, logging, a null-only expo1d. */
class QuietCliTest {
    @TempDir
    Path dir;

    @Test
    void helpDescriptionsAreParagraphsPicocliWrapsOnce() {
        CommandLine cl = Main.commandLine();
        int checked = 0;
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommand().getClass().getPackageName().equals(Main.class.getPackageName())) {
                continue; // picocli's own help command
            }
            for (String paragraph : sub.getCommandSpec().usageMessage().description()) {
                String p = paragraph.strip();
                // a pre-wrapped description breaks mid-sentence; a paragraph ends one (or is an example command)
                assertTrue(p.endsWith(".") || p.endsWith(":") || p.startsWith("./sparker"),
                        sub.getCommandName() + ": '" + paragraph + "'");
                checked++;
            }
        }
        assertTrue(checked >= 6, "paragraphs checked: " + checked);
    }

    @Test
    void fallbackReasonsStayBehindVerbose() {
        Main.commandLine();
        String quiet = Main.engineLine("vector", "fell back past opencl (no OpenCL platform found: install a driver)");
        assertEquals("engine: vector (others unavailable here; ./sparker engines says why)", quiet);
        assertEquals("engine: scalar (asked for by name)", Main.engineLine("scalar", "asked for by name"));
        // the library logs nothing through the CLI unless --verbose
        assertFalse(java.util.logging.Logger.getLogger("dev.sparker.gpu").isLoggable(java.util.logging.Level.INFO));
        CommandLine cl = Main.commandLine();
        cl.parseArgs("engines", "--verbose");
        assertTrue(Main.verbose());
        assertTrue(java.util.logging.Logger.getLogger("dev.sparker.gpu").isLoggable(java.util.logging.Level.INFO));
        assertTrue(Main.engineLine("vector", "fell back past opencl (x)").contains("opencl (x)"));
        Main.commandLine();
        assertFalse(Main.verbose());
    }

    @Test
    void hdf5ReadsBindSlf4jToItsNoOpLogger() throws Exception {
        // with no binding on the class path SLF4J 1.7 prints a three-line notice on the first HDF5 read
        Class<?> binder = Class.forName("org.slf4j.impl.StaticLoggerBinder");
        Object factory = binder.getMethod("getLoggerFactory").invoke(binder.getMethod("getSingleton").invoke(null));
        assertEquals("org.slf4j.helpers.NOPLoggerFactory", factory.getClass().getName());
    }

    @Test
    void expo1dWithNoSignalToysIsANullOnlyCalibration() throws Exception {
        Path out = dir.resolve("null-only");
        CliRun r = CliRun.of("expo1d", "--toys", "0", "--null-toys", "4", "--kernels", "3", "--reference-size", "1000",
                "--epochs", "2", "--steps", "5", "--engine", "scalar", "--threads", "2", "--ideal-toys", "10",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no signal toys (--toys 0): the null calibration only"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals(4, j.at("/null/toys").asInt());
        assertEquals(0, j.get("signals").size());
        assertTrue(out.resolve("null-chi2.png").toFile().isFile());
        assertFalse(out.resolve("null-vs-signal.png").toFile().exists());
        assertEquals(2, CliRun.of("expo1d", "--toys", "-1").code());
    }
}
