//! Validation of `[pay]`: each role's rates and contracted week, and the unsocial-hours window;
//! then, with the rest of the scenario validated, that every role it pays has a rate when any
//! role has one.

use super::check::Check;
use crate::scenario::Scenario;
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::pay::{self, DEFAULT_OVERTIME, DEFAULT_UNSOCIAL, Pay, ROLES};

/// The highest base rate, in pounds an hour (far above any real one: a typo's guard).
pub const MAX_BASE: f64 = 1_000_000.0;
/// The highest enhancement (a share of the base rate) and overtime multiple.
pub const MAX_ENHANCEMENT: f64 = 5.0;

pub(super) fn pay(c: &mut Check, f: &ScenarioFile) -> Option<Pay> {
    let pf = f.pay.as_ref()?;
    let pp = FieldPath::root().key("pay");
    let mut out = Pay::unpaid();
    out.unsocial_from = pf.unsocial_from.unwrap_or(DEFAULT_UNSOCIAL.0);
    out.unsocial_to = pf.unsocial_to.unwrap_or(DEFAULT_UNSOCIAL.1);
    if out.unsocial_from == out.unsocial_to {
        c.bad(
            &pp.key(if pf.unsocial_to.is_some() {
                "unsocial_to"
            } else {
                "unsocial_from"
            }),
            format!(
                "the unsocial-hours window from \"{}\" to \"{}\" is empty: give two different times (for no unsocial enhancement, set a role's `unsocial = 0`)",
                out.unsocial_from, out.unsocial_to
            ),
        );
    }
    for (name, r) in &pf.roles {
        let rp = pp.key("roles").key(name);
        let Some(k) = ROLES.iter().position(|x| x == name) else {
            c.bad(
                &rp,
                format!("unknown role \"{name}\"; allowed: {}", ROLES.join(", ")),
            );
            continue;
        };
        let role = &mut out.roles[k];
        if let Some(b) = r.base {
            if !(b.is_finite() && (0.0..=MAX_BASE).contains(&b)) {
                c.bad(
                    &rp.key("base"),
                    format!(
                        "a pay rate must be a number of pounds an hour from 0 to 1,000,000 (got {b})"
                    ),
                );
            }
            role.base = Some(b);
        }
        for (key, v, slot) in [
            ("unsocial", r.unsocial, &mut role.unsocial),
            ("weekend", r.weekend, &mut role.weekend),
        ] {
            if let Some(v) = v {
                if !(v.is_finite() && (0.0..=MAX_ENHANCEMENT).contains(&v)) {
                    c.bad(
                        &rp.key(key),
                        format!(
                            "an enhancement is a share of the base rate from 0 to 5 (0.2 adds 20%) (got {v})"
                        ),
                    );
                }
                *slot = v;
            }
        }
        if let Some(o) = r.overtime {
            if !(o.is_finite() && (1.0..=MAX_ENHANCEMENT).contains(&o)) {
                c.bad(
                    &rp.key("overtime"),
                    format!(
                        "the overtime rate is a multiple of the base rate from 1 to 5 (1.5 is time and a half) (got {o})"
                    ),
                );
            }
        }
        role.overtime = r.overtime.unwrap_or(DEFAULT_OVERTIME);
        if let Some(h) = r.contracted_hours {
            if !(h.is_finite() && h > 0.0 && h <= 80.0) {
                c.bad(
                    &rp.key("contracted_hours"),
                    format!("must be above 0 and at most 80 hours a week (got {h})"),
                );
            }
            role.contracted_hours = h;
        }
    }
    Some(out)
}

/// With a rate for any role, every role the scenario pays needs one: a cost without some of
/// the people would be wrong without saying so.
pub(super) fn rates_complete(c: &mut Check, sc: &Scenario) {
    let Some(p) = &sc.pay else { return };
    if !p.costed() {
        return;
    }
    let mut hours = [0.0; ROLES.len()];
    for g in pay::paid(sc, p) {
        hours[g.role] += g.hours.total();
    }
    let rp = FieldPath::root().key("pay").key("roles");
    let given: Vec<&str> = p
        .roles
        .iter()
        .filter(|r| r.base.is_some())
        .map(|r| r.role)
        .collect();
    for (k, role) in ROLES.iter().enumerate() {
        if hours[k] > 0.0 && p.roles[k].base.is_none() {
            c.bad(
                &rp.key(role).key("base"),
                format!(
                    "no pay rate for role \"{role}\", which the scenario pays for {:.1} hours a week: with rates for {} every role paid needs a `base` (0 to leave its cost out)",
                    hours[k],
                    given.join(", ")
                ),
            );
        }
    }
}
