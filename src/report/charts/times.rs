//! Answer and attendance times: cumulative distributions against the target, and the share in
//! time by hour of the week.

use super::HourCell;
use super::axes::{
    Lin, Swatch, colour_bar, cross, draw_title, duration, empty_note, legend_column, num, pct,
    pct_axis_y, row_label, step_from, ticks, x_axis, x_title,
};
use super::canvas::{AXIS_SIZE, Anchor, Canvas, NOTE_SIZE, TICK_SIZE, VAnchor, px};
use super::colour::{DASH, GRID, INK, MAX_SERIES, NO_DATA, SERIES, WHITE_, on, shade};
use plotters::prelude::DrawingBackend;

// ---------------------------------------------------------------------------------------------
// Cumulative distributions

/// The unit of a time axis reaching `max_s` seconds: (seconds per unit, name, tick steps).
fn time_unit(max_s: f64) -> (f64, &'static str, &'static [f64]) {
    if max_s <= 180.0 {
        (
            1.0,
            "seconds",
            &[1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0],
        )
    } else if max_s <= 3.0 * 3600.0 {
        (
            60.0,
            "minutes",
            &[1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0],
        )
    } else if max_s <= 96.0 * 3600.0 {
        (3600.0, "hours", &[1.0, 2.0, 3.0, 6.0, 12.0, 24.0])
    } else {
        (86400.0, "days", &[1.0, 2.0, 7.0, 14.0, 28.0, 56.0])
    }
}

