package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md and in the user guide (docs/**.md) points to a file that exists and, when it names
 * a heading ({@code page.md#anchor}), to a heading that exists; every guide page is reachable from the README; the
 * README has no duplicate headings and stays short.
 */
class DocsLinksTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Broken links of one page, one line each: "file:line: target (why)". */
    static List<String> brokenLinks(MarkdownDoc doc, Map<Path, Set<String>> anchorCache) throws IOException {
        List<String> broken = new ArrayList<>();
        for (MarkdownDoc.Link link : doc.links()) {
            String target = link.target();
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue; // http:, https:, mailto: ... are not checked (no network here)
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? doc.file()
                    : doc.file().getParent().resolve(URLDecoder.decode(file, StandardCharsets.UTF_8)).normalize();
            String where = ROOT.relativize(doc.file()) + ":" + link.line() + ": " + target;
            if (file.isEmpty()) {
                if (!doc.anchors().contains(anchor)) {
                    broken.add(where + " (no heading with anchor #" + anchor + " on this page)");
                }
            } else if (!Files.exists(resolved)) {
                broken.add(where + " (no such file: " + ROOT.relativize(resolved) + ")");
            } else if (anchor != null) {
                if (!resolved.toString().endsWith(".md")) {
                    broken.add(where + " (an anchor into a file that is not Markdown)");
                } else {
                    Set<String> anchors = anchorCache.computeIfAbsent(resolved, p -> {
                        try {
                            return MarkdownDoc.read(p).anchors();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    if (!anchors.contains(anchor)) {
                        broken.add(where + " (no heading with anchor #" + anchor + " in " + ROOT.relativize(resolved) + ")");
                    }
                }
            }
        }
        return broken;
    }

    @Test
    void everyLinkInTheReadmeAndTheGuideResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> cache = new HashMap<>();
        int links = 0;
        for (Path page : pages()) {
            MarkdownDoc doc = MarkdownDoc.read(page);
            links += doc.links().size();
            broken.addAll(brokenLinks(doc, cache));
        }
        assertTrue(links > 30, "the README and the guide link to each other; found only " + links + " links");
        assertEquals(List.of(), broken, "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void everyGuidePageIsReachableFromTheReadme() throws IOException {
        // breadth-first over Markdown links from README.md
        List<Path> queue = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        java.util.Set<Path> seen = new java.util.HashSet<>(queue);
        for (int i = 0; i < queue.size(); i++) {
            MarkdownDoc doc = MarkdownDoc.read(queue.get(i));
            for (MarkdownDoc.Link link : doc.links()) {
                String t = link.target();
                if (t.contains(":") || t.startsWith("#")) {
                    continue;
                }
                String file = t.contains("#") ? t.substring(0, t.indexOf('#')) : t;
                Path p = doc.file().getParent().resolve(file).normalize();
                if (p.toString().endsWith(".md") && Files.exists(p) && seen.add(p)) {
                    queue.add(p);
                }
            }
        }
        List<String> unreachable = new ArrayList<>();
        try (Stream<Path> s = Files.list(ROOT.resolve("docs/guide"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted()
                    .filter(p -> !seen.contains(p.normalize()))
                    .forEach(p -> unreachable.add(ROOT.relativize(p).toString()));
        }
        assertEquals(List.of(), unreachable, "guide pages no link chain from README.md reaches");
    }

    @Test
    void readmeIsShortWithoutDuplicateHeadings() throws IOException {
        MarkdownDoc readme = MarkdownDoc.read(ROOT.resolve("README.md"));
        assertTrue(readme.lines().size() <= 210, "README.md has " + readme.lines().size() + " lines; keep it near 200");
        List<String> headings = readme.headings();
        assertEquals(headings.size(), Set.copyOf(headings).size(), "duplicate headings in README.md: " + headings);
    }

    /** The checker itself: it must find what is broken, or the tests above prove nothing. */
    @Test
    void theCheckerFindsMissingFilesAndAnchors(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.md"), "# B page\n\n## Your own data: `./sparker test`\n\n## Same\n\n## Same\n");
        String a = """
                # A
                [ok](b.md) [ok anchor](b.md#your-own-data-sparker-test) [second same](b.md#same-1)
                [missing file](c.md) [missing anchor](b.md#nope) ![img](pic.png) [web](https://example.org/x)
                `[in code](nothere.md)` [self](#a) [self missing](#b)
                ```
                [in a block](nothere.md)
                ```
                """;
        MarkdownDoc doc = MarkdownDoc.of(dir.resolve("a.md"), a);
        List<String> broken = brokenLinks(doc, new HashMap<>());
        assertEquals(4, broken.size(), String.join("\n", broken));
        assertTrue(broken.get(0).contains("c.md") && broken.get(0).contains("no such file"), broken.get(0));
        assertTrue(broken.get(1).contains("#nope") && broken.get(1).contains("no heading"), broken.get(1));
        assertTrue(broken.get(2).contains("pic.png"), broken.get(2));
        assertTrue(broken.get(3).contains("#b") && broken.get(3).contains("on this page"), broken.get(3));
        assertEquals("your-own-data-sparker-test", MarkdownDoc.anchor("Your own data: `./sparker test`"));
        assertEquals("engines-and-gpus-opencl", MarkdownDoc.anchor("Engines and GPUs (OpenCL)"));
        assertEquals("sparker-expo1d", CliReference.anchor("sparker expo1d"));
    }
}
