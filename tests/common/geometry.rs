#![allow(dead_code)]
//! Exact nearest-unit distances in a square ward, used as references for the
//! dispatch simulation.
//!
//! Model: N free units U_1..U_N and one incident P are independent and uniform
//! on the square [0, L]^2; D = min_i d(P, U_i) is the distance to the nearest
//! unit, for either the straight-line (Euclidean) distance or the right-angle
//! (Manhattan, L1) distance |dx| + |dy|.
//!
//! Given P, the units are independent, so P(D > r | P) = (1 - a(P, r) / L^2)^N,
//! where a(P, r) is the area of the ball of radius r around P (disc or
//! diamond) intersected with the square. Hence
//!
//!   E[D^k] = E_P[ int_0^inf k r^(k-1) (1 - a(P, r) / L^2)^N dr ].
//!
//! a(P, r) is evaluated in closed form (see [`quarter_disc_rect_area`] and
//! [`quarter_diamond_rect_area`]); only the two outer integrals (over r and
//! over P) are numerical. The problem is scale-invariant, so everything is
//! computed for L = 1 and E[D^k] is multiplied by L^k.
//!
//! Quadrature: P is restricted to the fundamental triangle
//! 0 <= x <= y <= 1/2 of the square's 8-element symmetry group (weight 8).
//! Every integral is globally adaptive 21-point Gauss-Kronrod (QUADPACK QAG
//! error estimate) on segments whose ends are the known kinks of the
//! integrand. Within a segment [a, b] the variable is mapped by
//! t = a + (b - a) sin^2(pi u / 2), which clusters nodes at both ends and turns
//! the square-root behaviour of the disc area at a kink (the ball crossing a
//! side) into an analytic function of u. The r integral is split at the
//! distances from P to the four sides and the four corners (where the ball
//! starts to be clipped differently; the farthest corner ends the range) and
//! the P integrals at the boundary-layer width 4 / sqrt(N).
//!
//! Accuracy: the requested relative tolerances are 1e-10 (r), 1e-10 (y) and
//! 1e-9 (x). The results move by less than 1e-10 relative when all three are
//! tightened 100-fold, and reproduce the exact N = 1 moments to ~1e-13. The
//! stated accuracy is 1e-6 relative, which leaves a wide margin. Cost: about
//! 5-150 ms per value in a release build for N from 1 to a few thousand.

use std::f64::consts::PI;

/// Which distance the dispatcher uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Straight-line distance sqrt(dx^2 + dy^2).
    Euclidean,
    /// Right-angle (Manhattan, L1) distance |dx| + |dy|.
    RightAngle,
}

/// Relative tolerance of the adaptive r integral at a fixed incident position.
const REL_TOL_R: f64 = 1e-10;
/// Relative tolerance of the inner (y) incident-position integral.
const REL_TOL_Y: f64 = 1e-10;
/// Relative tolerance of the outer (x) incident-position integral.
const REL_TOL_X: f64 = 1e-9;
/// Survival probability below which the rest of the r range is dropped. The
/// survival function is non-increasing in r and r <= 2 on the unit square, so
/// the dropped tail of int k r^(k-1) P(D > r) dr is below 2^k * 1e-30.
const SURVIVAL_CUTOFF: f64 = 1e-30;
/// Hard cap on the number of panels of one adaptive integral.
const MAX_PANELS: usize = 400;

/// E[min_i d(P, U_i)] for P and U_1..U_N i.i.d. uniform on [0, L]^2, with the
/// straight-line (Euclidean) distance. `n` >= 1 units, `side` = L >= 0.
pub fn expected_nearest_euclidean(n: u32, side: f64) -> f64 {
    nearest_distance_moment(Metric::Euclidean, n, side, 1)
}

/// The same as [`expected_nearest_euclidean`] for the right-angle (Manhattan,
/// L1) distance |dx| + |dy|.
pub fn expected_nearest_right_angle(n: u32, side: f64) -> f64 {
    nearest_distance_moment(Metric::RightAngle, n, side, 1)
}

/// E[D] for the given metric.
pub fn expected_nearest(metric: Metric, n: u32, side: f64) -> f64 {
    nearest_distance_moment(metric, n, side, 1)
}

/// E[D^k] of the nearest-unit distance D (k >= 1), computed on the unit
/// square as L^k * 8 * int_{0<=x<=y<=1/2} int_0^rmax k r^(k-1) (1 - a(P, r))^N dr dy dx.
pub fn nearest_distance_moment(metric: Metric, n: u32, side: f64, k: u32) -> f64 {
    assert!(n >= 1, "need at least one unit, got n = {n}");
    assert!(k >= 1, "moment order must be >= 1, got k = {k}");
    assert!(
        side.is_finite() && side >= 0.0,
        "side must be finite and >= 0, got {side}"
    );
    side.powi(k as i32) * unit_square_moment(metric, n, k)
}

