package dev.sparker.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sparker.loss.PenaltyMode;
import dev.sparker.model.Amplitude;

/**
 * Everything that defines a SparKer training: model size, width, penalties, schedule, optimiser and seed.
 * Immutable; build one with {@link #builder()} or start from {@link #preset(Preset, int)} and override with
 * {@link #toBuilder()}.
 *
 * <p>Which engine evaluates the loss, in which precision and on how many threads is not part of the
 * configuration: the caller passes an {@link dev.sparker.engine.Engine} and its
 * {@link dev.sparker.engine.EngineSettings} to {@link Trainer} or {@link dev.sparker.SparKer}. Result files
 * written while the configuration still held {@code engine}, {@code precision} and {@code threads} read
 * back (those three properties are ignored).
 *
 * @param preset            the preset this configuration started from, or null for a custom one
 * @param kernels           number of kernels M
 * @param amplitude         the kernel prefactor convention
 * @param width             how sigma is chosen
 * @param lambdaA           coefficient penalty weight
 * @param penaltyMode       MEAN (paper) or SUM (authors' code)
 * @param lambdaH           location entropy weight
 * @param epochs            number of epochs
 * @param coefficientSteps  Adam steps of the coefficient phase per epoch
 * @param locationSteps     Adam steps of the location phase per epoch
 * @param learningRate      Adam learning rate (both phases)
 * @param clip              coefficients are clipped to |a_i| &lt;= clip after every step
 * @param seed              seeds the initial locations and the width subsample
 */
