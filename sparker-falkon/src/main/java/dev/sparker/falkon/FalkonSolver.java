package dev.sparker.falkon;

/** How each Newton system {@code H delta = -g} is solved. */
public enum FalkonSolver {
    /**
     * {@link #DIRECT} while the retained Nystrom rank is below {@link FalkonConfig#cgSwitchPoint()},
     * {@link #CONJUGATE_GRADIENT} from there on.
     */
    AUTO,
    /**
     * Form the r x r Newton matrix in one streaming pass ({@code O(n M r)} multiply-adds) and solve it by
     * Cholesky. Exact up to rounding; cheapest while the retained rank r is small.
     */
    DIRECT,
    /**
     * Never form the Hessian: Falkon's preconditioned conjugate gradient, one streaming Hessian-vector
     * product ({@code O(n M)} kernel evaluations) per iteration, preconditioner built from {@code K_MM}'s
     * eigen-decomposition.
     */
    CONJUGATE_GRADIENT
}
