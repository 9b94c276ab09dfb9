package dev.sparker.cli;

import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import picocli.CommandLine.Option;

/** {@code --engine} and {@code --precision}: the engine SparKer trains on, shared by test, expo1d and compare. */
final class EngineOptions {

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "auto",
            description = "SparKer's engine: a name or auto (see ./sparker engines; default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--precision", paramLabel = "DOUBLE|FLOAT", defaultValue = "DOUBLE",
            description = "SparKer's arithmetic: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Precision precision;

    /** {@return the engine asked for, looked up once here at the command-line edge} */
    Engines.Selection select() {
        return Engines.select(engine);
    }
}
