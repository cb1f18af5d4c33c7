//! The command line's parsing: shared flags, counts and help texts.

use super::*;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("pledgesim").chain(args.iter().copied()))
}

/// The flags every simulating command shares, parsed from `args` after its own.
fn common(command: &[&str], args: &[&str]) -> Common {
    let all: Vec<&str> = command.iter().chain(args).copied().collect();
    match parse(&all)
        .unwrap_or_else(|e| panic!("{all:?}: {e}"))
        .command
    {
        Command::Run(a) => a.common,
        Command::Compare(a) => a.common,
        Command::Sweep(a) => a.common,
        Command::Staff(a) => a.common,
        other => panic!("not a simulating command: {other:?}"),
    }
}

const COMMANDS: [&[&str]; 4] = [
    &["run", "s.toml"],
    &["compare", "a.toml", "b.toml"],
    &["sweep", "w.toml"],
    &["staff", "s.toml"],
];

#[test]
fn the_shared_flags_parse_the_same_for_each_command() {
    let want = Common {
        threads: Some(3),
        out: Some(PathBuf::from("x/y")),
        quiet: true,
    };
    for c in COMMANDS {
        assert_eq!(
            common(c, &["-j", "3", "-o", "x/y", "--quiet"]),
            want,
            "{c:?}"
        );
        assert_eq!(
            common(c, &["--quiet", "--out", "x/y", "--threads", "3"]),
            want,
            "{c:?}"
        );
        assert_eq!(
            common(c, &[]),
            Common {
                threads: None,
                out: None,
                quiet: false
            },
            "{c:?}"
        );
    }
}

#[test]
fn replications_seed_and_report_parse_where_the_command_takes_them() {
    let Command::Run(r) = parse(&["run", "-r", "7", "-s", "9", "--report"])
        .unwrap()
        .command
    else {
        panic!("run")
    };
    assert_eq!(
        (r.replications.replications, r.seed.seed, r.report.report),
        (Some(7), Some(9), true)
    );
    let Command::Compare(c) = parse(&["compare", "a", "b", "--replications", "7", "--seed", "9"])
        .unwrap()
        .command
    else {
        panic!("compare")
    };
    assert_eq!(
        (c.replications.replications, c.seed.seed, c.report.report),
        (Some(7), Some(9), false)
    );
    let Command::Staff(s) = parse(&["staff", "-r", "100000"]).unwrap().command else {
        panic!("staff")
    };
    assert_eq!(s.replications.replications, Some(100_000));
    // A sweep sets its replications and seed in the sweep file; staff has no seed.
    assert!(parse(&["sweep", "w.toml", "-r", "3"]).is_err());
    assert!(parse(&["staff", "-s", "3"]).is_err());
    assert!(parse(&["staff", "--report"]).is_err());
}

/// The input error a bad command line gives, as printed.
fn refused(args: &[&str]) -> String {
    let e = parse(args).expect_err("refused");
    let own = flag_error(&e).unwrap_or_else(|| panic!("{args:?}: clap's own error: {e}"));
    assert_eq!(own.exit_code(), 2);
    own.to_string()
}

#[test]
fn a_bad_count_is_refused_in_the_projects_words() {
    for c in [&["run"][..], &["compare", "a", "b"], &["staff"]] {
        for (bad, got) in [
            ("0", "0"),
            ("100001", "100001"),
            ("4000000000", "4000000000"),
            ("many", "many"),
        ] {
            let args: Vec<&str> = c.iter().copied().chain(["-r", bad]).collect();
            assert_eq!(
                refused(&args),
                format!(
                    "error: command line: field `--replications`: must be a whole number from 1 to 100000 (got {got})"
                )
            );
        }
    }
    for c in COMMANDS {
        let args: Vec<&str> = c.iter().copied().chain(["-j", "0"]).collect();
        assert_eq!(
            refused(&args),
            "error: command line: field `--threads`: must be at least 1 (got 0)"
        );
        let args: Vec<&str> = c.iter().copied().chain(["--threads", "x"]).collect();
        assert_eq!(
            refused(&args),
            "error: command line: field `--threads`: must be a whole number, at least 1 (got x)"
        );
    }
    // The edges are accepted.
    assert!(parse(&["run", "-r", "1", "-j", "1"]).is_ok());
    assert!(parse(&["run", "-r", "100000"]).is_ok());
    // Other flags keep clap's messages.
    let e = parse(&["run", "-s", "x"]).expect_err("a bad seed");
    assert!(flag_error(&e).is_none());
}

#[test]
fn each_command_words_its_shared_flags_as_before() {
    use clap::CommandFactory;
    let help = |name: &str| {
        let mut cmd = Cli::command();
        cmd.find_subcommand_mut(name)
            .expect("a subcommand")
            .render_help()
            .to_string()
    };
    let has = |name: &str, lines: &[&str]| {
        let h = help(name);
        for l in lines {
            assert!(h.contains(l), "{name}: no \"{l}\" in\n{h}");
        }
    };
    let threads =
        "Worker threads (default: RAYON_NUM_THREADS or every core). Results do not depend on it";
    has(
        "run",
        &[
            "Replications (overrides the scenario's run.replications)",
            "Master seed (overrides the scenario's run.seed)",
            threads,
            "An earlier pledgesim output there is replaced once the new one is complete",
            "Do not print the progress bar",
        ],
    );
    has(
        "compare",
        &[
            "every scenario runs as many",
            "every scenario runs from it",
            "outputs/compare-<first>-<second>...",
            threads,
            "Do not print the progress bar",
        ],
    );
    has(
        "staff",
        &[
            "Replications per simulation (default: the scenario's)",
            "outputs/staff-<scenario name>",
            "Do not print progress\n",
            threads,
        ],
    );
    has(
        "sweep",
        &[
            "Points are appended as they finish",
            threads,
            "Do not print the progress bar",
        ],
    );
    // The places in --help: sweep's --out first, --report before --quiet everywhere.
    let s = help("sweep");
    let at = |f: &str| s.find(f).unwrap_or_else(|| panic!("{f}"));
    assert!(
        at("--out") < at("--resume")
            && at("--shard") < at("--threads")
            && at("--report") < at("--quiet")
    );
    let r = help("run");
    let at = |f: &str| r.find(f).unwrap_or_else(|| panic!("{f}"));
    assert!(
        at("--replications") < at("--seed")
            && at("--seed") < at("--threads")
            && at("--threads") < at("--out")
            && at("--out") < at("--report")
            && at("--report") < at("--quiet")
    );
}
