package dev.sparker.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

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
