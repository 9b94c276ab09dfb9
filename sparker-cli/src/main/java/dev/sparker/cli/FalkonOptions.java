package dev.sparker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Falkon-NPLM's options ({@code --lambda}, {@code --newton-steps}), an argument group of expo1d and compare: their own
 * section of the help, and one place that checks them. Field initialisers hold the defaults for when the group is not
 * matched.
 */
final class FalkonOptions {
    /** Falkon-NPLM's default ridge penalty (the paper's). */
    static final double DEFAULT_LAMBDA = 1e-6;

    @Option(names = "--lambda", paramLabel = "L", defaultValue = "1e-6",
            description = "Falkon-NPLM's ridge penalty lambda > 0 (default: ${DEFAULT-VALUE})")
    double lambda = DEFAULT_LAMBDA;

    @Option(names = "--newton-steps", paramLabel = "N", defaultValue = "1",
            description = "Falkon-NPLM's Newton steps from alpha = 0 (default: ${DEFAULT-VALUE})")
    int newtonSteps = 1;

    /** Checks the values; a bad one is a usage error of {@code commandLine} naming the option. */
    void validate(CommandLine commandLine) {
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new CommandLine.ParameterException(commandLine, "--lambda " + lambda + ": must be finite and > 0");
        }
        if (newtonSteps < 1) {
            throw new CommandLine.ParameterException(commandLine, "--newton-steps " + newtonSteps + ": at least 1");
        }
    }
}
