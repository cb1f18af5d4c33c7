//! Validation of the contact centre: channels, arrivals, handling, patience, call-backs, handlers.

use super::check::{Check, choice, days, dist, inline_and_csv};
use crate::scenario::file::{CallFile, ChannelFile, HandlerRosterFile, ScenarioFile};
use crate::scenario::locate::FieldPath;
use crate::scenario::response::{CATEGORIES, FixedCall, GRADES, Ward};
use crate::scenario::{
    Arrivals, Break, CallbackPriority, Callbacks, Channel, ChannelKind, Discipline, HandlerRoster,
    Shift,
};
use crate::time::{DAY, Duration};

/// The most calls a week a channel may have: a hundred times the Met's volume.
const MAX_CALLS_PER_WEEK: f64 = 10_000_000.0;

impl ScenarioFile {
    fn demand_channel(&self, kind: ChannelKind) -> Option<&ChannelFile> {
        match kind {
            ChannelKind::Emergency => self.demand.emergency.as_ref(),
            ChannelKind::NonEmergency => self.demand.non_emergency.as_ref(),
        }
    }
}

/// The channels with demand, in the order 999, non-emergency (their fixed calls' attributes
/// are read later, by [`fixed_calls`], once the wards are known).
pub(super) fn channels(c: &mut Check, f: &ScenarioFile, horizon: Duration) -> Vec<Channel> {
    let dp = FieldPath::root().key("demand");
    let mut channels = Vec::new();
    for (kind, ch) in [
        (ChannelKind::Emergency, &f.demand.emergency),
        (ChannelKind::NonEmergency, &f.demand.non_emergency),
    ] {
        if let Some(ch) = ch {
            if let Some(channel) = channel(c, &dp.key(kind.field()), kind, ch, horizon) {
                channels.push(channel);
            }
        }
    }
    if f.demand.emergency.is_none() && f.demand.non_emergency.is_none() {
        c.bad(
            &dp,
            "give demand for at least one channel: [demand.emergency] or [demand.non_emergency]",
        );
    }
    channels
}

/// Fixed calls' attributes, which may name wards: checked as written (so errors name the call as
/// written), then put in time order on their channel.
pub(super) fn fixed_calls(
    c: &mut Check,
    f: &ScenarioFile,
    channels: &mut [Channel],
    wards: Option<&[Ward]>,
) {
    let dp = FieldPath::root().key("demand");
    for ch in channels.iter_mut() {
        let field = ch.kind.field();
        if let Some(calls) = f.demand_channel(ch.kind).and_then(|d| d.calls.as_ref()) {
            let fixed = calls_as_written(c, &dp.key(field).key("calls"), calls, wards);
            let mut order: Vec<usize> = (0..calls.len()).collect();
            order.sort_by_key(|&i| calls[i].at);
            ch.fixed = order.into_iter().map(|i| fixed[i].clone()).collect();
        }
    }
}

/// How calls are queued, and call-backs to callers who gave up.
pub(super) fn centre(c: &mut Check, f: &ScenarioFile) -> (Discipline, Option<Callbacks>) {
    let cp = FieldPath::root().key("contact_centre");
    let discipline = choice(
        c,
        &cp.key("discipline"),
        f.contact_centre.discipline.as_deref(),
        &[
            ("priority", Discipline::Priority),
            ("fcfs", Discipline::Fcfs),
        ],
        "discipline",
    );
    let callbacks = f.contact_centre.callbacks.as_ref().and_then(|cb| {
        let p = cp.key("callbacks");
        let priority = choice(
            c,
            &p.key("priority"),
            cb.priority.as_deref(),
            &[
                ("after-999", CallbackPriority::After999),
                ("last", CallbackPriority::Last),
            ],
            "priority",
        );
        let find_emergency = cb.find_emergency.unwrap_or(0.0);
        c.probability(&p.key("find_emergency"), find_emergency);
        dist(c, &p.key("handling"), &cb.handling).map(|handling| Callbacks {
            handling,
            priority,
            find_emergency,
        })
    });
    (discipline, callbacks)
}

