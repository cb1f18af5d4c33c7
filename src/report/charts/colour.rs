//! Colours and line styles: ink and greys, the status colours and words, the series' hues and
//! dashes, and the viridis scale for shares.

use super::Status;
use plotters::style::RGBColor;

pub(super) const INK: RGBColor = RGBColor(25, 25, 25);
pub(super) const MUTED: RGBColor = RGBColor(85, 85, 85);
pub(super) const GRID: RGBColor = RGBColor(218, 218, 218);
pub(super) const BAND: RGBColor = RGBColor(244, 244, 244);
pub(super) const NO_DATA: RGBColor = RGBColor(175, 175, 175);
pub(super) const WHITE_: RGBColor = RGBColor(255, 255, 255);

const MET: RGBColor = RGBColor(0, 110, 100);
const AT_RISK: RGBColor = RGBColor(240, 170, 20);
const MISSED: RGBColor = RGBColor(150, 20, 30);
const MET_TEXT: RGBColor = RGBColor(0, 95, 85);
const AT_RISK_TEXT: RGBColor = RGBColor(150, 90, 0);

pub(super) const LINE: RGBColor = RGBColor(0, 95, 90);
pub(super) const BAND_FILL: RGBColor = RGBColor(190, 222, 216);

/// The most series a chart draws, one per entry of [`SERIES`].
pub(super) const MAX_SERIES: usize = 6;

/// Series: dark, distinct hues, each with its own dash pattern so that grey print reads.
pub(super) const SERIES: [(RGBColor, &[f64]); MAX_SERIES] = [
    (RGBColor(0, 90, 160), &[]),
    (RGBColor(200, 80, 0), &[12.0, 6.0]),
    (RGBColor(0, 130, 90), &[3.0, 4.0]),
    (RGBColor(150, 60, 140), &[14.0, 5.0, 3.0, 5.0]),
    (RGBColor(60, 60, 60), &[7.0, 4.0]),
    (RGBColor(140, 95, 0), &[2.0, 3.0, 8.0, 3.0]),
];
pub(super) const DASH: &[f64] = &[9.0, 6.0];

pub(super) fn status_fill(s: Status) -> RGBColor {
    match s {
        Status::Met => MET,
        Status::AtRisk => AT_RISK,
        Status::Missed => MISSED,
        Status::Unknown => WHITE_,
    }
}

pub(super) fn status_text(s: Status) -> (&'static str, RGBColor) {
    match s {
        Status::Met => ("✓ met", MET_TEXT),
        Status::AtRisk => ("! at risk", AT_RISK_TEXT),
        Status::Missed => ("✗ missed", MISSED),
        Status::Unknown => ("? not known", MUTED),
    }
}

/// Viridis, a scale whose lightness rises steadily, so that it reads in grey.
pub(super) fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 45, 123),
        (59, 82, 139),
        (44, 114, 142),
        (33, 145, 140),
        (40, 174, 128),
        (94, 201, 98),
        (173, 220, 48),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let f = t * 8.0;
    let i = (f.floor() as usize).min(7);
    let u = f - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * u).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The colour of share `v` on a scale running from `lo` (darkest) to 100% (lightest).
pub(super) fn shade(v: f64, lo: f64) -> RGBColor {
    viridis((v - lo) / (1.0 - lo))
}

fn lightness(c: RGBColor) -> f64 {
    (0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2)) / 255.0
}

/// Ink that reads on a fill.
pub(super) fn on(fill: RGBColor) -> RGBColor {
    if lightness(fill) > 0.5 { INK } else { WHITE_ }
}

/// The low end of a colour scale for shares: 0%, or a lower multiple of 10% below every value
/// and at least 10% below the required share, so that the differences that matter show.
pub(super) fn scale_low(values: impl Iterator<Item = f64>, required: f64) -> f64 {
    let mut lo = if required.is_finite() { required } else { 1.0 };
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
    }
    let lo = ((lo.clamp(0.0, 1.0) * 10.0 - 1e-9).floor() / 10.0).min(0.9);
    if required.is_finite() && lo > required - 0.1 {
        (lo - 0.1).max(0.0)
    } else {
        lo.max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_differ_in_lightness_so_grey_print_reads() {
        let all = [Status::Met, Status::AtRisk, Status::Missed, Status::Unknown];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                let (la, lb) = (lightness(status_fill(*a)), lightness(status_fill(*b)));
                assert!((la - lb).abs() > 0.1, "{a:?} {la} and {b:?} {lb}");
            }
        }
        assert_eq!(status_fill(Status::Unknown), WHITE_);
    }

    #[test]
    fn each_status_has_its_own_word() {
        assert_eq!(status_text(Status::Met).0, "✓ met");
        assert_eq!(status_text(Status::AtRisk).0, "! at risk");
        assert_eq!(status_text(Status::Missed).0, "✗ missed");
        assert_eq!(status_text(Status::Unknown), ("? not known", MUTED));
    }

    #[test]
    fn ink_on_a_fill_is_white_on_dark_and_black_on_light() {
        assert_eq!(on(status_fill(Status::Met)), WHITE_);
        assert_eq!(on(status_fill(Status::Missed)), WHITE_);
        assert_eq!(on(status_fill(Status::AtRisk)), INK);
        assert_eq!(on(WHITE_), INK);
        assert_eq!(on(viridis(0.0)), WHITE_);
        assert_eq!(on(viridis(1.0)), INK);
    }

    #[test]
    fn viridis_grows_lighter_and_clamps() {
        let mut last = -1.0;
        for k in 0..=20 {
            let l = lightness(viridis(f64::from(k) / 20.0));
            assert!(l > last, "lightness falls at {k}/20");
            last = l;
        }
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
        assert_eq!(shade(0.6, 0.6), viridis(0.0));
        assert_eq!(shade(1.0, 0.6), viridis(1.0));
    }

    #[test]
    fn the_scale_starts_a_tenth_below_the_lowest_and_the_required_share() {
        // Low values: the tenth below the lowest.
        assert!((scale_low([0.55, 0.99].into_iter(), 0.9) - 0.5).abs() < 1e-12);
        // All values high: still at least 10% below the share required.
        assert!((scale_low([0.97].into_iter(), 0.95) - 0.8).abs() < 1e-12);
        // Never below 0, whatever the data; NaN values are left out.
        assert_eq!(scale_low([0.01, f64::NAN].into_iter(), 0.05), 0.0);
        for (values, required) in [(vec![0.31, 0.72], 0.8), (vec![0.995], 0.99), (vec![], 0.6)] {
            let lo = scale_low(values.iter().copied(), required);
            assert!(values.iter().all(|v| lo <= *v), "{lo} above {values:?}");
            assert!(lo <= required - 0.1 + 1e-9, "{lo} too near {required}");
            assert!(
                ((lo * 10.0).round() - lo * 10.0).abs() < 1e-9,
                "{lo} not a tenth"
            );
        }
    }
}
