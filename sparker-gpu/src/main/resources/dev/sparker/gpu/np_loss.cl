/*
 * The Neyman-Pearson loss of a SparKer model and its analytic gradients, for many problems in one launch.
 * The math is ScalarEngine's (see its class comment):
 *
 *   f(x)      = sum_i a_i k_i(x),      k_i(x) = A exp(-|x - mu_i|^2 / (2 sigma^2))
 *   L_NP      = sum_R w (e^f - 1) - sum_D w f
 *   g_n       = w e^f (reference event),  -w (data event)
 *   dL/da_i   = sum_n g_n k_i(x_n)
 *   moment_ij = sum_n g_n k_i(x_n) (x_nj - mu_ij)     (the host multiplies by a_i / sigma^2)
 *
 *   H_ij      = sum_R g_n k_i(x_n) k_j(x_n)    (coefficient Hessian, only when asked for)
 *
 * Three kernels, launched in this order on one in-order queue:
 *   np_forward  grid (groups1 * WG, P):     one work-item per event; f from (a, mu) tiles staged in local
 *                                            memory; writes g_n and one loss partial per work-group.
 *   np_moments  grid (groups2 * WG, M, P):  one work-group per (event chunk, kernel i, problem); each work-item
 *                                            sums CHUNK2 events privately, then a local tree reduction writes
 *                                            the chunk's (dL/da_i, moment_i) partial.
 *   np_finish   grid (1 + M * (DIM + 1), P): sums the partials of each output in index order.
 * For the coefficient Hessian two more follow np_forward (the g_n it wrote are reused):
 *   np_hessian        grid (groups2 * WG, M (M + 1) / 2, P): one work-group per (event chunk, kernel pair
 *                                            j <= i, problem), reference events only, the same chunks and tree
 *                                            as np_moments; writes one partial per chunk.
 *   np_hessian_finish grid (M (M + 1) / 2, P): sums each pair's partials in chunk order.
 * Every sum has a fixed shape (fixed chunks, fixed tree, fixed final order), so results do not depend on
 * how the device schedules work-groups, nor on which other problems share the launch.
 *
 * Build options: REAL (float | double: coordinates, parameters, exponentials), ACC (float | double: partial
 * sums across work-items), USE_FP64 (when either is double), DIM (dimension d), WG (work-group size, a power
 * of two), CHUNK2 (events per work-item in np_moments), STORE_K (np_forward stores every kernel value
 * k_i(x_e) in kstore, problem p's block at m * gStart laid out [kernel][event], and np_moments reads them
 * instead of computing its own exponentials: same values, so the same bits; without it kstore is unused).
 *
 * meta, per problem p (META ints): refStart, nRef, dataStart, nData (rows of x/w), gStart (offset into g),
 * groups1, groups2 (work-groups this problem needs in np_forward and np_moments).
 */
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define NCOMP (DIM + 1)
/* META and the META_* slots of a problem's row come from OpenClBatch as -D build defines. */

