//! A ward's boundary in kilometres: one or more polygons, each an outer ring with any holes,
//! and what sampling and locating need, computed once when the scenario is read.
//!
//! - Sampling: the shape is cut into triangles (ear clipping, holes included); a point is a
//!   triangle drawn by its area (Walker's alias table: one draw, no search) and then a point
//!   uniform in that triangle (two draws). So a ward of hundreds of vertices costs what a
//!   triangle does, and the points are exactly uniform over the shape.
//! - Locating: a grid over the bounding box, each cell filed as wholly outside, wholly inside,
//!   or near an edge. A point in a cell of the first two kinds costs a look-up. A point in a
//!   cell near an edge takes the even-odd ray test along its row only as far as the first cell
//!   with no edge near it (rightwards or leftwards, whichever has fewer edges to test), and that
//!   cell's side: the parity of the whole ray is the parity up to that cell and beyond it, and
//!   beyond it is that cell's own. Each edge is tested with the same arithmetic as walking the
//!   whole boundary, so the answers are the same, points on edges and vertices included.

use serde::Serialize;

mod grid;
use grid::{Near, build_grid, cell_of, near_test};

pub type Point = (f64, f64);
/// Rings of one polygon: the outer ring first, then its holes.
pub type Polygon = Vec<Vec<Point>>;

#[derive(Clone, Debug, Serialize)]
pub struct Shape {
    /// The outer ring of the first polygon (the whole boundary of a shape with one ring).
    pub vertices: Vec<Point>,
    pub min: Point,
    pub max: Point,
    /// Every polygon with its holes, when the shape has holes or more than one polygon.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Polygon>,
    #[serde(skip)]
    index: Index,
}

#[derive(Clone, Debug, Default)]
struct Index {
    area: f64,
    centroid: Point,
    /// Triangles (counter-clockwise) and the alias table that draws one by its area.
    triangles: Vec<[Point; 3]>,
    /// The alias table, slot by slot, and each triangle as a corner and its two sides from it.
    slots: Vec<Slot>,
    slots_f: f64,
    spans: Vec<[f64; 6]>,
    /// Locating: a grid of `nx` by `ny` cells (`cx`, `cy` cells per km), cell (i, j) centred
    /// on (ox + i / cx, oy + j / cy), one cell wider on every side than the bounding box. Each
    /// cell is 0 (wholly outside), 1 (wholly inside) or 2 + the number of its entry in `near`:
    /// an edge passes through it or within a thousandth of a cell of it.
    nx: usize,
    ny: usize,
    ox: f64,
    oy: f64,
    cx: f64,
    cy: f64,
    cells: Vec<u32>,
    near: Vec<Near>,
    /// The edges [ax, ay, bx, by] that entries of `near` test, in runs.
    edges: Vec<[f64; 4]>,
}

/// One slot of the alias table: its own triangle with probability `prob`, else `alias`.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    prob: f64,
    alias: u32,
}

