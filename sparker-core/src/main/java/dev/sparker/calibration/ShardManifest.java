package dev.sparker.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparker.output.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one shard of a sharded run wrote, kept beside its files as {@code shard-K-of-N.json}: the shard, the
 * ensembles it ran a part of, and the command that defines them (so that the merged ensembles can be
 * analysed by running that command again over them). {@link ShardMerge} reads these.
 *
 * @param command   the program's name for the workflow (for the command line: {@code expo1d}, {@code compare},
 *                  {@code test}); free text for the library
 * @param arguments what to pass to that workflow again to analyse the merged ensembles (for the command
 *                  line: its arguments without {@code --shard} and {@code --out}); may be empty
 * @param shard     the shard this manifest belongs to
 * @param ensembles the ensembles the shard ran part of, in the order they ran
 */
public record ShardManifest(String command, List<String> arguments, Shard shard, List<Ensemble> ensembles) {

    /** Manifest file names: {@code shard-K-of-N.json}. */
    public static final Pattern FILE_NAME = Pattern.compile("shard-(\\d+)-of-(\\d+)\\.json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Checks the manifest; null lists become empty.
     *
     * @throws IllegalArgumentException no command or no shard
     */
    public ShardManifest {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("a shard manifest needs the command that defines its ensembles");
        }
        if (shard == null) {
            throw new IllegalArgumentException("a shard manifest needs its shard");
        }
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        ensembles = ensembles == null ? List.of() : List.copyOf(ensembles);
    }

    /**
     * One ensemble of the run.
     *
     * @param file       the whole ensemble's file name (the shard's file is {@link Shard#fileFor} of it),
     *                   relative to the manifest's folder
     * @param configHash the ensemble's {@link ConfigHash}
     * @param masterSeed its master seed (toy i has seed {@code ToySeeds.seed(masterSeed, i)})
     * @param toys       how many toys the whole ensemble has
     */
    public record Ensemble(String file, String configHash, long masterSeed, int toys) {
        /**
         * Checks the entry.
         *
         * @throws IllegalArgumentException a file name with a folder in it, no hash, or fewer than one toy
         */
        public Ensemble {
            if (file == null || file.isBlank() || file.contains("/") || file.contains("\\")) {
                throw new IllegalArgumentException("ensemble file '" + file + "': a plain file name is needed");
            }
            if (configHash == null || configHash.isBlank()) {
                throw new IllegalArgumentException("ensemble " + file + ": a configuration hash is needed");
            }
            if (toys < 1) {
                throw new IllegalArgumentException("ensemble " + file + ": toys = " + toys + "; at least 1");
            }
        }

        /**
         * {@return the entry of an ensemble as it was built (its output's file name, hash, master seed and size)}
         *
         * @param e         the ensemble
         * @param wholeFile the whole ensemble's file (its name is kept)
         */
        public static Ensemble of(ToyEnsemble e, Path wholeFile) {
            return new Ensemble(wholeFile.getFileName().toString(), e.configHash(), e.masterSeed(), e.toys());
        }
    }

    /** {@return the manifest's file name, {@code shard-K-of-N.json}} */
    public String fileName() {
        return shard.tag() + ".json";
    }

    /**
     * Writes this manifest to {@code folder/shard-K-of-N.json}, replacing it atomically.
     *
     * @param folder the shard's output folder (created if missing)
     * @return the manifest's path
     * @throws IOException the folder or file cannot be written
     */
    public Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(fileName());
        AtomicFiles.writeString(file, JSON.writeValueAsString(this));
        return file;
    }

    /**
     * Reads a manifest.
     *
     * @param file a {@code shard-K-of-N.json}
     * @return the manifest
     * @throws IOException naming the file when it cannot be read or is not a manifest
     */
    public static ShardManifest read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), ShardManifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a shard manifest: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid shard manifest: " + e.getMessage(), e);
        }
    }

    /**
     * {@return the manifest files ({@code shard-K-of-N.json}) in {@code folder}, sorted by name; empty when none}
     *
     * @param folder a shard's output folder
     * @throws IOException the folder cannot be listed
     */
    public static List<Path> findIn(Path folder) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                if (FILE_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        }
        found.sort(null);
        return found;
    }
}
