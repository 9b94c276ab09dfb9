package dev.sparker.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./sparker}: the command-line tool. */
@Command(name = "sparker", mixinStandardHelpOptions = true, version = "sparker 0.1.0",
        description = "SparKer-NPLM goodness-of-fit tests on the JVM.",
        subcommands = {Expo1dCommand.class, CompareCommand.class, TestCommand.class, MergeCommand.class, PaperSummaryCommand.class, Gw12dStandInCommand.class,
                EnginesCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The library's logger root: silent unless --verbose (held here so its level is not lost to the GC). */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("dev.sparker");
    private static volatile boolean verbose;

    /**
     * {@code --verbose}, accepted by every command: the library's log lines (why an engine is unavailable, which
     * fallback was taken) and the full engine reason. Without it the tool prints what the user asked for; the
     * reasons are one {@code ./sparker engines} away.
     */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "also print the library's log lines (why engines are unavailable, fallbacks taken)")
    void setVerbose(boolean v) {
        verbose = v;
        LIBRARY_LOG.setLevel(v ? java.util.logging.Level.INFO : java.util.logging.Level.OFF);
    }

    static boolean verbose() {
        return verbose;
    }

    /**
     * The one line naming the engine a command runs on. A fallback's reasons (one per engine passed over) are long
     * and stay behind --verbose or ./sparker engines.
     */
    static String engineLine(String engineName, String reason) {
        if (verbose || reason == null || !reason.startsWith("fell back past")) {
            return "engine: " + engineName + (reason == null ? "" : " (" + reason + ")");
        }
        return "engine: " + engineName + " (others unavailable here; ./sparker engines says why)";
    }

    /** The top command; picocli fills its spec. */
    public Main() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: expo1d, compare, test, merge, paper-summary, gw12d-standin or engines");
    }

    /**
     * {@return the command line with one-line errors for bad flags (exit code 2) and for failures (exit code 1)}
     */
    public static CommandLine commandLine() {
        verbose = false;
        LIBRARY_LOG.setLevel(java.util.logging.Level.OFF);
        CommandLine cl = new CommandLine(new Main());
        // --precision double, --schedule Converged: enum names in any case
        cl.setCaseInsensitiveEnumValuesAllowed(true);
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
            err.println("sparker: " + failureMessage(ex));
            if (System.getenv("SPARKER_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    /**
     * The one line a failed command prints after {@code sparker: }. A failure to draw the plots because the Java
     * runtime finds no usable fonts (an {@link Error} naming fonts: "Fontconfig head is null", a font manager class
     * that could not initialise, a missing {@code libfontmanager} or {@code libfreetype}), anywhere in the cause chain,
     * becomes a message that says so and how to get past it; every command writes its numbers before its plots.
     * Any other failure gives the first line of its message.
     *
     * @param ex what the command threw
     * @return the message, one line
     */
    static String failureMessage(Throwable ex) {
        int depth = 0;
        for (Throwable c = ex; c != null && depth < 32; c = c.getCause(), depth++) { // depth: a cause chain may loop
            if (c instanceof Error && c.getMessage() != null && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("font")) {
                return "the plots could not be drawn: this Java runtime finds no usable fonts (" + firstLine(c)
                        + "); the numbers were written before the plots. Install fontconfig and a font (Debian, Ubuntu:"
                        + " apt install fontconfig fonts-dejavu-core) or rerun with --no-plots";
            }
        }
        return firstLine(ex);
    }

    private static String firstLine(Throwable t) {
        String msg = t.getMessage() == null ? t.toString() : t.getMessage();
        return msg.lines().findFirst().orElse(msg);
    }

    /**
     * Runs {@code ./sparker} and exits with the command's code (0 success, 1 failure, 2 bad flags).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
