//! What every chart shares: number and time formats, tick steps, the data-to-pixel map, and the
//! title, legend, row band, axis and empty-note drawing.

use super::Status;
use super::canvas::{
    AXIS_SIZE, Anchor, Canvas, LABEL_SIZE, NOTE_SIZE, TICK_SIZE, TITLE_SIZE, VAnchor,
};
use super::colour::{BAND, BAND_FILL, DASH, GRID, INK, LINE, MUTED, NO_DATA, WHITE_, on, viridis};
use plotters::prelude::{DrawingBackend, RGBColor};

pub(super) fn pct(v: f64, dp: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", dp, v * 100.0);
    let s = if s
        .trim_start_matches('-')
        .trim_matches(|c| c == '0' || c == '.')
        .is_empty()
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    format!("{s}%")
}

/// A number as short as it can be without losing what `step` shows.
pub(super) fn num(v: f64, step: f64) -> String {
    let dp = if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        0
    } else {
        ((-step.log10()).ceil() as usize).min(6)
    };
    let dp = if dp > 0
        && ((step * 10f64.powi(dp as i32 - 1)).round() - step * 10f64.powi(dp as i32 - 1)).abs()
            < 1e-9
    {
        dp - 1
    } else {
        dp
    };
    let s = format!("{v:.dp$}");
    if s.trim_start_matches('-')
        .trim_matches(|c| c == '0' || c == '.')
        .is_empty()
    {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

/// A duration as people say it: "10 s", "15 min", "2 h", "7 days".
pub(super) fn duration(secs: f64) -> String {
    let (v, unit) = if secs < 120.0 {
        (secs, "s")
    } else if secs < 3.0 * 3600.0 {
        (secs / 60.0, "min")
    } else if secs < 72.0 * 3600.0 {
        (secs / 3600.0, "h")
    } else {
        (secs / 86400.0, "days")
    };
    let r = (v * 10.0).round() / 10.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{} {unit}", r.round())
    } else {
        format!("{r:.1} {unit}")
    }
}

/// A tick step from `candidates` (in ascending order) giving at most `max_ticks` intervals.
pub(super) fn step_from(span: f64, candidates: &[f64], max_ticks: f64) -> f64 {
    for &c in candidates {
        if span / c <= max_ticks {
            return c;
        }
    }
    nice_step(span, max_ticks)
}

/// A step of 1, 2, 2.5 or 5 times a power of ten giving at most `max_ticks` intervals.
pub(super) fn nice_step(span: f64, max_ticks: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / max_ticks.max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * (1.0 - 1e-9) {
            return m * mag;
        }
    }
    10.0 * mag
}

pub(super) fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if !(step > 0.0 && lo.is_finite() && hi.is_finite()) {
        return out;
    }
    let mut k = (lo / step - 1e-9).ceil();
    while k * step <= hi + step * 1e-9 && out.len() < 200 {
        out.push(k * step);
        k += 1.0;
    }
    out
}

