//! Wards: bars of each ward's share in time, and the map of wards shaded by it.

use super::axes::{
    Lin, Swatch, category_labels, colour_bar, draw_title, empty_note, finite, legend,
    legend_column, num, pct, pct_axis_y,
};
use super::canvas::{Anchor, Canvas, NOTE_SIZE, VAnchor};
use super::colour::{DASH, INK, WHITE_, on, scale_low, shade, status_text};
use super::{Bar, Status};
use plotters::prelude::{DrawingBackend, RGBColor};

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

// ---------------------------------------------------------------------------------------------
// Ward map

fn polygon_area_centroid(pts: &[(f64, f64)]) -> (f64, (f64, f64)) {
    let mut a = 0.0;
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..pts.len() {
        let (p, q) = (pts[i], pts[(i + 1) % pts.len()]);
        let cr = p.0 * q.1 - q.0 * p.1;
        a += cr;
        cx += (p.0 + q.0) * cr;
        cy += (p.1 + q.1) * cr;
    }
    if a.abs() < 1e-12 {
        let n = pts.len().max(1) as f64;
        let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
        let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
        return (0.0, (mx, my));
    }
    (a / 2.0, (cx / (3.0 * a), cy / (3.0 * a)))
}

fn inside(pts: &[(f64, f64)], p: (f64, f64)) -> bool {
    let mut c = false;
    for i in 0..pts.len() {
        let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) * (b.0 - a.0) / (b.1 - a.1) {
            c = !c;
        }
    }
    c
}

/// The widest horizontal run of a polygon through height `y`.
fn run_at(pts: &[(f64, f64)], y: f64) -> Option<(f64, f64)> {
    let mut xs = Vec::new();
    for i in 0..pts.len() {
        let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
        if (a.1 > y) != (b.1 > y) {
            xs.push(a.0 + (y - a.1) * (b.0 - a.0) / (b.1 - a.1));
        }
    }
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2)
        .map(|w| (w[0], w[1]))
        .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)))
}

