package dev.sparker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.Preset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void trainsExpoLike() {
        SplittableRandom r = new SplittableRandom(1);
        int nr = 20000, nd = 200;
        double[] ref = new double[nr];
        for (int i = 0; i < nr; i++) ref[i] = -Math.log(1 - r.nextDouble());
        double[] dat = new double[nd + 30];
        for (int i = 0; i < nd; i++) dat[i] = -Math.log(1 - r.nextDouble());
        for (int i = nd; i < nd + 30; i++) dat[i] = 1.6 + 0.16 * r.nextGaussian();
        Samples R = Samples.fromFlat(ref, nr, 1, (double) nd / nr);
        Samples D = Samples.fromFlat(dat, dat.length, 1, 1.0);
        long t0 = System.nanoTime();
        TestResult res = SparKer.test(R, D, TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder().epochs(20).build());
        System.out.println("t=" + res.t() + " sigma=" + res.sigma() + " time=" + (System.nanoTime() - t0) / 1e9 + " min=" + res.lowestLoss());
        assertTrue(res.t() > 0);
    }
}
