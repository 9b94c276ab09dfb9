package dev.sparker.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --seed}, {@code --out} and {@code --no-plots}, shared by test, expo1d and compare. */
final class OutputOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "master seed of every random draw: the EXPO-1D reference, initial kernel locations, the width"
                    + " subsample and the toys (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/${COMMAND-NAME}",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--no-plots", description = "skip the PNG plots")
    boolean noPlots;

    /** {@return the output folder: --out, or out/COMMAND} */
    Path out() {
        return out;
    }
}
