package dev.sparker.cli;

import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.Engines;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./sparker engines}: every engine on the class path, whether it can run, and which one auto picks. */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "List the engines, whether each can run here, and which one `auto` selects and why.")
final class EnginesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Engines.Selection selected = Engines.select(Engines.AUTO);
        out.printf("%-8s %-9s %8s  %s%n", "engine", "available", "priority", "detail");
        for (Engine e : Engines.all()) {
            EngineAvailability av = e.availability();
            out.printf("%-8s %-9s %8d  %s%n", e.name(), av.available() ? "yes" : "no", e.autoSelectPriority(),
                    av.reason() == null ? "" : av.reason());
        }
        String forced = System.getProperty(Engines.ENGINE_PROPERTY);
        out.printf("%nselected: %s (%s)%s%n", selected.engine().name(), selected.reason(),
                forced == null ? "" : "; forced by -D" + Engines.ENGINE_PROPERTY + "=" + forced);
        out.println("choose one with --engine NAME (expo1d) or -D" + Engines.ENGINE_PROPERTY
                + "=NAME; auto takes the available engine with the highest priority (negative: only by name)");
        out.flush();
        return 0;
    }
}