pub(super) fn draw_cumulative<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    x_label: &str,
    series: &[(String, Vec<(f64, f64)>)],
    targets: &[Option<f64>],
) {
    let y0 = draw_title(c, title);
    let shown = &series[..series.len().min(MAX_SERIES)];
    // Each line's own target time (none where it has no valid one).
    let own: Vec<Option<f64>> = (0..shown.len())
        .map(|i| {
            targets
                .get(i)
                .copied()
                .flatten()
                .filter(|t| t.is_finite() && *t > 0.0)
        })
        .collect();
    let clean: Vec<Vec<(f64, f64)>> = shown
        .iter()
        .map(|(_, pts)| {
            let mut v: Vec<(f64, f64)> = pts
                .iter()
                .copied()
                .filter(|p| p.0.is_finite() && p.1.is_finite() && p.0 >= 0.0)
                .collect();
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            v
        })
        .collect();
    // The x axis reaches the time by which every series has reached 99%, and 1.5 times the
    // latest target.
    let mut xmax: f64 = 0.0;
    for v in &clean {
        if let Some(p) = v.iter().find(|p| p.1 >= 0.99).or(v.last()) {
            xmax = xmax.max(p.0);
        }
    }
    for t in own.iter().flatten() {
        xmax = xmax.max(1.5 * t);
    }
    if xmax.is_nan() || xmax <= 0.0 {
        xmax = 60.0;
    }
    let (div, unit, steps) = time_unit(xmax);
    let step = step_from(xmax / div, steps, 10.0);
    let xmax_u = ((xmax / div) / step - 1e-9).ceil().max(1.0) * step;

    let (pl, pr, pt, pb) = (88.0, c.w - 28.0, y0 + 8.0, c.h - 70.0);
    let x = Lin::new(0.0, xmax_u, pl, pr);
    let y = Lin::new(0.0, 1.0, pb, pt);
    pct_axis_y(c, &y, pl, pr, "Share within the time");
    x_axis(c, &x, pt, pb, ticks(0.0, xmax_u, step), |t| num(t, step));
    let xt = if x_label.trim().is_empty() {
        format!("Time ({unit})")
    } else {
        format!("{} ({unit})", x_label.trim())
    };
    let xt = c.fit_middle(&xt, AXIS_SIZE, pr - pl);
    x_title(c, (pl + pr) / 2.0, pb + 34.0, &xt);

    // Each line's share at its own target: (share, target, series).
    let mut marks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, v) in clean.iter().enumerate() {
        let (col, pat) = SERIES[i];
        let pts: Vec<(f64, f64)> = v
            .iter()
            .filter(|p| p.0 / div <= xmax_u)
            .map(|p| (x.at(p.0 / div), y.clamped(p.1)))
            .collect();
        // Past the edge, the line runs on to it at the share reached there.
        let mut pts = pts;
        if let Some(next) = v.iter().find(|p| p.0 / div > xmax_u) {
            let prev = v.iter().rev().find(|p| p.0 / div <= xmax_u);
            let share = match prev {
                Some(p) => p.1 + (next.1 - p.1) * (xmax_u * div - p.0) / (next.0 - p.0),
                None => next.1,
            };
            pts.push((pr, y.clamped(share)));
        }
        c.dashed(&thin(&pts), pat, col, 3);
        if let Some((t, share)) = own[i].and_then(|t| Some((t, share_at(v, t)?))) {
            marks.push((share, t, i));
        }
    }
    // Each target as a dashed line in its line's colour, from the axis up to the line, and the
    // share read there labelled beside it: "86.3% within 10 s".
    marks.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut last_y = f64::NEG_INFINITY;
    for &(share, t, i) in &marks {
        let (col, _) = SERIES[i];
        let tx = x.at(t / div);
        let py = y.at(share.clamp(0.0, 1.0));
        c.dashed(&[(tx, pb), (tx, py)], DASH, col, 2);
        c.circle(tx, py, 5.0, col, true);
        let ly = py.max(last_y + 18.0);
        last_y = ly;
        c.text_boxed(
            tx + 10.0,
            ly,
            &format!("{} within {}", pct(share, 1), duration(t)),
            NOTE_SIZE,
            col,
            Anchor::Left,
            VAnchor::Middle,
        );
    }
    if !marks.is_empty() {
        c.text_boxed(
            pl + 8.0,
            pt + 12.0,
            "dashed: each line's own target",
            NOTE_SIZE,
            INK,
            Anchor::Left,
            VAnchor::Middle,
        );
    }
    // Legend, bottom right, where distribution curves leave room.
    if !shown.is_empty() {
        let mut labels: Vec<String> = shown
            .iter()
            .enumerate()
            .map(|(i, (n, _))| {
                let n = match own[i] {
                    Some(t) => format!("{n} (target {})", duration(t)),
                    None => n.clone(),
                };
                c.fit_middle(&n, NOTE_SIZE, 300.0)
            })
            .collect();
        if series.len() > MAX_SERIES {
            labels.push(format!("({} more not shown)", series.len() - MAX_SERIES));
        }
        let lw = labels
            .iter()
            .map(|l| c.text_w(l, NOTE_SIZE))
            .fold(0.0, f64::max)
            + 60.0;
        let lh = labels.len() as f64 * 22.0 + 10.0;
        let (bx0, by0) = (pr - 10.0 - lw, pb - 10.0 - lh);
        c.rect(bx0, by0, pr - 10.0, pb - 10.0, WHITE_);
        c.rect_line(bx0, by0, pr - 10.0, pb - 10.0, GRID, 1);
        for (k, l) in labels.iter().enumerate() {
            let ly = by0 + 16.0 + k as f64 * 22.0;
            if let Some((col, pat)) = SERIES.get(k).filter(|_| k < shown.len()) {
                c.dashed(&[(bx0 + 10.0, ly), (bx0 + 46.0, ly)], pat, *col, 3);
            }
            c.text(
                bx0 + 54.0,
                ly,
                l,
                NOTE_SIZE,
                INK,
                Anchor::Left,
                VAnchor::Middle,
            );
        }
    } else {
        empty_note(c, (pl + pr) / 2.0, (pt + pb) / 2.0, "no data");
    }
}

/// The share reached at time `t` on a sorted distribution, by linear interpolation.
pub fn share_at(v: &[(f64, f64)], t: f64) -> Option<f64> {
    let first = v.first()?;
    if t < first.0 {
        return Some(0.0_f64.min(first.1));
    }
    for w in v.windows(2) {
        let (a, b) = (w[0], w[1]);
        if t >= a.0 && t <= b.0 {
            return Some(if b.0 > a.0 {
                a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0)
            } else {
                b.1
            });
        }
    }
    v.last().map(|p| p.1)
}

