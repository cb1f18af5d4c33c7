//! Neighbourhood officers' visible time: member-months by share visible, and time lost by cause.

use super::Status;
use super::axes::{
    Lin, Swatch, category_labels, draw_title, empty_note, legend, nice_step, num, pct, step_from,
    ticks, x_axis, x_title, y_axis, y_title,
};
use super::canvas::{AXIS_SIZE, Anchor, Canvas, NOTE_SIZE, VAnchor};
use super::colour::{DASH, GRID, INK, MUTED};
use plotters::prelude::{DrawingBackend, RGBColor};

/// The lower bound of a bin labelled like "75-80%", as a share.
fn bin_low(label: &str) -> Option<f64> {
    let digits: String = label
        .trim_start()
        .chars()
        .take_while(|ch| ch.is_ascii_digit() || *ch == '.')
        .collect();
    digits.parse::<f64>().ok().map(|v| v / 100.0)
}

pub(super) fn draw_visible_time<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    bins: &[(String, f64)],
    threshold: f64,
    lost: &[(String, f64)],
) {
    let y0 = draw_title(c, title);
    // Left: the distribution over bins.
    let split = 470.0;
    c.text(
        16.0,
        y0 + 4.0,
        "Member-months by share of duty time visible",
        AXIS_SIZE,
        INK,
        Anchor::Left,
        VAnchor::Middle,
    );
    let shares = bins
        .iter()
        .all(|b| !b.1.is_finite() || (0.0..=1.0).contains(&b.1))
        && bins
            .iter()
            .map(|b| if b.1.is_finite() { b.1 } else { 0.0 })
            .sum::<f64>()
            <= 1.0 + 1e-9;
    let below_label = if threshold.is_finite() {
        format!("below {}", pct(threshold, 0))
    } else {
        "below".into()
    };
    let above_label = if threshold.is_finite() {
        format!("{} or more", pct(threshold, 0))
    } else {
        "at or above".into()
    };
    let mut items = vec![
        (Swatch::Status(Status::Met), above_label),
        (Swatch::Status(Status::Missed), below_label),
    ];
    if threshold.is_finite() {
        items.push((Swatch::Dashed, "threshold".into()));
    }
    let ly = legend(c, 76.0, y0 + 30.0, &items, split - 10.0);
    let (pl, pr, pt) = (76.0, split - 20.0, ly + 22.0);
    let n = bins.len().max(1);
    let cw = (pr - pl) / n as f64;
    let xs: Vec<f64> = (0..bins.len())
        .map(|i| pl + (i as f64 + 0.5) * cw)
        .collect();
    let labels: Vec<&str> = bins.iter().map(|b| b.0.as_str()).collect();
    let lab_h = category_labels(c, &labels, &xs, cw, 0.0, 80.0, false);
    let pb = c.h - 38.0 - lab_h;
    let y = if shares {
        // A share of member-months per bin is small: the axis ends at the next step above the
        // largest, at least 10%.
        let biggest = bins
            .iter()
            .map(|b| b.1)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let step = step_from(biggest, &[0.02, 0.05, 0.1, 0.2], 5.0);
        let top = ((biggest / step - 1e-9).ceil() * step).max(0.1);
        let y = Lin::new(0.0, top, pb, pt);
        y_axis(c, &y, pl, pr, ticks(0.0, top, step), |t| pct(t, 0));
        y_title(c, (pt + pb) / 2.0, "Share of member-months");
        y
    } else {
        let max = bins
            .iter()
            .map(|b| b.1)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let step = nice_step(max.max(1.0), 5.0).max(1.0);
        let top = ((max / step).ceil() * step).max(step);
        let y = Lin::new(0.0, top, pb, pt);
        y_axis(c, &y, pl, pr, ticks(0.0, top, step), |t| num(t, step));
        y_title(c, (pt + pb) / 2.0, "Member-months");
        y
    };
    category_labels(c, &labels, &xs, cw, pb, 80.0, true);
    c.text(
        (pl + pr) / 2.0,
        c.h - 24.0,
        "Share of duty time visible",
        AXIS_SIZE,
        INK,
        Anchor::Center,
        VAnchor::Middle,
    );
    // Where the threshold falls: before the first bin starting at or above it.
    let lows: Vec<Option<f64>> = bins.iter().map(|b| bin_low(&b.0)).collect();
    let cut = if lows.iter().all(Option::is_some) {
        lows.iter()
            .position(|l| l.is_some_and(|l| l >= threshold - 1e-9))
            .unwrap_or(bins.len())
    } else {
        (threshold.clamp(0.0, 1.0) * bins.len() as f64).round() as usize
    };
    let bw = cw * 0.86;
    for (i, (b, &xc)) in bins.iter().zip(&xs).enumerate() {
        if b.1.is_finite() && b.1 > 0.0 {
            let s = if i < cut { Status::Missed } else { Status::Met };
            c.status_box(xc - bw / 2.0, y.clamped(b.1), xc + bw / 2.0, pb, s);
        }
    }
    c.line(&[(pl, pb), (pr, pb)], INK, 1);
    if threshold.is_finite() && !bins.is_empty() {
        let tx = pl + cut as f64 * cw;
        c.dashed(&[(tx, pt - 4.0), (tx, pb)], DASH, INK, 2);
        let (lx, a) = if tx > (pl + pr) / 2.0 {
            (tx - 6.0, Anchor::Right)
        } else {
            (tx + 6.0, Anchor::Left)
        };
        let t = pct(threshold, 0);
        c.text_boxed(lx, pt + 8.0, &t, NOTE_SIZE, INK, a, VAnchor::Middle);
    }
    if bins.is_empty() {
        empty_note(c, (pl + pr) / 2.0, (pt + pb) / 2.0, "no data");
    }

    // Right: lost time by cause.
    let rx0 = split + 16.0;
    c.line(&[(split, y0), (split, c.h - 12.0)], GRID, 1);
    c.text(
        rx0,
        y0 + 4.0,
        "Time lost, by cause",
        AXIS_SIZE,
        INK,
        Anchor::Left,
        VAnchor::Middle,
    );
    let shown = &lost[..lost.len().min(12)];
    let label_w = 150.0;
    let (ql, qr, qt, qb) = (rx0 + label_w, c.w - 58.0, y0 + 40.0, c.h - 66.0);
    // Lost time is a few per cent a cause: the axis starts at zero and ends at the next step
    // above the largest, at least 10%.
    let biggest = shown
        .iter()
        .map(|l| l.1)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let step = step_from(biggest.min(1.0), &[0.02, 0.05, 0.1, 0.2], 4.0);
    let top = ((biggest.min(1.0) / step - 1e-9).ceil() * step).max(0.1);
    let x = Lin::new(0.0, top, ql, qr);
    x_axis(c, &x, qt, qb, ticks(0.0, top, step), |t| pct(t, 0));
    c.line(&[(ql, qt), (ql, qb)], INK, 1);
    x_title(
        c,
        (ql + qr) / 2.0 - 40.0,
        qb + 36.0,
        "Share of time on duty",
    );
    let row = ((qb - qt) / shown.len().max(1) as f64).min(48.0);
    for (i, (cause, v)) in shown.iter().enumerate() {
        let yc = qt + (i as f64 + 0.5) * row;
        let lines = c.wrap(
            cause,
            NOTE_SIZE,
            label_w - 12.0,
            if row >= 36.0 { 2 } else { 1 },
        );
        let n = lines.len() as f64;
        for (k, l) in lines.iter().enumerate() {
            let ly = yc + (k as f64 - (n - 1.0) / 2.0) * 17.0;
            c.text(
                ql - 8.0,
                ly,
                l,
                NOTE_SIZE,
                INK,
                Anchor::Right,
                VAnchor::Middle,
            );
        }
        if v.is_finite() {
            let h = (row * 0.3).min(12.0);
            c.rect(ql, yc - h, x.clamped(*v), yc + h, RGBColor(95, 95, 110));
            c.text(
                x.clamped(*v) + 5.0,
                yc,
                &pct(*v, 1),
                NOTE_SIZE - 1.0,
                INK,
                Anchor::Left,
                VAnchor::Middle,
            );
        }
    }
    if lost.len() > shown.len() {
        c.text(
            ql,
            qt - 10.0,
            &format!("({} more causes not shown)", lost.len() - shown.len()),
            NOTE_SIZE - 1.0,
            MUTED,
            Anchor::Left,
            VAnchor::Middle,
        );
    }
    if lost.is_empty() {
        empty_note(c, (ql + qr) / 2.0, (qt + qb) / 2.0, "no data");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bin_starts_at_its_first_number() {
        assert_eq!(bin_low("75-80%"), Some(0.75));
        assert_eq!(bin_low(" 5-10%"), Some(0.05));
        assert_eq!(bin_low("100%"), Some(1.0));
        assert_eq!(bin_low("62.5-65%"), Some(0.625));
        assert_eq!(bin_low("under 50%"), None);
        assert_eq!(bin_low(""), None);
    }
}
