package dev.sparker.gpu;

import static dev.sparker.gpu.OpenClCalls.check;
import static dev.sparker.gpu.OpenClCalls.created;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.CL_TRUE;

import dev.sparker.engine.BoundBatch;
import dev.sparker.engine.GradientRequest;
import dev.sparker.engine.NpEvaluation;
import dev.sparker.engine.Precision;
import dev.sparker.model.KernelShape;
import dev.sparker.model.Samples;
import dev.sparker.train.ResidentTraining;
import dev.sparker.train.Schedule;
import dev.sparker.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Problems of one kernel shape laid out on an OpenCL device and evaluated by one launch of each kernel of
 * {@code np_loss.cl}. Events go up once, at bind; each evaluation sends only the parameters (a, mu) and the
 * active flags and reads back only the losses and the gradient sums.
 *
 * <p>Layout: all events in one row-major buffer, every distinct reference sample once (problems that share
 * a reference, by identity or by equal content, point at the same rows) followed by each problem's data
 * events; {@code meta} gives each problem its row ranges. Each problem's work is cut into work-groups by its
 * own sizes only, so a problem gives the same bits whether it is evaluated alone or in a batch.
 */
final class OpenClBatch implements BoundBatch, ResidentTraining {
    /** Arguments set again at every evaluation, by name (see {@link OpenClKernelArgs}). */
    private static final int MOMENTS_WANT_MU = OpenClKernelArgs.position(OpenClKernelArgs.MOMENTS, "wantMu");
    private static final int FINISH_WANT_GRAD = OpenClKernelArgs.position(OpenClKernelArgs.FINISH, "wantGrad");
    private static final int FINISH_WANT_MU = OpenClKernelArgs.position(OpenClKernelArgs.FINISH, "wantMu");

    /** Ints per problem in {@code meta} (one spare); the kernels get it and the slots below as -D defines. */
    static final int META = 8;
    /** Slot of {@code meta}: first row of the problem's reference in x/w. */
    static final int META_REF_START = 0;
    /** Slot of {@code meta}: the reference's event count. */
    static final int META_REF_COUNT = 1;
    /** Slot of {@code meta}: first row of the problem's data in x/w. */
    static final int META_DATA_START = 2;
    /** Slot of {@code meta}: the data's event count. */
    static final int META_DATA_COUNT = 3;
    /** Slot of {@code meta}: the problem's offset into g. */
    static final int META_G_START = 4;
    /** Slot of {@code meta}: work-groups of the forward kernel. */
    static final int META_GROUPS_FORWARD = 5;
    /** Slot of {@code meta}: work-groups of the moments kernel. */
    static final int META_GROUPS_MOMENTS = 6;

    /** The {@code meta} layout as OpenCL build defines, so the kernels read the slots this class writes. */
    static String metaDefines() {
        return " -D META=" + META + " -D META_REF_START=" + META_REF_START + " -D META_REF_COUNT=" + META_REF_COUNT
                + " -D META_DATA_START=" + META_DATA_START + " -D META_DATA_COUNT=" + META_DATA_COUNT
                + " -D META_G_START=" + META_G_START + " -D META_GROUPS_FORWARD=" + META_GROUPS_FORWARD
                + " -D META_GROUPS_MOMENTS=" + META_GROUPS_MOMENTS;
    }

    private final OpenClRuntime runtime;
    private final KernelShape shape;
    private final int problems;
    private final int m;
    private final int d;
    private final int ncomp;
    private final boolean realDouble;
    private final boolean accDouble;
    private final int wg;
    private final int groups1Max;
    private final int groups2Max;
    private final double invS2;
    private final long totalBytes;
    private final String sizeBreakdown;

    private final cl_command_queue queue;
    private final cl_kernel forward;
    private final cl_kernel moments;
    private final cl_kernel finish;
    private final List<cl_mem> buffers = new ArrayList<>();
    private final cl_mem paramsBuf;
    private final cl_mem activeBuf;
    private final cl_mem outLossBuf;
    private final cl_mem outGradBuf;
    private final cl_mem eventsBuf;
    private final cl_mem metaBuf;
    private final cl_mem gBuf;
    private final cl_mem lossPartialBuf;
    private final cl_mem partialBuf;
    private final OpenClRuntime.Program program;
    /** The coefficient-Hessian kernels and buffers, made on the first such request (null until then). */
    private HessianPart hessian;
    private final boolean residentTraining;

