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
//!
//! This file holds what the rest of the program calls: the types and one entry point per chart.
//! The drawing lives beside it: `canvas` (the font, both backends, text measured the same in
//! each), `colour` (the palette), `axes` (the formats, scales, titles, legends and axes every
//! chart shares), and one file per family of figures: `scorecard`, `times` (answer and
//! attendance times), `wards`, `wardmap`, `neighbourhood`, `compare` and `sweep`.

use plotters::prelude::*;

mod axes;
mod canvas;
mod colour;
mod compare;
mod neighbourhood;
mod profile;
mod scorecard;
mod sweep;
mod times;
mod wardmap;
pub use wardmap::WardParts;
mod wards;

use axes::head;
use canvas::{Canvas, encode_png, register_fonts};
use compare::{DIFF_ROW, draw_differences};
use neighbourhood::draw_visible_time;
use profile::draw_weekly_rate;
use scorecard::{SC_ROW, draw_scorecard};
pub use sweep::TradePoint;
use sweep::{draw_sweep_heatmap, draw_sweep_line, draw_trade_off};
use times::{draw_cumulative, draw_hour_of_week};
use wardmap::{draw_ward_map, map_height};
use wards::draw_bars;

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
/// per series, x in seconds (axis labelled in s or min as fits). `targets[i]` is series i's own
/// target time: a dashed line in the series' colour at that time, and the share read off that
/// line there ([`share_at`]) labelled "86.3% within 10 s". At most six series are drawn.
pub fn cumulative(
    name: &str,
    title: &str,
    x_label: &str,
    series: &[(String, Vec<(f64, f64)>)],
    targets: &[Option<f64>],
) -> Chart {
    render!(
        name,
        title,
        W,
        H,
        draw_cumulative(title, x_label, series, targets)
    )
}

pub use times::share_at;

/// The low end of the colour scale for shares that holds every one of `values` and the
/// `required` share: figures of one type in a report share the scale computed over all their
/// values, so that one colour means one share throughout.
pub fn share_scale_low(values: impl Iterator<Item = f64>, required: f64) -> f64 {
    colour::scale_low(values, required)
}

/// One hour's share with its 95% interval (NaN where there is none).
pub type HourCell = (f64, f64, f64);

/// Share meeting a target by hour of the week: 7 rows (Mon..Sun) x 24 columns, `cells[24 * day
/// + hour]` (share, low, high) with day 0 = Monday; NaN cells blank; a colour scale from
/// `scale_low` to 100% with a legend; cells whose whole interval is below `required` marked
/// with a cross (missed), those whose interval holds it with a ring (at risk). Without an
/// interval a cell below `required` is crossed.
pub fn hour_of_week(
    name: &str,
    title: &str,
    cells: &[HourCell; 168],
    required: f64,
    scale_low: f64,
) -> Chart {
    render!(
        name,
        title,
        W,
        320,
        draw_hour_of_week(title, cells, required, scale_low)
    )
}

/// A rate through the week: `hours[h]` (value, low, high) for hour of the week h, Monday
/// 00:00 first, drawn as a stepped line over its 95% interval band; None leaves a gap.
pub fn weekly_rate(
    name: &str,
    title: &str,
    y_label: &str,
    hours: &[Option<(f64, f64, f64)>],
) -> Chart {
    render!(name, title, W, 360, draw_weekly_rate(title, y_label, hours))
}

/// Bars by ward (sorted as given), shares with intervals, the required share as a dashed line.
/// Up to ~60 wards: long names shortened.
pub fn bars(name: &str, title: &str, bars: &[Bar]) -> Chart {
    render!(name, title, W, H, draw_bars(title, bars))
}

