package dev.sparker.spark;

import dev.sparker.engine.Engines;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Which engine the executors use. Executors may differ from the driver (a GPU node, another CPU), so the
 * engine is chosen there: {@link #resolveOnExecutor} runs {@link Engines#select(String)} in one Spark task
 * and returns the name it picked, which the driver then writes into the configuration, so that every toy of
 * an ensemble trains with the same engine (and its hash names it).
 */
public final class SparkEngines {

    private SparkEngines() {
    }

    /**
     * {@return the engine {@code requested} resolves to on an executor, and why}
     *
     * @param spark     the Spark context
     * @param requested "auto" or an engine's name
     * @throws IllegalStateException a named engine is not available there (with the executor's reason)
     */
    public static Engines.Selection resolveOnExecutor(JavaSparkContext spark, String requested) {
        List<String[]> picked = spark.parallelize(List.of(requested), 1).map(name -> {
            Engines.Selection s = Engines.select(name);
            return new String[] {s.engine().name(), s.reason()};
        }).collect();
        String[] p = picked.getFirst();
        return new Engines.Selection(Engines.byName(p[0]), "on an executor: " + p[1]);
    }
}