    private final float[] paramsF;
    private final double[] paramsD;
    private final int[] activeHost;
    private final float[] lossF;
    private final double[] lossD;
    private final float[] gradF;
    private final double[] gradD;
    private boolean closed;

    OpenClBatch(OpenClRuntime runtime, List<Samples> references, List<Samples> data, KernelShape shape,
                Precision precision, boolean accumulateInDouble, long memoryLimitBytes, boolean residentTraining,
                boolean storeKernelValues) {
        this.runtime = runtime;
        this.shape = shape;
        this.problems = references.size();
        this.m = shape.kernels();
        this.d = shape.dimension();
        this.ncomp = d + 1;
        this.realDouble = precision == Precision.DOUBLE;
        this.accDouble = realDouble || (accumulateInDouble && runtime.device.info().fp64());
        // NVIDIA maps the second and third grid dimensions onto CUDA's 65535-block limit
        if (problems > 65535 || m > 65535) {
            throw new IllegalArgumentException("an OpenCL batch holds at most 65535 problems of at most 65535"
                    + " kernels; got " + problems + " problems of M = " + m);
        }
        this.residentTraining = residentTraining;
        this.program = runtime.program(new OpenClRuntime.ProgramKey(realDouble, accDouble, d, storeKernelValues));
        this.wg = program.workGroup();
        int chunk2 = wg * OpenClRuntime.CHUNK2;

        // events: each distinct reference once, then every problem's data
        List<Samples> distinctRefs = new ArrayList<>();
        List<double[]> distinctRefX = new ArrayList<>();
        List<double[]> distinctRefW = new ArrayList<>();
        int[] refIndex = new int[problems];
        for (int p = 0; p < problems; p++) {
            refIndex[p] = findShared(references.get(p), distinctRefs, distinctRefX, distinctRefW);
        }
        long rows = 0;
        long[] refStart = new long[distinctRefs.size()];
        for (int r = 0; r < distinctRefs.size(); r++) {
            refStart[r] = rows;
            rows += distinctRefs.get(r).size();
        }
        int[] meta = new int[problems * META];
        long gTotal = 0;
        int g1Max = 1;
        int g2Max = 1;
        long[] dataStart = new long[problems];
        for (int p = 0; p < problems; p++) {
            dataStart[p] = rows;
            rows += data.get(p).size();
        }
        for (int p = 0; p < problems; p++) {
            int nRef = references.get(p).size();
            int nData = data.get(p).size();
            long n = (long) nRef + nData;
            int g1 = (int) ((n + wg - 1) / wg);
            int g2 = (int) ((n + chunk2 - 1) / chunk2);
            meta[p * META + META_REF_START] = (int) refStart[refIndex[p]];
            meta[p * META + META_REF_COUNT] = nRef;
            meta[p * META + META_DATA_START] = (int) dataStart[p];
            meta[p * META + META_DATA_COUNT] = nData;
            meta[p * META + META_G_START] = (int) gTotal;
            meta[p * META + META_GROUPS_FORWARD] = g1;
            meta[p * META + META_GROUPS_MOMENTS] = g2;
            gTotal += n;
            g1Max = Math.max(g1Max, g1);
            g2Max = Math.max(g2Max, g2);
        }
        if (rows * d > Integer.MAX_VALUE || gTotal > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an OpenCL batch indexes events with 32-bit integers; this batch has "
                    + rows + " event rows of dimension " + d + " and " + gTotal + " (problem, event) pairs");
        }
        this.groups1Max = g1Max;
        this.groups2Max = g2Max;
        this.invS2 = 1.0 / (shape.sigma() * shape.sigma());

