#![allow(dead_code)]
//! Exact steady-state queueing results used as references for simulation output.
//!
//! Rates are per second and times are in seconds. Everything is plain `f64`
//! arithmetic with no factorials or large powers: Erlang B is evaluated with
//! its stable recursion and the Erlang A birth-death chain is built in log
//! space, so the results stay accurate for a few hundred servers and offered
//! loads of a few hundred Erlangs.

/// Relative tail mass below which the Erlang A birth-death chain is truncated.
const ERLANG_A_TAIL: f64 = 1e-15;
/// Hard cap on the number of Erlang A states (guards against theta -> 0 with lambda > c mu).
const ERLANG_A_MAX_STATES: usize = 20_000_000;
/// Bound on the discarded right tail of the uniformisation Poisson weights.
const POISSON_TAIL: f64 = 1e-13;
/// Uniformisation stops early once less than this probability is still waiting.
const TRANSIENT_CUTOFF: f64 = 1e-13;

fn check_rates(lambda: f64, mu: f64) {
    assert!(
        lambda.is_finite() && lambda >= 0.0,
        "arrival rate must be finite and >= 0, got {lambda}"
    );
    assert!(
        mu.is_finite() && mu > 0.0,
        "service rate must be finite and > 0, got {mu}"
    );
}

/// Erlang B blocking probability for `c` servers and offered load `a = lambda / mu`.
///
/// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)); the M/M/c/c loss formula
/// a^c/c! / sum_{k<=c} a^k/k! (Gross & Harris, *Fundamentals of Queueing Theory*).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    assert!(
        a.is_finite() && a >= 0.0,
        "erlang_b: offered load must be finite and >= 0, got {a}"
    );
    let mut b = 1.0;
    for k in 1..=c {
        let ab = a * b;
        b = ab / (f64::from(k) + ab);
    }
    b
}

/// Erlang C: probability an arrival must wait in M/M/c, C = B / (1 - rho (1 - B)),
/// rho = a / c (Gross & Harris). Panics unless 0 <= a < c.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    assert!(
        a.is_finite() && a >= 0.0,
        "erlang_c: offered load must be finite and >= 0, got {a}"
    );
    assert!(
        a < f64::from(c),
        "erlang_c: M/M/c is unstable unless the offered load a = {a} is below c = {c}"
    );
    let b = erlang_b(c, a);
    let rho = a / f64::from(c);
    b / (1.0 - rho * (1.0 - b))
}

/// M/M/c FCFS waiting-time distribution: P(wait <= t) = 1 - C exp(-(c mu - lambda) t)
/// for t >= 0, and 0 for t < 0 (Gross & Harris).
pub fn mmc_wait_cdf(c: u32, lambda: f64, mu: f64, t: f64) -> f64 {
    check_rates(lambda, mu);
    if t < 0.0 {
        return 0.0;
    }
    let pw = erlang_c(c, lambda / mu);
    1.0 - pw * (-(f64::from(c) * mu - lambda) * t).exp()
}

/// M/M/c FCFS mean wait in queue over all arrivals: Wq = C / (c mu - lambda)
/// (Gross & Harris).
pub fn mmc_mean_wait(c: u32, lambda: f64, mu: f64) -> f64 {
    check_rates(lambda, mu);
    erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda)
}

/// Smallest c with P(wait <= t) >= target in M/M/c (Erlang C staffing): scan upwards
/// from the smallest stable c = floor(lambda / mu) + 1; P(wait <= t) increases with c.
pub fn mmc_min_servers(lambda: f64, mu: f64, t: f64, target: f64) -> u32 {
    check_rates(lambda, mu);
    assert!(
        t.is_finite() && t >= 0.0,
        "mmc_min_servers: t must be finite and >= 0, got {t}"
    );
    assert!(
        (0.0..1.0).contains(&target),
        "mmc_min_servers: target must lie in [0, 1), got {target}"
    );
    let a = lambda / mu;
    assert!(
        a < f64::from(u32::MAX) - 1.0,
        "mmc_min_servers: offered load {a} is too large"
    );
    let mut c = a.floor() as u32 + 1;
    while mmc_wait_cdf(c, lambda, mu, t) < target {
        c = c
            .checked_add(1)
            .expect("mmc_min_servers: server count overflowed u32");
    }
    c
}

/// Steady-state results of the Erlang A (M/M/c+M) queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    /// P(an arrival has to wait) = P(n >= c) by PASTA.
    pub p_wait: f64,
    /// P(an arrival abandons) = theta E[(n-c)+] / lambda.
    pub p_abandon: f64,
    /// Mean number waiting, E[(n-c)+].
    pub mean_queue_len: f64,
    /// Mean wait over all arrivals (including those who abandon), E[(n-c)+] / lambda.
    pub mean_wait_all: f64,
    /// Mean number of busy servers, E[min(n, c)].
    pub mean_in_service: f64,
}