/// Overflow of 999 calls to a partner control room: a partner with lines, and a 999 channel
/// whose calls reach the call-takers directly (not through stages).
pub(super) fn overflow(
    c: &mut Check,
    f: &ScenarioFile,
    channels: &[Channel],
) -> Option<crate::scenario::Overflow> {
    let o = f.contact_centre.overflow.as_ref()?;
    let p = FieldPath::root().key("contact_centre").key("overflow");
    let mut ok = true;
    let partner_lines = match o.partner_lines {
        None => None,
        Some(n) if (1..=1_000_000).contains(&n) => Some(n as u32),
        Some(n) => {
            c.bad(
                &p.key("partner_lines"),
                format!("the partner takes from 1 to 1000000 calls at once, or leave `partner_lines` out for no limit (got {n}); a partner with no lines takes no call"),
            );
            ok = false;
            None
        }
    };
    match channels.iter().find(|ch| ch.kind == ChannelKind::Emergency) {
        None => {
            c.bad(
                &p,
                "overflow passes 999 calls to a partner: the scenario has no [demand.emergency]",
            );
            ok = false;
        }
        Some(ch) if !ch.stages.is_empty() => {
            c.bad(&p, "overflow passes 999 calls waiting for the call-takers: it is not modelled with staged 999 handling yet (`demand.emergency.stages`)");
            ok = false;
        }
        _ => {}
    }
    let answer = dist(c, &p.key("partner_answer"), &o.partner_answer);
    (ok && answer.is_some()).then(|| crate::scenario::Overflow {
        after: o.after,
        partner_lines,
        partner_answer: answer.expect("checked"),
    })
}

/// What the caller settings need from the rest of the scenario: silent calls are called back,
/// and grades (handling by grade, emergencies found by call-backs) come from the field side.
/// Reported against the file as written, so a channel whose own errors kept it out is still
/// checked.
pub(super) fn callers_need(
    c: &mut Check,
    f: &ScenarioFile,
    channels: &[Channel],
    callbacks: Option<&Callbacks>,
    has_response: bool,
) {
    let dp = FieldPath::root().key("demand");
    for ch in channels {
        let p = dp.key(ch.kind.field());
        if ch.silent.is_some() && callbacks.is_none() {
            c.bad(&p.key("silent"), "every silent call is called back: give [contact_centre.callbacks] (the call-back's handling time)");
        }
        if ch.handling_by_grade.iter().any(Option::is_some) && !has_response && f.response.is_none()
        {
            c.bad(
                &p.key("handling_by_grade"),
                "calls are graded by the field side: handling by grade needs a [response] section",
            );
        }
        if ch.handling_by_category.iter().any(Option::is_some) && f.response.is_none() {
            c.bad(
                &p.key("handling_by_category"),
                "calls are categorised by the field side: handling by category needs a [response] section",
            );
        }
    }
    if callbacks.is_some_and(|cb| cb.find_emergency > 0.0) && f.response.is_none() {
        c.bad(
            &FieldPath::root().key("contact_centre").key("callbacks").key("find_emergency"),
            "an emergency found by a call-back becomes an incident: this needs a [response] section",
        );
    }
}