        int rb = realDouble ? Sizeof.cl_double : Sizeof.cl_float;
        int ab = accDouble ? Sizeof.cl_double : Sizeof.cl_float;
        long xBytes = rows * d * rb;
        long wBytes = rows * rb;
        long gBytes = gTotal * rb;
        long lossPartialBytes = (long) problems * g1Max * ab;
        long partialBytes = (long) problems * m * g2Max * ncomp * ab;
        long paramsBytes = (long) problems * m * ncomp * rb;
        long outGradBytes = (long) problems * m * ncomp * ab;
        long smallBytes = (long) problems * (META * 4 + 4 + ab);
        long kBytes = storeKernelValues ? gTotal * m * rb : rb;
        this.totalBytes = xBytes + wBytes + gBytes + lossPartialBytes + partialBytes + paramsBytes + outGradBytes
                + smallBytes + kBytes;
        this.sizeBreakdown = String.format(Locale.ROOT, "events %d B, weights %d B, per-event g %d B, loss partials"
                        + " %d B, gradient partials %d B, parameters %d B, gradients %d B, other %d B, stored kernel values"
                        + " %d B", xBytes, wBytes, gBytes, lossPartialBytes, partialBytes, paramsBytes, outGradBytes,
                smallBytes, kBytes);
        checkMemory(memoryLimitBytes, new long[]{xBytes, wBytes, gBytes, lossPartialBytes, partialBytes, paramsBytes,
                outGradBytes, kBytes});

        // host-side staging
        double[] x = new double[(int) (rows * d)];
        double[] w = new double[(int) rows];
        for (int r = 0; r < distinctRefs.size(); r++) {
            System.arraycopy(distinctRefX.get(r), 0, x, (int) refStart[r] * d, distinctRefX.get(r).length);
            System.arraycopy(distinctRefW.get(r), 0, w, (int) refStart[r], distinctRefW.get(r).length);
        }
        for (int p = 0; p < problems; p++) {
            double[] dx = data.get(p).flatCoordinates();
            double[] dw = data.get(p).weights();
            System.arraycopy(dx, 0, x, (int) dataStart[p] * d, dx.length);
            System.arraycopy(dw, 0, w, (int) dataStart[p], dw.length);
        }
        int paramLen = problems * m * ncomp;
        this.paramsF = realDouble ? null : new float[paramLen];
        this.paramsD = realDouble ? new double[paramLen] : null;
        this.activeHost = new int[problems];
        this.lossF = accDouble ? null : new float[problems];
        this.lossD = accDouble ? new double[problems] : null;
        this.gradF = accDouble ? null : new float[paramLen];
        this.gradD = accDouble ? new double[paramLen] : null;

