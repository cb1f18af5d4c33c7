//! The tutorial (docs/tutorial/index.md) is followed as a reader follows it, so that it cannot
//! rot: every command it shows is run, and the output it shows is checked.
//!
//! How the tutorial is read (the conventions its markdown keeps):
//!
//! - The fenced blocks are taken in order (fences of ``` or ~~~).
//! - A file the reader is told to save is a ` ```toml ` block (or ` ```toml fragment `) with an
//!   HTML comment line `<!-- file: NAME -->` right before its opening fence (invisible when
//!   rendered). The block's text is written as `NAME` at the root of the reader's folder, at
//!   the point of the tutorial where it comes. A TOML block without the marker is an example
//!   to read, not a file to save, and is not written.
//! - Every line of a ` ```sh ` block that starts with `pledgesim ` is run with the test's
//!   binary, its arguments split as a shell would split them (single and double quotes,
//!   backslash escapes, a trailing `\` continues the line; no shell runs, so a pledgesim line
//!   with a pipe, redirection, `&&`, `;`, `$` or a glob fails the test). Skipped: blank
//!   lines, comment lines (`#`), and every line that is not a pledgesim command (`cargo ...`
//!   install and build lines, `grep ... | cut ...` and the like). The commands are run exactly
//!   as written: the tutorial itself uses 5 replications and the small scenario, so nothing is
//!   added to them here.
//! - Every command must exit 0.
//! - A ` ```text ` block that comes right after a ` ```sh ` block shows the output of that
//!   block's last pledgesim command: its first non-blank line must be in the command's
//!   stdout (a first line starting `note: ` or `warning: ` is a diagnostic, which a terminal
//!   shows with the output: it must be in stderr, and the first line after the diagnostics
//!   must be in stdout), with the figures that vary from machine to machine (durations such as `0.25s`
//!   and the thread count before `thread(s)`) left out of the comparison. A text block after
//!   a sh block with no pledgesim command (the `grep` of the sweep) is not checked.
//!
//! The reader's folder is a fresh temporary folder holding a copy of the repository's
//! `scenarios/` folder, as a reader has after cloning; every command runs from its root.

use crate::common;

use std::path::Path;
use std::time::Instant;

/// One fenced block: the line of its opening fence, its info string, its text, and the file
/// name of a `<!-- file: NAME -->` marker on the line before it.
#[derive(Debug)]
struct Block {
    line: usize,
    info: String,
    text: String,
    file: Option<String>,
}

