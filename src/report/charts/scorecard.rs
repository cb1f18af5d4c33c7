//! The pledge scorecard: a bar per target, coloured by status, with its interval and the share
//! required.

use super::axes::{
    Lin, Swatch, draw_title, empty_note, finite, legend, pct, pct_axis_x, row_bands,
};
use super::canvas::{Anchor, Canvas, LABEL_SIZE, NOTE_SIZE, VAnchor};
use super::colour::{INK, MUTED, status_text};
use super::{Bar, Status};
use plotters::prelude::DrawingBackend;
use std::fmt::Write as _;

pub(super) const SC_ROW: f64 = 50.0;

pub(super) fn draw_scorecard<DB: DrawingBackend>(c: &Canvas<DB>, title: &str, bars: &[Bar]) {
    let y0 = draw_title(c, title);
    legend(
        c,
        16.0,
        y0 + 6.0,
        &[
            (Swatch::Status(Status::Met), "met".into()),
            (Swatch::Status(Status::AtRisk), "at risk".into()),
            (Swatch::Status(Status::Missed), "missed".into()),
            (Swatch::Interval, "95% interval".into()),
            (Swatch::Required, "share required".into()),
        ],
        c.w - 16.0,
    );
    let top = y0 + 30.0;
    let (lx1, px0, px1, vx0) = (292.0, 312.0, 640.0, 662.0);
    let x = Lin::new(0.0, 1.0, px0, px1);
    let rows = bars.len().max(1) as f64;
    let bottom = top + rows * SC_ROW;
    row_bands(c, top, bars.len(), SC_ROW);
    pct_axis_x(c, &x, top, bottom, "Share achieved");
    if bars.is_empty() {
        empty_note(c, (px0 + px1) / 2.0, top + SC_ROW / 2.0, "no targets");
    }
    for (i, b) in bars.iter().enumerate() {
        let yc = top + (i as f64 + 0.5) * SC_ROW;
        let lines = c.wrap(&b.label, LABEL_SIZE, lx1 - 16.0, 2);
        let n = lines.len() as f64;
        for (k, l) in lines.iter().enumerate() {
            let ly = yc + (k as f64 - (n - 1.0) / 2.0) * 19.0;
            c.text(16.0, ly, l, LABEL_SIZE, INK, Anchor::Left, VAnchor::Middle);
        }
        if finite(b.value) {
            c.status_box(px0, yc - 12.0, x.clamped(b.value), yc + 12.0, b.status);
        }
        if finite(b.low) && finite(b.high) {
            let (l, h) = (x.clamped(b.low.min(b.high)), x.clamped(b.low.max(b.high)));
            c.line_halo(&[(l, yc), (h, yc)], INK, 2);
            c.line_halo(&[(l, yc - 7.0), (l, yc + 7.0)], INK, 2);
            c.line_halo(&[(h, yc - 7.0), (h, yc + 7.0)], INK, 2);
        }
        if let Some(r) = b.required.filter(|r| r.is_finite()) {
            let rx = x.clamped(r);
            c.line_halo(&[(rx, yc - 19.0), (rx, yc + 19.0)], INK, 3);
        }
        let (word, col) = status_text(b.status);
        let first = match (finite(b.value), b.status) {
            (true, _) => format!("{}  {word}", pct(b.value, 1)),
            (false, Status::Unknown) => format!("{word} (no data)"),
            (false, _) => format!("no data  {word}"),
        };
        c.text(
            vx0,
            yc - 10.0,
            &first,
            LABEL_SIZE + 0.5,
            col,
            Anchor::Left,
            VAnchor::Middle,
        );
        let mut second = String::new();
        if finite(b.low) && finite(b.high) {
            let _ = write!(
                second,
                "interval {}–{}",
                pct(b.low.min(b.high), 1).trim_end_matches('%'),
                pct(b.low.max(b.high), 1)
            );
        }
        if let Some(r) = b.required.filter(|r| r.is_finite()) {
            if !second.is_empty() {
                second.push_str("; ");
            }
            let _ = write!(second, "need {}", pct(r, 0));
        }
        let second = c.fit_end(&second, NOTE_SIZE - 1.0, c.w - vx0 - 10.0);
        c.text(
            vx0,
            yc + 11.0,
            &second,
            NOTE_SIZE - 1.0,
            MUTED,
            Anchor::Left,
            VAnchor::Middle,
        );
    }
}
