package dev.sparker.bench;

import dev.sparker.calibration.ToyOutcome;
import dev.sparker.calibration.ToySeeds;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.expo.Expo1d;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dToyTask;
import dev.sparker.train.Preset;
import dev.sparker.train.TrainingConfig;

/**
 * The heap one EXPO-1D toy needs, for sizing Spark executors and batch jobs (docs/guide/clusters.md): draws
 * the reference, trains one null toy for 2 epochs of 3 + 3 steps (memory does not grow with epochs) and
 * prints the heap in use after a full GC. Run it under decreasing {@code -Xmx} to find the floor.
 * Usage: {@code ToyMemory [N_R] [M] [engine]} (defaults 200000, 1000, auto).
 */
public final class ToyMemory {

    private ToyMemory() {
    }

    public static void main(String[] args) {
        int nR = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String engine = args.length > 2 ? args[2] : "auto";
        TrainingConfig config = TrainingConfig.preset(Preset.EXPO_1D, m).toBuilder().epochs(2).coefficientSteps(3)
                .locationSteps(3).seed(1).build();
        Engine chosen = Engines.select(engine).engine();
        Expo1dToyTask task = new Expo1dToyTask(Expo1d.reference(nR, 1), Expo1dSignal.NONE, config, new double[] {2.3},
                chosen, EngineSettings.singleThreadDouble());
        ToyOutcome o = task.run(0, ToySeeds.seed(1, 0));
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("N_R = %d, M = %d, engine %s: t = %.4f; heap in use after GC %.1f MB (max heap %.0f MB)%n", nR, m,
                chosen.name(), o.t(), (rt.totalMemory() - rt.freeMemory()) / 1e6, rt.maxMemory() / 1e6);
    }
}
