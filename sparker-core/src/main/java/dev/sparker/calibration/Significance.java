package dev.sparker.calibration;

import java.util.Arrays;
import org.hipparchus.analysis.solvers.BrentSolver;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.special.Erf;
import org.hipparchus.special.Gamma;
import org.hipparchus.stat.inference.AlternativeHypothesis;
import org.hipparchus.stat.inference.BinomialTest;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;

/**
 * Calibration of a test statistic on null toys (DESIGN.md, "Calibration and significance").
 *
 * <ul>
 *   <li>Empirical p-value: {@code (#{t0 >= t} + 1) / (n0 + 1)} over {@code n0} null toys.</li>
 *   <li>Chi-square fit by maximum likelihood: the log-likelihood of dof {@code k} for values {@code t_i > 0}
 *       is {@code sum[(k/2 - 1) log t_i - t_i/2] - n (k/2) log 2 - n log Gamma(k/2)}; its derivative vanishes
 *       where {@code psi(k/2) = mean(log(t_i / 2))} (psi the digamma function), solved with Brent's method.
 *       The standard error is {@code 2 / sqrt(n psi'(k/2))} (Fisher information). Toys with {@code t <= 0}
 *       have zero chi-square density: they are left out of the fit and counted.</li>
 *   <li>Asymptotic p-value: the fitted chi-square's upper tail, {@code Q(k/2, t/2)} (regularized
 *       incomplete gamma, accurate far in the tail).</li>
 *   <li>Kolmogorov–Smirnov compatibility of the null toys with the fitted chi-square (Hipparchus
 *       {@link KolmogorovSmirnovTest}); the dof is fitted on the same toys, so this p-value is optimistic
 *       (a Lilliefors-type bias) and is a sanity check, not a calibrated test.</li>
 *   <li>{@code Z = Phi^-1(1 - p)}, computed as {@code sqrt(2) erfc^-1(2p)} so small p keep their digits.</li>
 * </ul>
 */
public final class Significance {
    private Significance() {
    }

