package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestInputsTest {
    private static SampleTable table(double[] x, int n, int d, double[] w) {
        Samples s = w == null ? Samples.fromFlat(x, n, d, 1.0) : Samples.fromFlat(x, n, d, w);
        List<String> names = RawTable.defaultNames(d);
        return new SampleTable(Path.of("mem-" + n), s, names, w != null, 0);
    }

    @Test
    void unweightedReferenceGetsN0OverNrAndDataIsStandardisedWithTheReferenceMap() {
        SampleTable ref = table(Fixtures.randomFlat(1, 400, 2), 400, 2, null);
        SampleTable data = table(Fixtures.randomFlat(2, 40, 2), 40, 2, null);
        TestInputs in = TestInputs.prepare(ref, data);
        assertEquals(40, in.expectedDataEvents(), 0.0);
        for (int i = 0; i < 400; i++) {
            assertEquals(0.1, in.reference().weight(i), 1e-15);
        }
        assertTrue(in.standardisation().applied());
        double[] z = in.standardisation().toStandardised(data.samples().event(5));
        assertArrayEquals(z, in.data().event(5), 0.0);
    }

    @Test
    void weightedReferenceIsNormalisedToN0AndStandardisationCanBeTurnedOff() {
        double[] w = Fixtures.randomWeights(3, 300);
        SampleTable ref = table(Fixtures.randomFlat(4, 300, 3), 300, 3, w);
        SampleTable data = table(Fixtures.randomFlat(5, 30, 3), 30, 3, null);
        TestInputs in = TestInputs.prepare(ref, data, false, 25.0);
        assertEquals(25.0, in.reference().totalWeight(), 1e-9);
        assertEquals(w[7] / w[3], in.reference().weight(7) / in.reference().weight(3), 1e-12);
        assertFalse(in.standardisation().applied());
        assertArrayEquals(ref.samples().flatCoordinates(), in.reference().flatCoordinates(), 0.0);
    }

    @Test
    void readsMixedFormatsWithTheirOwnWeightOptions(@org.junit.jupiter.api.io.TempDir Path dir) {
        Samples ref = Samples.fromFlat(Fixtures.randomFlat(6, 200, 2), 200, 2, Fixtures.randomWeights(7, 200));
        Samples data = Samples.fromFlat(Fixtures.randomFlat(8, 20, 2), 20, 2, 1.0);
        Path r = dir.resolve("ref.csv");
        Path d = dir.resolve("data.npy");
        CsvWriter.write(r, ref, List.of("a", "b"), "w");
        NpyWriter.write(d, data);
        TestInputs in = TestInputs.read(r, ReadOptions.defaults().withWeightColumn(ColumnRef.byName("w")), d,
                ReadOptions.defaults(), true, Double.NaN);
        assertEquals(List.of("a", "b"), in.featureNames(), "names come from the file that has them");
        assertEquals(20, in.reference().totalWeight(), 1e-9);
        assertEquals(ref.weight(4) / ref.weight(9), in.reference().weight(4) / in.reference().weight(9), 1e-12);
        assertArrayEquals(in.standardisation().toStandardised(data.event(3)), in.data().event(3), 0.0);
    }
}
