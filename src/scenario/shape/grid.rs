//! The grid that locates points in a shape (see the parent module): built once, looked up per
//! point.

use super::{Index, Point, Polygon};

/// What a cell that edges pass near needs for the ray test: the edges `edges[lo..hi]`, whether
/// the ray looks right (towards +x) or left, and whether the first cell with no edge that way
/// along its row is inside (false past the grid's end).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Near {
    lo: u32,
    hi: u32,
    right: bool,
    inside: bool,
}

/// 1.5 x 2^52: added to a number of magnitude below 2^31, it leaves that number rounded to an
/// integer in the low bits.
const ROUND: f64 = 6_755_399_441_055_744.0;

/// The grid cell (column or row) of coordinate `v`: (v - origin) x per_km rounded to the nearest
/// integer, as a wrapped u64 (a negative cell is past any grid; so are NaN and the infinities).
/// Monotone in `v`, which is all the grid needs.
#[inline]
pub(super) fn cell_of(v: f64, origin: f64, per_km: f64) -> u64 {
    ((v - origin) * per_km + ROUND)
        .to_bits()
        .wrapping_sub(ROUND.to_bits())
}

/// The ray test of a point in a cell that edges pass near: the status of the first cell with no
/// edge along the row (towards +x or -x), changed by every edge of the list that crosses the
/// row between the point and that cell.
#[inline]
pub(super) fn near_test(ix: &Index, n: &Near, p: Point) -> bool {
    let mut inside = n.inside;
    for e in &ix.edges[n.lo as usize..n.hi as usize] {
        if (e[1] > p.1) != (e[3] > p.1) {
            let x = (e[2] - e[0]) * (p.1 - e[1]) / (e[3] - e[1]) + e[0];
            if (p.0 < x) == n.right {
                inside = !inside;
            }
        }
    }
    inside
}