/// Drops points that fall on the same pixel column as the next one, keeping the first and last.
fn thin(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len().min(2000));
    for (i, &p) in pts.iter().enumerate() {
        let next_same = pts
            .get(i + 1)
            .is_some_and(|q| px(q.0) == px(p.0) && px(q.1) == px(p.1));
        if i == 0 || !next_same {
            out.push(p);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Hour of the week

pub(super) fn draw_hour_of_week<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    cells: &[HourCell; 168],
    required: f64,
    scale_low: f64,
) {
    let y0 = draw_title(c, title);
    let lo = if scale_low.is_finite() {
        scale_low.clamp(0.0, 0.9)
    } else {
        0.0
    };
    let mut any_at_risk = false;
    let (gx0, gx1, gy0, gy1) = (58.0, c.w - 196.0, y0 + 2.0, c.h - 56.0);
    let cw = (gx1 - gx0) / 24.0;
    let ch = (gy1 - gy0) / 7.0;
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for (d, name) in days.iter().enumerate() {
        let yc = gy0 + (d as f64 + 0.5) * ch;
        row_label(c, gx0 - 8.0, yc, name);
        for hr in 0..24 {
            let (v, low, high) = cells[d * 24 + hr];
            let (x0, y) = (gx0 + hr as f64 * cw, gy0 + d as f64 * ch);
            if v.is_finite() {
                let fill = shade(v, lo);
                c.rect(x0 + 1.0, y + 1.0, x0 + cw - 1.0, y + ch - 1.0, fill);
                let r = (cw.min(ch) * 0.2).max(3.0);
                let ci = low.is_finite() && high.is_finite();
                let missed =
                    required.is_finite() && if ci { high < required } else { v < required };
                let at_risk = required.is_finite() && ci && !missed && low < required;
                if missed {
                    cross(c, x0 + cw / 2.0, y + ch / 2.0, r, on(fill));
                } else if at_risk {
                    any_at_risk = true;
                    c.circle(x0 + cw / 2.0, y + ch / 2.0, r, on(fill), false);
                }
            } else {
                c.rect_line(x0 + 1.5, y + 1.5, x0 + cw - 1.5, y + ch - 1.5, NO_DATA, 1);
            }
        }
    }
    let every = if c.text_w("00", TICK_SIZE) + 6.0 <= cw {
        1
    } else {
        3
    };
    for hr in (0..24).step_by(every) {
        let xc = gx0 + (hr as f64 + 0.5) * cw;
        c.text(
            xc,
            gy1 + 6.0,
            &format!("{hr:02}"),
            TICK_SIZE,
            INK,
            Anchor::Center,
            VAnchor::Top,
        );
    }
    let hours = "Hour of the day (00 = midnight to 1 am)";
    x_title(c, (gx0 + gx1) / 2.0, gy1 + 30.0, hours);
    let lx = gx1 + 92.0;
    colour_bar(c, lx, gy0 + 10.0, gy1 - 82.0, lo, required);
    let mut items = Vec::new();
    if required.is_finite() {
        items.push((Swatch::Cross, format!("missed: below {}", pct(required, 0))));
        if any_at_risk {
            items.push((Swatch::Dot(false), "at risk".to_string()));
        }
    }
    items.push((Swatch::NoData, "no data".to_string()));
    let top = gy1 - 2.0 - 22.0 * items.len() as f64 + 22.0 - 20.0;
    legend_column(c, gx1 + 30.0, top, &items);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_at_a_time_is_read_off_the_line() {
        let v = [(10.0, 0.2), (20.0, 0.6), (40.0, 1.0)];
        assert!((share_at(&v, 15.0).unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(share_at(&v, 20.0), Some(0.6));
        assert_eq!(share_at(&v, 5.0), Some(0.0));
        assert_eq!(share_at(&v, 99.0), Some(1.0));
        assert_eq!(share_at(&[], 5.0), None);
        // A step (two points at one time) takes the upper share.
        assert_eq!(share_at(&[(10.0, 0.2), (10.0, 0.5)], 10.0), Some(0.5));
    }

    #[test]
    fn time_axes_change_unit_as_times_grow() {
        assert_eq!(time_unit(180.0).1, "seconds");
        assert_eq!(time_unit(181.0).1, "minutes");
        assert_eq!(time_unit(3.0 * 3600.0).1, "minutes");
        assert_eq!(time_unit(3.0 * 3600.0 + 1.0).0, 3600.0);
        assert_eq!(time_unit(96.0 * 3600.0).1, "hours");
        assert_eq!(
            time_unit(96.0 * 3600.0 + 1.0),
            (86400.0, "days", &[1.0, 2.0, 7.0, 14.0, 28.0, 56.0][..])
        );
    }

    #[test]
    fn thinning_keeps_one_point_a_pixel_and_both_ends() {
        let pts = [
            (0.0, 0.0),
            (0.1, 0.2),
            (0.3, 0.1),
            (5.0, 5.0),
            (5.2, 5.1),
            (9.0, 9.0),
        ];
        assert_eq!(
            thin(&pts),
            vec![(0.0, 0.0), (0.3, 0.1), (5.2, 5.1), (9.0, 9.0)]
        );
        assert_eq!(thin(&[(1.0, 1.0)]), vec![(1.0, 1.0)]);
        assert!(thin(&[]).is_empty());
    }
}
