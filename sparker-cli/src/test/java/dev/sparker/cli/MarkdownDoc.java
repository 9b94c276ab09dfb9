package dev.sparker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown page read the way the docs checks need it: headings (with GitHub's anchors), links outside code, and
 * fenced code blocks. Plain line scanning; the pages are written by us and use only fenced blocks, ATX headings and
 * inline links.
 */
record MarkdownDoc(Path file, List<String> lines) {

    /** A link as written: the line it is on (1-based), its target, and whether it is an image. */
    record Link(int line, String target, boolean image) {
    }

    /** A fenced code block: the line of its opening fence (1-based), its info string, and its lines. */
    record CodeBlock(int line, String info, List<String> lines) {
    }

    private static final Pattern LINK = Pattern.compile("(!?)\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    static MarkdownDoc read(Path file) throws IOException {
        return new MarkdownDoc(file, Files.readAllLines(file));
    }

    static MarkdownDoc of(Path file, String text) {
        return new MarkdownDoc(file, text.lines().toList());
    }

    /** Every line outside fenced code blocks, with its 1-based number (null for lines inside a block). */
    private List<String> prose() {
        List<String> out = new ArrayList<>();
        boolean inFence = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                out.add(null);
            } else {
                out.add(inFence ? null : line);
            }
        }
        return out;
    }

    /** The headings' texts, in order. */
    List<String> headings() {
        List<String> out = new ArrayList<>();
        for (String line : prose()) {
            if (line != null) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    out.add(m.group(2));
                }
            }
        }
        return out;
    }

    /** GitHub's anchors of every heading, duplicates numbered "-1", "-2", ... as GitHub does. */
    Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String h : headings()) {
            String a = anchor(h);
            int n = seen.merge(a, 1, Integer::sum) - 1;
            out.add(n == 0 ? a : a + "-" + n);
        }
        return out;
    }

    /**
     * GitHub's heading anchor: inline links reduced to their text, lower case, every character that is not a letter,
     * digit, space, '-' or '_' dropped, spaces turned into '-'.
     */
    static String anchor(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").strip().toLowerCase(Locale.ROOT);
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                a.append(c);
            } else if (c == ' ') {
                a.append('-');
            }
        }
        return a.toString();
    }

    /** Links and images outside code blocks and inline code spans. */
    List<Link> links() {
        List<Link> out = new ArrayList<>();
        List<String> prose = prose();
        for (int i = 0; i < prose.size(); i++) {
            String line = prose.get(i);
            if (line == null) {
                continue;
            }
            String noCode = line.replaceAll("`[^`]*`", "``");
            Matcher m = LINK.matcher(noCode);
            while (m.find()) {
                out.add(new Link(i + 1, m.group(2), !m.group(1).isEmpty()));
            }
        }
        return out;
    }

    /** The fenced code blocks, in order. */
    List<CodeBlock> codeBlocks() {
        List<CodeBlock> out = new ArrayList<>();
        List<String> body = null;
        String info = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                if (body == null) {
                    body = new ArrayList<>();
                    info = line.strip().substring(3).strip();
                    start = i + 1;
                } else {
                    out.add(new CodeBlock(start, info, body));
                    body = null;
                }
            } else if (body != null) {
                body.add(line);
            }
        }
        return out;
    }
}
