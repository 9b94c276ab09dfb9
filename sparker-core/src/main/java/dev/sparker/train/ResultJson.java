package dev.sparker.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparker.output.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** JSON for results and configurations (Jackson). The mapper is configured once and shared; it is thread-safe. */
public final class ResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    /**
     * {@return the shared mapper, for callers that embed results in larger documents}
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * {@return {@code value} as pretty-printed JSON (a {@link TestResult}: t, model, configuration, history)}
     *
     * @param value a result, configuration or other record of this library
     * @throws java.io.UncheckedIOException when the value cannot be written
     */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Writes {@code value} as {@link #toJson} to {@code file}, replacing it atomically through a temporary file of
     * this call's own in the same folder (so that processes writing the same file at once, such as shards sharing a
     * folder, never publish half of one), and removes the temporary file whatever happens.
     *
     * @param file  the file to write; its folder must exist
     * @param value a result, configuration or other record of this library
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toJson(value));
    }

    /**
     * {@return the value read from JSON written by {@link #toJson}}
     *
     * @param json the JSON text
     * @param type the class to read
     * @param <T>  the type to read
     * @throws java.io.UncheckedIOException when the JSON cannot be read as {@code type}
     */
    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from JSON", e);
        }
    }
}
