package dev.sparker.cli;

import com.fasterxml.jackson.core.JacksonException;
import dev.sparker.expo.Expo1dStudy;
import dev.sparker.model.KernelModel;
import dev.sparker.train.ResultJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The toy drawn in expo1d's {@code learned-f-SIGNAL.png}, kept beside the plot as {@code learned-f-SIGNAL.json}
 * so that a resumed run draws the plot without training that toy again (at the paper's scale one toy costs
 * minutes). The file names the ensemble (its configuration hash), the toy's seed and its t; it is reused only
 * when all three match the run's (the t as the toy's row in the ensemble file has it, bit for bit), and otherwise
 * (another configuration in the same folder, a fit from other code, an unreadable file) replaced by a fresh fit.
 *
 * @param ensemble the configuration hash of the ensemble the toy belongs to (as in its JSON-lines file's name)
 * @param seed     the toy's seed
 * @param t        the toy's test statistic
 * @param model    the fitted model
 */
record PlottedToy(String ensemble, long seed, double t, KernelModel model) {

    /**
     * {@return the toy's fit: read from {@code file} when it holds this ensemble's toy of this seed with the t
     * the ensemble recorded for it, else {@code fit}'s (then written to {@code file} by {@link ResultJson#write}, so that a stopped run
     * never leaves half of one)}. A kept fit that cannot be read, or a fit that
     * cannot be written, costs only the saving: it is noted on {@code stdout} and the plot is drawn all the same.
     *
     * @param file     the kept fit ({@code learned-f-SIGNAL.json} in the run folder)
     * @param ensemble the ensemble's configuration hash
     * @param seed     the toy's seed
     * @param rowT     the toy's t as its row in the ensemble file records it (a kept fit must match it bit for bit)
     * @param fit      trains the toy
     * @param stdout   where the notes go
     */
    static Expo1dStudy.Fit reuseOrFit(Path file, String ensemble, long seed, double rowT, Supplier<Expo1dStudy.Fit> fit,
                                      PrintWriter stdout) {
        if (Files.exists(file)) {
            try {
                PlottedToy kept = ResultJson.mapper().readValue(file.toFile(), PlottedToy.class);
                if (ensemble.equals(kept.ensemble()) && seed == kept.seed() && kept.model() != null
                        && Double.doubleToLongBits(kept.t()) == Double.doubleToLongBits(rowT)) {
                    return new Expo1dStudy.Fit(kept.model(), kept.t());
                }
            } catch (JacksonException e) {
                stdout.printf("%s is not a kept fit (%s); training the plotted toy again%n", file,
                        e.getOriginalMessage());
            } catch (IOException e) {
                stdout.printf("cannot read %s (%s); training the plotted toy again%n", file, e.getMessage());
            }
        }
        Expo1dStudy.Fit one = fit.get();
        try {
            ResultJson.write(file, new PlottedToy(ensemble, seed, one.t(), one.model()));
        } catch (IOException e) {
            stdout.printf("cannot keep the plotted toy's fit in %s (%s); a resumed run will train it again%n", file,
                    e.getMessage());
        }
        return one;
    }
}
