package dev.sparker.io.gw;

import dev.sparker.io.NpyWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic 12-dimensional stand-in for the GWAK features of the paper's gravitational-wave application.
 * It is NOT LIGO data and not GWAK output: it only imitates the features' broad shape so that the 12-D
 * workflow (files, standardisation, the GW_12D preset, interpretation) can run offline.
 *
 * <p>Features: the reconstruction losses of five autoencoders (background, glitch, BBH, low- and
 * high-frequency sine-Gaussian) on each of two detectors (H1, L1), then a frequency-domain correlation and a
 * Pearson correlation between the detectors. Each background event draws a common noise level {@code z0},
 * one level per detector {@code zH, zL}, one shared term per autoencoder {@code u_k} and independent noise
 * {@code e}, all standard normal, and sets
 * <pre>
 *   loss(det, k) = exp(m_k + s_k (0.35 z0 + 0.45 z_det + 0.5 u_k + 0.65 e))      positive, right-skewed
 *   freq_corr    = logistic(-1 + 0.5 z0 + 0.6 e)                                   in (0, 1)
 *   pearson      = tanh(0.15 z0 + 0.25 e')                                         in (-1, 1)
 * </pre>
 * so that features are correlated within a detector (through {@code z_det}), across detectors (through
 * {@code z0}) and most strongly within each H1/L1 pair of the same autoencoder (through {@code u_k}).
 * Glitches: with probability {@code glitchRate} per event (reference and data alike) one loss of one
 * detector, chosen at random, gets {@code 2.5 + Exp(1)} added to its logarithm: a single-feature outlier.
 * Signal: in the signal data file, {@code signalEvents} of the {@code N_D} events are replaced by events
 * whose background and BBH losses on both detectors and whose two correlations are shifted together into
 * their upper tails by a strength {@code A ~ N(signalStrength, 0.5)} (in units of each feature's log-scale
 * {@code s_k}; the BBH losses by {@code 0.8 A}; inside the link functions, {@code freq_corr} by {@code A / 2} and
 * {@code pearson} by {@code A / 4}, about 1.3 and 1.7 of their standard deviations at {@code A = 2}).
 *
 * @param referenceSize   {@code N_R} (paper: 24020)
 * @param dataSize        {@code N_D} (paper: 2402)
 * @param signalEvents    signal events in the signal data file
 * @param signalStrength  mean shift {@code A} of the signal
 * @param glitchRate      probability per event of a single-feature outlier
 * @param seed            seeds everything; the three samples come from independent split streams
 */
public record Gw12dStandIn(int referenceSize, int dataSize, int signalEvents, double signalStrength, double glitchRate,
                           long seed) {

    public static final int DIMENSION = 12;
    public static final List<String> FEATURE_NAMES = List.of(
            "H1_bkg", "H1_glitch", "H1_bbh", "H1_sglf", "H1_sghf",
            "L1_bkg", "L1_glitch", "L1_bbh", "L1_sglf", "L1_sghf",
            "freq_corr", "pearson");
    private static final double[] LOG_MEAN = {0.0, 0.3, -0.2, 0.1, 0.2};
    private static final double[] LOG_SCALE = {0.35, 0.45, 0.30, 0.40, 0.50};

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException when a size is not positive, the signal count exceeds N_D, the strength is
     *                                  not finite or the glitch rate is outside [0, 1]
     */
    public Gw12dStandIn {
        if (referenceSize < 1 || dataSize < 1) {
            throw new IllegalArgumentException("sample sizes must be positive: N_R = " + referenceSize + ", N_D = " + dataSize);
        }
        if (signalEvents < 0 || signalEvents > dataSize) {
            throw new IllegalArgumentException("signal events = " + signalEvents + " must lie in [0, N_D = " + dataSize + "]");
        }
        if (!(glitchRate >= 0 && glitchRate <= 1)) {
            throw new IllegalArgumentException("glitch rate = " + glitchRate + " must lie in [0, 1]");
        }
        if (!Double.isFinite(signalStrength)) {
            throw new IllegalArgumentException("signal strength = " + signalStrength);
        }
    }

    /**
     * {@return paper sizes (N_R = 24020, N_D = 2402), 60 signal events of strength 2, glitch rate 0.4 %}
     *
     * @param seed the seed; the same seed gives the same samples
     */
    public static Gw12dStandIn paperSized(long seed) {
        return new Gw12dStandIn(24020, 2402, 60, 2.0, 0.004, seed);
    }

    /**
     * The generated samples, row-major {@code n x 12}.
     *
     * @param reference      N_R x 12 reference events
     * @param data           N_D x 12 data events without signal
     * @param dataWithSignal N_D x 12 data events, some of them signal
     * @param signalMask 1 for the signal events of {@code dataWithSignal}, else 0
     * @param referenceSize  N_R
     * @param dataSize       N_D
     */
    public record Generated(double[] reference, double[] data, double[] dataWithSignal, double[] signalMask,
                            int referenceSize, int dataSize) {
    }

    /**
     * {@return the generated samples (a pure function of the settings and the seed)}
     */
    public Generated generate() {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom refStream = root.split();
        SplittableRandom dataStream = root.split();
        SplittableRandom signalStream = root.split();
        double[] reference = new double[referenceSize * DIMENSION];
        for (int i = 0; i < referenceSize; i++) {
            event(refStream, 0, reference, i * DIMENSION);
        }
        double[] data = new double[dataSize * DIMENSION];
        for (int i = 0; i < dataSize; i++) {
            event(dataStream, 0, data, i * DIMENSION);
        }
        // the signal file: a fresh background draw with signalEvents events, at random positions, replaced
        double[] withSignal = new double[dataSize * DIMENSION];
        double[] mask = new double[dataSize];
        int placed = 0;
        for (int i = 0; i < dataSize; i++) {
            // selection sampling: exactly signalEvents positions, uniformly chosen
            boolean isSignal = signalStream.nextInt(dataSize - i) < signalEvents - placed;
            double strength = 0;
            if (isSignal) {
                strength = signalStrength + 0.5 * signalStream.nextGaussian();
                placed++;
                mask[i] = 1;
            }
            event(signalStream, strength, withSignal, i * DIMENSION);
        }
        return new Generated(reference, data, withSignal, mask, referenceSize, dataSize);
    }

    private void event(SplittableRandom r, double strength, double[] out, int at) {
        double z0 = r.nextGaussian();
        double zH = r.nextGaussian();
        double zL = r.nextGaussian();
        for (int k = 0; k < 5; k++) {
            double u = r.nextGaussian();
            double shift = k == 0 ? strength : k == 2 ? 0.8 * strength : 0;
            out[at + k] = Math.exp(LOG_MEAN[k] + LOG_SCALE[k] * (0.35 * z0 + 0.45 * zH + 0.5 * u + 0.65 * r.nextGaussian() + shift));
            out[at + 5 + k] = Math.exp(LOG_MEAN[k] + LOG_SCALE[k] * (0.35 * z0 + 0.45 * zL + 0.5 * u + 0.65 * r.nextGaussian() + shift));
        }
        double fc = -1 + 0.5 * z0 + 0.6 * r.nextGaussian() + strength / 2;
        out[at + 10] = 1 / (1 + Math.exp(-fc));
        out[at + 11] = Math.tanh(0.15 * z0 + 0.25 * r.nextGaussian() + strength / 4);
        // drawn for every event, so that the glitch rate changes no other event's values
        boolean glitch = r.nextDouble() < glitchRate;
        int feature = r.nextInt(10);
        double size = 2.5 - Math.log(1 - r.nextDouble());
        if (glitch) {
            out[at + feature] *= Math.exp(size);
        }
    }

    /**
     * Writes {@code reference.npy} (N_R x 12), {@code data.npy} (N_D x 12, no signal), {@code data_signal.npy}
     * (N_D x 12 with the signal), {@code data_signal_truth.npy} (1-D, 1 marks a signal event) and
     * {@code features.txt} (the feature names, one per line) into {@code dir}; returns the generated samples.
     *
     * @param dir the output folder, created if missing
     * @return the generated samples
     * @throws java.io.UncheckedIOException when a file cannot be written
     */
    public Generated writeTo(Path dir) {
        Generated g = generate();
        try {
            Files.createDirectories(dir);
            NpyWriter.writeFloat64(dir.resolve("reference.npy"), g.reference(), referenceSize, DIMENSION);
            NpyWriter.writeFloat64(dir.resolve("data.npy"), g.data(), dataSize, DIMENSION);
            NpyWriter.writeFloat64(dir.resolve("data_signal.npy"), g.dataWithSignal(), dataSize, DIMENSION);
            NpyWriter.writeVector(dir.resolve("data_signal_truth.npy"), g.signalMask());
            Files.write(dir.resolve("features.txt"), FEATURE_NAMES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the 12-D stand-in into " + dir + ": " + e.getMessage(), e);
        }
        return g;
    }
}
