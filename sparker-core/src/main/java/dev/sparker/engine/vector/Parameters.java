package dev.sparker.engine.vector;

/** The parameters of one evaluation in both precisions, held in buffers reused from step to step. */
final class Parameters {
    final double[] a;
    final double[] mu;
    final float[] aFloat;
    final float[] muFloat;
    double amplitude;
    double negInv2s2;

    Parameters(int kernels, int dimension) {
        a = new double[kernels];
        mu = new double[kernels * dimension];
        aFloat = new float[kernels];
        muFloat = new float[kernels * dimension];
    }

    void set(double[] aIn, double[] muIn, double amplitudeIn, double sigma) {
        System.arraycopy(aIn, 0, a, 0, a.length);
        System.arraycopy(muIn, 0, mu, 0, mu.length);
        for (int i = 0; i < a.length; i++) {
            aFloat[i] = (float) a[i];
        }
        for (int k = 0; k < mu.length; k++) {
            muFloat[k] = (float) mu[k];
        }
        amplitude = amplitudeIn;
        negInv2s2 = -1.0 / (2 * sigma * sigma);
    }
}
