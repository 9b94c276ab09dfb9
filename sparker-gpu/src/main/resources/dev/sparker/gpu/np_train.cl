/*
 * The device-resident training loop (ResidentTraining): everything the host loop of Trainer does between two
 * evaluations, for every problem of a lock-step batch, on the device. Appended to np_loss.cl in one program
 * (it uses its meta layout, REAL, ACC, DIM, NCOMP, META) and compiled only where the program has fp64
 * (USE_FP64), since the training state is kept in double exactly as the host loop keeps it.
 *
 * State, per problem p, in the layout of the params buffer (M coefficients, then M x DIM locations):
 *   master  the parameters in double (params holds them rounded to REAL for np_forward / np_moments)
 *   adamM   Adam's first moments (coefficient phase at the a positions, location phase at the mu positions)
 *   adamV   Adam's second moments
 *   grad    scratch: the full gradient of the current step
 * and dens (2 M per problem: p_j log p_j, c_j = -(log p_j + 1)), entGrad (M x DIM: dL_H/dmu), status
 * (STATUS ints: kind, epoch, phase, step, index, first non-finite gradient component), stepLoss (the
 * current step's L_NP), failValue (the non-finite number), record (loss, L_a,
 * L_H, lowest loss).
 *
 * The math is the host loop's, term for term and in the same order of operations (see Trainer, Adam,
 * CoefficientPenalty, LocationEntropy):
 *   coefficient step  g_i  = dL_NP/da_i + twoScale * a_i,                 then Adam, then a_i = clamp(a_i, +-clip)
 *   location step     g_ij = (a_i / sigma^2) * moment_ij - lambda_H * dL_H/dmu_ij,   then Adam
 *   Adam              m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g g,  x -= lr (m / c1) / (sqrt(v / c2) + eps),
 *                     with c1 = 1 - b1^t, c2 = 1 - b2^t read from a table the host fills with Math.pow
 *   entropy           K_ij = A exp(-|mu_i - mu_j|^2 / (2 sigma^2)), p_j = (1/M) sum_i K_ij, L_H = -sum_j p_j log p_j,
 *                     dL_H/dmu_l = (1/(M sigma^2)) sum_{j != l} K_lj (c_j + c_l) (mu_j - mu_l)
 * Loss and gradient partials are summed in np_finish's order, so a step sees the numbers an evaluation
 * would hand the host. A problem whose loss or gradient is not finite stops alone: its active flag drops to
 * 0 (np_forward and np_moments skip it from then on) and status says where.
 *
 * Launches per step: coefficient phase np_forward, np_moments, train_gradient, train_adam; location phase
 * ent_density, ent_gradient, np_forward, np_moments, train_gradient, train_adam. End of epoch: np_forward, ent_density, train_record.
 */
#ifdef USE_FP64
#pragma OPENCL FP_CONTRACT OFF

#define STATUS 8
#define FAIL_LOSS 1
#define FAIL_GRAD_A 2
#define FAIL_GRAD_MU 3
#define FAIL_EPOCH_END 4

#define BETA1 0.9
#define BETA2 0.999
#define ADAM_EPS 1e-8

/* squared distance of locations i and j of one problem (mu row-major M x DIM, double) */
double loc_r2(__global const double* mu, int i, int j) {
    double r2 = 0;
    for (int q = 0; q < DIM; q++) {
        const double diff = mu[i * DIM + q] - mu[j * DIM + q];
        r2 += diff * diff;
    }
    return r2;
}

/* grid (M, P): p_j log p_j and c_j of the location entropy at the master locations */
__kernel void ent_density(__global const int* restrict active,
                          __global const double* restrict master,
                          const int m,
                          const double amp,
                          const double inv2s2,
                          __global double* restrict dens)
{
    const int j = get_global_id(0);
    const int p = get_global_id(1);
    if (!active[p]) {
        return;
    }
    __global const double* mu = master + (size_t) p * m * NCOMP + m;
    double s = 0;
    for (int i = 0; i < m; i++) {
        s += i == j ? amp : amp * exp(-loc_r2(mu, i, j) * inv2s2);
    }
    const double pj = s / m;
    const double logp = log(pj);
    dens[((size_t) p * m + j) * 2] = pj * logp;
    dens[((size_t) p * m + j) * 2 + 1] = -(logp + 1);
}