/// Twice the signed area of a ring (positive when counter-clockwise).
fn twice_signed_area(ring: &[Point]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

/// A ring's area and the area-weighted sum of its centroid (x A, y A), both signed as the
/// ring turns.
fn ring_moments(ring: &[Point]) -> (f64, f64, f64) {
    let n = ring.len();
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    // About the first vertex, for precision far from the origin.
    let o = ring[0];
    for i in 0..n {
        let (p, q) = (ring[i], ring[(i + 1) % n]);
        let (px, py, qx, qy) = (p.0 - o.0, p.1 - o.1, q.0 - o.0, q.1 - o.1);
        let cross = px * qy - qx * py;
        a += cross;
        cx += (px + qx) * cross;
        cy += (py + qy) * cross;
    }
    let area = a / 2.0;
    (area, cx / 6.0 + o.0 * area, cy / 6.0 + o.1 * area)
}

fn orient(a: Point, b: Point, c: Point) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Whether segments ab and cd cross at a point inside both (touching at an end, or running
/// along each other, is not crossing).
fn cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    let (d1, d2) = (orient(a, b, c), orient(a, b, d));
    let (d3, d4) = (orient(c, d, a), orient(c, d, b));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

impl Shape {
    /// The area of one ring (shoelace formula), whatever the direction of its vertices.
    pub fn area(vertices: &[Point]) -> f64 {
        twice_signed_area(vertices).abs() / 2.0
    }

    /// A shape of polygons (each its outer ring, then its holes), in km. A ring may repeat its
    /// first point at its end. Refused, with the reason: a ring of fewer than 3 points, a
    /// coordinate that is not finite, a ring that crosses itself or another ring of the shape,
    /// or no area.
    pub fn new(polygons: Vec<Polygon>) -> Result<Shape, String> {
        let mut polygons = polygons;
        for poly in &mut polygons {
            for ring in poly.iter_mut() {
                if ring.len() > 1 && ring.first() == ring.last() {
                    ring.pop();
                }
                ring.dedup();
            }
        }
        if polygons.is_empty() || polygons.iter().any(|p| p.is_empty()) {
            return Err("the shape has no polygon".into());
        }
        for (k, poly) in polygons.iter().enumerate() {
            for (r, ring) in poly.iter().enumerate() {
                let which = ring_name(k, r);
                if ring.len() < 3 {
                    return Err(format!("{which} has fewer than 3 distinct points"));
                }
                if !ring.iter().all(|p| p.0.is_finite() && p.1.is_finite()) {
                    return Err(format!(
                        "{which} has a coordinate that is not a finite number"
                    ));
                }
            }
        }
        if let Some((a, b)) = first_crossing(&polygons) {
            return Err(if a == b {
                format!("{a} crosses itself: give a simple ring")
            } else {
                format!("{a} crosses {b}: rings may touch but not cross")
            });
        }
        let mut area = 0.0;
        let (mut mx, mut my) = (0.0, 0.0);
        for poly in &polygons {
            for (r, ring) in poly.iter().enumerate() {
                let (a, x, y) = ring_moments(ring);
                // The outer ring counts, holes are taken away, whichever way they turn.
                let s = if (r == 0) == (a > 0.0) { 1.0 } else { -1.0 };
                area += s * a;
                mx += s * x;
                my += s * y;
            }
        }
        if !(area.is_finite() && area > 0.0) {
            return Err("the shape encloses no area".into());
        }
        let all = || polygons.iter().flatten().flatten();
        let min = all().fold((f64::MAX, f64::MAX), |m, p| (m.0.min(p.0), m.1.min(p.1)));
        let max = all().fold((f64::MIN, f64::MIN), |m, p| (m.0.max(p.0), m.1.max(p.1)));
        let triangles = triangulate(&polygons)?;
        let tri_area: f64 = triangles
            .iter()
            .map(|t| orient(t[0], t[1], t[2]) / 2.0)
            .sum();
        if (tri_area - area).abs() > 1e-6 * area {
            return Err(format!(
                "the shape could not be cut into triangles that cover it (their area {tri_area:.6} km2, the shape's {area:.6} km2): check that holes lie inside their outer ring and that no polygons overlap"
            ));
        }
        let weights: Vec<f64> = triangles.iter().map(|t| orient(t[0], t[1], t[2])).collect();
        let (prob, alias) = alias_table(&weights);
        let mut index = Index {
            area,
            centroid: (mx / area, my / area),
            slots: prob
                .iter()
                .zip(&alias)
                .map(|(&prob, &alias)| Slot { prob, alias })
                .collect(),
            slots_f: prob.len() as f64,
            spans: triangles
                .iter()
                .map(|&[a, b, c]| [a.0, a.1, b.0 - a.0, b.1 - a.1, c.0 - a.0, c.1 - a.1])
                .collect(),
            triangles,
            ..Index::default()
        };
        build_grid(&mut index, &polygons, min, max);
        let simple = polygons.len() == 1 && polygons[0].len() == 1;
        let shape = Shape {
            vertices: polygons[0][0].clone(),
            min,
            max,
            parts: if simple { Vec::new() } else { polygons },
            index,
        };
        Ok(shape)
    }

    /// Every polygon of the shape, each its outer ring then its holes.
    pub fn polygons(&self) -> Vec<Polygon> {
        if self.parts.is_empty() {
            vec![vec![self.vertices.clone()]]
        } else {
            self.parts.clone()
        }
    }

    /// The area enclosed, holes taken away (km2).
    pub fn area_km2(&self) -> f64 {
        self.index.area
    }

    /// The centre of area.
    pub fn centroid(&self) -> Point {
        self.index.centroid
    }

    /// The triangles the shape is cut into (counter-clockwise).
    pub fn triangles(&self) -> &[[Point; 3]] {
        &self.index.triangles
    }

    /// Whether `p` is inside: the even-odd ray test, by the grid (see [`Index`]); a point
    /// exactly on an edge may go either way, as it would walking every edge.
    #[inline]
    pub fn contains(&self, p: Point) -> bool {
        let ix = &self.index;
        let (i, j) = (cell_of(p.0, ix.ox, ix.cx), cell_of(p.1, ix.oy, ix.cy));
        if i >= ix.nx as u64 || j >= ix.ny as u64 {
            return false;
        }
        let c = ix.cells[j as usize * ix.nx + i as usize];
        if c < 2 {
            return c == 1;
        }
        near_test(ix, &ix.near[(c - 2) as usize], p)
    }

    /// As [`Shape::contains`], walking every edge of every ring (for checking the index).
    pub fn contains_by_walking(&self, p: Point) -> bool {
        let mut inside = false;
        for poly in self.polygons() {
            for ring in &poly {
                let n = ring.len();
                for i in 0..n {
                    let (a, b) = (ring[i], ring[(i + 1) % n]);
                    if crosses_ray(&[a.0, a.1, b.0, b.1], p) {
                        inside = !inside;
                    }
                }
            }
        }
        inside
    }

    /// A point uniform over the shape: a triangle by its area, then uniform in it (three draws).
    #[inline]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> Point {
        let ix = &self.index;
        let n = ix.slots.len();
        let u = unit(rng) * ix.slots_f;
        let k = (u as u32 as usize).min(n - 1);
        let slot = &ix.slots[k];
        let t = if u - (k as f64) < slot.prob {
            k
        } else {
            slot.alias as usize
        };
        let [ax, ay, bx, by, cx, cy] = ix.spans[t];
        let (mut s, mut r) = (unit(rng), unit(rng));
        if s + r > 1.0 {
            (s, r) = (1.0 - s, 1.0 - r);
        }
        (ax + s * bx + r * cx, ay + s * by + r * cy)
    }

    /// The area (km2) that this shape and `other` both cover: the sum of the overlaps of their
    /// triangles, each clipped against the other.
    pub fn overlap_km2(&self, other: &Shape) -> f64 {
        let lo = (self.min.0.max(other.min.0), self.min.1.max(other.min.1));
        let hi = (self.max.0.min(other.max.0), self.max.1.min(other.max.1));
        if lo.0 >= hi.0 || lo.1 >= hi.1 {
            return 0.0;
        }
        let near = |s: &Shape| -> Vec<([Point; 3], Point, Point)> {
            s.index
                .triangles
                .iter()
                .map(|t| (*t, tri_min(t), tri_max(t)))
                .filter(|(_, a, b)| a.0 < hi.0 && b.0 > lo.0 && a.1 < hi.1 && b.1 > lo.1)
                .collect()
        };
        let (mine, theirs) = (near(self), near(other));
        // Their triangles by least x, so that each of mine looks only at those starting before
        // it ends; the ones it meets are then summed in their own order, as a plain double loop
        // would sum them (the same area to the bit).
        let mut order: Vec<u32> = (0..theirs.len() as u32).collect();
        order.sort_by(|&i, &j| theirs[i as usize].1.0.total_cmp(&theirs[j as usize].1.0));
        let starts: Vec<f64> = order.iter().map(|&i| theirs[i as usize].1.0).collect();
        let mut hits: Vec<u32> = Vec::new();
        let mut total = 0.0;
        for (t, a0, a1) in &mine {
            let end = starts.partition_point(|&x| x < a1.0);
            hits.clear();
            hits.extend(order[..end].iter().copied().filter(|&i| {
                let (_, b0, b1) = &theirs[i as usize];
                a0.0 < b1.0 && a0.1 < b1.1 && b0.1 < a1.1
            }));
            hits.sort_unstable();
            for &i in &hits {
                total += clipped_area(t, &theirs[i as usize].0);
            }
        }
        total
    }
}

/// A uniform draw in [0, 1): the same number as `rng.random::<f64>()` (the top 53 bits of the
/// next u64, times 2^-53), converted from a signed integer, which is one instruction.
#[inline]
fn unit<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn ring_name(polygon: usize, ring: usize) -> String {
    match ring {
        0 => format!("the outer ring of polygon {}", polygon + 1),
        r => format!("hole {r} of polygon {}", polygon + 1),
    }
}

/// The ray test of one edge [ax, ay, bx, by]: whether the ray from `p` towards +x crosses it.
#[inline]
fn crosses_ray(e: &[f64; 4], p: Point) -> bool {
    (e[1] > p.1) != (e[3] > p.1) && p.0 < (e[2] - e[0]) * (p.1 - e[1]) / (e[3] - e[1]) + e[0]
}

/// The first two rings (named) that cross, the same ring twice when it crosses itself.
fn first_crossing(polygons: &[Polygon]) -> Option<(String, String)> {
    // Every edge with its ring and place, swept in order of its left end.
    struct Edge {
        a: Point,
        b: Point,
        ring: (usize, usize),
        i: usize,
        n: usize,
    }
    let mut edges = Vec::new();
    for (k, poly) in polygons.iter().enumerate() {
        for (r, ring) in poly.iter().enumerate() {
            let n = ring.len();
            for i in 0..n {
                edges.push(Edge {
                    a: ring[i],
                    b: ring[(i + 1) % n],
                    ring: (k, r),
                    i,
                    n,
                });
            }
        }
    }
    let left = |e: &Edge| e.a.0.min(e.b.0);
    edges.sort_by(|x, y| left(x).total_cmp(&left(y)));
    for (j, e) in edges.iter().enumerate() {
        let right = e.a.0.max(e.b.0);
        for f in &edges[j + 1..] {
            if left(f) > right {
                break;
            }
            let adjacent = e.ring == f.ring && ((e.i + 1) % e.n == f.i || (f.i + 1) % f.n == e.i);
            if !adjacent && cross(e.a, e.b, f.a, f.b) {
                return Some((ring_name(e.ring.0, e.ring.1), ring_name(f.ring.0, f.ring.1)));
            }
        }
    }
    None
}

/// The shape cut into counter-clockwise triangles, polygon by polygon (ear clipping with holes).
fn triangulate(polygons: &[Polygon]) -> Result<Vec<[Point; 3]>, String> {
    let mut out = Vec::new();
    for (k, poly) in polygons.iter().enumerate() {
        // About the polygon's first point, for precision.
        let o = poly[0][0];
        let mut flat = Vec::new();
        let mut holes = Vec::new();
        let mut points = Vec::new();
        for (r, ring) in poly.iter().enumerate() {
            if r > 0 {
                holes.push(flat.len() / 2);
            }
            for p in ring {
                flat.push(p.0 - o.0);
                flat.push(p.1 - o.1);
                points.push(*p);
            }
        }
        let idx = earcutr::earcut(&flat, &holes, 2)
            .map_err(|e| format!("polygon {} could not be cut into triangles ({e:?})", k + 1))?;
        for t in idx.chunks_exact(3) {
            let (a, b, c) = (points[t[0]], points[t[1]], points[t[2]]);
            let o = orient(a, b, c);
            if o > 0.0 {
                out.push([a, b, c]);
            } else if o < 0.0 {
                out.push([a, c, b]);
            }
        }
    }
    if out.is_empty() {
        return Err("the shape could not be cut into triangles (it encloses no area)".into());
    }
    Ok(out)
}

/// Walker's alias table for drawing an index by weight in one uniform draw (Vose's method,
/// in a fixed order so that the table is the same everywhere).
fn alias_table(w: &[f64]) -> (Vec<f64>, Vec<u32>) {
    let n = w.len();
    let total: f64 = w.iter().sum();
    let mut scaled: Vec<f64> = w.iter().map(|x| x * n as f64 / total).collect();
    let mut prob = vec![1.0; n];
    let mut alias: Vec<u32> = (0..n as u32).collect();
    let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| scaled[i] < 1.0);
    while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
        prob[s] = scaled[s];
        alias[s] = l as u32;
        scaled[l] -= 1.0 - scaled[s];
        if scaled[l] < 1.0 {
            large.pop();
            small.push(l);
        }
    }
    // What is left has weight 1 up to rounding.
    (prob, alias)
}