/// Builds the grid that locates points (see [`Index`]).
pub(super) fn build_grid(ix: &mut Index, polygons: &[Polygon], min: Point, max: Point) {
    let edges: Vec<[f64; 4]> = polygons
        .iter()
        .flatten()
        .flat_map(|ring| {
            let n = ring.len();
            (0..n).map(move |i| {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                [a.0, a.1, b.0, b.1]
            })
        })
        .collect();
    let (w, h) = (max.0 - min.0, max.1 - min.1);
    // About 16 cells an edge, as square as the box allows.
    let cells = (16.0 * edges.len() as f64).clamp(16.0, (1 << 20) as f64);
    let nx = (cells * w / h).sqrt().ceil().clamp(1.0, 2048.0) as usize;
    let ny = (cells * h / w).sqrt().ceil().clamp(1.0, 2048.0) as usize;
    let (cx, cy) = (nx as f64 / w, ny as f64 / h);
    // Cell i of a row is centred on ox + i / cx: a cell more on each side than the box needs,
    // so that every point of the box falls in the grid however the last bits round.
    let (ox, oy) = (min.0 - 0.5 / cx, min.1 - 0.5 / cy);
    let (nx, ny) = (nx + 2, ny + 2);
    // Edges are filed in every cell they pass within `delta` of: far more than the rounding of
    // any coordinate, far less than a cell.
    let scale = min
        .0
        .abs()
        .max(min.1.abs())
        .max(max.0.abs())
        .max(max.1.abs());
    let delta = (1e-3 / cx.max(cy)).max(1e-9 * (1.0 + scale));
    let col = |x: f64| (cell_of(x, ox, cx) as i64).clamp(0, nx as i64 - 1) as u32;
    let row = |y: f64| (cell_of(y, oy, cy) as i64).clamp(0, ny as i64 - 1) as u32;
    // (row, first cell, last cell, edge): the cells of a row that an edge passes near.
    let mut marks: Vec<(u32, u32, u32, u32)> = Vec::new();
    for (k, e) in edges.iter().enumerate() {
        let (ylo, yhi) = (e[1].min(e[3]), e[1].max(e[3]));
        for j in row(ylo - delta)..=row(yhi + delta) {
            let s0 = (oy + (j as f64 - 0.5) / cy - delta).max(ylo);
            let s1 = (oy + (j as f64 + 0.5) / cy + delta).min(yhi);
            let (x0, x1) = if e[1] == e[3] {
                (e[0].min(e[2]), e[0].max(e[2]))
            } else {
                let at = |y: f64| {
                    let t = ((y - e[1]) / (e[3] - e[1])).clamp(0.0, 1.0);
                    e[0] + t * (e[2] - e[0])
                };
                let (u, v) = (at(s0), at(s1));
                (u.min(v), u.max(v))
            };
            marks.push((j, col(x0 - delta), col(x1 + delta), k as u32));
        }
    }
    marks.sort_unstable();
    let mut grid = vec![0u32; nx * ny];
    let mut near = Vec::new();
    let mut listed: Vec<[f64; 4]> = Vec::new();
    let mut xs: Vec<f64> = Vec::new();
    let mut run: Vec<(u32, u32, u32)> = Vec::new();
    let mut m = 0;
    for j in 0..ny {
        let first = m;
        while m < marks.len() && marks[m].0 as usize == j {
            m += 1;
        }
        let row_marks = &marks[first..m];
        let cells = &mut grid[j * nx..(j + 1) * nx];
        const NEAR: u32 = u32::MAX;
        for &(_, c0, c1, _) in row_marks {
            cells[c0 as usize..=c1 as usize].fill(NEAR);
        }
        // The cells no edge comes near, by the ray test from their centres.
        let yc = oy + j as f64 / cy;
        xs.clear();
        for &(_, _, _, k) in row_marks {
            let e = &edges[k as usize];
            if (e[1] > yc) != (e[3] > yc) {
                xs.push((e[2] - e[0]) * (yc - e[1]) / (e[3] - e[1]) + e[0]);
            }
        }
        xs.sort_unstable_by(f64::total_cmp);
        let mut left_of = 0;
        for (i, c) in cells.iter_mut().enumerate() {
            if *c == NEAR {
                continue;
            }
            let xc = ox + i as f64 / cx;
            while left_of < xs.len() && xs[left_of] <= xc {
                left_of += 1;
            }
            *c = ((xs.len() - left_of) % 2) as u32;
        }
        // Runs of cells near edges: each cell takes the edges between it and the run's end on
        // the side with fewer of them.
        let mut i = 0;
        let mut r = 0;
        while i < nx {
            if cells[i] != NEAR {
                i += 1;
                continue;
            }
            let s = i;
            while i < nx && cells[i] == NEAR {
                i += 1;
            }
            let e = i;
            // The marks starting in the run (all of them lie in it).
            while r < row_marks.len() && (row_marks[r].1 as usize) < s {
                r += 1;
            }
            let r0 = r;
            while r < row_marks.len() && (row_marks[r].1 as usize) < e {
                r += 1;
            }
            run.clear();
            run.extend(row_marks[r0..r].iter().map(|&(_, c0, c1, k)| (c0, c1, k)));
            // Rightwards: by last cell, latest first; leftwards: by first cell (as sorted).
            let left_at = listed.len() as u32;
            listed.extend(run.iter().map(|&(_, _, k)| edges[k as usize]));
            let left_inside = s > 0 && cells[s - 1] == 1;
            let right_inside = e < nx && cells[e] == 1;
            run.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
            let right_at = listed.len() as u32;
            listed.extend(run.iter().map(|&(_, _, k)| edges[k as usize]));
            for (c, cell) in cells.iter_mut().enumerate().take(e).skip(s) {
                let nr = run.iter().take_while(|x| x.1 as usize >= c).count() as u32;
                let nl = row_marks[r0..r]
                    .iter()
                    .take_while(|x| x.1 as usize <= c)
                    .count() as u32;
                let entry = if nr <= nl {
                    Near {
                        lo: right_at,
                        hi: right_at + nr,
                        right: true,
                        inside: right_inside,
                    }
                } else {
                    Near {
                        lo: left_at,
                        hi: left_at + nl,
                        right: false,
                        inside: left_inside,
                    }
                };
                *cell = 2 + near.len() as u32;
                near.push(entry);
            }
        }
    }
    ix.nx = nx;
    ix.ny = ny;
    ix.ox = ox;
    ix.oy = oy;
    ix.cx = cx;
    ix.cy = cy;
    ix.cells = grid;
    ix.near = near;
    ix.edges = listed;
}

