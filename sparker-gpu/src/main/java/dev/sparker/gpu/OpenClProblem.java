package dev.sparker.gpu;

import dev.sparker.engine.BoundProblem;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.model.KernelShape;

/** One problem on an OpenCL device: a batch of one, so it gives the same bits as inside a larger batch. */
final class OpenClProblem implements BoundProblem {
    private final OpenClBatch batch;
    private final double[][] a = new double[1][];
    private final double[][] mu = new double[1][];
    private final boolean[] active = {true};
    private final NpEvaluation[] out = new NpEvaluation[1];

    OpenClProblem(OpenClBatch batch) {
        this.batch = batch;
    }

    @Override
    public KernelShape shape() {
        return batch.shape();
    }

    @Override
    public void evaluate(double[] a, double[] mu, GradientRequest request, NpEvaluation out) {
        this.a[0] = a;
        this.mu[0] = mu;
        this.out[0] = out;
        batch.evaluate(this.a, this.mu, active, request, this.out);
    }

    @Override
    public void close() {
        batch.close();
    }
}
