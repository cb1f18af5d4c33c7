//! Charts for the reports: plain data in, an SVG string and PNG bytes out.
//!
//! Every chart is drawn twice by the same code, once on plotters' SVG backend and once on its
//! bitmap backend. DejaVu Sans is embedded in the binary ([`FONT_TTF`]) and no system font is
//! read, so the same data gives the same bytes on every machine. The SVG's text names the family
//! [`FONT_FAMILY`]; a page that shows it should carry [`FONT_TTF`] as an `@font-face` of that
//! name. The font is registered with plotters under that name, but on the bitmap this module
//! lays out and rasterises the text itself with ab_glyph, as a browser places the SVG's text:
//! plotters 0.3.7 drops each glyph's side bearing, which spaces the letters unevenly. Text
//! widths come from the same layout, so labels are shortened to fit in both.
//!
//! The charts are made to be read in a meeting and printed in grey: shares achieved on 0-100%
//! axes (only `visible_time`'s small shares per bin and per cause run from 0 to the next step
//! above the largest, at least 10%), times in seconds, minutes or hours as people say them,
//! statuses told apart by lightness and by a pattern or a word as well as by hue, targets as
//! labelled dashed lines, and long labels shortened so that none overlap.

use ab_glyph::{Font as _, ScaleFont as _};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, register_font};
use std::cell::RefCell;
use std::fmt::Write as _;

/// The font family named by the SVG text, registered with plotters under this name.
pub const FONT_FAMILY: &str = "DejaVu Sans";
/// DejaVu Sans (licence: assets/fonts/LICENSE-DejaVu.txt), for an HTML `@font-face`.
pub static FONT_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// A rendered chart: the same picture as SVG text and as PNG bytes of `width` x `height` pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub name: String,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Whether a target is met; drawn in colours that differ in lightness, and with a pattern or
/// a word, so that grey print still reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    Met,
    AtRisk,
    Missed,
    Unknown,
}

/// One bar: a share in 0..1 with its 95% interval `low..high`, and the share required.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub required: Option<f64>,
    pub status: Status,
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// Draws a chart on the SVG backend and on the bitmap backend, and encodes the bitmap as PNG.
macro_rules! render {
    ($name:expr, $title:expr, $w:expr, $h:expr, $draw:ident($($arg:expr),*)) => {{
        register_fonts();
        let (w, h): (u32, u32) = ($w, $h);
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            let c = Canvas::new(&area, false);
            $draw(&c, $($arg),*);
            c.finish();
        }
        let mut rgb = vec![255u8; w as usize * h as usize * 3];
        {
            let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
            let c = Canvas::new(&area, true);
            $draw(&c, $($arg),*);
            c.finish();
        }
        Chart {
            name: $name.to_string(),
            title: $title.to_string(),
            svg,
            png: encode_png(&rgb, w, h),
            width: w,
            height: h,
        }
    }};
}

// ---------------------------------------------------------------------------------------------
// The charts

const W: u32 = 900;
const H: u32 = 500;
const SC_ROW: f64 = 50.0;
const DIFF_ROW: f64 = 36.0;
const MAX_SERIES: usize = 6;

/// The pledge scorecard: one horizontal bar per target (share achieved with its 95% interval as
/// an error bar), a tick/line at each bar's own required share, coloured by status.
pub fn scorecard(name: &str, title: &str, bars: &[Bar]) -> Chart {
    let rows = bars.len().max(1) as f64;
    let h = head(title) + 36.0 + rows * SC_ROW + 64.0;
    render!(
        name,
        title,
        W,
        (h.round() as u32).max(240),
        draw_scorecard(title, bars)
    )
}

/// Cumulative distributions (share of calls or incidents answered/attended within x), one line
/// per series, x in seconds (axis labelled in s or min as fits), with a dashed vertical line at
/// the target and its label. At most six series are drawn.
pub fn cumulative(
    name: &str,
    title: &str,
    x_label: &str,
    series: &[(String, Vec<(f64, f64)>)],
    target_s: Option<f64>,
) -> Chart {
    render!(
        name,
        title,
        W,
        H,
        draw_cumulative(title, x_label, series, target_s)
    )
}

