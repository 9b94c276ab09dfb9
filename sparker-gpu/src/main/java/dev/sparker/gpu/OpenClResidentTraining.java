package dev.sparker.gpu;

import static dev.sparker.gpu.OpenClCalls.check;
import static dev.sparker.gpu.OpenClCalls.created;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;

import dev.sparker.loss.PenaltyMode;
import dev.sparker.model.KernelShape;
import dev.sparker.train.Adam;
import dev.sparker.train.Phase;
import dev.sparker.train.ResidentTraining;
import dev.sparker.train.TrainingConfig;
import dev.sparker.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * The trainer's alternating Adam schedule run on the OpenCL device for a whole {@link OpenClBatch}
 * (kernels in {@code np_train.cl}, beside the batch's {@code np_forward} and {@code np_moments}). The
 * parameters, both phases' Adam moments and the entropy live in device buffers; a step is four launches
 * (coefficient phase) or six (location phase) enqueued without waiting, and the host blocks once per epoch
 * to read each problem's {@code L_NP}, {@code L_a}, {@code L_H}, lowest loss and divergence status.
 *
 * <p>Every problem's work is cut by its own sizes and summed in a fixed order, so a problem gives the same
 * bits alone and in a batch. The Adam bias corrections {@code 1 - beta^t} are computed on the host with
 * {@link Math#pow}, as {@link Adam} computes them, and uploaded once as a table.
 */
final class OpenClResidentTraining implements ResidentTraining.Session {
    /** Work-items per problem of {@code train_gradient} and {@code train_adam} (any number gives the same bits). */
    static final int UPDATE_WIDTH = 64;
    private static final int STATUS = 8;
    private static final int MOMENTS_WANT_MU = OpenClKernelArgs.position(OpenClKernelArgs.MOMENTS, "wantMu");

    private final OpenClBatch batch;
    private final TrainingConfig config;
    private final int problems;
    private final int m;
    private final int d;
    private final int ncomp;
    private final cl_command_queue queue;
    private final List<cl_mem> buffers = new ArrayList<>();
    private final List<cl_kernel> kernels = new ArrayList<>();
    private final cl_mem masterBuf;
    private final cl_mem statusBuf;
    private final cl_mem failBuf;
    private final cl_mem recordBuf;
    private final cl_kernel density;
    private final cl_kernel entropyGradient;
    private final cl_kernel gradient;
    private final cl_kernel adam;
    private final cl_kernel record;
    private final int[] status;
    private final double[] failValue;
    private final double[] records;
    private final boolean[] running;
    private final long[] forwardGlobal;
    private final long[] forwardLocal;
    private final long[] momentsGlobal;
    private final long[] momentsLocal;
    private final long[] entropyGlobal;
    private final long[] updateGlobal;
    private final long[] recordGlobal;
    private boolean closed;

    OpenClResidentTraining(OpenClBatch batch, double[][] a, double[][] mu, TrainingConfig config) {
        this.batch = batch;
        this.config = config;
        KernelShape shape = batch.shape();
        this.problems = batch.problems();
        this.m = shape.kernels();
        this.d = shape.dimension();
        this.ncomp = d + 1;
        if (a.length != problems || mu.length != problems) {
            throw new IllegalArgumentException("batch of " + problems + " problems got " + a.length + " a and "
                    + mu.length + " mu");
        }
        this.queue = batch.queue();
        int len = problems * m * ncomp;
        double[] master = new double[len];
        for (int p = 0; p < problems; p++) {
            if (a[p].length != m || mu[p].length != m * d) {
                throw new IllegalArgumentException("problem " + p + ": parameters have M = " + a[p].length
                        + ", mu length " + mu[p].length + " but the batch was bound for M = " + m + ", d = " + d);
            }
            System.arraycopy(a[p], 0, master, p * m * ncomp, m);
            System.arraycopy(mu[p], 0, master, p * m * ncomp + m, m * d);
        }
        int maxSteps = Math.max(config.coefficientSteps(), config.locationSteps());
        long tableSteps = (long) config.epochs() * maxSteps;
        if (tableSteps > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("the resident training holds at most " + Integer.MAX_VALUE / 2
                    + " Adam steps per phase; this schedule has " + tableSteps);
        }
        double[] bias = new double[(int) (2 * tableSteps)];
        for (int t = 1; t <= tableSteps; t++) {
            bias[2 * (t - 1)] = 1 - Math.pow(Adam.BETA1, t);
            bias[2 * (t - 1) + 1] = 1 - Math.pow(Adam.BETA2, t);
        }
        this.status = new int[problems * STATUS];
        this.failValue = new double[problems];
        this.records = new double[problems * 4];
        for (int p = 0; p < problems; p++) {
            records[p * 4 + 3] = Double.POSITIVE_INFINITY;
            status[p * STATUS + 5] = Integer.MAX_VALUE;
        }
        int[] active = new int[problems];
        Arrays.fill(active, 1);
        this.running = new boolean[problems];
        Arrays.fill(running, true);

        double sigma = shape.sigma();
        double amp = shape.amplitudeFactor();
        double inv2s2 = 1.0 / (2 * sigma * sigma);
        double invS2 = 1.0 / (sigma * sigma);
        double pre = 1.0 / (m * sigma * sigma);
        double penaltyScale = config.penaltyMode() == PenaltyMode.MEAN ? config.lambdaA() / m : config.lambdaA();
        int wg = batch.workGroupSize();
        this.forwardGlobal = new long[]{(long) batch.groups1Max() * wg, problems};
        this.forwardLocal = new long[]{wg, 1};
        this.momentsGlobal = new long[]{(long) batch.groups2Max() * wg, m, problems};
        this.momentsLocal = new long[]{wg, 1, 1};
        this.entropyGlobal = new long[]{m, problems};
        this.updateGlobal = new long[]{UPDATE_WIDTH, problems};
        this.recordGlobal = new long[]{problems};

        OpenClRuntime runtime = batch.runtime();
        try {
            int[] err = new int[1];
            masterBuf = doubles(master, CL_MEM_READ_WRITE);
            cl_mem adamM = doubles(new double[len], CL_MEM_READ_WRITE);
            cl_mem adamV = doubles(new double[len], CL_MEM_READ_WRITE);
            cl_mem grad = doubles(new double[len], CL_MEM_READ_WRITE);
            cl_mem dens = doubles(new double[problems * m * 2], CL_MEM_READ_WRITE);
            cl_mem entGrad = doubles(new double[problems * m * d], CL_MEM_READ_WRITE);
            cl_mem biasBuf = doubles(bias, CL_MEM_READ_ONLY);
            statusBuf = track(created(err, CL.clCreateBuffer(runtime.context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                    (long) status.length * Sizeof.cl_int, Pointer.to(status), err), "clCreateBuffer"));
            failBuf = doubles(failValue, CL_MEM_READ_WRITE);
            recordBuf = doubles(records, CL_MEM_READ_WRITE);

            // the batch's own buffers: parameters rounded to its precision, and every problem active
            check(CL.clEnqueueWriteBuffer(queue, batch.activeBuffer(), CL_TRUE, 0, (long) problems * Sizeof.cl_int,
                    Pointer.to(active), 0, null, null), "clEnqueueWriteBuffer");
            if (batch.realDouble()) {
                check(CL.clEnqueueWriteBuffer(queue, batch.paramsBuffer(), CL_TRUE, 0, (long) len * Sizeof.cl_double,
                        Pointer.to(master), 0, null, null), "clEnqueueWriteBuffer");
            } else {
                float[] f = new float[len];
                for (int k = 0; k < len; k++) {
                    f[k] = (float) master[k];
                }
                check(CL.clEnqueueWriteBuffer(queue, batch.paramsBuffer(), CL_TRUE, 0, (long) len * Sizeof.cl_float,
                        Pointer.to(f), 0, null, null), "clEnqueueWriteBuffer");
            }

            density = kernel("ent_density");
            int i = 0;
            setMem(density, i++, batch.activeBuffer());
            setMem(density, i++, masterBuf);
            setInt(density, i++, m);
            setDouble(density, i++, amp);
            setDouble(density, i++, inv2s2);
            setMem(density, i, dens);

            entropyGradient = kernel("ent_gradient");
            i = 0;
            setMem(entropyGradient, i++, batch.activeBuffer());
            setMem(entropyGradient, i++, masterBuf);
            setInt(entropyGradient, i++, m);
            setDouble(entropyGradient, i++, amp);
            setDouble(entropyGradient, i++, inv2s2);
            setDouble(entropyGradient, i++, pre);
            setMem(entropyGradient, i++, dens);
            setMem(entropyGradient, i, entGrad);

            cl_mem stepLoss = doubles(new double[problems], CL_MEM_READ_WRITE);
            gradient = kernel("train_gradient");
            i = 0;
            setMem(gradient, i++, batch.metaBuffer());
            setMem(gradient, i++, batch.activeBuffer());
            setMem(gradient, i++, masterBuf);
            setMem(gradient, i++, grad);
            setMem(gradient, i++, batch.lossPartialBuffer());
            setMem(gradient, i++, batch.partialBuffer());
            setMem(gradient, i++, entGrad);
            setMem(gradient, i++, statusBuf);
            setMem(gradient, i++, stepLoss);
            setInt(gradient, i++, m);
            setInt(gradient, i++, batch.groups1Max());
            setInt(gradient, i++, batch.groups2Max());
            i++;                                             // phase: set per launch
            setDouble(gradient, i++, 2 * penaltyScale);
            setDouble(gradient, i++, config.lambdaH());
            setDouble(gradient, i, invS2);

            adam = kernel("train_adam");
            i = 0;
            setMem(adam, i++, batch.activeBuffer());
            setMem(adam, i++, batch.paramsBuffer());
            setMem(adam, i++, masterBuf);
            setMem(adam, i++, adamM);
            setMem(adam, i++, adamV);
            setMem(adam, i++, grad);
            setMem(adam, i++, biasBuf);
            setMem(adam, i++, statusBuf);
            setMem(adam, i++, failBuf);
            setMem(adam, i++, recordBuf);
            setMem(adam, i++, stepLoss);
            setInt(adam, i++, m);
            i += 4;                                          // phase, epoch, step, t: set per launch
            setDouble(adam, i++, config.learningRate());
            setDouble(adam, i, config.clip());

            record = kernel("train_record");
            i = 0;
            setMem(record, i++, batch.metaBuffer());
            setMem(record, i++, batch.activeBuffer());
            setMem(record, i++, masterBuf);
            setMem(record, i++, batch.lossPartialBuffer());
            setMem(record, i++, dens);
            setMem(record, i++, statusBuf);
            setMem(record, i++, failBuf);
            setMem(record, i++, recordBuf);
            setInt(record, i++, m);
            setInt(record, i++, batch.groups1Max());
            i++;                                             // epoch: set per launch
            setInt(record, i++, config.locationSteps());
            setDouble(record, i, penaltyScale);
        } catch (CLException e) {
            release();
            throw batch.translate(e, "starting the resident training");
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    @Override
    public TrainingDivergedException[] runEpoch(int epoch, double[] loss, double[] penalty, double[] entropy) {
        if (closed) {
            throw new IllegalStateException("this resident training is closed");
        }
        try {
            for (int s = 1; s <= config.coefficientSteps(); s++) {
                step(0, epoch, s, (epoch - 1) * config.coefficientSteps() + s);
            }
            for (int s = 1; s <= config.locationSteps(); s++) {
                step(1, epoch, s, (epoch - 1) * config.locationSteps() + s);
            }
            enqueueForward();
            enqueue(density, entropyGlobal, null);
            setInt(record, 10, epoch);
            enqueue(record, recordGlobal, null);
            check(CL.clEnqueueReadBuffer(queue, statusBuf, CL_TRUE, 0, (long) status.length * Sizeof.cl_int,
                    Pointer.to(status), 0, null, null), "clEnqueueReadBuffer");
            check(CL.clEnqueueReadBuffer(queue, recordBuf, CL_TRUE, 0, (long) records.length * Sizeof.cl_double,
                    Pointer.to(records), 0, null, null), "clEnqueueReadBuffer");
            check(CL.clEnqueueReadBuffer(queue, failBuf, CL_TRUE, 0, (long) failValue.length * Sizeof.cl_double,
                    Pointer.to(failValue), 0, null, null), "clEnqueueReadBuffer");
        } catch (CLException e) {
            throw batch.translate(e, "training the batch on the device (epoch " + epoch + ")");
        }
        TrainingDivergedException[] stopped = new TrainingDivergedException[problems];
        for (int p = 0; p < problems; p++) {
            if (!running[p]) {
                continue;
            }
            int kind = status[p * STATUS];
            if (kind != 0) {
                running[p] = false;
                stopped[p] = divergence(p, kind);
                continue;
            }
            loss[p] = records[p * 4];
            penalty[p] = records[p * 4 + 1];
            entropy[p] = records[p * 4 + 2];
        }
        return stopped;
    }

    private TrainingDivergedException divergence(int p, int kind) {
        int epoch = status[p * STATUS + 1];
        Phase phase = status[p * STATUS + 2] == 0 ? Phase.COEFFICIENTS : Phase.LOCATIONS;
        int step = status[p * STATUS + 3];
        int index = status[p * STATUS + 4];
        double value = failValue[p];
        String what = switch (kind) {
            case 1 -> "L_NP = " + value;
            case 2 -> "dL/da[" + index + "] = " + value;
            case 3 -> "dL/dmu[" + index + "] = " + value;
            case 4 -> "L_NP = " + value + " at the end of the epoch";
            default -> throw new IllegalStateException("unknown divergence kind " + kind + " for problem " + p);
        };
        return new TrainingDivergedException(epoch, phase, step, what);
    }

    private void step(int phase, int epoch, int s, int t) {
        if (phase == 1) {
            enqueue(density, entropyGlobal, null);
            enqueue(entropyGradient, entropyGlobal, null);
        }
        enqueueForward();
        setInt(batch.momentsKernel(), MOMENTS_WANT_MU, phase);
        check(CL.clEnqueueNDRangeKernel(queue, batch.momentsKernel(), 3, null, momentsGlobal, momentsLocal, 0, null, null),
                "clEnqueueNDRangeKernel");
        setInt(gradient, 12, phase);
        enqueue(gradient, updateGlobal, null);
        setInt(adam, 12, phase);
        setInt(adam, 13, epoch);
        setInt(adam, 14, s);
        setInt(adam, 15, t);
        enqueue(adam, updateGlobal, null);
    }

    private void enqueueForward() {
        check(CL.clEnqueueNDRangeKernel(queue, batch.forwardKernel(), 2, null, forwardGlobal, forwardLocal, 0, null, null),
                "clEnqueueNDRangeKernel");
    }

    private void enqueue(cl_kernel k, long[] global, long[] local) {
        check(CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null),
                "clEnqueueNDRangeKernel");
    }

    @Override
    public void readParameters(double[][] a, double[][] mu, double[] lowestLoss) {
        if (closed) {
            throw new IllegalStateException("this resident training is closed");
        }
        double[] master = new double[problems * m * ncomp];
        try {
            check(CL.clEnqueueReadBuffer(queue, masterBuf, CL_TRUE, 0, (long) master.length * Sizeof.cl_double,
                    Pointer.to(master), 0, null, null), "clEnqueueReadBuffer");
            check(CL.clEnqueueReadBuffer(queue, recordBuf, CL_TRUE, 0, (long) records.length * Sizeof.cl_double,
                    Pointer.to(records), 0, null, null), "clEnqueueReadBuffer");
        } catch (CLException e) {
            throw batch.translate(e, "reading the trained parameters");
        }
        for (int p = 0; p < problems; p++) {
            System.arraycopy(master, p * m * ncomp, a[p], 0, m);
            System.arraycopy(master, p * m * ncomp + m, mu[p], 0, m * d);
            lowestLoss[p] = records[p * 4 + 3];
        }
    }

    private cl_kernel kernel(String name) {
        int[] err = new int[1];
        cl_kernel k = created(err, CL.clCreateKernel(batch.program().program(), name, err), "clCreateKernel");
        kernels.add(k);
        return k;
    }

    private cl_mem doubles(double[] values, long flags) {
        int[] err = new int[1];
        return track(created(err, CL.clCreateBuffer(batch.runtime().context, flags | CL_MEM_COPY_HOST_PTR,
                (long) Math.max(1, values.length) * Sizeof.cl_double,
                Pointer.to(values.length == 0 ? new double[1] : values), err), "clCreateBuffer"));
    }

    private cl_mem track(cl_mem mem) {
        buffers.add(mem);
        return mem;
    }

    private static void setMem(cl_kernel k, int index, cl_mem mem) {
        check(CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(mem)), "clSetKernelArg");
    }

    private static void setInt(cl_kernel k, int index, int v) {
        check(CL.clSetKernelArg(k, index, Sizeof.cl_int, Pointer.to(new int[]{v})), "clSetKernelArg");
    }

    private static void setDouble(cl_kernel k, int index, double v) {
        check(CL.clSetKernelArg(k, index, Sizeof.cl_double, Pointer.to(new double[]{v})), "clSetKernelArg");
    }

    private void release() {
        for (cl_kernel k : kernels) {
            check(CL.clReleaseKernel(k), "clReleaseKernel");
        }
        kernels.clear();
        for (cl_mem mem : buffers) {
            check(CL.clReleaseMemObject(mem), "clReleaseMemObject");
        }
        buffers.clear();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                check(CL.clFinish(queue), "clFinish");
            } finally {
                release();
            }
        }
    }
}
