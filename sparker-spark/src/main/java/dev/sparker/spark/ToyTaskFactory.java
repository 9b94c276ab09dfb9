package dev.sparker.spark;

import dev.sparker.calibration.ToyTask;
import java.io.Serializable;

/**
 * Builds a {@link ToyTask} on a Spark executor. A toy task holds a reference sample and an engine, which
 * neither can nor should travel from the driver: a factory ships only what defines the toys (sizes, seeds,
 * the training configuration as JSON, an engine's name) and builds the task where it runs, once per Spark
 * task. Two factories that are equal must build tasks that give the same bits.
 */
@FunctionalInterface
public interface ToyTaskFactory extends Serializable {

    /** {@return the task, built on the executor; called once per Spark task (shard)} */
    ToyTask create();
}
