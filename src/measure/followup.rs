//! Figures of follow-up work (T7, T9-T14): for each stream of deadline tasks, the share done
//! within its deadline, lateness, what is still open, and the backlog.

use super::key::{Clock, KpiKey, Scope};
use super::{Emitter, Figure, Table};
use crate::model::field::StreamResult;
use crate::model::result::ratio;
use crate::scenario::Scenario;

/// Statistics of a stream after its headline share, with how each comes from its counts.
const MORE: [Figure<StreamResult>; 5] = [
    ("tasks", |r, _| r.created as f64),
    ("done_late", |r, _| (r.done - r.within) as f64),
    ("open_at_end", |r, _| r.open_at_end as f64),
    ("mean_done_h", |r, _| {
        ratio(r.sum_done_ms, r.done) / 3_600_000.0
    }),
    ("mean_backlog", |r, window_ms| {
        r.backlog_area as f64 / window_ms as f64
    }),
];

pub(super) fn emit(sc: &Scenario, e: &mut Emitter) {
    let window = e.result().map_or(0, |r| r.window_ms);
    for (s, spec) in sc.followup.iter().enumerate() {
        if spec.background {
            continue;
        }
        let t = sc.target(spec.target);
        let stream = e.result().map(|r| {
            &r.response
                .as_ref()
                .expect("follow-up work runs on the field side")
                .work[s]
        });
        let key = |statistic, head: Option<(String, f64)>| {
            move || KpiKey {
                kpi: t.id,
                scope: Scope::Force.name(),
                scope_value: "all".into(),
                clock: Clock::None.name(),
                statistic,
                target: head.as_ref().map(|h| h.0.clone()),
                required: head.map(|h| h.1),
            }
        };
        let head = t.applies.then(|| (spec.deadline.to_string(), t.share));
        e.row(Table::Overall, key("share_within", head), stream, |r| {
            if t.applies {
                ratio(r.within, r.created)
            } else {
                f64::NAN
            }
        });
        for (statistic, value) in MORE {
            e.row(Table::Overall, key(statistic, None), stream, |r| {
                value(r, window)
            });
        }
    }
}