/// A linear map from data to pixels.
#[derive(Clone, Copy)]
pub(super) struct Lin {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Lin {
    pub(super) fn new(d0: f64, d1: f64, p0: f64, p1: f64) -> Lin {
        let d1 = if d1 > d0 { d1 } else { d0 + 1.0 };
        Lin { d0, d1, p0, p1 }
    }
    pub(super) fn at(&self, v: f64) -> f64 {
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
    pub(super) fn clamped(&self, v: f64) -> f64 {
        let (a, b) = (self.p0.min(self.p1), self.p0.max(self.p1));
        self.at(v).clamp(a, b)
    }
}

pub(super) fn finite(v: f64) -> bool {
    v.is_finite()
}

pub(super) fn head(title: &str) -> f64 {
    if title.trim().is_empty() { 14.0 } else { 52.0 }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces: title, legend, axes

pub(super) fn draw_title<DB: DrawingBackend>(c: &Canvas<DB>, title: &str) -> f64 {
    if title.trim().is_empty() {
        return head(title);
    }
    let t = c.fit_end(title.trim(), TITLE_SIZE, c.w - 32.0);
    c.text(16.0, 14.0, &t, TITLE_SIZE, INK, Anchor::Left, VAnchor::Top);
    head(title)
}

#[derive(Clone, Copy)]
pub(super) enum Swatch {
    Status(Status),
    Dashed,
    Interval,
    Required,
    Band,
    Dot(bool),
    Hatch,
    NoData,
    Cross,
    Contour,
}

fn draw_swatch<DB: DrawingBackend>(c: &Canvas<DB>, s: Swatch, x: f64, y: f64) -> f64 {
    match s {
        Swatch::Status(st) => {
            c.status_box(x, y - 8.0, x + 24.0, y + 8.0, st);
            24.0
        }
        Swatch::Dashed => {
            c.dashed(&[(x, y), (x + 32.0, y)], DASH, INK, 2);
            32.0
        }
        Swatch::Interval => {
            c.line(&[(x, y), (x + 26.0, y)], INK, 2);
            c.line(&[(x, y - 6.0), (x, y + 6.0)], INK, 2);
            c.line(&[(x + 26.0, y - 6.0), (x + 26.0, y + 6.0)], INK, 2);
            26.0
        }
        Swatch::Required => {
            c.line(&[(x + 4.0, y - 10.0), (x + 4.0, y + 10.0)], INK, 3);
            8.0
        }
        Swatch::Band => {
            c.rect(x, y - 8.0, x + 36.0, y + 8.0, BAND_FILL);
            c.line(&[(x, y), (x + 36.0, y)], LINE, 3);
            36.0
        }
        Swatch::Dot(filled) => {
            c.circle(x + 7.0, y, 6.0, INK, filled);
            14.0
        }
        Swatch::Hatch => {
            let fill = viridis(0.15);
            c.rect(x, y - 9.0, x + 24.0, y + 9.0, fill);
            c.hatch(
                &[
                    (x, y - 9.0),
                    (x + 24.0, y - 9.0),
                    (x + 24.0, y + 9.0),
                    (x, y + 9.0),
                ],
                6.0,
                on(fill),
                1,
            );
            24.0
        }
        Swatch::NoData => {
            c.rect_line(x, y - 9.0, x + 24.0, y + 9.0, NO_DATA, 1);
            24.0
        }
        Swatch::Cross => {
            let fill = viridis(0.15);
            c.rect(x, y - 9.0, x + 24.0, y + 9.0, fill);
            cross(c, x + 12.0, y, 5.0, on(fill));
            24.0
        }
        Swatch::Contour => {
            let fill = viridis(0.8);
            c.rect(x, y - 9.0, x + 24.0, y + 9.0, fill);
            c.rect_line(x, y - 9.0, x + 24.0, y + 9.0, WHITE_, 5);
            c.rect_line(x, y - 9.0, x + 24.0, y + 9.0, INK, 2);
            24.0
        }
    }
}

/// Legend items in a row from `(x, y)`, wrapping before `max_x`; returns the y of the last row.
pub(super) fn legend<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: f64,
    y: f64,
    items: &[(Swatch, String)],
    max_x: f64,
) -> f64 {
    let (mut cx, mut cy) = (x, y);
    for (s, label) in items {
        let sw = match s {
            Swatch::Band => 36.0,
            Swatch::Dashed => 32.0,
            Swatch::Interval => 26.0,
            Swatch::Required => 8.0,
            Swatch::Dot(_) => 14.0,
            _ => 24.0,
        };
        let w = sw + 7.0 + c.text_w(label, NOTE_SIZE);
        if cx > x && cx + w > max_x {
            cx = x;
            cy += 24.0;
        }
        let used = draw_swatch(c, *s, cx, cy);
        c.text(
            cx + used + 7.0,
            cy,
            label,
            NOTE_SIZE,
            INK,
            Anchor::Left,
            VAnchor::Middle,
        );
        cx += w + 22.0;
    }
    cy
}

/// Legend items in a column from `(x, y)`; returns the y after the last.
pub(super) fn legend_column<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: f64,
    y: f64,
    items: &[(Swatch, String)],
) -> f64 {
    let mut cy = y;
    for (s, label) in items {
        let used = draw_swatch(c, *s, x, cy);
        let lines = c.wrap(label, NOTE_SIZE, c.w - (x + used + 7.0) - 8.0, 2);
        for (k, l) in lines.iter().enumerate() {
            c.text(
                x + used + 7.0,
                cy + k as f64 * 17.0,
                l,
                NOTE_SIZE,
                INK,
                Anchor::Left,
                VAnchor::Middle,
            );
        }
        cy += 12.0 + 17.0 * lines.len().max(1) as f64;
    }
    cy
}

/// A shaded band behind every second of `n` rows `row` high from `top`, across the chart.
pub(super) fn row_bands<DB: DrawingBackend>(c: &Canvas<DB>, top: f64, n: usize, row: f64) {
    for i in (0..n).step_by(2) {
        let y = top + i as f64 * row;
        c.rect(8.0, y, c.w - 8.0, y + row, BAND);
    }
}

/// A note in the middle of an empty plot ("no data").
pub(super) fn empty_note<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, note: &str) {
    c.text(
        x,
        y,
        note,
        LABEL_SIZE,
        MUTED,
        Anchor::Center,
        VAnchor::Middle,
    );
}