fn check_erlang_a(lambda: f64, mu: f64, theta: f64) {
    check_rates(lambda, mu);
    assert!(
        lambda > 0.0,
        "erlang_a: arrival rate must be > 0, got {lambda}"
    );
    assert!(
        theta.is_finite() && theta > 0.0,
        "erlang_a: abandonment rate theta must be finite and > 0, got {theta}"
    );
}

/// Stationary distribution p_0..p_N of the M/M/c+M birth-death chain (birth rate
/// lambda, death rate min(n,c) mu + max(n-c,0) theta), truncated at the first N whose
/// remaining tail mass is below `ERLANG_A_TAIL` (1e-15) of the total, then renormalised.
///
/// Unnormalised weights are kept as logarithms, l_n = l_{n-1} + ln(lambda / death(n)).
/// Since death(n) is nondecreasing, the ratios r_n = lambda / death(n) are nonincreasing,
/// so once r = r_{N+1} < 1 the tail sum_{j>N} w_j is at most w_N r / (1 - r).
pub(crate) fn erlang_a_distribution(c: u32, lambda: f64, mu: f64, theta: f64) -> Vec<f64> {
    check_erlang_a(lambda, mu, theta);
    let cf = f64::from(c);
    let death = |n: usize| -> f64 {
        let n = n as f64;
        if n <= cf {
            n * mu
        } else {
            cf * mu + (n - cf) * theta
        }
    };
    let ln_lambda = lambda.ln();
    let mut logs = vec![0.0_f64];
    let mut max = 0.0_f64;
    // Running sum of exp(l_n - max).
    let mut sum = 1.0_f64;
    loop {
        let n = logs.len() - 1;
        let last = logs[n];
        let next_death = death(n + 1);
        let r = lambda / next_death;
        if r < 1.0 && (last - max).exp() * r / (1.0 - r) < ERLANG_A_TAIL * sum {
            break;
        }
        assert!(
            logs.len() < ERLANG_A_MAX_STATES,
            "erlang_a: more than {ERLANG_A_MAX_STATES} states needed \
             (theta = {theta} too small for lambda = {lambda}, c mu = {})",
            cf * mu
        );
        let l = last + ln_lambda - next_death.ln();
        if l > max {
            sum = sum * (max - l).exp() + 1.0;
            max = l;
        } else {
            sum += (l - max).exp();
        }
        logs.push(l);
    }
    let weights: Vec<f64> = logs.iter().map(|&l| (l - max).exp()).collect();
    let total: f64 = weights.iter().sum();
    weights.into_iter().map(|w| w / total).collect()
}

/// Erlang A (M/M/c+M): Poisson arrivals lambda, exponential service mu, `c` servers,
/// exponential patience with rate theta > 0 (Garnett, Mandelbaum & Reiman 2002).
///
/// Computed from the birth-death chain on n = 0, 1, ... with birth rate lambda and
/// death rate min(n,c) mu + max(n-c,0) theta, truncated where the remaining tail mass
/// is below 1e-15 of the total. p_wait = P(n >= c) (PASTA), mean_queue_len =
/// E[(n-c)+], p_abandon = theta E[(n-c)+] / lambda, mean_wait_all = E[(n-c)+] / lambda
/// (Little's law over all arrivals, abandoning ones included), mean_in_service =
/// E[min(n,c)].
pub fn erlang_a(c: u32, lambda: f64, mu: f64, theta: f64) -> ErlangA {
    let p = erlang_a_distribution(c, lambda, mu, theta);
    let cu = c as usize;
    let cf = f64::from(c);
    let mut p_wait = 0.0;
    let mut lq = 0.0;
    let mut in_service = 0.0;
    for (n, &pn) in p.iter().enumerate() {
        if n >= cu {
            p_wait += pn;
            lq += (n - cu) as f64 * pn;
            in_service += cf * pn;
        } else {
            in_service += n as f64 * pn;
        }
    }
    ErlangA {
        p_wait,
        p_abandon: theta * lq / lambda,
        mean_queue_len: lq,
        mean_wait_all: lq / lambda,
        mean_in_service: in_service,
    }
}

/// Outcome probabilities of a tagged Erlang A arrival, looked at after waiting time t.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TaggedCaller {
    /// Answered with wait <= t (including those answered at once).
    pub(crate) answered_within: f64,
    /// Abandoned with wait <= t.
    pub(crate) abandoned_within: f64,
    /// Still waiting at t and eventually answered.
    pub(crate) answered_after: f64,
    /// Still waiting at t and eventually abandons.
    pub(crate) abandoned_after: f64,
    /// Still waiting at t.
    pub(crate) still_waiting: f64,
}