/// Share meeting a target by hour of the week: 7 rows (Mon..Sun) x 24 columns, `values[24 * day
/// + hour]` with day 0 = Monday; NaN cells blank; a colour scale with a legend; cells below
/// `required` marked with a cross.
pub fn hour_of_week(name: &str, title: &str, values: &[f64; 168], required: f64) -> Chart {
    render!(
        name,
        title,
        W,
        320,
        draw_hour_of_week(title, values, required)
    )
}

/// Bars by ward (sorted as given), shares with intervals, the required share as a dashed line.
/// Up to ~60 wards: long names shortened.
pub fn bars(name: &str, title: &str, bars: &[Bar]) -> Chart {
    render!(name, title, W, H, draw_bars(title, bars))
}

/// A map of wards: each ward a polygon (x, y in km) filled by its share (colour scale with
/// legend), labelled when it fits; wards below `required` hatched. NaN shares are drawn blank.
#[allow(clippy::type_complexity)]
pub fn ward_map(
    name: &str,
    title: &str,
    wards: &[(String, Vec<(f64, f64)>, f64)],
    required: f64,
) -> Chart {
    render!(name, title, W, H, draw_ward_map(title, wards, required))
}

/// Neighbourhood visible time: distribution of member-month visible shares as bars over bins
/// (labels like "75-80%"), with the threshold (e.g. 0.8) as a dashed line; and, side by side in
/// the same chart, lost time by cause (horizontal bars, share of time on duty).
///
/// The bin values are read as shares of member-months when they are all in 0..1 and add up to
/// at most 1, and as numbers of member-months otherwise.
pub fn visible_time(
    name: &str,
    title: &str,
    bins: &[(String, f64)],
    threshold: f64,
    lost: &[(String, f64)],
) -> Chart {
    render!(
        name,
        title,
        W,
        H,
        draw_visible_time(title, bins, threshold, lost)
    )
}

/// Paired differences (scenario minus baseline) with intervals, a zero line; label = measure
/// name. Rows are `(label, difference, low, high)` in `unit` ("pp" for percentage points, "s"
/// for seconds, shown in minutes when large, or any other unit, shown as given).
pub fn differences(name: &str, title: &str, rows: &[(String, f64, f64, f64)], unit: &str) -> Chart {
    let h = (head(title) + 40.0 + rows.len().max(1) as f64 * DIFF_ROW + 72.0).max(320.0);
    render!(
        name,
        title,
        W,
        h.round() as u32,
        draw_differences(title, rows, unit)
    )
}

/// A KPI against a swept parameter: points `(x, share, low, high)`, a line with an interval
/// band, the required share dashed.
pub fn sweep_line(
    name: &str,
    title: &str,
    x_label: &str,
    points: &[(f64, f64, f64, f64)],
    required: Option<f64>,
) -> Chart {
    render!(
        name,
        title,
        W,
        H,
        draw_sweep_line(title, x_label, points, required)
    )
}

/// Two swept parameters: a heatmap of the KPI (`values[j][i]` for `ys[j]` and `xs[i]`, the
/// first y at the bottom) with the cells at or above `required` outlined (the target contour).
#[allow(clippy::too_many_arguments)]
pub fn sweep_heatmap(
    name: &str,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[String],
    ys: &[String],
    values: &[Vec<f64>],
    required: f64,
) -> Chart {
    render!(
        name,
        title,
        W,
        H,
        draw_sweep_heatmap(title, x_label, y_label, xs, ys, values, required)
    )
}

fn register_fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let ok = register_font(FONT_FAMILY, FontStyle::Normal, FONT_TTF).is_ok();
        debug_assert!(ok, "the embedded DejaVu Sans does not parse");
    });
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
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

// ---------------------------------------------------------------------------------------------
// Colours, sizes and formats

const INK: RGBColor = RGBColor(25, 25, 25);
const MUTED: RGBColor = RGBColor(85, 85, 85);
const GRID: RGBColor = RGBColor(218, 218, 218);
const BAND: RGBColor = RGBColor(244, 244, 244);
const NO_DATA: RGBColor = RGBColor(175, 175, 175);
const WHITE_: RGBColor = RGBColor(255, 255, 255);