/// The stages, and each channel's route through them (checked against the stages' names).
pub(super) fn stages(
    c: &mut Check,
    f: &ScenarioFile,
    channels: &mut [Channel],
    has_response: bool,
) -> Vec<crate::scenario::Stage> {
    let sp = FieldPath::root().key("contact_centre").key("stages");
    let mut out = Vec::new();
    for (i, s) in f.contact_centre.stages.iter().enumerate() {
        let p = sp.index(i);
        if f.contact_centre.stages[..i]
            .iter()
            .any(|o| o.name == s.name)
        {
            c.bad(
                &p.key("name"),
                format!("stage \"{}\" is named twice", s.name),
            );
        }
        for (k, sh) in s.shifts.iter().enumerate() {
            if sh.dedicated_999.is_some() || !sh.breaks.is_empty() {
                c.bad(&p.key("shifts").index(k), "a stage's shifts take no dedicated_999 and no breaks (give hours net of breaks)");
            }
        }
        let as_handlers = HandlerRosterFile {
            constant: s.constant,
            constant_dedicated_999: None,
            shifts: s.shifts.clone(),
            shifts_file: None,
        };
        let roster = roster(c, &p, &as_handlers, "stage staff member");
        let handling = dist(c, &p.key("handling"), &s.handling);
        let patience = s
            .patience
            .as_ref()
            .and_then(|d| dist(c, &p.key("patience"), d));
        let base = s.transfer.unwrap_or(1.0);
        let mut transfer = [base; 4];
        let check = |c: &mut Check, path: FieldPath, x: f64| {
            c.probability(&path, x);
        };
        check(c, p.key("transfer"), base);
        if let Some(g) = &s.transfer_by_grade {
            if !has_response {
                c.bad(&p.key("transfer_by_grade"), "calls are graded by the field side: transfer by grade needs a [response] section");
            }
            for (k, x) in [g.i, g.s, g.e, g.r].into_iter().enumerate() {
                if let Some(x) = x {
                    check(c, p.key("transfer_by_grade").key(GRADES[k]), x);
                    transfer[k] = x;
                }
            }
        }
        let people = s.people.unwrap_or(true);
        if !people && transfer.iter().any(|&x| x < 1.0) {
            c.bad(
                &p.key("transfer"),
                "an automatic stage (people = false) ends no call: every call goes on (transfer 1)",
            );
        }
        if let Some(handling) = handling {
            out.push(crate::scenario::Stage {
                name: s.name.clone(),
                roster,
                handling,
                patience,
                transfer,
                people,
            });
        }
    }
    let dp = FieldPath::root().key("demand");
    for ch in channels.iter_mut() {
        let Some(route) = f.demand_channel(ch.kind).and_then(|d| d.stages.as_ref()) else {
            continue;
        };
        let rp = dp.key(ch.kind.field()).key("stages");
        if route.len() > crate::scenario::MAX_STAGES {
            c.bad(
                &rp,
                format!(
                    "at most {} stages (got {})",
                    crate::scenario::MAX_STAGES,
                    route.len()
                ),
            );
            continue;
        }
        for (k, name) in route.iter().enumerate() {
            match f.contact_centre.stages.iter().position(|s| &s.name == name) {
                Some(s) if ch.stages.contains(&s) => c.bad(
                    &rp.index(k),
                    format!("stage \"{name}\" comes twice: a call would go round in a loop"),
                ),
                Some(s) => ch.stages.push(s),
                None => c.bad(
                    &rp.index(k),
                    format!("no [[contact_centre.stages]] named \"{name}\""),
                ),
            }
        }
        if ch.redial.is_some() {
            c.bad(&rp, "callers who redial are not modelled with staged handling yet: give `redial` or `stages`, not both");
        }
        // Where the caller's answer is measured: the first stage with people by default.
        let stage_files = &f.contact_centre.stages;
        let people = |s: usize| stage_files[s].people.unwrap_or(true);
        let ap = dp.key(ch.kind.field()).key("answered_at");
        ch.answered_at = match f
            .demand_channel(ch.kind)
            .and_then(|d| d.answered_at.as_deref())
        {
            None => ch
                .stages
                .iter()
                .position(|&s| people(s))
                .unwrap_or(ch.stages.len()),
            Some("call-takers") => ch.stages.len(),
            Some(name) => match ch.stages.iter().position(|&s| stage_files[s].name == name) {
                Some(k) if !people(ch.stages[k]) => {
                    c.bad(&ap, format!("stage \"{name}\" is automatic (people = false): a caller is answered where a person picks up"));
                    k
                }
                Some(k) => k,
                None => {
                    c.bad(&ap, format!("\"{name}\" is not one of this channel's stages; allowed: its stages' names, or \"call-takers\""));
                    0
                }
            },
        };
        // A call must not end before its answer is measured.
        for &s in &ch.stages[..ch.answered_at.min(ch.stages.len())] {
            let st = &stage_files[s];
            let ends = st.transfer.is_some_and(|t| t < 1.0)
                || st
                    .transfer_by_grade
                    .as_ref()
                    .is_some_and(|g| [g.i, g.s, g.e, g.r].iter().flatten().any(|t| *t < 1.0));
            if ends {
                c.bad(&ap, format!("stage \"{}\" ends some calls before the caller's answer is measured: measure it there or earlier, or give that stage transfer 1", st.name));
            }
        }
        if ch.silent.is_some() {
            c.bad(&rp, "silent calls are not modelled with staged handling yet: give `silent` or `stages`, not both");
        }
    }
    out
}