#[cfg(test)]
mod tests {
    use super::super::tests::shapes;
    use super::*;

    #[test]
    fn the_grid_locates_as_walking_every_edge_does() {
        use rand::RngExt;
        let mut rng = crate::rng::rng(7, 64);
        for (k, s) in shapes().iter().enumerate() {
            let ix = &s.index;
            let mut pts: Vec<Point> = Vec::new();
            // Every vertex, the middle of every edge, and the points where a vertex's x meets
            // another's y (on the boundary or level with a vertex).
            let vs: Vec<Point> = s.polygons().into_iter().flatten().flatten().collect();
            for ring in s.polygons().iter().flatten() {
                for (i, &a) in ring.iter().enumerate() {
                    let b = ring[(i + 1) % ring.len()];
                    pts.push(a);
                    pts.push(((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0));
                }
            }
            for a in vs.iter().step_by(3) {
                for b in vs.iter().step_by(5) {
                    pts.push((a.0, b.1));
                }
            }
            // The lines between cells and their crossings (every cell's corners), and each
            // cell's centre.
            let line_x = |i: usize| ix.ox + (i as f64 - 0.5) / ix.cx;
            let line_y = |j: usize| ix.oy + (j as f64 - 0.5) / ix.cy;
            for i in 0..=ix.nx {
                for j in 0..=ix.ny {
                    pts.push((line_x(i), line_y(j)));
                    pts.push((ix.ox + i as f64 / ix.cx, ix.oy + j as f64 / ix.cy));
                }
            }
            // Points on the lines between cells, and uniform points over the box and beyond.
            let (w, h) = (s.max.0 - s.min.0, s.max.1 - s.min.1);
            for _ in 0..20_000 {
                let (u, v): (f64, f64) = (rng.random(), rng.random());
                let p = (
                    s.min.0 - 0.2 * w + 1.4 * w * u,
                    s.min.1 - 0.2 * h + 1.4 * h * v,
                );
                pts.push(p);
                pts.push((line_x((u * ix.nx as f64) as usize), p.1));
                pts.push((p.0, line_y((v * ix.ny as f64) as usize)));
            }
            let mut on_grid = 0;
            for &p in &pts {
                assert_eq!(s.contains(p), s.contains_by_walking(p), "shape {k}, {p:?}");
                on_grid += usize::from(s.contains(p));
            }
            assert!(on_grid > 1000, "shape {k}: {on_grid} points inside");
            // Every cell filed as wholly inside or outside holds only such points.
            let mut filed = 0;
            for j in 0..ix.ny {
                for i in 0..ix.nx {
                    let c = ix.cells[j * ix.nx + i];
                    if c < 2 {
                        filed += 1;
                        let (x, y) = (ix.ox + i as f64 / ix.cx, ix.oy + j as f64 / ix.cy);
                        let (dx, dy) = (0.4999 / ix.cx, 0.4999 / ix.cy);
                        for p in [
                            (x, y),
                            (x - dx, y - dy),
                            (x + dx, y - dy),
                            (x - dx, y + dy),
                            (x + dx, y + dy),
                        ] {
                            assert_eq!(
                                s.contains_by_walking(p),
                                c == 1,
                                "shape {k}, cell ({i}, {j})"
                            );
                        }
                    }
                }
            }
            assert!(filed > 0, "shape {k}: no cell filed");
        }
    }
}
