package dev.sparker.falkon;

import dev.sparker.calibration.ToyTask;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dStudy;
import dev.sparker.model.Samples;
import dev.sparker.train.WidthSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Falkon-NPLM as a model of the EXPO-1D study ({@link Expo1dStudy}): M Nystrom centres drawn per toy, the ridge
 * penalty lambda and a fixed number of Newton steps from alpha = 0, on the same toys as SparKer for the same seed.
 * Its ensemble key holds the model and its configuration, so its files never mix with SparKer's; they carry a
 * {@code falkon-} prefix.
 */
public final class FalkonExpo1dModel {

    /** The model's name in results, ensemble keys and file names (its files carry the prefix {@code "falkon-"}). */
    public static final String NAME = "falkon";

    private FalkonExpo1dModel() {
    }

    /**
     * {@return the Falkon configuration of {@code kernels} centres at the fixed width {@code sigma}, one thread per
     * toy (the toy's seed replaces the configuration's seed)}
     *
     * @param kernels     M, the Nystrom centres, at least 1
     * @param lambda      the ridge penalty, finite and &gt; 0
     * @param newtonSteps Newton steps from alpha = 0, at least 1
     * @param sigma       the kernel width
     * @throws IllegalArgumentException when a setting is out of range (from {@link FalkonConfig})
     */
    public static FalkonConfig config(int kernels, double lambda, int newtonSteps, double sigma) {
        return FalkonConfig.defaults(kernels, lambda).toBuilder().newtonSteps(newtonSteps)
                .width(WidthSpec.fixed(sigma)).threads(1).build();
    }

    /**
     * {@return a factory of Falkon-NPLM models with {@code kernels} centres, fixed at the study's first width}
     *
     * @param kernels     M, the Nystrom centres
     * @param lambda      the ridge penalty
     * @param newtonSteps Newton steps from alpha = 0
     */
    public static Expo1dStudy.ModelFactory factory(int kernels, double lambda, int newtonSteps) {
        return (reference, sigmas, commonKey) -> model(reference, config(kernels, lambda, newtonSteps, sigmas[0]), sigmas,
                commonKey);
    }

    /**
     * {@return the Falkon-NPLM model of configuration {@code base} on {@code reference} at widths {@code sigmas}}
     *
     * @param reference the shared reference
     * @param base      the configuration ({@link #config})
     * @param sigmas    the widths, one per quantile
     * @param commonKey the study's common key
     */
    public static Expo1dStudy.Model model(Samples reference, FalkonConfig base, double[] sigmas, Map<String, Object> commonKey) {
        Map<String, Object> key = new LinkedHashMap<>(commonKey);
        key.put("model", NAME);
        key.put("falkon", base);
        Expo1dStudy.Description description = new Expo1dStudy.Description(null, null, null, null, null, null, null, null,
                base.lambda(), base.newtonSteps(), null, base);
        return new Expo1dStudy.Model() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public int kernels() {
                return base.centres();
            }

            @Override
            public Map<String, Object> key() {
                return key;
            }

            @Override
            public ToyTask task(Expo1dSignal s) {
                return new FalkonExpo1dToyTask(reference, s, base, sigmas);
            }

            @Override
            public Expo1dStudy.Fit fit(Expo1dSignal s, long seed) {
                FalkonResult r = new FalkonExpo1dToyTask(reference, s, base, sigmas).test(seed, 0);
                return new Expo1dStudy.Fit(r.model(), r.t());
            }

            @Override
            public Expo1dStudy.Description description() {
                return description;
            }
        };
    }
}