/// Standard deviation of the nearest-unit distance D, sqrt(E[D^2] - E[D]^2).
/// Divide by sqrt(samples) for the standard error of a simulated mean.
pub fn nearest_distance_std_dev(metric: Metric, n: u32, side: f64) -> f64 {
    let m1 = nearest_distance_moment(metric, n, side, 1);
    let m2 = nearest_distance_moment(metric, n, side, 2);
    (m2 - m1 * m1).max(0.0).sqrt()
}

/// Area of {(s, t) : s, t >= 0, s^2 + t^2 <= r^2, s <= w, t <= h}, i.e. a
/// quarter disc of radius r clipped by the rectangle [0, w] x [0, h] that
/// shares its corner with the disc centre.
///
/// Derivation: the area is int_0^min(w, r) min(h, sqrt(r^2 - t^2)) dt. With
/// the antiderivative F(t) = int_0^t sqrt(r^2 - s^2) ds
/// = (t sqrt(r^2 - t^2) + r^2 asin(t / r)) / 2 (0 <= t <= r, F(r) = pi r^2 / 4):
/// * r <= h: the chord height sqrt(r^2 - t^2) never exceeds h, so the area is
///   F(min(w, r));
/// * r > h: the chord is clipped to h for t <= c = sqrt(r^2 - h^2) and free
///   beyond, so the area is h min(w, c) + F(min(w, r)) - F(c) when w > c and
///   just h w when w <= c (the corner (w, h) lies inside the disc).
pub fn quarter_disc_rect_area(w: f64, h: f64, r: f64) -> f64 {
    if r <= 0.0 || w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    let f = |t: f64| {
        let q = (t / r).min(1.0);
        0.5 * (t * (r * r - t * t).max(0.0).sqrt() + r * r * q.asin())
    };
    let a = w.min(r);
    if r <= h {
        return f(a);
    }
    let c = (r * r - h * h).sqrt();
    if a <= c { h * a } else { h * c + f(a) - f(c) }
}

/// Area of {(s, t) : s, t >= 0, s + t <= r, s <= w, t <= h}, i.e. a quarter
/// L1 ball (right triangle with legs r) clipped by [0, w] x [0, h].
///
/// Inclusion-exclusion on the triangle: the part with s > w is a triangle with
/// legs (r - w)_+, the part with t > h has legs (r - h)_+, and the part with
/// both has legs (r - w - h)_+, so the area is
/// (r^2 - (r - w)_+^2 - (r - h)_+^2 + (r - w - h)_+^2) / 2 (equal to w h once
/// r >= w + h).
pub fn quarter_diamond_rect_area(w: f64, h: f64, r: f64) -> f64 {
    if r <= 0.0 || w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    if r >= w + h {
        return w * h;
    }
    let sq = |z: f64| if z > 0.0 { z * z } else { 0.0 };
    0.5 * (r * r - sq(r - w) - sq(r - h) + sq(r - w - h))
}

/// Area of the disc of radius `r` around (px, py) intersected with
/// [0, side]^2: the sum of the four quarter-disc pieces clipped by the four
/// rectangles between P and the corners.
pub fn disc_square_area(px: f64, py: f64, r: f64, side: f64) -> f64 {
    ball_square_area(Metric::Euclidean, px, py, r, side)
}

/// Area of the L1 ball (diamond) of radius `r` around (px, py) intersected
/// with [0, side]^2, assembled from four clipped quarter diamonds.
pub fn diamond_square_area(px: f64, py: f64, r: f64, side: f64) -> f64 {
    ball_square_area(Metric::RightAngle, px, py, r, side)
}

/// Area of the ball of radius `r` (for `metric`) around (px, py) intersected
/// with [0, side]^2.
pub fn ball_square_area(metric: Metric, px: f64, py: f64, r: f64, side: f64) -> f64 {
    assert!(
        (0.0..=side).contains(&px) && (0.0..=side).contains(&py),
        "point ({px}, {py}) is outside [0, {side}]^2"
    );
    let quarter = match metric {
        Metric::Euclidean => quarter_disc_rect_area,
        Metric::RightAngle => quarter_diamond_rect_area,
    };
    let (wl, wr, hb, ht) = (px, side - px, py, side - py);
    quarter(wl, hb, r) + quarter(wr, hb, r) + quarter(wl, ht, r) + quarter(wr, ht, r)
}