        cl_command_queue q = null;
        cl_kernel kf = null;
        cl_kernel km = null;
        cl_kernel kfin = null;
        try {
            int[] err = new int[1];
            q = runtime.newQueue();
            cl_mem xBuf = upload(x);
            cl_mem wBuf = upload(w);
            cl_mem mBuf = track(created(err, CL.clCreateBuffer(runtime.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                    (long) meta.length * Sizeof.cl_int, Pointer.to(meta), err), "clCreateBuffer"));
            cl_mem actBuf = track(created(err, CL.clCreateBuffer(runtime.context, CL_MEM_READ_ONLY, (long) problems * Sizeof.cl_int,
                    null, err), "clCreateBuffer"));
            // read-write: the resident training loop (OpenClResidentTraining) updates the parameters in place
            cl_mem parBuf = readWriteBuffer(paramsBytes);
            cl_mem gvBuf = readWriteBuffer(gBytes);
            cl_mem lpBuf = readWriteBuffer(lossPartialBytes);
            cl_mem pBuf = readWriteBuffer(partialBytes);
            cl_mem olBuf = readWriteBuffer((long) problems * ab);
            cl_mem ogBuf = readWriteBuffer(outGradBytes);
            cl_mem kBuf = readWriteBuffer(kBytes);

            kf = created(err, CL.clCreateKernel(program.program(), "np_forward", err), "clCreateKernel");
            km = created(err, CL.clCreateKernel(program.program(), "np_moments", err), "clCreateKernel");
            kfin = created(err, CL.clCreateKernel(program.program(), "np_finish", err), "clCreateKernel");
            Pointer amp = real(shape.amplitudeFactor());
            Pointer inv2s2 = real(1.0 / (2 * shape.sigma() * shape.sigma()));
            List<String> fa = OpenClKernelArgs.FORWARD;
            setMem(kf, OpenClKernelArgs.position(fa, "x"), xBuf);
            setMem(kf, OpenClKernelArgs.position(fa, "w"), wBuf);
            setMem(kf, OpenClKernelArgs.position(fa, "meta"), mBuf);
            setMem(kf, OpenClKernelArgs.position(fa, "active"), actBuf);
            setMem(kf, OpenClKernelArgs.position(fa, "params"), parBuf);
            setInt(kf, OpenClKernelArgs.position(fa, "m"), m);
            check(CL.clSetKernelArg(kf, OpenClKernelArgs.position(fa, "amp"), rb, amp), "clSetKernelArg");
            check(CL.clSetKernelArg(kf, OpenClKernelArgs.position(fa, "inv2s2"), rb, inv2s2), "clSetKernelArg");
            setInt(kf, OpenClKernelArgs.position(fa, "groups1Max"), g1Max);
            setMem(kf, OpenClKernelArgs.position(fa, "g"), gvBuf);
            setMem(kf, OpenClKernelArgs.position(fa, "lossPartial"), lpBuf);
            setMem(kf, OpenClKernelArgs.position(fa, "kstore"), kBuf);
            List<String> ma = OpenClKernelArgs.MOMENTS;
            setMem(km, OpenClKernelArgs.position(ma, "x"), xBuf);
            setMem(km, OpenClKernelArgs.position(ma, "meta"), mBuf);
            setMem(km, OpenClKernelArgs.position(ma, "active"), actBuf);
            setMem(km, OpenClKernelArgs.position(ma, "params"), parBuf);
            setInt(km, OpenClKernelArgs.position(ma, "m"), m);
            check(CL.clSetKernelArg(km, OpenClKernelArgs.position(ma, "amp"), rb, amp), "clSetKernelArg");
            check(CL.clSetKernelArg(km, OpenClKernelArgs.position(ma, "inv2s2"), rb, inv2s2), "clSetKernelArg");
            setInt(km, OpenClKernelArgs.position(ma, "groups2Max"), g2Max);
            setInt(km, MOMENTS_WANT_MU, 1);
            setMem(km, OpenClKernelArgs.position(ma, "g"), gvBuf);
            setMem(km, OpenClKernelArgs.position(ma, "partial"), pBuf);
            setMem(km, OpenClKernelArgs.position(ma, "kstore"), kBuf);
            List<String> na = OpenClKernelArgs.FINISH;
            setMem(kfin, OpenClKernelArgs.position(na, "meta"), mBuf);
            setMem(kfin, OpenClKernelArgs.position(na, "active"), actBuf);
            setInt(kfin, OpenClKernelArgs.position(na, "m"), m);
            setInt(kfin, OpenClKernelArgs.position(na, "groups1Max"), g1Max);
            setInt(kfin, OpenClKernelArgs.position(na, "groups2Max"), g2Max);
            setInt(kfin, FINISH_WANT_GRAD, 1);
            setInt(kfin, FINISH_WANT_MU, 1);
            setMem(kfin, OpenClKernelArgs.position(na, "lossPartial"), lpBuf);
            setMem(kfin, OpenClKernelArgs.position(na, "partial"), pBuf);
            setMem(kfin, OpenClKernelArgs.position(na, "outLoss"), olBuf);
            setMem(kfin, OpenClKernelArgs.position(na, "outGrad"), ogBuf);
            this.activeBuf = actBuf;
            this.eventsBuf = xBuf;
            this.metaBuf = mBuf;
            this.gBuf = gvBuf;
            this.paramsBuf = parBuf;
            this.outLossBuf = olBuf;
            this.outGradBuf = ogBuf;
            this.lossPartialBuf = lpBuf;
            this.partialBuf = pBuf;
        } catch (CLException e) {
            releaseAll(q, kf, km, kfin);
            throw translate(e, "binding the batch");
        } catch (RuntimeException e) {
            releaseAll(q, kf, km, kfin);
            throw e;
        }
        this.queue = q;
        this.forward = kf;
        this.moments = km;
        this.finish = kfin;
    }

    /** Index of {@code ref} among the distinct references, adding it when it is new. */
    private static int findShared(Samples ref, List<Samples> distinct, List<double[]> xs, List<double[]> ws) {
        for (int r = 0; r < distinct.size(); r++) {
            if (distinct.get(r) == ref) {
                return r;
            }
        }
        double[] x = ref.flatCoordinates();
        double[] w = ref.weights();
        for (int r = 0; r < distinct.size(); r++) {
            if (distinct.get(r).dimension() == ref.dimension() && Arrays.equals(xs.get(r), x)
                    && Arrays.equals(ws.get(r), w)) {
                return r;
            }
        }
        distinct.add(ref);
        xs.add(x);
        ws.add(w);
        return distinct.size() - 1;
    }

    private void checkMemory(long memoryLimitBytes, long[] allocations) {
        OpenClDeviceInfo info = runtime.device.info();
        for (long a : allocations) {
            if (a > info.maxAllocBytes()) {
                throw new DeviceMemoryException(String.format(Locale.ROOT, "OpenCL device %s cannot hold this batch"
                                + " of %d problems (M = %d, d = %d): one buffer needs %d bytes but the largest single"
                                + " allocation it allows is %d bytes (%s, %d bytes in all); split the batch",
                        info.describe(), problems, m, d, a, info.maxAllocBytes(), sizeBreakdown, totalBytes),
                        a, null);
            }
        }
        long limit = info.globalMemBytes();
        String what = "the device has";
        if (memoryLimitBytes > 0 && memoryLimitBytes < limit) {
            limit = memoryLimitBytes;
            what = "the engine's memory limit is";
        }
        if (totalBytes > limit) {
            throw new DeviceMemoryException(String.format(Locale.ROOT, "OpenCL device %s cannot hold this batch of"
                            + " %d problems (M = %d, d = %d): it needs %d bytes (%s) but %s %d bytes; split the batch",
                    info.describe(), problems, m, d, totalBytes, sizeBreakdown, what, limit), totalBytes, null);
        }
    }

    @Override
    public KernelShape shape() {
        return shape;
    }

    @Override
    public int problems() {
        return problems;
    }

    @Override
    public void evaluate(double[][] a, double[][] mu, boolean[] active, GradientRequest request, NpEvaluation[] out) {
        if (closed) {
            throw new IllegalStateException("this OpenCL batch is closed");
        }
        if (a.length != problems || mu.length != problems || active.length != problems || out.length != problems) {
            throw new IllegalArgumentException("batch of " + problems + " problems got " + a.length + " a, "
                    + mu.length + " mu, " + active.length + " active flags and " + out.length + " outputs");
        }
        boolean any = false;
        for (int p = 0; p < problems; p++) {
            activeHost[p] = active[p] ? 1 : 0;
            if (!active[p]) {
                continue;
            }
            any = true;
            if (a[p].length != m || mu[p].length != m * d) {
                throw new IllegalArgumentException("problem " + p + ": parameters have M = " + a[p].length
                        + ", mu length " + mu[p].length + " but the batch was bound for M = " + m + ", d = " + d);
            }
            int base = p * m * ncomp;
            if (realDouble) {
                System.arraycopy(a[p], 0, paramsD, base, m);
                System.arraycopy(mu[p], 0, paramsD, base + m, m * d);
            } else {
                for (int i = 0; i < m; i++) {
                    paramsF[base + i] = (float) a[p][i];
                }
                for (int k = 0; k < m * d; k++) {
                    paramsF[base + m + k] = (float) mu[p][k];
                }
            }
        }
        if (!any) {
            return;
        }
        boolean wantGrad = request.wantsCoefficients() || request.wantsLocations();
        boolean wantMu = request.wantsLocations();
        try {
            // blocking writes: JOCL may not pin Java arrays for asynchronous transfers
            check(CL.clEnqueueWriteBuffer(queue, paramsBuf, CL_TRUE, 0, (long) paramsLength() * realBytes(),
                    realDouble ? Pointer.to(paramsD) : Pointer.to(paramsF), 0, null, null), "clEnqueueWriteBuffer");
            check(CL.clEnqueueWriteBuffer(queue, activeBuf, CL_TRUE, 0, (long) problems * Sizeof.cl_int,
                    Pointer.to(activeHost), 0, null, null), "clEnqueueWriteBuffer");
            check(CL.clEnqueueNDRangeKernel(queue, forward, 2, null, new long[]{(long) groups1Max * wg, problems},
                    new long[]{wg, 1}, 0, null, null), "clEnqueueNDRangeKernel");
            if (wantGrad) {
                setInt(moments, MOMENTS_WANT_MU, wantMu ? 1 : 0);
                check(CL.clEnqueueNDRangeKernel(queue, moments, 3, null, new long[]{(long) groups2Max * wg, m, problems},
                        new long[]{wg, 1, 1}, 0, null, null), "clEnqueueNDRangeKernel");
            }
            if (request.wantsCoefficientHessian()) {
                hessianPart().enqueue();
            }
            setInt(finish, FINISH_WANT_GRAD, wantGrad ? 1 : 0);
            setInt(finish, FINISH_WANT_MU, wantMu ? 1 : 0);
            check(CL.clEnqueueNDRangeKernel(queue, finish, 2, null,
                    new long[]{wantGrad ? 1 + (long) m * ncomp : 1, problems}, null, 0, null, null),
                    "clEnqueueNDRangeKernel");
            check(CL.clEnqueueReadBuffer(queue, outLossBuf, CL_TRUE, 0, (long) problems * accBytes(),
                    accDouble ? Pointer.to(lossD) : Pointer.to(lossF), 0, null, null), "clEnqueueReadBuffer");
            if (wantGrad) {
                check(CL.clEnqueueReadBuffer(queue, outGradBuf, CL_TRUE, 0, (long) paramsLength() * accBytes(),
                        accDouble ? Pointer.to(gradD) : Pointer.to(gradF), 0, null, null), "clEnqueueReadBuffer");
            }
            if (request.wantsCoefficientHessian()) {
                hessian.read();
            }
        } catch (CLException e) {
            throw translate(e, "evaluating the batch");
        }
        for (int p = 0; p < problems; p++) {
            if (!active[p]) {
                continue;
            }
            NpEvaluation o = out[p];
            o.setLoss(accDouble ? lossD[p] : lossF[p]);
            if (!wantGrad) {
                continue;
            }
            int base = p * m * ncomp;
            if (request.wantsCoefficients()) {
                double[] ga = o.coefficientGradient();
                for (int i = 0; i < m; i++) {
                    ga[i] = grad(base + i * ncomp);
                }
            }
            if (request.wantsCoefficientHessian()) {
                hessian.copyTo(p, o.coefficientHessian());
            }
            if (wantMu) {
                // dL/dmu_ij = (a_i / sigma^2) * moment_ij, scaled here with the caller's double a_i
                double[] gm = o.locationGradient();
                for (int i = 0; i < m; i++) {
                    double scale = a[p][i] * invS2;
                    for (int j = 0; j < d; j++) {
                        gm[i * d + j] = scale * grad(base + i * ncomp + 1 + j);
                    }
                }
            }
        }
    }

    /** The Hessian part, made on first use (its memory is checked like the rest of the batch's). */
    private HessianPart hessianPart() {
        if (hessian == null) {
            hessian = new HessianPart();
        }
        return hessian;
    }

    /**
     * The kernels {@code np_hessian} and {@code np_hessian_finish} with their buffers: one partial per (problem,
     * kernel pair j <= i, event chunk) and one sum per (problem, pair). Pairs run along the second grid
     * dimension, so M (M + 1) / 2 must stay within 65535 (M <= 361): the exact coefficient phase is meant for
     * small M, where its N M^2 cost still pays.
     */
    private final class HessianPart {
        private final int pairs = m * (m + 1) / 2;
        private final cl_kernel kernel;
        private final cl_kernel finishKernel;
        private final cl_mem outBuf;
        private final float[] outF;
        private final double[] outD;

        HessianPart() {
            if (pairs > 65535) {
                throw new IllegalArgumentException("the OpenCL coefficient Hessian handles at most 65535 kernel pairs"
                        + " (M <= 361); this batch has M = " + m + " (" + pairs + " pairs)");
            }
            int ab = accBytes();
            long partialBytes = (long) problems * pairs * groups2Max * ab;
            long outBytes = (long) problems * pairs * ab;
            OpenClDeviceInfo info = runtime.device.info();
            if (partialBytes > info.maxAllocBytes() || totalBytes + partialBytes + outBytes > info.globalMemBytes()) {
                throw new DeviceMemoryException(String.format(Locale.ROOT, "OpenCL device %s cannot hold the"
                                + " coefficient Hessian of this batch of %d problems (M = %d): its partial sums need %d"
                                + " bytes beside the batch's %d; split the batch", info.describe(), problems, m,
                        partialBytes, totalBytes), partialBytes + outBytes, null);
            }
            int[] err = new int[1];
            cl_kernel k = null;
            cl_kernel kfin = null;
            try {
                cl_mem hpBuf = readWriteBuffer(partialBytes);
                cl_mem ohBuf = readWriteBuffer(outBytes);
                k = created(err, CL.clCreateKernel(program.program(), "np_hessian", err), "clCreateKernel");
                kfin = created(err, CL.clCreateKernel(program.program(), "np_hessian_finish", err), "clCreateKernel");
                int rb = realBytes();
                List<String> ha = OpenClKernelArgs.HESSIAN;
                setMem(k, OpenClKernelArgs.position(ha, "x"), eventsBuf);
                setMem(k, OpenClKernelArgs.position(ha, "meta"), metaBuf);
                setMem(k, OpenClKernelArgs.position(ha, "active"), activeBuf);
                setMem(k, OpenClKernelArgs.position(ha, "params"), paramsBuf);
                setInt(k, OpenClKernelArgs.position(ha, "m"), m);
                check(CL.clSetKernelArg(k, OpenClKernelArgs.position(ha, "amp"), rb, real(shape.amplitudeFactor())),
                        "clSetKernelArg");
                check(CL.clSetKernelArg(k, OpenClKernelArgs.position(ha, "inv2s2"), rb,
                        real(1.0 / (2 * shape.sigma() * shape.sigma()))), "clSetKernelArg");
                setInt(k, OpenClKernelArgs.position(ha, "groups2Max"), groups2Max);
                setMem(k, OpenClKernelArgs.position(ha, "g"), gBuf);
                setMem(k, OpenClKernelArgs.position(ha, "hPartial"), hpBuf);
                List<String> hf = OpenClKernelArgs.HESSIAN_FINISH;
                setMem(kfin, OpenClKernelArgs.position(hf, "meta"), metaBuf);
                setMem(kfin, OpenClKernelArgs.position(hf, "active"), activeBuf);
                setInt(kfin, OpenClKernelArgs.position(hf, "m"), m);
                setInt(kfin, OpenClKernelArgs.position(hf, "groups2Max"), groups2Max);
                setMem(kfin, OpenClKernelArgs.position(hf, "hPartial"), hpBuf);
                setMem(kfin, OpenClKernelArgs.position(hf, "outH"), ohBuf);
                this.outBuf = ohBuf;
            } catch (CLException e) {
                releaseKernels(k, kfin);
                throw translate(e, "preparing the coefficient Hessian");
            }
            this.kernel = k;
            this.finishKernel = kfin;
            this.outF = accDouble ? null : new float[problems * pairs];
            this.outD = accDouble ? new double[problems * pairs] : null;
        }

        void enqueue() {
            check(CL.clEnqueueNDRangeKernel(queue, kernel, 3, null, new long[]{(long) groups2Max * wg, pairs, problems},
                    new long[]{wg, 1, 1}, 0, null, null), "clEnqueueNDRangeKernel");
            check(CL.clEnqueueNDRangeKernel(queue, finishKernel, 2, null, new long[]{pairs, problems}, null, 0, null, null),
                    "clEnqueueNDRangeKernel");
        }

        void read() {
            check(CL.clEnqueueReadBuffer(queue, outBuf, CL_TRUE, 0, (long) problems * pairs * accBytes(),
                    accDouble ? Pointer.to(outD) : Pointer.to(outF), 0, null, null), "clEnqueueReadBuffer");
        }

        /** Problem p's Hessian, both triangles, row-major M x M. */
        void copyTo(int p, double[] h) {
            int base = p * pairs;
            for (int i = 0, q = 0; i < m; i++) {
                for (int j = 0; j <= i; j++, q++) {
                    double v = accDouble ? outD[base + q] : outF[base + q];
                    h[i * m + j] = v;
                    h[j * m + i] = v;
                }
            }
        }

        void release() {
            releaseKernels(kernel, finishKernel);
        }
    }

    private static void releaseKernels(cl_kernel... kernels) {
        for (cl_kernel k : kernels) {
            if (k != null) {
                check(CL.clReleaseKernel(k), "clReleaseKernel");
            }
        }
    }

    /**
     * Yes when the engine allows it and the program has double precision (the training state is kept in
     * double, as the host loop keeps it): {@code DOUBLE}, or {@code FLOAT} with sums in double on an fp64
     * device, the engine's default; and only for the paper's Adam schedule (the converged schedule's Newton
     * and L-BFGS steps run on the host).
     */
    @Override
    public boolean supportsResidentTraining(TrainingConfig config) {
        return residentTraining && accDouble && !closed && config.schedule() == Schedule.PAPER;
    }

    @Override
    public ResidentTraining.Session startResidentTraining(double[][] a, double[][] mu, TrainingConfig config) {
        if (!supportsResidentTraining(config)) {
            throw new IllegalStateException("this OpenCL batch cannot train resident (closed, disabled, or no fp64 sums)");
        }
        return new OpenClResidentTraining(this, a, mu, config);
    }

    OpenClRuntime runtime() {
        return runtime;
    }

    OpenClRuntime.Program program() {
        return program;
    }

    cl_command_queue queue() {
        return queue;
    }

    cl_kernel forwardKernel() {
        return forward;
    }

    cl_kernel momentsKernel() {
        return moments;
    }

    cl_mem metaBuffer() {
        return metaBuf;
    }

    cl_mem activeBuffer() {
        return activeBuf;
    }

    cl_mem paramsBuffer() {
        return paramsBuf;
    }

    cl_mem lossPartialBuffer() {
        return lossPartialBuf;
    }

    cl_mem partialBuffer() {
        return partialBuf;
    }

    int groups1Max() {
        return groups1Max;
    }

    int groups2Max() {
        return groups2Max;
    }

    boolean realDouble() {
        return realDouble;
    }

    boolean accDouble() {
        return accDouble;
    }

    /** The device's work-group size for this batch's kernels. */
    int workGroupSize() {
        return wg;
    }

    /** Bytes this batch holds on the device. */
    long deviceBytes() {
        return totalBytes;
    }

    private double grad(int k) {
        return accDouble ? gradD[k] : gradF[k];
    }

    private int paramsLength() {
        return problems * m * ncomp;
    }

    private int realBytes() {
        return realDouble ? Sizeof.cl_double : Sizeof.cl_float;
    }

    private int accBytes() {
        return accDouble ? Sizeof.cl_double : Sizeof.cl_float;
    }

    OpenClException translate(CLException e, String what) {
        int s = e.getStatus();
        if (s == CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL_OUT_OF_RESOURCES || s == CL_OUT_OF_HOST_MEMORY) {
            return new DeviceMemoryException(String.format(Locale.ROOT, "OpenCL device %s ran out of memory (%s)"
                            + " while %s of %d problems (M = %d, d = %d): the batch asked for %d bytes (%s); split"
                            + " the batch", runtime.deviceName(), CL.stringFor_errorCode(s), what, problems, m, d,
                    totalBytes, sizeBreakdown), totalBytes, e);
        }
        return new OpenClException("OpenCL failed on " + runtime.deviceName() + " while " + what + ": "
                + e.getMessage(), e);
    }

    private cl_mem upload(double[] values) {
        int[] err = new int[1];
        if (realDouble) {
            return track(created(err, CL.clCreateBuffer(runtime.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                    (long) values.length * Sizeof.cl_double, Pointer.to(values), err), "clCreateBuffer"));
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return track(created(err, CL.clCreateBuffer(runtime.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                (long) f.length * Sizeof.cl_float, Pointer.to(f), err), "clCreateBuffer"));
    }

    /** A device buffer of {@code bytes} bytes, read and written by the kernels, released with the batch. */
    private cl_mem readWriteBuffer(long bytes) {
        int[] err = new int[1];
        return track(created(err, CL.clCreateBuffer(runtime.context, CL_MEM_READ_WRITE, bytes, null, err),
                "clCreateBuffer"));
    }

    private cl_mem track(cl_mem mem) {
        buffers.add(mem);
        return mem;
    }

    private Pointer real(double v) {
        return realDouble ? Pointer.to(new double[]{v}) : Pointer.to(new float[]{(float) v});
    }

    private static void setMem(cl_kernel k, int index, cl_mem mem) {
        check(CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(mem)), "clSetKernelArg");
    }

    private static void setInt(cl_kernel k, int index, int v) {
        check(CL.clSetKernelArg(k, index, Sizeof.cl_int, Pointer.to(new int[]{v})), "clSetKernelArg");
    }

    private void releaseAll(cl_command_queue q, cl_kernel... kernels) {
        for (cl_kernel k : kernels) {
            if (k != null) {
                check(CL.clReleaseKernel(k), "clReleaseKernel");
            }
        }
        for (cl_mem mem : buffers) {
            check(CL.clReleaseMemObject(mem), "clReleaseMemObject");
        }
        buffers.clear();
        if (q != null) {
            check(CL.clReleaseCommandQueue(q), "clReleaseCommandQueue");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (hessian != null) {
                hessian.release();
            }
            releaseAll(queue, forward, moments, finish);
        }
    }
}