/// The handlers' roster; some must be general when there are non-emergency calls to answer.
pub(super) fn handlers(c: &mut Check, f: &ScenarioFile, channels: &[Channel]) -> HandlerRoster {
    let root = FieldPath::root();
    let handlers = roster(
        c,
        &root.key("roster").key("handlers"),
        &f.roster.handlers,
        "handler",
    );
    let general = handlers
        .constant
        .saturating_sub(handlers.constant_dedicated_999)
        + handlers
            .shifts
            .iter()
            .map(|s| s.count.saturating_sub(s.dedicated_999))
            .sum::<u32>();
    if general == 0
        && handlers.constant + handlers.shifts.len() as u32 > 0
        && channels
            .iter()
            .any(|ch| ch.kind == ChannelKind::NonEmergency)
    {
        c.bad(&root.key("roster").key("handlers"), "every handler takes only 999 work, so no one would answer the non-emergency calls: make some handlers general (dedicated_999 below count)");
    }
    handlers
}

fn channel(
    c: &mut Check,
    p: &FieldPath,
    kind: ChannelKind,
    ch: &ChannelFile,
    horizon: Duration,
) -> Option<Channel> {
    let volumes = [
        ch.calls_per_week.is_some(),
        ch.calls_per_year.is_some(),
        ch.arrivals.is_some() || ch.calls.is_some(),
    ];
    let arrivals = match volumes.iter().filter(|v| **v).count() {
        1 => {
            if ch.arrivals.is_some() || ch.calls.is_some() {
                if ch.arrivals.is_some() && ch.calls.is_some() {
                    c.bad(
                        &p.key("calls"),
                        "give fixed calls either as `arrivals` (times) or as `calls`, not both",
                    );
                }
                let mut times = match (&ch.arrivals, &ch.calls) {
                    (Some(t), _) => t.clone(),
                    (None, Some(calls)) => calls.iter().map(|c| c.at).collect(),
                    _ => unreachable!("one of them is given"),
                };
                times.sort();
                if let Some(last) = times.last().filter(|t| **t >= horizon) {
                    c.bad(
                        &p.key("arrivals"),
                        format!("arrival at {last} is not before the horizon ({horizon})"),
                    );
                }
                if ch.hourly.is_some()
                    || ch.daily.is_some()
                    || ch.weekly.is_some()
                    || ch.profile_file.is_some()
                    || ch.seasonal.is_some()
                {
                    c.bad(
                        &p.key("arrivals"),
                        "fixed arrivals take no profile or seasonal factors",
                    );
                }
                Some(Arrivals::Fixed { times })
            } else {
                let (per_week, field) = match (ch.calls_per_week, ch.calls_per_year) {
                    (Some(w), _) => (w, "calls_per_week"),
                    (_, Some(y)) => (y * 7.0 / 365.25, "calls_per_year"),
                    _ => unreachable!("one volume is set"),
                };
                let mut ok = c.positive(&p.key(field), per_week, field);
                // A hundred times the Met's volume: beyond it a run is a mistake, not a force.
                if ok && per_week > MAX_CALLS_PER_WEEK {
                    c.bad(&p.key(field), format!("{field} must be at most the equivalent of {MAX_CALLS_PER_WEEK} calls a week (got {per_week} a week)"));
                    ok = false;
                }
                let weights = profile(c, p, ch);
                let seasonal = ch.seasonal.as_ref().and_then(|s| {
                    let sp = p.key("seasonal");
                    if s.len() != 12 {
                        c.bad(&sp, format!("seasonal must have exactly 12 monthly factors, January first (got {})", s.len()));
                        return None;
                    }
                    let mut good = true;
                    for (i, x) in s.iter().enumerate() {
                        good &= c.positive(&sp.index(i), *x, "a seasonal factor");
                        if *x > 100.0 {
                            c.bad(&sp.index(i), format!("a seasonal factor must be at most 100 (got {x})"));
                            good = false;
                        }
                    }
                    good.then(|| s.clone())
                });
                match (ok, weights) {
                    (true, Some(weights)) => Some(Arrivals::Profile {
                        calls_per_week: per_week,
                        weights,
                        seasonal,
                    }),
                    _ => None,
                }
            }
        }
        0 => {
            c.bad(
                p,
                "give the volume: calls_per_week, calls_per_year, or fixed arrivals or calls",
            );
            None
        }
        _ => {
            c.bad(
                p,
                "give only one of calls_per_week, calls_per_year, and fixed arrivals or calls",
            );
            None
        }
    };
    let handling = dist(c, &p.key("handling"), &ch.handling);
    let patience = match &ch.patience {
        Some(d) => Some(dist(c, &p.key("patience"), d)?),
        None => None,
    };
    let mut handling_by_grade = [None, None, None, None];
    if let Some(g) = &ch.handling_by_grade {
        let gp = p.key("handling_by_grade");
        for (k, d) in [&g.i, &g.s, &g.e, &g.r].into_iter().enumerate() {
            if let Some(d) = d {
                handling_by_grade[k] = dist(c, &gp.key(GRADES[k]), d);
            }
        }
    }
    let mut handling_by_category = [None, None, None, None, None];
    for (name, d) in &ch.handling_by_category {
        let cp = p.key("handling_by_category").key(name);
        match CATEGORIES.iter().position(|c| c == name) {
            Some(k) => handling_by_category[k] = dist(c, &cp, d),
            None => c.bad(
                &cp,
                format!(
                    "unknown category \"{name}\"; allowed: {}",
                    CATEGORIES.join(", ")
                ),
            ),
        }
    }
    let redial = ch.redial.as_ref().and_then(|r| {
        let rp = p.key("redial");
        c.probability(&rp.key("probability"), r.probability);
        let delay = dist(c, &rp.key("delay"), &r.delay)?;
        Some(crate::scenario::Redial {
            probability: r.probability,
            delay,
        })
    });
    if redial.is_some() && ch.patience.is_none() {
        c.bad(&p.key("redial"), "callers redial after hanging up, but this channel's callers never hang up: give `patience` too");
    }
    let silent = ch.silent.as_ref().and_then(|s| {
        let sp = p.key("silent");
        if kind != ChannelKind::Emergency {
            c.bad(&sp, "silent and accidental calls are 999 calls: give them under [demand.emergency]");
            return None;
        }
        let ok = c.positive(&sp.key("calls_per_week"), s.calls_per_week, "calls_per_week")
            && s.calls_per_week <= MAX_CALLS_PER_WEEK;
        if !ok {
            c.bad(&sp.key("calls_per_week"), format!("must be more than 0 and at most {MAX_CALLS_PER_WEEK}"));
        }
        let handling = dist(c, &sp.key("handling"), &s.handling)?;
        let arrivals = match arrivals.as_ref()? {
            Arrivals::Profile {
                weights, seasonal, ..
            } => Arrivals::Profile {
                calls_per_week: s.calls_per_week,
                weights: weights.clone(),
                seasonal: seasonal.clone(),
            },
            Arrivals::Fixed { .. } => {
                c.bad(&sp, "silent calls follow the channel's profile: they need calls_per_week or calls_per_year, not fixed calls");
                return None;
            }
        };
        ok.then_some(crate::scenario::Silent { arrivals, handling })
    });
    Some(Channel {
        stages: Vec::new(),
        answered_at: 0,
        kind,
        fixed: Vec::new(),
        arrivals: arrivals?,
        handling: handling?,
        patience,
        handling_by_grade,
        handling_by_category,
        redial,
        silent,
    })
}

