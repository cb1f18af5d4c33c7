//! Comparisons: paired differences, scenario minus baseline, with their intervals.

use super::axes::{
    Lin, Swatch, draw_title, empty_note, legend, nice_step, num, row_bands, ticks, x_axis, x_title,
};
use super::canvas::{Anchor, Canvas, LABEL_SIZE, NOTE_SIZE, VAnchor};
use super::colour::{INK, MUTED, WHITE_};
use plotters::prelude::DrawingBackend;
use std::fmt::Write as _;

pub(super) const DIFF_ROW: f64 = 36.0;

pub(super) fn draw_differences<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    rows: &[(String, f64, f64, f64)],
    unit: &str,
) {
    let y0 = draw_title(c, title);
    // Seconds in the hundreds read better as minutes.
    let biggest = rows
        .iter()
        .flat_map(|r| [r.1, r.2, r.3])
        .filter(|v| v.is_finite())
        .fold(0.0, |a: f64, v| a.max(v.abs()));
    let (div, unit) = match unit.trim() {
        "s" | "sec" | "seconds" if biggest >= 300.0 => (60.0, "min"),
        "s" | "sec" | "seconds" => (1.0, "s"),
        u => (1.0, u),
    };
    let legend_y = legend(
        c,
        16.0,
        y0 + 6.0,
        &[
            (Swatch::Dot(true), "interval excludes zero".into()),
            (
                Swatch::Dot(false),
                "interval includes zero: no clear difference".into(),
            ),
        ],
        c.w - 16.0,
    );
    let top = legend_y + 26.0;
    let (lx1, px0, px1, vx0) = (292.0, 312.0, 640.0, 658.0);
    let bottom = top + rows.len().max(1) as f64 * DIFF_ROW;
    let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
    for r in rows {
        for v in [r.1, r.2, r.3].into_iter().filter(|v| v.is_finite()) {
            lo = lo.min(v / div);
            hi = hi.max(v / div);
        }
    }
    if hi - lo <= 0.0 {
        hi += 1.0;
        lo -= 1.0;
    }
    let pad = (hi - lo) * 0.06;
    let step = nice_step(hi - lo + 2.0 * pad, 6.0);
    let (lo, hi) = (
        ((lo - pad) / step).floor() * step,
        ((hi + pad) / step).ceil() * step,
    );
    let x = Lin::new(lo, hi, px0, px1);
    row_bands(c, top, rows.len(), DIFF_ROW);
    x_axis(c, &x, top, bottom, ticks(lo, hi, step), |t| {
        if t > step * 1e-9 {
            format!("+{}", num(t, step))
        } else {
            num(t, step)
        }
    });
    let zx = x.at(0.0);
    c.line(&[(zx, top - 4.0), (zx, bottom)], INK, 2);
    let axis = if unit.is_empty() {
        "Difference, scenario minus baseline".to_string()
    } else {
        format!("Difference, scenario minus baseline ({unit})")
    };
    x_title(c, (px0 + px1) / 2.0, bottom + 34.0, &axis);
    if rows.is_empty() {
        empty_note(c, (px0 + px1) / 2.0, top + DIFF_ROW / 2.0, "no differences");
    }
    let signed = |v: f64| -> String {
        let s = num(v, step / 10.0);
        if v > 0.0 && s.chars().any(|ch| ch.is_ascii_digit() && ch != '0') {
            format!("+{s}")
        } else {
            s
        }
    };
    for (i, (label, d, l, h)) in rows.iter().enumerate() {
        let yc = top + (i as f64 + 0.5) * DIFF_ROW;
        let t = c.fit_middle(label, LABEL_SIZE, lx1 - 16.0);
        c.text(16.0, yc, &t, LABEL_SIZE, INK, Anchor::Left, VAnchor::Middle);
        let (d, l, h) = (d / div, l / div, h / div);
        let has_ci = l.is_finite() && h.is_finite();
        if has_ci {
            let (a, b) = (x.clamped(l.min(h)), x.clamped(l.max(h)));
            c.line(&[(a, yc), (b, yc)], INK, 2);
            c.line(&[(a, yc - 7.0), (a, yc + 7.0)], INK, 2);
            c.line(&[(b, yc - 7.0), (b, yc + 7.0)], INK, 2);
        }
        let clear = has_ci && (l.min(h) > 0.0 || l.max(h) < 0.0);
        if d.is_finite() {
            let dx = x.clamped(d);
            c.circle(dx, yc, 6.5, WHITE_, true);
            c.circle(dx, yc, 6.0, INK, clear);
        }
        let u = if unit.is_empty() || unit == "%" {
            unit.to_string()
        } else {
            format!(" {unit}")
        };
        let mut text = if d.is_finite() {
            format!("{}{u}", signed(d))
        } else {
            "no data".into()
        };
        if has_ci {
            let _ = write!(text, "  ({} to {})", signed(l.min(h)), signed(l.max(h)));
        }
        let text = c.fit_end(&text, NOTE_SIZE, c.w - vx0 - 10.0);
        c.text(
            vx0,
            yc,
            &text,
            NOTE_SIZE,
            if clear { INK } else { MUTED },
            Anchor::Left,
            VAnchor::Middle,
        );
    }
}