const MET: RGBColor = RGBColor(0, 110, 100);
const AT_RISK: RGBColor = RGBColor(240, 170, 20);
const MISSED: RGBColor = RGBColor(150, 20, 30);
const MET_TEXT: RGBColor = RGBColor(0, 95, 85);
const AT_RISK_TEXT: RGBColor = RGBColor(150, 90, 0);

const LINE: RGBColor = RGBColor(0, 95, 90);
const BAND_FILL: RGBColor = RGBColor(190, 222, 216);

/// Series: dark, distinct hues, each with its own dash pattern so that grey print reads.
const SERIES: [(RGBColor, &[f64]); MAX_SERIES] = [
    (RGBColor(0, 90, 160), &[]),
    (RGBColor(200, 80, 0), &[12.0, 6.0]),
    (RGBColor(0, 130, 90), &[3.0, 4.0]),
    (RGBColor(150, 60, 140), &[14.0, 5.0, 3.0, 5.0]),
    (RGBColor(60, 60, 60), &[7.0, 4.0]),
    (RGBColor(140, 95, 0), &[2.0, 3.0, 8.0, 3.0]),
];
const DASH: &[f64] = &[9.0, 6.0];

// Font sizes as plotters counts them: the em is size / 1.24 pixels (TICK_SIZE: a 13 px em, about
// 7 points when the 900 px chart is printed 17 cm wide).
const TITLE_SIZE: f64 = 24.0;
const AXIS_SIZE: f64 = 17.0;
const TICK_SIZE: f64 = 16.0;
const LABEL_SIZE: f64 = 16.5;
const NOTE_SIZE: f64 = 15.0;

fn status_fill(s: Status) -> RGBColor {
    match s {
        Status::Met => MET,
        Status::AtRisk => AT_RISK,
        Status::Missed => MISSED,
        Status::Unknown => WHITE_,
    }
}

fn status_text(s: Status) -> (&'static str, RGBColor) {
    match s {
        Status::Met => ("✓ met", MET_TEXT),
        Status::AtRisk => ("! at risk", AT_RISK_TEXT),
        Status::Missed => ("✗ missed", MISSED),
        Status::Unknown => ("? not known", MUTED),
    }
}

/// Viridis, a scale whose lightness rises steadily, so that it reads in grey.
fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 45, 123),
        (59, 82, 139),
        (44, 114, 142),
        (33, 145, 140),
        (40, 174, 128),
        (94, 201, 98),
        (173, 220, 48),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let f = t * 8.0;
    let i = (f.floor() as usize).min(7);
    let u = f - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * u).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn lightness(c: RGBColor) -> f64 {
    (0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2)) / 255.0
}

/// Ink that reads on a fill.
fn on(fill: RGBColor) -> RGBColor {
    if lightness(fill) > 0.5 { INK } else { WHITE_ }
}

/// The low end of a colour scale for shares: 0%, or a lower multiple of 10% below every value
/// and at least 10% below the required share, so that the differences that matter show.
fn scale_low(values: impl Iterator<Item = f64>, required: f64) -> f64 {
    let mut lo = if required.is_finite() { required } else { 1.0 };
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
    }
    let lo = ((lo.clamp(0.0, 1.0) * 10.0 - 1e-9).floor() / 10.0).min(0.9);
    if required.is_finite() && lo > required - 0.1 {
        (lo - 0.1).max(0.0)
    } else {
        lo.max(0.0)
    }
}

