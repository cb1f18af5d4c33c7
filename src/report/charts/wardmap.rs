//! The map of wards: each ward shaded by its share and named where the name fits inside it;
//! a ward too small for its name carries its number instead, moved clear of the other labels
//! with a leader line when its own place is taken. Sector (district) names sit on the map,
//! and the lines between sectors are drawn heavier. Below the map, a key lists every ward by
//! sector with its number and share, so that every ward can be found and read.

use super::axes::{Swatch, colour_bar, draw_title, empty_note, legend_column, num, pct};
use super::canvas::{Anchor, Canvas, LABEL_SIZE, NOTE_SIZE, VAnchor};
use super::colour::{INK, MUTED, WHITE_, on, scale_low, shade};
use plotters::prelude::{DrawingBackend, RGBColor};
use std::collections::BTreeMap;

/// The height of the map itself; the key goes below it.
pub(super) const MAP_H: f64 = 500.0;
const KEY_COLS: usize = 4;
const KEY_ROW: f64 = 19.0;
const KEY_HEAD: f64 = 30.0;
const NAME_SIZE: f64 = NOTE_SIZE - 1.0;
const NUMBER_SIZE: f64 = NOTE_SIZE - 2.0;

/// A box on the chart: left, top, right, bottom in pixels.
pub(super) type Rect = (f64, f64, f64, f64);

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn within(a: &Rect, area: &Rect) -> bool {
    a.0 >= area.0 && a.2 <= area.2 && a.1 >= area.1 && a.3 <= area.3
}

/// A ward for the map: name, outline (x, y in km), share.
pub(super) type MapWard = (String, Vec<(f64, f64)>, f64);

/// A ward's further rings: the outer rings of its other polygons, and its holes (km).
#[derive(Clone, Debug, Default)]
pub struct WardParts {
    pub outer: Vec<Vec<(f64, f64)>>,
    pub holes: Vec<Vec<(f64, f64)>>,
}

/// A sector for the map: its name and the indices of its wards.
pub(super) type MapSector = (String, Vec<usize>);

/// One line of the key: a sector's name, or a ward.
#[derive(Clone, Copy, Debug, PartialEq)]
enum KeyItem {
    Sector(usize),
    Ward(usize),
}

/// The key's lines: each sector's name and its wards in turn, then any ward in no sector. A
/// ward's number on the map is its place among the wards of the key, from 1.
fn key_items(n_wards: usize, sectors: &[MapSector]) -> Vec<KeyItem> {
    let mut out = Vec::new();
    let mut seen = vec![false; n_wards];
    for (s, (_, members)) in sectors.iter().enumerate() {
        out.push(KeyItem::Sector(s));
        for &w in members {
            if w < n_wards && !seen[w] {
                seen[w] = true;
                out.push(KeyItem::Ward(w));
            }
        }
    }
    out.extend((0..n_wards).filter(|&w| !seen[w]).map(KeyItem::Ward));
    out
}

/// The height of the whole chart: the map and, below it, the key.
pub(super) fn map_height(n_wards: usize, sectors: &[MapSector]) -> u32 {
    let n = key_items(n_wards, sectors).len();
    let key = if n == 0 {
        0.0
    } else {
        KEY_HEAD + n.div_ceil(KEY_COLS) as f64 * KEY_ROW + 10.0
    };
    (MAP_H + key).ceil() as u32
}

// ---------------------------------------------------------------------------------------------
// Geometry

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

