package dev.sparker.cli;

import dev.sparker.expo.Expo1dSignal;
import dev.sparker.train.Preset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The named choices of the command lines and their converters: presets (test), models (expo1d, compare) and
 * EXPO-1D signals. Names are case-insensitive; a bad one is a one-line error listing the candidates.
 */
final class CliChoices {

    /** The models the command line runs. */
    enum Model {
        SPARKER, FALKON;

        String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Model parse(String s) {
            for (Model m : values()) {
                if (m.cliName().equalsIgnoreCase(s.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown model '" + s + "'; use sparker or falkon");
        }
    }

    /** {@code --model}, {@code --models}: sparker or falkon. */
    static final class ModelConverter implements CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            try {
                return Model.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --preset}: gw-12d or expo-1d (also gw12d, expo1d, GW_12D). */
    static final class PresetConverter implements CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "gw-12d", "gw12d" -> Preset.GW_12D;
                case "expo-1d", "expo1d" -> Preset.EXPO_1D;
                default -> throw new CommandLine.TypeConversionException("unknown preset '" + value + "'; use gw-12d or expo-1d");
            };
        }
    }

    /** {@return the preset's name on the command line and in results: gw-12d or expo-1d} */
    static String presetName(Preset p) {
        return p == Preset.GW_12D ? "gw-12d" : "expo-1d";
    }

    /** A name {@code --signal} takes: one of the four signals, or all of them. */
    enum SignalName {
        BULK(Expo1dSignal.BULK), TAIL(Expo1dSignal.TAIL), EXTREME_TAIL(Expo1dSignal.EXTREME_TAIL),
        EXCESS(Expo1dSignal.EXCESS), ALL(null);

        private final Expo1dSignal signal;

        SignalName(Expo1dSignal signal) {
            this.signal = signal;
        }

        /** {@return the signals this name stands for} */
        List<Expo1dSignal> signals() {
            return signal != null ? List.of(signal)
                    : List.of(Expo1dSignal.BULK, Expo1dSignal.TAIL, Expo1dSignal.EXTREME_TAIL, Expo1dSignal.EXCESS);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code --signal}: bulk, tail, extreme-tail, excess or all; none is refused (the null toys always run). */
    static final class SignalConverter implements CommandLine.ITypeConverter<SignalName> {
        @Override
        public SignalName convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            for (SignalName s : SignalName.values()) {
                if (s.toString().equals(v)) {
                    return s;
                }
            }
            if (v.equals("none")) {
                throw new CommandLine.TypeConversionException(
                        "none: give a signal (bulk, tail, extreme-tail, excess); the null toys always run");
            }
            throw new CommandLine.TypeConversionException("unknown signal '" + value
                    + "'; use bulk, tail, extreme-tail, excess or all");
        }
    }

    private CliChoices() {
    }

    /** {@return the signals named, each once, in the order given} */
    static List<Expo1dSignal> signals(List<SignalName> names) {
        List<Expo1dSignal> list = new ArrayList<>();
        for (SignalName n : names) {
            for (Expo1dSignal x : n.signals()) {
                if (!list.contains(x)) {
                    list.add(x);
                }
            }
        }
        return list;
    }
}
