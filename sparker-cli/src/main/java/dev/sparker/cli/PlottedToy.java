package dev.sparker.cli;

import com.fasterxml.jackson.core.JacksonException;
import dev.sparker.expo.Expo1dStudy;
import dev.sparker.model.KernelModel;
import dev.sparker.train.ResultJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * The toy drawn in expo1d's {@code learned-f-SIGNAL.png}, kept beside the plot as {@code learned-f-SIGNAL.json}
 * so that a resumed run draws the plot without training that toy again (at the paper's scale one toy costs
 * minutes). The file names the ensemble (its configuration hash) and the toy's seed; it is reused only when
 * both match the run's, and otherwise (another configuration in the same folder, or an unreadable file)
 * replaced by a fresh fit.
 *
 * @param ensemble the configuration hash of the ensemble the toy belongs to (as in its JSON-lines file's name)
 * @param seed     the toy's seed
 * @param t        the toy's test statistic
 * @param model    the fitted model
 */
record PlottedToy(String ensemble, long seed, double t, KernelModel model) {

    /**
     * {@return the toy's fit: read from {@code file} when it holds this ensemble's toy of this seed, else
     * {@code fit}'s (then written to {@code file}, through a temporary file so that a stopped run never leaves
     * half of one)}
     *
     * @param file     the kept fit ({@code learned-f-SIGNAL.json} in the run folder)
     * @param ensemble the ensemble's configuration hash
     * @param seed     the toy's seed
     * @param fit      trains the toy
     * @param stdout   where a note goes when the kept file cannot be read
     * @throws IOException when the fit cannot be written
     */
    static Expo1dStudy.Fit reuseOrFit(Path file, String ensemble, long seed, Supplier<Expo1dStudy.Fit> fit,
                                      PrintWriter stdout) throws IOException {
        if (Files.exists(file)) {
            try {
                PlottedToy kept = ResultJson.mapper().readValue(file.toFile(), PlottedToy.class);
                if (ensemble.equals(kept.ensemble()) && seed == kept.seed() && kept.model() != null) {
                    return new Expo1dStudy.Fit(kept.model(), kept.t());
                }
            } catch (JacksonException e) {
                stdout.printf("%s is not a kept fit (%s); training the plotted toy again%n", file,
                        e.getOriginalMessage());
            }
        }
        Expo1dStudy.Fit one = fit.get();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, ResultJson.toJson(new PlottedToy(ensemble, seed, one.t(), one.model())));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return one;
    }
}
