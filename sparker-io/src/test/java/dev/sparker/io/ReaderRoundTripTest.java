package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write with the project's writers (or a fixture made here), read back, compare exactly (float32: to float rounding). */
class ReaderRoundTripTest {
    private static final int N = 57;
    private static final int D = 4;

    @TempDir
    Path dir;

    private final Samples sample = Samples.fromFlat(Fixtures.randomFlat(1, N, D), N, D, Fixtures.randomWeights(2, N));
    private final List<String> names = List.of("pt", "eta", "phi", "mass");

    @Test
    void csvWithHeaderRoundTripsEveryBit() {
        Path f = dir.resolve("s.csv");
        CsvWriter.write(f, sample, names, null);
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults());
        assertEquals(names, t.featureNames());
        assertArrayEquals(sample.flatCoordinates(), t.samples().flatCoordinates(), 0.0);
        assertFalse(t.weighted());
        assertEquals(0, t.droppedRows());
        for (int i = 0; i < N; i++) {
            assertEquals(1.0, t.samples().weight(i), 0.0);
        }
    }

    @Test
    void csvWithoutHeaderIsDetectedAndGetsDefaultNames() {
        Path f = dir.resolve("s.csv");
        CsvWriter.write(f, sample, null, null);
        for (HeaderMode mode : new HeaderMode[] {HeaderMode.AUTO, HeaderMode.ABSENT}) {
            SampleTable t = SampleReaders.read(f, ReadOptions.defaults().withHeader(mode));
            assertEquals(List.of("x0", "x1", "x2", "x3"), t.featureNames(), mode.name());
            assertEquals(N, t.size(), mode.name());
            assertArrayEquals(sample.flatCoordinates(), t.samples().flatCoordinates(), 0.0, mode.name());
        }
        // forcing a header on a file without one takes the first row as names: one row fewer
        SampleTable forced = SampleReaders.read(f, ReadOptions.defaults().withHeader(HeaderMode.PRESENT));
        assertEquals(N - 1, forced.size());
    }

    @Test
    void csvColumnSelectionByNameAndByIndexGiveTheSameColumns() {
        Path f = dir.resolve("s.csv");
        CsvWriter.write(f, sample, names, null);
        SampleTable byName = SampleReaders.read(f, ReadOptions.defaults().withFeatures("mass", "pt"));
        SampleTable byIndex = SampleReaders.read(f, ReadOptions.defaults().withFeatures("3", "0"));
        assertEquals(List.of("mass", "pt"), byName.featureNames());
        assertEquals(List.of("mass", "pt"), byIndex.featureNames());
        assertArrayEquals(byName.samples().flatCoordinates(), byIndex.samples().flatCoordinates(), 0.0);
        for (int i = 0; i < N; i++) {
            assertEquals(sample.coordinate(i, 3), byName.samples().coordinate(i, 0), 0.0);
            assertEquals(sample.coordinate(i, 0), byName.samples().coordinate(i, 1), 0.0);
        }
    }

    @Test
    void csvWeightColumnIsReadAndLeftOutOfTheFeatures() {
        Path f = dir.resolve("s.csv");
        CsvWriter.write(f, sample, names, "w");
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults().withWeightColumn(ColumnRef.byName("w")));
        assertTrue(t.weighted());
        assertEquals(names, t.featureNames());
        assertArrayEquals(sample.weights(), t.samples().weights(), 0.0);
        assertArrayEquals(sample.flatCoordinates(), t.samples().flatCoordinates(), 0.0);
        SampleTable byIndex = SampleReaders.read(f, ReadOptions.defaults().withWeightColumn(ColumnRef.byIndex(4))
                .withFeatures("eta"));
        assertArrayEquals(sample.weights(), byIndex.samples().weights(), 0.0);
        assertEquals(1, byIndex.dimension());
    }

    @Test
    void csvOtherDelimitersQuotesCommentsAndNonFiniteSpellings() throws IOException {
        Path tab = dir.resolve("t.tsv");
        Files.writeString(tab, "# comment\n\"a\"\t\"b\"\n1.5\t-2e3\n\n3\t4\n");
        SampleTable t = SampleReaders.read(tab, ReadOptions.defaults());
        assertEquals(List.of("a", "b"), t.featureNames());
        assertArrayEquals(new double[] {1.5, -2000, 3, 4}, t.samples().flatCoordinates(), 0.0);
        Path semi = dir.resolve("s.csv");
        Files.writeString(semi, "1;2\nnan;4\n5;-inf\n7;8\n");
        SampleTable dropped = SampleReaders.read(semi, ReadOptions.defaults().withDropNonFinite(true));
        assertEquals(2, dropped.droppedRows());
        assertArrayEquals(new double[] {1, 2, 7, 8}, dropped.samples().flatCoordinates(), 0.0);
    }

    @Test
    void npyFloat64RoundTripsEveryBit() {
        Path f = dir.resolve("s.npy");
        NpyWriter.write(f, sample);
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults());
        assertEquals(List.of("x0", "x1", "x2", "x3"), t.featureNames());
        assertArrayEquals(sample.flatCoordinates(), t.samples().flatCoordinates(), 0.0);
    }

    @Test
    void npyFloat32RoundTripsToFloatRounding() {
        Path f = dir.resolve("s32.npy");
        NpyWriter.writeFloat32(f, sample.flatCoordinates(), N, D);
        double[] got = SampleReaders.read(f, ReadOptions.defaults()).samples().flatCoordinates();
        double[] want = sample.flatCoordinates();
        for (int k = 0; k < want.length; k++) {
            assertEquals((double) (float) want[k], got[k], 0.0, "value " + k);
        }
    }

    @Test
    void npyBigEndianBothWidthsAreReadAsDeclared() {
        double[] v = sample.flatCoordinates();
        Path f8 = Fixtures.rawNpy(dir.resolve("be8.npy"), ">f8", false, "(" + N + ", " + D + ")",
                Fixtures.doubles(v, ByteOrder.BIG_ENDIAN));
        assertArrayEquals(v, NpyReader.readArray(f8).values(), 0.0);
        Path f4 = Fixtures.rawNpy(dir.resolve("be4.npy"), ">f4", false, "(" + N + ", " + D + ")",
                Fixtures.floats(v, ByteOrder.BIG_ENDIAN));
        double[] got = NpyReader.readArray(f4).values();
        for (int k = 0; k < v.length; k++) {
            assertEquals((double) (float) v[k], got[k], 0.0);
        }
    }

    @Test
    void npyOneDimensionalIsOneColumnAndWeightsComeFromASecondFile() {
        double[] x = {0.5, 1.5, 2.5};
        Path f = dir.resolve("x.npy");
        NpyWriter.writeVector(f, x);
        Path w = dir.resolve("w.npy");
        NpyWriter.writeVector(w, new double[] {1, 2, 3});
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults().withWeightFile(w));
        assertEquals(1, t.dimension());
        assertArrayEquals(x, t.samples().flatCoordinates(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3}, t.samples().weights(), 0.0);
        assertTrue(t.weighted());
    }

    @Test
    void npyColumnSelectionByIndexAndDefaultName() {
        Path f = dir.resolve("s.npy");
        NpyWriter.write(f, sample);
        SampleTable a = SampleReaders.read(f, ReadOptions.defaults().withFeatures("2", "x0"));
        for (int i = 0; i < N; i++) {
            assertEquals(sample.coordinate(i, 2), a.samples().coordinate(i, 0), 0.0);
            assertEquals(sample.coordinate(i, 0), a.samples().coordinate(i, 1), 0.0);
        }
    }

    @Test
    void hdf5DoubleFloatAndWeightDatasetsRoundTrip() {
        Path f = Fixtures.hdf5(dir.resolve("s.h5"), sample);
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults().withDataset("/events").withWeightDataset("/grp/weights"));
        assertArrayEquals(sample.flatCoordinates(), t.samples().flatCoordinates(), 0.0);
        assertArrayEquals(sample.weights(), t.samples().weights(), 0.0);
        SampleTable t32 = SampleReaders.read(f, ReadOptions.defaults().withDataset("grp/events32").withFeatures("1"));
        for (int i = 0; i < N; i++) {
            assertEquals((double) (float) sample.coordinate(i, 1), t32.samples().coordinate(i, 0), 0.0);
        }
    }

    @Test
    void hdf5OnlyDatasetIsFoundWithoutAPathAndOneDimensionalIsOneColumn() {
        Path f = dir.resolve("one.hdf5");
        double[] x = {3, 1, 4, 1, 5};
        try (WritableHdfFile out = HdfFile.write(f)) {
            out.putDataset("x", x);
        }
        SampleTable t = SampleReaders.read(f, ReadOptions.defaults());
        assertEquals(1, t.dimension());
        assertArrayEquals(x, t.samples().flatCoordinates(), 0.0);
    }
}
