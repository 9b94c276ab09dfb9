package dev.sparker.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineAvailability;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The engine contract, checked for every engine {@link Engines#all()} finds on the class path and every
 * precision it supports (EJML's way: find every variant, count what was checked, fail on one left out).
 *
 * <ul>
 *   <li>Agreement: on the 90 problems of {@link EngineContract#grid()} (sizes that hit every SIMD tail, d up
 *       to 12, M = 1, far kernels with clipped coefficients), the loss and both gradients agree with the
 *       direct transcription of the formulas within {@link EngineContract#tolerance} (DOUBLE 1e-12, FLOAT
 *       1e-5) in the contract's measure; every cell is checked for {@code BOTH}, cells with
 *       (N_R + N_D) M &lt;= 1e5 for every other gradient request, cells with N_R M^2 &lt;= 5e7 for
 *       {@code COEFFICIENT_HESSIAN} (its entries against the largest-magnitude entry, same tolerances), all on
 *       one bound problem per cell. The OpenCL Hessian stops at M = 361
 *       ({@link EngineContract#OPENCL_HESSIAN_MAX_KERNELS}): larger M is skipped for that request, counted,
 *       and must be refused with the engine's error naming the limit.</li>
 *   <li>Determinism: the same inputs give the same bits on one thread and on three, in a second bind, and
 *       when a bound problem is evaluated again after another point.</li>
 * </ul>
 * An engine that is on the class path but not available fails the test (the OpenCL engine is skipped
 * instead, with its reason, unless {@code SPARKER_REQUIRE_OPENCL=1}, as CI sets). The count of engine x
 * precision pairs checked and the worst errors are printed and written to {@code target/engine-contract.txt}.
 */
class EngineContractTest {

    /** One engine in one precision. */
    record Target(Engine engine, Precision precision) {
        @Override
        public String toString() {
            return engine.name() + " " + precision;
        }
    }

    /** The pairs to check; engines that are not available are put in {@code unavailable}. */
    private static List<Target> targets(List<String> unavailable) {
        List<Target> targets = new ArrayList<>();
        for (Engine e : Engines.all()) {
            EngineAvailability av = e.availability();
            if (!av.available()) {
                unavailable.add(e.name() + " (" + av.reason() + ")");
                continue;
            }
            for (Precision p : Precision.values()) {
                if (e.supports(p)) {
                    targets.add(new Target(e, p));
                }
            }
        }
        return targets;
    }

    /** Fails for an unavailable engine, except OpenCL where CI does not require it (then the test is skipped). */
    private static void requireAllAvailable(List<String> unavailable) {
        if (unavailable.isEmpty()) {
            return;
        }
        boolean onlyOpenCl = unavailable.stream().allMatch(s -> s.startsWith("opencl "));
        if (onlyOpenCl && !"1".equals(System.getenv("SPARKER_REQUIRE_OPENCL"))) {
            Assumptions.assumeTrue(false, "engines on the class path but not available here, so not checked: "
                    + unavailable);
        }
        fail("engines on the class path but not available, so their contract went unchecked: " + unavailable);
    }

    @Test
    void everyEngineAndPrecisionMatchesTheReference() throws IOException {
        List<String> unavailable = new ArrayList<>();
        List<Target> targets = targets(unavailable);
        double[][] worst = new double[targets.size()][4];
        String[][] worstAt = new String[targets.size()][4];
        List<String> failures = new ArrayList<>();
        Set<String> checked = new LinkedHashSet<>();
        Map<GradientRequest, Integer> perRequest = new EnumMap<>(GradientRequest.class);
        int problems = 0;
        long evaluations = 0;
        int hessianCells = 0;
        int hessianSkipped = 0;
        int hessianExpectedSkips = 0;
        String[] names = {"loss", "dL/da", "dL/dmu", "H"};
        for (EngineContract.Problem p : EngineContract.grid()) {
            problems++;
            boolean withHessian = EngineContract.hessianInScope(p);
            EngineContract.Reference ref = EngineContract.reference(p, withHessian);
            long size = (long) (p.reference().size() + p.data().size()) * p.shape().kernels();
            List<GradientRequest> requests = new ArrayList<>(size <= 100_000 ? Arrays.stream(GradientRequest.values())
                    .filter(r -> !r.wantsCoefficientHessian()).toList() : List.of(GradientRequest.BOTH));
            if (withHessian) {
                // last: the OpenCL engine refuses it beyond M = 361, and the bound problem is closed right after
                requests.add(GradientRequest.COEFFICIENT_HESSIAN);
                hessianCells++;
            }
            for (int t = 0; t < targets.size(); t++) {
                Target target = targets.get(t);
                double tol = EngineContract.tolerance(target.precision());
                boolean hessianHere = EngineContract.engineHandlesHessian(target.engine(), p.shape().kernels());
                hessianExpectedSkips += withHessian && !hessianHere ? 1 : 0;
                try (BoundProblem bound = target.engine().bind(p.reference(), p.data(), p.shape(),
                        new EngineSettings(target.precision(), 2))) {
                    for (GradientRequest request : requests) {
                        NpEvaluation got = new NpEvaluation(p.shape());
                        if (request.wantsCoefficientHessian() && !hessianHere) {
                            hessianSkipped++;
                            String refusal = refusal(bound, p, got);
                            if (refusal == null || !refusal.contains("M <= " + EngineContract.OPENCL_HESSIAN_MAX_KERNELS)) {
                                failures.add(target + " " + p + ": the Hessian beyond the engine's limit must be refused"
                                        + " with the limit named, got " + (refusal == null ? "an answer" : refusal));
                            }
                            continue;
                        }
                        bound.evaluate(p.a(), p.mu(), request, got);
                        evaluations++;
                        perRequest.merge(request, 1, Integer::sum);
                        double[] err = EngineContract.errors(got, ref, request);
                        for (int k = 0; k < 4; k++) {
                            if (!(err[k] <= tol) && failures.size() < 20) {
                                failures.add(String.format(Locale.ROOT, "%s %s %s: %s error %.3g > %.0e", target, p,
                                        request, names[k], err[k], tol));
                            }
                            if (err[k] >= worst[t][k]) {
                                worst[t][k] = err[k];
                                worstAt[t][k] = p + " " + request;
                            }
                        }
                    }
                }
                checked.add(target.toString());
            }
        }
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "engine contract: %d engine x precision pairs checked (%s) on %d problems, %d evaluations%n",
                checked.size(), String.join(", ", checked), problems, evaluations));
        report.append("  engine x precision x problem checks per request: ");
        perRequest.forEach((r, n) -> report.append(r).append(' ').append(n).append(", "));
        report.append(String.format(Locale.ROOT, "COEFFICIENT_HESSIAN skipped %d (opencl, M > %d: refused with the"
                + " limit named)%n", hessianSkipped, EngineContract.OPENCL_HESSIAN_MAX_KERNELS));
        for (int t = 0; t < targets.size(); t++) {
            report.append(String.format(Locale.ROOT, "  %-14s worst loss %.2g (%s); dL/da %.2g (%s); dL/dmu %.2g (%s);"
                    + " H %.2g (%s)%n", targets.get(t), worst[t][0], worstAt[t][0], worst[t][1], worstAt[t][1],
                    worst[t][2], worstAt[t][2], worst[t][3], worstAt[t][3]));
        }
        if (!unavailable.isEmpty()) {
            report.append("  not available, not checked: ").append(unavailable).append('\n');
        }
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "engine-contract.txt"), report);

        assertTrue(failures.isEmpty(), "engines outside the contract's tolerance:\n" + String.join("\n", failures));
        assertEquals(EngineContract.REFERENCE_SIZES.length * EngineContract.KERNELS.length
                * EngineContract.DIMENSIONS.length, problems, "every grid problem was checked");
        Set<String> expected = new LinkedHashSet<>();
        targets.forEach(t -> expected.add(t.toString()));
        assertEquals(expected, checked, "every available engine x supported precision was checked");
        assertEquals(hessianCells * targets.size() - hessianExpectedSkips,
                perRequest.getOrDefault(GradientRequest.COEFFICIENT_HESSIAN, 0),
                "the coefficient Hessian was checked on every cell in its scope for every pair but the skipped ones");
        assertEquals(hessianExpectedSkips, hessianSkipped, "Hessian skips");
        assertTrue(hessianCells >= 80, "the Hessian's scope covers the grid's M <= 50 cells: " + hessianCells);
        assertTrue(checked.contains("scalar DOUBLE") && checked.contains("vector FLOAT")
                && checked.contains("vector DOUBLE"), "the CPU engines must be among those checked: " + checked);
        requireAllAvailable(unavailable);
    }

    @Test
    void everyEngineGivesTheSameBitsForEveryThreadCountAndRebinding() {
        List<String> unavailable = new ArrayList<>();
        List<Target> targets = targets(unavailable);
        EngineContract.Problem p = EngineContract.problem(3001, 301, 10, 3, 42);
        double[] otherA = p.a().clone();
        otherA[0] += 0.25;
        for (Target target : targets) {
            NpEvaluation first = EngineContract.evaluate(target.engine(), p, new EngineSettings(target.precision(), 1),
                    GradientRequest.BOTH);
            NpEvaluation second = new NpEvaluation(p.shape());
            NpEvaluation third = new NpEvaluation(p.shape());
            try (BoundProblem bound = target.engine().bind(p.reference(), p.data(), p.shape(),
                    new EngineSettings(target.precision(), 3))) {
                bound.evaluate(p.a(), p.mu(), GradientRequest.BOTH, second);
                bound.evaluate(otherA, p.mu(), GradientRequest.BOTH, new NpEvaluation(p.shape()));
                bound.evaluate(p.a(), p.mu(), GradientRequest.BOTH, third);
            }
            for (NpEvaluation other : List.of(second, third)) {
                String ctx = target + (other == second ? ", three threads in a second bind vs one thread"
                        : ", re-evaluated after another point vs one thread");
                assertEquals(Double.doubleToRawLongBits(first.loss()), Double.doubleToRawLongBits(other.loss()),
                        ctx + ": loss " + first.loss() + " vs " + other.loss());
                sameBits(first.coefficientGradient(), other.coefficientGradient(), ctx + ": dL/da");
                sameBits(first.locationGradient(), other.locationGradient(), ctx + ": dL/dmu");
            }
        }
        requireAllAvailable(unavailable);
    }

    /** The message of the exception with which {@code bound} refuses the Hessian, or null if it answered. */
    private static String refusal(BoundProblem bound, EngineContract.Problem p, NpEvaluation out) {
        try {
            bound.evaluate(p.a(), p.mu(), GradientRequest.COEFFICIENT_HESSIAN, out);
            return null;
        } catch (RuntimeException e) {
            StringBuilder messages = new StringBuilder();
            for (Throwable c = e; c != null; c = c.getCause()) {
                messages.append(c.getMessage()).append("; ");
            }
            return messages.toString();
        }
    }

    private static void sameBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + "[" + i + "] bits differ: " + expected[i] + " vs " + actual[i]);
            }
        }
    }
}