/// A point to label a ward at: its centroid when that is inside it, else the middle of its
/// widest run through the centroid's height, else the mean of its corners.
fn anchor(s: &[(f64, f64)]) -> (f64, f64) {
    let (_, (cx, cy)) = polygon_area_centroid(s);
    if inside(s, (cx, cy)) {
        return (cx, cy);
    }
    if let Some((a, b)) = run_at(s, cy) {
        return ((a + b) / 2.0, cy);
    }
    let n = s.len().max(1) as f64;
    (
        s.iter().map(|p| p.0).sum::<f64>() / n,
        s.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// Places to try for a label near `p`: `p` itself, then rings of twelve points `step` apart.
fn around(p: (f64, f64), step: f64, rings: usize) -> impl Iterator<Item = (f64, f64)> {
    std::iter::once(p).chain((1..=rings).flat_map(move |k| {
        (0..12).map(move |i| {
            let a = std::f64::consts::PI * (i as f64) / 6.0 - std::f64::consts::FRAC_PI_2;
            (
                p.0 + k as f64 * step * a.cos(),
                p.1 + k as f64 * step * a.sin(),
            )
        })
    }))
}

/// The edges between wards of different sectors (outlines in pixels, `sector_of` each ward's).
fn sector_edges(shapes: &[Vec<(f64, f64)>], sector_of: &[Option<usize>]) -> Vec<[(f64, f64); 2]> {
    type Key = (i64, i64);
    /// An edge as first met, and the sector of each ward it bounds.
    type Seen = ([(f64, f64); 2], Vec<Option<usize>>);
    let key = |p: (f64, f64)| -> Key { ((p.0 * 4.0).round() as i64, (p.1 * 4.0).round() as i64) };
    let mut seen: BTreeMap<(Key, Key), Seen> = BTreeMap::new();
    for (s, sec) in shapes.iter().zip(sector_of) {
        for k in 0..s.len() {
            let (p, q) = (s[k], s[(k + 1) % s.len()]);
            let (a, b) = (key(p), key(q));
            let e = if a <= b { (a, b) } else { (b, a) };
            seen.entry(e).or_insert(([p, q], Vec::new())).1.push(*sec);
        }
    }
    seen.into_values()
        .filter(|(_, secs)| secs.iter().any(|s| *s != secs[0]))
        .map(|(e, _)| e)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Where the labels go

/// A ward's number on the map, at `at`, with a leader line from `from` when it had to move.
#[derive(Debug)]
struct Marker {
    ward: usize,
    text: String,
    from: (f64, f64),
    at: (f64, f64),
    r: f64,
}

impl Marker {
    #[cfg(test)]
    fn rect(&self) -> Rect {
        (
            self.at.0 - self.r,
            self.at.1 - self.r,
            self.at.0 + self.r,
            self.at.1 + self.r,
        )
    }
}

#[derive(Debug, Default)]
struct Layout {
    /// Sector names placed on the map: sector, centre, box.
    sectors: Vec<(usize, (f64, f64), Rect)>,
    /// Wards named inside themselves: ward, lines (the name, then the share), box.
    names: Vec<(usize, Vec<String>, Rect)>,
    /// Wards numbered on the map.
    markers: Vec<Marker>,
    /// The key's lines, with the number of each ward line (0 for a sector) and its box.
    key: Vec<(KeyItem, usize, Rect)>,
}

#[cfg(test)]
impl Layout {
    /// Every box of text on the chart: sector names, ward names, numbers and the key's lines.
    fn boxes(&self) -> Vec<Rect> {
        let mut out: Vec<Rect> = self.sectors.iter().map(|s| s.2).collect();
        out.extend(self.names.iter().map(|n| n.2));
        out.extend(self.markers.iter().map(Marker::rect));
        out.extend(self.key.iter().map(|k| k.2));
        out
    }
}

const LINE_H: f64 = 16.0;

fn sector_box<DB: DrawingBackend>(c: &Canvas<DB>, name: &str, p: (f64, f64)) -> Rect {
    let w = c.text_w(name, LABEL_SIZE);
    (
        p.0 - w / 2.0 - 5.0,
        p.1 - 11.0,
        p.0 + w / 2.0 + 5.0,
        p.1 + 11.0,
    )
}

/// The lines of a ward's name and share when they fit inside the ward, with their box.
fn name_in_place<DB: DrawingBackend>(
    c: &Canvas<DB>,
    s: &[(f64, f64)],
    name: &str,
    value: f64,
) -> Option<(Vec<String>, Rect)> {
    let (_, (cx, cy)) = polygon_area_centroid(s);
    if !inside(s, (cx, cy)) {
        return None;
    }
    let (r0, r1) = run_at(s, cy)?;
    let room = (r1 - r0) - 8.0;
    let mut lines = vec![name.to_string()];
    if c.text_w(name, NAME_SIZE) > room {
        lines = c.wrap(name, NAME_SIZE, room, 2);
        if lines.iter().any(|l| l.ends_with('…')) {
            return None;
        }
    }
    if lines
        .iter()
        .any(|l| l.is_empty() || c.text_w(l, NAME_SIZE) > room)
    {
        return None;
    }
    lines.push(if value.is_finite() {
        pct(value, 0)
    } else {
        "no data".to_string()
    });
    let n = lines.len() as f64;
    let w = lines
        .iter()
        .map(|l| c.text_w(l, NAME_SIZE))
        .fold(0.0, f64::max)
        + 6.0;
    let xc = (r0 + r1) / 2.0;
    let half = n * LINE_H / 2.0;
    let bx = (xc - w / 2.0, cy - half, xc + w / 2.0, cy + half);
    let corners = [(bx.0, bx.1), (bx.2, bx.1), (bx.0, bx.3), (bx.2, bx.3)];
    corners.iter().all(|&p| inside(s, p)).then_some((lines, bx))
}

/// Places the sector names, the wards' names or numbers, and the key, none overlapping
/// another. `shapes` are the outlines in pixels, `area` the map's box.
fn layout<DB: DrawingBackend>(
    c: &Canvas<DB>,
    wards: &[MapWard],
    shapes: &[Vec<(f64, f64)>],
    sectors: &[MapSector],
    area: Rect,
) -> Layout {
    let mut out = Layout::default();
    let mut placed: Vec<Rect> = Vec::new();
    let drawn = |w: usize| shapes.get(w).is_some_and(|s| s.len() >= 3);
    // Sector names near the area-weighted centre of their wards.
    for (si, (name, members)) in sectors.iter().enumerate() {
        let (mut a, mut x, mut y) = (0.0, 0.0, 0.0);
        for &w in members.iter().filter(|&&w| drawn(w)) {
            let (wa, (cx, cy)) = polygon_area_centroid(&shapes[w]);
            let wa = wa.abs().max(1e-9);
            a += wa;
            x += wa * cx;
            y += wa * cy;
        }
        if a <= 0.0 || name.trim().is_empty() {
            continue;
        }
        let centre = (x / a, y / a);
        let spot = around(centre, 14.0, 8)
            .map(|p| (p, sector_box(c, name, p)))
            .find(|(_, b)| within(b, &area) && !placed.iter().any(|q| overlaps(b, q)));
        if let Some((p, b)) = spot {
            placed.push(b);
            out.sectors.push((si, p, b));
        }
    }
    // Names inside the wards they fit in.
    for (w, (name, _, v)) in wards.iter().enumerate() {
        if !drawn(w) {
            continue;
        }
        if let Some((lines, b)) = name_in_place(c, &shapes[w], name, *v) {
            if !placed.iter().any(|q| overlaps(&b, q)) {
                placed.push(b);
                out.names.push((w, lines, b));
            }
        }
    }
    // Numbers for the rest, as near their ward as they can go.
    let items = key_items(wards.len(), sectors);
    let mut number = vec![0; wards.len()];
    let mut k = 0;
    for it in &items {
        if let KeyItem::Ward(w) = it {
            k += 1;
            number[*w] = k;
        }
    }
    for w in 0..wards.len() {
        if !drawn(w) || out.names.iter().any(|n| n.0 == w) {
            continue;
        }
        let text = number[w].to_string();
        let r = (c.text_w(&text, NUMBER_SIZE) / 2.0 + 4.0).max(9.0);
        let from = anchor(&shapes[w]);
        let spot = around(from, 2.0 * r + 3.0, 40)
            .map(|p| (p, (p.0 - r, p.1 - r, p.0 + r, p.1 + r)))
            .find(|(_, b)| within(b, &area) && !placed.iter().any(|q| overlaps(b, q)));
        if let Some((at, b)) = spot {
            placed.push(b);
            out.markers.push(Marker {
                ward: w,
                text,
                from,
                at,
                r,
            });
        }
    }
    // The key below the map, in columns.
    let rows = items.len().div_ceil(KEY_COLS).max(1);
    let col_w = (c.w - 32.0) / KEY_COLS as f64;
    for (i, it) in items.into_iter().enumerate() {
        let (col, row) = (i / rows, i % rows);
        let x0 = 16.0 + col as f64 * col_w;
        let y0 = MAP_H + KEY_HEAD + row as f64 * KEY_ROW;
        let n = match it {
            KeyItem::Ward(w) => number[w],
            KeyItem::Sector(_) => 0,
        };
        out.key
            .push((it, n, (x0, y0, x0 + col_w - 8.0, y0 + KEY_ROW - 1.0)));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Drawing

fn draw_key<DB: DrawingBackend>(
    c: &Canvas<DB>,
    wards: &[MapWard],
    sectors: &[MapSector],
    l: &Layout,
) {
    if l.key.is_empty() {
        return;
    }
    let heading = match (sectors.is_empty(), l.markers.is_empty()) {
        (true, true) => "Every ward with its share",
        (false, true) => "Every ward by sector, with its share",
        (true, false) => {
            "Every ward with its share; a ward too small for its name has its number on the map"
        }
        (false, false) => {
            "Every ward by sector, with its share; a ward too small for its name has its number on the map"
        }
    };
    c.text(
        16.0,
        MAP_H + 6.0,
        heading,
        NOTE_SIZE,
        INK,
        Anchor::Left,
        VAnchor::Top,
    );
    for (it, n, b) in &l.key {
        let ym = (b.1 + b.3) / 2.0;
        match *it {
            KeyItem::Sector(s) => {
                let t = c.fit_end(&sectors[s].0, NOTE_SIZE, b.2 - b.0);
                c.text(b.0, ym, &t, NOTE_SIZE, INK, Anchor::Left, VAnchor::Middle);
                c.line(&[(b.0, b.3), (b.2, b.3)], MUTED, 1);
            }
            KeyItem::Ward(w) => {
                let (name, _, v) = &wards[w];
                let share = if v.is_finite() {
                    pct(*v, 0)
                } else {
                    "no data".into()
                };
                c.text(
                    b.0 + 26.0,
                    ym,
                    &n.to_string(),
                    NAME_SIZE,
                    INK,
                    Anchor::Right,
                    VAnchor::Middle,
                );
                let room = (b.2 - b.0) - 32.0 - c.text_w(&share, NAME_SIZE) - 8.0;
                let t = c.fit_middle(name, NAME_SIZE, room);
                c.text(
                    b.0 + 32.0,
                    ym,
                    &t,
                    NAME_SIZE,
                    INK,
                    Anchor::Left,
                    VAnchor::Middle,
                );
                c.text(
                    b.2,
                    ym,
                    &share,
                    NAME_SIZE,
                    MUTED,
                    Anchor::Right,
                    VAnchor::Middle,
                );
            }
        }
    }
}

pub(super) fn draw_ward_map<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    wards: &[MapWard],
    parts: &[WardParts],
    sectors: &[MapSector],
    required: f64,
) {
    let y0 = draw_title(c, title);
    let (mx0, mx1, my0, my1) = (16.0, c.w - 230.0, y0 + 4.0, MAP_H - 16.0);
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
    let further = parts.iter().flat_map(|p| p.outer.iter());
    for poly in wards
        .iter()
        .map(|w| &w.1)
        .chain(further)
        .filter(|w| drawable(w))
    {
        for &(x, y) in poly.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
            bx0 = bx0.min(x);
            bx1 = bx1.max(x);
            by0 = by0.min(y);
            by1 = by1.max(y);
        }
    }
    let lo = scale_low(wards.iter().map(|w| w.2), required);
    let lx = mx1 + 110.0;
    colour_bar(c, lx, y0 + 30.0, MAP_H - 180.0, lo, required);
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
    let ly = legend_column(c, mx1 + 30.0, MAP_H - 150.0, &items);
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
    let on_map = |ring: &Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        ring.iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .map(map)
            .collect()
    };
    let part = |w: usize| parts.get(w).cloned().unwrap_or_default();
    // With further rings, larger wards first, so that an enclave is drawn over its hole.
    let mut order: Vec<usize> = (0..wards.len()).collect();
    if !parts.is_empty() {
        let area = |s: &[(f64, f64)]| {
            let n = s.len();
            (0..n)
                .map(|i| s[i].0 * s[(i + 1) % n].1 - s[(i + 1) % n].0 * s[i].1)
                .sum::<f64>()
                .abs()
        };
        order.sort_by(|&a, &b| area(&shapes[b]).total_cmp(&area(&shapes[a])));
    }
    for &w in &order {
        let v = wards[w].2;
        let rings: Vec<Vec<(f64, f64)>> = std::iter::once(shapes[w].clone())
            .chain(part(w).outer.iter().map(on_map))
            .collect();
        for s in &rings {
            if v.is_finite() {
                let fill = shade(v, lo);
                c.polygon(s, fill);
                if required.is_finite() && v < required {
                    c.hatch(s, 8.0, on(fill), 1);
                }
            } else {
                c.polygon(s, WHITE_);
            }
        }
    }
    let outlines = (0..wards.len()).flat_map(|w| {
        let p = part(w);
        std::iter::once(shapes[w].clone())
            .chain(p.outer.iter().map(on_map))
            .chain(p.holes.iter().map(on_map))
            .collect::<Vec<_>>()
    });
    for s in outlines {
        let mut closed = s.clone();
        if let Some(&f) = s.first() {
            closed.push(f);
        }
        c.line(&closed, RGBColor(60, 60, 60), 1);
    }
    // Heavier lines between sectors.
    let mut sector_of = vec![None; wards.len()];
    for (si, (_, members)) in sectors.iter().enumerate() {
        for &w in members.iter().filter(|&&w| w < wards.len()) {
            sector_of[w] = Some(si);
        }
    }
    for e in sector_edges(&shapes, &sector_of) {
        c.line(&e, INK, 3);
    }
    let area = (mx0, my0, mx1, my1);
    let l = layout(c, wards, &shapes, sectors, area);
    for (w, lines, b) in &l.names {
        let v = wards[*w].2;
        let fill = if v.is_finite() { shade(v, lo) } else { WHITE_ };
        let xc = (b.0 + b.2) / 2.0;
        for (k, text) in lines.iter().enumerate() {
            let ty = b.1 + (k as f64 + 0.5) * LINE_H;
            c.text_on(
                xc,
                ty,
                text,
                NAME_SIZE,
                on(fill),
                fill,
                Anchor::Center,
                VAnchor::Middle,
            );
        }
    }
    // Leader lines first, so that no line crosses a number.
    for m in &l.markers {
        let (dx, dy) = (m.at.0 - m.from.0, m.at.1 - m.from.1);
        let d = dx.hypot(dy);
        if d > m.r + 2.0 {
            let end = (m.at.0 - dx / d * m.r, m.at.1 - dy / d * m.r);
            c.line_halo(&[m.from, end], INK, 1);
            let v = wards[m.ward].2;
            let dot = if v.is_finite() { on(shade(v, lo)) } else { INK };
            c.circle(m.from.0, m.from.1, 2.5, dot, true);
        }
    }
    for m in &l.markers {
        c.circle(m.at.0, m.at.1, m.r, WHITE_, true);
        c.circle(m.at.0, m.at.1, m.r, INK, false);
        c.text(
            m.at.0,
            m.at.1,
            &m.text,
            NUMBER_SIZE,
            INK,
            Anchor::Center,
            VAnchor::Middle,
        );
    }
    for (s, p, b) in &l.sectors {
        c.rect(b.0, b.1, b.2, b.3, WHITE_);
        c.rect_line(b.0, b.1, b.2, b.3, INK, 1);
        c.text(
            p.0,
            p.1,
            &sectors[*s].0,
            LABEL_SIZE,
            INK,
            Anchor::Center,
            VAnchor::Middle,
        );
    }
    draw_key(c, wards, sectors, &l);
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

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    #[test]
    fn polygon_geometry() {
        let square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)];
        assert_eq!(polygon_area_centroid(&square), (4.0, (1.0, 1.0)));
        assert!(inside(&square, (1.0, 1.0)));
        assert!(!inside(&square, (3.0, 1.0)));
        assert_eq!(run_at(&square, 1.0), Some((0.0, 2.0)));
        assert_eq!(run_at(&square, 5.0), None);
        // A U shape: the widest run through the arms is one arm, through the base the whole.
        let u = [
            (0.0, 0.0),
            (5.0, 0.0),
            (5.0, 4.0),
            (4.0, 4.0),
            (4.0, 1.0),
            (2.0, 1.0),
            (2.0, 4.0),
            (0.0, 4.0),
        ];
        assert_eq!(run_at(&u, 3.0), Some((0.0, 2.0)));
        assert_eq!(run_at(&u, 0.5), Some((0.0, 5.0)));
        assert!(!inside(&u, (3.0, 3.0)));
        // The U's centroid falls in its gap: its label point is on its widest run instead.
        let a = anchor(&u);
        assert!(inside(&u, a), "{a:?}");
        // A degenerate polygon has no area, and its centroid is the mean of its points.
        let line = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)];
        assert_eq!(polygon_area_centroid(&line), (0.0, (1.0, 1.0)));
    }

    #[test]
    fn edges_between_sectors_only() {
        // Two squares side by side share one edge.
        let a = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let b = vec![(10.0, 0.0), (20.0, 0.0), (20.0, 10.0), (10.0, 10.0)];
        let shapes = [a, b];
        assert_eq!(sector_edges(&shapes, &[Some(0), Some(0)]).len(), 0);
        let e = sector_edges(&shapes, &[Some(0), Some(1)]);
        assert_eq!(e.len(), 1);
        assert!(e[0].iter().all(|p| p.0 == 10.0));
    }

    /// A county of twelve rural wards in three sectors, with a town of 36 small wards in one
    /// of them: the town's wards are too small for their names.
    fn county() -> (Vec<MapWard>, Vec<MapSector>) {
        let mut wards: Vec<MapWard> = Vec::new();
        let mut sectors: Vec<MapSector> = vec![
            ("North & West <Rural>".into(), vec![]),
            ("Town Centre".into(), vec![]),
            ("East".into(), vec![]),
        ];
        for j in 0..3 {
            for i in 0..4 {
                let (x, y) = (i as f64 * 10.0, j as f64 * 8.0);
                if (i, j) == (1, 1) {
                    continue;
                }
                let k = wards.len();
                wards.push((
                    format!("Rural {i}-{j}"),
                    vec![(x, y), (x + 10.0, y), (x + 10.0, y + 8.0), (x, y + 8.0)],
                    0.8 + 0.01 * k as f64,
                ));
                sectors[if i < 2 { 0 } else { 2 }].1.push(k);
            }
        }
        for j in 0..6 {
            for i in 0..6 {
                let (x, y) = (12.0 + i as f64 * 0.5, 10.0 + j as f64 * 0.5);
                let s = 0.5;
                let k = wards.len();
                wards.push((
                    format!("St Mary's & Old Town {k}"),
                    vec![
                        (x, y),
                        (x + s, y),
                        (x + s, y + 8.0 / 6.0),
                        (x, y + 8.0 / 6.0),
                    ],
                    if k % 7 == 0 { f64::NAN } else { 0.7 },
                ));
                sectors[1].1.push(k);
            }
        }
        (wards, sectors)
    }

    #[test]
    fn every_ward_is_named_or_numbered_and_no_two_labels_overlap() {
        let (wards, sectors) = county();
        let h = map_height(wards.len(), &sectors);
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (900, h)).into_drawing_area();
        let c = Canvas::new(&area, false);
        // The map's box as the chart places it, the outlines scaled into it.
        let map_box: Rect = (16.0, 60.0, 670.0, MAP_H - 16.0);
        let k = ((map_box.2 - map_box.0) / 40.0).min((map_box.3 - map_box.1) / 24.0);
        let shapes: Vec<Vec<(f64, f64)>> = wards
            .iter()
            .map(|w| {
                w.1.iter()
                    .map(|p| (map_box.0 + p.0 * k, map_box.3 - p.1 * k))
                    .collect()
            })
            .collect();
        let l = layout(&c, &wards, &shapes, &sectors, map_box);
        // The town's wards (8 pixels wide) are too small for their names or their numbers:
        // they are numbered, most of the numbers moved off their wards, none left out.
        assert!(l.markers.len() >= 36, "{} numbered", l.markers.len());
        let moved = l.markers.iter().filter(|m| m.at != m.from).count();
        assert!(moved >= 30, "{moved} numbers moved");
        assert!(!l.names.is_empty(), "the rural wards are named in place");
        for w in 0..wards.len() {
            let named = l.names.iter().any(|n| n.0 == w);
            let numbered = l.markers.iter().any(|m| m.ward == w);
            assert!(
                named ^ numbered,
                "ward {w}: named {named}, numbered {numbered}"
            );
        }
        assert_eq!(l.sectors.len(), 3, "every sector named on the map");
        // The key: each sector once, each ward once, numbered 1..n.
        let mut numbers: Vec<usize> = l.key.iter().map(|k| k.1).filter(|&n| n > 0).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=wards.len()).collect::<Vec<_>>());
        for m in &l.markers {
            let (it, n, _) = l.key.iter().find(|k| k.0 == KeyItem::Ward(m.ward)).unwrap();
            assert_eq!(*it, KeyItem::Ward(m.ward));
            assert_eq!(m.text, n.to_string(), "the map's number is the key's");
            assert!(within(&m.rect(), &map_box));
        }
        let boxes = l.boxes();
        for (i, a) in boxes.iter().enumerate() {
            assert!(
                a.2 <= 900.0 && a.3 <= f64::from(h),
                "box {a:?} off the chart"
            );
            for b in &boxes[i + 1..] {
                assert!(!overlaps(a, b), "labels overlap: {a:?} and {b:?}");
            }
        }
    }
}
