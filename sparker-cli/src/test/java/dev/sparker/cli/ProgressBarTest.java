package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static int draws(StringWriter w) {
        return w.toString().split("/12 toys", -1).length - 1;
    }

    @Test
    void ensemblesStartingWithNothingDoneDrawTheBarOnceAndResumedToysMoveIt() {
        StringWriter w = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(w), 12);
        // a study's null and signal ensembles all start before the first toy: one bar, not one per ensemble
        bar.started(0, 4);
        bar.started(0, 4);
        bar.started(0, 4);
        assertEquals(1, draws(w), w.toString());
        assertTrue(w.toString().contains("0/12 toys"), w.toString());
        // an ensemble that finds toys already in its file moves the bar at once
        StringWriter w2 = new StringWriter();
        ProgressBar resumed = new ProgressBar(new PrintWriter(w2), 12);
        resumed.started(0, 4);
        resumed.started(3, 4);
        assertEquals(2, draws(w2), w2.toString());
        assertTrue(w2.toString().contains("3/12 toys"), w2.toString());
    }
}
