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
}
