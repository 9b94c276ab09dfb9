package dev.sparker.falkon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.calibration.ToyOutcome;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.model.Samples;
import dev.sparker.train.WidthSpec;
import org.junit.jupiter.api.Test;

/** The EXPO-1D toy task of Falkon-NPLM: the toy of a seed is Expo1d's data toy of that seed, at every width. */
class FalkonExpo1dToyTaskTest {
    private static final Samples REF = Expo1d.reference(3000, 11);
    private static final FalkonConfig BASE = FalkonConfig.defaults(8, 1e-6);

    @Test
    void aToyIsFalkonOnTheExpo1dDataToyOfItsSeedAtEachWidth() {
        double[] sigmas = {0.8, 2.0};
        FalkonExpo1dToyTask task = new FalkonExpo1dToyTask(REF, Expo1dSignal.BULK, BASE, sigmas);
        long seed = 123456789L;
        ToyOutcome o = task.run(3, seed);
        Samples data = Expo1d.dataToy(Expo1dSignal.BULK, seed);
        double[] expected = new double[2];
        for (int w = 0; w < 2; w++) {
            FalkonResult r = FalkonNplm.test(REF, data, BASE.toBuilder().width(WidthSpec.fixed(sigmas[w])).seed(seed).build());
            expected[w] = r.t();
            if (w == 0) {
                assertEquals(r.npLoss(), o.lowestLoss(), 0, "L_NP of the first width");
            }
        }
        // same inputs, same seed, one thread: the same bits
        assertArrayEquals(expected, o.tByWidth(), 0);
        assertEquals(expected[0], o.t(), 0);
        assertEquals(expected[0], task.test(seed, 0).t(), 0);
        assertTrue(expected[0] != expected[1], "the widths give different fits");
    }

    @Test
    void oneWidthGivesNoPerWidthArrayAndOtherSeedsOtherToys() {
        FalkonExpo1dToyTask task = new FalkonExpo1dToyTask(REF, Expo1dSignal.NONE, BASE, new double[] {1.5});
        ToyOutcome a = task.run(0, 1L);
        assertNull(a.tByWidth());
        assertEquals(a.t(), task.run(0, 1L).t(), 0, "a toy re-run alone gives the same t");
        assertTrue(a.t() != task.run(1, 2L).t(), "another seed, another toy");
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FalkonExpo1dToyTask(REF, Expo1dSignal.NONE, BASE, new double[0]));
        assertTrue(e.getMessage().contains("kernel width"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FalkonExpo1dToyTask(null, Expo1dSignal.NONE, BASE, new double[] {1}));
        assertTrue(e.getMessage().contains("must not be null"), e.getMessage());
    }
}