#[allow(clippy::type_complexity)]
pub(super) fn draw_ward_map<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    wards: &[(String, Vec<(f64, f64)>, f64)],
    required: f64,
) {
    let y0 = draw_title(c, title);
    let (mx0, mx1, my0, my1) = (16.0, c.w - 230.0, y0 + 4.0, c.h - 16.0);
    let (mut bx0, mut bx1, mut by0, mut by1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    let drawable = |poly: &[(f64, f64)]| {
        poly.iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .count()
            >= 3
    };
    for (_, poly, _) in wards.iter().filter(|w| drawable(&w.1)) {
        for &(x, y) in poly.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
            bx0 = bx0.min(x);
            bx1 = bx1.max(x);
            by0 = by0.min(y);
            by1 = by1.max(y);
        }
    }
    let lo = scale_low(wards.iter().map(|w| w.2), required);
    let lx = mx1 + 110.0;
    colour_bar(c, lx, y0 + 30.0, c.h - 180.0, lo, required);
    c.text(
        mx1 + 30.0,
        y0 + 8.0,
        "Share achieved",
        NOTE_SIZE,
        INK,
        Anchor::Left,
        VAnchor::Middle,
    );
    let mut items = Vec::new();
    if required.is_finite() {
        items.push((Swatch::Hatch, format!("below {}", pct(required, 0))));
    }
    if wards.iter().any(|w| !w.2.is_finite()) {
        items.push((Swatch::NoData, "no data".to_string()));
    }
    let ly = legend_column(c, mx1 + 30.0, c.h - 150.0, &items);
    if !(bx0.is_finite() && by0.is_finite() && bx1 - bx0 > 1e-6 && by1 - by0 > 1e-6) {
        empty_note(c, (mx0 + mx1) / 2.0, (my0 + my1) / 2.0, "no wards");
        return;
    }
    let (bw, bh) = ((bx1 - bx0).max(1e-6), (by1 - by0).max(1e-6));
    let k = ((mx1 - mx0) / bw).min((my1 - my0) / bh);
    let ox = mx0 + ((mx1 - mx0) - bw * k) / 2.0;
    let oy = my0 + ((my1 - my0) - bh * k) / 2.0;
    let map = |p: &(f64, f64)| (ox + (p.0 - bx0) * k, oy + (by1 - p.1) * k);
    let shapes: Vec<Vec<(f64, f64)>> = wards
        .iter()
        .map(|(_, poly, _)| {
            poly.iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(map)
                .collect()
        })
        .collect();
    for ((_, _, v), s) in wards.iter().zip(&shapes) {
        if v.is_finite() {
            let fill = shade(*v, lo);
            c.polygon(s, fill);
            if required.is_finite() && *v < required {
                c.hatch(s, 8.0, on(fill), 1);
            }
        } else {
            c.polygon(s, WHITE_);
        }
    }
    for s in &shapes {
        let mut closed = s.clone();
        if let Some(&f) = s.first() {
            closed.push(f);
        }
        c.line(&closed, RGBColor(60, 60, 60), 1);
    }
    // Labels where they fit: the name (on one line, or two) and the share, centred on the
    // widest run through the centroid, kept inside the ward and clear of other labels.
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let size = NOTE_SIZE - 1.0;
    let line_h = 16.0;
    for ((name, _, v), s) in wards.iter().zip(&shapes) {
        if s.len() < 3 {
            continue;
        }
        let (_, (cx, cy)) = polygon_area_centroid(s);
        if !inside(s, (cx, cy)) {
            continue;
        }
        let Some((r0, r1)) = run_at(s, cy) else {
            continue;
        };
        let room = (r1 - r0) - 8.0;
        let value = if v.is_finite() {
            pct(*v, 0)
        } else {
            "no data".to_string()
        };
        let mut lines = vec![name.clone()];
        if c.text_w(name, size) > room {
            lines = c.wrap(name, size, room, 2);
            if lines.iter().any(|l| l.ends_with('…')) {
                lines = vec![c.fit_middle(name, size, room)];
            }
        }
        if lines
            .iter()
            .any(|l| l.chars().count() < 4.min(name.chars().count()) || c.text_w(l, size) > room)
        {
            continue;
        }
        lines.push(value);
        let n = lines.len() as f64;
        let w = lines.iter().map(|l| c.text_w(l, size)).fold(0.0, f64::max);
        let xc = (r0 + r1) / 2.0;
        let half = n * line_h / 2.0;
        let bx = (xc - w / 2.0, cy - half, xc + w / 2.0, cy + half);
        let fits = [(bx.0, bx.1), (bx.2, bx.1), (bx.0, bx.3), (bx.2, bx.3)]
            .iter()
            .all(|&p| inside(s, p));
        if !fits
            || placed
                .iter()
                .any(|p| bx.0 < p.2 && p.0 < bx.2 && bx.1 < p.3 && p.1 < bx.3)
        {
            continue;
        }
        placed.push(bx);
        let fill = if v.is_finite() { shade(*v, lo) } else { WHITE_ };
        for (k, text) in lines.iter().enumerate() {
            let ly = cy - half + (k as f64 + 0.5) * line_h;
            c.text_on(
                xc,
                ly,
                text,
                size,
                on(fill),
                fill,
                Anchor::Center,
                VAnchor::Middle,
            );
        }
    }
    // A scale bar.
    // The longest of 1, 2 or 5 times a power of ten that is at most 160 pixels.
    let most = 160.0 / k;
    let mag = 10f64.powf(most.log10().floor());
    let km = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|v| *v <= most)
        .unwrap_or(mag);
    let len = km * k;
    if len.is_finite() && len > 10.0 {
        let (sx, sy) = (mx1 + 30.0, ly + 14.0);
        c.line(
            &[
                (sx, sy - 5.0),
                (sx, sy),
                (sx + len, sy),
                (sx + len, sy - 5.0),
            ],
            INK,
            2,
        );
        c.text(
            sx,
            sy + 6.0,
            &format!("{} km", num(km, km)),
            NOTE_SIZE,
            INK,
            Anchor::Left,
            VAnchor::Top,
        );
    }
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

    #[test]
    fn polygon_geometry() {
        let square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)];
        assert_eq!(polygon_area_centroid(&square), (4.0, (1.0, 1.0)));
        assert!(inside(&square, (1.0, 1.0)));
        assert!(!inside(&square, (3.0, 1.0)));
        assert_eq!(run_at(&square, 1.0), Some((0.0, 2.0)));
        assert_eq!(run_at(&square, 5.0), None);
        // A U shape: the widest run through the arms is one arm, through the base the whole.
        let u = [
            (0.0, 0.0),
            (5.0, 0.0),
            (5.0, 4.0),
            (4.0, 4.0),
            (4.0, 1.0),
            (2.0, 1.0),
            (2.0, 4.0),
            (0.0, 4.0),
        ];
        assert_eq!(run_at(&u, 3.0), Some((0.0, 2.0)));
        assert_eq!(run_at(&u, 0.5), Some((0.0, 5.0)));
        assert!(!inside(&u, (3.0, 3.0)));
        // A degenerate polygon has no area, and its centroid is the mean of its points.
        let line = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)];
        assert_eq!(polygon_area_centroid(&line), (0.0, (1.0, 1.0)));
    }
}
