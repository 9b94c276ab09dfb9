package dev.sparker.io.gw;

import dev.sparker.SparKer;
import dev.sparker.io.NullResampling;
import dev.sparker.io.ReadOptions;
import dev.sparker.io.SampleReaders;
import dev.sparker.io.SampleTable;
import dev.sparker.io.Standardisation;
import dev.sparker.io.TestInputs;
import dev.sparker.train.TestResult;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.WidthSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Runs the 12-D example through the library, without the command-line tool: reads {@code reference.npy}
 * and a data file from a folder written by {@link Gw12dStandInMain}, standardises with the reference,
 * trains with the GW_12D preset (paper schedule unless {@code --epochs} shortens it) and prints t, the
 * width, the wall time and the most positive kernels in original units. With {@code --null-toys N} it also
 * trains N resampling toys (same schedule, sigma fixed to the observed one) and prints the empirical p-value.
 *
 * <pre>
 *   java -cp ... dev.sparker.io.gw.Gw12dExample [--dir gw12d] [--data data_signal.npy] [--epochs E]
 *        [--seed S] [--null-toys N]
 * </pre>
 */
public final class Gw12dExample {

    private Gw12dExample() {
    }

    /**
     * Runs the example; see the class comment for the options.
     *
     * @param args the options
     * @throws Exception when a file cannot be read or training fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of("gw12d");
        String dataName = "data_signal.npy";
        int epochs = -1;
        long seed = 1;
        int toys = 0;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--dir" -> dir = Path.of(v);
                case "--data" -> dataName = v;
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--null-toys" -> toys = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> names = Files.exists(dir.resolve("features.txt")) ? Files.readAllLines(dir.resolve("features.txt")) : null;
        SampleTable ref = SampleReaders.read(dir.resolve("reference.npy"), ReadOptions.defaults());
        SampleTable data = SampleReaders.read(dir.resolve(dataName), ReadOptions.defaults());
        TestInputs in = TestInputs.prepare(ref, data);
        TrainingConfig.Builder b = TrainingConfig.gw12d().toBuilder().seed(seed);
        if (epochs > 0) {
            b.epochs(epochs);
        }
        TrainingConfig config = b.build();
        System.out.printf("reference %d x %d, data %s %d events, N0 = %.0f, schedule %d epochs x (%d + %d), M = %d%n",
                ref.size(), ref.dimension(), dataName, data.size(), in.expectedDataEvents(), config.epochs(),
                config.coefficientSteps(), config.locationSteps(), config.kernels());
        TestResult r = SparKer.test(in.reference(), in.data(), config);
        System.out.printf("t = %.4f  (lowest-loss t = %.4f)  sigma = %.4f (standardised units)  wall time = %.1f s  engine = %s%n",
                r.t(), -2 * r.lowestLoss(), r.sigma(), r.wallTimeSeconds(), r.engine());
        Standardisation st = in.standardisation();
        Standardisation.OriginalUnitKernels k = st.toOriginalUnits(r.model());
        List<String> labels = names != null && names.size() == ref.dimension() ? names : st.featureNames();
        Integer[] order = new Integer[r.model().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -r.model().coefficient(i)));
        System.out.println("most positive kernels (a_i, then the location in original units):");
        for (int q = 0; q < Math.min(3, order.length); q++) {
            int i = order[q];
            StringBuilder sb = new StringBuilder(String.format("  a = %+.3f :", r.model().coefficient(i)));
            double[] z = r.model().location(i);
            for (int j = 0; j < labels.size(); j++) {
                sb.append(String.format(" %s=%.3g(z=%+.1f)", labels.get(j), k.locations()[i][j], z[j]));
            }
            System.out.println(sb);
        }
        if (toys > 0) {
            TrainingConfig toyConfig = config.toBuilder().width(WidthSpec.fixed(r.sigma())).build();
            List<Double> t0 = new ArrayList<>();
            long start = System.nanoTime();
            for (int k2 = 0; k2 < toys; k2++) {
                NullResampling.Toy toy = NullResampling.toy(in.reference().withWeight(1.0), data.size(), seed, k2);
                double t = SparKer.test(toy.reference(), toy.data(), toyConfig).t();
                t0.add(t);
                System.out.printf("  null toy %d: t = %.4f%n", k2, t);
            }
            long above = t0.stream().filter(t -> t >= r.t()).count();
            System.out.printf("null toys: %d, %d with t >= observed; empirical p = (%d + 1) / (%d + 1) = %.4f; %.1f s%n",
                    toys, above, above, toys, (above + 1.0) / (toys + 1.0), (System.nanoTime() - start) / 1e9);
        }
    }
}
