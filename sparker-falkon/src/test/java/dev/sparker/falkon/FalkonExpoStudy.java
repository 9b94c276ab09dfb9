package dev.sparker.falkon;

import dev.sparker.model.Samples;
import dev.sparker.train.WidthHeuristic;
import dev.sparker.train.WidthSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.analysis.solvers.BrentSolver;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.special.Gamma;

/**
 * The EXPO-1D measurement of the Falkon-NPLM baseline (not a unit test; run by hand, see the README section
 * "Falkon-NPLM baseline"). Reference: N_R = 200 000 Exp(1) events, weight 2000/N_R. Null toy: Poisson(2000)
 * Exp(1) events. Signal toys add Poisson(N_S) Gaussian events: bulk N(1.6, 0.16) with N_S = 90, tail
 * N(6.4, 0.16) with N_S = 10. sigma is the 90 % quantile heuristic, computed once on the shared reference (the
 * same value every toy would compute) and then fixed. Toy k of a sample is seeded with base + k.
 *
 * <pre>
 *   java ... dev.sparker.falkon.FalkonExpoStudy NULL_TOYS SIGNAL_TOYS THREADS M LAMBDA OUT.csv [SOLVER]
 *   java ... dev.sparker.falkon.FalkonExpoStudy summary OUT.csv
 * </pre>
 * Toys run interleaved (two null, one bulk, one tail) so a run stopped early stays balanced; every toy's t and
 * time go to OUT.csv as it finishes. The summary: null median and mean, chi-square dof fitted by maximum
 * likelihood, and per signal the median t with Z from the empirical null and from the fitted chi-square.
 */
public final class FalkonExpoStudy {
    static final int N_REF = Integer.getInteger("falkon.nref", 200_000);
    static final double N0 = Double.parseDouble(System.getProperty("falkon.n0", "2000"));

    record Signal(String name, double mean, double width, double expected, long seedBase) {
    }

