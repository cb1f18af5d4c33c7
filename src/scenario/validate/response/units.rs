//! Response units: constant numbers per sector, and shifts (inline or from shifts_file).

use super::sectors::Names;
use crate::scenario::Shift;
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::{Sector, UnitShift};
use crate::scenario::validate::check::{Check, days, inline_and_csv};
use crate::time::DAY;

/// The units on at every hour in each sector, and the units' shifts.
pub(super) fn units(
    c: &mut Check,
    f: &ScenarioFile,
    names: &Names,
    sectors: &[Sector],
) -> (Vec<u32>, Vec<UnitShift>) {
    let root = FieldPath::root();
    let sector_names = &names.list;
    let up = root.key("roster").key("units");
    let mut constant_units = vec![0u32; sectors.len()];
    let mut unit_shifts = Vec::new();
    if let Some(u) = &f.roster.units {
        for (name, n) in &u.constant {
            match names.index(name) {
                Some(s) if (0..=100_000).contains(n) => constant_units[s] = *n as u32,
                Some(_) => c.bad(
                    &up.key("constant").key(name),
                    format!("must be a whole number from 0 to 100000 (got {n})"),
                ),
                None => c.bad(
                    &up.key("constant").key(name),
                    format!("unknown sector \"{name}\"; the sectors are: {sector_names}"),
                ),
            }
        }
        let all = inline_and_csv(
            c,
            &up.key("shifts"),
            &u.shifts,
            &up.key("shifts_file"),
            u.shifts_file.as_deref(),
            crate::scenario::csv::read_unit_shifts,
        );
        for (i, (sp, at, s)) in all.iter().enumerate() {
            let from_csv = !at.is_empty();
            let field = |k: &str| if from_csv { sp.clone() } else { sp.key(k) };
            let Some(sector) = names.index(&s.sector) else {
                c.bad(
                    &field("sector"),
                    format!(
                        "{at}unknown sector \"{}\"; the sectors are: {sector_names}",
                        s.sector
                    ),
                );
                continue;
            };
            if !(1..=100_000).contains(&s.count) {
                c.bad(
                    &field("count"),
                    format!("{at}a shift needs at least 1 unit (got {})", s.count),
                );
            }
            let crew = s.crew.unwrap_or(1);
            if !(1..=2).contains(&crew) {
                c.bad(
                    &field("crew"),
                    format!("{at}crew must be 1 (single) or 2 (double crewed) (got {crew})"),
                );
            }
            if s.length.0 == 0 || s.length.0 > DAY {
                c.bad(
                    &field("length"),
                    format!(
                        "{at}a shift's length must be more than 0 and at most 24h (got {})",
                        s.length
                    ),
                );
            }
            unit_shifts.push(UnitShift {
                sector,
                crew: crew.clamp(1, 2) as u32,
                team: None,
                shift: Shift {
                    name: s.name.clone().unwrap_or_else(|| format!("units {}", i + 1)),
                    start: s.start,
                    length: s.length,
                    days: days(c, &field("days"), s.days.as_deref()),
                    count: s.count.clamp(1, 100_000) as u32,
                    dedicated_999: 0,
                    breaks: Vec::new(),
                },
            });
        }
    }
    (constant_units, unit_shifts)
}
