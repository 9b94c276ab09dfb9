package dev.sparker.cli;

import dev.sparker.io.gw.Gw12dStandIn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sparker gw12d-standin}: writes the synthetic 12-D stand-in samples ({@link Gw12dStandIn}) as .npy files. */
@Command(name = "gw12d-standin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Writes a synthetic 12-D stand-in for the paper's gravitational-wave (GWAK) features - NOT LIGO "
                        + "data: reference.npy (N_R x 12), data.npy (N_D x 12, no signal), data_signal.npy (N_D x 12 with "
                        + "--signal-events events of signal), data_signal_truth.npy (1 marks a signal event) and features.txt. "
                        + "Then:",
                "  ./sparker test --reference DIR/reference.npy --data DIR/data_signal.npy"})
final class Gw12dStandInCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})", defaultValue = "gw12d")
    Path out;

    @Option(names = "--seed", description = "seeds everything; the same seed gives the same files (default: ${DEFAULT-VALUE})", defaultValue = "12")
    long seed;

    @Option(names = "--reference-size", description = "N_R reference events (default: ${DEFAULT-VALUE}, as in the paper)", defaultValue = "24020")
    int referenceSize;

    @Option(names = "--data-size", description = "N_D data events per data file (default: ${DEFAULT-VALUE}, as in the paper)", defaultValue = "2402")
    int dataSize;

    @Option(names = "--signal-events", paramLabel = "N_S", description = "signal events in data_signal.npy (default: ${DEFAULT-VALUE}; 0 for none)", defaultValue = "60")
    int signalEvents;

    @Option(names = "--strength", paramLabel = "A", description = "mean signal shift A, in units of each feature's log-scale (default: ${DEFAULT-VALUE})", defaultValue = "2.0")
    double strength;

    @Option(names = "--glitch-rate", paramLabel = "P", description = "probability per event of a single-feature outlier (default: ${DEFAULT-VALUE})", defaultValue = "0.004")
    double glitchRate;

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() {
        if (referenceSize < 1) throw bad("--reference-size " + referenceSize + ": at least 1");
        if (dataSize < 1) throw bad("--data-size " + dataSize + ": at least 1");
        if (signalEvents < 0 || signalEvents > dataSize) {
            throw bad("--signal-events " + signalEvents + ": between 0 and --data-size (" + dataSize + ")");
        }
        if (!Double.isFinite(strength)) throw bad("--strength " + strength + ": must be finite");
        if (!(glitchRate >= 0 && glitchRate <= 1)) throw bad("--glitch-rate " + glitchRate + ": a probability in [0, 1]");
        Gw12dStandIn gen = new Gw12dStandIn(referenceSize, dataSize, signalEvents, strength, glitchRate, seed);
        gen.writeTo(out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s (%d x 12), %s (%d x 12, no signal), %s (%d x 12, %d signal events of strength %s),%n",
                out.resolve("reference.npy"), referenceSize, out.resolve("data.npy"), dataSize,
                out.resolve("data_signal.npy"), dataSize, signalEvents, strength);
        o.printf("data_signal_truth.npy and features.txt; seed %d, glitch rate %s%n", seed, glitchRate);
        o.println("a synthetic stand-in for the paper's GWAK features, not LIGO data");
        o.flush();
        return 0;
    }
}
