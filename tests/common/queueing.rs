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
fn erlang_a_distribution(c: u32, lambda: f64, mu: f64, theta: f64) -> Vec<f64> {
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
struct TaggedCaller {
    /// Answered with wait <= t (including those answered at once).
    answered_within: f64,
    /// Abandoned with wait <= t.
    abandoned_within: f64,
    /// Still waiting at t and eventually answered.
    answered_after: f64,
    /// Still waiting at t and eventually abandons.
    abandoned_after: f64,
    /// Still waiting at t.
    still_waiting: f64,
}

/// Poisson(mean) probabilities for m = 0..=M, with the right tail after M bounded by
/// `POISSON_TAIL` of the total. Built outwards from the mode by the ratio recursion
/// w_{m+1} = w_m mean / (m+1) and normalised by the computed sum, so no exp(-mean)
/// is formed (it would underflow for mean > 745). For m >= mode the ratios are
/// below 1 and decreasing, so the tail after M is at most w_M r / (1 - r).
fn poisson_weights(mean: f64) -> Vec<f64> {
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
fn erlang_a_tagged(c: u32, lambda: f64, mu: f64, theta: f64, t: f64) -> TaggedCaller {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
        let err = (got - want).abs();
        assert!(
            err <= tol,
            "{what}: got {got:.17e}, want {want:.17e}, |diff| {err:.3e} > {tol:.1e}"
        );
    }

    fn assert_rel(got: f64, want: f64, rel: f64, what: &str) {
        assert_close(got, want, rel * want.abs(), what);
    }

    fn factorial(n: u32) -> f64 {
        (1..=n).map(f64::from).product()
    }

    /// Erlang B by direct summation a^c/c! / sum_{k<=c} a^k/k! (small c only).
    fn erlang_b_direct(c: u32, a: f64) -> f64 {
        let terms: Vec<f64> = (0..=c).map(|k| a.powi(k as i32) / factorial(k)).collect();
        terms[c as usize] / terms.iter().sum::<f64>()
    }

    /// Erlang C by direct summation with factorials (small c only).
    fn erlang_c_direct(c: u32, a: f64) -> f64 {
        let cf = f64::from(c);
        let head: f64 = (0..c).map(|k| a.powi(k as i32) / factorial(k)).sum();
        let tail = a.powi(c as i32) / factorial(c) * cf / (cf - a);
        tail / (head + tail)
    }

    /// P(wait <= t) for M/M/c with Erlang C from direct summation.
    fn mmc_wait_cdf_direct(c: u32, lambda: f64, mu: f64, t: f64) -> f64 {
        1.0 - erlang_c_direct(c, lambda / mu) * (-(f64::from(c) * mu - lambda) * t).exp()
    }

    #[test]
    fn erlang_c_two_servers_one_erlang_is_one_third() {
        assert_close(erlang_c(2, 1.0), 1.0 / 3.0, 1e-15, "C(2, 1)");
    }

    #[test]
    fn erlang_c_single_server_is_rho() {
        for rho in [0.0, 0.05, 0.3, 0.5, 0.8, 0.99] {
            assert_close(erlang_c(1, rho), rho, 1e-15, "C(1, rho)");
        }
    }

    #[test]
    fn erlang_c_table_value_and_direct_sum() {
        // Published tables: c = 10, a = 8 Erlangs gives C = 0.4092.
        let c = erlang_c(10, 8.0);
        assert_close(c, 0.4092, 5e-5, "C(10, 8) vs table");
        assert_close(c, erlang_c_direct(10, 8.0), 1e-13, "C(10, 8) vs direct sum");
        for (servers, a) in [(1, 0.7), (3, 2.5), (5, 1.0), (20, 15.0), (40, 39.0)] {
            assert_rel(
                erlang_c(servers, a),
                erlang_c_direct(servers, a),
                1e-12,
                "erlang_c vs direct sum",
            );
        }
    }

    #[test]
    fn erlang_b_matches_direct_sums() {
        assert_close(erlang_b(0, 3.0), 1.0, 0.0, "B(0, a)");
        assert_close(erlang_b(1, 1.0), 0.5, 1e-15, "B(1, 1)");
        for (c, a) in [(2, 1.0), (5, 4.0), (10, 8.0), (30, 25.0), (60, 70.0)] {
            assert_rel(erlang_b(c, a), erlang_b_direct(c, a), 1e-12, "erlang_b");
        }
        // Large system: compare with a log-space direct sum.
        let (c, a) = (200_u32, 190.0_f64);
        let mut log_terms = Vec::new();
        let mut log_fact = 0.0;
        for k in 0..=c {
            if k > 0 {
                log_fact += f64::from(k).ln();
            }
            log_terms.push(f64::from(k) * a.ln() - log_fact);
        }
        let max = log_terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = log_terms.iter().map(|l| (l - max).exp()).sum();
        let direct = (log_terms[c as usize] - max).exp() / sum;
        let b = erlang_b(c, a);
        assert_rel(b, direct, 1e-10, "B(200, 190)");
        let cc = erlang_c(c, a);
        assert!(b > 0.0 && b < cc && cc < 1.0, "B = {b}, C = {cc}");
    }

    #[test]
    #[should_panic(expected = "unstable")]
    fn erlang_c_panics_when_unstable() {
        erlang_c(4, 4.0);
    }

    #[test]
    fn mmc_mean_wait_and_cdf_single_server() {
        // M/M/1: Wq = rho / (mu - lambda), P(W > t) = rho exp(-(mu - lambda) t).
        let (lambda, mu) = (0.6, 1.0);
        assert_close(mmc_mean_wait(1, lambda, mu), 0.6 / 0.4, 1e-14, "M/M/1 Wq");
        assert_close(
            mmc_wait_cdf(1, lambda, mu, 2.0),
            1.0 - 0.6 * (-0.8_f64).exp(),
            1e-15,
            "M/M/1 cdf",
        );
        assert_close(mmc_wait_cdf(1, lambda, mu, -1.0), 0.0, 0.0, "cdf at t < 0");
        assert_close(
            mmc_wait_cdf(3, 2.0, 1.0, 0.0),
            1.0 - erlang_c(3, 2.0),
            1e-15,
            "cdf at 0",
        );
    }

    #[test]
    fn mmc_min_servers_48_erlangs() {
        let (lambda, mu, t, target) = (0.2, 1.0 / 240.0, 10.0, 0.9);
        let c = mmc_min_servers(lambda, mu, t, target);
        // P(wait <= 10 s) is 0.865898 with 56 servers and 0.900218 with 57.
        assert_eq!(c, 57);
        // Independent scan with the factorial Erlang C.
        let scanned = (49..=200)
            .find(|&n| mmc_wait_cdf_direct(n, lambda, mu, t) >= target)
            .unwrap();
        assert_eq!(scanned, c);
        assert!(mmc_wait_cdf(c - 1, lambda, mu, t) < target);
        assert!(mmc_wait_cdf(c, lambda, mu, t) >= target);
        assert_close(
            mmc_wait_cdf(c, lambda, mu, t),
            mmc_wait_cdf_direct(c, lambda, mu, t),
            1e-13,
            "cdf at staffing answer",
        );
        // With t = 0 the target applies to P(no wait) = 1 - C.
        let c0 = mmc_min_servers(lambda, mu, 0.0, 0.8);
        assert!(erlang_c(c0, 48.0) <= 0.2 && erlang_c(c0 - 1, 48.0) > 0.2);
    }

    /// Erlang A with c = 1 by a plain product of birth-death ratios (no logs, no
    /// truncation rule: a fixed, generous number of terms).
    #[test]
    fn erlang_a_single_server_direct_sum() {
        let (lambda, mu, theta) = (0.8, 1.0, 0.3);
        let mut w = vec![1.0];
        for n in 1..3000 {
            let death = mu + (n - 1) as f64 * theta;
            let next = w[n - 1] * lambda / death;
            w.push(next);
        }
        let z: f64 = w.iter().sum();
        let p_wait = 1.0 - w[0] / z;
        let lq: f64 = w
            .iter()
            .enumerate()
            .skip(1)
            .map(|(n, x)| (n - 1) as f64 * x / z)
            .sum();
        let busy = 1.0 - w[0] / z;
        let r = erlang_a(1, lambda, mu, theta);
        assert_close(r.p_wait, p_wait, 1e-14, "p_wait");
        assert_close(r.mean_queue_len, lq, 1e-14, "Lq");
        assert_close(r.mean_in_service, busy, 1e-14, "busy");
        assert_close(r.p_abandon, theta * lq / lambda, 1e-14, "p_abandon");
        assert_close(r.mean_wait_all, lq / lambda, 1e-14, "mean wait");
    }

    /// With theta = mu the death rate is n mu for every n, so n ~ Poisson(a).
    #[test]
    fn erlang_a_theta_equal_mu_is_poisson() {
        let (c, lambda, mu) = (10_u32, 8.0, 1.0);
        let a: f64 = lambda / mu;
        let pois = |n: u32| (-a).exp() * a.powi(n as i32) / factorial(n);
        let below: f64 = (0..c).map(pois).sum();
        let lq = a - f64::from(c) + (0..c).map(|n| f64::from(c - n) * pois(n)).sum::<f64>();
        let r = erlang_a(c, lambda, mu, mu);
        assert_close(r.p_wait, 1.0 - below, 1e-13, "p_wait");
        assert_close(r.mean_queue_len, lq, 1e-13, "Lq");
        assert_close(r.mean_in_service, a - lq, 1e-13, "busy");
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_as_theta_vanishes() {
        let (c, lambda, mu, theta) = (10_u32, 8.0, 1.0, 1e-9);
        let r = erlang_a(c, lambda, mu, theta);
        assert_rel(r.p_wait, erlang_c(c, 8.0), 1e-6, "p_wait -> C");
        assert_rel(
            r.mean_wait_all,
            mmc_mean_wait(c, lambda, mu),
            1e-6,
            "Wq -> M/M/c",
        );
        assert!(r.p_abandon < 1e-8);
        for t in [0.0, 0.3, 1.0, 3.0] {
            assert_close(
                erlang_a_answered_within(c, lambda, mu, theta, t),
                mmc_wait_cdf(c, lambda, mu, t),
                1e-6,
                "answered within t -> M/M/c cdf",
            );
        }
    }

    #[test]
    fn erlang_a_tends_to_erlang_b_as_theta_grows() {
        let (c, lambda, mu, theta) = (5_u32, 4.0, 1.0, 1e8);
        let r = erlang_a(c, lambda, mu, theta);
        let b = erlang_b(c, 4.0);
        assert_rel(r.p_abandon, b, 1e-6, "p_abandon -> B");
        assert_rel(r.p_wait, b, 1e-6, "p_wait -> B");
        assert!(r.mean_wait_all < 1e-7);
    }

    #[test]
    fn erlang_a_flow_balance() {
        // Throughput: mu E[min(n,c)] = lambda (1 - P(abandon)).
        for (c, lambda, mu, theta) in [
            (1_u32, 0.5, 1.0, 2.0),
            (10, 8.0, 1.0, 0.5),
            (5, 8.0, 1.0, 0.5),
            (200, 190.0 / 240.0, 1.0 / 240.0, 1.0 / 120.0),
            (150, 190.0 / 240.0, 1.0 / 240.0, 1.0 / 600.0),
        ] {
            let r = erlang_a(c, lambda, mu, theta);
            assert_rel(
                mu * r.mean_in_service,
                lambda * (1.0 - r.p_abandon),
                1e-12,
                "flow balance",
            );
            assert!(r.p_abandon <= r.p_wait && r.p_wait <= 1.0);
        }
    }

    const CASES: [(u32, f64, f64, f64); 3] = [
        (3, 1.0, 0.4, 0.5),
        (4, 2.0, 0.4, 0.2),
        (20, 18.0 / 240.0, 1.0 / 240.0, 1.0 / 180.0),
    ];

    #[test]
    fn erlang_a_answered_within_limits() {
        for (c, lambda, mu, theta) in CASES {
            let r = erlang_a(c, lambda, mu, theta);
            assert_close(
                erlang_a_answered_within(c, lambda, mu, theta, 0.0),
                1.0 - r.p_wait,
                1e-13,
                "answered within 0",
            );
            assert_close(
                erlang_a_answered_within(c, lambda, mu, theta, -1.0),
                0.0,
                0.0,
                "answered within t < 0",
            );
            // The tagged caller leaves the queue at rate >= theta, so after 40/theta
            // less than e^-40 is still waiting.
            let long = 40.0 / theta;
            assert_close(
                erlang_a_answered_within(c, lambda, mu, theta, long),
                1.0 - r.p_abandon,
                1e-12,
                "answered within a long time",
            );
            assert_close(
                erlang_a_abandoned_after(c, lambda, mu, theta, 0.0),
                r.p_abandon,
                1e-13,
                "abandoned after 0",
            );
            assert!(erlang_a_abandoned_after(c, lambda, mu, theta, long) < 1e-12);
        }
    }

    #[test]
    fn erlang_a_tagged_identities_and_monotonicity() {
        for (c, lambda, mu, theta) in CASES {
            let r = erlang_a(c, lambda, mu, theta);
            let scale = 1.0 / (f64::from(c) * mu + theta);
            let mut prev_answered = 0.0;
            let mut prev_abandoned_after = f64::INFINITY;
            for k in 0..=20 {
                let t = f64::from(k) * 0.25 * scale;
                let g = erlang_a_tagged(c, lambda, mu, theta, t);
                assert_close(
                    g.answered_within + g.abandoned_within + g.still_waiting,
                    1.0,
                    1e-12,
                    "outcomes at t sum to 1",
                );
                assert_close(
                    g.abandoned_within + g.abandoned_after,
                    r.p_abandon,
                    1e-12,
                    "abandon within + after",
                );
                assert_close(
                    g.answered_within + g.answered_after,
                    1.0 - r.p_abandon,
                    1e-12,
                    "answered within + after",
                );
                assert_close(
                    g.answered_after + g.abandoned_after,
                    g.still_waiting,
                    1e-14,
                    "still waiting splits",
                );
                assert!(g.answered_within >= prev_answered - 1e-15);
                assert!(g.abandoned_after <= prev_abandoned_after + 1e-15);
                prev_answered = g.answered_within;
                prev_abandoned_after = g.abandoned_after;
                assert_close(
                    erlang_a_answered_within(c, lambda, mu, theta, t),
                    g.answered_within,
                    0.0,
                    "public answered_within",
                );
                assert_close(
                    erlang_a_abandoned_after(c, lambda, mu, theta, t),
                    g.abandoned_after,
                    0.0,
                    "public abandoned_after",
                );
            }
        }
    }

    /// Cross-check uniformisation against a classical RK4 integration of the
    /// Kolmogorov forward equations of the tagged caller's chain.
    #[test]
    fn erlang_a_answered_within_matches_rk4() {
        for (c, lambda, mu, theta) in CASES {
            let p = erlang_a_distribution(c, lambda, mu, theta);
            let cu = c as usize;
            let cmu = f64::from(c) * mu;
            let immediate: f64 = p[..cu].iter().sum();
            // State: [x_0..x_K, answered, abandoned].
            let x0: Vec<f64> = p[cu..].to_vec();
            let kmax = x0.len() - 1;
            let deriv = |y: &[f64]| -> Vec<f64> {
                let mut d = vec![0.0; y.len()];
                for j in 0..=kmax {
                    let down = cmu + j as f64 * theta;
                    d[j] -= (down + theta) * y[j];
                    if j > 0 {
                        d[j - 1] += down * y[j];
                    } else {
                        d[kmax + 1] += down * y[j];
                    }
                    d[kmax + 2] += theta * y[j];
                }
                d
            };
            let rate_max = cmu + (kmax + 1) as f64 * theta;
            let scale = 1.0 / (cmu + theta);
            for t in [0.5 * scale, 2.0 * scale, 6.0 * scale] {
                let steps = ((t * rate_max / 0.02).ceil() as usize).max(200);
                let h = t / steps as f64;
                let mut y = x0.clone();
                y.extend([0.0, 0.0]);
                for _ in 0..steps {
                    let k1 = deriv(&y);
                    let y2: Vec<f64> = y.iter().zip(&k1).map(|(a, b)| a + 0.5 * h * b).collect();
                    let k2 = deriv(&y2);
                    let y3: Vec<f64> = y.iter().zip(&k2).map(|(a, b)| a + 0.5 * h * b).collect();
                    let k3 = deriv(&y3);
                    let y4: Vec<f64> = y.iter().zip(&k3).map(|(a, b)| a + h * b).collect();
                    let k4 = deriv(&y4);
                    for i in 0..y.len() {
                        y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
                    }
                }
                let g = erlang_a_tagged(c, lambda, mu, theta, t);
                assert_close(
                    g.answered_within,
                    immediate + y[kmax + 1],
                    1e-10,
                    "answered (RK4)",
                );
                assert_close(g.abandoned_within, y[kmax + 2], 1e-10, "abandoned (RK4)");
                let waiting: f64 = y[..=kmax].iter().sum();
                assert_close(g.still_waiting, waiting, 1e-10, "waiting (RK4)");
            }
        }
    }

    #[test]
    fn poisson_weights_sum_and_mean() {
        for mean in [0.0, 0.3, 1.0, 7.5, 120.0, 2000.0] {
            let w = poisson_weights(mean);
            let total: f64 = w.iter().sum();
            let m1: f64 = w.iter().enumerate().map(|(k, x)| k as f64 * x).sum();
            assert_close(total, 1.0, 1e-13, "Poisson mass");
            assert_close(m1, mean, 1e-9 * mean.max(1.0), "Poisson mean");
        }
        let w = poisson_weights(2.0);
        // Renormalising after dropping a tail of at most 1e-13 shifts each weight by
        // at most that much, relatively.
        assert_rel(w[3], (-2.0_f64).exp() * 8.0 / 6.0, 2e-13, "Poisson(3; 2)");
    }

    #[test]
    fn priority_single_server_matches_cobham_mg1() {
        for (l1, l2, mu) in [
            (0.3, 0.4, 1.0),
            (0.05, 0.9, 1.0),
            (0.1 / 240.0, 0.7 / 240.0, 1.0 / 240.0),
        ] {
            let (w1, w2) = priority_mmc_waits(1, l1, l2, mu);
            let es = 1.0 / mu;
            let es_sq = 2.0 / (mu * mu);
            let (g1, g2) = priority_mg1_waits(l1, es, es_sq, l2, es, es_sq);
            assert_rel(w1, g1, 1e-13, "W1");
            assert_rel(w2, g2, 1e-13, "W2");
        }
    }

    #[test]
    fn priority_mmc_conservation_law() {
        for (c, l1, l2, mu) in [
            (1_u32, 0.3, 0.4, 1.0),
            (3, 0.8, 1.5, 1.0),
            (10, 2.0, 6.0, 1.0),
            (55, 0.05, 0.15, 1.0 / 240.0),
            (200, 40.0 / 240.0, 150.0 / 240.0, 1.0 / 240.0),
        ] {
            let (w1, w2) = priority_mmc_waits(c, l1, l2, mu);
            let mean = (l1 * w1 + l2 * w2) / (l1 + l2);
            assert_rel(mean, mmc_mean_wait(c, l1 + l2, mu), 1e-12, "conservation");
            assert!(w1 <= w2);
            // With no low-priority traffic, class 1 sees plain FCFS M/M/c.
            let (solo, _) = priority_mmc_waits(c, l1, 0.0, mu);
            assert_rel(solo, mmc_mean_wait(c, l1, mu), 1e-12, "class 1 alone");
        }
    }

    #[test]
    fn priority_mg1_kleinrock_conservation() {
        // sum_i rho_i W_i = rho W0 / (1 - rho) for any non-preemptive work-conserving rule.
        let (l1, es1, es1_sq) = (0.2, 1.5, 3.0);
        let (l2, es2, es2_sq) = (0.3, 1.0, 1.0);
        let (w1, w2) = priority_mg1_waits(l1, es1, es1_sq, l2, es2, es2_sq);
        let w0 = (l1 * es1_sq + l2 * es2_sq) / 2.0;
        let rho = l1 * es1 + l2 * es2;
        assert_rel(
            l1 * es1 * w1 + l2 * es2 * w2,
            rho * w0 / (1.0 - rho),
            1e-13,
            "M/G/1 conservation",
        );
        assert_close(w1, 0.45 / 0.7, 1e-15, "W1");
        assert_close(w2, 0.45 / (0.7 * 0.4), 1e-14, "W2");
    }
}
