//! The documentation's TOML is checked: every fenced block of README.md and of docs/**/*.md.
//!
//! The conventions (whatever the markdown holds today):
//!
//! - ` ```toml `: a complete file, which must work as written. A scenario must pass
//!   `pledgesim validate`; a sweep (a block with a top-level `base` key) must load as
//!   `pledgesim sweep` loads it, every point checked. The block is written as a file at the
//!   root of a copy of the repository's layout (`scenarios/` with every shipped scenario and
//!   CSV file, an empty `scenarios/sweeps/`), as a reader who saves it beside the README would:
//!   so side files are named from the repository's root
//!   (`wards_file = "scenarios/county-district-wards.csv"`), and so is a sweep's base
//!   (`base = "scenarios/small.toml"`). A calibration's observed file (a block with top-level
//!   `observed` and `fit`) must load as `pledgesim calibrate scenarios/small.toml` loads it.
//! - ` ```toml fragment `: part of a file, which must be valid TOML 1.0 on its own.
//! - No TOML block of either kind may contain `...` (write the values out, or leave the key out).
//! - Other blocks (` ```sh `, ` ```text `, ...) are not checked.

use crate::common;

use common::pledgesim;
use std::path::{Path, PathBuf};

/// One fenced block: the file, the line of its opening fence, its info string and its text.
#[derive(Debug)]
struct Block {
    file: String,
    line: usize,
    info: String,
    text: String,
}

