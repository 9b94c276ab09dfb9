package dev.sparker.cli;

import dev.sparker.train.ConvergedSettings;
import dev.sparker.train.Schedule;
import dev.sparker.train.TrainingConfig;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --schedule paper|converged} and the converged schedule's stopping tolerance, shared by expo1d, compare and test. */
final class ScheduleOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--schedule", paramLabel = "paper|converged", defaultValue = "paper",
            description = "paper: the paper's Adam schedule (--epochs x 2 x --steps steps); converged: the coefficients"
                    + " solved by Newton (L-BFGS above M = " + ConvergedSettings.DEFAULT_NEWTON_MAX_KERNELS + ") and"
                    + " L-BFGS locations each epoch, stopping when the total loss stops falling"
                    + " (--epochs is then its cap; see docs/guide/converged-training.md) (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--tolerance", paramLabel = "REL",
            description = "converged schedule: stop when the total loss falls by less than this fraction per epoch for "
                    + ConvergedSettings.DEFAULT_PATIENCE + " epochs in a row (default: "
                    + ConvergedSettings.DEFAULT_TOLERANCE + ")")
    Double tolerance;

    /** The schedule asked for; a bad value or a --tolerance without the converged schedule is a usage error. */
    Schedule schedule() {
        Schedule s;
        try {
            s = Schedule.valueOf(schedule.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--schedule " + schedule
                    + ": use paper or converged");
        }
        if (tolerance != null) {
            if (s != Schedule.CONVERGED) {
                throw new CommandLine.ParameterException(mixee.commandLine(),
                        "--tolerance applies to --schedule converged only");
            }
            if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
                throw new CommandLine.ParameterException(mixee.commandLine(), "--tolerance " + tolerance
                        + ": it must be finite and > 0");
            }
        }
        return s;
    }

    /** Sets the schedule (and the tolerance) on {@code b}. */
    TrainingConfig.Builder apply(TrainingConfig.Builder b) {
        Schedule s = schedule();
        b.schedule(s);
        if (s == Schedule.CONVERGED && tolerance != null) {
            ConvergedSettings d = ConvergedSettings.defaults();
            b.converged(new ConvergedSettings(tolerance, d.patience(), d.locationIterations(), d.newtonMaxKernels(),
                    d.newtonIterations(), d.warmupEpochs()));
        }
        return b;
    }
}
