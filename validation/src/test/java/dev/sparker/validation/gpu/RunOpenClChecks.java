package dev.sparker.validation.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the OpenCL tests (the engine's own, the engine contract over every engine, and the end-to-end check) through the JUnit launcher, for a machine
 * that has a Java runtime and the built classes but no Maven (the GPU host; see sparker-gpu/device). Prints
 * the summary and the cross-check reports; throws when a test failed or was skipped, so the exit code is not 0.
 */
public final class RunOpenClChecks {
    private RunOpenClChecks() {
    }

    public static void main(String[] args) throws IOException {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass("dev.sparker.gpu.OpenClEngineTest"), selectClass("dev.sparker.validation.EngineContractTest"),
                        selectClass(OpenClEndToEndTest.class), selectClass(OpenClHessianCrossCheckTest.class),
                        selectClass(OpenClResidentTrainingTest.class))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 30);
        for (String f : List.of("engine-contract.txt", "opencl-end-to-end.txt", "opencl-resident-training.txt")) {
            Path p = Path.of("target", f);
            if (Files.exists(p)) {
                out.println("== " + p);
                out.println(Files.readString(p));
            }
        }
        if (summary.getTotalFailureCount() > 0 || summary.getTestsSkippedCount() > 0
                || summary.getTestsAbortedCount() > 0 || summary.getTestsSucceededCount() == 0) {
            throw new IllegalStateException("OpenCL checks did not all pass: " + summary.getTestsSucceededCount()
                    + " passed, " + summary.getTotalFailureCount() + " failed, " + summary.getTestsAbortedCount()
                    + " aborted (skipped by assumption), " + summary.getTestsSkippedCount() + " skipped");
        }
    }
}
