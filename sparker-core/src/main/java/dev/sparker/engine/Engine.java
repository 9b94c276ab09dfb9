package dev.sparker.engine;

import dev.sparker.loss.EntropyWorkspace;
import dev.sparker.loss.LocationEntropy;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine evaluates the Neyman–Pearson loss of a SparKer model and its analytic gradients in one pass over
 * the events. Every engine gives the same numbers as {@link ScalarEngine} within the tolerance of its
 * precision, and the same bits for the same inputs whatever {@link EngineSettings#threads()} is. Engines
 * are found by {@link Engines} through {@link java.util.ServiceLoader}; the trainer takes an engine
 * instance as an argument and never looks one up.
 */
public interface Engine {

    /**
     * {@return the name users pick the engine by ({@code scalar}, {@code vector}, ...)}
     */
    String name();

    /**
     * {@return whether the engine can run here, and why not when it cannot}
     */
    EngineAvailability availability();

    /**
     * {@return whether {@code precision} is supported on this machine}
     *
     * @param precision FLOAT or DOUBLE
     */
    boolean supports(Precision precision);

    /**
     * Higher wins when the engine is picked automatically among the available ones. Engines that need a
     * user's explicit choice (for example an accelerator that is slower on CPU devices) return a negative
     * number.
     *
     * @return the priority; negative: never picked automatically
     */
    int autoSelectPriority();

    /**
     * Binds a problem: validates that reference and data share the shape's dimension and lays the events
     * out for repeated evaluation.
     *
     * @param reference the reference sample R (n_R x d, weights {@code N0 / N_R} or per event)
     * @param data      the data sample D (n_D x d)
     * @param shape     M, d, sigma and amplitude of the model to evaluate
     * @param settings  precision and threads
     * @return the bound problem; close it to release its threads or device memory
     * @throws IllegalArgumentException when the dimensions differ or an argument is null
     */
    BoundProblem bind(Samples reference, Samples data, KernelShape shape, EngineSettings settings);

    /**
     * Binds many problems of one shape. The default binds each problem on its own and evaluates them one
     * after the other; accelerator engines override it to evaluate a whole batch in one launch.
     *
     * @param references one reference sample per problem
     * @param data       one data sample per problem, as many as references
     * @param shape      the shape all problems share
     * @param settings   precision and threads
     * @return the bound batch; close it to release resources
     * @throws IllegalArgumentException when the lists differ in length or a problem fails {@link #bind}'s checks
     */
    default BoundBatch bindBatch(List<Samples> references, List<Samples> data, KernelShape shape,
                                 EngineSettings settings) {
        if (references.size() != data.size()) {
            throw new IllegalArgumentException("batch has " + references.size() + " reference samples but "
                    + data.size() + " data samples");
        }
        List<BoundProblem> bound = new ArrayList<>(references.size());
        try {
            for (int p = 0; p < references.size(); p++) {
                bound.add(bind(references.get(p), data.get(p), shape, settings));
            }
        } catch (RuntimeException e) {
            bound.forEach(BoundProblem::close);
            throw e;
        }
        return new SequentialBatch(shape, bound);
    }

    /**
     * A workspace for the location entropy term of the training (DESIGN.md section 1) at {@code precision}.
     * The default is the double-precision reference {@link LocationEntropy}; an engine with a faster path
     * for the O(M^2 d) term overrides it, and is checked against the reference.
     *
     * @param shape     the kernel shape (M, d, sigma, amplitude)
     * @param precision the precision of the training's evaluations
     * @return a new workspace, for one thread
     */
    default EntropyWorkspace locationEntropy(KernelShape shape, Precision precision) {
        return new LocationEntropy(shape);
    }

    /**
     * Checks what every engine must check before binding; throws naming the problem.
     *
     * @param reference the reference sample
     * @param data      the data sample
     * @param shape     the kernel shape
     * @param settings  the engine settings
     * @throws IllegalArgumentException when an argument is null or the dimensions of reference, data and shape
     *                                  differ
     */
    static void checkBindArguments(Samples reference, Samples data, KernelShape shape, EngineSettings settings) {
        if (reference == null || data == null || shape == null || settings == null) {
            throw new IllegalArgumentException("reference, data, shape and settings must not be null");
        }
        if (reference.dimension() != data.dimension()) {
            throw new IllegalArgumentException("reference has dimension " + reference.dimension()
                    + " but data has dimension " + data.dimension());
        }
        if (reference.dimension() != shape.dimension()) {
            throw new IllegalArgumentException("samples have dimension " + reference.dimension()
                    + " but the kernel shape has dimension " + shape.dimension());
        }
    }
}
