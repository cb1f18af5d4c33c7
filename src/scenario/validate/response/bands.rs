//! Hour bands: parts of the day whose calls take their own grade and category mixes and ward
//! weights. Names once each, no overlap (gaps take the all-day mixes), shares as the all-day
//! ones, factors on named wards from 0 to 1e12, and each channel with some weight in each band.

use super::matrix::day_cover;
use super::travel::category_mix;
use super::wards::grading;
use crate::scenario::file::ResponseFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::{HourBand, Ward};
use crate::scenario::validate::check::{Check, short};
use crate::scenario::{Channel, ChannelKind};

/// The bands, checked (each problem reported); None when any has errors.
pub(super) fn hour_bands(
    c: &mut Check,
    r: &ResponseFile,
    wards: &[Ward],
    channels: &[Channel],
) -> Option<Vec<HourBand>> {
    let bp = FieldPath::root().key("response").key("hour_bands");
    let mut ok = true;
    let mut out = Vec::new();
    for (i, b) in r.hour_bands.iter().enumerate() {
        let p = bp.index(i);
        if r.hour_bands[..i].iter().any(|o| o.name == b.name) {
            c.bad(
                &p.key("name"),
                format!("band \"{}\" is named twice", b.name),
            );
            ok = false;
        }
        let mut band = HourBand {
            name: b.name.clone(),
            start: b.start.0,
            end: b.end.0,
            grading: [None; 2],
            categories: [None; 4],
            ward_factor: [None, None],
        };
        if let Some(g) = &b.grading {
            // Against the all-day mix, so that a band may give one channel only.
            let given = [g.emergency.is_some(), g.non_emergency.is_some()];
            match grading(c, &p.key("grading"), g, Some([[0.0; 4]; 2]), channels) {
                Some(v) => {
                    for k in 0..2 {
                        band.grading[k] = given[k].then_some(v[k]);
                    }
                }
                None => ok = false,
            }
        }
        let cats = category_mix(c, &p.key("categories"), &b.categories);
        if cats.len() < b.categories.len() {
            ok = false;
        }
        for (g, v) in cats {
            band.categories[g] = Some(v);
        }
        if let Some(f) = &b.ward_factor {
            for (kind, given) in [
                (ChannelKind::Emergency, &f.emergency),
                (ChannelKind::NonEmergency, &f.non_emergency),
            ] {
                let Some(given) = given else { continue };
                let fp = p.key("ward_factor").key(kind.field());
                let mut factors = vec![1.0; wards.len()];
                let mut sound = true;
                for (name, x) in given {
                    let Some(w) = wards.iter().position(|w| &w.name == name) else {
                        c.bad(&fp.key(name), format!("no ward is named \"{name}\""));
                        sound = false;
                        continue;
                    };
                    if !(x.is_finite() && (0.0..=crate::scenario::validate::MAX_WEIGHT).contains(x))
                    {
                        c.bad(
                            &fp.key(name),
                            format!("a factor must be from 0 to 1e12 (got {})", short(*x)),
                        );
                        sound = false;
                        continue;
                    }
                    factors[w] = *x;
                }
                let c_ = kind.index();
                let total: f64 = wards
                    .iter()
                    .zip(&factors)
                    .map(|(w, f)| w.weights[c_] * f)
                    .sum();
                ok &= sound;
                if sound && total <= 0.0 && channels.iter().any(|ch| ch.kind == kind) {
                    c.bad(
                        &fp,
                        format!(
                            "every ward's {} demand weight is 0 in band \"{}\": some ward must take its calls",
                            kind.label(),
                            b.name
                        ),
                    );
                    ok = false;
                }
                band.ward_factor[c_] = Some(factors);
            }
        }
        out.push(band);
    }
    if !out.is_empty() {
        let names: Vec<&str> = out.iter().map(|b| b.name.as_str()).collect();
        ok &= day_cover(c, &bp, &names, |k, ms| out[k].holds(ms), false);
    }
    ok.then_some(out)
}
