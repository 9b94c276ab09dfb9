package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line built from parts: an option name means one thing in every command (it comes from one mixin or
 * group class), progress reaches picocli's error writer, and named choices are case-insensitive with their
 * candidates in the error.
 */
class OptionPartsTest {
    @TempDir
    Path dir;

    /**
     * Options declared by each command itself although another command has the same name: the same meaning with a
     * per-command type or default (test takes one optional M with the preset's default, compare a list of M; the toy
     * counts' and signals' defaults are each command's quick look).
     */
    private static final Set<String> PER_COMMAND = Set.of("--kernels", "--toys", "--null-toys", "--signal");

    /** The commands that train: their shared options must come from one part each. */
    private static final Set<String> TRAINING_COMMANDS = Set.of("test", "expo1d", "compare");

    /**
     * Options of the utility commands (merge, gw12d-standin, paper-summary) named like a training command's, with why:
     * the same meaning with the utility's own default. (gw12d-standin's count of signal events is --signal-events, not
     * --signal, which names a signal shape everywhere else.)
     */
    private static final Map<String, String> UTILITY_SAME_NAMES = Map.of(
            "--out", "output folder (merge requires it; gw12d-standin writes its sample files there; paper-summary: docs/paper)",
            "--no-plots", "skip the PNG plots (paper-summary: its figures)",
            "--ideal-toys", "toys per hypothesis of the ideal test (paper-summary: default 20000)",
            "--seed", "seed of every random draw (gw12d-standin: default 12; paper-summary: the ideal test's)",
            "--reference-size", "N_R reference events (gw12d-standin: default 24020, as the paper's GWAK reference)");