/// A label left of a row or a tick at height `y`, ending at `x`.
pub(super) fn row_label<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, s: &str) {
    c.text(x, y, s, TICK_SIZE, INK, Anchor::Right, VAnchor::Middle);
}

/// The title of a horizontal axis, centred on `x` below `y`.
pub(super) fn x_title<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, s: &str) {
    c.text(x, y, s, AXIS_SIZE, INK, Anchor::Center, VAnchor::Top);
}

/// The title of a vertical axis, reading upwards at the left edge, centred on `y`.
pub(super) fn y_title<DB: DrawingBackend>(c: &Canvas<DB>, y: f64, s: &str) {
    c.text_up(18.0, y, s, AXIS_SIZE, INK, Anchor::Center);
}

/// A vertical axis at `x0` with grid lines across to `x1` and a label left of each tick.
pub(super) fn y_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    y: &Lin,
    x0: f64,
    x1: f64,
    ts: Vec<f64>,
    label: impl Fn(f64) -> String,
) {
    for t in ts {
        let py = y.at(t);
        c.line(&[(x0, py), (x1, py)], GRID, 1);
        row_label(c, x0 - 8.0, py, &label(t));
    }
    c.line(&[(x0, y.p0), (x0, y.p1)], INK, 1);
}

/// A horizontal axis at `y1` with grid lines up to `y0`, a tick mark and a label below each tick.
pub(super) fn x_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: &Lin,
    y0: f64,
    y1: f64,
    ts: Vec<f64>,
    label: impl Fn(f64) -> String,
) {
    for t in ts {
        let p = x.at(t);
        c.line(&[(p, y0), (p, y1)], GRID, 1);
        c.line(&[(p, y1), (p, y1 + 5.0)], INK, 1);
        c.text(
            p,
            y1 + 8.0,
            &label(t),
            TICK_SIZE,
            INK,
            Anchor::Center,
            VAnchor::Top,
        );
    }
    c.line(&[(x.p0, y1), (x.p1, y1)], INK, 1);
}

/// A vertical 0-100% axis at `x0` with grid lines across to `x1`.
pub(super) fn pct_axis_y<DB: DrawingBackend>(
    c: &Canvas<DB>,
    y: &Lin,
    x0: f64,
    x1: f64,
    title: &str,
) {
    let step = if (y.p0 - y.p1).abs() >= 260.0 {
        0.1
    } else {
        0.2
    };
    y_axis(c, y, x0, x1, ticks(0.0, 1.0, step), |t| pct(t, 0));
    if !title.is_empty() {
        let t = c.fit_middle(title, AXIS_SIZE, (y.p0 - y.p1).abs());
        y_title(c, (y.p0 + y.p1) / 2.0, &t);
    }
}