/// The fenced blocks of a markdown text, in order.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize, Block)> = None;
    let mut previous = "";
    for (i, line) in markdown.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim_start_matches(' ');
        let fence = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match &mut open {
            None => {
                for c in ['`', '~'] {
                    let n = fence(c);
                    if indent <= 3 && n >= 3 {
                        let file = previous
                            .trim()
                            .strip_prefix("<!-- file:")
                            .and_then(|r| r.strip_suffix("-->"))
                            .map(|name| name.trim().to_string());
                        open = Some((
                            c,
                            n,
                            Block {
                                line: i + 1,
                                info: trimmed[n..].trim().to_string(),
                                text: String::new(),
                                file,
                            },
                        ));
                        break;
                    }
                }
            }
            Some((c, n, block)) => {
                if indent <= 3 && fence(*c) >= *n && trimmed[fence(*c)..].trim().is_empty() {
                    out.push(open.take().expect("open").2);
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
        previous = line;
    }
    if let Some((_, _, block)) = open {
        out.push(block);
    }
    out
}

/// The first word of a block's info string (`toml`, `sh`, `text`, ...).
fn language(b: &Block) -> &str {
    b.info.split_whitespace().next().unwrap_or("")
}

/// A command line split as a shell splits it; an error for what only a shell could do.
fn split_args(line: &str) -> Result<Vec<String>, String> {
    let mut args = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => word.push(x),
                        None => return Err(format!("unclosed ' in `{line}`")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => word.push(x),
                            Some(x) => {
                                word.push('\\');
                                word.push(x);
                            }
                            None => return Err(format!("unclosed \" in `{line}`")),
                        },
                        Some('$' | '`') => {
                            return Err(format!("needs a shell (expansion) in `{line}`"));
                        }
                        Some(x) => word.push(x),
                        None => return Err(format!("unclosed \" in `{line}`")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(x) => word.push(x),
                    None => return Err(format!("trailing \\ in `{line}`")),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    args.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '|' | '&' | ';' | '<' | '>' | '$' | '`' | '*' | '?' | '(' | ')' => {
                return Err(format!("needs a shell (`{c}`) in `{line}`"));
            }
            '#' if !in_word => break,
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        args.push(word);
    }
    Ok(args)
}

/// The pledgesim command lines of a sh block (continuation lines joined), without the
/// `pledgesim` word; every other line is skipped.
fn pledgesim_lines(text: &str) -> Vec<String> {
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        match line.trim_end().strip_suffix('\\') {
            Some(part) => {
                current.push_str(part);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                joined.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        joined.push(current);
    }
    joined
        .into_iter()
        .filter_map(|l| l.trim().strip_prefix("pledgesim ").map(str::to_string))
        .collect()
}

/// The parts of an output line that do not vary from machine to machine: the line cut at
/// every duration (`0.25s`) and at the thread count before `thread(s)`.
fn stable_pieces(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let duration = |w: &str| {
        w.strip_suffix('s').is_some_and(|n| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit() || c == '.')
                && n.chars().any(|c| c.is_ascii_digit())
        })
    };
    let mut pieces = Vec::new();
    let mut piece: Vec<&str> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let threads = words.get(i + 1).is_some_and(|n| n.starts_with("thread(s)"));
        if duration(w) || (threads && w.chars().all(|c| c.is_ascii_digit())) {
            pieces.push(piece.join(" "));
            piece.clear();
        } else {
            piece.push(w);
        }
    }
    pieces.push(piece.join(" "));
    pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Whether some line of `output` holds the stable pieces of `expected`, in order.
fn shows(output: &str, expected: &str) -> bool {
    let pieces = stable_pieces(expected);
    output.lines().any(|line| {
        let mut rest = line;
        pieces.iter().all(|p| match rest.find(p.as_str()) {
            Some(at) => {
                rest = &rest[at + p.len()..];
                true
            }
            None => false,
        })
    })
}

/// A fresh folder as a reader has after cloning: a copy of the repository's scenarios/.
fn readers_folder() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            let target = to.join(p.file_name().unwrap());
            if p.is_dir() {
                copy(&p, &target);
            } else {
                std::fs::copy(&p, &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        &dir.path().join("scenarios"),
    );
    dir
}

