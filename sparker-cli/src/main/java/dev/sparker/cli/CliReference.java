package dev.sparker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the command-line reference ({@code docs/guide/cli-reference.md}) from picocli's model of {@link Main}: every
 * command's synopsis, description and options, exactly as {@code --help} knows them, so the page cannot drift from
 * the tool. {@code CliReferenceTest} fails when the committed page differs from what this class generates.
 *
 * <p>Regenerate with {@value #REGENERATE_COMMAND} (run from the repository root).
 */
public final class CliReference {

    /** The one command that rewrites the committed page; the test names it when the page is stale. */
    public static final String REGENERATE_COMMAND = "bash docs/guide/regenerate-cli-reference.sh";

    /** Where the page lives, relative to the repository root. */
    public static final String PAGE = "docs/guide/cli-reference.md";

    private static final int SYNOPSIS_WIDTH = 100;

    private CliReference() {
    }

    /**
     * Writes the reference to the file named by the first argument, or to standard output with no argument.
     *
     * @param args optional output path
     * @throws IOException when the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        String page = markdown();
        if (args.length == 0) {
            System.out.print(page);
        } else {
            Files.writeString(Path.of(args[0]), page, StandardCharsets.UTF_8);
        }
    }

    /**
     * The whole page as Markdown, generated from a fresh {@link Main#commandLine()}.
     *
     * @return the page text, with Unix line ends and a final newline
     */
    public static String markdown() {
        CommandLine root = Main.commandLine();
        StringBuilder md = new StringBuilder();
        md.append("# Command-line reference\n\n");
        md.append("<!-- Generated from picocli's model of the commands by dev.sparker.cli.CliReference. Do not edit;\n")
                .append("     regenerate with: ").append(REGENERATE_COMMAND).append(" -->\n\n");
        md.append("`./sparker` (repository root) builds `sparker-cli` on first use and runs it with JDK 25. ")
                .append("Bad flags print one line on stderr and exit with code 2; a failure prints one line and exits ")
                .append("with code 1 (`SPARKER_DEBUG=1` adds the stack trace). `./sparker COMMAND --help` prints the ")
                .append("same text as this page. How the commands are used: [the user guide](index.md).\n\n");
        md.append("| command | what it does |\n| --- | --- |\n");
        for (Map.Entry<String, CommandLine> e : commands(root)) {
            md.append("| [`").append(e.getKey()).append("`](#").append(anchor("sparker " + e.getKey())).append(") | ")
                    .append(cell(firstSentence(text(e.getValue().getCommandSpec().usageMessage().description()))))
                    .append(" |\n");
        }
        for (Map.Entry<String, CommandLine> e : commands(root)) {
            md.append('\n');
            command(md, e.getValue().getCommandSpec());
        }
        return md.toString();
    }

    private static List<Map.Entry<String, CommandLine>> commands(CommandLine root) {
        List<Map.Entry<String, CommandLine>> list = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            if (!e.getValue().getCommandSpec().usageMessage().hidden() && !e.getKey().equals("help")) {
                list.add(e);
            }
        }
        return list;
    }

    private static void command(StringBuilder md, CommandSpec spec) {
        md.append("## sparker ").append(spec.name()).append("\n\n");
        md.append(text(spec.usageMessage().description())).append("\n\n");
        spec.usageMessage().width(SYNOPSIS_WIDTH);
        CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        md.append("```\n").append(help.synopsis(0).stripTrailing()).append("\n```\n\n");
        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            md.append("| parameter | meaning |\n| --- | --- |\n");
            for (PositionalParamSpec p : positionals) {
                md.append("| `").append(p.paramLabel()).append("` | ").append(cell(text(p.renderedDescription()))).append(" |\n");
            }
            md.append('\n');
        }
        md.append("| option | meaning |\n| --- | --- |\n");
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder names = new StringBuilder();
            List<String> sorted = new ArrayList<>(List.of(o.names()));
            sorted.sort(java.util.Comparator.comparingInt(String::length));
            for (String name : sorted) {
                if (!names.isEmpty()) {
                    names.append(", ");
                }
                names.append('`').append(name);
                if (o.arity().max() > 0 && name.equals(o.longestName())) {
                    names.append('=').append(o.paramLabel());
                }
                names.append('`');
            }
            if (o.required()) {
                names.append(" (required)");
            }
            md.append("| ").append(cell(names.toString())).append(" | ").append(cell(text(o.renderedDescription())))
                    .append(" |\n");
        }
    }

    /** Description lines joined into one paragraph (the annotations wrap them by hand). */
    private static String text(String[] lines) {
        return String.join(" ", lines).replace("%n", " ").replaceAll("\\s+", " ").strip();
    }

    private static String firstSentence(String text) {
        int dot = text.indexOf(". ");
        return dot < 0 ? text : text.substring(0, dot + 1);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    static String anchor(String heading) {
        StringBuilder a = new StringBuilder();
        for (char c : heading.strip().toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                a.append(c);
            } else if (c == ' ') {
                a.append('-');
            }
        }
        return a.toString();
    }
}
