package dev.sparker.calibration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sparker.engine.EngineSettings;
import dev.sparker.train.TrainingConfig;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stable hash of a configuration: the first 16 hex digits of the SHA-256 of its JSON written with sorted
 * properties and sorted map keys, so that field order never changes the hash.
 */
public final class ConfigHash {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ConfigHash() {
    }

    /**
     * {@return the canonical JSON that {@link #of(Object)} hashes: properties and map keys sorted}
     *
     * @param config a configuration record
     * @throws java.io.UncheckedIOException when the value cannot be written as JSON
     */
    public static String canonicalJson(Object config) {
        try {
            return CANONICAL.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + config.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * The ensemble key of a SparKer training: the configuration's properties plus {@code engine} (the
     * engine's name), {@code precision} and {@code threads} (threads per evaluation). This is exactly the
     * JSON that {@link TrainingConfig} wrote while it still held those three, so ensemble files hashed then
     * (for example those under {@code docs/study}) still resume.
     *
     * @param config     the training configuration
     * @param engineName the name of the engine the toys train on ({@code Engine.name()}, never "auto")
     * @param settings   precision and threads per evaluation
     * @return the key, in declaration order, ready for {@link #of(Object)}
     * @throws IllegalArgumentException when an argument is null
     */
    public static Map<String, Object> trainingKey(TrainingConfig config, String engineName, EngineSettings settings) {
        if (config == null || engineName == null || settings == null) {
            throw new IllegalArgumentException("configuration, engine name and settings must not be null");
        }
        // declaration order (not sorted) so that a result file that prints the key reads as before
        Map<String, Object> key = new LinkedHashMap<>(IN_ORDER.convertValue(config, MAP));
        key.put("engine", engineName);
        key.put("precision", settings.precision());
        key.put("threads", settings.threads());
        return key;
    }

    private static final ObjectMapper IN_ORDER = new ObjectMapper();
    private static final com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    /**
     * {@return the first 16 hex digits of the SHA-256 of the canonical JSON of {@code config}}
     *
     * @param config a configuration record (or a list of them)
     * @throws IllegalArgumentException when the configuration is null
     */
    public static String of(Object config) {
        if (config == null) {
            throw new IllegalArgumentException("configuration must not be null");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
