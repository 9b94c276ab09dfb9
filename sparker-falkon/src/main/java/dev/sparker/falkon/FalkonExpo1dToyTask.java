package dev.sparker.falkon;

import dev.sparker.calibration.ToyOutcome;
import dev.sparker.calibration.ToyTask;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.model.Samples;
import dev.sparker.train.WidthSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One EXPO-1D toy for Falkon-NPLM, the counterpart of {@code dev.sparker.expo.Expo1dToyTask}: the data toy is
 * {@link Expo1d#dataToy(Expo1dSignal, long)} of the toy's seed, so an ensemble with the same master seed runs
 * Falkon on exactly the toys SparKer sees. The Nystrom centres are drawn from the toy's seed too (a fresh draw
 * per toy, as the NPLM community does), and the test runs at each of the fixed widths.
 *
 * <p>{@link ToyOutcome#lowestLoss()} holds the Neyman-Pearson loss {@code L_NP} of the fitted {@code f} at the
 * first width (Falkon has no training curve). Stateless apart from its settings; thread-safe.
 */
public final class FalkonExpo1dToyTask implements ToyTask {
    private final Samples reference;
    private final Expo1dSignal signal;
    private final List<FalkonConfig> configs;

    /**
     * The Falkon-NPLM counterpart of {@code Expo1dToyTask}: toy i of a signal is the same data toy for both
     * models (same master seed).
     *
     * @param reference the shared reference (weights N0 / N_R)
     * @param signal    what the data toys hold besides background
     * @param config    the Falkon settings; its width is replaced by each of {@code sigmas} and its seed by the toy's
     * @param sigmas    the fixed kernel widths, at least one
     */
    public FalkonExpo1dToyTask(Samples reference, Expo1dSignal signal, FalkonConfig config, double[] sigmas) {
        if (reference == null || signal == null || config == null) {
            throw new IllegalArgumentException("reference, signal and configuration must not be null");
        }
        if (sigmas == null || sigmas.length == 0) {
            throw new IllegalArgumentException("at least one kernel width is needed");
        }
        this.reference = reference;
        this.signal = signal;
        List<FalkonConfig> c = new ArrayList<>();
        for (double s : sigmas) {
            c.add(config.toBuilder().width(WidthSpec.fixed(s)).build());
        }
        this.configs = Collections.unmodifiableList(c);
    }

    /**
     * {@return one configuration per width (their hash names the ensemble)}
     */
    public List<FalkonConfig> configs() {
        return configs;
    }

    /**
     * {@return the full result of toy {@code seed} at width number {@code width} (for plots)}
     *
     * @param seed  the toy's seed
     * @param width index into the widths, from 0
     */
    public FalkonResult test(long seed, int width) {
        return FalkonNplm.test(reference, Expo1d.dataToy(signal, seed), configs.get(width).toBuilder().seed(seed).build());
    }

    @Override
    public ToyOutcome run(int index, long seed) {
        Samples data = Expo1d.dataToy(signal, seed);
        double[] t = new double[configs.size()];
        double loss = Double.NaN;
        for (int w = 0; w < configs.size(); w++) {
            FalkonResult r = FalkonNplm.test(reference, data, configs.get(w).toBuilder().seed(seed).build());
            t[w] = r.t();
            if (w == 0) {
                loss = r.npLoss();
            }
        }
        return new ToyOutcome(t[0], loss, configs.size() > 1 ? t : null);
    }
}