    /** Where each option of the given commands is declared: name -> command -> declaring class. */
    private static Map<String, Map<String, Class<?>>> declarations(java.util.function.Predicate<String> commands) {
        Map<String, Map<String, Class<?>>> byName = new TreeMap<>();
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            if (!sub.getCommand().getClass().getPackageName().equals(Main.class.getPackageName())
                    || !commands.test(sub.getCommandName())) {
                continue; // picocli's help command, or not asked for
            }
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp() || o.hidden() || o.longestName().equals("--verbose")) {
                    continue;
                }
                Class<?> declaring = o.userObject() instanceof Field f ? f.getDeclaringClass()
                        : o.userObject() instanceof java.lang.reflect.Method m ? m.getDeclaringClass() : Object.class;
                byName.computeIfAbsent(o.longestName(), k -> new TreeMap<>()).put(sub.getCommandName(), declaring);
            }
        }
        return byName;
    }

    @Test
    void sharedOptionNamesComeFromOneMixinOrGroup() {
        Map<String, Map<String, Class<?>>> byName = declarations(TRAINING_COMMANDS::contains);
        List<String> shared = new ArrayList<>();
        for (Map.Entry<String, Map<String, Class<?>>> e : byName.entrySet()) {
            if (e.getValue().size() < 2 || PER_COMMAND.contains(e.getKey())) {
                continue;
            }
            Set<Class<?>> classes = Set.copyOf(e.getValue().values());
            assertEquals(1, classes.size(), e.getKey() + " is declared in several places: " + e.getValue());
            Class<?> c = classes.iterator().next();
            assertFalse(c.isAnnotationPresent(CommandLine.Command.class),
                    e.getKey() + " is shared but declared by the command " + c.getSimpleName());
            shared.add(e.getKey());
        }
        // the parts the issue names: engine and precision; seed, output, plots; schedule; threads; Falkon's group
        assertTrue(shared.containsAll(List.of("--engine", "--precision", "--seed", "--out", "--no-plots", "--epochs", "--steps",
                "--lr", "--schedule", "--tolerance", "--threads", "--shard", "--lambda", "--newton-steps", "--batch",
                "--reference-size")), "shared: " + shared);
        assertEquals(Map.of("expo1d", FalkonOptions.class, "compare", FalkonOptions.class), byName.get("--lambda"));
        assertEquals(Map.of("test", TestCommand.class), byName.get("--event-threads"));
        Map<String, Map<String, Class<?>>> utilities = declarations(c -> !TRAINING_COMMANDS.contains(c));
        for (String name : utilities.keySet()) {
            if (byName.containsKey(name)) {
                assertTrue(UTILITY_SAME_NAMES.containsKey(name), name + " in " + utilities.get(name)
                        + " is also an option of the training commands; give it one meaning");
            }
        }
    }

    @Test
    void threadsMeansToysAtOnceEverywhere() {
        CommandLine cl = Main.commandLine();
        for (String command : List.of("test", "expo1d", "compare")) {
            OptionSpec threads = cl.getSubcommands().get(command).getCommandSpec().findOption("--threads");
            assertEquals("toys trained at once, one thread each (default: available processors)",
                    String.join(" ", threads.description()), command);
        }
    }

    @Test
    void testWithThreadsButNoToysSaysWhereEventThreadsWent() throws IOException {
        Path ref = dir.resolve("r.csv");
        Path data = dir.resolve("d.csv");
        StringBuilder r = new StringBuilder("a\n");
        StringBuilder d = new StringBuilder("a\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            r.append(rng.nextGaussian()).append('\n');
            if (i < 60) d.append(rng.nextGaussian()).append('\n');
        }
        Files.writeString(ref, r);
        Files.writeString(data, d);
        CliRun run = CliRun.of("test", "--reference", ref.toString(), "--data", data.toString(), "--kernels", "2",
                "--epochs", "3", "--steps", "2", "--engine", "scalar", "--threads", "2", "--no-plots",
                "--out", dir.resolve("o").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("--event-threads N"), run.err());
        // the epoch bar goes through picocli's error writer, so a caller of the command line sees it
        assertTrue(run.err().contains("3/3 epochs 100%"), run.err());
        CliRun quiet = CliRun.of("test", "--reference", ref.toString(), "--data", data.toString(), "--kernels", "2",
                "--epochs", "3", "--steps", "2", "--engine", "scalar", "--event-threads", "2", "--no-plots",
                "--out", dir.resolve("o2").toString());
        assertEquals(0, quiet.code(), quiet.err());
        assertFalse(quiet.err().contains("--event-threads N"), quiet.err());
        assertEquals(2, CliRun.of("test", "--reference", ref.toString(), "--data", data.toString(), "--event-threads", "0")
                .code());
    }

    @Test
    void toyProgressGoesThroughPicocliWriters() {
        CliRun r = CliRun.of("expo1d", "--toys", "2", "--null-toys", "3", "--kernels", "2", "--reference-size", "300",
                "--epochs", "2", "--steps", "3", "--engine", "scalar", "--threads", "2", "--ideal-toys", "10",
                "--no-plots", "--out", dir.resolve("e").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("5/5 toys 100%"), r.err());
        assertTrue(r.err().startsWith("engine: scalar"), r.err());
        assertFalse(r.out().contains("toys 100%"), "progress is not on stdout: " + r.out());
    }

    @Test
    void namedChoicesIgnoreCaseAndListTheCandidates() {
        CommandLine cl = Main.commandLine();
        CommandLine.ParseResult p = cl.parseArgs("expo1d", "--model", "FALKON", "--signal", "Extreme-Tail,ALL",
                "--precision", "float");
        ExpoView e = new ExpoView(p.subcommand().commandSpec().userObject());
        assertEquals(CliChoices.Model.FALKON, e.get("model"));
        assertEquals(List.of(CliChoices.SignalName.EXTREME_TAIL, CliChoices.SignalName.ALL), e.get("signals"));
        CliRun bad = CliRun.of("compare", "--models", "sparker,foo");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown model 'foo'; use sparker or falkon"), bad.err());
        CliRun badPreset = CliRun.of("test", "--reference", "r", "--data", "d", "--preset", "gw-13d");
        assertEquals(2, badPreset.code());
        assertTrue(badPreset.err().contains("use gw-12d or expo-1d"), badPreset.err());
    }

    /** Reads a parsed command's fields by name (the commands' fields are package-private). */
    private record ExpoView(Object command) {
        Object get(String field) {
            try {
                Field f = command.getClass().getDeclaredField(field);
                return f.get(command);
            } catch (ReflectiveOperationException ex) {
                throw new AssertionError(ex);
            }
        }
    }
}
