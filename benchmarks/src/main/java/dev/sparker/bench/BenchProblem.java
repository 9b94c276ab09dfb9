package dev.sparker.bench;

import dev.sparker.model.Amplitude;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import java.util.SplittableRandom;

/**
 * A seeded problem of the benchmark sweep, shaped like the paper's: d = 1 is EXPO-1D (Exp(1) reference
 * weighted N_D/N_R, Exp(1) data plus a Gaussian bump, the EXPO_1D preset's amplitude, penalties and
 * learning rate), d &gt; 1 is GW-12D-like (standard normal reference, shifted data, the GW_12D preset's
 * values). Sigma comes from the preset's width rule, kernels start on data events and coefficients are
 * small random numbers, so the exponential arguments are those of a real training step.
 */
public record BenchProblem(Samples reference, Samples data, KernelShape shape, TrainingConfig config,
                           double[] coefficients, double[] locations) {

    /** Kernel evaluations one step costs: every event against every kernel. */
    public long kernelEvaluations() {
        return (long) (reference.size() + data.size()) * shape.kernels();
    }

    /** The data size the sweep uses when none is given: N_R / 100. */
    public static int defaultDataSize(int nRef) {
        return Math.max(1, nRef / 100);
    }

    public static BenchProblem create(int d, int nRef, int nData, int m) {
        if (d < 1 || nRef < 1 || nData < 1 || m < 1) {
            throw new IllegalArgumentException("benchmark problem needs d, N_R, N_D, M >= 1; got d = " + d
                    + ", N_R = " + nRef + ", N_D = " + nData + ", M = " + m);
        }
        SplittableRandom r = new SplittableRandom(1_000_003L * nRef + 7919L * m + d);
        double[] rx = new double[nRef * d];
        double[] dx = new double[nData * d];
        int bump = Math.max(1, nData / 20);
        for (int i = 0; i < rx.length; i++) {
            rx[i] = d == 1 ? -Math.log1p(-r.nextDouble()) : r.nextGaussian();
        }
        for (int n = 0; n < nData; n++) {
            for (int j = 0; j < d; j++) {
                double x;
                if (d == 1) {
                    x = n < bump ? 1.6 + 0.16 * r.nextGaussian() : -Math.log1p(-r.nextDouble());
                } else {
                    x = r.nextGaussian() + (n < bump ? 0.5 : 0);
                }
                dx[n * d + j] = x;
            }
        }
        Samples ref = Samples.fromFlat(rx, nRef, d, (double) nData / nRef);
        Samples data = Samples.fromFlat(dx, nData, d, 1.0);
        TrainingConfig config = (d == 1 ? TrainingConfig.preset(Preset.EXPO_1D, m)
                : TrainingConfig.preset(Preset.GW_12D, m)).toBuilder().seed(17).build();
        double sigma = Trainer.resolveSigma(ref, config);
        Amplitude amp = config.amplitude();
        KernelShape shape = new KernelShape(m, d, sigma, amp);
        double[] a = new double[m];
        double[] mu = new double[m * d];
        for (int i = 0; i < m; i++) {
            a[i] = 0.2 * (2 * r.nextDouble() - 1);
            int e = r.nextInt(nData);
            System.arraycopy(dx, e * d, mu, i * d, d);
        }
        return new BenchProblem(ref, data, shape, config, a, mu);
    }
}
