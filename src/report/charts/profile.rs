//! A rate through the week: calls an hour for each of the 168 hours of the week, as a line
//! with its 95% interval as a band, days marked.

use super::axes::{draw_title, empty_note, nice_step, num, ticks, x_title, y_axis, y_title};
use super::canvas::{AXIS_SIZE, Anchor, Canvas, NOTE_SIZE, TICK_SIZE, VAnchor};
use super::colour::{BAND_FILL, GRID, INK, LINE, MUTED, WHITE_};
use plotters::prelude::DrawingBackend;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `hours[h]`: (value, low, high) for hour of the week h (Monday 00:00 first), None where the
/// hour has no figure. The band is drawn under the line and gaps are left where hours have no
/// figure.
pub(super) fn draw_weekly_rate<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    y_label: &str,
    hours: &[Option<(f64, f64, f64)>],
) {
    let y0 = draw_title(c, title);
    let (pl, pr, pt, pb) = (88.0, c.w - 28.0, y0 + 8.0, c.h - 70.0);
    let top = hours
        .iter()
        .flatten()
        .map(|v| v.2.max(v.0))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    if top <= 0.0 {
        empty_note(c, (pl + pr) / 2.0, (pt + pb) / 2.0, "no calls");
        return;
    }
    let step = nice_step(top, 6.0);
    let ymax = (top / step - 1e-9).ceil().max(1.0) * step;
    let x = super::axes::Lin::new(0.0, 168.0, pl, pr);
    let y = super::axes::Lin::new(0.0, ymax, pb, pt);
    y_axis(c, &y, pl, pr, ticks(0.0, ymax, step), |t| num(t, step));
    let t = c.fit_middle(y_label, AXIS_SIZE, pb - pt);
    y_title(c, (pb + pt) / 2.0, &t);
    // Days: a line at each midnight, the day's name under its middle.
    for d in 0..=7 {
        let px = x.at(d as f64 * 24.0);
        c.line(
            &[(px, pt), (px, pb + 5.0)],
            if d % 7 == 0 { INK } else { GRID },
            1,
        );
    }
    for (d, day) in DAYS.iter().enumerate() {
        c.text(
            x.at(d as f64 * 24.0 + 12.0),
            pb + 8.0,
            day,
            TICK_SIZE,
            INK,
            Anchor::Center,
            VAnchor::Top,
        );
    }
    c.line(&[(pl, pb), (pr, pb)], INK, 1);
    x_title(
        c,
        (pl + pr) / 2.0,
        pb + 34.0,
        "Hour of the week (each value over its hour)",
    );
    // Runs of hours with a figure: a band polygon and a stepped line each.
    type Run = Vec<(usize, (f64, f64, f64))>;
    let mut runs: Vec<Run> = Vec::new();
    let mut cur = Vec::new();
    for (h, v) in hours.iter().enumerate().take(168) {
        match v.filter(|v| v.0.is_finite() && v.1.is_finite() && v.2.is_finite()) {
            Some(v) => cur.push((h, v)),
            None if !cur.is_empty() => runs.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    for run in &runs {
        let mut upper = Vec::new();
        let mut lower = Vec::new();
        let mut line = Vec::new();
        for &(h, (v, lo, hi)) in run {
            let (a, b) = (x.at(h as f64), x.at(h as f64 + 1.0));
            upper.push((a, y.clamped(hi)));
            upper.push((b, y.clamped(hi)));
            lower.push((a, y.clamped(lo)));
            lower.push((b, y.clamped(lo)));
            line.push((a, y.clamped(v)));
            line.push((b, y.clamped(v)));
        }
        lower.reverse();
        upper.extend(lower);
        c.polygon(&upper, BAND_FILL);
        c.line(&line, LINE, 2);
    }
    // Key, top left.
    let (kx, ky) = (pl + 10.0, pt + 8.0);
    let label_line = "calls an hour (the fitted profile)";
    let label_band = "95% interval (Poisson, exact)";
    let w = c
        .text_w(label_line, NOTE_SIZE)
        .max(c.text_w(label_band, NOTE_SIZE))
        + 56.0;
    c.rect(kx, ky, kx + w, ky + 52.0, WHITE_);
    c.rect_line(kx, ky, kx + w, ky + 52.0, GRID, 1);
    c.line(&[(kx + 8.0, ky + 15.0), (kx + 40.0, ky + 15.0)], LINE, 2);
    c.text(
        kx + 48.0,
        ky + 15.0,
        label_line,
        NOTE_SIZE,
        INK,
        Anchor::Left,
        VAnchor::Middle,
    );
    c.rect(kx + 8.0, ky + 30.0, kx + 40.0, ky + 44.0, BAND_FILL);
    c.text(
        kx + 48.0,
        ky + 37.0,
        label_band,
        NOTE_SIZE,
        MUTED,
        Anchor::Left,
        VAnchor::Middle,
    );
}
