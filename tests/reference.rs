//! The exact references of tests/common/ (queueing formulas, geometry) checked on their own:
//! known values, limits and identities, and numerical integration. They run here once, not
//! in every test file that uses the helpers.

mod queueing {
    use crate::common::queueing::*;

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

mod geometry {
    use crate::common::geometry::*;
    use std::f64::consts::PI;

    fn rel_diff(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    #[test]
    fn gauss_kronrod_rules_integrate_polynomials_exactly() {
        // Kronrod 21 is exact to degree 31, Gauss 10 to degree 19.
        for deg in 0..=31 {
            let exact = if deg % 2 == 0 {
                2.0 / (deg as f64 + 1.0)
            } else {
                0.0
            };
            let f = |t: f64| t.powi(deg);
            let (k, _) = gauss_kronrod_21(&f, -1.0, 1.0);
            assert!(
                (k - exact).abs() < 1e-14,
                "Kronrod degree {deg}: {k} vs {exact}"
            );
            let g: f64 = (0..5)
                .map(|j| WG[j] * (f(XGK[2 * j + 1]) + f(-XGK[2 * j + 1])))
                .sum();
            if deg <= 19 {
                assert!(
                    (g - exact).abs() < 1e-14,
                    "Gauss degree {deg}: {g} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn adaptive_integrator_handles_kinks_and_peaks() {
        // Square-root endpoint behaviour: int_0^1 sqrt(t) dt = 2/3.
        let v = integrate(f64::sqrt, &[0.0, 1.0], 1e-12);
        assert!((v - 2.0 / 3.0).abs() < 1e-13, "{v}");
        // Narrow Gaussian peak at an end of a long range.
        let s = 0.001;
        let v = integrate(|t| (-(t / s).powi(2)).exp(), &[0.0, 2.0], 1e-12);
        let exact = 0.5 * PI.sqrt() * s;
        assert!(rel_diff(v, exact) < 1e-11, "{v} vs {exact}");
        // Kink at a forced breakpoint: int_0^2 |t - 1|^(3/2) dt = 2 * 2/5.
        let v = integrate(|t| (t - 1.0).abs().powf(1.5), &[0.0, 1.0, 2.0], 1e-12);
        assert!((v - 0.8).abs() < 1e-12, "{v}");
    }

    /// Brute-force area: count the points of an M x M grid of the square that
    /// lie in the ball (each point stands for an h x h cell, h = side / M).
    /// Column i sits at x = (i + 1/2) h and its rows at y = (j + o_i) h with
    /// the offset o_i = frac(i (sqrt(5) - 1) / 2); the shifted columns keep the
    /// slope +-1 sides of the diamond from lining up with grid rows, which on
    /// a plain midpoint grid leaves a systematic O(h) error. With M = 1000 the
    /// observed errors are below 1e-5 for both metrics.
    fn grid_area(metric: Metric, px: f64, py: f64, r: f64, side: f64) -> f64 {
        let m = 1000usize;
        let h = side / m as f64;
        let golden = (5f64.sqrt() - 1.0) / 2.0;
        let mut inside = 0usize;
        for i in 0..m {
            let dx = ((i as f64 + 0.5) * h - px).abs();
            let offset = (i as f64 * golden).fract();
            for j in 0..m {
                let dy = ((j as f64 + offset) * h - py).abs();
                let d = match metric {
                    Metric::Euclidean => (dx * dx + dy * dy).sqrt(),
                    Metric::RightAngle => dx + dy,
                };
                if d <= r {
                    inside += 1;
                }
            }
        }
        inside as f64 * h * h
    }

    #[test]
    fn ball_areas_match_grid_count() {
        // (px, py, r) on the unit square: small balls inside, balls crossing
        // one or two sides, balls covering some corners, and balls covering
        // the whole square.
        let cases = [
            (0.5, 0.5, 0.2),
            (0.3, 0.6, 0.1),
            (0.1, 0.5, 0.3),
            (0.05, 0.08, 0.25),
            (0.2, 0.3, 0.45),
            (0.5, 0.5, 0.6),
            (0.3, 0.7, 0.9),
            (0.0, 0.0, 0.7),
            (1.0, 0.4, 1.1),
            (0.2, 0.9, 1.5),
            (0.4, 0.3, 2.5),
        ];
        for metric in [Metric::Euclidean, Metric::RightAngle] {
            for &(px, py, r) in &cases {
                let exact = ball_square_area(metric, px, py, r, 1.0);
                let grid = grid_area(metric, px, py, r, 1.0);
                assert!(
                    (exact - grid).abs() < 2e-5,
                    "{metric:?} P=({px},{py}) r={r}: closed form {exact}, grid {grid}"
                );
            }
            // Ball covering all corners: the whole square, exactly.
            let rmax = match metric {
                Metric::Euclidean => 0.8f64.hypot(0.7),
                Metric::RightAngle => 1.5,
            };
            for r in [rmax, rmax * 1.01, 10.0] {
                let a = ball_square_area(metric, 0.2, 0.3, r, 1.0);
                assert!((a - 1.0).abs() < 1e-14, "{metric:?} r={r}: {a}");
                let a = ball_square_area(metric, 0.2 * 3.0, 0.3 * 3.0, r * 3.0, 3.0);
                assert!((a - 9.0).abs() < 1e-13, "{metric:?} side 3, r={r}: {a}");
            }
            // Scaling with the side and a non-unit square against the grid.
            let exact = ball_square_area(metric, 1.0, 2.2, 1.3, 4.0);
            let grid = grid_area(metric, 1.0, 2.2, 1.3, 4.0);
            assert!(
                (exact - grid).abs() < 16.0 * 2e-5,
                "{metric:?}: {exact} vs {grid}"
            );
        }
    }

    #[test]
    fn quarter_areas_limiting_cases() {
        let r = 0.7;
        // Unclipped quarter disc / quarter diamond.
        assert!((quarter_disc_rect_area(1.0, 1.0, r) - PI * r * r / 4.0).abs() < 1e-15);
        assert!((quarter_diamond_rect_area(1.0, 1.0, r) - r * r / 2.0).abs() < 1e-15);
        // Disc cut by one side at distance w: quarter disc minus the circular
        // segment beyond the side, half of r^2 acos(w/r) - w sqrt(r^2 - w^2).
        let w = 0.3;
        let segment = 0.5 * (r * r * (w / r).acos() - w * (r * r - w * w).sqrt());
        let expect = PI * r * r / 4.0 - segment;
        assert!((quarter_disc_rect_area(w, 1.0, r) - expect).abs() < 1e-15);
        assert!((quarter_disc_rect_area(1.0, w, r) - expect).abs() < 1e-15);
        // Corner inside the ball: the full rectangle.
        assert_eq!(quarter_disc_rect_area(0.3, 0.4, 0.5), 0.3 * 0.4);
        assert_eq!(quarter_diamond_rect_area(0.3, 0.4, 0.7), 0.3 * 0.4);
        // Degenerate rectangles and radii.
        assert_eq!(quarter_disc_rect_area(0.0, 1.0, r), 0.0);
        assert_eq!(quarter_diamond_rect_area(0.5, 0.0, r), 0.0);
        assert_eq!(quarter_disc_rect_area(0.5, 0.5, 0.0), 0.0);
    }

    #[test]
    fn areas_are_continuous_and_nondecreasing_in_r() {
        for metric in [Metric::Euclidean, Metric::RightAngle] {
            let (px, py) = (0.23, 0.61);
            let mut prev = 0.0;
            for i in 1..=4000 {
                let r = i as f64 * 5e-4;
                let a = ball_square_area(metric, px, py, r, 1.0);
                assert!(a >= prev - 1e-15, "{metric:?} r={r}: {a} < {prev}");
                // The ball boundary inside the square is shorter than 2 pi r,
                // so the area grows by less than 2 pi r dr.
                assert!(a - prev <= 2.0 * PI * r * 5e-4 + 1e-15, "{metric:?} r={r}");
                prev = a;
            }
            assert!((prev - 1.0).abs() < 1e-14);
        }
    }

    #[test]
    fn single_unit_matches_known_mean_distances() {
        let sqrt2 = 2f64.sqrt();
        let euclid = (2.0 + sqrt2 + 5.0 * (1.0 + sqrt2).ln()) / 15.0;
        let e = expected_nearest_euclidean(1, 1.0);
        assert!(rel_diff(e, euclid) < 1e-9, "{e} vs {euclid}");
        assert!((euclid - 0.521_405_433).abs() < 1e-9);
        let l = expected_nearest_right_angle(1, 1.0);
        assert!(rel_diff(l, 2.0 / 3.0) < 1e-9, "{l}");
        // Second moments: E|dx|^2 = 1/6 per axis, E|dx| = 1/3.
        let e2 = nearest_distance_moment(Metric::Euclidean, 1, 1.0, 2);
        assert!(rel_diff(e2, 1.0 / 3.0) < 1e-9, "{e2}");
        let l2 = nearest_distance_moment(Metric::RightAngle, 1, 1.0, 2);
        assert!(rel_diff(l2, 5.0 / 9.0) < 1e-9, "{l2}");
    }

    #[test]
    fn large_n_approaches_poisson_constants_from_above() {
        let n = 2000u32;
        let scale = (1.0 / f64::from(n)).sqrt();
        let e = expected_nearest_euclidean(n, 1.0) / (0.5 * scale);
        let l = expected_nearest_right_angle(n, 1.0) / ((PI / 8.0).sqrt() * scale);
        assert!(e > 1.0 && e < 1.03, "Euclidean ratio {e}");
        assert!(l > 1.0 && l < 1.03, "L1 ratio {l}");
        // Ignoring the sides (a(P, r) = pi r^2 until it reaches 1) the exact
        // value would be Gamma(N+1) / (2 Gamma(N+3/2)), slightly below
        // 0.5/sqrt(N); the sides push it up by a relative O(1/sqrt(N)), so the
        // excess shrinks as N grows.
        let e4 = expected_nearest_euclidean(4 * n, 1.0) / (0.25 * scale);
        assert!(e4 > 1.0 && e4 < e, "edge excess should shrink: {e4} vs {e}");
    }

    #[test]
    fn decreasing_in_n_and_linear_in_side() {
        for metric in [Metric::Euclidean, Metric::RightAngle] {
            let mut prev = f64::INFINITY;
            for n in [1, 2, 3, 5, 10, 20, 50] {
                let e = expected_nearest(metric, n, 1.0);
                assert!(e < prev, "{metric:?} n={n}: {e} !< {prev}");
                prev = e;
            }
            let (e1, e3) = (
                expected_nearest(metric, 6, 1.0),
                expected_nearest(metric, 6, 2.5),
            );
            assert!(rel_diff(e3, 2.5 * e1) < 1e-12);
            assert_eq!(expected_nearest(metric, 6, 0.0), 0.0);
        }
    }

    #[test]
    fn std_dev_is_consistent() {
        // One unit, Euclidean: Var = 1/3 - E^2.
        let sqrt2 = 2f64.sqrt();
        let m = (2.0 + sqrt2 + 5.0 * (1.0 + sqrt2).ln()) / 15.0;
        let sd = nearest_distance_std_dev(Metric::Euclidean, 1, 2.0);
        assert!(
            rel_diff(sd, 2.0 * (1.0 / 3.0 - m * m).sqrt()) < 1e-8,
            "{sd}"
        );
        // One unit, L1: Var = 5/9 - 4/9 = 1/9.
        let sd = nearest_distance_std_dev(Metric::RightAngle, 1, 1.0);
        assert!(rel_diff(sd, 1.0 / 3.0) < 1e-8, "{sd}");
    }

    /// Plain quadrature with no symmetry reduction, breakpoints or variable
    /// change: midpoint rule with m x m points P over the whole square and a
    /// uniform trapezoid rule in r, using the closed-form areas.
    fn naive_mean(metric: Metric, n: u32, m: usize) -> f64 {
        let rmax = match metric {
            Metric::Euclidean => 2f64.sqrt(),
            Metric::RightAngle => 2.0,
        };
        let steps = 800;
        let dr = rmax / steps as f64;
        let mut sum = 0.0;
        for i in 0..m {
            for j in 0..m {
                let (px, py) = ((i as f64 + 0.5) / m as f64, (j as f64 + 0.5) / m as f64);
                let mut s = 0.5; // survival at r = 0 (= 1) with trapezoid weight 1/2
                for k in 1..steps {
                    let a = ball_square_area(metric, px, py, k as f64 * dr, 1.0);
                    s += (1.0 - a).max(0.0).powi(n as i32);
                }
                sum += s * dr;
            }
        }
        sum / (m * m) as f64
    }

    /// Independent cross-check of the adaptive quadrature. The naive rule
    /// converges as O(h^2) in the P grid (the r error is far smaller), so one
    /// Richardson step (4 Q(2m) - Q(m)) / 3 should agree to ~1e-6; the raw
    /// values differ from the adaptive result by ~1e-4.
    #[test]
    fn adaptive_quadrature_matches_naive_quadrature() {
        for metric in [Metric::Euclidean, Metric::RightAngle] {
            for n in [3u32, 10] {
                let coarse = naive_mean(metric, n, 30);
                let fine = naive_mean(metric, n, 60);
                let extrapolated = (4.0 * fine - coarse) / 3.0;
                let adaptive = expected_nearest(metric, n, 1.0);
                assert!(
                    rel_diff(extrapolated, adaptive) < 2e-6,
                    "{metric:?} n={n}: naive {coarse} / {fine} -> {extrapolated}, adaptive {adaptive}"
                );
            }
        }
    }
}