/// The fenced blocks of a markdown text (fences of ``` or ~~~, indented at most 3 spaces,
/// closed by a fence of the same character at least as long).
fn blocks(file: &str, markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize, Block)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim_start_matches(' ');
        let fence = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match &mut open {
            None => {
                for c in ['`', '~'] {
                    let n = fence(c);
                    if indent <= 3 && n >= 3 {
                        open = Some((
                            c,
                            n,
                            Block {
                                file: file.to_string(),
                                line: i + 1,
                                info: trimmed[n..].trim().to_string(),
                                text: String::new(),
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
    }
    // A block left open runs to the end of the file (as markdown renders it).
    if let Some((_, _, block)) = open {
        out.push(block);
    }
    out
}

/// What a block's info string makes of it.
#[derive(Debug, PartialEq)]
enum Kind {
    Complete,
    Fragment,
    Other,
}

fn kind(info: &str) -> Kind {
    let mut words = info.split_whitespace();
    match words.next() {
        Some("toml") if words.any(|w| w == "fragment") => Kind::Fragment,
        Some("toml") => Kind::Complete,
        _ => Kind::Other,
    }
}

/// A copy of the repository's scenarios/ folder (its files, and an empty sweeps/ below it)
/// for blocks to sit in.
fn scenarios_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("scenarios");
    std::fs::create_dir_all(to.join("sweeps")).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for e in std::fs::read_dir(&from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// Checks one block; the problem, if any, in words.
fn check(block: &Block, root: &Path) -> Result<(), String> {
    let k = kind(&block.info);
    if k == Kind::Other {
        return Ok(());
    }
    if block.text.contains("...") {
        return Err("contains `...`: write the values out, or leave the key out".into());
    }
    let table: toml::Table = toml::from_str(&block.text).map_err(|e| {
        format!(
            "not valid TOML{}: {}",
            if k == Kind::Complete {
                " (a partial snippet is fenced ```toml fragment)"
            } else {
                ""
            },
            e.to_string().trim()
        )
    })?;
    if k == Kind::Fragment {
        return Ok(());
    }
    if table.contains_key("base") {
        let file = root.join("docs-block-sweep.toml");
        std::fs::write(&file, &block.text).unwrap();
        return pledgesim::experiment::sweep::Sweep::load(&file)
            .map(|_| ())
            .map_err(|e| format!("not a valid sweep: {e}"));
    }
    if table.contains_key("observed") && table.contains_key("fit") {
        let file = root.join("docs-block-observed.toml");
        std::fs::write(&file, &block.text).unwrap();
        return pledgesim::experiment::calibrate::Calibration::load(
            &root.join("scenarios/small.toml"),
            &file,
        )
        .map(|_| ())
        .map_err(|e| format!("not a valid observed file for scenarios/small.toml: {e}"));
    }
    let file = root.join("docs-block.toml");
    std::fs::write(&file, &block.text).unwrap();
    let out = pledgesim().arg("validate").arg(&file).output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`pledgesim validate` refuses it (a partial snippet is fenced ```toml fragment): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Every block's problems, as "file:line: problem" lines.
fn problems(blocks: &[Block]) -> Vec<String> {
    let root = scenarios_copy();
    let mut new = Vec::new();
    for b in blocks {
        if let Err(why) = check(b, root.path()) {
            new.push(format!("{}:{}: ```{} block: {why}", b.file, b.line, b.info));
        }
    }
    new
}

/// README.md and every docs/**/*.md, relative to the repository's root.
fn markdown_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![PathBuf::from("README.md")];
    let mut dirs = vec![PathBuf::from("docs")];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(root.join(&d)) else {
            continue;
        };
        for e in entries {
            let name = d.join(e.unwrap().file_name());
            let p = root.join(&name);
            if p.is_dir() {
                dirs.push(name);
            } else if name.extension().is_some_and(|x| x == "md") {
                files.push(name);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_toml_block_of_the_docs_works_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for f in markdown_files() {
        let text = std::fs::read_to_string(root.join(&f)).unwrap();
        all.extend(blocks(&f.display().to_string(), &text));
    }
    assert!(
        all.iter().any(|b| kind(&b.info) != Kind::Other),
        "no TOML blocks found"
    );
    let new = problems(&all);
    assert!(
        new.is_empty(),
        "{} documentation block(s) do not work as written:\n{}",
        new.len(),
        new.join("\n")
    );
}

/// The checker catches what it is there to catch: a scenario that does not validate, a
/// snippet fenced as a complete file, `...` in either kind, a fragment that is not TOML; and
/// it passes what is right, side files resolved beside the shipped scenarios.
#[test]
fn a_broken_block_is_caught() {
    let md = r#"
# A page

```toml
name = "broken"
[run]
horizon = "2d"
[demand.emergency]
calls_per_week = -5
handling = { kind = "exponential", mean = "4min" }
[roster.handlers]
constant = 2
```

```toml
[response]
metric = "euclidean"
```

```toml fragment
hourly = [0.75, 0.6, ...]
```

```toml fragment
[run
```

```toml
name = "fine"
[demand.emergency]
calls_per_week = 500
profile_file = "scenarios/county-999-profile.csv"
handling = { kind = "exponential", mean = "4min" }
[roster.handlers]
constant = 2
```

```toml fragment
[run]
horizon = "2d"
```

```toml
base = "scenarios/small.toml"
[grid]
"roster.handlers.constant" = [12, 14]
```

```sh
pledgesim run ... # not checked
```
"#;
    let found = blocks("page.md", md);
    assert_eq!(found.len(), 8);
    assert_eq!(
        found.iter().map(|b| b.line).collect::<Vec<_>>(),
        [4, 15, 20, 24, 28, 38, 43, 49]
    );
    let new = problems(&found);
    let at = |line: usize| {
        new.iter()
            .find(|p| p.starts_with(&format!("page.md:{line}: ")))
            .unwrap_or_else(|| panic!("line {line} not caught: {new:?}"))
    };
    assert!(
        at(4).contains("`pledgesim validate` refuses it"),
        "{}",
        at(4)
    );
    assert!(at(4).contains("calls_per_week"), "{}", at(4));
    assert!(
        at(15).contains("`pledgesim validate` refuses it"),
        "{}",
        at(15)
    );
    assert!(at(20).contains("contains `...`"), "{}", at(20));
    assert!(at(24).contains("not valid TOML"), "{}", at(24));
    assert_eq!(new.len(), 4, "{new:?}");
}

/// The fields of the scenario file's serde structs (`pub name: Type` in a struct that derives
/// `Deserialize`), by the name a file writes them with (`#[serde(rename = "...")]` applied),
/// each with the struct it belongs to.
fn scenario_fields(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut deserialize, mut in_struct, mut rename) = (false, None::<String>, None::<String>);
    for line in source.lines() {
        let t = line.trim();
        if t.starts_with("#[derive(") {
            deserialize = t.contains("Deserialize");
        } else if let Some(rest) = t.strip_prefix("pub struct ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            in_struct = deserialize.then_some(name);
        } else if t == "}" {
            in_struct = None;
        } else if let Some(r) = t.strip_prefix("#[serde(rename = \"") {
            rename = r.split('"').next().map(str::to_string);
        } else if let (Some(s), Some(rest)) = (&in_struct, t.strip_prefix("pub ")) {
            if let Some((field, _)) = rest.split_once(':') {
                let name = rename.take().unwrap_or_else(|| field.trim().to_string());
                out.push((s.clone(), name));
            }
        }
    }
    out
}

/// The keys a reference page names: every part of every `dotted.key` in backticks (a table's
/// key is named by its keys' paths), and every `key =` at the start of a line.
fn documented_keys(markdown: &str) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    for (i, part) in markdown.split('`').enumerate() {
        if i % 2 == 1 {
            for segment in part.trim_matches(|c| c == '[' || c == ']').split('.') {
                keys.insert(segment.trim().to_string());
            }
        }
    }
    for line in markdown.lines() {
        let t = line.trim();
        // A table header: [a.b] or [[a.b]].
        if t.starts_with('[') {
            let header = t.trim_start_matches('[');
            let header = header.split(']').next().unwrap_or("");
            for segment in header.split('.') {
                keys.insert(segment.trim().trim_matches('"').to_string());
            }
        }
        // Every `key =`, inline tables included: `{ after = "3h", length = "45min" }`.
        let code = line.split('#').next().unwrap_or("");
        for (i, _) in code.match_indices('=') {
            if code[i + 1..].starts_with('=') || code[..i].ends_with(['=', '!', '<', '>']) {
                continue;
            }
            let before = code[..i].trim_end();
            let k: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '"')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let k = k.trim_matches('"');
            if !k.is_empty() {
                keys.insert(k.to_string());
            }
        }
    }
    keys
}

/// The fields a scenario file's types accept that the reference does not name.
fn undocumented(source: &str, markdown: &str) -> Vec<String> {
    let keys = documented_keys(markdown);
    scenario_fields(source)
        .into_iter()
        .filter(|(_, f)| !keys.contains(f))
        .map(|(s, f)| format!("{s}.{f}"))
        .collect()
}

#[test]
fn every_scenario_key_is_in_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The file structs: src/scenario/file.rs and the rooms of src/scenario/file/.
    let mut source = std::fs::read_to_string(root.join("src/scenario/file.rs")).unwrap();
    let mut rooms: Vec<_> = std::fs::read_dir(root.join("src/scenario/file"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    rooms.sort();
    for p in rooms {
        source.push_str(&std::fs::read_to_string(p).unwrap());
    }
    let reference = std::fs::read_to_string(root.join("docs/reference/scenario.md")).unwrap();
    let fields = scenario_fields(&source);
    assert!(fields.len() > 100, "only {} fields read", fields.len());
    let missing = undocumented(&source, &reference);
    assert!(
        missing.is_empty(),
        "scenario keys with no entry in docs/reference/scenario.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_key_without_documentation_is_caught() {
    let source = r#"
#[derive(Clone, Debug, Deserialize)]
pub struct RunFile {
    pub horizon: Option<Duration>,
    #[serde(rename = "type")]
    pub kind: String,
    pub brand_new_key: Option<u32>,
}
#[derive(Clone, Debug)]
pub struct NotRead {
    pub internal: u32,
}
"#;
    let markdown = "| `run.horizon` | duration |\n\n```toml\ntype = \"urban\"\n```\n";
    assert_eq!(undocumented(source, markdown), ["RunFile.brand_new_key"]);
}