/// The 168 hour-of-week weights, normalised to sum to 1.
fn profile(c: &mut Check, p: &FieldPath, ch: &ChannelFile) -> Option<Vec<f64>> {
    let given = [
        ch.hourly.is_some() || ch.daily.is_some(),
        ch.weekly.is_some(),
        ch.profile_file.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        c.bad(
            p,
            "give the profile one way only: hourly and daily, weekly, or profile_file",
        );
        return None;
    }
    let raw: Vec<f64> = if let Some(w) = &ch.weekly {
        if !c.weights(&p.key("weekly"), w, 168, "weekly") {
            return None;
        }
        w.clone()
    } else if let Some(name) = &ch.profile_file {
        let path = c.csv_path(&p.key("profile_file"), name)?;
        match crate::scenario::csv::read_profile(&path) {
            Ok(w) => w,
            Err(e) => {
                c.external(e);
                return None;
            }
        }
    } else {
        let ones24 = vec![1.0; 24];
        let ones7 = vec![1.0; 7];
        let hourly = ch.hourly.as_ref().unwrap_or(&ones24);
        let daily = ch.daily.as_ref().unwrap_or(&ones7);
        let ok_h = c.weights(&p.key("hourly"), hourly, 24, "hourly");
        let ok_d = c.weights(&p.key("daily"), daily, 7, "daily");
        if !(ok_h && ok_d) {
            return None;
        }
        (0..168).map(|h| daily[h / 24] * hourly[h % 24]).collect()
    };
    let sum: f64 = raw.iter().sum();
    Some(raw.iter().map(|w| w / sum).collect())
}

