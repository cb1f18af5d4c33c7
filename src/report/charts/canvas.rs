//! The drawing surface: the embedded font, the SVG and PNG backends, text measured and placed
//! the same in both, and pixel-level drawing with errors kept for the end.

use super::colour::{NO_DATA, WHITE_, status_fill};
use super::{FONT_FAMILY, FONT_TTF, Status};
use ab_glyph::{Font as _, ScaleFont as _};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, register_font};
use std::cell::RefCell;

pub(super) fn register_fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let ok = register_font(FONT_FAMILY, FontStyle::Normal, FONT_TTF).is_ok();
        debug_assert!(ok, "the embedded DejaVu Sans does not parse");
    });
}

pub(super) fn encode_png(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Best);
        let written = enc
            .write_header()
            .and_then(|mut writer| writer.write_image_data(rgb));
        if let Err(e) = written {
            // Only a wrong buffer size can fail here, and the buffer is made to measure.
            unreachable!("PNG encoding into memory failed: {e}");
        }
    }
    out
}

// Font sizes as plotters counts them: the em is size / 1.24 pixels (TICK_SIZE: a 13 px em, about
// 7 points when the 900 px chart is printed 17 cm wide).
pub(super) const TITLE_SIZE: f64 = 24.0;
pub(super) const AXIS_SIZE: f64 = 17.0;
pub(super) const TICK_SIZE: f64 = 16.0;
pub(super) const LABEL_SIZE: f64 = 16.5;
pub(super) const NOTE_SIZE: f64 = 15.0;

/// DejaVu Sans's x-height (OS/2 sxHeight 1120 of 2048 units), the `ex` of the SVG's `dy`.
const X_HEIGHT: f32 = 1120.0 / 2048.0;

fn font() -> Option<&'static ab_glyph::FontRef<'static>> {
    static FONT: std::sync::OnceLock<Option<ab_glyph::FontRef<'static>>> =
        std::sync::OnceLock::new();
    FONT.get_or_init(|| ab_glyph::FontRef::try_from_slice(FONT_TTF).ok())
        .as_ref()
}

/// The ab_glyph scale giving an em of `size / 1.24` pixels, the font size plotters writes in SVG.
fn px_scale(f: &ab_glyph::FontRef<'static>, size: f64) -> ab_glyph::PxScale {
    let em = (size / 1.24) as f32;
    let upem = f.units_per_em().unwrap_or(2048.0);
    ab_glyph::PxScale::from(em * f.height_unscaled() / upem)
}

/// The glyphs of a line of text with their pen positions, and its advance width.
fn layout(
    f: &ab_glyph::FontRef<'static>,
    size: f64,
    s: &str,
) -> (Vec<(ab_glyph::GlyphId, f32)>, f32) {
    let sf = f.as_scaled(px_scale(f, size));
    let mut out = Vec::with_capacity(s.len());
    let mut x = 0.0;
    let mut prev = None;
    for ch in s.chars() {
        let id = sf.glyph_id(ch);
        if let Some(p) = prev {
            x += sf.kern(p, id);
        }
        out.push((id, x));
        x += sf.h_advance(id);
        prev = Some(id);
    }
    (out, x)
}

// ---------------------------------------------------------------------------------------------
// The canvas: pixel-level drawing on either backend, errors kept for the end

pub(super) struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    /// Text is drawn by this module on a bitmap, and left to the viewer's font engine in SVG.
    raster: bool,
    pub(super) w: f64,
    pub(super) h: f64,
    error: RefCell<Option<String>>,
}

#[derive(Clone, Copy)]
pub(super) enum Anchor {
    Left,
    Center,
    Right,
}

#[derive(Clone, Copy)]
pub(super) enum VAnchor {
    Top,
    Middle,
}