fn tri_min(t: &[Point; 3]) -> Point {
    (
        t[0].0.min(t[1].0).min(t[2].0),
        t[0].1.min(t[1].1).min(t[2].1),
    )
}

fn tri_max(t: &[Point; 3]) -> Point {
    (
        t[0].0.max(t[1].0).max(t[2].0),
        t[0].1.max(t[1].1).max(t[2].1),
    )
}

/// The area of triangle `t` clipped by triangle `u` (both counter-clockwise; Sutherland and
/// Hodgman).
fn clipped_area(t: &[Point; 3], u: &[Point; 3]) -> f64 {
    // A triangle clipped by three half-planes has at most 6 corners; room for the most that
    // rounding could ever make (each clip at most doubles them: 3, 6, 12, 24).
    let mut poly = [(0.0, 0.0); 24];
    let mut next = [(0.0, 0.0); 24];
    poly[..3].copy_from_slice(t);
    let mut n = 3;
    for i in 0..3 {
        let (a, b) = (u[i], u[(i + 1) % 3]);
        let mut m = 0;
        for j in 0..n {
            let (p, q) = (poly[j], poly[(j + 1) % n]);
            let (sp, sq) = (orient(a, b, p), orient(a, b, q));
            if sp >= 0.0 {
                next[m] = p;
                m += 1;
            }
            if (sp >= 0.0) != (sq >= 0.0) {
                let s = sp / (sp - sq);
                next[m] = (p.0 + s * (q.0 - p.0), p.1 + s * (q.1 - p.1));
                m += 1;
            }
        }
        if m < 3 {
            return 0.0;
        }
        std::mem::swap(&mut poly, &mut next);
        n = m;
    }
    twice_signed_area(&poly[..n]) / 2.0
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(super) fn square(x0: f64, y0: f64, s: f64) -> Vec<Point> {
        vec![(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s)]
    }

    #[test]
    fn a_square_with_a_hole_has_the_hand_computed_area_and_centroid() {
        // 4 x 4 square at the origin, a 1 x 1 hole at (2, 2)-(3, 3): area 16 - 1 = 15;
        // centroid x = (16 x 2 - 1 x 2.5) / 15 = 29.5 / 15, the same for y.
        let s = Shape::new(vec![vec![square(0.0, 0.0, 4.0), square(2.0, 2.0, 1.0)]]).unwrap();
        assert!((s.area_km2() - 15.0).abs() < 1e-12);
        let c = s.centroid();
        assert!((c.0 - 29.5 / 15.0).abs() < 1e-12 && (c.1 - 29.5 / 15.0).abs() < 1e-12);
        // The hole's middle is outside, the ring around it inside.
        assert!(!s.contains((2.5, 2.5)));
        assert!(s.contains((1.5, 2.5)));
        let tri: f64 = s
            .triangles()
            .iter()
            .map(|t| orient(t[0], t[1], t[2]) / 2.0)
            .sum();
        assert!((tri - 15.0).abs() < 1e-9);
    }

    #[test]
    fn a_multipolygon_has_the_hand_computed_area_and_centroid() {
        // A 2 x 2 square at (0, 0) and a right triangle (10, 0), (13, 0), (10, 3) of area 4.5
        // and centroid (11, 1): area 8.5, centroid x = (4 x 1 + 4.5 x 11) / 8.5, y =
        // (4 x 1 + 4.5 x 1) / 8.5 = 1. The triangle is given clockwise, closed.
        let s = Shape::new(vec![
            vec![square(0.0, 0.0, 2.0)],
            vec![vec![(10.0, 0.0), (10.0, 3.0), (13.0, 0.0), (10.0, 0.0)]],
        ])
        .unwrap();
        assert!((s.area_km2() - 8.5).abs() < 1e-12);
        let c = s.centroid();
        assert!((c.0 - 53.5 / 8.5).abs() < 1e-12, "{c:?}");
        assert!((c.1 - 1.0).abs() < 1e-12, "{c:?}");
        assert!(s.contains((11.0, 1.0)) && s.contains((1.0, 1.0)) && !s.contains((5.0, 1.0)));
    }

    #[test]
    fn a_bow_tie_and_a_hole_crossing_its_ring_are_refused() {
        let bow = vec![(0.0, 0.0), (2.0, 2.0), (2.0, 0.0), (0.0, 2.0)];
        let e = Shape::new(vec![vec![bow]]).unwrap_err();
        assert!(e.contains("crosses itself"), "{e}");
        let e = Shape::new(vec![vec![square(0.0, 0.0, 4.0), square(3.0, 1.0, 2.0)]]).unwrap_err();
        assert!(e.contains("hole 1 of polygon 1"), "{e}");
        let e = Shape::new(vec![vec![vec![(0.0, 0.0), (1.0, 0.0)]]]).unwrap_err();
        assert!(e.contains("fewer than 3"), "{e}");
    }

    #[test]
    fn overlapping_squares_overlap_by_the_hand_computed_area() {
        // [0,4]^2 and [3,6]x[2,5]: the overlap is [3,4]x[2,4] = 2 km2.
        let a = Shape::new(vec![vec![square(0.0, 0.0, 4.0)]]).unwrap();
        let b = Shape::new(vec![vec![square(3.0, 2.0, 3.0)]]).unwrap();
        assert!((a.overlap_km2(&b) - 2.0).abs() < 1e-9);
        assert!((b.overlap_km2(&a) - 2.0).abs() < 1e-9);
        // Neighbours sharing an edge do not overlap.
        let c = Shape::new(vec![vec![square(4.0, 0.0, 4.0)]]).unwrap();
        assert!(a.overlap_km2(&c).abs() < 1e-12);
    }

    #[test]
    fn the_alias_table_draws_each_index_by_its_weight() {
        // The probability of index i is (prob[i] + the sum of (1 - prob[j]) over j aliased
        // to i) / n.
        let w = [1.0, 2.0, 3.0, 0.5, 3.5];
        let (prob, alias) = alias_table(&w);
        let n = w.len() as f64;
        let total: f64 = w.iter().sum();
        for i in 0..w.len() {
            let mut p = prob[i];
            for j in 0..w.len() {
                if alias[j] as usize == i && j != i {
                    p += 1.0 - prob[j];
                }
            }
            assert!((p / n - w[i] / total).abs() < 1e-12, "index {i}: {}", p / n);
        }
    }

    /// Shapes to check the grid on: an L, a square with a hole, two polygons (one given
    /// clockwise), and a zig-zag star of 90 vertices with a hole.
    pub(super) fn shapes() -> Vec<Shape> {
        let l = vec![
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 1.0),
            (1.0, 1.0),
            (1.0, 3.0),
            (0.0, 3.0),
        ];
        let star: Vec<Point> = (0..90)
            .map(|i| {
                let a = i as f64 / 90.0 * std::f64::consts::TAU;
                let r = 4.0 + 0.6 * (7.0 * a).sin() + 0.2 * ((i % 3) as f64);
                (5.0 + r * a.cos(), 5.0 + r * a.sin())
            })
            .collect();
        vec![
            Shape::new(vec![vec![l]]).unwrap(),
            Shape::new(vec![vec![square(0.0, 0.0, 4.0), square(2.0, 2.0, 1.0)]]).unwrap(),
            Shape::new(vec![
                vec![square(0.0, 0.0, 2.0)],
                vec![vec![(10.0, 0.0), (10.0, 3.0), (13.0, 0.0)]],
            ])
            .unwrap(),
            Shape::new(vec![vec![star, square(4.5, 4.5, 1.0)]]).unwrap(),
        ]
    }

    #[test]
    fn sampling_draws_the_points_it_always_drew() {
        // The same numbers as drawing with `random::<f64>()`, the triangle by the alias table
        // and the point by two more draws, folded into the triangle's half of the
        // parallelogram: shipped results depend on them.
        use rand::RngExt;
        for s in shapes() {
            let ix = &s.index;
            let (mut r1, mut r2) = (crate::rng::rng(3, 64), crate::rng::rng(3, 64));
            for _ in 0..10_000 {
                let n = ix.triangles.len();
                let u = r2.random::<f64>() * n as f64;
                let k = (u as usize).min(n - 1);
                let t = if u - (k as f64) < ix.slots[k].prob {
                    k
                } else {
                    ix.slots[k].alias as usize
                };
                let [a, b, c] = ix.triangles[t];
                let (mut p, mut q): (f64, f64) = (r2.random(), r2.random());
                if p + q > 1.0 {
                    (p, q) = (1.0 - p, 1.0 - q);
                }
                let want = (
                    a.0 + p * (b.0 - a.0) + q * (c.0 - a.0),
                    a.1 + p * (b.1 - a.1) + q * (c.1 - a.1),
                );
                assert_eq!(s.sample(&mut r1), want);
            }
        }
    }
}
