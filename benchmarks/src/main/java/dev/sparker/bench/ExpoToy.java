package dev.sparker.bench;

import dev.sparker.SparKer;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import java.util.SplittableRandom;

/**
 * One full EXPO_1D toy with the paper's schedule (500 epochs x (100 + 100) steps): N_R = 200 000 Exp(1)
 * reference events of weight N0 / N_R with N0 = 2000, and a background-only data toy of Poisson(2000)
 * Exp(1) events. Usage: {@code ExpoToy [M] [precision] [threads] [epochs] [seed]}; prints t and the wall time.
 */
public final class ExpoToy {

    private ExpoToy() {
    }

    public static void main(String[] args) {
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Precision precision = args.length > 1 ? Precision.valueOf(args[1]) : Precision.FLOAT;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        SplittableRandom r = new SplittableRandom(seed);
        int nRef = 200_000;
        double n0 = 2000;
        double[] ref = new double[nRef];
        for (int i = 0; i < nRef; i++) {
            ref[i] = -Math.log(1 - r.nextDouble());
        }
        // Poisson(N0) count: arrivals of a unit-rate process before time N0
        int nData = 0;
        for (double time = -Math.log(1 - r.nextDouble()); time < n0; time += -Math.log(1 - r.nextDouble())) {
            nData++;
        }
        double[] data = new double[nData];
        for (int i = 0; i < nData; i++) {
            data[i] = -Math.log(1 - r.nextDouble());
        }
        Samples reference = Samples.fromFlat(ref, nRef, 1, n0 / nRef);
        Samples dataSample = Samples.fromFlat(data, nData, 1, 1.0);
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, m).toBuilder()
                .epochs(epochs).seed(seed).build();
        long start = System.nanoTime();
        TestResult result = SparKer.test(reference, dataSample, config, Engines.select("vector").engine(),
                new EngineSettings(precision, threads));
        double seconds = (System.nanoTime() - start) * 1e-9;
        System.out.printf("EXPO_1D toy: M=%d, %s, threads=%d, %d epochs x (%d + %d) steps, N_R=%d, N_D=%d, sigma=%.4f%n",
                m, precision, threads, epochs, config.coefficientSteps(), config.locationSteps(), nRef, nData,
                result.sigma());
        System.out.printf("t = %.6f (lowest loss %.6f), wall time %.1f s (%.2f ms per step), engine %s%n",
                result.t(), result.lowestLoss(), seconds, seconds * 1e3 / config.totalSteps(), result.engine());
    }
}
