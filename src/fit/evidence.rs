//! What a fit rests on, for its report: each profile, mix and distribution as the log shows it
//! beside what was fitted, with intervals and goodness-of-fit figures. Plain data, written as
//! fit.json in the fit's folder; the report draws it and never reads the log again.
//!
//! - Hour-of-week profiles: first attempts over the hours each hour of the week occurred, with
//!   an exact (Garwood) 95% Poisson interval. The fitted profile is the observed one, hour for
//!   hour, so the chart shows how well each hour is known rather than a fit.
//! - Mixes (grades, categories, wards): observed shares with Wilson 95% intervals; the fitted
//!   shares are the observed ones when at least [`MIN_ROWS`] rows are there, else the base's.
//! - Durations (handling, time on scene, CAD lead-in): the empirical distribution function at
//!   the edges of the fit's log-scale bins against the chosen family's, with the
//!   Kolmogorov-Smirnov distance and its 5% critical value for a fully specified distribution
//!   (1.358 / sqrt(n)); the family's parameters come from the same data, which makes that value
//!   lenient (Lilliefors), so a distance above it is a clear misfit and one below it is no proof
//!   of fit.
//! - Patience: the Kaplan-Meier estimate of the share who would have hung up by each time,
//!   answers treated as censored, against the fitted exponential.

use super::{Durations, Family, MIN_ROWS, Tally};
use crate::scenario::ChannelKind;
use crate::scenario::response::{CATEGORIES, GRADES};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The most points of a curve kept for its chart.
const CURVE_POINTS: usize = 240;

/// Everything the fit report shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The log, the base scenario and the fitted scenario, as file names.
    pub log: String,
    pub base: String,
    pub scenario: String,
    /// The period used, in words, and the log's time zone.
    pub period: String,
    pub zone: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub excluded: Vec<Excluded>,
    pub profiles: Vec<Profile>,
    pub patience: Vec<PatienceFit>,
    pub distributions: Vec<DistributionFit>,
    pub mixes: Vec<Mix>,
}

/// Rows left out of a figure, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    pub reason: String,
    pub rows: u64,
}

/// A channel's calls an hour by hour of the week (Monday 00:00 first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub channel: String,
    pub first_attempts: u64,
    pub calls_per_week: f64,
    /// First attempts in each hour of the week, and the hours that hour occurred.
    pub count: Vec<u64>,
    pub exposure_hours: Vec<f64>,
    /// Calls an hour (the fitted value) and its 95% interval; null for an hour that did not
    /// occur in the period (a spring clock change's in a log of a few weeks).
    pub rate: Vec<Option<f64>>,
    pub low: Vec<Option<f64>>,
    pub high: Vec<Option<f64>>,
    /// With a log of a year or more, the monthly factors fitted with the profile (then `rate`
    /// is a month of factor 1's, and its interval the count's, scaled); empty otherwise.
    pub seasonal: Vec<MonthFactor>,
}

/// A month's seasonal factor: its first attempts, the factor and its 95% interval (the
/// month's count's exact Poisson interval, scaled; the profile's own uncertainty, spread over
/// every month, is left out).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthFactor {
    pub month: u32,
    pub first_attempts: u64,
    pub factor: f64,
    pub low: f64,
    pub high: f64,
}

/// A channel's patience from its callers' waits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatienceFit {
    pub channel: String,
    pub waits: u64,
    pub hang_ups: u64,
    /// The fitted exponential mean (maximum likelihood), in seconds, and its standard error.
    pub mean_s: f64,
    pub mean_se_s: f64,
    /// The Kaplan-Meier restricted mean to `horizon_s`, and its standard error (Greenwood).
    pub km_restricted_mean_s: f64,
    pub km_restricted_mean_se_s: f64,
    pub horizon_s: f64,
    /// The mean wait of those who hung up (biased low), and its standard error.
    pub mean_abandoned_wait_s: f64,
    pub mean_abandoned_wait_se_s: f64,
    /// (seconds, share who would have hung up by then: Kaplan-Meier, fitted exponential).
    pub curve: Vec<(f64, f64, Option<f64>)>,
}

