package dev.sparker.train;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;

/**
 * How the toys of an ensemble stopped under the converged schedule (the stopping rule of
 * {@link StoppingRule}; {@link Convergence} per toy): how many stopped by the tolerance, how many stalled (no step
 * lowered the loss at the engine's precision, so t is where that precision stopped the search), how many ran into
 * the epoch cap, and the epochs used. Results carry it beside each ensemble so that a reader sees at once whether
 * the statistic is a minimum found to the tolerance or a search stopped by float resolution or by the cap.
 *
 * @param toys         toys with a convergence record
 * @param tolerance    stopped by the tolerance ({@link Convergence.StoppedBy#TOLERANCE})
 * @param stalled      stopped without any decrease ({@link Convergence.StoppedBy#STALLED})
 * @param cap          stopped by the epoch cap ({@link Convergence.StoppedBy#CAP})
 * @param epochsMin    fewest epochs any toy used
 * @param epochsMedian median epochs
 * @param epochsMax    most epochs any toy used
 */
public record StopCounts(int toys, int tolerance, int stalled, int cap, int epochsMin, double epochsMedian,
                         int epochsMax) {

    /**
     * Counts the converged schedule's records among {@code records}; null entries and records of other schedules
     * are skipped.
     *
     * @param records the toys' convergence records (null where a toy has none)
     * @return the counts, or null when no record is of the converged schedule (the paper schedule, Falkon-NPLM)
     */
    public static StopCounts of(Collection<Convergence> records) {
        Convergence[] c = records.stream().filter(Objects::nonNull)
                .filter(r -> r.schedule() == Schedule.CONVERGED).toArray(Convergence[]::new);
        if (c.length == 0) {
            return null;
        }
        int[] epochs = Arrays.stream(c).mapToInt(Convergence::epochs).sorted().toArray();
        int n = epochs.length;
        double median = n % 2 == 1 ? epochs[n / 2] : 0.5 * (epochs[n / 2 - 1] + epochs[n / 2]);
        return new StopCounts(n, count(c, Convergence.StoppedBy.TOLERANCE), count(c, Convergence.StoppedBy.STALLED),
                count(c, Convergence.StoppedBy.CAP), epochs[0], median, epochs[n - 1]);
    }

    /**
     * {@return one line for people: "toys stopped: 68 by tolerance, 382 stalled at FLOAT resolution, 0 at the cap
     * (500 epochs); epochs 4-28, median 5"}
     *
     * @param precision the engine's precision's name ("FLOAT", "DOUBLE"), for the stalled count
     * @param epochCap  the schedule's epoch cap
     */
    public String describe(String precision, int epochCap) {
        return String.format(Locale.ROOT, "%d by tolerance, %d stalled (no step lowered the loss at %s resolution),"
                        + " %d at the %d-epoch cap; epochs %d-%d, median %s",
                tolerance, stalled, precision, cap, epochCap, epochsMin, epochsMax,
                epochsMedian == Math.rint(epochsMedian) ? String.valueOf((long) epochsMedian)
                        : String.format(Locale.ROOT, "%.1f", epochsMedian));
    }

    private static int count(Convergence[] records, Convergence.StoppedBy by) {
        return (int) Arrays.stream(records).filter(r -> r.stoppedBy() == by).count();
    }
}