/// Poisson(mean) probabilities for m = 0..=M, with the right tail after M bounded by
/// `POISSON_TAIL` of the total. Built outwards from the mode by the ratio recursion
/// w_{m+1} = w_m mean / (m+1) and normalised by the computed sum, so no exp(-mean)
/// is formed (it would underflow for mean > 745). For m >= mode the ratios are
/// below 1 and decreasing, so the tail after M is at most w_M r / (1 - r).
pub(crate) fn poisson_weights(mean: f64) -> Vec<f64> {
    assert!(
        mean.is_finite() && mean >= 0.0,
        "poisson_weights: bad mean {mean}"
    );
    if mean == 0.0 {
        return vec![1.0];
    }
    let mode = mean.floor() as usize;
    let mut w = vec![0.0; mode + 1];
    w[mode] = 1.0;
    for m in (0..mode).rev() {
        w[m] = w[m + 1] * (m + 1) as f64 / mean;
    }
    let mut sum: f64 = w.iter().sum();
    let mut m = mode;
    loop {
        let r = mean / (m + 1) as f64;
        if w[m] * r / (1.0 - r) <= POISSON_TAIL * sum {
            break;
        }
        let next = w[m] * r;
        w.push(next);
        sum += next;
        m += 1;
    }
    let total: f64 = w.iter().sum();
    w.into_iter().map(|x| x / total).collect()
}

/// Fate of a tagged Erlang A arrival after waiting time t >= 0.
///
/// Derivation. By PASTA the arrival finds n customers with the stationary probability
/// p_n. If n < c it is answered at once. If n = c + k (k >= 0) it joins the queue with
/// k callers ahead of it. Under FCFS, callers behind it never matter, and while j
/// callers are ahead:
///   * the queue ahead shrinks by one at rate c mu + j theta (a server frees and takes
///     the head, or one of the j ahead runs out of patience); at j = 0 the rate c mu
///     is the rate at which the tagged caller itself is answered;
///   * the tagged caller abandons at its own rate theta, independently.
///
/// So the wait is phase-type: a pure-death chain on j = k, k-1, ..., 0 with total exit
/// rate q_j = c mu + (j+1) theta from state j, moving down (or, from j = 0, to
/// "answered") at rate d_j = c mu + j theta and to "abandoned" at rate theta. All
/// arrivals share the chain; only the start differs, so the initial vector is
/// x_j(0) = p_{c+j}.
///
/// The transient vector x(t) is computed by uniformisation with rate
/// L = max_j q_j = c mu + (K+1) theta (K = largest queue length kept by the
/// truncated stationary distribution): with P = I + Q/L,
/// x(t) = sum_m Poisson(m; L t) x(0) P^m, and likewise for the absorbed masses.
/// Truncation error: the discarded Poisson tail is at most 1e-13 of the mass, and the
/// sum stops early once less than 1e-13 is still waiting (after that the absorbed
/// masses can change by less than that), so the total truncation error is below 1e-12.
///
/// From state j the probability of eventually being answered telescopes to
/// prod_{i=0..j} d_i / q_i = c mu / (c mu + (j+1) theta), which splits the mass still
/// waiting at t into eventually answered and eventually abandoning.
pub(crate) fn erlang_a_tagged(c: u32, lambda: f64, mu: f64, theta: f64, t: f64) -> TaggedCaller {
    assert!(
        t.is_finite() && t >= 0.0,
        "erlang_a: t must be finite and >= 0, got {t}"
    );
    let p = erlang_a_distribution(c, lambda, mu, theta);
    let cu = c as usize;
    let immediate: f64 = p.iter().take(cu).sum();
    let mut x: Vec<f64> = p.iter().skip(cu).copied().collect();
    if x.is_empty() {
        return TaggedCaller {
            answered_within: immediate,
            abandoned_within: 0.0,
            answered_after: 0.0,
            abandoned_after: 0.0,
            still_waiting: 0.0,
        };
    }
    let cmu = f64::from(c) * mu;
    let kmax = x.len() - 1;
    // Down rates d_j and total exit rates q_j = d_j + theta.
    let down: Vec<f64> = (0..=kmax).map(|j| cmu + j as f64 * theta).collect();
    let uni = cmu + (kmax + 1) as f64 * theta;
    let weights = poisson_weights(uni * t);

    let mut served = 0.0;
    let mut abandoned = 0.0;
    let mut answered_w = 0.0;
    let mut abandoned_w = 0.0;
    let mut cum_w = 0.0;
    let mut transient = vec![0.0; kmax + 1];
    for (m, &w) in weights.iter().enumerate() {
        if m > 0 {
            // One step of the uniformised chain P = I + Q / uni (in place, ascending j
            // so that x[j + 1] still holds its old value when x[j] is updated).
            let total: f64 = x.iter().sum();
            served += x[0] * down[0] / uni;
            abandoned += total * theta / uni;
            for j in 0..=kmax {
                let inflow = if j < kmax {
                    x[j + 1] * down[j + 1] / uni
                } else {
                    0.0
                };
                x[j] = x[j] * (1.0 - (down[j] + theta) / uni) + inflow;
            }
        }
        answered_w += w * served;
        abandoned_w += w * abandoned;
        for (acc, &xj) in transient.iter_mut().zip(&x) {
            *acc += w * xj;
        }
        cum_w += w;
        let remaining: f64 = x.iter().sum();
        if remaining < TRANSIENT_CUTOFF {
            let rest = (1.0 - cum_w).max(0.0);
            answered_w += rest * served;
            abandoned_w += rest * abandoned;
            break;
        }
    }

    let mut answered_after = 0.0;
    let mut abandoned_after = 0.0;
    let mut still_waiting = 0.0;
    for (j, &xj) in transient.iter().enumerate() {
        let ab = (j + 1) as f64 * theta;
        answered_after += xj * cmu / (cmu + ab);
        abandoned_after += xj * ab / (cmu + ab);
        still_waiting += xj;
    }
    TaggedCaller {
        answered_within: immediate + answered_w,
        abandoned_within: abandoned_w,
        answered_after,
        abandoned_after,
        still_waiting,
    }
}

