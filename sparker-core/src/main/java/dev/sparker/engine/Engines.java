package dev.sparker.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds engines (through {@link ServiceLoader}, so modules such as {@code sparker-gpu} plug in by being on
 * the class path) and picks one: by name, or automatically the available engine with the highest priority.
 * The system property {@value #ENGINE_PROPERTY} forces a name for automatic selection.
 */
public final class Engines {
    /** System property that forces the engine picked by {@link #select(String)} for {@code "auto"}. */
    public static final String ENGINE_PROPERTY = "sparker.engine";
    /**
     * The engine name that asks for automatic selection.
     */
    public static final String AUTO = "auto";

    private static final Logger LOG = System.getLogger("dev.sparker.engine");
    /** Each distinct fallback is logged once per JVM, not once per training. */
    private static final java.util.Set<String> LOGGED_FALLBACKS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Engines() {
    }

    /**
     * {@return every engine on the class path, available or not, the scalar engine first}
     */
    public static List<Engine> all() {
        List<Engine> engines = new ArrayList<>();
        engines.add(new ScalarEngine());
        for (Engine e : ServiceLoader.load(Engine.class, Engines.class.getClassLoader())) {
            if (!e.name().equals(ScalarEngine.NAME)) {
                engines.add(e);
            }
        }
        return engines;
    }

    /**
     * {@return the engine named {@code name}, whether available or not}
     *
     * @param name the engine's name
     * @throws IllegalArgumentException when no engine has that name (the known names listed)
     */
    public static Engine byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Engine e : all()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no engine named '" + name + "'; known engines: "
                + all().stream().map(Engine::name).toList());
    }

    /**
     * The engine to use for {@code name}: {@code "auto"} (or null) picks the {@value #ENGINE_PROPERTY}
     * property's engine if set, else the best available one (chosen once per JVM; a fallback is logged
     * once). A named engine that is not available throws with the reason.
     *
     * @param name an engine name, or {@code "auto"}
     * @return the engine and why it was picked
     * @throws IllegalArgumentException when no engine has that name
     * @throws IllegalStateException    when the named engine is not available here (the reason named)
     */
    public static Selection select(String name) {
        String requested = name == null ? AUTO : name;
        String forced = System.getProperty(ENGINE_PROPERTY);
        if (requested.equalsIgnoreCase(AUTO) && forced != null && !forced.isBlank()) {
            requested = forced.trim();
        }
        if (!requested.equalsIgnoreCase(AUTO)) {
            Engine e = byName(requested);
            EngineAvailability av = e.availability();
            if (!av.available()) {
                throw new IllegalStateException("engine '" + e.name() + "' is not available: " + av.reason());
            }
            return new Selection(e, "asked for by name");
        }
        return AutoHolder.SELECTION;
    }

    /** Automatic selection, made once (and its fallback logged once) when first needed. */
    private static final class AutoHolder {
        static final Selection SELECTION = selectAutomatically();
    }

    private static Selection selectAutomatically() {
        Engine best = null;
        List<String> skipped = new ArrayList<>();
        for (Engine e : all().stream().sorted(Comparator.comparingInt(Engine::autoSelectPriority).reversed()).toList()) {
            if (e.autoSelectPriority() < 0) {
                continue;
            }
            EngineAvailability av = e.availability();
            if (av.available()) {
                best = e;
                break;
            }
            skipped.add(e.name() + " (" + av.reason() + ")");
        }
        if (best == null) {
            best = new ScalarEngine();
        }
        String why = skipped.isEmpty() ? "highest-priority available engine"
                : "fell back past " + String.join(", ", skipped);
        if (!skipped.isEmpty() && LOGGED_FALLBACKS.add(best.name() + why)) {
            LOG.log(Level.WARNING, "engine " + best.name() + " selected; " + why);
        }
        return new Selection(best, why);
    }

    /**
     * An engine and why it was picked.
     *
     * @param engine the engine picked
     * @param reason why, in words (recorded in results)
     */
    public record Selection(Engine engine, String reason) {
    }
}