    static final List<Signal> SIGNALS = List.of(new Signal("bulk", 1.6, 0.16, 90, 2_000_000L),
            new Signal("tail", 6.4, 0.16, 10, 3_000_000L));

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("summary")) {
            summarise(Path.of(args[1]));
            return;
        }
        int nullToys = Integer.parseInt(args[0]);
        int signalToys = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int m = Integer.parseInt(args[3]);
        double lambda = Double.parseDouble(args[4]);
        Path out = Path.of(args[5]);
        FalkonSolver solver = args.length > 6 ? FalkonSolver.valueOf(args[6]) : FalkonSolver.AUTO;

        RandomDataGenerator refRng = new RandomDataGenerator(20260101L);
        double[] ref = new double[N_REF];
        for (int i = 0; i < N_REF; i++) {
            ref[i] = refRng.nextExponential(1.0);
        }
        Samples reference = Samples.fromFlat(ref, N_REF, 1, N0 / N_REF);
        double sigma = WidthHeuristic.resolve(WidthSpec.defaultQuantile(), reference, 0L ^ FalkonNplm.WIDTH_SEED_SALT);
        FalkonConfig base = FalkonConfig.defaults(m, lambda).toBuilder()
                .cgTolerance(Double.parseDouble(System.getProperty("falkon.tol", "1e-7")))
                .eigenCutoff(Double.parseDouble(System.getProperty("falkon.cutoff", "1e-10")))
                .width(WidthSpec.fixed(sigma)).threads(threads).solver(solver).build();
        System.out.printf(Locale.ROOT, "EXPO-1D Falkon-NPLM: M=%d lambda=%g sigma=%.4f (90%% quantile) threads=%d solver=%s%n",
                m, lambda, sigma, threads, base.solver());

        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out))) {
            csv.println("sample,toy,t,seconds,cg_iterations,n_data,rank,solver");
            int rounds = Math.max((nullToys + 1) / 2, signalToys);
            for (int k = 0; k < rounds; k++) {
                for (int q = 2 * k; q < Math.min(2 * k + 2, nullToys); q++) {
                    runToy("null", null, q, 1_000_000L + q, reference, base, csv);
                }
                if (k < signalToys) {
                    for (Signal s : SIGNALS) {
                        runToy(s.name, s, k, s.seedBase + k, reference, base, csv);
                    }
                }
            }
        }
        summarise(out);
    }

    static void runToy(String name, Signal signal, int k, long seed, Samples reference, FalkonConfig base,
                       PrintWriter csv) {
        RandomDataGenerator rng = new RandomDataGenerator(seed);
        int nb = rng.nextPoisson(N0);
        int ns = signal == null ? 0 : rng.nextPoisson(signal.expected);
        double[] x = new double[nb + ns];
        for (int i = 0; i < nb; i++) {
            x[i] = rng.nextExponential(1.0);
        }
        for (int i = nb; i < nb + ns; i++) {
            x[i] = rng.nextNormal(signal.mean, signal.width);
        }
        Samples data = Samples.fromFlat(x, x.length, 1, 1.0);
        FalkonResult r = FalkonNplm.test(reference, data, base.toBuilder().seed(seed).build());
        csv.printf(Locale.ROOT, "%s,%d,%.6f,%.3f,%s,%d,%d,%s%n", name, k, r.t(), r.nanos() / 1e9,
                Arrays.toString(r.cgIterations()).replace(", ", ";"), x.length, r.rank(), r.solver());
        csv.flush();
    }

    /** Reads a study CSV and prints the null and signal summaries. */
    static void summarise(Path csvPath) throws IOException {
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csvPath)) {
            if (line.startsWith("sample")) {
                continue;
            }
            String[] f = line.split(",");
            rows.computeIfAbsent(f[0], key -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
        }
        double[] t0 = column(rows.get("null"), 0);
        Arrays.sort(t0);
        double dof = t0.length >= 10 ? fitDof(t0) : Double.NaN;
        System.out.printf(Locale.ROOT, "null: %d toys, %.2f s per toy; median t = %.3f, mean t = %.3f, sd = %.3f, "
                        + "chi2 dof (ML) = %.3f%n", t0.length, mean(column(rows.get("null"), 1)), quantile(t0, 0.5),
                mean(t0), sd(t0), dof);
        for (Signal s : SIGNALS) {
            if (!rows.containsKey(s.name)) {
                continue;
            }
            double[] ts = column(rows.get(s.name), 0);
            Arrays.sort(ts);
            double med = quantile(ts, 0.5);
            double lo = quantile(ts, 0.16);
            double hi = quantile(ts, 0.84);
            double pEmp = (countAtLeast(t0, med) + 1.0) / (t0.length + 1.0);
            double pChi = Double.isNaN(dof) ? Double.NaN : Gamma.regularizedGammaQ(dof / 2, med / 2);
            double zLo = Double.isNaN(dof) ? Double.NaN : z(Gamma.regularizedGammaQ(dof / 2, lo / 2));
            double zHi = Double.isNaN(dof) ? Double.NaN : z(Gamma.regularizedGammaQ(dof / 2, hi / 2));
            System.out.printf(Locale.ROOT,
                    "%s (N(%.1f, %.2f), N_S=%.0f): %d toys, %.2f s per toy; median t = %.3f (16%%-84%%: %.3f-%.3f); "
                            + "Z_emp = %.3f (p = %.3g, %d null toys); Z_chi2 = %.3f (at the 16%%/84%% t: %.3f/%.3f; p = %.3g)%n",
                    s.name, s.mean, s.width, s.expected, ts.length, mean(column(rows.get(s.name), 1)), med, lo, hi,
                    z(pEmp), pEmp, t0.length, z(pChi), zLo, zHi, pChi);
        }
    }

    private static double[] column(List<double[]> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    /**
     * Maximum-likelihood degrees of freedom k of a chi-square for the (positive) null t values. The score
     * equation of {@code sum_i log chi2pdf(t_i; k)} is {@code psi(k/2) = mean(log t_i) - log 2}; digamma is
     * increasing, so the root is unique; Hipparchus' Brent solver finds it.
     */
    static double fitDof(double[] t0) {
        double sumLog = 0;
        int count = 0;
        for (double v : t0) {
            if (v > 0) {
                sumLog += Math.log(v);
                count++;
            }
        }
        double target = sumLog / count - Math.log(2);
        return new BrentSolver(1e-12).solve(10_000, k -> Gamma.digamma(k / 2) - target, 1e-3, 1e4);
    }

    /** {@code Z = Phi^-1(1 - p)}, computed from the lower tail so tiny p keep their precision. */
    static double z(double p) {
        if (Double.isNaN(p)) {
            return Double.NaN;
        }
        return -new NormalDistribution(0, 1).inverseCumulativeProbability(p);
    }

    static int countAtLeast(double[] sorted, double v) {
        int c = 0;
        for (double x : sorted) {
            if (x >= v) {
                c++;
            }
        }
        return c;
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double sd(double[] v) {
        double mu = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - mu) * (x - mu);
        }
        return Math.sqrt(s / Math.max(1, v.length - 1));
    }
}
