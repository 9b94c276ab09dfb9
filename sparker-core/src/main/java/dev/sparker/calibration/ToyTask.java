package dev.sparker.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * The work of one toy, a pure function of its index and seed (so that a toy re-run alone gives the same
 * bits). Implementations must be safe to call from several threads at once.
 */
@FunctionalInterface
public interface ToyTask {

    /**
     * {@return the toy's outcome: its t (per width) and lowest loss}
     *
     * @param index the toy's index in the ensemble
     * @param seed  the toy's seed ({@link ToySeeds#seed}); equal seeds give equal bits
     */
    ToyOutcome run(int index, long seed);

    /**
     * Runs several toys together. The default runs them one after the other; a task whose engine evaluates
     * a batch in one launch overrides it (and must give each toy the bits it gets alone).
     *
     * @param indices the toys' indices
     * @param seeds   their seeds, as many as indices
     * @return one outcome per toy, in order
     */
    default List<ToyOutcome> runBatch(int[] indices, long[] seeds) {
        List<ToyOutcome> out = new ArrayList<>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            out.add(run(indices[k], seeds[k]));
        }
        return out;
    }
}
