package dev.sparker.expo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sparker.calibration.ShardManifest;
import dev.sparker.calibration.Significance;
import dev.sparker.model.Samples;
import dev.sparker.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Several models on the same EXPO-1D toys for several M (the paper's Figure 1) as a library call, what
 * {@code ./sparker compare} runs: for each M and each model, null toys calibrate t (empirically and by a chi-square
 * fit) and signal toys give Z at the median signal t. Every ensemble is the file {@link Expo1dStudy#ensembles} writes,
 * so {@code expo1d} and this comparison share toys. Prints nothing: progress goes to an {@link Expo1dStudy.Listener}.
 */
public final class Expo1dComparison {

    private Expo1dComparison() {
    }

    /** A model of the comparison: its name and how to build it at one M. */
    @FunctionalInterface
    public interface ModelAtM {
        /**
         * {@return the model's factory at {@code kernels}}
         *
         * @param kernels  M
         * @param training SparKer's training configuration at that M (models that do not train with it ignore it)
         */
        Expo1dStudy.ModelFactory at(int kernels, TrainingConfig training);
    }

    /**
     * A named model.
     *
     * @param name    its name in results ("sparker", "falkon")
     * @param factory how to build it at one M
     */
    public record Entrant(String name, ModelAtM factory) {
    }

    /**
     * Toy counts of one model at one M.
     *
     * @param toys     signal toys per signal, at least 1
     * @param nullToys null toys, at least 2
     */
    public record Counts(int toys, int nullToys) {
        /**
         * Checks the counts.
         *
         * @throws IllegalArgumentException when a count is out of range
         */
        public Counts {
            if (toys < 1) throw new IllegalArgumentException("toys " + toys + ": at least 1 signal toy");
            if (nullToys < 2) throw new IllegalArgumentException("nullToys " + nullToys + ": at least 2 (the chi-square fit needs them)");
        }
    }

    /**
     * The comparison's settings.
     *
     * @param referenceSize N_R, at least 10
     * @param widthQuantile the kernel width as a quantile of pairwise reference distances, both models, in (0, 1)
     * @param signals       the signals, each once
     * @param kernels       the values of M, each once, ascending
     * @param counts        toy counts of every model at every M
     * @param overrides     counts of some model at some M, keyed "model:M"
     * @param seed          the master seed
     * @param training      SparKer's training configuration at each M (its seed draws the width subsample)
     */
    public record Request(int referenceSize, double widthQuantile, List<Expo1dSignal> signals, List<Integer> kernels,
                          Counts counts, Map<String, Counts> overrides, long seed, IntFunction<TrainingConfig> training) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the setting out of range
         */
        public Request {
            if (referenceSize < 10) throw new IllegalArgumentException("referenceSize " + referenceSize + ": at least 10");
            if (!(widthQuantile > 0 && widthQuantile < 1)) {
                throw new IllegalArgumentException("widthQuantile " + widthQuantile + ": quantiles lie in (0, 1)");
            }
            if (kernels == null || kernels.isEmpty()) throw new IllegalArgumentException("kernels: give at least one M");
            signals = List.copyOf(signals);
            kernels = List.copyOf(kernels);
            overrides = Map.copyOf(overrides);
            if (counts == null || training == null) throw new IllegalArgumentException("counts and training must not be null");
        }

        /**
         * {@return the counts of {@code model} at {@code kernels}}
         *
         * @param model   the model's name
         * @param kernels M
         */
        public Counts countsOf(String model, int kernels) {
            return overrides.getOrDefault(model + ":" + kernels, counts);
        }
    }

    /**
     * One line of the table: a model at one M against one signal (or the null toys, signal "null").
     *
     * @param model         the model
     * @param kernels       M
     * @param signal        the signal, or "null"
     * @param toys          toys
     * @param medianT       median t
     * @param sensitivity   Z at the median signal t (null for the null row)
     * @param dof           the chi-square dof fitted to the null t
     * @param dofError      its error
     * @param secondsPerToy mean wall time of one toy
     * @param wallSeconds   wall time of this run of the ensemble
     * @param file          the ensemble's file name
     */
    public record Row(String model, int kernels, String signal, int toys, double medianT, Significance.Sensitivity sensitivity,
                      double dof, double dofError, double secondsPerToy, double wallSeconds, String file) {
    }

    /**
     * The wall time of one ensemble.
     *
     * @param model         the model
     * @param kernels       M
     * @param part          the signal, or "null"
     * @param toys          toys
     * @param secondsPerToy mean wall time of one toy
     * @param wallSeconds   wall time of this run (0 when every toy was already done)
     */
    public record Part(String model, int kernels, String part, int toys, double secondsPerToy, double wallSeconds) {
    }

    /**
     * The outcome.
     *
     * @param sigmas    the width at each M, keyed "M10"
     * @param rows      the table (empty when sharded)
     * @param parts     each ensemble's wall time (empty when sharded)
     * @param ensembles every ensemble run, as a shard manifest lists them (not written to JSON)
     */
    public record Result(Map<String, Double> sigmas, List<Row> rows, List<Part> parts,
                         @JsonIgnore List<ShardManifest.Ensemble> ensembles) {
    }

    /**
     * Runs (or resumes) the comparison.
     *
     * @param request   the settings
     * @param models    the models, each once
     * @param ensembles where and how ensembles run
     * @param listener  hears the progress
     * @return the table
     * @throws UncheckedIOException when the output folder cannot be created
     * @throws dev.sparker.calibration.ToyEnsembleException when a toy fails or a resumed file does not match
     */
    public static Result run(Request request, List<Entrant> models, Expo1dStudy.Ensembles ensembles,
                             Expo1dStudy.Listener listener) {
        Samples reference = Expo1d.reference(request.referenceSize(), request.seed());
        try {
            Files.createDirectories(ensembles.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + ensembles.out(), e);
        }
        int total = 0;
        for (Entrant m : models) {
            for (int k : request.kernels()) {
                Counts c = request.countsOf(m.name(), k);
                total += ensembles.share(c.nullToys()) + ensembles.share(c.toys()) * request.signals().size();
            }
        }
        listener.planned(total);
        boolean sharded = ensembles.shard() != null;
        List<Row> rows = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        List<ShardManifest.Ensemble> ran = new ArrayList<>();
        Map<String, Double> sigmaByM = new LinkedHashMap<>();
        long seed = request.seed();
        for (int k : request.kernels()) {
            TrainingConfig base = request.training().apply(k);
            double[] sigmas = Expo1dStudy.sigmas(reference, base, List.of(request.widthQuantile()));
            sigmaByM.put("M" + k, sigmas[0]);
            Map<String, Object> common = Expo1dEnsembles.commonKey(request.referenceSize(), seed,
                    List.of(request.widthQuantile()), sigmas);
            for (Entrant m : models) {
                Counts c = request.countsOf(m.name(), k);
                Expo1dStudy.Model model = m.factory().at(k, base).create(reference, sigmas, common);
                List<Expo1dStudy.Ensemble> together = Expo1dStudy.nullAndSignals(model, c.nullToys(), request.signals(),
                        c.toys(), seed, ensembles, listener);
                for (Expo1dStudy.Ensemble e : together) {
                    ran.add(e.manifest());
                }
                if (sharded) {
                    continue;
                }
                Expo1dStudy.Ensemble nullRun = together.get(0);
                double[] null0 = nullRun.column(0);
                Significance.ChiSquareFit fit = Significance.fitChiSquare(null0);
                rows.add(new Row(m.name(), k, "null", null0.length, Significance.quantiles(null0, 0.5)[0], null, fit.dof(),
                        fit.dofError(), nullRun.secondsPerToy(), nullRun.wallSeconds(), nullRun.file().getFileName().toString()));
                parts.add(new Part(m.name(), k, "null", nullRun.t().length, nullRun.secondsPerToy(), nullRun.wallSeconds()));
                for (int j = 1; j < together.size(); j++) {
                    Expo1dSignal s = request.signals().get(j - 1);
                    Expo1dStudy.Ensemble run = together.get(j);
                    Significance.Sensitivity sens = Significance.sensitivity(null0, run.column(0), fit);
                    rows.add(new Row(m.name(), k, s.cliName(), run.t().length, sens.medianT(), sens, fit.dof(), fit.dofError(),
                            run.secondsPerToy(), run.wallSeconds(), run.file().getFileName().toString()));
                    parts.add(new Part(m.name(), k, s.cliName(), run.t().length, run.secondsPerToy(), run.wallSeconds()));
                }
            }
        }
        return new Result(sigmaByM, rows, parts, ran);
    }
}
