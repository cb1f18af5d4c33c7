//! Sweeps: a measure against one swept parameter (a line with its band), or two (a heatmap).

use super::axes::{
    Lin, Swatch, category_labels, colour_bar, draw_title, empty_note, legend, legend_column,
    nice_step, num, pct, pct_axis_y, row_label, ticks, x_axis, x_title, y_title,
};
use super::canvas::{AXIS_SIZE, Anchor, Canvas, NOTE_SIZE, TICK_SIZE, VAnchor};
use super::colour::{BAND_FILL, DASH, INK, LINE, NO_DATA, WHITE_, on, scale_low, shade};
use plotters::prelude::DrawingBackend;

pub(super) fn draw_sweep_line<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    x_label: &str,
    points: &[(f64, f64, f64, f64)],
    required: Option<f64>,
) {
    let y0 = draw_title(c, title);
    let mut pts: Vec<(f64, f64, f64, f64)> =
        points.iter().copied().filter(|p| p.0.is_finite()).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut items = vec![(Swatch::Band, "estimate and 95% interval".to_string())];
    let required = required.filter(|r| r.is_finite());
    if let Some(r) = required {
        items.push((Swatch::Dashed, format!("required {}", pct(r, 0))));
        if pts.len() <= 40 {
            items.push((Swatch::Dot(true), "meets it".into()));
            items.push((Swatch::Dot(false), "below it".into()));
        }
    }
    let ly = legend(c, 88.0, y0 + 6.0, &items, c.w - 16.0);
    let (pl, pr, pt, pb) = (88.0, c.w - 28.0, ly + 24.0, c.h - 70.0);
    let (mut x0, mut x1) = match (pts.first(), pts.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => (0.0, 1.0),
    };
    if x1 - x0 <= 0.0 {
        x0 -= 1.0;
        x1 += 1.0;
    }
    let step = nice_step(x1 - x0, 10.0);
    let pad = if pts.len() <= 12 {
        (x1 - x0) * 0.04
    } else {
        0.0
    };
    let x = Lin::new(x0 - pad, x1 + pad, pl, pr);
    let y = Lin::new(0.0, 1.0, pb, pt);
    pct_axis_y(c, &y, pl, pr, "Share achieved");
    // Ticks at the swept values themselves, when they are few and far enough apart to label;
    // otherwise round steps.
    let mut swept: Vec<f64> = pts.iter().map(|p| p.0).filter(|v| v.is_finite()).collect();
    swept.dedup();
    let gap = swept
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let roomy = swept.len() <= 1 || (x.at(x0 + gap) - x.at(x0)).abs() >= 36.0;
    let (ts, tick_step) = if !swept.is_empty() && swept.len() <= 15 && roomy {
        let label_step = if gap.is_finite() { gap } else { 1.0 };
        (swept, label_step)
    } else {
        (ticks(x0 - pad, x1 + pad, step), step)
    };
    x_axis(c, &x, pt, pb, ts, |t| num(t, tick_step));
    let xt = c.fit_middle(x_label.trim(), AXIS_SIZE, pr - pl);
    x_title(c, (pl + pr) / 2.0, pb + 34.0, &xt);
    // The band and the line, broken where a value is missing.
    for run in pts.split(|p| !p.1.is_finite()) {
        let band: Vec<&(f64, f64, f64, f64)> = run
            .iter()
            .filter(|p| p.2.is_finite() && p.3.is_finite())
            .collect();
        if band.len() >= 2 {
            let mut poly: Vec<(f64, f64)> = band
                .iter()
                .map(|p| (x.at(p.0), y.clamped(p.2.min(p.3))))
                .collect();
            poly.extend(
                band.iter()
                    .rev()
                    .map(|p| (x.at(p.0), y.clamped(p.2.max(p.3)))),
            );
            c.polygon(&poly, BAND_FILL);
        } else if let Some(p) = band.first() {
            c.line(
                &[(x.at(p.0), y.clamped(p.2)), (x.at(p.0), y.clamped(p.3))],
                BAND_FILL,
                8,
            );
        }
        let line: Vec<(f64, f64)> = run.iter().map(|p| (x.at(p.0), y.clamped(p.1))).collect();
        c.line(&line, LINE, 3);
    }
    if let Some(r) = required {
        let ry = y.clamped(r);
        c.dashed(&[(pl, ry), (pr, ry)], DASH, INK, 2);
    }
    if pts.len() <= 40 {
        for p in pts.iter().filter(|p| p.1.is_finite()) {
            let met = required.is_none_or(|r| p.1 >= r);
            c.circle(x.at(p.0), y.clamped(p.1), 5.0, WHITE_, true);
            c.circle(x.at(p.0), y.clamped(p.1), 4.5, LINE, met);
        }
    }
    if pts.iter().all(|p| !p.1.is_finite()) {
        empty_note(c, (pl + pr) / 2.0, (pt + pb) / 2.0, "no data");
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draw_sweep_heatmap<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[String],
    ys: &[String],
    values: &[Vec<f64>],
    intervals: &[Vec<(f64, f64)>],
    required: f64,
) {
    let y0 = draw_title(c, title);
    let (nx, ny) = (xs.len(), ys.len());
    let ci = |i: usize, j: usize| {
        intervals
            .get(j)
            .and_then(|r| r.get(i))
            .copied()
            .filter(|(l, h)| l.is_finite() && h.is_finite())
    };
    let get = |i: usize, j: usize| {
        values
            .get(j)
            .and_then(|r| r.get(i))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let lo = scale_low(
        (0..ny)
            .flat_map(|j| (0..nx).map(move |i| (i, j)))
            .map(|(i, j)| get(i, j)),
        required,
    );
    let ylab_w = ys
        .iter()
        .map(|s| c.text_w(s, TICK_SIZE))
        .fold(0.0, f64::max)
        .min(140.0);
    let (gl, gr, gt) = (40.0 + ylab_w + 10.0, c.w - 210.0, y0 + 4.0);
    let cw = (gr - gl) / nx.max(1) as f64;
    let centres: Vec<f64> = (0..nx).map(|i| gl + (i as f64 + 0.5) * cw).collect();
    let xl: Vec<&str> = xs.iter().map(String::as_str).collect();
    let lab_h = category_labels(c, &xl, &centres, cw, 0.0, 90.0, false);
    let gb = c.h - 36.0 - lab_h;
    let ch = (gb - gt) / ny.max(1) as f64;
    // Kept: the whole interval at or above the share asked (the value, without one); at risk:
    // the interval holds it.
    let met = |i: usize, j: usize| match ci(i, j) {
        Some((l, _)) => l >= required,
        None => get(i, j) >= required,
    };
    let at_risk = |i: usize, j: usize| {
        required.is_finite() && !met(i, j) && ci(i, j).is_some_and(|(_, h)| h >= required)
    };
    let mut any_at_risk = false;
    for (j, yname) in ys.iter().enumerate() {
        let yb = gb - j as f64 * ch;
        let label = c.fit_middle(yname, TICK_SIZE, ylab_w.max(20.0));
        row_label(c, gl - 8.0, yb - ch / 2.0, &label);
        for i in 0..nx {
            let x0 = gl + i as f64 * cw;
            let v = get(i, j);
            if v.is_finite() {
                let fill = shade(v, lo);
                c.rect(x0, yb - ch, x0 + cw, yb, fill);
                if at_risk(i, j) {
                    any_at_risk = true;
                    c.circle(
                        x0 + cw / 2.0,
                        yb - ch / 2.0,
                        (cw.min(ch) * 0.42).max(4.0),
                        on(fill),
                        false,
                    );
                }
                // The value, and its interval where there is room.
                let with_ci = ci(i, j).map(|(l, h)| {
                    format!(
                        "{} ({}-{})",
                        pct(v, 0),
                        pct(l, 0).trim_end_matches('%'),
                        pct(h, 0)
                    )
                });
                let t = match with_ci {
                    Some(w) if c.text_w(&w, NOTE_SIZE) + 6.0 <= cw => w,
                    _ => pct(v, 0),
                };
                if c.text_w(&t, NOTE_SIZE) + 6.0 <= cw && ch >= 18.0 {
                    c.text(
                        x0 + cw / 2.0,
                        yb - ch / 2.0,
                        &t,
                        NOTE_SIZE,
                        on(fill),
                        Anchor::Center,
                        VAnchor::Middle,
                    );
                }
            } else {
                c.rect_line(x0 + 1.5, yb - ch + 1.5, x0 + cw - 1.5, yb - 1.5, NO_DATA, 1);
            }
        }
    }
    category_labels(c, &xl, &centres, cw, gb, 90.0, true);
    let xt = c.fit_middle(x_label.trim(), AXIS_SIZE, gr - gl + 100.0);
    c.text(
        (gl + gr) / 2.0,
        c.h - 22.0,
        &xt,
        AXIS_SIZE,
        INK,
        Anchor::Center,
        VAnchor::Middle,
    );
    let yt = c.fit_middle(y_label.trim(), AXIS_SIZE, gb - gt);
    y_title(c, (gt + gb) / 2.0, &yt);
    // The target contour: the edges between cells at or above the required share and the rest.
    if required.is_finite() {
        let mut edges: Vec<[(f64, f64); 2]> = Vec::new();
        for j in 0..ny {
            for i in 0..nx {
                if !met(i, j) {
                    continue;
                }
                let (x0, x1) = (gl + i as f64 * cw, gl + (i + 1) as f64 * cw);
                let (yb, yt) = (gb - j as f64 * ch, gb - (j + 1) as f64 * ch);
                if i == 0 || !met(i - 1, j) {
                    edges.push([(x0, yt), (x0, yb)]);
                }
                if i + 1 == nx || !met(i + 1, j) {
                    edges.push([(x1, yt), (x1, yb)]);
                }
                if j == 0 || !met(i, j - 1) {
                    edges.push([(x0, yb), (x1, yb)]);
                }
                if j + 1 == ny || !met(i, j + 1) {
                    edges.push([(x0, yt), (x1, yt)]);
                }
            }
        }
        for e in &edges {
            c.line(e, WHITE_, 6);
        }
        for e in &edges {
            c.line(e, INK, 3);
        }
    }
    let lx = gr + 112.0;
    c.text(
        gr + 30.0,
        y0 + 8.0,
        "Share achieved",
        NOTE_SIZE,
        INK,
        Anchor::Left,
        VAnchor::Middle,
    );
    colour_bar(c, lx, y0 + 30.0, c.h - 150.0, lo, required);
    let mut items = Vec::new();
    if required.is_finite() {
        items.push((
            Swatch::Contour,
            format!("outlined: kept ({} or more)", pct(required, 0)),
        ));
        if any_at_risk {
            items.push((Swatch::Dot(false), "ringed: at risk".to_string()));
        }
    }
    if (0..ny).any(|j| (0..nx).any(|i| !get(i, j).is_finite())) {
        items.push((Swatch::NoData, "no data".to_string()));
    }
    legend_column(c, gr + 30.0, c.h - 134.0, &items);
    if nx == 0 || ny == 0 {
        empty_note(c, (gl + gr) / 2.0, (gt + gb) / 2.0, "no data");
    }
}

/// One point of a trade-off: its name, x and y with their 95% intervals.
pub struct TradePoint {
    pub name: String,
    pub x: (f64, f64, f64),
    pub y: (f64, f64, f64),
}

/// A trade-off between two measures across a sweep's points: each point at (x, y) with its
/// 95% intervals as a cross of bars, joined in the sweep's order and numbered, with a key of
/// the points' names; y is a share (0-100%), x a level on its own scale.
pub(super) fn draw_trade_off<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[TradePoint],
    required: Option<f64>,
) {
    let y0 = draw_title(c, title);
    let ok = |p: &&TradePoint| p.x.0.is_finite() && p.y.0.is_finite();
    let pts: Vec<&TradePoint> = points.iter().filter(ok).collect();
    if pts.is_empty() {
        empty_note(c, c.w / 2.0, c.h / 2.0, "no data");
        return;
    }
    let key_w = 250.0;
    let (pl, pr, pt, pb) = (88.0, c.w - key_w - 24.0, y0 + 16.0, c.h - 70.0);
    let lo = |v: (f64, f64, f64)| if v.1.is_finite() { v.1 } else { v.0 };
    let hi = |v: (f64, f64, f64)| if v.2.is_finite() { v.2 } else { v.0 };
    let (mut x0, mut x1) = pts
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(lo(p.x)), b.max(hi(p.x)))
        });
    if x1 - x0 <= 0.0 {
        x0 -= 1.0;
        x1 += 1.0;
    }
    let pad = (x1 - x0) * 0.08;
    let (x0, x1) = (x0 - pad, x1 + pad);
    let step = nice_step(x1 - x0, 8.0);
    let x = Lin::new(x0, x1, pl, pr);
    let y = Lin::new(0.0, 1.0, pb, pt);
    pct_axis_y(c, &y, pl, pr, y_label);
    x_axis(c, &x, pt, pb, ticks(x0, x1, step), |t| num(t, step));
    let xt = c.fit_middle(x_label.trim(), AXIS_SIZE, pr - pl);
    x_title(c, (pl + pr) / 2.0, pb + 34.0, &xt);
    if let Some(r) = required.filter(|r| r.is_finite()) {
        let ry = y.clamped(r);
        c.dashed(&[(pl, ry), (pr, ry)], DASH, INK, 2);
        c.text(
            pr - 4.0,
            ry - 18.0,
            &format!("required {}", pct(r, 0)),
            NOTE_SIZE,
            INK,
            Anchor::Right,
            VAnchor::Top,
        );
    }
    let at = |p: &TradePoint| (x.at(p.x.0), y.clamped(p.y.0));
    c.line(&pts.iter().map(|p| at(p)).collect::<Vec<_>>(), LINE, 2);
    for p in &pts {
        let (px, py) = at(p);
        c.line(&[(x.at(lo(p.x)), py), (x.at(hi(p.x)), py)], BAND_FILL, 6);
        c.line(
            &[(px, y.clamped(lo(p.y))), (px, y.clamped(hi(p.y)))],
            BAND_FILL,
            6,
        );
    }
    for (k, p) in pts.iter().enumerate() {
        let (px, py) = at(p);
        c.circle(px, py, 9.0, WHITE_, true);
        c.circle(px, py, 9.0, LINE, false);
        c.text(
            px,
            py,
            &(k + 1).to_string(),
            TICK_SIZE,
            INK,
            Anchor::Center,
            VAnchor::Middle,
        );
    }
    // The key: each point's number and name.
    let kx = c.w - key_w;
    let mut ky = pt;
    for (k, p) in pts.iter().enumerate() {
        let lines = c.wrap(
            &format!("{}  {}", k + 1, p.name),
            TICK_SIZE,
            key_w - 12.0,
            2,
        );
        for l in lines {
            c.text(kx, ky, &l, TICK_SIZE, INK, Anchor::Left, VAnchor::Top);
            ky += TICK_SIZE * 1.4;
        }
        ky += 4.0;
    }
}
