package dev.sparker.engine.vector;

import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.Engines;

/** Run in a child JVM by {@link VectorEngineGuardsTest}: prints the vector engine's availability and the automatic pick. */
public final class VectorGuardProbe {
    private VectorGuardProbe() {
    }

    public static void main(String[] args) {
        EngineAvailability av = new VectorEngine().availability();
        System.out.println("available=" + av.available());
        System.out.println("reason=" + av.reason());
        System.out.println("auto=" + Engines.select(Engines.AUTO).engine().name());
    }
}
