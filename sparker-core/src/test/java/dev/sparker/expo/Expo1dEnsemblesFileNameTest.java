package dev.sparker.expo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Expo1dEnsembles#parseFileName} is the inverse of {@link Expo1dEnsembles#fileName}. */
class Expo1dEnsemblesFileNameTest {

    @Test
    void everyNameWrittenReadsBackToItsParts() {
        for (String prefix : new String[] {"", "falkon-", "other-"}) {
            for (Expo1dSignal s : Expo1dSignal.values()) {
                for (int m : new int[] {1, 10, 1000}) {
                    String name = Expo1dEnsembles.fileName(prefix, s, m, "0a1b2c3d4e5f6789");
                    Optional<Expo1dEnsembles.EnsembleFile> parsed = Expo1dEnsembles.parseFileName(name);
                    assertTrue(parsed.isPresent(), name);
                    assertEquals(new Expo1dEnsembles.EnsembleFile(prefix, s, m, "0a1b2c3d4e5f6789"), parsed.get(), name);
                    assertEquals(s == Expo1dSignal.NONE, parsed.get().isNull(), name);
                }
            }
        }
    }

    @Test
    void otherFilesAreNotEnsembles() {
        for (String name : new String[] {"result.json", "result-falkon.json", "null-chi2.png", "null-M10-abc.json",
                "signal-nosuch-M10-0a1b.jsonl", "signal-none-M10-0a1b.jsonl", "signal-tail-Mx-0a1b.jsonl",
                "null-M10-XYZ.jsonl", "signal--M10-0a1b.jsonl"}) {
            assertTrue(Expo1dEnsembles.parseFileName(name).isEmpty(), name);
        }
    }
}
