package dev.sparker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NullResamplingTest {
    private static final int NR = 1000;
    private static final int ND = 100;

    /** Event i has coordinates (i, -i), so every event is identified by its first coordinate. */
    private static Samples labelled(int n, double weight) {
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
        }
        return Samples.fromFlat(x, n, 2, weight);
    }

    private static Set<Integer> ids(Samples s) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            out.add((int) s.coordinate(i, 0));
            assertEquals(-s.coordinate(i, 0), s.coordinate(i, 1), 0.0, "rows stay whole");
        }
        return out;
    }

    @Test
    void sizesDisjointnessAndCoverage() {
        NullResampling.Toy toy = NullResampling.toy(labelled(NR, 0.1), ND, 42, 7);
        assertEquals(ND, toy.data().size());
        assertEquals(NR - ND, toy.reference().size());
        Set<Integer> d = ids(toy.data());
        Set<Integer> r = ids(toy.reference());
        assertEquals(ND, d.size(), "no event drawn twice");
        assertEquals(NR - ND, r.size());
        Set<Integer> both = new HashSet<>(d);
        both.retainAll(r);
        assertTrue(both.isEmpty(), "pseudo-data and reference are disjoint");
        Set<Integer> all = new HashSet<>(d);
        all.addAll(r);
        assertEquals(NR, all.size(), "every reference event is used once");
    }

    @Test
    void weightsMakeTheReferencePredictTheDataSize() {
        NullResampling.Toy toy = NullResampling.toy(labelled(NR, 0.37), ND, 1, 0);
        for (int i = 0; i < toy.data().size(); i++) {
            assertEquals(1.0, toy.data().weight(i), 0.0);
        }
        double w = (double) ND / (NR - ND);
        for (int i = 0; i < toy.reference().size(); i++) {
            assertEquals(w, toy.reference().weight(i), 0.0);
        }
        assertEquals(ND, toy.reference().totalWeight(), 1e-9);
    }

    @Test
    void deterministicPerToyIndexAndDifferentAcrossIndicesAndSeeds() {
        Samples ref = labelled(NR, 1.0);
        NullResampling.Toy a = NullResampling.toy(ref, ND, 9, 3);
        NullResampling.Toy b = NullResampling.toy(ref, ND, 9, 3);
        assertArrayEquals(a.data().flatCoordinates(), b.data().flatCoordinates(), 0.0);
        assertArrayEquals(a.reference().flatCoordinates(), b.reference().flatCoordinates(), 0.0);
        // toy 3 does not depend on whether toys 0..2 were drawn first
        for (int k = 0; k < 3; k++) {
            NullResampling.toy(ref, ND, 9, k);
        }
        assertArrayEquals(a.data().flatCoordinates(), NullResampling.toy(ref, ND, 9, 3).data().flatCoordinates(), 0.0);
        assertNotEquals(ids(a.data()), ids(NullResampling.toy(ref, ND, 9, 4).data()));
        assertNotEquals(ids(a.data()), ids(NullResampling.toy(ref, ND, 10, 3).data()));
        assertNotEquals(NullResampling.toySeed(0, 0), NullResampling.toySeed(0, 1));
    }

    @Test
    void drawsAreUniformOverTheReference() {
        // each event lands in the pseudo-data with probability N_D / N_R = 0.1; over 400 toys of a 50-event
        // reference with N_D = 5, every count is Binomial(400, 0.1): mean 40, sd 6; 6 sd bounds cannot flake
        Samples ref = labelled(50, 1.0);
        int[] hits = new int[50];
        for (int k = 0; k < 400; k++) {
            for (int id : ids(NullResampling.toy(ref, 5, 123, k).data())) {
                hits[id]++;
            }
        }
        for (int i = 0; i < 50; i++) {
            assertTrue(hits[i] > 40 - 36 && hits[i] < 40 + 36, "event " + i + " drawn " + hits[i] + " times");
        }
    }

    @Test
    void rejectsBadSizesAndWeightedReferences() {
        Samples ref = labelled(10, 1.0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NullResampling.toy(ref, 10, 0, 0))
                .getMessage().contains("below the reference size N_R = 10"));
        assertThrows(IllegalArgumentException.class, () -> NullResampling.toy(ref, 0, 0, 0));
        double[] w = new double[10];
        java.util.Arrays.fill(w, 1.0);
        w[3] = 2.0;
        Samples weighted = Samples.fromFlat(ref.flatCoordinates(), 10, 2, w);
        String m = assertThrows(IllegalArgumentException.class, () -> NullResampling.toy(weighted, 2, 0, 0)).getMessage();
        assertTrue(m.contains("unweighted reference") && m.contains("event 3"), m);
        assertFalse(m.isBlank());
    }
}
