package dev.sparker.gpu.tools;

import dev.sparker.gpu.OpenClDeviceInfo;
import dev.sparker.gpu.OpenClEngine;

/** Prints the OpenCL devices the engine sees, the one it would use, and why none when there are none. */
public final class ListOpenClDevices {
    private ListOpenClDevices() {
    }

    public static void main(String[] args) {
        OpenClEngine.discoveryFailure().ifPresent(f -> System.out.println("no OpenCL devices: " + f));
        for (OpenClDeviceInfo d : OpenClEngine.devices()) {
            System.out.println(d.describe() + ", max alloc " + d.maxAllocBytes() + " B, local " + d.localMemBytes()
                    + " B, max work-group " + d.maxWorkGroup());
        }
        OpenClEngine engine = new OpenClEngine();
        System.out.println("engine " + engine + ": " + engine.availability() + ", auto-select priority "
                + engine.autoSelectPriority());
    }
}