/// A distribution of durations and the family fitted to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistributionFit {
    /// `handling`, `on_scene` or `lead_in`, and what it covers in words ("999 calls, grade I").
    pub quantity: String,
    pub scope: String,
    /// The scenario key the fitted value was written to, such as
    /// `demand.emergency.handling_by_grade.I`.
    pub key: String,
    pub n: u64,
    pub mean_s: f64,
    pub sd_s: f64,
    /// The family chosen (`exponential`, `lognormal` or `gamma`), its mean and standard
    /// deviation in seconds; null with fewer than the fewest rows (the base's was kept).
    pub family: Option<String>,
    pub family_mean_s: Option<f64>,
    pub family_sd_s: Option<f64>,
    /// The Kolmogorov-Smirnov distance of the chosen family, and the 5% critical value for a
    /// fully specified distribution, 1.358 / sqrt(n).
    pub ks: Option<f64>,
    pub ks_critical_05: f64,
    /// Every family tried, best first.
    pub tried: Vec<Tried>,
    /// (seconds, empirical share at or below, fitted family's share at or below: null
    /// without a family).
    pub curve: Vec<(f64, f64, Option<f64>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tried {
    pub family: String,
    pub ks: f64,
}

/// A mix: the shares of grades, categories or wards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mix {
    /// `grades`, `categories` or `wards`, and what it covers in words.
    pub quantity: String,
    pub scope: String,
    pub rows: u64,
    /// Whether the fitted scenario took these shares (false: too few rows, the base's kept).
    pub fitted: bool,
    pub parts: Vec<Share>,
    /// The mix in each band of the day ([`super::BANDS`]): its rows and shares, in the order
    /// of `parts`.
    pub by_band: Vec<BandShares>,
    /// Whether the mix changes through the day: Pearson's chi-squared test of homogeneity of
    /// the bands' mixes (null with fewer than two bands or two parts with rows).
    pub homogeneity: Option<Homogeneity>,
    /// Whether the fitted scenario takes this mix by band (`[[response.hour_bands]]`), in the
    /// bands with at least [`MIN_ROWS`] rows.
    #[serde(default)]
    pub banded: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandShares {
    pub band: String,
    pub rows: u64,
    pub shares: Vec<Option<f64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Homogeneity {
    pub chi_squared: f64,
    pub df: u32,
    pub p_value: f64,
    /// The smallest expected count of a cell: below 5 the chi-squared approximation is rough.
    pub min_expected: f64,
}

/// Pearson's chi-squared test of homogeneity of the rows of a table of counts (rows or columns
/// with no count are left out).
pub fn homogeneity(table: &[Vec<u64>]) -> Option<Homogeneity> {
    let rows: Vec<&Vec<u64>> = table.iter().filter(|r| r.iter().sum::<u64>() > 0).collect();
    let width = rows.first().map_or(0, |r| r.len());
    let cols: Vec<usize> = (0..width)
        .filter(|&c| rows.iter().any(|r| r.get(c).copied().unwrap_or(0) > 0))
        .collect();
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let n: f64 = rows.iter().map(|r| r.iter().sum::<u64>() as f64).sum();
    let col_tot: Vec<f64> = cols
        .iter()
        .map(|&c| {
            rows.iter()
                .map(|r| r.get(c).copied().unwrap_or(0) as f64)
                .sum()
        })
        .collect();
    let mut x2 = 0.0;
    let mut min_expected = f64::INFINITY;
    for r in &rows {
        let row_tot = r.iter().sum::<u64>() as f64;
        for (k, &c) in cols.iter().enumerate() {
            let e = row_tot * col_tot[k] / n;
            min_expected = min_expected.min(e);
            let o = r.get(c).copied().unwrap_or(0) as f64;
            x2 += (o - e) * (o - e) / e;
        }
    }
    let df = ((rows.len() - 1) * (cols.len() - 1)) as u32;
    let p_value = ChiSquared::new(f64::from(df)).map_or(f64::NAN, |d| d.sf(x2));
    Some(Homogeneity {
        chi_squared: x2,
        df,
        p_value,
        min_expected,
    })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub name: String,
    pub count: u64,
    /// Null when the mix has no rows.
    pub share: Option<f64>,
    pub low: f64,
    pub high: f64,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The exact (Garwood) 95% interval of a Poisson mean from a count.
pub fn poisson_interval(count: u64) -> (f64, f64) {
    let k = count as f64;
    let low = if count == 0 {
        0.0
    } else {
        ChiSquared::new(2.0 * k).map_or(0.0, |d| d.inverse_cdf(0.025) / 2.0)
    };
    let high = ChiSquared::new(2.0 * k + 2.0).map_or(f64::NAN, |d| d.inverse_cdf(0.975) / 2.0);
    (low, high)
}

/// The Wilson 95% interval of a share `k / n`.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z) = (k as f64, n as f64, 1.959_963_984_540_054);
    let p = k / n;
    let d = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / d;
    let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
    ((c - h).max(0.0), (c + h).min(1.0))
}

/// At most [`CURVE_POINTS`] of `v`, evenly spread, the first and last kept.
fn thin<T: Copy>(v: Vec<T>) -> Vec<T> {
    if v.len() <= CURVE_POINTS {
        return v;
    }
    let last = v.len() - 1;
    (0..CURVE_POINTS)
        .map(|i| v[i * last / (CURVE_POINTS - 1)])
        .collect()
}

fn shares(
    quantity: &str,
    scope: &str,
    names: &[String],
    counts: &[u64],
    by_band: &[Vec<u64>],
    rule: super::BandRule,
) -> Mix {
    let total: u64 = counts.iter().sum();
    Mix {
        banded: rule.banded(by_band),
        by_band: super::BANDS
            .iter()
            .zip(by_band)
            .map(|(band, c)| {
                let rows: u64 = c.iter().sum();
                BandShares {
                    band: band.to_string(),
                    rows,
                    shares: c
                        .iter()
                        .map(|&k| (rows > 0).then(|| k as f64 / rows as f64))
                        .collect(),
                }
            })
            .collect(),
        homogeneity: homogeneity(by_band),
        quantity: quantity.into(),
        scope: scope.into(),
        rows: total,
        fitted: total >= MIN_ROWS,
        parts: names
            .iter()
            .zip(counts)
            .map(|(name, &count)| {
                let (low, high) = wilson(count, total);
                Share {
                    name: name.clone(),
                    count,
                    share: (total > 0).then(|| count as f64 / total as f64),
                    low,
                    high,
                }
            })
            .collect(),
    }
}

fn distribution(quantity: &str, scope: &str, key: &str, d: &Durations) -> Option<DistributionFit> {
    if d.n < 2 {
        return None;
    }
    let fitted = if d.n >= MIN_ROWS { d.fit() } else { None };
    let (family, family_mean_s, family_sd_s) = match fitted.as_ref().map(|f| f.family) {
        Some(Family::Exponential { mean }) => (
            Some("exponential".to_string()),
            Some(mean / 1e3),
            Some(mean / 1e3),
        ),
        Some(Family::Lognormal { mean, sd }) => (
            Some("lognormal".to_string()),
            Some(mean / 1e3),
            Some(sd / 1e3),
        ),
        Some(Family::Gamma { mean, sd }) => {
            (Some("gamma".to_string()), Some(mean / 1e3), Some(sd / 1e3))
        }
        None => (None, None, None),
    };
    let curve = thin(
        d.ecdf()
            .into_iter()
            .map(|(ms, share)| {
                let fit = fitted.as_ref().and_then(|f| finite(f.family.cdf(ms)));
                (ms / 1e3, share, fit)
            })
            .collect(),
    );
    Some(DistributionFit {
        quantity: quantity.into(),
        scope: scope.into(),
        key: key.into(),
        n: d.n,
        mean_s: d.mean() / 1e3,
        sd_s: d.sd() / 1e3,
        family,
        family_mean_s,
        family_sd_s,
        ks: fitted.as_ref().map(|f| f.ks),
        ks_critical_05: 1.358 / (d.n as f64).sqrt(),
        tried: fitted
            .as_ref()
            .map(|f| {
                f.tried
                    .iter()
                    .map(|(fam, ks)| Tried {
                        family: fam.name().into(),
                        ks: *ks,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        curve,
    })
}

/// What was fitted and the rows behind it. The profiles' exposure is the hours each hour of
/// the week occurred (over every replication of a simulated log).
pub struct Context<'a> {
    pub log: String,
    pub base: String,
    pub scenario: String,
    pub period: String,
    pub zone: String,
    pub exposure: &'a [f64; 168],
    pub ward_names: &'a [String],
    /// The profile and monthly factors of a log of a year or more, by channel.
    pub seasonal: &'a [Option<super::Seasonal>; 2],
    /// Whether the CAD lead-in of grades I, S and E is fitted (S and E only where the base
    /// scenario has one).
    pub lead_in_fitted: [bool; 3],
    /// When a mix is fitted by band of the day.
    pub bands: super::BandRule,
}

/// The evidence of a fit.
pub fn evidence(t: &Tally, cx: &Context) -> Evidence {
    let mut profiles = Vec::new();
    let mut patience = Vec::new();
    let mut distributions = Vec::new();
    let mut mixes = Vec::new();
    let grade_names: Vec<String> = GRADES.iter().map(|g| g.to_string()).collect();
    let category_names: Vec<String> = CATEGORIES.iter().map(|c| c.to_string()).collect();
    for kind in ChannelKind::ALL {
        let ch = kind.index();
        let label = kind.label();
        let firsts: u64 = t.arrivals[ch].iter().sum();
        if firsts > 0 {
            let mut p = Profile {
                channel: kind.field().into(),
                first_attempts: firsts,
                calls_per_week: 0.0,
                count: t.arrivals[ch].to_vec(),
                exposure_hours: cx.exposure.to_vec(),
                rate: Vec::with_capacity(168),
                low: Vec::with_capacity(168),
                high: Vec::with_capacity(168),
                seasonal: Vec::new(),
            };
            for h in 0..168 {
                let n = t.arrivals[ch][h];
                let (lo, hi) = poisson_interval(n);
                match &cx.seasonal[ch] {
                    // The fitted rate, its interval the count's relative one.
                    Some(s) if n > 0 => {
                        let r = s.weekly[h];
                        p.rate.push(finite(r));
                        p.low.push(finite(r * lo / n as f64));
                        p.high.push(finite(r * hi / n as f64));
                    }
                    _ => {
                        let e = cx.exposure[h];
                        let per = |x: f64| if e > 0.0 { finite(x / e) } else { None };
                        p.rate.push(per(n as f64));
                        p.low.push(per(lo));
                        p.high.push(per(hi));
                    }
                }
            }
            if let Some(s) = &cx.seasonal[ch] {
                p.seasonal = (0..12)
                    .map(|m| {
                        let n = s.counts[m];
                        let (lo, hi) = poisson_interval(n);
                        let scale = if n > 0 { s.factors[m] / n as f64 } else { 0.0 };
                        MonthFactor {
                            month: m as u32 + 1,
                            first_attempts: n,
                            factor: s.factors[m],
                            low: lo * scale,
                            high: hi * scale,
                        }
                    })
                    .collect();
            }
            p.calls_per_week = p.rate.iter().flatten().sum();
            profiles.push(p);
        }
        let w = &t.waits[ch];
        if let Some(pt) = w.patience() {
            let mean = pt.mle_ms;
            let curve = thin(
                w.survival()
                    .into_iter()
                    .map(|(ms, s)| (ms / 1e3, 1.0 - s, finite(1.0 - (-ms / mean).exp())))
                    .collect(),
            );
            patience.push(PatienceFit {
                channel: kind.field().into(),
                waits: w.abandoned + w.answered,
                hang_ups: w.abandoned,
                mean_s: mean / 1e3,
                mean_se_s: pt.mle_se / 1e3,
                km_restricted_mean_s: pt.km_ms / 1e3,
                km_restricted_mean_se_s: pt.km_se / 1e3,
                horizon_s: pt.horizon_ms as f64 / 1e3,
                mean_abandoned_wait_s: pt.naive_ms / 1e3,
                mean_abandoned_wait_se_s: pt.naive_se / 1e3,
                curve,
            });
        }
        let field = kind.field();
        distributions.extend(distribution(
            "handling",
            &format!("{label} calls, every grade"),
            &format!("demand.{field}.handling"),
            &t.handling[ch][4],
        ));
        for (g, name) in GRADES.iter().enumerate() {
            distributions.extend(distribution(
                "handling",
                &format!("{label} calls, grade {name}"),
                &format!("demand.{field}.handling_by_grade.{name}"),
                &t.handling[ch][g],
            ));
        }
        if t.grades[ch].iter().sum::<u64>() > 0 {
            mixes.push(shares(
                "grades",
                &format!("{label} first attempts"),
                &grade_names,
                &t.grades[ch],
                &t.grades_by_band[ch].map(|b| b.to_vec()),
                cx.bands,
            ));
        }
        if !cx.ward_names.is_empty() && t.wards[ch].iter().sum::<u64>() > 0 {
            mixes.push(shares(
                "wards",
                &format!("{label} first attempts"),
                cx.ward_names,
                &t.wards[ch],
                &t.wards_by_band[ch * 4..ch * 4 + 4],
                cx.bands,
            ));
        }
    }
    for (g, name) in GRADES.iter().enumerate() {
        if t.categories[g].iter().sum::<u64>() > 0 {
            mixes.push(shares(
                "categories",
                &format!("grade {name} first attempts"),
                &category_names,
                &t.categories[g],
                &t.categories_by_band[g].map(|b| b.to_vec()),
                cx.bands,
            ));
        }
    }
    for (i, name) in ["I", "S"].iter().enumerate() {
        distributions.extend(distribution(
            "on_scene",
            &format!("grade {name} incidents, one dispatch"),
            &format!("response.on_scene.{name}"),
            &t.on_scene[i],
        ));
    }
    // The lead-in of S and E is fitted only where the base scenario has one.
    for (i, name) in ["I", "S", "E"].iter().enumerate() {
        if !cx.lead_in_fitted[i] {
            continue;
        }
        distributions.extend(distribution(
            "lead_in",
            &format!("grade {name} calls, answer to the incident's creation"),
            &format!("response.created_after.{name}"),
            &t.lead_in[i],
        ));
    }
    Evidence {
        log: cx.log.clone(),
        base: cx.base.clone(),
        scenario: cx.scenario.clone(),
        period: cx.period.clone(),
        zone: cx.zone.clone(),
        rows_read: t.rows,
        rows_used: t.used,
        excluded: t
            .excluded
            .iter()
            .map(|(r, n)| Excluded {
                reason: (*r).into(),
                rows: *n,
            })
            .collect(),
        profiles,
        patience,
        distributions,
        mixes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Garwood's interval against published values: 0 events (0, 3.689), 1 event (0.0253,
    /// 5.572), 10 events (4.795, 18.39).
    #[test]
    fn poisson_intervals_match_the_tables() {
        let close = |a: f64, b: f64, tol: f64| (a - b).abs() < tol;
        let (l, h) = poisson_interval(0);
        assert!(l == 0.0 && close(h, 3.689, 1e-3), "{l} {h}");
        let (l, h) = poisson_interval(1);
        assert!(close(l, 0.0253, 1e-4) && close(h, 5.572, 1e-3), "{l} {h}");
        let (l, h) = poisson_interval(10);
        assert!(close(l, 4.795, 1e-3) && close(h, 18.39, 1e-2), "{l} {h}");
    }

    /// Pearson's statistic by hand: [[10, 20], [20, 10]] has expected 15 in every cell, so
    /// 4 x 25 / 15 = 6.667 on 1 degree of freedom (p = 0.00982); equal rows give 0 and p = 1.
    #[test]
    fn homogeneity_by_hand() {
        let h = homogeneity(&[vec![10, 20], vec![20, 10]]).unwrap();
        assert!((h.chi_squared - 20.0 / 3.0).abs() < 1e-12, "{h:?}");
        assert_eq!(h.df, 1);
        assert!((h.p_value - 0.009_823).abs() < 1e-5, "{h:?}");
        assert_eq!(h.min_expected, 15.0);
        let h = homogeneity(&[vec![5, 10, 0], vec![10, 20, 0]]).unwrap();
        assert!(h.chi_squared.abs() < 1e-12 && h.df == 1 && (h.p_value - 1.0).abs() < 1e-12);
        assert!(homogeneity(&[vec![5, 10], vec![0, 0]]).is_none());
    }

    /// Wilson's interval by hand: 8 of 20 at z = 1.96 is (0.2188, 0.6134).
    #[test]
    fn wilson_interval_by_hand() {
        let (l, h) = wilson(8, 20);
        assert!(
            (l - 0.2188).abs() < 1e-4 && (h - 0.6134).abs() < 1e-4,
            "{l} {h}"
        );
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    /// The Kaplan-Meier curve steps at each bin with a hang-up: with no censoring it is the
    /// empirical share still waiting.
    #[test]
    fn survival_without_censoring_is_the_share_still_waiting() {
        let mut w = super::super::Waits::new(1_000);
        for wait in [100, 200, 200, 500] {
            w.add(wait, true);
        }
        let s = w.survival();
        assert_eq!(
            s,
            vec![(0.0, 1.0), (200.0, 0.75), (300.0, 0.25), (600.0, 0.0)]
        );
    }
}