/* Row of event e (0 <= e < nRef + nData) of problem mp: reference events first, then data events. */
int event_row(__global const int* mp, int e) {
    return e < mp[META_REF_COUNT] ? mp[META_REF_START] + e : mp[META_DATA_START] + (e - mp[META_REF_COUNT]);
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void np_forward(__global const REAL* restrict x,
                __global const REAL* restrict w,
                __global const int* restrict meta,
                __global const int* restrict active,
                __global const REAL* restrict params,
                const int m,
                const REAL amp,
                const REAL inv2s2,
                const int groups1Max,
                __global REAL* restrict g,
                __global ACC* restrict lossPartial,
                __global REAL* restrict kstore)
{
    __local REAL la[WG];
    __local REAL lmu[WG * DIM];
    __local ACC red[WG];

    const int p = get_group_id(1);
    const int group = get_group_id(0);
    const int lid = get_local_id(0);
    __global const int* mp = meta + p * META;
    /* both conditions are uniform over the work-group, so no barrier is skipped by part of it */
    if (!active[p] || group >= mp[META_GROUPS_FORWARD]) {
        return;
    }
    const int nRef = mp[META_REF_COUNT];
    const int n = nRef + mp[META_DATA_COUNT];
    const int e = group * WG + lid;
    const bool valid = e < n;
    const int row = valid ? event_row(mp, e) : 0;

    REAL xv[DIM];
    for (int j = 0; j < DIM; j++) {
        xv[j] = valid ? x[row * DIM + j] : (REAL) 0;
    }
    __global const REAL* a = params + (size_t) p * m * NCOMP;
    __global const REAL* mu = a + m;

    /* f(x_e), with the parameters staged WG kernels at a time in local memory */
    REAL f = 0;
    for (int t0 = 0; t0 < m; t0 += WG) {
        const int tn = min(WG, m - t0);
        if (lid < tn) {
            la[lid] = a[t0 + lid];
        }
        for (int q = lid; q < tn * DIM; q += WG) {
            lmu[q] = mu[t0 * DIM + q];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int i = 0; i < tn; i++) {
            REAL r2 = 0;
            for (int j = 0; j < DIM; j++) {
                const REAL diff = xv[j] - lmu[i * DIM + j];
                r2 += diff * diff;
            }
            const REAL kv = amp * exp(-r2 * inv2s2);
#ifdef STORE_K
            if (valid) {
                kstore[(size_t) m * mp[META_G_START] + (size_t) (t0 + i) * n + e] = kv;
            }
#endif
            f += la[i] * kv;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    ACC term = 0;
    if (valid) {
        const REAL wn = w[row];
        if (e < nRef) {
            g[mp[META_G_START] + e] = wn * exp(f);
            term = (ACC) wn * (ACC) expm1(f);      /* w (e^f - 1) without cancellation for small f */
        } else {
            g[mp[META_G_START] + e] = -wn;
            term = -((ACC) wn * (ACC) f);
        }
    }
    red[lid] = term;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) {
            red[lid] += red[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        lossPartial[(size_t) p * groups1Max + group] = red[0];
    }
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void np_moments(__global const REAL* restrict x,
                __global const int* restrict meta,
                __global const int* restrict active,
                __global const REAL* restrict params,
                const int m,
                const REAL amp,
                const REAL inv2s2,
                const int groups2Max,
                const int wantMu,
                __global const REAL* restrict g,
                __global ACC* restrict partial,
                __global const REAL* restrict kstore)
{
    __local ACC red[WG * NCOMP];

    const int p = get_group_id(2);
    const int i = get_group_id(1);
    const int group = get_group_id(0);
    const int lid = get_local_id(0);
    __global const int* mp = meta + p * META;
    if (!active[p] || group >= mp[META_GROUPS_MOMENTS]) {
        return;
    }
    const int n = mp[META_REF_COUNT] + mp[META_DATA_COUNT];
    const int ncomp = wantMu ? NCOMP : 1;

    __global const REAL* mui = params + (size_t) p * m * NCOMP + m + (size_t) i * DIM;
    REAL muv[DIM];
    for (int j = 0; j < DIM; j++) {
        muv[j] = mui[j];
    }
    REAL s[NCOMP];
    for (int c = 0; c < NCOMP; c++) {
        s[c] = 0;
    }
    /* consecutive work-items read consecutive events (coalesced), CHUNK2 strides of WG events */
    const int base = group * (WG * CHUNK2);
    for (int c = 0; c < CHUNK2; c++) {
        const int e = base + c * WG + lid;
        if (e < n) {
            const int row = event_row(mp, e);
            REAL diff[DIM];
            REAL r2 = 0;
            for (int j = 0; j < DIM; j++) {
                diff[j] = x[row * DIM + j] - muv[j];
                r2 += diff[j] * diff[j];
            }
#ifdef STORE_K
            const REAL gk = g[mp[META_G_START] + e] * kstore[(size_t) m * mp[META_G_START] + (size_t) i * n + e];
#else
            const REAL gk = g[mp[META_G_START] + e] * (amp * exp(-r2 * inv2s2));
#endif
            s[0] += gk;
            if (wantMu) {
                for (int j = 0; j < DIM; j++) {
                    s[1 + j] += gk * diff[j];
                }
            }
        }
    }
    for (int c = 0; c < ncomp; c++) {
        red[c * WG + lid] = s[c];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int st = WG / 2; st > 0; st >>= 1) {
        if (lid < st) {
            for (int c = 0; c < ncomp; c++) {
                red[c * WG + lid] += red[c * WG + lid + st];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        __global ACC* out = partial + (((size_t) p * m + i) * groups2Max + group) * NCOMP;
        for (int c = 0; c < ncomp; c++) {
            out[c] = red[c * WG];
        }
    }
}

__kernel void np_finish(__global const int* restrict meta,
                        __global const int* restrict active,
                        const int m,
                        const int groups1Max,
                        const int groups2Max,
                        const int wantGrad,
                        const int wantMu,
                        __global const ACC* restrict lossPartial,
                        __global const ACC* restrict partial,
                        __global ACC* restrict outLoss,
                        __global ACC* restrict outGrad)
{
    const int comp = get_global_id(0);
    const int p = get_global_id(1);
    __global const int* mp = meta + p * META;
    if (!active[p]) {
        return;
    }
    if (comp == 0) {
        ACC s = 0;
        for (int q = 0; q < mp[META_GROUPS_FORWARD]; q++) {
            s += lossPartial[(size_t) p * groups1Max + q];
        }
        outLoss[p] = s;
        return;
    }
    const int idx = comp - 1;
    const int i = idx / NCOMP;
    const int c = idx % NCOMP;
    if (!wantGrad || (c > 0 && !wantMu)) {
        return;
    }
    __global const ACC* in = partial + ((size_t) p * m + i) * groups2Max * NCOMP + c;
    ACC s = 0;
    for (int q = 0; q < mp[META_GROUPS_MOMENTS]; q++) {
        s += in[(size_t) q * NCOMP];
    }
    outGrad[(size_t) p * m * NCOMP + idx] = s;
}

/* Pair q of the lower triangle (q = i (i + 1) / 2 + j, j <= i) back to (i, j). */
int2 pair_of(int q) {
    int i = (int) ((sqrt(8.0f * (float) q + 1.0f) - 1.0f) * 0.5f);
    while (i * (i + 1) / 2 > q) {
        i--;
    }
    while ((i + 1) * (i + 2) / 2 <= q) {
        i++;
    }
    return (int2) (i, q - i * (i + 1) / 2);
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void np_hessian(__global const REAL* restrict x,
                __global const int* restrict meta,
                __global const int* restrict active,
                __global const REAL* restrict params,
                const int m,
                const REAL amp,
                const REAL inv2s2,
                const int groups2Max,
                __global const REAL* restrict g,
                __global ACC* restrict hPartial)
{
    __local ACC red[WG];

    const int p = get_group_id(2);
    const int pair = get_group_id(1);
    const int group = get_group_id(0);
    const int lid = get_local_id(0);
    const int pairs = m * (m + 1) / 2;
    __global const int* mp = meta + p * META;
    if (!active[p] || group >= mp[6]) {
        return;
    }
    const int nRef = mp[1];
    const int2 ij = pair_of(pair);
    __global const REAL* mu = params + (size_t) p * m * NCOMP + m;
    REAL mui[DIM];
    REAL muj[DIM];
    for (int c = 0; c < DIM; c++) {
        mui[c] = mu[ij.x * DIM + c];
        muj[c] = mu[ij.y * DIM + c];
    }
    ACC s = 0;
    const int base = group * (WG * CHUNK2);
    for (int c = 0; c < CHUNK2; c++) {
        const int e = base + c * WG + lid;
        if (e < nRef) {
            const int row = mp[0] + e;
            REAL ri = 0;
            REAL rj = 0;
            for (int q = 0; q < DIM; q++) {
                const REAL xv = x[row * DIM + q];
                const REAL di = xv - mui[q];
                const REAL dj = xv - muj[q];
                ri += di * di;
                rj += dj * dj;
            }
            const REAL ki = amp * exp(-ri * inv2s2);
            const REAL kj = amp * exp(-rj * inv2s2);
            s += (ACC) (g[mp[4] + e] * ki) * (ACC) kj;
        }
    }
    red[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int st = WG / 2; st > 0; st >>= 1) {
        if (lid < st) {
            red[lid] += red[lid + st];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        hPartial[((size_t) p * pairs + pair) * groups2Max + group] = red[0];
    }
}

__kernel void np_hessian_finish(__global const int* restrict meta,
                                __global const int* restrict active,
                                const int m,
                                const int groups2Max,
                                __global const ACC* restrict hPartial,
                                __global ACC* restrict outH)
{
    const int pair = get_global_id(0);
    const int p = get_global_id(1);
    const int pairs = m * (m + 1) / 2;
    __global const int* mp = meta + p * META;
    if (!active[p]) {
        return;
    }
    __global const ACC* in = hPartial + ((size_t) p * pairs + pair) * groups2Max;
    ACC s = 0;
    for (int q = 0; q < mp[6]; q++) {
        s += in[q];
    }
    outH[(size_t) p * pairs + pair] = s;
}