/// E[D^k] on the unit square: 8 * int_0^{1/2} int_x^{1/2} m_k(x, y) dy dx.
fn unit_square_moment(metric: Metric, n: u32, k: u32) -> f64 {
    // Near the sides the integrand varies on the scale of the typical
    // nearest-unit distance ~ 1/sqrt(N); give the adaptive rule a panel edge there.
    let layer = 4.0 / f64::from(n).sqrt();
    let x_points: Vec<f64> = if layer < 0.5 {
        vec![0.0, layer, 0.5]
    } else {
        vec![0.0, 0.5]
    };
    let inner = |x: f64| {
        let y_points: Vec<f64> = if x < layer && layer < 0.5 {
            vec![x, layer, 0.5]
        } else {
            vec![x, 0.5]
        };
        integrate(|y| point_moment(metric, n, k, x, y), &y_points, REL_TOL_Y)
    };
    8.0 * integrate(inner, &x_points, REL_TOL_X)
}

/// E[D^k | P = (x, y)] on the unit square: int_0^rmax k r^(k-1) (1 - a(P, r))^N dr.
fn point_moment(metric: Metric, n: u32, k: u32, x: f64, y: f64) -> f64 {
    let (u, v) = (1.0 - x, 1.0 - y);
    // Kinks of r -> a(P, r): the ball reaching each side and each corner. The
    // largest corner distance is where a(P, r) reaches 1.
    let mut points = match metric {
        Metric::Euclidean => [
            0.0,
            x,
            y,
            u,
            v,
            x.hypot(y),
            u.hypot(y),
            x.hypot(v),
            u.hypot(v),
        ],
        Metric::RightAngle => [0.0, x, y, u, v, x + y, u + y, x + v, u + v],
    };
    points.sort_by(f64::total_cmp);
    let nf = f64::from(n);
    let survival = |r: f64| {
        let a = ball_square_area(metric, x, y, r, 1.0).clamp(0.0, 1.0);
        (nf * (-a).ln_1p()).exp()
    };
    // Keep breakpoints up to the first one where the survival is negligible.
    let mut kept = Vec::with_capacity(points.len());
    for &p in &points {
        if kept.last().is_some_and(|&q: &f64| p <= q) {
            continue;
        }
        kept.push(p);
        if p > 0.0 && survival(p) < SURVIVAL_CUTOFF {
            break;
        }
    }
    let km1 = k as i32 - 1;
    let kf = f64::from(k);
    integrate(
        |r| {
            let weight = if km1 == 0 { 1.0 } else { kf * r.powi(km1) };
            weight * survival(r)
        },
        &kept,
        REL_TOL_R,
    )
}

/// Abscissae of the 21-point Kronrod rule on [-1, 1] (descending, last = 0);
/// the odd entries are the 10-point Gauss-Legendre nodes (QUADPACK qk21).
#[allow(clippy::excessive_precision)] // digits as published
pub(crate) const XGK: [f64; 11] = [
    0.995_657_163_025_808_080_735_527_280_689_003,
    0.973_906_528_517_171_720_077_964_012_084_452,
    0.930_157_491_355_708_226_001_207_180_059_508,
    0.865_063_366_688_984_510_732_096_688_423_493,
    0.780_817_726_586_416_897_063_717_578_345_042,
    0.679_409_568_299_024_406_234_327_365_114_874,
    0.562_757_134_668_604_683_339_000_099_272_694,
    0.433_395_394_129_247_190_799_265_943_165_784,
    0.294_392_862_701_460_198_131_126_603_103_866,
    0.148_874_338_981_631_210_884_826_001_129_720,
    0.0,
];
/// Weights of the 21-point Kronrod rule matching [`XGK`].
#[allow(clippy::excessive_precision)] // digits as published
const WGK: [f64; 11] = [
    0.011_694_638_867_371_874_278_064_396_062_192,
    0.032_558_162_307_964_727_478_818_972_459_390,
    0.054_755_896_574_351_996_031_381_300_244_580,
    0.075_039_674_810_919_952_767_043_140_916_190,
    0.093_125_454_583_697_605_535_065_465_083_366,
    0.109_387_158_802_297_641_899_210_590_325_805,
    0.123_491_976_262_065_851_077_600_720_412_160,
    0.134_709_217_311_473_325_928_054_001_771_707,
    0.142_775_938_577_060_080_797_094_273_138_717,
    0.147_739_104_901_338_491_374_841_515_972_068,
    0.149_445_554_002_916_905_664_936_468_389_821,
];
/// Weights of the 10-point Gauss-Legendre rule at XGK[1], XGK[3], ..., XGK[9].
#[allow(clippy::excessive_precision)] // digits as published
pub(crate) const WG: [f64; 5] = [
    0.066_671_344_308_688_137_593_568_809_893_332,
    0.149_451_349_150_580_593_145_776_339_657_697,
    0.219_086_362_515_982_043_995_534_934_228_163,
    0.269_266_719_309_996_355_091_226_921_569_469,
    0.295_524_224_714_752_870_173_892_994_651_338,
];