    /**
     * The empirical p-value {@code (#{t0 >= t} + 1) / (N + 1)} over N null toys t0 (paper section 3).
     *
     * @param nullT the null toys' t, at least one
     * @param t     the observed t
     * @return p in {@code [1 / (N + 1), 1]}
     * @throws IllegalArgumentException when there are no toys, or t or a toy is NaN
     */
    public static double empiricalP(double[] nullT, double t) {
        requireSample(nullT, "null toys");
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("observed t is NaN");
        }
        int above = 0;
        for (double v : nullT) {
            if (v >= t) {
                above++;
            }
        }
        return (above + 1.0) / (nullT.length + 1.0);
    }

    /**
     * The significance {@code Z = Phi^-1(1 - p)}, accurate to about 1e-13 down to p near 1e-300.
     *
     * @param p a p-value in (0, 1]
     * @return Z in standard deviations; negative infinity for p = 1
     * @throws IllegalArgumentException when p is outside (0, 1]
     */
    public static double z(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p-value = " + p + "; it must lie in (0, 1]");
        }
        if (p == 1) {
            return Double.NEGATIVE_INFINITY;
        }
        // start from sqrt(2) erfc^-1(2p), then Newton on log Q(z) = log p (Q the upper normal tail,
        // d log Q / dz = -phi(z) / Q(z)), which keeps full relative accuracy for tiny p
        double z = Math.sqrt(2) * Erf.erfcInv(2 * p);
        if (p < 1e-10 || !Double.isFinite(z)) {
            // Abramowitz & Stegun 26.2.23 (error < 4.5e-4) as the start far in the tail
            double u = Math.sqrt(-2 * Math.log(p));
            z = u - (2.515517 + 0.802853 * u + 0.010328 * u * u)
                    / (1 + 1.432788 * u + 0.189269 * u * u + 0.001308 * u * u * u);
        }
        double logP = Math.log(p);
        for (int i = 0; i < 8 && Double.isFinite(z); i++) {
            double q = pOfZ(z);
            if (!(q > 0)) {
                break;
            }
            double phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            double step = (Math.log(q) - logP) / (phi / q);
            z += step;
            if (Math.abs(step) < 1e-13 * Math.max(1, Math.abs(z))) {
                break;
            }
        }
        return z;
    }

    /**
     * The p-value of {@code z} standard deviations, {@code 1 - Phi(z)}, with full relative accuracy in the
     * upper tail.
     *
     * @param z significance in standard deviations (infinite allowed)
     * @return the upper normal tail, in [0, 1]
     * @throws IllegalArgumentException when z is NaN
     */
    public static double pOfZ(double z) {
        // Q(z) = Gamma_Q(1/2, z^2/2) / 2 for z >= 0: the continued fraction keeps digits far in the tail
        if (Double.isNaN(z)) {
            throw new IllegalArgumentException("z is NaN");
        }
        if (Double.isInfinite(z)) {
            return z > 0 ? 0 : 1;
        }
        double half = 0.5 * Gamma.regularizedGammaQ(0.5, 0.5 * z * z);
        return z >= 0 ? half : 1 - half;
    }

    /**
     * Fits the degrees of freedom of a chi-square to the null toys by maximum likelihood (see the class
     * comment; paper appendix B: the null t is compatible with a chi-square of fitted dof).
     *
     * @param nullT the null toys' t; toys with {@code t <= 0} are left out and counted
     * @return the fit, its standard error and a Kolmogorov–Smirnov check
     * @throws IllegalArgumentException when there are no toys, a toy is NaN, or fewer than two toys have t > 0
     */
    public static ChiSquareFit fitChiSquare(double[] nullT) {
        requireSample(nullT, "null toys");
        double sumLog = 0;
        int used = 0;
        for (double t : nullT) {
            if (Double.isNaN(t)) {
                throw new IllegalArgumentException("a null toy has t = NaN");
            }
            if (t > 0 && Double.isFinite(t)) {
                sumLog += Math.log(t / 2);
                used++;
            }
        }
        if (used < 2) {
            throw new IllegalArgumentException("only " + used + " null toys have t > 0; a chi-square fit needs at least 2");
        }
        double target = sumLog / used;
        double lo = 1e-4;
        double hi = 1e6;
        double dof;
        if (Gamma.digamma(lo / 2) >= target) {
            dof = lo;
        } else if (Gamma.digamma(hi / 2) <= target) {
            dof = hi;
        } else {
            dof = new BrentSolver(1e-12, 1e-10).solve(500, k -> Gamma.digamma(k / 2) - target, lo, hi);
        }
        double error = 2 / Math.sqrt(used * Gamma.trigamma(dof / 2));
        double[] positive = Arrays.stream(nullT).filter(t -> t > 0 && Double.isFinite(t)).toArray();
        ChiSquaredDistribution dist = new ChiSquaredDistribution(dof);
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double ksD = ks.kolmogorovSmirnovStatistic(dist, positive);
        double ksP = ks.kolmogorovSmirnovTest(dist, positive, false);
        return new ChiSquareFit("maximum likelihood", dof, error, used, nullT.length - used, ksD, ksP);
    }

    /**
     * Fits a normal distribution to the null toys (their mean and sample standard deviation), the
     * approximation the paper uses for the bulk of the GWAK null distribution, where t is small and not
     * chi-square-like; with a Kolmogorov–Smirnov check of the fit (optimistic, as for the chi-square).
     *
     * @param nullT the null toys' t, at least 3, all finite
     * @return the fitted normal
     * @throws IllegalArgumentException when there are fewer than 3 toys or a toy is not finite
     */
    public static NormalFit fitNormal(double[] nullT) {
        requireSample(nullT, "null toys");
        if (nullT.length < 3) {
            throw new IllegalArgumentException("a normal fit needs at least 3 null toys, got " + nullT.length);
        }
        double mean = 0;
        for (double t : nullT) {
            if (!Double.isFinite(t)) {
                throw new IllegalArgumentException("a null toy has t = " + t);
            }
            mean += t;
        }
        mean /= nullT.length;
        double ss = 0;
        for (double t : nullT) {
            ss += (t - mean) * (t - mean);
        }
        double sd = Math.sqrt(ss / (nullT.length - 1));
        if (!(sd > 0)) {
            throw new IllegalArgumentException("the null toys all have t = " + mean + "; a normal fit needs spread");
        }
        NormalDistribution dist = new NormalDistribution(mean, sd);
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        return new NormalFit(mean, sd, nullT.length, ks.kolmogorovSmirnovStatistic(dist, nullT),
                ks.kolmogorovSmirnovTest(dist, nullT, false));
    }

    /**
     * Upper tail of a chi-square with {@code dof} degrees of freedom at {@code t}: {@code Q(dof/2, t/2)}.
     *
     * @param dof degrees of freedom, > 0
     * @param t   the statistic; {@code t <= 0} gives 1
     * @return the asymptotic p-value
     * @throws IllegalArgumentException when dof is not > 0
     */
    public static double chiSquareUpperTail(double dof, double t) {
        if (!(dof > 0)) {
            throw new IllegalArgumentException("degrees of freedom = " + dof + "; they must be > 0");
        }
        if (t <= 0) {
            return 1;
        }
        return Gamma.regularizedGammaQ(dof / 2, t / 2);
    }

    /**
     * Z of one statistic under a chi-square null, kept finite for comparing toys: {@code Z = Phi^-1(1 - p)} with
     * {@code p = Q(dof/2, t/2)} ({@link #chiSquareUpperTail}) held inside {@code [Double.MIN_NORMAL, 1 - 2^-53]}, so
     * Z lies between about -8.2 (t &lt;= 0) and 37.5 (t beyond every double p).
     *
     * @param dof degrees of freedom of the null chi-square, &gt; 0
     * @param t   the statistic
     * @return Z in standard deviations, finite
     * @throws IllegalArgumentException when dof is not &gt; 0
     */
    public static double chiSquareZ(double dof, double t) {
        double p = chiSquareUpperTail(dof, t);
        return z(Math.min(1 - 0x1p-53, Math.max(Double.MIN_NORMAL, p)));
    }

    /**
     * Two tests on the same toys (the same data), compared toy by toy: how many toys each test gives the higher Z,
     * the medians, and the exact two-sided sign test of "neither test gives the higher Z more often" (binomial with
     * probability 1/2 over the toys where they differ; ties, such as two Z held at the same bound, are left out).
     * The pairing removes the toy-to-toy spread of the data that both tests share, so it can tell two tests apart
     * where the 68 % intervals of their median Z overlap.
     *
     * @param zA Z of test A per toy
     * @param zB Z of test B on the same toys, in the same order
     * @return the counts, the medians of {@code zA}, {@code zB} and {@code zA - zB}, and the sign-test p
     * @throws IllegalArgumentException when the arrays are empty, differ in length, or hold a value that is not
     *                                  finite
     */
    public static PairedComparison pairedComparison(double[] zA, double[] zB) {
        requireSample(zA, "toys of the first test");
        if (zB == null || zB.length != zA.length) {
            throw new IllegalArgumentException("the two tests have " + zA.length + " and "
                    + (zB == null ? 0 : zB.length) + " toys; a paired comparison needs the same toys");
        }
        int aHigher = 0;
        int bHigher = 0;
        double[] diff = new double[zA.length];
        for (int i = 0; i < zA.length; i++) {
            if (!Double.isFinite(zA[i]) || !Double.isFinite(zB[i])) {
                throw new IllegalArgumentException("toy " + i + " has Z = " + zA[i] + " and " + zB[i]
                        + "; a paired comparison needs finite Z (chiSquareZ keeps them finite)");
            }
            diff[i] = zA[i] - zB[i];
            if (zA[i] > zB[i]) {
                aHigher++;
            } else if (zB[i] > zA[i]) {
                bHigher++;
            }
        }
        int differ = aHigher + bHigher;
        double p = differ == 0 ? 1.0
                : new BinomialTest().binomialTest(differ, aHigher, 0.5, AlternativeHypothesis.TWO_SIDED);
        double[] a = zA.clone();
        double[] b = zB.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        Arrays.sort(diff);
        return new PairedComparison(zA.length, aHigher, bHigher, quantile(a, 0.5), quantile(b, 0.5),
                quantile(diff, 0.5), Math.min(1.0, p));
    }

    /**
     * Sensitivity: Z at the median of the signal toys' t, empirical and asymptotic. Its uncertainty is the
     * spread of Z over a 68 % confidence interval of the median, taken from the order statistics
     * {@code n/2 -+ sqrt(n)/2} (the binomial count of toys below the median); the finite number of null toys
     * is not propagated.
     *
     * @param nullT   the null toys' t, at least one
     * @param signalT the signal toys' t, at least one
     * @param fit     the chi-square fitted to {@code nullT} ({@link #fitChiSquare})
     * @return median signal t, empirical and chi-square Z with their 68 % intervals
     * @throws IllegalArgumentException when either sample is empty
     */
    public static Sensitivity sensitivity(double[] nullT, double[] signalT, ChiSquareFit fit) {
        requireSample(nullT, "null toys");
        requireSample(signalT, "signal toys");
        double[] s = signalT.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = quantile(s, 0.5);
        int lo = (int) Math.max(0, Math.floor(n / 2.0 - Math.sqrt(n) / 2.0) - (n % 2 == 0 ? 1 : 0));
        int hi = (int) Math.min(n - 1, Math.ceil(n / 2.0 + Math.sqrt(n) / 2.0) - (n % 2 == 0 ? 0 : 1));
        double tLo = s[Math.min(lo, hi)];
        double tHi = s[hi];
        double pEmp = empiricalP(nullT, median);
        boolean saturated = pEmp <= 1.0 / (nullT.length + 1.0);
        double zEmp = z(pEmp);
        double zEmpLo = z(empiricalP(nullT, tLo));
        double zEmpHi = z(empiricalP(nullT, tHi));
        double zAsy = Double.NaN;
        double zAsyLo = Double.NaN;
        double zAsyHi = Double.NaN;
        if (fit != null) {
            zAsy = z(Math.max(Double.MIN_NORMAL, chiSquareUpperTail(fit.dof(), median)));
            zAsyLo = z(Math.max(Double.MIN_NORMAL, chiSquareUpperTail(fit.dof(), tLo)));
            zAsyHi = z(Math.max(Double.MIN_NORMAL, chiSquareUpperTail(fit.dof(), tHi)));
        }
        return new Sensitivity(n, median, tLo, tHi, pEmp, zEmp, zEmpLo, zEmpHi, saturated, zAsy, zAsyLo, zAsyHi);
    }

    /**
     * Linear-interpolation quantile (type 7) of a sample.
     *
     * @param sorted the sample, sorted ascending, at least one value
     * @param q      the probability, in [0, 1]
     * @return the q-quantile
     * @throws IllegalArgumentException when the sample is empty or q is outside [0, 1]
     */
    public static double quantile(double[] sorted, double q) {
        requireSample(sorted, "sample");
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile " + q + " is outside [0, 1]");
        }
        double h = (sorted.length - 1) * q;
        int i = (int) Math.floor(h);
        if (i + 1 >= sorted.length) {
            return sorted[sorted.length - 1];
        }
        return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
    }

    /**
     * Quantiles of an unsorted sample (type 7, as {@link #quantile}).
     *
     * @param sample the sample (not modified), at least one value
     * @param qs     probabilities in [0, 1]
     * @return one quantile per probability, in the order given
     * @throws IllegalArgumentException when the sample is empty or a probability is outside [0, 1]
     */
    public static double[] quantiles(double[] sample, double... qs) {
        double[] s = sample.clone();
        Arrays.sort(s);
        double[] out = new double[qs.length];
        for (int k = 0; k < qs.length; k++) {
            out[k] = quantile(s, qs[k]);
        }
        return out;
    }

    static void requireSample(double[] x, String what) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("no " + what + ": at least one value is needed");
        }
    }

    /**
     * A chi-square fitted to null toys.
     *
     * @param method      how the dof was fitted
     * @param dof         fitted degrees of freedom
     * @param dofError    its standard error (inverse Fisher information)
     * @param used        toys used in the fit (t > 0)
     * @param dropped     toys left out (t &lt;= 0)
     * @param ksStatistic Kolmogorov–Smirnov distance between the toys and the fitted chi-square
     * @param ksP         its p-value (optimistic: the dof was fitted on the same toys)
     */
    public record ChiSquareFit(String method, double dof, double dofError, int used, int dropped,
                               double ksStatistic, double ksP) {
        /**
         * {@return its p-value under the fitted chi-square ({@link #chiSquareUpperTail})}
         *
         * @param t an observed statistic
         */
        public double asymptoticP(double t) {
            return chiSquareUpperTail(dof, t);
        }
    }

    /**
     * A normal distribution fitted to null toys.
     *
     * @param mean        the toys' mean t
     * @param sd          their sample standard deviation
     * @param toys        toys used
     * @param ksStatistic Kolmogorov–Smirnov distance between the toys and the fitted normal
     * @param ksP         its p-value (optimistic: mean and sd were fitted on the same toys)
     */
    public record NormalFit(double mean, double sd, int toys, double ksStatistic, double ksP) {
        /**
         * {@return Z of t: its distance from the null mean in null standard deviations}
         *
         * @param t an observed statistic
         */
        public double z(double t) {
            return (t - mean) / sd;
        }

        /**
         * {@return the one-sided p of t under the fitted normal}
         *
         * @param t an observed statistic
         */
        public double p(double t) {
            return pOfZ(z(t));
        }
    }

    /**
     * Two tests compared toy by toy ({@link #pairedComparison}).
     *
     * @param toys             toys compared
     * @param aHigher          toys on which test A gives the higher Z
     * @param bHigher          toys on which test B gives the higher Z (the rest are ties)
     * @param medianA          median Z of test A over the toys
     * @param medianB          median Z of test B over the toys
     * @param medianDifference median of {@code Z_A - Z_B} toy by toy
     * @param signTestP        exact two-sided sign-test p of "neither is higher more often" (1 when all tie)
     */
    public record PairedComparison(int toys, int aHigher, int bHigher, double medianA, double medianB,
                                   double medianDifference, double signTestP) {
    }

    /**
     * Z at the median signal t.
     *
     * @param signalToys          number of signal toys
     * @param medianT             median signal t
     * @param medianTLow          lower end of the median's 68 % interval
     * @param medianTHigh         upper end
     * @param empiricalP          empirical p at the median
     * @param zEmpirical          Z from it
     * @param zEmpiricalLow       Z at {@code medianTLow}
     * @param zEmpiricalHigh      Z at {@code medianTHigh}
     * @param empiricalSaturated  the median exceeds every null toy, so {@code zEmpirical} is only a lower bound
     * @param zAsymptotic         Z from the fitted chi-square (NaN without a fit)
     * @param zAsymptoticLow      at {@code medianTLow}
     * @param zAsymptoticHigh     at {@code medianTHigh}
     */
    public record Sensitivity(int signalToys, double medianT, double medianTLow, double medianTHigh,
                              double empiricalP, double zEmpirical, double zEmpiricalLow, double zEmpiricalHigh,
                              boolean empiricalSaturated, double zAsymptotic, double zAsymptoticLow,
                              double zAsymptoticHigh) {
    }
}