/// Erlang A: P(an arrival is answered with wait <= t), the share of all arrivals
/// answered within t (0 for t < 0).
///
/// Exact: condition on the state found at arrival (PASTA) and follow the tagged caller
/// through the pure-death chain of callers ahead of it (rate c mu + j theta with j
/// ahead) with its own competing abandonment at rate theta; the transient
/// probabilities come from uniformisation with truncation error below 1e-12. See
/// `erlang_a_tagged` for the derivation (model of Garnett, Mandelbaum & Reiman 2002).
pub fn erlang_a_answered_within(c: u32, lambda: f64, mu: f64, theta: f64, t: f64) -> f64 {
    if t < 0.0 {
        return 0.0;
    }
    erlang_a_tagged(c, lambda, mu, theta, t).answered_within
}

/// Erlang A: P(an arrival abandons after waiting more than t) (all abandonments for
/// t <= 0). Mass still waiting at t in state j (j callers ahead) abandons eventually
/// with probability (j+1) theta / (c mu + (j+1) theta); same chain and
/// uniformisation as `erlang_a_answered_within`.
pub fn erlang_a_abandoned_after(c: u32, lambda: f64, mu: f64, theta: f64, t: f64) -> f64 {
    erlang_a_tagged(c, lambda, mu, theta, t.max(0.0)).abandoned_after
}

/// Two-class non-preemptive priority M/M/c, both classes exponential with rate mu,
/// FCFS within class (Gross & Harris; Cobham 1954):
/// W1 = C(c, a) / (c mu (1 - s1)), W2 = C(c, a) / (c mu (1 - s1)(1 - s)),
/// a = (l1 + l2) / mu, s1 = l1 / (c mu), s = (l1 + l2) / (c mu).
pub fn priority_mmc_waits(c: u32, lambda1: f64, lambda2: f64, mu: f64) -> (f64, f64) {
    check_rates(lambda1, mu);
    check_rates(lambda2, mu);
    let cmu = f64::from(c) * mu;
    let pw = erlang_c(c, (lambda1 + lambda2) / mu);
    let s1 = lambda1 / cmu;
    let s = (lambda1 + lambda2) / cmu;
    let w1 = pw / (cmu * (1.0 - s1));
    let w2 = pw / (cmu * (1.0 - s1) * (1.0 - s));
    (w1, w2)
}

/// Two-class non-preemptive priority M/G/1 (Cobham 1954; Kleinrock, *Queueing Systems*
/// vol. 2): W0 = sum_i lambda_i E[S_i^2] / 2, W1 = W0 / (1 - s1),
/// W2 = W0 / ((1 - s1)(1 - s1 - s2)), s_i = lambda_i E[S_i].
pub fn priority_mg1_waits(
    lambda1: f64,
    es1: f64,
    es1_sq: f64,
    lambda2: f64,
    es2: f64,
    es2_sq: f64,
) -> (f64, f64) {
    for v in [lambda1, es1, es1_sq, lambda2, es2, es2_sq] {
        assert!(
            v.is_finite() && v >= 0.0,
            "priority_mg1_waits: rates and moments must be finite and >= 0, got {v}"
        );
    }
    let s1 = lambda1 * es1;
    let s2 = lambda2 * es2;
    assert!(
        s1 + s2 < 1.0,
        "priority_mg1_waits: unstable, total utilisation {} >= 1",
        s1 + s2
    );
    let w0 = (lambda1 * es1_sq + lambda2 * es2_sq) / 2.0;
    (w0 / (1.0 - s1), w0 / ((1.0 - s1) * (1.0 - s1 - s2)))
}
