//! `pledgesim new`: the scenario it writes (the whole force, or `--contact-only` a contact
//! centre) validates and runs as written, explains every key, is never written over an
//! existing file without --force, and goes to stdout for `-`.

use crate::common;

use common::{pledgesim, read_text, stderr, stdout};
use pledgesim::cli::{TEMPLATE_CONTACT_ONLY, TEMPLATE_FULL};
use std::path::Path;

/// `pledgesim new ARGS` run in `dir`.
fn new_in(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    pledgesim().current_dir(dir).arg("new").args(args).assert()
}

#[test]
fn both_templates_are_written_validate_and_run() {
    for (flags, template, parts) in [
        (
            &[][..],
            TEMPLATE_FULL,
            &["[response]", "[neighbourhood]"][..],
        ),
        (&["--contact-only"][..], TEMPLATE_CONTACT_ONLY, &[][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["mine.toml"];
        args.extend(flags);
        let a = new_in(dir.path(), &args).success();
        let said = stdout(&a);
        assert!(said.starts_with("wrote mine.toml: "), "{said}");
        assert!(said.contains("\nnext: pledgesim run mine.toml\n"), "{said}");
        let file = dir.path().join("mine.toml");
        assert_eq!(read_text(&file), template);
        for p in parts {
            assert!(template.contains(p), "no {p}");
        }
        // Valid as written, without warnings.
        let a = pledgesim().arg("validate").arg(&file).assert().success();
        assert!(stderr(&a).is_empty(), "{flags:?}: {}", stderr(&a));
        // And it runs (its own horizon is a few weeks; two replications take well under a second).
        let out = dir.path().join("out");
        let a = pledgesim()
            .args(["run", "--quiet", "--replications", "2"])
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        assert!(!stderr(&a).contains("warning"), "{}", stderr(&a));
        assert!(out.join("manifest.json").is_file());
        let scorecard = stdout(&a);
        assert!(scorecard.contains("T1 ") && scorecard.contains("T2 "));
        if !flags.is_empty() {
            assert!(scorecard.contains("not in this scenario"), "{scorecard}");
        } else {
            for t in ["T3", "T5", "T6", "T7", "T8", "T9", "T10"] {
                let line = scorecard
                    .lines()
                    .find(|l| l.starts_with(&format!("{t} ")))
                    .unwrap_or_else(|| panic!("no {t}"));
                assert!(line.contains('%') && !line.contains("not in"), "{line}");
            }
        }
    }
}

#[test]
fn the_default_file_is_scenario_toml_and_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    let a = new_in(dir.path(), &[]).success();
    assert!(stdout(&a).contains("next: pledgesim run scenario.toml"));
    assert_eq!(read_text(&file), TEMPLATE_FULL);
    // A second time: refused, naming the file and the way out; the file is untouched.
    std::fs::write(&file, "# mine\n").unwrap();
    let a = new_in(dir.path(), &["--contact-only"]).code(2);
    let e = stderr(&a);
    assert!(
        e.starts_with("error: scenario.toml: already exists") && e.contains("--force"),
        "{e}"
    );
    assert!(stdout(&a).is_empty());
    assert_eq!(read_text(&file), "# mine\n");
    // --force replaces it.
    new_in(dir.path(), &["--contact-only", "--force"]).success();
    assert_eq!(read_text(&file), TEMPLATE_CONTACT_ONLY);
    // A folder, or a file in a folder that does not exist, is refused too.
    let a = new_in(dir.path(), &["--force", "."]).code(2);
    assert!(stderr(&a).contains("is a folder"), "{}", stderr(&a));
    let a = new_in(dir.path(), &["nowhere/s.toml"]).code(2);
    assert!(
        stderr(&a).contains("the folder nowhere does not exist"),
        "{}",
        stderr(&a)
    );
    // A name with a space is quoted in the next command.
    let a = new_in(dir.path(), &["my force.toml"]).success();
    assert!(stdout(&a).contains("next: pledgesim run 'my force.toml'"));
}

#[test]
fn a_dash_writes_the_scenario_to_stdout_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let a = new_in(dir.path(), &["-"]).success();
    assert_eq!(stdout(&a), TEMPLATE_FULL);
    let a = new_in(dir.path(), &["--contact-only", "-"]).success();
    assert_eq!(stdout(&a), TEMPLATE_CONTACT_ONLY);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// Every key the templates set is explained: each key name appears at least once on a line
/// with a comment (keys inside inline tables, such as a distribution's `kind`, excepted).
#[test]
fn every_key_is_explained_in_a_comment() {
    for (name, text) in [
        ("full", TEMPLATE_FULL),
        ("contact-only", TEMPLATE_CONTACT_ONLY),
    ] {
        toml::from_str::<toml::Table>(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut keys = std::collections::BTreeMap::<&str, bool>::new();
        for line in text.lines() {
            let line = line.trim_start();
            if line.starts_with('#') || line.starts_with('[') || line.starts_with('{') {
                continue;
            }
            let Some((key, rest)) = line.split_once(" = ") else {
                continue;
            };
            let commented = rest.contains(" # ") || rest.ends_with('[');
            *keys.entry(key.trim()).or_default() |= commented;
        }
        assert!(keys.len() > 10, "{name}: {keys:?}");
        let bare: Vec<_> = keys.iter().filter(|(_, c)| !**c).map(|(k, _)| k).collect();
        assert!(bare.is_empty(), "{name}: keys never explained: {bare:?}");
    }
}
