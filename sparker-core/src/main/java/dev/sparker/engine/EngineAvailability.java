package dev.sparker.engine;

/** Whether an engine can run on this machine; when it cannot, the reason and the fix. */
public record EngineAvailability(boolean available, String reason) {

    public static EngineAvailability yes(String detail) {
        return new EngineAvailability(true, detail);
    }

    public static EngineAvailability no(String reason) {
        return new EngineAvailability(false, reason);
    }
}
