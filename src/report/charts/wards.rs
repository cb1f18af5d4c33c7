//! Wards: bars of each ward's share in time (the map is in `wardmap`).

use super::axes::{
    Lin, Swatch, category_labels, draw_title, empty_note, finite, legend, pct, pct_axis_y,
};
use super::canvas::Canvas;
use super::colour::{DASH, INK, status_text};
use super::{Bar, Status};
use plotters::prelude::DrawingBackend;

// ---------------------------------------------------------------------------------------------
// Bars by ward

/// The one required share shared by all bars, or `None` when they differ or none is given.
fn common_required(bars: &[Bar]) -> Option<Option<f64>> {
    let reqs: Vec<f64> = bars
        .iter()
        .filter_map(|b| b.required)
        .filter(|r| r.is_finite())
        .collect();
    let first = *reqs.first()?;
    if reqs.iter().all(|r| (r - first).abs() < 1e-12) && reqs.len() == bars.len() {
        Some(Some(first))
    } else {
        Some(None)
    }
}

fn status_items(bars: &[Bar]) -> Vec<(Swatch, String)> {
    let mut items = Vec::new();
    for s in [Status::Met, Status::AtRisk, Status::Missed, Status::Unknown] {
        if bars.iter().any(|b| b.status == s) || s != Status::Unknown {
            items.push((
                Swatch::Status(s),
                status_text(s)
                    .0
                    .trim_start_matches(|ch: char| !ch.is_alphabetic())
                    .to_string(),
            ));
        }
    }
    items
}

pub(super) fn draw_bars<DB: DrawingBackend>(c: &Canvas<DB>, title: &str, bars: &[Bar]) {
    let y0 = draw_title(c, title);
    let mut items = status_items(bars);
    items.push((Swatch::Interval, "95% interval".into()));
    let req = common_required(bars);
    match req {
        Some(Some(r)) => items.push((Swatch::Dashed, format!("required {}", pct(r, 0)))),
        Some(None) => items.push((Swatch::Dashed, "required (each ward's own)".into())),
        None => {}
    }
    let ly = legend(c, 88.0, y0 + 6.0, &items, c.w - 16.0);
    let (pl, pr, pt) = (88.0, c.w - 20.0, ly + 24.0);
    let n = bars.len().max(1);
    let cw = (pr - pl) / n as f64;
    let xs: Vec<f64> = (0..bars.len())
        .map(|i| pl + (i as f64 + 0.5) * cw)
        .collect();
    let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
    let lab_h = category_labels(c, &labels, &xs, cw, 0.0, 150.0, false);
    let pb = c.h - 10.0 - lab_h;
    let y = Lin::new(0.0, 1.0, pb, pt);
    pct_axis_y(c, &y, pl, pr, "Share achieved");
    category_labels(c, &labels, &xs, cw, pb, 150.0, true);
    if bars.is_empty() {
        empty_note(c, (pl + pr) / 2.0, (pt + pb) / 2.0, "no wards");
    }
    let bw = (cw * 0.72).min(60.0);
    for (b, &xc) in bars.iter().zip(&xs) {
        if finite(b.value) {
            c.status_box(
                xc - bw / 2.0,
                y.clamped(b.value),
                xc + bw / 2.0,
                pb,
                b.status,
            );
        }
        if finite(b.low) && finite(b.high) {
            let (l, h) = (y.clamped(b.low.min(b.high)), y.clamped(b.low.max(b.high)));
            let cap = (bw * 0.3).clamp(2.0, 8.0);
            c.line_halo(&[(xc, l), (xc, h)], INK, if cw >= 12.0 { 2 } else { 1 });
            c.line_halo(&[(xc - cap, l), (xc + cap, l)], INK, 1);
            c.line_halo(&[(xc - cap, h), (xc + cap, h)], INK, 1);
        }
        if let (Some(None), Some(r)) = (req, b.required.filter(|r| r.is_finite())) {
            let ry = y.clamped(r);
            c.dashed(
                &[(xc - cw / 2.0, ry), (xc + cw / 2.0, ry)],
                &[5.0, 3.0],
                INK,
                2,
            );
        }
    }
    if let Some(Some(r)) = req {
        let ry = y.clamped(r);
        c.dashed(&[(pl, ry), (pr, ry)], DASH, INK, 2);
    }
    c.line(&[(pl, pb), (pr, pb)], INK, 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(required: Option<f64>) -> Bar {
        Bar {
            label: "ward".into(),
            value: 0.9,
            low: 0.85,
            high: 0.95,
            required,
            status: Status::Met,
        }
    }

    #[test]
    fn one_required_line_only_when_every_ward_shares_it() {
        assert_eq!(
            common_required(&[bar(Some(0.9)), bar(Some(0.9))]),
            Some(Some(0.9))
        );
        assert_eq!(
            common_required(&[bar(Some(0.9)), bar(Some(0.8))]),
            Some(None)
        );
        assert_eq!(common_required(&[bar(Some(0.9)), bar(None)]), Some(None));
        assert_eq!(common_required(&[bar(None), bar(Some(f64::NAN))]), None);
        assert_eq!(common_required(&[]), None);
    }

    #[test]
    fn the_legend_names_not_known_only_when_a_ward_is() {
        let words = |bars: &[Bar]| -> Vec<String> {
            status_items(bars).into_iter().map(|(_, w)| w).collect()
        };
        assert_eq!(words(&[bar(None)]), ["met", "at risk", "missed"]);
        let mut unknown = bar(None);
        unknown.status = Status::Unknown;
        assert_eq!(words(&[unknown]), ["met", "at risk", "missed", "not known"]);
    }
}
