package dev.sparker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.TestResult;
import dev.sparker.train.Trainer;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * EXPO-1D-like end to end: Exp(1) reference (N_R = 20 000, weight N0 / N_R with N0 = 200 expected data
 * events) against Poisson(200) Exp(1) data, with and without a strong Gaussian bump (Poisson(40) events at
 * 1.6 +- 0.16). Ten toys each. The EXPO_1D preset with a shortened, faster schedule (12 epochs x (50 + 50)
 * steps, lr 1e-2) so the test runs in seconds.
 *
 * <p>Measured with these seeds (auto engine, DOUBLE; scalar and vector agree to 1e-12): median t without the bump 3.06, with the bump 17.9; the
 * assertion asks for a ratio above 4 and a gap of at least 10, and f(1.6) > 0 in every bump toy. Toys run
 * in parallel (each toy is independent and seeded, so the order does not matter).
 */
class EndToEndTest {
    private static final int TOYS = 10;

    @Test
    void bumpGivesFarLargerTThanNoBumpAndPositiveFAtTheBump() {
        Samples ref = TestData.reference(100, 20_000, 200);
        TrainingConfig base = TrainingConfig.preset(Preset.EXPO_1D, 10).toBuilder()
                .epochs(12).coefficientSteps(50).locationSteps(50).learningRate(1e-2).build();
        double sigma = Trainer.resolveSigma(ref, base);
        TrainingConfig config = base.toBuilder().width(WidthSpec.fixed(sigma)).build();
        double[] tNull = new double[TOYS];
        double[] tBump = new double[TOYS];
        IntStream.range(0, TOYS).parallel().forEach(toy -> {
            TrainingConfig c = config.toBuilder().seed(toy).build();
            tNull[toy] = SparKer.test(ref, TestData.data(1000 + toy, 200, 0, 0, 0), c).t();
            TestResult bump = SparKer.test(ref, TestData.data(2000 + toy, 200, 40, 1.6, 0.16), c);
            tBump[toy] = bump.t();
            double f = bump.model().evaluate(new double[] {1.6});
            assertTrue(f > 0, "toy " + toy + ": learned f(1.6) = " + f + " should be positive at the bump");
        });
        double medNull = median(tNull);
        double medBump = median(tBump);
        String summary = "median t: no bump " + medNull + ", bump " + medBump + " (null " + Arrays.toString(tNull)
                + ", bump " + Arrays.toString(tBump) + ")";
        assertTrue(medBump > 4 * Math.max(medNull, 1) && medBump - medNull > 10, summary);
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
