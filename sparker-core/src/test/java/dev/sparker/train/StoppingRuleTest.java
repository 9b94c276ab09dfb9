package dev.sparker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoppingRuleTest {

    @Test
    void stopsOnAConvergedSequenceAfterPatienceQuietEpochs() {
        // J_e = -5 + 3 * 0.5^e falls towards -5: its relative decrease 3 * 0.5^e / |J_e| ~ 0.6 * 0.5^e
        StoppingRule rule = new StoppingRule(1e-6, 3);
        int stoppedAt = -1;
        for (int e = 1; e <= 100; e++) {
            if (rule.epochDone(-5 + 3 * Math.pow(0.5, e))) {
                stoppedAt = e;
                break;
            }
        }
        // first quiet epoch: 3 * 0.5^e / 5 < 1e-6  <=>  e >= 20 (0.5^20 * 0.6 = 5.7e-7); third quiet one: 22
        assertEquals(22, stoppedAt, "stops at the third quiet epoch in a row");
        assertFalse(rule.stalled(), "the loss was still falling, if slowly");
        assertTrue(rule.lastRelativeDecrease() < 1e-6);
    }

    @Test
    void doesNotStopOnAMovingSequence() {
        // a loss that still falls by 1e-3 of itself per epoch (the paper schedule's creep) never stops the rule
        StoppingRule rule = new StoppingRule(1e-6, 3);
        for (int e = 1; e <= 1000; e++) {
            assertFalse(rule.epochDone(-2 - 1e-3 * e), "stopped at epoch " + e + " although J still moves");
        }
    }

    @Test
    void aSingleQuietEpochBetweenMovingOnesDoesNotStop() {
        StoppingRule rule = new StoppingRule(1e-6, 2);
        assertFalse(rule.epochDone(-1.0));
        assertFalse(rule.epochDone(-1.5));
        assertFalse(rule.epochDone(-1.5));   // quiet
        assertFalse(rule.epochDone(-1.7));   // moving again resets the count
        assertFalse(rule.epochDone(-1.7));   // quiet
        assertTrue(rule.epochDone(-1.7));    // quiet twice in a row
        assertTrue(rule.stalled(), "both quiet epochs had no decrease at all");
    }

    @Test
    void nearZeroLossIsJudgedOnAnAbsoluteScale() {
        // |J| < 1: the denominator is 1, so a change of 1e-9 is quiet although it is large relative to J
        StoppingRule rule = new StoppingRule(1e-6, 1);
        rule.epochDone(1e-8);
        assertTrue(rule.epochDone(9e-9));
        assertEquals(1e-9, rule.lastRelativeDecrease(), 1e-20);
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StoppingRule(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new StoppingRule(Double.NaN, 3));
        assertThrows(IllegalArgumentException.class, () -> new StoppingRule(1e-6, 0));
    }
}