@JsonIgnoreProperties({"engine", "precision", "threads"})
public record TrainingConfig(
        Preset preset,
        int kernels,
        Amplitude amplitude,
        WidthSpec width,
        double lambdaA,
        PenaltyMode penaltyMode,
        double lambdaH,
        int epochs,
        int coefficientSteps,
        int locationSteps,
        double learningRate,
        double clip,
        long seed) {

    /** The default coefficient clip: {@code |a_i| <= 1e6} after every step. */
    public static final double DEFAULT_CLIP = 1e6;

    /**
     * Validates every field (the record's canonical constructor, also used by JSON reading).
     *
     * @throws IllegalArgumentException naming the first field out of range (M &lt; 1, non-positive steps or
     *                                  learning rate, negative penalties, ...)
     */
    @JsonCreator
    public TrainingConfig(
            @JsonProperty("preset") Preset preset,
            @JsonProperty("kernels") int kernels,
            @JsonProperty("amplitude") Amplitude amplitude,
            @JsonProperty("width") WidthSpec width,
            @JsonProperty("lambdaA") double lambdaA,
            @JsonProperty("penaltyMode") PenaltyMode penaltyMode,
            @JsonProperty("lambdaH") double lambdaH,
            @JsonProperty("epochs") int epochs,
            @JsonProperty("coefficientSteps") int coefficientSteps,
            @JsonProperty("locationSteps") int locationSteps,
            @JsonProperty("learningRate") double learningRate,
            @JsonProperty("clip") double clip,
            @JsonProperty("seed") long seed) {
        if (kernels < 1) {
            throw new IllegalArgumentException("number of kernels M = " + kernels + "; M must be at least 1");
        }
        require(amplitude != null, "amplitude must not be null");
        require(width != null, "width must not be null");
        require(penaltyMode != null, "penalty mode must not be null");
        require(Double.isFinite(lambdaA) && lambdaA >= 0, "lambda_a = " + lambdaA + "; it must be finite and >= 0");
        require(Double.isFinite(lambdaH) && lambdaH >= 0, "lambda_H = " + lambdaH + "; it must be finite and >= 0");
        require(epochs >= 1, "epochs = " + epochs + "; at least one epoch is needed");
        require(coefficientSteps >= 1, "coefficient steps per epoch = " + coefficientSteps + "; at least 1 is needed");
        require(locationSteps >= 1, "location steps per epoch = " + locationSteps + "; at least 1 is needed");
        require(learningRate > 0 && Double.isFinite(learningRate),
                "learning rate = " + learningRate + "; it must be finite and > 0");
        require(clip > 0 && !Double.isNaN(clip), "coefficient clip = " + clip + "; it must be > 0");
        this.preset = preset;
        this.kernels = kernels;
        this.amplitude = amplitude;
        this.width = width;
        this.lambdaA = lambdaA;
        this.penaltyMode = penaltyMode;
        this.lambdaH = lambdaH;
        this.epochs = epochs;
        this.coefficientSteps = coefficientSteps;
        this.locationSteps = locationSteps;
        this.learningRate = learningRate;
        this.clip = clip;
        this.seed = seed;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * A custom configuration: UNIT amplitude, MEAN penalty, defaults as in {@link Builder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A preset exactly as DESIGN.md lists it. {@code kernels} picks the EXPO_1D variant (10, 50 or 1000;
     * other values get the M &lt;= 50 penalties when M &lt;= 50 and the M = 1000 ones above); GW_12D is
     * defined for M = 20 and takes any M as an override. Paper section 3 (EXPO-1D) and section 4 (GW).
     *
     * @param preset  the preset
     * @param kernels number of kernels M, at least 1
     * @return the configuration
     * @throws IllegalArgumentException when M &lt; 1
     */
    public static TrainingConfig preset(Preset preset, int kernels) {
        Builder b = new Builder().preset(preset).kernels(kernels).width(WidthSpec.defaultQuantile());
        return switch (preset) {
            case EXPO_1D -> b.amplitude(Amplitude.GAUSSIAN)
                    .lambdaA(kernels <= 50 ? 1e-5 : 1e-6)
                    .lambdaH(kernels <= 50 ? 1e-3 : 1e-2)
                    .epochs(500).coefficientSteps(100).locationSteps(100)
                    .learningRate(1e-3)
                    .build();
            case GW_12D -> b.amplitude(Amplitude.REFERENCE_CODE)
                    .lambdaA(1e-2).lambdaH(1e-1)
                    .epochs(2000).coefficientSteps(10).locationSteps(10)
                    .learningRate(4e-2)
                    .build();
        };
    }

    /** {@return the GW_12D preset at its paper size, M = 20} */
    public static TrainingConfig gw12d() {
        return preset(Preset.GW_12D, 20);
    }

    /** {@return a builder holding every field of this configuration, to override some} */
    public Builder toBuilder() {
        return new Builder().preset(preset).kernels(kernels).amplitude(amplitude).width(width)
                .lambdaA(lambdaA).penaltyMode(penaltyMode).lambdaH(lambdaH).epochs(epochs)
                .coefficientSteps(coefficientSteps).locationSteps(locationSteps).learningRate(learningRate)
                .clip(clip).seed(seed);
    }

    /** {@return total Adam steps over the whole training: epochs x (coefficient + location steps)} */
    public long totalSteps() {
        return (long) epochs * (coefficientSteps + locationSteps);
    }

    /** A mutable builder; every field has a default. */
    public static final class Builder {
        private Preset preset;
        private int kernels = 10;
        private Amplitude amplitude = Amplitude.UNIT;
        private WidthSpec width = WidthSpec.defaultQuantile();
        private double lambdaA = 1e-5;
        private PenaltyMode penaltyMode = PenaltyMode.MEAN;
        private double lambdaH = 1e-3;
        private int epochs = 500;
        private int coefficientSteps = 100;
        private int locationSteps = 100;
        private double learningRate = 1e-3;
        private double clip = DEFAULT_CLIP;
        private long seed = 0;

        private Builder() {
        }

        /**
         * {@return this builder}
         *
         * @param v the preset recorded in results (null: custom)
         */
        public Builder preset(Preset v) { preset = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v number of kernels M, at least 1
         */
        public Builder kernels(int v) { kernels = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v the kernel prefactor convention (UNIT, GAUSSIAN, REFERENCE_CODE)
         */
        public Builder amplitude(Amplitude v) { amplitude = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v how sigma is chosen
         */
        public Builder width(WidthSpec v) { width = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v a fixed kernel width sigma, > 0, in the samples' units
         */
        public Builder sigma(double v) { width = WidthSpec.fixed(v); return this; }
        /**
         * {@return this builder}
         *
         * @param v coefficient penalty weight lambda_a, >= 0 (paper section 2)
         */
        public Builder lambdaA(double v) { lambdaA = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v MEAN (paper) or SUM (authors' code)
         */
        public Builder penaltyMode(PenaltyMode v) { penaltyMode = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v location entropy weight lambda_H, >= 0 (paper section 2)
         */
        public Builder lambdaH(double v) { lambdaH = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v number of epochs, at least 1
         */
        public Builder epochs(int v) { epochs = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v Adam steps of the coefficient phase per epoch, at least 1
         */
        public Builder coefficientSteps(int v) { coefficientSteps = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v Adam steps of the location phase per epoch, at least 1
         */
        public Builder locationSteps(int v) { locationSteps = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v Adam learning rate, > 0
         */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v coefficient clip, > 0: {@code |a_i| <= clip} after every step
         */
        public Builder clip(double v) { clip = v; return this; }
        /**
         * {@return this builder}
         *
         * @param v seed of the initial locations and the width subsample
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * {@return the configuration}
         *
         * @throws IllegalArgumentException naming the first field out of range
         */
        public TrainingConfig build() {
            return new TrainingConfig(preset, kernels, amplitude, width, lambdaA, penaltyMode, lambdaH, epochs,
                    coefficientSteps, locationSteps, learningRate, clip, seed);
        }
    }
}