/// A map of wards: each ward a polygon (x, y in km) filled by its share (colour scale with
/// legend); wards below `required` hatched; NaN shares drawn blank. `sectors` gives each
/// sector's (district's) name and the indices of its wards: the names are written on the map
/// and the lines between sectors drawn heavier. A ward is named inside itself where its name
/// fits, and numbered otherwise (the number moved clear of other labels, with a leader line,
/// when its own place is taken); below the map a key lists every ward by sector with its
/// number and share, so the chart grows taller with the number of wards.
#[allow(clippy::type_complexity)]
pub fn ward_map(
    name: &str,
    title: &str,
    wards: &[(String, Vec<(f64, f64)>, f64)],
    sectors: &[(String, Vec<usize>)],
    required: f64,
) -> Chart {
    ward_map_with_parts(name, title, wards, &[], sectors, required)
}

/// As [`ward_map`], with each ward's further rings (by ward, may be shorter than `wards`):
/// the outer rings of its other polygons, filled as the ward is, and its holes, outlined. With
/// any, smaller wards are drawn over larger ones, so an enclave shows inside its hole.
#[allow(clippy::type_complexity)]
pub fn ward_map_with_parts(
    name: &str,
    title: &str,
    wards: &[(String, Vec<(f64, f64)>, f64)],
    parts: &[WardParts],
    sectors: &[(String, Vec<usize>)],
    required: f64,
) -> Chart {
    let h = map_height(wards.len(), sectors);
    render!(
        name,
        title,
        W,
        h,
        draw_ward_map(title, wards, parts, sectors, required)
    )
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

/// A trade-off across a sweep's points: `y` (a share) against `x` (a level), each with its 95%
/// interval, joined in the sweep's order and numbered, with a key of the points' names.
pub fn trade_off(
    name: &str,
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[TradePoint],
    required: Option<f64>,
) -> Chart {
    render!(
        name,
        title,
        W,
        H,
        draw_trade_off(title, x_label, y_label, points, required)
    )
}

/// A point of a cost curve: its required share, its plan's cost a week (None without one) and
/// the share the plan achieves with its 95% interval.
pub struct CurvePoint {
    pub required: f64,
    pub cost: Option<f64>,
    pub achieved: [Option<f64>; 3],
}

/// The chart of a cost curve (`staff --frontier`, `optimise --frontier`) with its caption: each
/// required share's cheapest `what` (a roster, a plan) by its cost across and the share of
/// `target` it achieves up; none with fewer than two points that have a cost.
pub fn cost_curve(
    name: &str,
    target: &str,
    x_label: &str,
    what: &str,
    points: &[CurvePoint],
) -> Vec<(Chart, String)> {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let pts: Vec<TradePoint> = points
        .iter()
        .filter_map(|p| {
            Some(TradePoint {
                name: format!("{} required", super::words::pct(p.required)),
                x: (p.cost?, f64::NAN, f64::NAN),
                y: (nan(p.achieved[0]), nan(p.achieved[1]), nan(p.achieved[2])),
            })
        })
        .collect();
    if pts.len() < 2 {
        return Vec::new();
    }
    vec![(
        trade_off(
            name,
            &format!("What each share of {target} costs"),
            x_label,
            &format!("{target} achieved by the {what}"),
            &pts,
            None,
        ),
        format!(
            "Each numbered point is the cheapest {what} found for one required share; across, its cost a week; up, the share it achieves, with its 95% range. A long step right for a short step up is a dear point."
        ),
    )]
}

/// Two swept parameters: a heatmap of the KPI (`values[j][i]` for `ys[j]` and `xs[i]`, the
/// first y at the bottom), each cell with its value and, where it fits, its 95% interval
/// (`intervals[j][i]`, may be empty); the cells that keep the target (the whole interval at or
/// above `required`, or the value without one) outlined, those at risk ringed.
#[allow(clippy::too_many_arguments)]
pub fn sweep_heatmap(
    name: &str,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: &[String],
    ys: &[String],
    values: &[Vec<f64>],
    intervals: &[Vec<(f64, f64)>],
    required: f64,
) -> Chart {
    render!(
        name,
        title,
        W,
        H,
        draw_sweep_heatmap(title, x_label, y_label, xs, ys, values, intervals, required)
    )
}