pub(super) fn px(v: f64) -> i32 {
    v.round() as i32
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub(super) fn new(area: &'a DrawingArea<DB, Shift>, raster: bool) -> Self {
        let (w, h) = area.dim_in_pixel();
        let c = Canvas {
            area,
            raster,
            w: f64::from(w),
            h: f64::from(h),
            error: RefCell::new(None),
        };
        let r = area.fill(&WHITE_);
        c.check(r);
        c
    }

    fn check<T, E: std::fmt::Debug>(&self, r: Result<T, E>) {
        if let Err(e) = r {
            self.error
                .borrow_mut()
                .get_or_insert_with(|| format!("{e:?}"));
        }
    }

    pub(super) fn finish(self) {
        let r = self.area.present();
        self.check(r);
        debug_assert!(
            self.error.borrow().is_none(),
            "chart drawing failed: {:?}",
            self.error.borrow()
        );
    }

    fn font(size: f64) -> TextStyle<'static> {
        TextStyle::from(FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            size,
            FontStyle::Normal,
        ))
    }

    /// The width of a text in pixels, the same in the bitmap and in the SVG.
    pub(super) fn text_w(&self, s: &str, size: f64) -> f64 {
        match font() {
            Some(f) => f64::from(layout(f, size, s).1),
            None => s.chars().count() as f64 * size * 0.5,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn text_styled(
        &self,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        color: RGBColor,
        a: Anchor,
        v: VAnchor,
        rotate: bool,
    ) {
        if s.is_empty() {
            return;
        }
        let h = match a {
            Anchor::Left => HPos::Left,
            Anchor::Center => HPos::Center,
            Anchor::Right => HPos::Right,
        };
        let vp = match v {
            VAnchor::Top => VPos::Top,
            VAnchor::Middle => VPos::Center,
        };
        if self.raster {
            self.raster_text(px(x), px(y), s, size, color, a, v, rotate);
            return;
        }
        let mut style = Self::font(size).color(&color).pos(Pos::new(h, vp));
        if rotate {
            style = style.transform(FontTransform::Rotate270);
        }
        let r = self.area.draw_text(s, &style, (px(x), px(y)));
        self.check(r);
    }

    /// Text on the bitmap, placed as a browser places plotters' SVG text: font size `size / 1.24`,
    /// anchored by `text-anchor`, and `dy` of 0.76em (top), 0.5ex (middle) or -0.5ex (bottom);
    /// turned about the anchor a quarter to the left when `rotate`.
    #[allow(clippy::too_many_arguments)]
    fn raster_text(
        &self,
        x: i32,
        y: i32,
        s: &str,
        size: f64,
        color: RGBColor,
        a: Anchor,
        v: VAnchor,
        rotate: bool,
    ) {
        let Some(f) = font() else { return };
        let (glyphs, width) = layout(f, size, s);
        let em = (size / 1.24) as f32;
        let x0 = match a {
            Anchor::Left => 0.0,
            Anchor::Center => -width / 2.0,
            Anchor::Right => -width,
        };
        let baseline = match v {
            VAnchor::Top => 0.76 * em,
            VAnchor::Middle => 0.5 * X_HEIGHT * em,
        };
        let scale = px_scale(f, size);
        let (w, h) = (self.w as i32, self.h as i32);
        for (id, gx) in glyphs {
            let g = id.with_scale_and_position(scale, ab_glyph::point(x0 + gx, baseline));
            let Some(outline) = f.outline_glyph(g) else {
                continue;
            };
            let b = outline.px_bounds();
            let (bx, by) = (b.min.x as i32, b.min.y as i32);
            outline.draw(|gx, gy, cover| {
                if cover <= 0.0 {
                    return;
                }
                let (rx, ry) = (bx + gx as i32, by + gy as i32);
                let (tx, ty) = if rotate { (ry, -rx - 1) } else { (rx, ry) };
                let (qx, qy) = (x + tx, y + ty);
                if qx >= 0 && qy >= 0 && qx < w && qy < h {
                    let r = self
                        .area
                        .draw_pixel((qx, qy), &color.mix(f64::from(cover.min(1.0))));
                    self.check(r);
                }
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn text(
        &self,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        color: RGBColor,
        a: Anchor,
        v: VAnchor,
    ) {
        self.text_styled(x, y, s, size, color, a, v, false);
    }

    /// Text reading upwards, `a` placing its end (Right), middle or start (Left) at `(x, y)`.
    pub(super) fn text_up(&self, x: f64, y: f64, s: &str, size: f64, color: RGBColor, a: Anchor) {
        self.text_styled(x, y, s, size, color, a, VAnchor::Middle, true);
    }

    /// Text on a white box, for labels drawn over lines.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text_boxed(
        &self,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        color: RGBColor,
        a: Anchor,
        v: VAnchor,
    ) {
        self.text_on(x, y, s, size, color, WHITE_, a, v);
    }

    /// Text on a box of colour `bg`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text_on(
        &self,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        color: RGBColor,
        bg: RGBColor,
        a: Anchor,
        v: VAnchor,
    ) {
        let w = self.text_w(s, size);
        let em = size / 1.24;
        let x0 = match a {
            Anchor::Left => x,
            Anchor::Center => x - w / 2.0,
            Anchor::Right => x - w,
        };
        let baseline = match v {
            VAnchor::Top => y + 0.76 * em,
            VAnchor::Middle => y + 0.5 * f64::from(X_HEIGHT) * em,
        };
        self.rect(
            x0 - 3.0,
            baseline - 0.8 * em - 2.0,
            x0 + w + 3.0,
            baseline + 0.25 * em + 2.0,
            bg,
        );
        self.text(x, y, s, size, color, a, v);
    }

    pub(super) fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, fill: RGBColor) {
        let r = self.area.draw(&Rectangle::new(
            [
                (px(x0.min(x1)), px(y0.min(y1))),
                (px(x0.max(x1)), px(y0.max(y1))),
            ],
            fill.filled(),
        ));
        self.check(r);
    }

    pub(super) fn rect_line(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: RGBColor,
        width: u32,
    ) {
        let pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
        self.line(&pts, color, width);
    }

    pub(super) fn line(&self, pts: &[(f64, f64)], color: RGBColor, width: u32) {
        let mut v: Vec<(i32, i32)> = Vec::with_capacity(pts.len());
        for &(x, y) in pts {
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            let p = (px(x), px(y));
            if v.last() != Some(&p) {
                v.push(p);
            }
        }
        if v.len() < 2 {
            return;
        }
        let r = self
            .area
            .draw(&PathElement::new(v, color.stroke_width(width)));
        self.check(r);
    }

    /// A line with a white edge, so that it reads over any fill.
    pub(super) fn line_halo(&self, pts: &[(f64, f64)], color: RGBColor, width: u32) {
        self.line(pts, WHITE_, width + 3);
        self.line(pts, color, width);
    }

    /// A polyline drawn with a dash pattern of on/off lengths in pixels (empty: solid).
    pub(super) fn dashed(&self, pts: &[(f64, f64)], pattern: &[f64], color: RGBColor, width: u32) {
        let pts: Vec<(f64, f64)> = pts
            .iter()
            .copied()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
        if pattern.is_empty() || pattern.iter().any(|d| *d <= 0.0) {
            self.line(&pts, color, width);
            return;
        }
        let Some(&first) = pts.first() else { return };
        let mut idx = 0;
        let mut left = pattern[0];
        let mut on = true;
        let mut cur = vec![first];
        for seg in pts.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
            let mut pos = 0.0;
            while len - pos > left {
                pos += left;
                let t = pos / len;
                let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                if on {
                    cur.push(p);
                    self.line(&cur, color, width);
                    cur.clear();
                } else {
                    cur = vec![p];
                }
                on = !on;
                idx = (idx + 1) % pattern.len();
                left = pattern[idx];
            }
            left -= len - pos;
            if on {
                cur.push(b);
            }
        }
        if on {
            self.line(&cur, color, width);
        }
    }

    pub(super) fn polygon(&self, pts: &[(f64, f64)], fill: RGBColor) {
        let v: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        if v.len() < 3 {
            return;
        }
        let r = self.area.draw(&Polygon::new(v, fill.filled()));
        self.check(r);
    }

    pub(super) fn circle(&self, x: f64, y: f64, r: f64, color: RGBColor, filled: bool) {
        let style = if filled {
            color.filled()
        } else {
            color.stroke_width(2)
        };
        let res = self
            .area
            .draw(&Circle::new((px(x), px(y)), px(r).max(1) as u32, style));
        self.check(res);
    }

    /// Diagonal lines ("/") inside a polygon, on a grid shared by all shapes.
    pub(super) fn hatch(&self, pts: &[(f64, f64)], spacing: f64, color: RGBColor, width: u32) {
        if pts.len() < 3 || spacing <= 0.0 {
            return;
        }
        let ks = pts.iter().map(|p| p.0 + p.1);
        let (kmin, kmax) = ks.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), k| {
            (a.min(k), b.max(k))
        });
        if !(kmin.is_finite() && kmax.is_finite()) {
            return;
        }
        let mut k = (kmin / spacing).floor() * spacing + spacing / 2.0;
        while k < kmax {
            let mut xs = Vec::new();
            for i in 0..pts.len() {
                let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
                let (sa, sb) = (a.0 + a.1 - k, b.0 + b.1 - k);
                if (sa < 0.0) != (sb < 0.0) {
                    let t = sa / (sa - sb);
                    xs.push(a.0 + t * (b.0 - a.0));
                }
            }
            xs.sort_by(f64::total_cmp);
            for pair in xs.chunks_exact(2) {
                let (x1, x2) = (pair[0], pair[1]);
                if x2 - x1 > 0.5 {
                    self.line(&[(x1, k - x1), (x2, k - x2)], color, width);
                }
            }
            k += spacing;
        }
    }

    /// A box filled by status: met solid dark blue-green, at risk solid amber, missed dark red
    /// with white hatching, not known white with a grey outline.
    pub(super) fn status_box(&self, x0: f64, y0: f64, x1: f64, y1: f64, s: Status) {
        if !(x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite()) {
            return;
        }
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        self.rect(x0, y0, x1, y1, status_fill(s));
        match s {
            Status::Missed => {
                let pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
                self.hatch(&pts, 7.0, WHITE_, 1);
            }
            Status::Unknown => self.rect_line(x0, y0, x1, y1, NO_DATA, 1),
            _ => {}
        }
    }

    /// Shortens `s` to fit `max_w` pixels, keeping its start and its end ("Kingston u…North").
    pub(super) fn fit_middle(&self, s: &str, size: f64, max_w: f64) -> String {
        if self.text_w(s, size) <= max_w {
            return s.to_string();
        }
        let short = s.replace(" and ", " & ");
        if self.text_w(&short, size) <= max_w {
            return short;
        }
        let chars: Vec<char> = short.chars().collect();
        let mut lo = 0;
        let mut hi = chars.len();
        // The longest kept count that fits, by bisection.
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.text_w(&middle(&chars, mid), size) <= max_w {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        middle(&chars, lo)
    }

    /// Shortens `s` to fit `max_w` pixels, keeping its start ("Non-emergency calls ans…").
    pub(super) fn fit_end(&self, s: &str, size: f64, max_w: f64) -> String {
        if self.text_w(s, size) <= max_w {
            return s.to_string();
        }
        let chars: Vec<char> = s.chars().collect();
        let cut = |k: usize| -> String {
            let head: String = chars[..k].iter().collect();
            format!("{}…", head.trim_end())
        };
        let (mut lo, mut hi) = (0, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.text_w(&cut(mid), size) <= max_w {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        cut(lo)
    }

    /// Wraps `s` on spaces into at most `lines` lines of `max_w` pixels, the last one shortened.
    pub(super) fn wrap(&self, s: &str, size: f64, max_w: f64, lines: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut cur = String::new();
        let words: Vec<&str> = s.split_whitespace().collect();
        let mut i = 0;
        while i < words.len() {
            let cand = if cur.is_empty() {
                words[i].to_string()
            } else {
                format!("{cur} {}", words[i])
            };
            if cur.is_empty() || self.text_w(&cand, size) <= max_w {
                cur = cand;
                i += 1;
            } else {
                out.push(std::mem::take(&mut cur));
                if out.len() == lines - 1 {
                    break;
                }
            }
        }
        if i < words.len() {
            let rest = words[i..].join(" ");
            cur = if cur.is_empty() {
                rest
            } else {
                format!("{cur} {rest}")
            };
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out.into_iter()
            .map(|l| self.fit_end(&l, size, max_w))
            .collect()
    }
}

fn middle(chars: &[char], keep: usize) -> String {
    if keep >= chars.len() {
        return chars.iter().collect();
    }
    let head = (keep * 3).div_ceil(5);
    let tail = keep - head;
    let h: String = chars[..head].iter().collect();
    let t: String = chars[chars.len() - tail..].iter().collect();
    format!("{}…{}", h.trim_end(), t.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` on a small SVG canvas.
    fn with_canvas<T>(f: impl FnOnce(&Canvas<SVGBackend>) -> T) -> T {
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (400, 200)).into_drawing_area();
        let c = Canvas::new(&area, false);
        f(&c)
    }

    #[test]
    fn text_width_comes_from_the_embedded_font() {
        assert!(font().is_some(), "the embedded DejaVu Sans does not parse");
        with_canvas(|c| {
            assert_eq!(c.text_w("", TICK_SIZE), 0.0);
            assert!(c.text_w("WWW", TICK_SIZE) > 2.0 * c.text_w("iii", TICK_SIZE));
            let s = "Emergencies attended within target";
            let (one, two) = (c.text_w(s, TICK_SIZE), c.text_w(s, 2.0 * TICK_SIZE));
            assert!((two - 2.0 * one).abs() < 1e-3 * one, "{one} then {two}");
            assert_eq!(
                c.text_w(s, NOTE_SIZE),
                f64::from(layout(font().unwrap(), NOTE_SIZE, s).1)
            );
        });
    }

    #[test]
    fn shortened_labels_fit_and_keep_their_ends() {
        with_canvas(|c| {
            let s = "Kingston upon Thames North and Coombe";
            assert_eq!(c.fit_end(s, TICK_SIZE, 1000.0), s);
            assert_eq!(c.fit_middle(s, TICK_SIZE, 1000.0), s);
            let max = c.text_w(s, TICK_SIZE) / 2.0;
            let end = c.fit_end(s, TICK_SIZE, max);
            assert!(c.text_w(&end, TICK_SIZE) <= max, "{end}");
            assert!(end.ends_with('…') && end.starts_with("Kingston"), "{end}");
            let mid = c.fit_middle(s, TICK_SIZE, max);
            assert!(c.text_w(&mid, TICK_SIZE) <= max, "{mid}");
            assert!(
                mid.starts_with("Kingston") && mid.ends_with("Coombe"),
                "{mid}"
            );
            assert!(mid.contains('…'), "{mid}");
            // "and" gives way to "&" before anything is cut.
            let amp = "North & South";
            let room = c.text_w(amp, TICK_SIZE);
            assert_eq!(c.fit_middle("North and South", TICK_SIZE, room), amp);
        });
    }

    #[test]
    fn wrapped_text_keeps_to_its_lines_and_width() {
        with_canvas(|c| {
            let s = "Non-emergency calls answered within the target time, all day";
            let max = 160.0;
            for n in 2..=3 {
                let lines = c.wrap(s, NOTE_SIZE, max, n);
                assert!(!lines.is_empty() && lines.len() <= n, "{lines:?}");
                for l in &lines {
                    assert!(c.text_w(l, NOTE_SIZE) <= max, "{l}");
                }
                assert!(lines[0].starts_with("Non-emergency"), "{lines:?}");
            }
            assert_eq!(
                c.wrap("Short", NOTE_SIZE, max, 2),
                vec!["Short".to_string()]
            );
        });
    }

    #[test]
    fn the_middle_cut_keeps_more_of_the_start() {
        let chars: Vec<char> = "abcdefghij".chars().collect();
        assert_eq!(middle(&chars, 5), "abc…ij");
        assert_eq!(middle(&chars, 10), "abcdefghij");
        assert_eq!(middle(&chars, 0), "…");
        let spaced: Vec<char> = "ab cd ef gh".chars().collect();
        assert_eq!(middle(&spaced, 6), "ab c…gh");
    }

    #[test]
    fn the_png_is_of_the_stated_size() {
        let (w, h) = (7, 3);
        let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i * 11 % 256) as u8).collect();
        let bytes = encode_png(&rgb, w, h);
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let mut reader = png::Decoder::new(&bytes[..]).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (w, h));
        assert_eq!(&buf[..info.buffer_size()], &rgb[..]);
    }
}
