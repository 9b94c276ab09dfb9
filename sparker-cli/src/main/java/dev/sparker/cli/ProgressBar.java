package dev.sparker.cli;

import dev.sparker.calibration.ToyRow;
import dev.sparker.expo.Expo1dStudy;
import java.io.PrintWriter;

/**
 * A one-line progress bar with the elapsed time and an ETA, redrawn on the command line's error writer (picocli's
 * {@code getErr()}, so that tests see it). As an ensemble listener it steps once per finished toy and counts the toys
 * an ensemble found already done; a study tells it the total first ({@link #planned}).
 */
final class ProgressBar implements Expo1dStudy.Listener {
    private final PrintWriter err;
    private int total;
    private final String unit;
    private final long start = System.nanoTime();
    private int resumed;
    private int done;
    private final boolean interactive = System.console() != null;
    private long lastPrint;
    private boolean drawn;

    ProgressBar(PrintWriter err, int total) {
        this(err, total, "toys");
    }

    /** A bar counting {@code total} items called {@code unit} (toys, epochs). */
    ProgressBar(PrintWriter err, int total, String unit) {
        this.err = err;
        this.total = total;
        this.unit = unit;
    }

    /**
     * Toys found already done in the output files (they do not count towards the rate). The bar is drawn when the
     * count moves, and once at the start even when nothing was done, so that a long first toy shows the bar; the
     * ensembles of a study all start before their first toy, and those that find nothing add no line.
     */
    synchronized void resumed(int n) {
        resumed += n;
        done += n;
        if (n > 0 || !drawn) {
            draw(true);
        }
    }

    @Override
    public synchronized void planned(int toys) {
        total = toys;
    }

    @Override
    public void toyDone(ToyRow row, int done, int total) {
        step();
    }

    @Override
    public void started(int alreadyDone, int total) {
        resumed(alreadyDone);
    }

    synchronized void step() {
        done++;
        draw(false);
    }

    synchronized void finish() {
        if (interactive) {
            draw(true);
            err.println();
        }
        err.flush();
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        // without a terminal, print a line at most every 10 s instead of redrawing
        if (!force && !interactive && now - lastPrint < 10_000_000_000L && done < total) {
            return;
        }
        lastPrint = now;
        drawn = true;
        double elapsed = (now - start) * 1e-9;
        int ran = done - resumed;
        String eta = ran > 0 && done < total ? clock(elapsed / ran * (total - done)) : done >= total ? "0:00" : "?";
        int width = 30;
        int filled = total == 0 ? width : (int) Math.round(width * (double) done / total);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String line = String.format("[%s] %d/%d %s %3d%%  elapsed %s  ETA %s", bar, done, total, unit,
                total == 0 ? 100 : 100 * done / total, clock(elapsed), eta);
        err.print(interactive ? "\r" + line : line + "\n");
        err.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
