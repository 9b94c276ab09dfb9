package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plot that cannot be drawn must not cost the numbers: the command writes its result before its plots, and a
 * Java runtime without usable fonts (as on a bare GPU machine: "Fontconfig head is null") gets a message that says
 * so and how to get past it.
 */
class PlotFailureTest {

    @TempDir
    Path dir;

    @Test
    void expo1dWritesItsResultBeforeAPlotThatFails() throws IOException {
        // a folder where the first plot should go makes drawing it fail after the toys are done
        Files.createDirectories(dir.resolve("falkon-null-chi2.png"));
        CliRun r = CliRun.of("expo1d", "--model", "falkon", "--signal", "bulk", "--kernels", "3", "--reference-size", "1000",
                "--null-toys", "6", "--toys", "3", "--ideal-toys", "200", "--out", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("sparker: ") && r.err().contains("falkon-null-chi2.png"), r.err());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("result-falkon.json").toFile());
        assertEquals(6, json.at("/null/toys").asInt());
        assertEquals("bulk", json.at("/signals/0/signal").asText());
    }

    @Test
    void missingFontsAreNamedWithTheWayOut() {
        String[] fontFailures = {
            Main.failureMessage(new Error("Fontconfig head is null, check your fonts or fonts configuration")),
            Main.failureMessage(new UncheckedIOException("drawing figure1.png",
                    new IOException("render", new NoClassDefFoundError("Could not initialize class sun.awt.X11FontManager")))),
            Main.failureMessage(new UnsatisfiedLinkError("/opt/jre/lib/libfontmanager.so: libfreetype.so.6: cannot open"
                    + " shared object file: No such file or directory")),
        };
        for (String m : fontFailures) {
            assertTrue(m.startsWith("the plots could not be drawn: this Java runtime finds no usable fonts ("), m);
            assertTrue(m.contains("--no-plots") && m.contains("fontconfig"), m);
            assertEquals(1, m.lines().count(), m);
        }
        assertTrue(fontFailures[0].contains("Fontconfig head is null"), fontFailures[0]);
        assertTrue(fontFailures[1].contains("X11FontManager"), fontFailures[1]);
    }

    @Test
    void otherFailuresKeepTheirFirstLine() {
        assertEquals("data.csv line 3, column 2: not a number", Main.failureMessage(
                new IllegalArgumentException("data.csv line 3, column 2: not a number\n  at the second line")));
        // an exception (not a JVM error) that mentions fonts is the user's problem, told as it is
        assertEquals("fonts.csv: no such file", Main.failureMessage(new IOException("fonts.csv: no such file")));
        assertEquals("java.lang.IllegalStateException", Main.failureMessage(new IllegalStateException()));
        // a cause chain that loops ends
        Exception a = new Exception("outer");
        Exception b = new Exception("inner", a);
        a.initCause(b);
        assertEquals("outer", Main.failureMessage(a));
    }
}
