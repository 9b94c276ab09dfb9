package dev.sparker.engine;

/**
 * Whether an engine can run on this machine; when it cannot, the reason and the fix.
 *
 * @param available whether the engine can run here
 * @param reason    what it runs on, or why it cannot run and the fix
 */
public record EngineAvailability(boolean available, String reason) {

    /**
     * {@return an available engine}
     *
     * @param detail what it runs on
     */
    public static EngineAvailability yes(String detail) {
        return new EngineAvailability(true, detail);
    }

    /**
     * {@return an unavailable engine}
     *
     * @param reason why, and the fix
     */
    public static EngineAvailability no(String reason) {
        return new EngineAvailability(false, reason);
    }
}