/// A horizontal 0-100% axis below `y1`, with grid lines from `y0`.
pub(super) fn pct_axis_x<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: &Lin,
    y0: f64,
    y1: f64,
    title: &str,
) {
    let label_step = if (x.p1 - x.p0).abs() >= 420.0 {
        0.1
    } else {
        0.2
    };
    for t in ticks(0.0, 1.0, 0.1) {
        let p = x.at(t);
        c.line(&[(p, y0), (p, y1)], GRID, 1);
    }
    for t in ticks(0.0, 1.0, label_step) {
        let p = x.at(t);
        c.line(&[(p, y1), (p, y1 + 5.0)], INK, 1);
        c.text(
            p,
            y1 + 8.0,
            &pct(t, 0),
            TICK_SIZE,
            INK,
            Anchor::Center,
            VAnchor::Top,
        );
    }
    c.line(&[(x.p0, y1), (x.p1, y1)], INK, 1);
    if !title.is_empty() {
        let t = c.fit_middle(title, AXIS_SIZE, (x.p1 - x.p0).abs() + 60.0);
        x_title(c, (x.p0 + x.p1) / 2.0, y1 + 32.0, &t);
    }
}

/// Category labels under columns centred at `xs`, `cw` wide: horizontal when all fit, else
/// reading upwards and shortened to `max_len` pixels, and only every second (third, ...) one when
/// even that is too tight. Returns the height they take.
pub(super) fn category_labels<DB: DrawingBackend>(
    c: &Canvas<DB>,
    labels: &[&str],
    xs: &[f64],
    cw: f64,
    y: f64,
    max_len: f64,
    draw: bool,
) -> f64 {
    let size = (cw * 0.85).clamp(11.0, TICK_SIZE);
    let horizontal = labels.iter().all(|l| c.text_w(l, TICK_SIZE) <= cw - 6.0);
    if horizontal {
        if draw {
            for (l, &x) in labels.iter().zip(xs) {
                c.text(x, y + 6.0, l, TICK_SIZE, INK, Anchor::Center, VAnchor::Top);
            }
        }
        return 28.0;
    }
    let every = ((size / 1.24 + 2.0) / cw.max(0.1)).ceil().max(1.0) as usize;
    let mut longest: f64 = 0.0;
    for (l, &x) in labels.iter().zip(xs).step_by(every) {
        let s = c.fit_middle(l, size, max_len);
        longest = longest.max(c.text_w(&s, size));
        if draw {
            c.text_up(x, y + 6.0, &s, size, INK, Anchor::Right);
        }
    }
    longest + 14.0
}

pub(super) fn cross<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, r: f64, color: RGBColor) {
    c.line(&[(x - r, y - r), (x + r, y + r)], color, 2);
    c.line(&[(x - r, y + r), (x + r, y - r)], color, 2);
}

