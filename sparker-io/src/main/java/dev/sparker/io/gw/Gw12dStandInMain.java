package dev.sparker.io.gw;

import java.nio.file.Path;

/**
 * Writes the 12-D stand-in samples to a folder (see {@link Gw12dStandIn} for how they are generated).
 *
 * <pre>
 *   java -cp sparker-io/target/classes:sparker-core/target/classes dev.sparker.io.gw.Gw12dStandInMain \
 *        [--out DIR] [--seed S] [--reference N_R] [--data N_D] [--signal-events N_S] [--strength A] [--glitch-rate P]
 * </pre>
 * Defaults: {@code --out gw12d --seed 12 --reference 24020 --data 2402 --signal-events 60 --strength 2 --glitch-rate 0.004}.
 */
public final class Gw12dStandInMain {

    private Gw12dStandInMain() {
    }

    /**
     * Writes the stand-in files; see the class comment for the options.
     *
     * @param args the options
     * @throws IllegalArgumentException naming an unknown option or a bad value
     */
    public static void main(String[] args) {
        Path out = Path.of("gw12d");
        Gw12dStandIn p = Gw12dStandIn.paperSized(12);
        long seed = p.seed();
        int nr = p.referenceSize();
        int nd = p.dataSize();
        int ns = p.signalEvents();
        double strength = p.signalStrength();
        double glitch = p.glitchRate();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println("usage: Gw12dStandInMain [--out DIR] [--seed S] [--reference N_R] [--data N_D]"
                            + " [--signal-events N_S] [--strength A] [--glitch-rate P]");
                    return;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--out" -> out = Path.of(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--reference" -> nr = Integer.parseInt(v);
                    case "--data" -> nd = Integer.parseInt(v);
                    case "--signal-events" -> ns = Integer.parseInt(v);
                    case "--strength" -> strength = Double.parseDouble(v);
                    case "--glitch-rate" -> glitch = Double.parseDouble(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            Gw12dStandIn gen = new Gw12dStandIn(nr, nd, ns, strength, glitch, seed);
            gen.writeTo(out);
            System.out.println("wrote " + out.resolve("reference.npy") + " (" + nr + " x 12), " + out.resolve("data.npy")
                    + " (" + nd + " x 12), " + out.resolve("data_signal.npy") + " (" + nd + " x 12, " + ns
                    + " signal events), data_signal_truth.npy and features.txt; seed " + seed);
            System.out.println("this is a synthetic stand-in for the paper's GWAK features, not LIGO data");
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
