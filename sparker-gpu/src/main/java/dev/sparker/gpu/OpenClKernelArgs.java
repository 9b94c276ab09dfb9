package dev.sparker.gpu;

import java.util.List;
import java.util.Map;

/**
 * The argument lists of the kernels in {@code np_loss.cl}, by name in declaration order. The host sets every
 * argument through {@link #position}, never by a bare number; {@code OpenClKernelArgsTest} builds the kernels
 * with {@code -cl-kernel-arg-info} and checks these lists against the names the compiler reports, so a
 * kernel signature and its host code cannot drift apart unnoticed.
 */
final class OpenClKernelArgs {
    /** {@code np_forward}: f, g and the loss partial sums. */
    static final List<String> FORWARD = List.of("x", "w", "meta", "active", "params", "m", "amp", "inv2s2",
            "groups1Max", "g", "lossPartial", "kstore");
    /** {@code np_moments}: the gradient moments. */
    static final List<String> MOMENTS = List.of("x", "meta", "active", "params", "m", "amp", "inv2s2", "groups2Max",
            "wantMu", "g", "partial", "kstore");
    /** {@code np_finish}: the per-problem reduction. */
    static final List<String> FINISH = List.of("meta", "active", "m", "groups1Max", "groups2Max", "wantGrad", "wantMu",
            "lossPartial", "partial", "outLoss", "outGrad");
    /** {@code np_hessian}: partial sums of the coefficient Hessian, one per (kernel pair, event chunk). */
    static final List<String> HESSIAN = List.of("x", "meta", "active", "params", "m", "amp", "inv2s2", "groups2Max",
            "g", "hPartial");
    /** {@code np_hessian_finish}: the per-problem, per-pair reduction of the Hessian partial sums. */
    static final List<String> HESSIAN_FINISH = List.of("meta", "active", "m", "groups2Max", "hPartial", "outH");
    /** Every kernel's list by kernel name. */
    static final Map<String, List<String>> BY_KERNEL = Map.of("np_forward", FORWARD, "np_moments", MOMENTS,
            "np_finish", FINISH, "np_hessian", HESSIAN, "np_hessian_finish", HESSIAN_FINISH);

    private OpenClKernelArgs() {
    }

    /** The position of argument {@code name} in {@code kernel}'s list; throws naming both when it is not there. */
    static int position(List<String> kernel, String name) {
        int i = kernel.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("kernel argument '" + name + "' is not in " + kernel);
        }
        return i;
    }
}
