package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/** The bad-file table: one test per case, each checking that the message names the file, the place and the problem. */
class BadFileTest {
    @TempDir
    Path dir;

    private Path text(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static String fails(Path file, Executable read, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, read);
        String m = e.getMessage();
        if (file != null) {
            assertTrue(m.contains(file.toString()), "message names the file: " + m);
        }
        for (String f : fragments) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
        return m;
    }

    private static SampleTable read(Path f) {
        return SampleReaders.read(f, ReadOptions.defaults());
    }

    @Test
    void raggedRows() throws IOException {
        Path f = text("r.csv", "a,b,c\n1,2,3\n4,5\n");
        fails(f, () -> read(f), "ragged rows", "line 3 has 2 cells", "header (line 1) has 3");
    }

    @Test
    void nonNumericCell() throws IOException {
        Path f = text("n.csv", "a,b\n1,2\n3,abc\n");
        fails(f, () -> read(f), "line 3, column 1 ('b')", "non-numeric cell 'abc'");
    }

    @Test
    void emptyCell() throws IOException {
        Path f = text("e.csv", "a,b\n1,\n");
        fails(f, () -> read(f), "line 2, column 1 ('b')", "empty cell");
    }

    @Test
    void nanInCsvIsAnErrorUnlessDroppingIsAsked() throws IOException {
        Path f = text("nan.csv", "a,b\n1,2\nNaN,3\n");
        fails(f, () -> read(f), "line 3, column 0 ('a')", "value is NaN", "drop");
        assertEquals(1, SampleReaders.read(f, ReadOptions.defaults().withDropNonFinite(true)).droppedRows());
    }

    @Test
    void infinityInNpyNamesTheRowAndColumn() {
        Path f = dir.resolve("inf.npy");
        NpyWriter.writeFloat64(f, new double[] {1, 2, 3, 4, 5, Double.POSITIVE_INFINITY}, 2, 3);
        fails(f, () -> read(f), "row 1, column 2 ('x2')", "value is Infinity");
    }

    @Test
    void dimensionMismatchBetweenReferenceAndData() {
        Path r = dir.resolve("ref.npy");
        Path d = dir.resolve("data.npy");
        NpyWriter.writeFloat64(r, Fixtures.randomFlat(3, 10, 3), 10, 3);
        NpyWriter.writeFloat64(d, Fixtures.randomFlat(4, 5, 2), 5, 2);
        SampleTable ref = read(r);
        SampleTable data = read(d);
        String m = fails(r, () -> TestInputs.prepare(ref, data), "dimension mismatch", "3 features", "has 2");
        assertTrue(m.contains(d.toString()), m);
    }

    @Test
    void featureNamesThatDifferBetweenReferenceAndData() throws IOException {
        Path r = text("ref.csv", "a,b\n1,2\n3,5\n");
        Path d = text("data.csv", "b,a\n1,2\n");
        fails(r, () -> TestInputs.prepare(read(r), read(d)), "feature 0 is 'a'", "'b' in data");
    }

    @Test
    void emptyCsvFile() throws IOException {
        Path f = text("empty.csv", "");
        fails(f, () -> read(f), "empty file");
    }

    @Test
    void csvWithAHeaderButNoRows() throws IOException {
        Path f = text("header.csv", "a,b\n\n");
        fails(f, () -> read(f), "empty file", "header (line 1) but no data rows");
    }

    @Test
    void npyWithNoRows() {
        Path f = Fixtures.rawNpy(dir.resolve("zero.npy"), "<f8", false, "(0, 3)", new byte[0]);
        fails(f, () -> read(f), "empty file", "(0, 3)");
    }

    @Test
    void fortranOrder() {
        Path f = Fixtures.rawNpy(dir.resolve("f.npy"), "<f8", true, "(2, 2)",
                Fixtures.doubles(new double[] {1, 2, 3, 4}, ByteOrder.LITTLE_ENDIAN));
        fails(f, () -> read(f), "Fortran", "np.ascontiguousarray");
    }

