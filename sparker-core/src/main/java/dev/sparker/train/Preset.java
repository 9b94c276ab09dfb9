package dev.sparker.train;

/** Named training configurations from the paper (DESIGN.md section 1). */
public enum Preset {
    /**
     * The one-dimensional exponential benchmark: M in {10, 50, 1000}; lambda_a 1e-5 (M &lt;= 50) or 1e-6
     * (M = 1000); lambda_H 1e-3 (M &lt;= 50) or 1e-2 (M = 1000); 500 epochs x (100 + 100) Adam steps at
     * lr 1e-3; GAUSSIAN amplitude; sigma from the 90 % quantile.
     */
    EXPO_1D,
    /**
     * The gravitational-wave application: M = 20, lambda_a 1e-2, lambda_H 1e-1, 2000 epochs x (10 + 10)
     * Adam steps at lr 4e-2; REFERENCE_CODE amplitude; sigma from the 90 % quantile.
     */
    GW_12D
}
