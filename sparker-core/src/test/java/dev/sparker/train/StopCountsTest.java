package dev.sparker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StopCounts}: the converged schedule's records counted by how they stopped, with the epochs used. */
class StopCountsTest {

    private static Convergence record(Convergence.StoppedBy by, int epochs) {
        return new Convergence(Schedule.CONVERGED, epochs, by, 0, 1, 1, "NEWTON");
    }

    @Test
    void countsEachWayOfStoppingAndTheEpochs() {
        List<Convergence> records = new ArrayList<>(Arrays.asList(record(Convergence.StoppedBy.STALLED, 5),
                null, record(Convergence.StoppedBy.TOLERANCE, 28), record(Convergence.StoppedBy.STALLED, 4),
                record(Convergence.StoppedBy.CAP, 500), new Convergence(Schedule.PAPER, 500,
                        Convergence.StoppedBy.SCHEDULE, 0, 1, 1, "ADAM")));
        StopCounts c = StopCounts.of(records);
        assertEquals(new StopCounts(4, 1, 2, 1, 4, 16.5, 500), c, "median of 4, 5, 28, 500 is 16.5");
        assertEquals("1 by tolerance, 2 stalled (no step lowered the loss at FLOAT resolution), 1 at the 500-epoch cap;"
                + " epochs 4-500, median 16.5", c.describe("FLOAT", 500));
        records.add(record(Convergence.StoppedBy.STALLED, 6));
        StopCounts odd = StopCounts.of(records);
        assertEquals(5, odd.toys());
        assertEquals(6.0, odd.epochsMedian(), 0.0, "median of 4, 5, 6, 28, 500");
        assertEquals("1 by tolerance, 3 stalled (no step lowered the loss at DOUBLE resolution), 1 at the 20-epoch cap;"
                + " epochs 4-500, median 6", odd.describe("DOUBLE", 20));
    }

    @Test
    void noneWithoutConvergedRecords() {
        assertNull(StopCounts.of(List.of()));
        assertNull(StopCounts.of(Arrays.asList(null, null)));
        assertNull(StopCounts.of(List.of(new Convergence(Schedule.PAPER, 500, Convergence.StoppedBy.SCHEDULE, 0, 1, 1, "ADAM"))));
    }
}
