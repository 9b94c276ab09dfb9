package dev.sparker.expo;

import dev.sparker.calibration.Significance;
import dev.sparker.calibration.ToySeeds;
import java.util.Arrays;

/**
 * The ideal test's significance Z_id from toys. Null toys and signal toys are drawn, the extended
 * likelihood ratio {@code t_id} is computed on each, and Z_id is the Z of the median signal t_id.
 *
 * <p>Method (two estimates of {@code p = P_0(t_id >= t*)} at the median signal value {@code t*}):
 * <ul>
 *   <li>empirical: {@code (#{null t_id >= t*} + 1) / (n0 + 1)} over {@code n0} null toys from the null toys (saturates near
 *       {@code Phi^-1(1 - 1/N0)});</li>
 *   <li>importance sampling from the signal toys: for the extended likelihood ratio
 *       {@code t_id = 2 log(L_S / L_0)} exactly, so {@code P_0(t >= t*) = E_S[1{t >= t*} e^{-t/2}]}; this is
 *       unbiased however small p is, and is the estimate reported as Z_id. Its standard error is the
 *       sample standard deviation of {@code 1{t >= t*} e^{-t/2}} over the signal toys divided by sqrt(n).</li>
 * </ul>
 */
public final class IdealTest {

    private IdealTest() {
    }

    /** A pair of hypotheses with an extended likelihood-ratio statistic {@code t = 2 log(L_S / L_0)}. */
    public interface Hypotheses {
        /**
         * {@return the events of one toy drawn under the signal ({@code true}) or the null hypothesis}
         *
         * @param withSignal true for the signal hypothesis
         * @param seed       the random seed
         */
        double[] sample(boolean withSignal, long seed);

        /**
         * {@return {@code t_id = 2 log(L_S / L_0)} of the events}
         *
         * @param events the toy's events
         */
        double t(double[] events);
    }

    /**
     * Runs {@code nullToys} and {@code signalToys} toys seeded from {@code seed} (null toy i from
     * {@code ToySeeds.seed(seed, 2i)}, signal toy i from {@code ToySeeds.seed(seed, 2i + 1)}).
     *
     * @param h          the two hypotheses
     * @param nullToys   toys under the null, at least 1
     * @param signalToys toys under the signal, at least 1
     * @param seed       master seed
     * @return Z_id at the median signal t_id, by importance sampling and from the null toys
     * @throws IllegalArgumentException when a toy count is below 1
     */
    public static Result run(Hypotheses h, int nullToys, int signalToys, long seed) {
        if (nullToys < 1 || signalToys < 1) {
            throw new IllegalArgumentException("ideal test needs at least one null and one signal toy; got "
                    + nullToys + " and " + signalToys);
        }
        double[] t0 = new double[nullToys];
        double[] t1 = new double[signalToys];
        for (int i = 0; i < nullToys; i++) {
            t0[i] = h.t(h.sample(false, ToySeeds.seed(seed, 2L * i)));
        }
        for (int i = 0; i < signalToys; i++) {
            t1[i] = h.t(h.sample(true, ToySeeds.seed(seed, 2L * i + 1)));
        }
        double[] sorted = t1.clone();
        Arrays.sort(sorted);
        double median = Significance.quantile(sorted, 0.5);
        double pEmp = Significance.empiricalP(t0, median);
        // importance sampling: P_0(t >= t*) = E_S[1{t >= t*} exp(-t/2)]
        double sum = 0;
        double sumSq = 0;
        for (double t : t1) {
            double v = t >= median ? Math.exp(-t / 2) : 0;
            sum += v;
            sumSq += v * v;
        }
        double pIs = sum / signalToys;
        double var = Math.max(0, sumSq / signalToys - pIs * pIs) / Math.max(1, signalToys - 1);
        double seIs = Math.sqrt(var);
        double zIs = Significance.z(Math.max(Double.MIN_NORMAL, pIs));
        double zIsLow = Significance.z(Math.min(1, pIs + seIs));
        double zIsHigh = pIs - seIs > 0 ? Significance.z(pIs - seIs) : Double.POSITIVE_INFINITY;
        double mean0 = Arrays.stream(t0).average().orElseThrow();
        return new Result(nullToys, signalToys, median, mean0, pEmp, Significance.z(pEmp),
                pEmp <= 1.0 / (nullToys + 1.0), pIs, seIs, zIs, zIsLow, zIsHigh, Math.sqrt(Math.max(0, median)));
    }

    /**
     * The ideal test's significance Z_id at the median signal t_id (paper appendix A quotes it per signal).
     *
     * @param medianSignalT  median t_id over the signal toys
     * @param meanNullT      mean t_id over the null toys
     * @param empiricalP     p at the median from the null toys
     * @param zEmpirical     Z from it
     * @param empiricalSaturated the median exceeds every null toy (zEmpirical is a lower bound)
     * @param importanceP    p at the median by importance sampling from the signal toys
     * @param importancePError its standard error
     * @param zId            Z from importanceP: the reported Z_id
     * @param zIdLow         Z at p + error
     * @param zIdHigh        Z at p - error
     * @param zSqrtMedian    {@code sqrt(median signal t_id)}, the asymptotic (Wilks, one parameter) shortcut,
     *                       reported only to compare with quoted numbers computed that way
     * @param nullToys      null toys run
     * @param signalToys    signal toys run
     */
    public record Result(int nullToys, int signalToys, double medianSignalT, double meanNullT,
                         double empiricalP, double zEmpirical, boolean empiricalSaturated,
                         double importanceP, double importancePError, double zId, double zIdLow, double zIdHigh,
                         double zSqrtMedian) {
        /**
         * {@return how Z_id was computed, in words (recorded in results)}
         */
        public String method() {
            return "median signal t_id; p under the null by importance sampling from the signal toys "
                    + "(P0(t>=t*) = E_S[1{t>=t*} exp(-t/2)], exact for the likelihood ratio), checked by null toys";
        }
    }
}