/// One Gauss-Kronrod panel on [a, b]: the 21-point Kronrod value and the
/// QUADPACK (QK21) error estimate built from |Kronrod - 10-point Gauss|:
/// spread * min(1, (200 |K - G| / spread)^1.5), where spread = int |f - mean|,
/// floored at 50 eps int |f| for round-off.
pub(crate) fn gauss_kronrod_21(f: &impl Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
    let centre = 0.5 * (a + b);
    let half = 0.5 * (b - a);
    let f_centre = f(centre);
    let mut values = [(0.0, 0.0); 10];
    let mut kronrod = WGK[10] * f_centre;
    let mut kronrod_abs = WGK[10] * f_centre.abs();
    let mut gauss = 0.0;
    for j in 0..10 {
        let dx = half * XGK[j];
        let (lo, hi) = (f(centre - dx), f(centre + dx));
        values[j] = (lo, hi);
        kronrod += WGK[j] * (lo + hi);
        kronrod_abs += WGK[j] * (lo.abs() + hi.abs());
        if j % 2 == 1 {
            gauss += WG[j / 2] * (lo + hi);
        }
    }
    let mean = 0.5 * kronrod;
    let mut spread = WGK[10] * (f_centre - mean).abs();
    for j in 0..10 {
        spread += WGK[j] * ((values[j].0 - mean).abs() + (values[j].1 - mean).abs());
    }
    let half = half.abs();
    let (spread, diff) = (spread * half, ((kronrod - gauss) * half).abs());
    let mut error = diff;
    if spread > 0.0 && diff > 0.0 {
        error = spread * (200.0 * diff / spread).powf(1.5).min(1.0);
    }
    let value = kronrod * half;
    (value, error.max(50.0 * f64::EPSILON * kronrod_abs * half))
}

/// One panel of the adaptive integration: segment index and sub-range of u.
struct Panel {
    segment: usize,
    u0: f64,
    u1: f64,
    value: f64,
    error: f64,
}

/// Globally adaptive integral of `f` over [points[0], points[last]], with the
/// sorted `points` as forced panel edges. On segment [a, b] the variable is
/// t = a + (b - a) sin^2(pi u / 2), u in [0, 1] (dt/du = (b - a) (pi / 2) sin(pi u)),
/// so endpoint singularities of square-root type become analytic. The panel
/// with the largest error estimate is bisected until the estimates sum to at
/// most `rel_tol` times the magnitude of the result (or `MAX_PANELS` is hit).
pub(crate) fn integrate(f: impl Fn(f64) -> f64, points: &[f64], rel_tol: f64) -> f64 {
    let mapped = |segment: usize, u: f64| {
        let a = points[segment];
        let len = points[segment + 1] - a;
        let s = (0.5 * PI * u).sin();
        f(a + len * s * s) * len * 0.5 * PI * (PI * u).sin()
    };
    let panel = |segment: usize, u0: f64, u1: f64| {
        let (value, error) = gauss_kronrod_21(&|u| mapped(segment, u), u0, u1);
        Panel {
            segment,
            u0,
            u1,
            value,
            error,
        }
    };
    let mut panels: Vec<Panel> = (0..points.len().saturating_sub(1))
        .filter(|&s| points[s + 1] > points[s])
        .map(|s| panel(s, 0.0, 1.0))
        .collect();
    loop {
        let total: f64 = panels.iter().map(|p| p.value).sum();
        let error: f64 = panels.iter().map(|p| p.error).sum();
        if error <= rel_tol * total.abs() || panels.len() >= MAX_PANELS {
            return total;
        }
        let worst = panels
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.error.total_cmp(&b.1.error))
            .map(|(i, _)| i)
            .expect("error is positive, so there is a panel");
        let p = panels.swap_remove(worst);
        let mid = 0.5 * (p.u0 + p.u1);
        if mid <= p.u0 || mid >= p.u1 {
            // Cannot bisect further in floating point; accept this panel as is.
            panels.push(Panel { error: 0.0, ..p });
            continue;
        }
        panels.push(panel(p.segment, p.u0, mid));
        panels.push(panel(p.segment, mid, p.u1));
    }
}
