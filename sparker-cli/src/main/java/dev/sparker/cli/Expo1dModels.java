package dev.sparker.cli;

import dev.sparker.expo.Expo1dSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** The models and signals named on the command lines of {@code expo1d} and {@code compare}. */
final class Expo1dModels {

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

    private Expo1dModels() {
    }

    /**
     * The signals named by {@code --signal} (names, or {@code all} for the four), each once, in the order
     * given; a bad name or {@code none} is a {@link CommandLine.ParameterException} of {@code commandLine}.
     */
    static List<Expo1dSignal> parseSignals(List<String> names, CommandLine commandLine) {
        List<Expo1dSignal> list = new ArrayList<>();
        for (String s : names) {
            List<Expo1dSignal> named;
            if (s.equalsIgnoreCase("all")) {
                named = List.of(Expo1dSignal.BULK, Expo1dSignal.TAIL, Expo1dSignal.EXTREME_TAIL, Expo1dSignal.EXCESS);
            } else {
                Expo1dSignal sig;
                try {
                    sig = Expo1dSignal.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(commandLine, "--signal: " + e.getMessage());
                }
                if (sig == Expo1dSignal.NONE) {
                    throw new CommandLine.ParameterException(commandLine,
                            "--signal none: give a signal (bulk, tail, extreme-tail, excess); the null toys always run");
                }
                named = List.of(sig);
            }
            for (Expo1dSignal x : named) {
                if (!list.contains(x)) {
                    list.add(x);
                }
            }
        }
        return list;
    }
}
