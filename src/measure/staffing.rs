//! Staffing (kpi `staffing`): the hours a week the scenario pays, their FTE and, with pay rates,
//! their cost; force-wide, by role and by role and team in the overall table, and for each
//! neighbourhood team by ward and role in the neighbourhood table. The figures are the
//! scenario's own (see [`crate::scenario::pay`]): the same in every replication, so their
//! intervals have no width.

use super::key::{Clock, KpiKey, Scope};
use super::{Emitter, Table};
use crate::scenario::Scenario;
use crate::scenario::pay::{self, Hours, Paid, Pay, ROLES};

/// The three figures of a group of people: hours paid, FTE and cost (None without rates).
#[derive(Clone, Copy, Default)]
struct Figures {
    hours: f64,
    fte: f64,
    cost: f64,
}

impl Figures {
    fn of(p: &Pay, role: usize, h: &Hours) -> Figures {
        Figures {
            hours: h.total(),
            fte: pay::fte(p, role, h),
            cost: p.cost(role, h).unwrap_or(f64::NAN),
        }
    }

    fn add(&mut self, o: &Figures) {
        self.hours += o.hours;
        self.fte += o.fte;
        self.cost += o.cost;
    }
}

/// The label of a role and team: `role/team` (split at the first `/`: roles have none).
pub fn role_team(role: &str, team: &str) -> String {
    format!("{role}/{team}")
}

fn key(scope: Scope, scope_value: String, statistic: &'static str) -> KpiKey {
    KpiKey {
        kpi: "staffing",
        scope: scope.name(),
        scope_value,
        clock: Clock::None.name(),
        statistic,
        target: None,
        required: None,
    }
}

/// Writes one group's rows: hours paid, FTE and, with rates, cost.
fn rows(e: &mut Emitter, table: Table, costed: bool, scope: Scope, label: &str, f: Figures) {
    let src: Option<()> = e.result().map(|_| ());
    e.row(
        table,
        || key(scope, label.to_string(), "fte"),
        src.as_ref(),
        |_| f.fte,
    );
    e.row(
        table,
        || key(scope, label.to_string(), "hours_paid_per_week"),
        src.as_ref(),
        |_| f.hours,
    );
    if costed {
        // To the penny.
        e.row(
            table,
            || key(scope, label.to_string(), "cost_per_week"),
            src.as_ref(),
            |_| (f.cost * 100.0).round() / 100.0,
        );
    }
}

pub(super) fn emit(sc: &Scenario, e: &mut Emitter) {
    let unpaid;
    let p = match &sc.pay {
        Some(p) => p,
        None => {
            unpaid = Pay::unpaid();
            &unpaid
        }
    };
    let costed = p.costed();
    let groups: Vec<(Paid, Figures)> = pay::paid(sc, p)
        .into_iter()
        .map(|g| {
            let f = Figures::of(p, g.role, &g.hours);
            (g, f)
        })
        .collect();
    if groups.is_empty() {
        return;
    }
    let mut force = Figures::default();
    let mut by_role = [None::<Figures>; ROLES.len()];
    for (g, f) in &groups {
        force.add(f);
        by_role[g.role].get_or_insert_with(Figures::default).add(f);
    }
    rows(e, Table::Overall, costed, Scope::Force, "all", force);
    for (k, f) in by_role.iter().enumerate() {
        if let Some(f) = f {
            rows(e, Table::Overall, costed, Scope::Role, ROLES[k], *f);
        }
    }
    // Teams, but for the neighbourhood teams: those are by ward, in the neighbourhood table.
    for (g, f) in groups.iter().filter(|(g, _)| g.ward.is_none()) {
        let label = role_team(ROLES[g.role], &g.team);
        rows(e, Table::Overall, costed, Scope::RoleTeam, &label, *f);
    }
    if !e.wants(Table::Hood) {
        return;
    }
    // Each ward's team: each role it has, then all of them.
    let mut ward: Option<(usize, &str, Figures)> = None;
    let all = |e: &mut Emitter, w: Option<(usize, &str, Figures)>| {
        if let Some((_, name, f)) = w {
            let label = super::ward_role(name, "all");
            rows(e, Table::Hood, costed, Scope::WardRole, &label, f);
        }
    };
    for (g, f) in &groups {
        let Some(w) = g.ward else { continue };
        if ward.is_some_and(|(x, _, _)| x != w) {
            all(e, ward.take());
        }
        ward.get_or_insert((w, &g.team, Figures::default()))
            .2
            .add(f);
        let label = super::ward_role(&g.team, ROLES[g.role]);
        rows(e, Table::Hood, costed, Scope::WardRole, &label, *f);
    }
    all(e, ward);
}