/// A roster of staff (`who`: "handler" or "dispatcher") on duty at all times and on shifts.
pub(super) fn roster(
    c: &mut Check,
    p: &FieldPath,
    r: &HandlerRosterFile,
    who: &str,
) -> HandlerRoster {
    let count = |c: &mut Check, path: FieldPath, v: i64, min: i64| -> u32 {
        if v < min || v > 100_000 {
            c.bad(
                &path,
                format!("must be a whole number from {min} to 100000 (got {v})"),
            );
            return 0;
        }
        v as u32
    };
    let constant = count(c, p.key("constant"), r.constant.unwrap_or(0), 0);
    let constant_dedicated_999 = count(
        c,
        p.key("constant_dedicated_999"),
        r.constant_dedicated_999.unwrap_or(0),
        0,
    );
    if constant_dedicated_999 > constant {
        c.bad(
            &p.key("constant_dedicated_999"),
            format!("cannot exceed constant ({constant})"),
        );
    }
    let mut shifts = Vec::new();
    let all = inline_and_csv(
        c,
        &p.key("shifts"),
        &r.shifts,
        &p.key("shifts_file"),
        r.shifts_file.as_deref(),
        crate::scenario::csv::read_handler_shifts,
    );
    for (i, (sp, at, s)) in all.iter().enumerate() {
        let field = |k: &str| if at.is_empty() { sp.key(k) } else { sp.clone() };
        let n = if s.count < 1 {
            c.bad(
                &field("count"),
                format!("{at}a shift needs at least 1 {who} (got {})", s.count),
            );
            0
        } else {
            count(c, field("count"), s.count, 1)
        };
        let dedicated = count(c, field("dedicated_999"), s.dedicated_999.unwrap_or(0), 0);
        if dedicated > n {
            c.bad(
                &field("dedicated_999"),
                format!("{at}cannot exceed count ({n})"),
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
        let days = days(c, &field("days"), s.days.as_deref());
        let mut end_of_last = 0;
        for (j, b) in s.breaks.iter().enumerate() {
            let bp = if at.is_empty() {
                sp.key("breaks").index(j)
            } else {
                sp.clone()
            };
            if b.length.0 == 0 {
                c.bad(
                    &bp.key("length"),
                    format!("{at}a break's length must be greater than 0"),
                );
            }
            let stagger = b.stagger.unwrap_or_default();
            if b.after.0 < end_of_last {
                c.bad(&bp.key("after"), format!("{at}breaks must be in order, and a break must start after the last handler's previous break has ended"));
            }
            let last_end = b.after.0 + u64::from(n.saturating_sub(1)) * stagger.0 + b.length.0;
            if last_end > s.length.0 {
                c.bad(&bp, format!("{at}the last handler's break must end within the shift ({}): after + (count - 1) x stagger + length = {}", s.length, Duration(last_end)));
            }
            end_of_last = last_end;
        }
        shifts.push(Shift {
            name: s.name.clone().unwrap_or_else(|| format!("shift {}", i + 1)),
            start: s.start,
            length: s.length,
            days,
            count: n,
            dedicated_999: dedicated,
            breaks: s
                .breaks
                .iter()
                .map(|b| Break {
                    after: b.after,
                    length: b.length,
                    stagger: b.stagger.unwrap_or_default(),
                })
                .collect(),
        });
    }
    if constant == 0 && all.is_empty() {
        c.bad(
            p,
            format!("no {who}s: give `constant` or at least one [[{p}.shifts]]"),
        );
    }
    HandlerRoster {
        constant,
        constant_dedicated_999,
        shifts,
    }
}

/// Fixed calls' attributes, checked against the wards.
fn calls_as_written(
    c: &mut Check,
    p: &FieldPath,
    calls: &[CallFile],
    wards: Option<&[Ward]>,
) -> Vec<FixedCall> {
    let mut out = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        let cp = p.index(i);
        let mut fc = FixedCall {
            two_units: call.two_units,
            on_scene: call.on_scene,
            ..Default::default()
        };
        if let Some(name) = &call.ward {
            match wards.and_then(|w| w.iter().position(|w| &w.name == name)) {
                Some(w) => fc.ward = Some(w),
                None => c.bad(&cp.key("ward"), format!("unknown ward \"{name}\"")),
            }
        }
        match (call.x, call.y) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => fc.position = Some((x, y)),
            (Some(_), Some(_)) => c.bad(&cp, "x and y must be finite numbers (km)"),
            (None, None) => {}
            _ => c.bad(&cp, "give both x and y, or neither"),
        }
        if let Some(g) = &call.grade {
            match GRADES.iter().position(|x| x == g) {
                Some(k) => fc.grade = Some(k),
                None => c.bad(
                    &cp.key("grade"),
                    format!("unknown grade \"{g}\"; allowed: I, S, E, R"),
                ),
            }
        }
        if let Some(k) = &call.category {
            match CATEGORIES.iter().position(|x| x == k) {
                Some(k) => fc.category = Some(k),
                None => c.bad(
                    &cp.key("category"),
                    format!(
                        "unknown category \"{k}\"; allowed: {}",
                        CATEGORIES.join(", ")
                    ),
                ),
            }
        }
        out.push(fc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::validate::check::testing;

    /// The channels and the handlers' roster of `text`, and the problems found.
    fn check(text: &str) -> (Vec<Channel>, HandlerRoster, Vec<String>) {
        let s = testing::source();
        let mut c = Check::new(&s);
        let f = testing::file(text);
        let channels = channels(&mut c, &f, Duration(7 * DAY));
        let handlers = handlers(&mut c, &f, &channels);
        (channels, handlers, c.messages())
    }

    #[test]
    fn two_volumes_and_a_zero_handling_mean_are_both_reported() {
        let (channels, _, problems) = check(
            r#"
[demand.emergency]
calls_per_week = 100
calls_per_year = 5000
handling = { kind = "exponential", mean = "0s" }
[roster.handlers]
constant = 1
"#,
        );
        assert!(channels.is_empty());
        assert_eq!(
            problems,
            [
                "demand.emergency: give only one of calls_per_week, calls_per_year, and fixed arrivals or calls",
                "demand.emergency.handling.mean: mean must be greater than 0",
            ]
        );
    }

    #[test]
    fn a_yearly_volume_is_read_per_week_with_a_flat_profile() {
        let (channels, _, problems) = check(
            r#"
[demand.non_emergency]
calls_per_year = 365.25
handling = { kind = "deterministic", value = "1min" }
[roster.handlers]
constant = 1
"#,
        );
        assert_eq!(problems, Vec::<String>::new());
        let Arrivals::Profile {
            calls_per_week,
            weights,
            ..
        } = &channels[0].arrivals
        else {
            panic!("a profile");
        };
        assert!((calls_per_week - 7.0).abs() < 1e-12);
        assert_eq!(weights.len(), 168);
        assert!(weights.iter().all(|w| (w - 1.0 / 168.0).abs() < 1e-15));
    }

    #[test]
    fn handlers_who_take_only_999_work_cannot_answer_non_emergency_calls() {
        let (_, handlers, problems) = check(
            r#"
[demand.non_emergency]
calls_per_week = 100
handling = { kind = "deterministic", value = "1min" }
[roster.handlers]
constant = 2
constant_dedicated_999 = 2
"#,
        );
        assert_eq!(handlers.constant, 2);
        assert_eq!(
            problems,
            [
                "roster.handlers: every handler takes only 999 work, so no one would answer the non-emergency calls: make some handlers general (dedicated_999 below count)"
            ]
        );
    }

    #[test]
    fn a_break_that_overruns_its_shift_and_no_demand_are_both_reported() {
        let (_, handlers, problems) = check(
            r#"
[demand]
[[roster.handlers.shifts]]
start = "08:00"
length = "8h"
count = 3
breaks = [{ after = "7h", length = "30min", stagger = "20min" }]
"#,
        );
        assert_eq!(handlers.shifts[0].count, 3);
        assert_eq!(
            problems,
            [
                "demand: give demand for at least one channel: [demand.emergency] or [demand.non_emergency]",
                "roster.handlers.shifts[0].breaks[0]: the last handler's break must end within the shift (8h): after + (count - 1) x stagger + length = 490min",
            ]
        );
    }
}