fn pct(v: f64, dp: usize) -> String {
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
fn num(v: f64, step: f64) -> String {
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
fn duration(secs: f64) -> String {
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
fn step_from(span: f64, candidates: &[f64], max_ticks: f64) -> f64 {
    for &c in candidates {
        if span / c <= max_ticks {
            return c;
        }
    }
    nice_step(span, max_ticks)
}

/// A step of 1, 2, 2.5 or 5 times a power of ten giving at most `max_ticks` intervals.
fn nice_step(span: f64, max_ticks: f64) -> f64 {
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

fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
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
struct Lin {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Lin {
    fn new(d0: f64, d1: f64, p0: f64, p1: f64) -> Lin {
        let d1 = if d1 > d0 { d1 } else { d0 + 1.0 };
        Lin { d0, d1, p0, p1 }
    }
    fn at(&self, v: f64) -> f64 {
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
    fn clamped(&self, v: f64) -> f64 {
        let (a, b) = (self.p0.min(self.p1), self.p0.max(self.p1));
        self.at(v).clamp(a, b)
    }
}

fn finite(v: f64) -> bool {
    v.is_finite()
}

fn head(title: &str) -> f64 {
    if title.trim().is_empty() { 14.0 } else { 52.0 }
}

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

struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    /// Text is drawn by this module on a bitmap, and left to the viewer's font engine in SVG.
    raster: bool,
    w: f64,
    h: f64,
    error: RefCell<Option<String>>,
}

#[derive(Clone, Copy)]
enum Anchor {
    Left,
    Center,
    Right,
}

#[derive(Clone, Copy)]
enum VAnchor {
    Top,
    Middle,
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    fn new(area: &'a DrawingArea<DB, Shift>, raster: bool) -> Self {
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

    fn finish(self) {
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
    fn text_w(&self, s: &str, size: f64) -> f64 {
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
    fn text(&self, x: f64, y: f64, s: &str, size: f64, color: RGBColor, a: Anchor, v: VAnchor) {
        self.text_styled(x, y, s, size, color, a, v, false);
    }

    /// Text reading upwards, `a` placing its end (Right), middle or start (Left) at `(x, y)`.
    fn text_up(&self, x: f64, y: f64, s: &str, size: f64, color: RGBColor, a: Anchor) {
        self.text_styled(x, y, s, size, color, a, VAnchor::Middle, true);
    }

    /// Text on a white box, for labels drawn over lines.
    #[allow(clippy::too_many_arguments)]
    fn text_boxed(
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
    fn text_on(
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

    fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, fill: RGBColor) {
        let r = self.area.draw(&Rectangle::new(
            [
                (px(x0.min(x1)), px(y0.min(y1))),
                (px(x0.max(x1)), px(y0.max(y1))),
            ],
            fill.filled(),
        ));
        self.check(r);
    }

    fn rect_line(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, width: u32) {
        let pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
        self.line(&pts, color, width);
    }

    fn line(&self, pts: &[(f64, f64)], color: RGBColor, width: u32) {
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
    fn line_halo(&self, pts: &[(f64, f64)], color: RGBColor, width: u32) {
        self.line(pts, WHITE_, width + 3);
        self.line(pts, color, width);
    }

    /// A polyline drawn with a dash pattern of on/off lengths in pixels (empty: solid).
    fn dashed(&self, pts: &[(f64, f64)], pattern: &[f64], color: RGBColor, width: u32) {
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

    fn polygon(&self, pts: &[(f64, f64)], fill: RGBColor) {
        let v: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        if v.len() < 3 {
            return;
        }
        let r = self.area.draw(&Polygon::new(v, fill.filled()));
        self.check(r);
    }

    fn circle(&self, x: f64, y: f64, r: f64, color: RGBColor, filled: bool) {
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
    fn hatch(&self, pts: &[(f64, f64)], spacing: f64, color: RGBColor, width: u32) {
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
    fn status_box(&self, x0: f64, y0: f64, x1: f64, y1: f64, s: Status) {
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
    fn fit_middle(&self, s: &str, size: f64, max_w: f64) -> String {
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
    fn fit_end(&self, s: &str, size: f64, max_w: f64) -> String {
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
    fn wrap(&self, s: &str, size: f64, max_w: f64, lines: usize) -> Vec<String> {
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

// ---------------------------------------------------------------------------------------------
// Shared pieces: title, legend, axes

fn draw_title<DB: DrawingBackend>(c: &Canvas<DB>, title: &str) -> f64 {
    if title.trim().is_empty() {
        return head(title);
    }
    let t = c.fit_end(title.trim(), TITLE_SIZE, c.w - 32.0);
    c.text(16.0, 14.0, &t, TITLE_SIZE, INK, Anchor::Left, VAnchor::Top);
    head(title)
}

#[derive(Clone, Copy)]
enum Swatch {
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
fn legend<DB: DrawingBackend>(
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
fn legend_column<DB: DrawingBackend>(
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
fn row_bands<DB: DrawingBackend>(c: &Canvas<DB>, top: f64, n: usize, row: f64) {
    for i in (0..n).step_by(2) {
        let y = top + i as f64 * row;
        c.rect(8.0, y, c.w - 8.0, y + row, BAND);
    }
}

/// A note in the middle of an empty plot ("no data").
fn empty_note<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, note: &str) {
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
fn row_label<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, s: &str) {
    c.text(x, y, s, TICK_SIZE, INK, Anchor::Right, VAnchor::Middle);
}

/// The title of a horizontal axis, centred on `x` below `y`.
fn x_title<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, s: &str) {
    c.text(x, y, s, AXIS_SIZE, INK, Anchor::Center, VAnchor::Top);
}

/// The title of a vertical axis, reading upwards at the left edge, centred on `y`.
fn y_title<DB: DrawingBackend>(c: &Canvas<DB>, y: f64, s: &str) {
    c.text_up(18.0, y, s, AXIS_SIZE, INK, Anchor::Center);
}

/// A vertical axis at `x0` with grid lines across to `x1` and a label left of each tick.
fn y_axis<DB: DrawingBackend>(
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
fn x_axis<DB: DrawingBackend>(
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
fn pct_axis_y<DB: DrawingBackend>(c: &Canvas<DB>, y: &Lin, x0: f64, x1: f64, title: &str) {
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
fn pct_axis_x<DB: DrawingBackend>(c: &Canvas<DB>, x: &Lin, y0: f64, y1: f64, title: &str) {
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
fn category_labels<DB: DrawingBackend>(
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

fn cross<DB: DrawingBackend>(c: &Canvas<DB>, x: f64, y: f64, r: f64, color: RGBColor) {
    c.line(&[(x - r, y - r), (x + r, y + r)], color, 2);
    c.line(&[(x - r, y + r), (x + r, y - r)], color, 2);
}

/// A vertical colour bar for shares from `lo` to 100%, with the required share marked.
fn colour_bar<DB: DrawingBackend>(
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

// ---------------------------------------------------------------------------------------------
// Scorecard

fn draw_scorecard<DB: DrawingBackend>(c: &Canvas<DB>, title: &str, bars: &[Bar]) {
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

fn draw_cumulative<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    x_label: &str,
    series: &[(String, Vec<(f64, f64)>)],
    target_s: Option<f64>,
) {
    let y0 = draw_title(c, title);
    let target = target_s.filter(|t| t.is_finite() && *t > 0.0);
    let shown = &series[..series.len().min(MAX_SERIES)];
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
    // The x axis reaches the time by which every series has reached 99%, and 1.5 targets.
    let mut xmax: f64 = 0.0;
    for v in &clean {
        if let Some(p) = v.iter().find(|p| p.1 >= 0.99).or(v.last()) {
            xmax = xmax.max(p.0);
        }
    }
    if let Some(t) = target {
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

    let mut at_target: Vec<(f64, usize)> = Vec::new();
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
        if let Some(share) = target.and_then(|t| share_at(v, t)) {
            at_target.push((share, i));
        }
    }
    if let Some(t) = target {
        let tx = x.at(t / div);
        c.dashed(&[(tx, pt), (tx, pb)], DASH, INK, 2);
        c.text_boxed(
            tx - 8.0,
            pb - 16.0,
            &format!("target {}", duration(t)),
            NOTE_SIZE + 1.0,
            INK,
            Anchor::Right,
            VAnchor::Middle,
        );
        // The share within the target for each series, labelled beside the line.
        at_target.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut last_y = f64::NEG_INFINITY;
        for (share, i) in at_target {
            let (col, _) = SERIES[i];
            let py = y.at(share.clamp(0.0, 1.0));
            c.circle(tx, py, 5.0, col, true);
            let ly = py.max(last_y + 18.0);
            last_y = ly;
            c.text_boxed(
                tx + 10.0,
                ly,
                &pct(share, 1),
                NOTE_SIZE,
                col,
                Anchor::Left,
                VAnchor::Middle,
            );
        }
    }
    // Legend, bottom right, where distribution curves leave room.
    if !shown.is_empty() {
        let mut labels: Vec<String> = shown
            .iter()
            .map(|(n, _)| c.fit_middle(n, NOTE_SIZE, 260.0))
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
fn share_at(v: &[(f64, f64)], t: f64) -> Option<f64> {
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

fn draw_hour_of_week<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    values: &[f64; 168],
    required: f64,
) {
    let y0 = draw_title(c, title);
    let lo = scale_low(values.iter().copied(), required);
    let (gx0, gx1, gy0, gy1) = (58.0, c.w - 196.0, y0 + 2.0, c.h - 56.0);
    let cw = (gx1 - gx0) / 24.0;
    let ch = (gy1 - gy0) / 7.0;
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for (d, name) in days.iter().enumerate() {
        let yc = gy0 + (d as f64 + 0.5) * ch;
        row_label(c, gx0 - 8.0, yc, name);
        for hr in 0..24 {
            let v = values[d * 24 + hr];
            let (x0, y) = (gx0 + hr as f64 * cw, gy0 + d as f64 * ch);
            if v.is_finite() {
                let fill = viridis((v - lo) / (1.0 - lo));
                c.rect(x0 + 1.0, y + 1.0, x0 + cw - 1.0, y + ch - 1.0, fill);
                if required.is_finite() && v < required {
                    cross(
                        c,
                        x0 + cw / 2.0,
                        y + ch / 2.0,
                        (cw.min(ch) * 0.2).max(3.0),
                        on(fill),
                    );
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
    colour_bar(c, lx, gy0 + 10.0, gy1 - 72.0, lo, required);
    let mut items = Vec::new();
    if required.is_finite() {
        items.push((Swatch::Cross, format!("below {}", pct(required, 0))));
    }
    items.push((Swatch::NoData, "no data".to_string()));
    legend_column(c, gx1 + 30.0, gy1 - 46.0, &items);
}

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

fn draw_bars<DB: DrawingBackend>(c: &Canvas<DB>, title: &str, bars: &[Bar]) {
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
fn draw_ward_map<DB: DrawingBackend>(
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
            let fill = viridis((v - lo) / (1.0 - lo));
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
        let fill = if v.is_finite() {
            viridis((v - lo) / (1.0 - lo))
        } else {
            WHITE_
        };
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

// ---------------------------------------------------------------------------------------------
// Neighbourhood visible time

/// The lower bound of a bin labelled like "75-80%", as a share.
fn bin_low(label: &str) -> Option<f64> {
    let digits: String = label
        .trim_start()
        .chars()
        .take_while(|ch| ch.is_ascii_digit() || *ch == '.')
        .collect();
    digits.parse::<f64>().ok().map(|v| v / 100.0)
}

fn draw_visible_time<DB: DrawingBackend>(
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

// ---------------------------------------------------------------------------------------------
// Differences

fn draw_differences<DB: DrawingBackend>(
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

// ---------------------------------------------------------------------------------------------
// Sweeps

fn draw_sweep_line<DB: DrawingBackend>(
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
    x_axis(c, &x, pt, pb, ticks(x0 - pad, x1 + pad, step), |t| {
        num(t, step)
    });
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
fn draw_sweep_heatmap<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[String],
    ys: &[String],
    values: &[Vec<f64>],
    required: f64,
) {
    let y0 = draw_title(c, title);
    let (nx, ny) = (xs.len(), ys.len());
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
    let met = |i: usize, j: usize| get(i, j) >= required;
    for (j, yname) in ys.iter().enumerate() {
        let yb = gb - j as f64 * ch;
        let label = c.fit_middle(yname, TICK_SIZE, ylab_w.max(20.0));
        row_label(c, gl - 8.0, yb - ch / 2.0, &label);
        for i in 0..nx {
            let x0 = gl + i as f64 * cw;
            let v = get(i, j);
            if v.is_finite() {
                let fill = viridis((v - lo) / (1.0 - lo));
                c.rect(x0, yb - ch, x0 + cw, yb, fill);
                let t = pct(v, 0);
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
            format!("outlined: {} or more", pct(required, 0)),
        ));
    }
    if (0..ny).any(|j| (0..nx).any(|i| !get(i, j).is_finite())) {
        items.push((Swatch::NoData, "no data".to_string()));
    }
    legend_column(c, gr + 30.0, c.h - 112.0, &items);
    if nx == 0 || ny == 0 {
        empty_note(c, (gl + gr) / 2.0, (gt + gb) / 2.0, "no data");
    }
}
