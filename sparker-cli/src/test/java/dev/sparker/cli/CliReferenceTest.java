package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The committed command-line reference is what picocli's model of the commands generates today. */
class CliReferenceTest {

    @Test
    void committedReferenceMatchesTheCommands() throws IOException {
        Path page = DocsLinksTest.ROOT.resolve(CliReference.PAGE);
        String generated = CliReference.markdown();
        if (!Files.exists(page)) {
            fail(CliReference.PAGE + " is missing; generate it with: " + CliReference.REGENERATE_COMMAND);
        }
        String committed = Files.readString(page);
        if (!committed.equals(generated)) {
            String[] a = committed.split("\n", -1);
            String[] b = generated.split("\n", -1);
            int i = 0;
            while (i < Math.min(a.length, b.length) && a[i].equals(b[i])) {
                i++;
            }
            fail(CliReference.PAGE + " is out of date with the commands' options (first difference at line " + (i + 1)
                    + ":\n  committed: " + (i < a.length ? a[i] : "<end>") + "\n  generated: " + (i < b.length ? b[i] : "<end>")
                    + ")\nregenerate it with: " + CliReference.REGENERATE_COMMAND);
        }
    }

    @Test
    void everyCommandAndOptionIsOnThePage() {
        String page = CliReference.markdown();
        CommandLine root = Main.commandLine();
        int options = 0;
        for (var e : root.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            assertTrue(page.contains("## sparker " + e.getKey() + "\n"), e.getKey());
            for (var o : e.getValue().getCommandSpec().options()) {
                if (o.hidden()) {
                    assertTrue(!page.contains("`" + o.longestName() + "`") && !page.contains("`" + o.longestName() + "="),
                            "a hidden option is not documented: " + e.getKey() + " " + o.longestName());
                    continue;
                }
                assertTrue(page.contains("`" + o.longestName()), e.getKey() + " " + o.longestName());
                options++;
            }
        }
        assertTrue(options > 40, "options seen: " + options);
    }
}
