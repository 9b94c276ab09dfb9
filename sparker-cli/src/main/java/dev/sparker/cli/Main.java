package dev.sparker.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./sparker}: the command-line tool. */
@Command(name = "sparker", mixinStandardHelpOptions = true, version = "sparker 0.1.0",
        description = "SparKer-NPLM goodness-of-fit tests on the JVM.",
        subcommands = {Expo1dCommand.class, CompareCommand.class, TestCommand.class, MergeCommand.class, Gw12dStandInCommand.class,
                EnginesCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: expo1d, compare, test, merge, gw12d-standin or engines");
    }

    /** The command line with one-line errors for bad flags (exit code 2) and for failures (exit code 1). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("sparker: " + ex.getMessage() + " (see: ./sparker "
                    + (ex.getCommandLine().getCommandName().equals("sparker") ? "" : ex.getCommandLine().getCommandName() + " ")
                    + "--help)");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            err.println("sparker: " + msg.lines().findFirst().orElse(msg));
            if (System.getenv("SPARKER_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
