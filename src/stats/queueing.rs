//! Analytic staffing: Erlang C for the M/M/n queue, as contact centres staff by it.

/// Erlang C: the probability an arrival waits, with `n` servers and offered load `a` Erlangs
/// (1 when n <= a: the queue has no steady state). Evaluated by the Erlang B recursion.
pub fn erlang_c(n: u32, a: f64) -> f64 {
    if a <= 0.0 {
        return 0.0;
    }
    if f64::from(n) <= a {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=n {
        b = a * b / (f64::from(k) + a * b);
    }
    let rho = a / f64::from(n);
    b / (1.0 - rho * (1.0 - b))
}

/// P(wait <= t) in M/M/n with arrival rate `lambda` and service rate `mu` (per second).
pub fn answered_within(n: u32, lambda: f64, mu: f64, t: f64) -> f64 {
    let a = lambda / mu;
    if f64::from(n) <= a {
        return 0.0;
    }
    1.0 - erlang_c(n, a) * (-(f64::from(n) * mu - lambda) * t).exp()
}

/// The fewest servers with P(wait <= t) >= share (0 when there is no load).
pub fn servers_for(lambda: f64, mu: f64, t: f64, share: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let mut n = (lambda / mu).floor() as u32 + 1;
    while answered_within(n, lambda, mu, t) < share {
        n += 1;
    }
    n
}

/// Erlang A (M/M/n+M: callers hang up after an exponential patience of rate `theta`), as the
/// headline share counts: the share of callers answered within `t`, of those who do not hang
/// up within `t`. `lambda`, `mu`, `theta` per second; `theta` above 0.
///
/// The number in the system is a birth-death chain (births `lambda`, deaths `min(k, n) mu +
/// max(k - n, 0) theta`), whose steady state a caller finds on arrival. One who finds `n + j`
/// waits with `j` ahead; while `i` are ahead, one of them leaves (answered or hung up) at
/// rate `n mu + i theta` (at `i = 0`, `n mu` is the caller being answered), and the caller
/// hangs up at rate `theta`. The chances of being answered, or of hanging up, by `t` are
/// worked out by uniformisation: the jump chain of that process at the rate of its fastest
/// state, weighted by the Poisson chances of each number of jumps by `t`. Both series are
/// cut where what is left is below 1e-12.
pub fn erlang_a_headline(n: u32, lambda: f64, mu: f64, theta: f64, t: f64) -> f64 {
    if lambda <= 0.0 {
        return 1.0;
    }
    let nf = f64::from(n);
    // The steady state, unnormalised (rescaled when it grows large).
    let mut p: Vec<f64> = vec![1.0];
    let mut total = 1.0;
    loop {
        let k = p.len();
        let death = (k.min(n as usize) as f64) * mu + (k.saturating_sub(n as usize) as f64) * theta;
        let ratio = lambda / death;
        let next = p[k - 1] * ratio;
        p.push(next);
        total += next;
        if total > 1e250 {
            p.iter_mut().for_each(|x| *x *= 1e-250);
            total *= 1e-250;
        }
        if k > n as usize && ratio < 1.0 && next * ratio / (1.0 - ratio) < 1e-13 * total {
            break;
        }
        if k > 100_000 {
            break;
        }
    }
    p.iter_mut().for_each(|x| *x /= total);
    let at_once: f64 = p.iter().take(n as usize).sum();
    // x[i]: the chance of waiting with i ahead.
    let mut x: Vec<f64> = p.iter().skip(n as usize).copied().collect();
    if x.is_empty() {
        return 1.0;
    }
    let top = x.len() - 1;
    let rate = nf * mu + (top as f64 + 1.0) * theta;
    // Poisson weights of the number of jumps by t, from the mode outwards.
    let mean = rate * t.max(0.0);
    let mode = mean.floor() as usize;
    let mut w = vec![0.0f64; mode + 1];
    w[mode] = 1.0;
    for m in (0..mode).rev() {
        w[m] = w[m + 1] * (m + 1) as f64 / mean;
    }
    let mut m = mode;
    let mut wsum: f64 = w.iter().sum();
    loop {
        let r = mean / (m + 1) as f64;
        if r < 1.0 && w[m] * r / (1.0 - r) <= 1e-13 * wsum {
            break;
        }
        w.push(w[m] * r);
        wsum += w[m + 1];
        m += 1;
    }
    w.iter_mut().for_each(|v| *v /= wsum);
    // Walk the jump chain: after each jump, the chance answered and hung up so far.
    let (mut answered, mut hung_up) = (0.0f64, 0.0f64);
    let (mut answered_by_t, mut hung_up_by_t, mut weight_used) = (0.0f64, 0.0f64, 0.0f64);
    for (jumps, &wm) in w.iter().enumerate() {
        if jumps > 0 {
            let waiting: f64 = x.iter().sum();
            answered += x[0] * nf * mu / rate;
            hung_up += waiting * theta / rate;
            for i in 0..=top {
                let from_above = if i < top {
                    x[i + 1] * (nf * mu + (i + 1) as f64 * theta) / rate
                } else {
                    0.0
                };
                x[i] = x[i] * (1.0 - (nf * mu + (i as f64 + 1.0) * theta) / rate) + from_above;
            }
        }
        answered_by_t += wm * answered;
        hung_up_by_t += wm * hung_up;
        weight_used += wm;
        if x.iter().sum::<f64>() < 1e-13 {
            // Nothing left waiting: the rest of the weight sees the same totals.
            answered_by_t += (1.0 - weight_used).max(0.0) * answered;
            hung_up_by_t += (1.0 - weight_used).max(0.0) * hung_up;
            break;
        }
    }
    (at_once + answered_by_t) / (1.0 - hung_up_by_t)
}

/// The fewest servers whose Erlang A headline share ([`erlang_a_headline`]) is at least
/// `share`, searched down from `above`, a number known to keep it (the Erlang C answer: callers
/// who hang up only shorten the queue), never below 1.
pub fn servers_for_impatient(
    lambda: f64,
    mu: f64,
    theta: f64,
    t: f64,
    share: f64,
    above: u32,
) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let mut n = above.max(1);
    while n > 1 && erlang_a_headline(n - 1, lambda, mu, theta, t) >= share {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_known_values() {
        // Two servers, one Erlang: C = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // One server: C = rho.
        assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
        assert_eq!(erlang_c(3, 3.0), 1.0);
        // The fewest servers is the first that meets the share.
        let n = servers_for(0.2, 1.0 / 240.0, 10.0, 0.9);
        assert!(answered_within(n, 0.2, 1.0 / 240.0, 10.0) >= 0.9);
        assert!(answered_within(n - 1, 0.2, 1.0 / 240.0, 10.0) < 0.9);
    }

    /// One server, no wait possible beyond the patience: with theta = mu the chain is the
    /// M/M/infinity-like birth-death with deaths k mu, so the number in system is Poisson(a)
    /// and a caller finds the server free with chance e^-a. At t = 0 the headline share is
    /// then the chance of being answered at once: e^-a, every waiting caller counted as not
    /// answered within 0 (none hangs up within 0).
    #[test]
    fn erlang_a_at_zero_wait_is_the_chance_of_a_free_server() {
        let (lambda, mu) = (0.5, 1.0);
        let got = erlang_a_headline(1, lambda, mu, mu, 0.0);
        assert!((got - (-0.5f64).exp()).abs() < 1e-10, "{got}");
    }

    /// With very patient callers Erlang A is Erlang C; the fewer servers searched down from
    /// Erlang C's answer still keep the share, and one fewer does not.
    #[test]
    fn erlang_a_with_patient_callers_is_erlang_c() {
        let (lambda, mu, t) = (0.2, 1.0 / 240.0, 20.0);
        for n in 50..60 {
            let c = answered_within(n, lambda, mu, t);
            let a = erlang_a_headline(n, lambda, mu, 1e-9, t);
            assert!((a - c).abs() < 1e-5, "{n}: Erlang A {a}, Erlang C {c}");
        }
        let theta = 1.0 / 120.0;
        let above = servers_for(lambda, mu, t, 0.8);
        let n = servers_for_impatient(lambda, mu, theta, t, 0.8, above);
        assert!(
            n < above,
            "callers who hang up need fewer: {n} against {above}"
        );
        assert!(erlang_a_headline(n, lambda, mu, theta, t) >= 0.8);
        assert!(erlang_a_headline(n - 1, lambda, mu, theta, t) < 0.8);
    }
}
