package dev.sparker.gpu;

import dev.sparker.engine.Engines;

/**
 * Run in a child JVM by {@link OpenClUnavailableTest} with the ICD loader pointed at an empty vendor folder:
 * prints what the engine and the automatic selection say, one fact per line.
 */
public final class NoPlatformProbe {
    private NoPlatformProbe() {
    }

    public static void main(String[] args) {
        OpenClEngine engine = new OpenClEngine();
        System.out.println("available=" + engine.availability().available());
        System.out.println("reason=" + engine.availability().reason());
        System.out.println("priority=" + engine.autoSelectPriority());
        System.out.println("devices=" + OpenClEngine.devices().size());
        System.out.println("auto=" + Engines.select("auto").engine().name());
        try {
            Engines.select("opencl");
            System.out.println("byName=selected");
        } catch (IllegalStateException e) {
            System.out.println("byName=" + e.getMessage());
        }
    }
}