/* grid (M, P): dL_H/dmu_l for every location l */
__kernel void ent_gradient(__global const int* restrict active,
                           __global const double* restrict master,
                           const int m,
                           const double amp,
                           const double inv2s2,
                           const double pre,
                           __global const double* restrict dens,
                           __global double* restrict entGrad)
{
    const int l = get_global_id(0);
    const int p = get_global_id(1);
    if (!active[p]) {
        return;
    }
    __global const double* mu = master + (size_t) p * m * NCOMP + m;
    __global const double* c = dens + (size_t) p * m * 2 + 1;
    const double cl = c[l * 2];
    double gl[DIM];
    for (int q = 0; q < DIM; q++) {
        gl[q] = 0;
    }
    for (int j = 0; j < m; j++) {
        if (j == l) {
            continue;
        }
        const double klj = amp * exp(-loc_r2(mu, l, j) * inv2s2);
        const double s = pre * klj * (c[j * 2] + cl);
        for (int q = 0; q < DIM; q++) {
            gl[q] += s * (mu[j * DIM + q] - mu[l * DIM + q]);
        }
    }
    __global double* out = entGrad + ((size_t) p * m + l) * DIM;
    for (int q = 0; q < DIM; q++) {
        out[q] = gl[q];
    }
}

/* the loss of problem p, summed like np_finish */
double summed_loss(__global const ACC* lossPartial, __global const int* mp, int p, int groups1Max) {
    ACC s = 0;
    for (int q = 0; q < mp[META_GROUPS_FORWARD]; q++) {
        s += lossPartial[(size_t) p * groups1Max + q];
    }
    return (double) s;
}

void stop(__global int* active, __global int* status, __global double* failValue, int p, int kind, int epoch,
          int phase, int step, int index, double value) {
    __global int* st = status + p * STATUS;
    st[0] = kind;
    st[1] = epoch;
    st[2] = phase;
    st[3] = step;
    st[4] = index;
    failValue[p] = value;
    active[p] = 0;
}

/*
 * grid (W, P), W work-items per problem (any W), first half of a step: the full gradient of phase `phase`
 * (0 coefficients, 1 locations) from the partials np_forward and np_moments left, with the penalty or the
 * entropy term added, into grad; the step's L_NP into stepLoss. The first non-finite
 * component's index goes to status[STATUS p + 5] (atomic_min; it starts at INT_MAX and, since a failure stops
 * the problem, never needs resetting). No barriers: the two halves are two launches, which the in-order queue
 * orders (PoCL's work-item loops crashed on a branch after a barrier).
 */
__kernel void train_gradient(__global const int* restrict meta,
                             __global const int* restrict active,
                             __global const double* restrict master,
                             __global double* restrict grad,
                             __global const ACC* restrict lossPartial,
                             __global const ACC* restrict partial,
                             __global const double* restrict entGrad,
                             __global int* restrict status,
                             __global double* restrict stepLoss,
                             const int m,
                             const int groups1Max,
                             const int groups2Max,
                             const int phase,
                             const double twoScale,
                             const double lambdaH,
                             const double invS2)
{
    const int p = get_global_id(1);
    const int lid = get_global_id(0);
    const int width = get_global_size(0);
    __global const int* mp = meta + p * META;
    if (!active[p]) {
        return;
    }
    if (lid == 0) {
        stepLoss[p] = summed_loss(lossPartial, mp, p, groups1Max);
    }
    const size_t base = (size_t) p * m * NCOMP;
    const int offset = phase == 0 ? 0 : m;
    const int count = phase == 0 ? m : m * DIM;
    for (int k = lid; k < count; k += width) {
        double g;
        if (phase == 0) {
            __global const ACC* in = partial + ((size_t) p * m + k) * groups2Max * NCOMP;
            ACC s = 0;
            for (int q = 0; q < mp[META_GROUPS_MOMENTS]; q++) {
                s += in[(size_t) q * NCOMP];
            }
            g = (double) s;
            g += twoScale * master[base + k];
        } else {
            const int i = k / DIM;
            const int j = k % DIM;
            __global const ACC* in = partial + ((size_t) p * m + i) * groups2Max * NCOMP + 1 + j;
            ACC s = 0;
            for (int q = 0; q < mp[META_GROUPS_MOMENTS]; q++) {
                s += in[(size_t) q * NCOMP];
            }
            const double scale = master[base + i] * invS2;
            g = scale * (double) s;
            g = g - lambdaH * entGrad[(size_t) p * m * DIM + k];
        }
        grad[base + offset + k] = g;
        if (!isfinite(g)) {
            atomic_min(status + p * STATUS + 5, k);
        }
    }
}

