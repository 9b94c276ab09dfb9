package dev.sparker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --threads}: how many toys train at once, one thread each. The one meaning of the name in every command
 * ({@code test}'s observed training takes its event threads from {@code --event-threads}).
 */
final class ToyThreadsOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--threads", paramLabel = "N",
            description = "toys trained at once, one thread each (default: available processors)")
    Integer threads;

    /** {@return the toys trained at once; a value below 1 is a usage error} */
    int threads() {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--threads " + threads + ": at least 1");
        }
        return threads;
    }

    /** {@return whether --threads was given} */
    boolean given() {
        return threads != null;
    }
}
