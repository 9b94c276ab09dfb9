package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV rules a spreadsheet or exporter file meets: decimal commas (refused with a hint, or read when asked),
 * a delimiter at the end of every line (no column), truly ragged rows (refused with their line); and the lists
 * of names in errors (cut).
 */
class CsvInputRulesTest {
    @TempDir
    Path dir;

    private Path text(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    /** Exp(1) values written as a European spreadsheet does: six decimals, a decimal comma, one per line. */
    private static double[] expValues(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.round(-Math.log(1 - r.nextDouble()) * 1e6) / 1e6;
        }
        return v;
    }

    private static String decimalComma(double v) {
        return String.format(Locale.ROOT, "%.6f", v).replace('.', ',');
    }

    @Test
    void oneColumnOfDecimalCommasIsNeverReadAsTwoFeatures() throws IOException {
        double[] v = expValues(200, 1);
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(decimalComma(x)).append('\n');
        }
        Path f = text("eu.csv", sb.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(f, ReadOptions.defaults()));
        assertTrue(e.getMessage().contains("decimal comma") && e.getMessage().contains("--decimal-comma"), e.getMessage());
        // the first line whose fraction starts with a zero is the one named
        int first = -1;
        for (int i = 0; i < v.length && first < 0; i++) {
            if (decimalComma(v[i]).split(",")[1].startsWith("0")) {
                first = i + 1;
            }
        }
        assertTrue(first > 0, "the fixture has a zero-led fraction");
        assertTrue(e.getMessage().contains("line " + first + ", columns 0 and 1"), e.getMessage());

        SampleTable t = SampleReaders.read(f, ReadOptions.defaults().withDecimalComma(true));
        assertEquals(1, t.dimension());
        assertArrayEquals(v, t.samples().flatCoordinates(), 0.0);
    }

    @Test
    void aHeaderedDecimalCommaFileIsRaggedWithTheHint() throws IOException {
        // no zero-led fraction: the header's one name against two cells gives it away
        Path f = text("eu-h.csv", "x\n0,304717\n1,25\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(f, ReadOptions.defaults()));
        assertTrue(e.getMessage().contains("line 2 has 2 cells") && e.getMessage().contains("--decimal-comma"), e.getMessage());
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults().withDecimalComma(true));
        assertEquals(List.of("x"), t.featureNames());
        assertArrayEquals(new double[] {0.304717, 1.25}, t.samples().flatCoordinates(), 0.0);
    }

    @Test
    void semicolonFilesWithCommaCellsAreRefusedOrRead() throws IOException {
        Path f = text("eu-semi.csv", "a;b\n0,5;1,25\n-2,75;3e-2\n1,5E-3;4\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(f, ReadOptions.defaults()));
        assertTrue(e.getMessage().contains("line 2, column 0 ('a'): non-numeric cell '0,5'")
                && e.getMessage().contains("decimal comma"), e.getMessage());
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults().withDecimalComma(true));
        assertArrayEquals(new double[] {0.5, 1.25, -2.75, 0.03, 0.0015, 4}, t.samples().flatCoordinates(), 0.0);
        // in decimal-comma mode a point would be a thousands separator: refused, not guessed
        Path g = text("eu-point.csv", "a;b\n1.234,5;1\n");
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(g, ReadOptions.defaults().withDecimalComma(true)));
        assertTrue(p.getMessage().contains("line 2, column 0") && p.getMessage().contains("thousands separator"), p.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.defaults().withDelimiter(',').withDecimalComma(true));
    }

    @Test
    void ordinaryCommaFilesAreUntouchedByTheDecimalCommaCheck() throws IOException {
        // integers, a zero, negative numbers and points: nothing zero-led after an integer cell
        Path f = text("plain.csv", "a,b,c\n1,0,10\n-3,2.05,0.5\n0,0,0\n");
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults());
        assertArrayEquals(new double[] {1, 0, 10, -3, 2.05, 0.5, 0, 0, 0}, t.samples().flatCoordinates(), 0.0);
    }

    @Test
    void aDelimiterAtTheEndOfEveryLineIsNoColumnAndIsSaidOnce() throws IOException {
        Path f = text("trail.csv", "a,b,c\n1,2,3,\n4,5,6,\n");
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults());
        assertEquals(List.of("a", "b", "c"), t.featureNames());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.samples().flatCoordinates(), 0.0);
        assertEquals(1, t.notes().size(), t.notes().toString());
        assertTrue(t.notes().getFirst().contains("ends with a delimiter"), t.notes().toString());
        // with the header ending in one too, and without a header
        SampleTable h = SampleReaders.read(text("trail-h.csv", "a,b,c,\n1,2,3,\n4,5,6,\n"), ReadOptions.defaults());
        assertEquals(List.of("a", "b", "c"), h.featureNames());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, h.samples().flatCoordinates(), 0.0);
        SampleTable n = SampleReaders.read(text("trail-n.csv", "1,2,\n4,5,\n"), ReadOptions.defaults());
        assertEquals(2, n.dimension());
        assertArrayEquals(new double[] {1, 2, 4, 5}, n.samples().flatCoordinates(), 0.0);
        // a one-column file with a trailing comma is one column
        SampleTable one = SampleReaders.read(text("trail-1.csv", "x,\n0.5,\n1.5,\n"), ReadOptions.defaults());
        assertArrayEquals(new double[] {0.5, 1.5}, one.samples().flatCoordinates(), 0.0);
    }

    @Test
    void trulyRaggedRowsAreStillRefusedWithTheirLine() throws IOException {
        Path missing = text("rag1.csv", "a,b,c\n1,2,3,\n4,5,6\n");
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(missing, ReadOptions.defaults()));
        assertTrue(e1.getMessage().contains("ragged rows: line 3 does not end with a delimiter"), e1.getMessage());
        Path extra = text("rag2.csv", "a,b,c\n1,2,3,\n4,5,6,7\n");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(extra, ReadOptions.defaults()));
        assertTrue(e2.getMessage().contains("ragged rows: line 3"), e2.getMessage());
        Path filled = text("rag3.csv", "1,2,\n3,4,5\n");
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(filled, ReadOptions.defaults()));
        assertTrue(e3.getMessage().contains("ragged rows: line 2"), e3.getMessage());
        Path plain = text("rag4.csv", "a,b,c\n1,2,3\n4,5\n");
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> SampleReaders.read(plain, ReadOptions.defaults()));
        assertTrue(e4.getMessage().contains("line 3 has 2 cells but the header (line 1) has 3"), e4.getMessage());
    }

    @Test
    void aTransposedFilesDimensionErrorListsAFewNamesNotAll() {
        int wide = 20_000;
        double[] row = new double[wide];
        Samples data = Samples.fromFlat(row, 1, wide, 1.0);
        Samples ref = Samples.fromFlat(new double[] {1, 2, 3}, 3, 1, 1.0);
        SampleTable r = new SampleTable(Path.of("ref.csv"), ref, List.of("x"), false, 0);
        SampleTable d = new SampleTable(Path.of("data.csv"), data, RawTable.defaultNames(wide), false, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestInputs.prepare(r, d));
        assertTrue(e.getMessage().contains("has 20000 [x0, x1, x2, x3, x4, x5, x6, x7, ... and 19992 more]"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }
}