/// Follows `markdown` in `root`: saves the marked files, runs the pledgesim commands, checks
/// the shown outputs. Returns the commands run, or the first problem, naming the `label`'s line.
fn follow(label: &str, markdown: &str, root: &Path) -> Result<Vec<String>, String> {
    let mut ran = Vec::new();
    // The last pledgesim command of the block just before (if it was a sh block), with its
    // stdout and stderr.
    let mut last: Option<(String, String, String)> = None;
    for b in blocks(markdown) {
        let at = format!("{label}:{}", b.line);
        let shown = last.take();
        match language(&b) {
            "toml" => {
                if let Some(name) = &b.file {
                    common::write(root, name, &b.text);
                }
            }
            "sh" => {
                for line in pledgesim_lines(&b.text) {
                    let args = split_args(&line).map_err(|e| format!("{at}: {e}"))?;
                    let started = Instant::now();
                    let o = common::pledgesim()
                        .args(&args)
                        .current_dir(root)
                        .output()
                        .unwrap();
                    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
                    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
                    eprintln!(
                        "{at}: pledgesim {line} ({:.2}s)",
                        started.elapsed().as_secs_f64()
                    );
                    if !o.status.success() {
                        return Err(format!(
                            "{at}: `pledgesim {line}` exited with {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
                            o.status.code()
                        ));
                    }
                    ran.push(line.clone());
                    last = Some((line, stdout, stderr));
                }
            }
            "text" => {
                if let Some((line, stdout, stderr)) = shown {
                    let mut lines = b.text.lines().filter(|l| !l.trim().is_empty());
                    let mut first = lines.next().unwrap_or("");
                    // A diagnostic shown first went to stderr; the output proper follows it.
                    if first.starts_with("note: ") || first.starts_with("warning: ") {
                        if !shows(&stderr, first) {
                            return Err(format!(
                                "{at}: the tutorial shows `{first}` from \
                                 `pledgesim {line}`, whose stderr was:\n{stderr}"
                            ));
                        }
                        first = lines
                            .find(|l| !l.starts_with("note: ") && !l.starts_with("warning: "))
                            .unwrap_or("");
                    }
                    if !shows(&stdout, first) {
                        return Err(format!(
                            "{at}: the tutorial shows `{first}` as the output of \
                             `pledgesim {line}`, which printed:\n{stdout}"
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(ran)
}

#[test]
fn the_tutorial_runs_as_written() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/tutorial/index.md");
    let markdown = common::read_text(&path);
    let dir = readers_folder();
    let ran =
        follow("docs/tutorial/index.md", &markdown, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    // The path from a first run to a report: each step's command is there, and was run.
    for step in ["run ", "validate ", "compare ", "sweep ", "report ", "new "] {
        assert!(
            ran.iter().any(|l| l.starts_with(step)),
            "no `pledgesim {step}...` was run; ran: {ran:?}"
        );
    }
    // The files the reader was told to save are where the commands found them.
    for name in ["my-small.toml", "my-sweep.toml"] {
        assert!(dir.path().join(name).is_file(), "{name} was not saved");
    }
}

#[test]
fn a_failing_command_fails_the_tutorial() {
    let dir = readers_folder();
    let markdown = "Run it:\n\n```sh\n# a comment\ncargo build --release\npledgesim run no-such-file.toml\n```\n";
    let e = follow("snippet.md", markdown, dir.path()).unwrap_err();
    assert!(e.contains("snippet.md:3"), "{e}");
    assert!(
        e.contains("`pledgesim run no-such-file.toml` exited"),
        "{e}"
    );
}

#[test]
fn drifted_output_fails_the_tutorial() {
    let dir = readers_folder();
    let markdown = "```sh\npledgesim validate scenarios/small.toml\n```\n\n```text\nscenarios/small.toml: invalid\n```\n";
    let e = follow("snippet.md", markdown, dir.path()).unwrap_err();
    assert!(e.contains("snippet.md:5"), "{e}");
}

#[test]
fn saved_files_and_shell_words_are_read_as_a_reader_reads_them() {
    let dir = readers_folder();
    let markdown = "<!-- file: a b.toml -->\n```toml\nname = \"x\"\n```\n\n```sh\npledgesim validate 'a b.toml'\n```\n\n```text\na b.toml: valid\n```\n";
    let e = follow("snippet.md", markdown, dir.path());
    // Not a valid scenario, but it was saved under its marked name and found by the quoted word.
    assert!(dir.path().join("a b.toml").is_file());
    assert!(
        e.unwrap_err()
            .contains("`pledgesim validate 'a b.toml'` exited")
    );
    assert_eq!(
        split_args(r#"run "x y.toml" --out a\ b -r 5"#).unwrap(),
        ["run", "x y.toml", "--out", "a b", "-r", "5"]
    );
    assert!(split_args("run x.toml | tee log").is_err());
    assert_eq!(
        stable_pieces("5 points (1340989 events) in 0.25s on 2 thread(s); results in o"),
        [
            "5 points (1340989 events) in",
            "on",
            "thread(s); results in o"
        ]
    );
}