/*
 * grid (W, P), second half of a step: a non-finite loss or gradient stops the problem (work-item 0
 * records where); otherwise one Adam step of the phase's parameters, the clip after a coefficient step, and
 * the parameters written in double (master) and rounded to REAL (params) for the next evaluation.
 */
__kernel void train_adam(__global int* restrict active,
                         __global REAL* restrict params,
                         __global double* restrict master,
                         __global double* restrict adamM,
                         __global double* restrict adamV,
                         __global const double* restrict grad,
                         __global const double* restrict bias,
                         __global int* restrict status,
                         __global double* restrict failValue,
                         __global double* restrict record,
                         __global const double* restrict stepLoss,
                         const int m,
                         const int phase,
                         const int epoch,
                         const int step,
                         const int t,
                         const double lr,
                         const double clip)
{
    const int p = get_global_id(1);
    const int lid = get_global_id(0);
    const int width = get_global_size(0);
    if (!active[p]) {
        return;
    }
    const size_t base = (size_t) p * m * NCOMP;
    const int offset = phase == 0 ? 0 : m;
    const double loss = stepLoss[p];
    const int bad = status[p * STATUS + 5];
    if (!isfinite(loss)) {
        if (lid == 0) {
            stop(active, status, failValue, p, FAIL_LOSS, epoch, phase, step, 0, loss);
        }
        return;
    }
    if (bad != INT_MAX) {
        if (lid == 0) {
            stop(active, status, failValue, p, phase == 0 ? FAIL_GRAD_A : FAIL_GRAD_MU, epoch, phase, step, bad,
                 grad[base + offset + bad]);
        }
        return;
    }
    if (lid == 0) {
        record[p * 4 + 3] = fmin(record[p * 4 + 3], loss);
    }
    const int count = phase == 0 ? m : m * DIM;
    const double c1 = bias[2 * (t - 1)];
    const double c2 = bias[2 * (t - 1) + 1];
    for (int k = lid; k < count; k += width) {
        const size_t idx = base + offset + k;
        const double g = grad[idx];
        const double mk = BETA1 * adamM[idx] + (1 - BETA1) * g;
        const double vk = BETA2 * adamV[idx] + (1 - BETA2) * g * g;
        adamM[idx] = mk;
        adamV[idx] = vk;
        const double mHat = mk / c1;
        const double vHat = vk / c2;
        double x = master[idx] - lr * mHat / (sqrt(vHat) + ADAM_EPS);
        if (phase == 0) {
            x = fmax(-clip, fmin(clip, x));
        }
        master[idx] = x;
        params[idx] = (REAL) x;
    }
}

/*
 * grid (P): the end of an epoch, after np_forward (loss only) and ent_density: checks and records L_NP, the
 * penalty L_a = scale * sum a_i^2 and the entropy L_H, each summed in the host loop's order.
 */
__kernel void train_record(__global const int* restrict meta,
                           __global int* restrict active,
                           __global const double* restrict master,
                           __global const ACC* restrict lossPartial,
                           __global const double* restrict dens,
                           __global int* restrict status,
                           __global double* restrict failValue,
                           __global double* restrict record,
                           const int m,
                           const int groups1Max,
                           const int epoch,
                           const int lastStep,
                           const double penaltyScale)
{
    const int p = get_global_id(0);
    __global const int* mp = meta + p * META;
    if (!active[p]) {
        return;
    }
    const double loss = summed_loss(lossPartial, mp, p, groups1Max);
    if (!isfinite(loss)) {
        stop(active, status, failValue, p, FAIL_EPOCH_END, epoch, 1, lastStep, 0, loss);
        return;
    }
    __global double* r = record + p * 4;
    r[3] = fmin(r[3], loss);
    r[0] = loss;
    __global const double* a = master + (size_t) p * m * NCOMP;
    double s = 0;
    for (int i = 0; i < m; i++) {
        s += a[i] * a[i];
    }
    r[1] = penaltyScale * s;
    double h = 0;
    for (int j = 0; j < m; j++) {
        h -= dens[((size_t) p * m + j) * 2];
    }
    r[2] = h;
}
#endif
