package dev.sparker.expo;

import dev.sparker.model.Samples;
import java.util.SplittableRandom;

/**
 * The EXPO-1D benchmark (DESIGN.md; paper appendix A): reference events from Exp(1), data toys of
 * Poisson(N0) Exp(1) events plus Poisson(N_S) signal events, and the ideal test, the extended likelihood
 * ratio {@code t_id = 2 [sum_{x in D} log(1 + n_S(x)/n_0(x)) - N_S]} with {@code n_0(x) = N0 e^-x} and
 * {@code n_S(x) = N_S p_S(x)}.
 */
public final class Expo1d {
    /** Expected number of background events in a data toy. */
    public static final double N0 = 2000;
    /** The paper's reference size. */
    public static final int PAPER_REFERENCE_SIZE = 200_000;

    private Expo1d() {
    }

    /**
     * {@return {@code nR} Exp(1) events drawn from {@code seed}, each with weight {@code N0 / nR}} The EXPO-1D
     * reference of paper appendix A (N_R = 200 000 there).
     *
     * @param nR   number of reference events N_R, at least 1
     * @param seed the random seed
     */
    public static Samples reference(int nR, long seed) {
        if (nR < 1) {
            throw new IllegalArgumentException("reference size N_R = " + nR + "; at least one event is needed");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[nR];
        for (int i = 0; i < nR; i++) {
            x[i] = exponential(rng);
        }
        return Samples.fromFlat(x, nR, 1, N0 / nR);
    }

    /**
     * {@return the events of one data toy (background, then signal), drawn from {@code seed}} Background:
     * Poisson(N0) Exp(1) events; signal: Poisson(N_S) events of {@code signal}'s shape (paper appendix A).
     *
     * @param signal the signal, or {@link Expo1dSignal#NONE} for a null toy
     * @param seed   the random seed
     */
    public static double[] dataEvents(Expo1dSignal signal, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int nb = poisson(N0, rng);
        int ns = signal == Expo1dSignal.NONE ? 0 : poisson(signal.expectedCount(), rng);
        double[] x = new double[nb + ns];
        for (int i = 0; i < nb; i++) {
            x[i] = exponential(rng);
        }
        for (int i = nb; i < x.length; i++) {
            x[i] = signal.sample(rng);
        }
        return x;
    }

    /**
     * {@return one data toy as a sample of weight 1 (the events of {@link #dataEvents})}
     *
     * @param signal the signal, or {@link Expo1dSignal#NONE}
     * @param seed   the random seed
     */
    public static Samples dataToy(Expo1dSignal signal, long seed) {
        double[] x = dataEvents(signal, seed);
        return Samples.fromFlat(x, x.length, 1, 1.0);
    }

    /**
     * {@return {@code log(n_S(x) / n_0(x))} for {@code signal}: the true log density ratio of signal to background
     * events at x}
     *
     * @param signal the signal
     * @param x      a point, x &gt;= 0
     */
    public static double logRatio(Expo1dSignal signal, double x) {
        return Math.log(signal.expectedCount() / N0) + signal.logDensity(x) + x;
    }

    /**
     * {@return the ideal test statistic {@code t_id = 2 [sum_x log(1 + n_S(x) / n_0(x)) - N_S]} of data events
     * {@code x} against {@code signal}}
     *
     * @param signal the signal of the alternative hypothesis
     * @param x      the data events
     */
    public static double idealT(Expo1dSignal signal, double[] x) {
        if (signal == Expo1dSignal.NONE) {
            throw new IllegalArgumentException("the ideal test needs a signal hypothesis, not NONE");
        }
        double s = 0;
        for (double v : x) {
            double lr = logRatio(signal, v);
            // log(1 + e^lr) without overflow
            s += lr > 30 ? lr + Math.log1p(Math.exp(-lr)) : Math.log1p(Math.exp(lr));
        }
        return 2 * (s - signal.expectedCount());
    }

    /**
     * {@return the ideal test of one EXPO-1D signal, for {@link IdealTest}}
     *
     * @param signal the signal
     */
    public static IdealTest.Hypotheses hypotheses(Expo1dSignal signal) {
        if (signal == Expo1dSignal.NONE) {
            throw new IllegalArgumentException("the ideal test needs a signal hypothesis, not NONE");
        }
        return new IdealTest.Hypotheses() {
            @Override
            public double[] sample(boolean withSignal, long seed) {
                return dataEvents(withSignal ? signal : Expo1dSignal.NONE, seed);
            }

            @Override
            public double t(double[] events) {
                return idealT(signal, events);
            }
        };
    }

    static double exponential(SplittableRandom rng) {
        return -Math.log1p(-rng.nextDouble());
    }

    /**
     * A Poisson count: the number of arrivals of a unit-rate Poisson process in {@code [0, mean]}, counted
     * through exponential gaps. Exact for any mean; O(mean) draws, negligible next to a training.
     */
    static int poisson(double mean, SplittableRandom rng) {
        if (!(mean >= 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("Poisson mean = " + mean + "; it must be finite and >= 0");
        }
        int k = 0;
        double time = exponential(rng);
        while (time <= mean) {
            k++;
            time += exponential(rng);
        }
        return k;
    }
}