    @Test
    void unsupportedDtype() {
        Path f = Fixtures.rawNpy(dir.resolve("i.npy"), "<i8", false, "(2,)", new byte[16]);
        fails(f, () -> read(f), "unsupported dtype '<i8'", "float64 (f8) and float32 (f4)");
    }

    @Test
    void threeDimensionalNpy() {
        Path f = Fixtures.rawNpy(dir.resolve("3d.npy"), "<f8", false, "(1, 1, 2)", new byte[16]);
        fails(f, () -> read(f), "3 dimensions", "only 1-D");
    }

    @Test
    void truncatedNpy() {
        Path f = Fixtures.rawNpy(dir.resolve("t.npy"), "<f8", false, "(4, 2)", new byte[40]);
        fails(f, () -> read(f), "truncated", "64 bytes", "only 40 bytes follow");
    }

    @Test
    void notAnNpyFile() throws IOException {
        Path f = text("fake.npy", "just some text, long enough");
        fails(f, () -> read(f), "not a NumPy .npy file");
    }

    @Test
    void missingDataset() {
        Path f = Fixtures.hdf5(dir.resolve("m.h5"), Samples.fromFlat(new double[] {1, 2, 3, 4}, 2, 2, 1.0));
        fails(f, () -> SampleReaders.read(f, ReadOptions.defaults().withDataset("/nope")), "no dataset '/nope'", "/events");
    }

    @Test
    void ambiguousDatasetWhenNoneIsNamed() {
        Path f = Fixtures.hdf5(dir.resolve("a.h5"), Samples.fromFlat(new double[] {1, 2, 3, 4}, 2, 2, 1.0));
        fails(f, () -> read(f), "name the dataset to read", "3 datasets");
    }

    @Test
    void integerHdf5Dataset() {
        Path f = dir.resolve("int.h5");
        try (WritableHdfFile out = HdfFile.write(f)) {
            out.putDataset("counts", new int[] {1, 2, 3});
        }
        fails(f, () -> read(f), "dataset '/counts' holds int", "only float64 and float32");
    }

    @Test
    void missingColumnByName() throws IOException {
        Path f = text("c.csv", "a,b\n1,2\n");
        fails(f, () -> SampleReaders.read(f, ReadOptions.defaults().withFeatures("a", "eta")),
                "no feature column named 'eta'", "[a, b]");
    }

    @Test
    void missingColumnByIndex() throws IOException {
        Path f = text("c.csv", "a,b\n1,2\n");
        fails(f, () -> SampleReaders.read(f, ReadOptions.defaults().withFeatures("5")),
                "feature column index 5 is out of range", "2 columns");
    }

    @Test
    void missingWeightColumn() throws IOException {
        Path f = text("c.csv", "a,b\n1,2\n");
        fails(f, () -> SampleReaders.read(f, ReadOptions.defaults().withWeightColumn(ColumnRef.byName("w"))),
                "no weight column named 'w'");
    }

    @Test
    void negativeWeight() throws IOException {
        Path f = text("w.csv", "a,w\n1,2\n3,-0.5\n");
        fails(f, () -> SampleReaders.read(f, ReadOptions.defaults().withWeightColumn(ColumnRef.byName("w"))),
                "line 3, weight column 1 ('w')", "negative weight -0.5");
    }

    @Test
    void weightFileOfTheWrongLength() {
        Path f = dir.resolve("x.npy");
        Path w = dir.resolve("w.npy");
        NpyWriter.writeVector(f, new double[] {1, 2, 3});
        NpyWriter.writeVector(w, new double[] {1, 2});
        fails(f, () -> SampleReaders.read(f, ReadOptions.defaults().withWeightFile(w)), "holds 2 weights", "3 rows");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.csv");
        fails(f, () -> read(f), "no such file");
    }

    @Test
    void zeroVarianceFeatureIsRejectedWhenStandardising() throws IOException {
        Path f = text("z.csv", "a,b\n1,7\n2,7\n3,7\n");
        SampleTable t = read(f);
        fails(null, () -> TestInputs.prepare(t, t), "feature 1 ('b') has zero variance", "every value is 7.0");
    }
}
