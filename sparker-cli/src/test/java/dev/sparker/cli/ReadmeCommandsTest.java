package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs every {@code ./sparker ...} command shown in README.md's code blocks through the real command line
 * ({@link Main#commandLine()}), in README order, in one scratch folder (so the files one command writes are there for
 * the next). A command runs as written unless the README carries a marker
 * {@code <!-- small-settings: COMMAND --flag value ... -->}: then those options replace the command's own values or are
 * added, so the test runs the same command with small settings. Relative paths of file options resolve in the
 * scratch folder.
 */
class ReadmeCommandsTest {

    private static final Pattern MARKER = Pattern.compile("<!--\\s*small-settings:\\s*(\\S+)\\s+(.*?)\\s*-->");

    /** The commands as the README shows them, each as its argument list (after {@code ./sparker}). */
    static List<List<String>> readmeCommands(MarkdownDoc readme) {
        List<List<String>> commands = new ArrayList<>();
        for (MarkdownDoc.CodeBlock block : readme.codeBlocks()) {
            if (!block.info().isEmpty() && !block.info().equals("bash") && !block.info().equals("sh")) {
                continue;
            }
            StringBuilder current = null;
            for (String raw : block.lines()) {
                String line = raw.strip();
                if (current == null && !line.startsWith("./sparker")) {
                    continue;
                }
                if (current == null) {
                    current = new StringBuilder();
                }
                boolean continued = line.endsWith("\\");
                current.append(' ').append(continued ? line.substring(0, line.length() - 1) : line);
                if (!continued) {
                    commands.add(tokens(current.toString()));
                    current = null;
                }
            }
        }
        return commands;
    }

    private static List<String> tokens(String command) {
        List<String> out = new ArrayList<>();
        for (String t : command.strip().split("\\s+")) {
            if (t.startsWith("#")) {
                break; // a shell comment
            }
            out.add(t);
        }
        assertEquals("./sparker", out.get(0));
        return out.subList(1, out.size());
    }

    static Map<String, List<String>> markers(MarkdownDoc readme) {
        Map<String, List<String>> markers = new LinkedHashMap<>();
        for (String line : readme.lines()) {
            Matcher m = MARKER.matcher(line);
            while (m.find()) {
                markers.put(m.group(1), Arrays.asList(m.group(2).split("\\s+")));
            }
        }
        return markers;
    }

    /** The command with the marker's options set and relative file options resolved in {@code dir}. */
    static List<String> smallSettings(List<String> args, List<String> overrides, Path dir) {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            return args;
        }
        CommandSpec spec = Main.commandLine().getSubcommands().get(args.get(0)).getCommandSpec();
        List<String> out = new ArrayList<>();
        out.add(args.get(0));
        for (String a : args.subList(1, args.size())) {
            int eq = a.indexOf('=');
            if (a.startsWith("-") && eq > 0) {
                out.add(a.substring(0, eq));
                out.add(a.substring(eq + 1));
            } else {
                out.add(a);
            }
        }
        for (int i = 0; i < overrides.size(); i++) {
            OptionSpec o = spec.findOption(overrides.get(i));
            assertNotNull(o, "small-settings marker names an option " + args.get(0) + " lacks: " + overrides.get(i));
            int at = indexOf(out, o, spec);
            if (o.arity().max() == 0) {
                if (at < 0) {
                    out.add(o.longestName());
                }
            } else {
                String value = overrides.get(++i);
                if (at < 0) {
                    out.add(o.longestName());
                    out.add(value);
                } else {
                    out.set(at + 1, value);
                }
            }
        }
        boolean pathPositionals = spec.positionalParameters().stream().anyMatch(ReadmeCommandsTest::holdsPaths);
        for (int i = 1; i < out.size(); i++) {
            String a = out.get(i);
            if (a.startsWith("-")) {
                OptionSpec o = spec.findOption(a);
                if (o != null && o.arity().max() > 0) {
                    i++; // its value
                }
            } else if (pathPositionals) {
                out.set(i, dir.resolve(a).toString());
            }
        }
        for (OptionSpec o : spec.options()) {
            if (!holdsPaths(o)) {
                continue;
            }
            int at = indexOf(out, o, spec);
            if (at >= 0) {
                out.set(at + 1, dir.resolve(out.get(at + 1)).toString());
            } else if (o.defaultValue() != null) {
                out.add(o.longestName());
                out.add(dir.resolve(o.defaultValue()).toString());
            }
        }
        return out;
    }

    private static boolean holdsPaths(picocli.CommandLine.Model.ArgSpec arg) {
        return arg.type() == Path.class || (java.util.Collection.class.isAssignableFrom(arg.type())
                && arg.auxiliaryTypes().length > 0 && arg.auxiliaryTypes()[0] == Path.class);
    }

    private static int indexOf(List<String> args, OptionSpec o, CommandSpec spec) {
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).startsWith("-") && spec.findOption(args.get(i)) == o) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyReadmeCommandRunsWithSmallSettings(@TempDir Path dir) throws IOException {
        MarkdownDoc readme = MarkdownDoc.read(DocsLinksTest.ROOT.resolve("README.md"));
        List<List<String>> commands = readmeCommands(readme);
        Map<String, List<String>> markers = markers(readme);
        TreeSet<String> shown = new TreeSet<>();
        for (List<String> command : commands) {
            if (!command.isEmpty()) {
                shown.add(command.get(0));
            }
        }
        TreeSet<String> all = new TreeSet<>(Main.commandLine().getSubcommands().keySet());
        all.remove("help");
        assertTrue(shown.containsAll(all), "the README shows an example of every command; missing: "
                + all.stream().filter(c -> !shown.contains(c)).toList());
        assertTrue(shown.containsAll(markers.keySet()), "small-settings markers for commands the README does not show: "
                + markers.keySet());
        for (List<String> command : commands) {
            List<String> args = smallSettings(command, command.isEmpty() ? List.of()
                    : markers.getOrDefault(command.get(0), List.of()), dir);
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.code(), "README command ./sparker " + String.join(" ", command) + "\nran as: "
                    + String.join(" ", args) + "\nstderr: " + run.err());
            assertTrue(!run.out().isBlank(), "README command printed nothing: " + String.join(" ", command));
        }
    }

    @Test
    void smallSettingsReplaceValuesAndResolvePaths(@TempDir Path dir) {
        List<String> args = smallSettings(List.of("compare", "-M", "10,50,1000", "--signal=all", "--toys", "50"),
                List.of("--kernels", "3", "--toys", "2", "--no-plots", "--null-toys", "4"), dir);
        assertEquals(List.of("compare", "-M", "3", "--signal", "all", "--toys", "2", "--no-plots", "--null-toys", "4",
                "--out", dir.resolve("out/compare").toString()), args);
        List<String> test = smallSettings(List.of("test", "--reference", "gw12d/reference.npy", "--data", "/abs/d.npy"),
                List.of(), dir);
        assertEquals(dir.resolve("gw12d/reference.npy").toString(), test.get(2));
        assertEquals("/abs/d.npy", test.get(4));
        List<String> merge = smallSettings(List.of("merge", "--out", "out/merged", "out/shard-1", "out/shard-2"),
                List.of(), dir);
        assertEquals(List.of("merge", "--out", dir.resolve("out/merged").toString(), dir.resolve("out/shard-1").toString(),
                dir.resolve("out/shard-2").toString()), merge);
    }

    @Test
    void readmeCommandsAreFoundAcrossContinuationLines() {
        MarkdownDoc doc = MarkdownDoc.of(Path.of("x.md"), """
                ```
                ./sparker test --reference a.npy \\
                    --data b.npy   # a comment
                output line
                ```
                ```java
                ./sparker not-a-shell-block
                ```
                """);
        assertEquals(List.of(List.of("test", "--reference", "a.npy", "--data", "b.npy")), readmeCommands(doc));
    }
}
