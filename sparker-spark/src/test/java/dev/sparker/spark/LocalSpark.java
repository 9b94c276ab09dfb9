package dev.sparker.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A local[2] Spark context for tests: no web UI, the driver on the loopback address. */
final class LocalSpark {
    private LocalSpark() {
    }

    static SparkConf conf() {
        return new SparkConf().setMaster("local[2]").setAppName("sparker-spark test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    static JavaSparkContext start() {
        return new JavaSparkContext(conf());
    }
}
