package dev.sparker.engine;

import dev.sparker.model.KernelShape;
import java.util.List;

/** A batch evaluated one problem after the other, each through its own bound problem. */
final class SequentialBatch implements BoundBatch {
    private final KernelShape shape;
    private final List<BoundProblem> problems;

    SequentialBatch(KernelShape shape, List<BoundProblem> problems) {
        this.shape = shape;
        this.problems = List.copyOf(problems);
    }

    @Override
    public KernelShape shape() {
        return shape;
    }

    @Override
    public int problems() {
        return problems.size();
    }

    @Override
    public void evaluate(double[][] a, double[][] mu, boolean[] active, GradientRequest request, NpEvaluation[] out) {
        for (int p = 0; p < problems.size(); p++) {
            if (active[p]) {
                problems.get(p).evaluate(a[p], mu[p], request, out[p]);
            }
        }
    }

    @Override
    public void close() {
        problems.forEach(BoundProblem::close);
    }
}