/// A vertical colour bar for shares from `lo` to 100%, with the required share marked.
pub(super) fn colour_bar<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: f64,
    y0: f64,
    y1: f64,
    lo: f64,
    required: f64,
) {
    let s = Lin::new(lo, 1.0, y1, y0);
    let n = ((y1 - y0) / 2.0).ceil().max(1.0) as usize;
    for i in 0..n {
        let a = y1 - (i as f64) * (y1 - y0) / n as f64;
        let b = y1 - (i as f64 + 1.0) * (y1 - y0) / n as f64;
        let t = (i as f64 + 0.5) / n as f64;
        c.rect(x, b, x + 22.0, a, viridis(t));
    }
    c.rect_line(x, y0, x + 22.0, y1, MUTED, 1);
    let step = nice_step(1.0 - lo, 5.0).max(0.05);
    for t in ticks(lo, 1.0, step) {
        let py = s.at(t);
        c.line(&[(x + 22.0, py), (x + 27.0, py)], INK, 1);
        let label = if lo > 0.0 && (t - lo).abs() < 1e-9 {
            format!("≤{}", pct(t, 0))
        } else {
            pct(t, 0)
        };
        c.text(
            x + 30.0,
            py,
            &label,
            TICK_SIZE,
            INK,
            Anchor::Left,
            VAnchor::Middle,
        );
    }
    if required.is_finite() && required >= lo && required <= 1.0 {
        let py = s.at(required);
        c.line(&[(x - 6.0, py), (x + 22.0, py)], INK, 3);
        c.text(
            x - 9.0,
            py,
            "required",
            NOTE_SIZE,
            INK,
            Anchor::Right,
            VAnchor::Middle,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_print_as_percentages_without_a_minus_zero() {
        assert_eq!(pct(0.905, 1), "90.5%");
        assert_eq!(pct(1.0, 0), "100%");
        assert_eq!(pct(-0.0001, 1), "0.0%");
        assert_eq!(pct(-0.25, 0), "-25%");
        assert_eq!(pct(f64::NAN, 1), "–");
        assert_eq!(pct(f64::INFINITY, 0), "–");
    }

    #[test]
    fn numbers_keep_the_decimals_their_step_shows() {
        assert_eq!(num(20.0, 5.0), "20");
        assert_eq!(num(1.5, 0.5), "1.5");
        assert_eq!(num(10.0, 0.5), "10.0");
        assert_eq!(num(0.15, 0.05), "0.15");
        // A true minus sign, and no minus zero.
        assert_eq!(num(-3.0, 1.0), "−3");
        assert_eq!(num(-0.0001, 1.0), "0");
        assert_eq!(num(7.0, f64::NAN), "7");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(10.0), "10 s");
        assert_eq!(duration(119.0), "119 s");
        assert_eq!(duration(150.0), "2.5 min");
        assert_eq!(duration(900.0), "15 min");
        assert_eq!(duration(7200.0), "120 min");
        assert_eq!(duration(3.0 * 3600.0), "3 h");
        assert_eq!(duration(7.0 * 86400.0), "7 days");
    }

    #[test]
    fn tick_steps_are_round_and_few_enough() {
        assert_eq!(nice_step(100.0, 10.0), 10.0);
        assert_eq!(nice_step(24.0, 10.0), 2.5);
        assert_eq!(nice_step(7.0, 10.0), 1.0);
        assert_eq!(nice_step(0.0, 5.0), 1.0);
        assert_eq!(nice_step(f64::NAN, 5.0), 1.0);
        for span in [0.003, 0.7, 1.0, 13.0, 99.0, 101.0, 4321.0] {
            for max in [4.0, 5.0, 6.0, 10.0] {
                let step = nice_step(span, max);
                assert!(
                    span / step <= max * (1.0 + 1e-6),
                    "{span} by {step}: over {max}"
                );
                let m = step / 10f64.powf(step.log10().floor());
                assert!(
                    [1.0, 2.0, 2.5, 5.0, 10.0]
                        .iter()
                        .any(|r| (m - r).abs() < 1e-9),
                    "{step} is not round"
                );
            }
        }
        // The first candidate that gives few enough ticks, else a round step.
        assert_eq!(step_from(30.0, &[1.0, 2.0, 5.0, 10.0], 10.0), 5.0);
        assert_eq!(step_from(1000.0, &[1.0, 2.0], 10.0), 100.0);
    }

    #[test]
    fn ticks_run_from_the_first_multiple_to_the_end_inclusive() {
        assert_eq!(ticks(0.0, 1.0, 0.25), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let t = ticks(0.05, 1.0, 0.1);
        assert_eq!(t.len(), 10);
        assert!((t[0] - 0.1).abs() < 1e-12 && (t[9] - 1.0).abs() < 1e-12);
        assert!(ticks(0.0, 1.0, 0.0).is_empty());
        assert!(ticks(f64::NAN, 1.0, 0.1).is_empty());
        assert_eq!(ticks(0.0, 1e9, 1.0).len(), 200);
    }

    #[test]
    fn the_linear_map_scales_clamps_and_survives_an_empty_domain() {
        let y = Lin::new(0.0, 1.0, 400.0, 100.0);
        assert_eq!(y.at(0.0), 400.0);
        assert_eq!(y.at(0.5), 250.0);
        assert_eq!(y.clamped(2.0), 100.0);
        assert_eq!(y.clamped(-1.0), 400.0);
        let flat = Lin::new(3.0, 3.0, 10.0, 110.0);
        assert_eq!(flat.at(3.5), 60.0);
    }

    #[test]
    fn a_title_takes_room_only_when_there_is_one() {
        assert_eq!(head(""), 14.0);
        assert_eq!(head("   "), 14.0);
        assert_eq!(head("Scorecard"), 52.0);
    }
}
