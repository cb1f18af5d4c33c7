//! The house's shape, checked: every module of src/ imports only its own layer's lower floors,
//! and no part (contact, response, neighbourhood, follow-up) of a layer calls another part of the
//! same layer. Read from the source text, so a new `use` that runs up a floor fails here.
//!
//! Floors, lowest first: time, error, rng | engine, stats, scenario, log | model | fit, measure |
//! experiment | output | report | cli.

use std::path::{Path, PathBuf};

/// Each top-level module and its floor.
const FLOORS: [(&str, u32); 14] = [
    ("time", 0),
    ("error", 0),
    ("rng", 0),
    ("engine", 1),
    ("stats", 1),
    ("scenario", 1),
    ("model", 2),
    ("log", 1),
    ("fit", 3),
    ("measure", 3),
    ("experiment", 4),
    ("output", 5),
    ("report", 6),
    ("cli", 7),
];

const PARTS: [&str; 4] = ["contact", "response", "neighbourhood", "followup"];

fn floor(module: &str) -> Option<u32> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules a file names with `crate::`, outside comments.
fn crate_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn no_module_imports_a_higher_floor() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let Some(own) = floor(&top) else {
            // lib.rs and main.rs: the roots.
            assert!(matches!(top.as_str(), "lib" | "main"), "{top} has no floor");
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        for r in crate_refs(&text) {
            if let Some(f) = floor(&r) {
                if f > own {
                    wrong.push(format!(
                        "{} ({top}, floor {own}) uses {r} (floor {f})",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports up a floor:\n{}",
        wrong.join("\n")
    );
    assert!(files.len() > 40, "only {} files read", files.len());
}

#[test]
fn no_part_calls_another_part_of_its_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for path in &files {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        if !PARTS.contains(&stem.as_str()) {
            continue;
        }
        let dir = path.parent().unwrap();
        let dir_name = dir.file_name().unwrap().to_string_lossy().to_string();
        let layer = dir
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('/', "::");
        let text = std::fs::read_to_string(path).unwrap();
        for other in PARTS.iter().filter(|p| **p != stem) {
            // Only parts that are siblings in this folder count.
            if !dir.join(format!("{other}.rs")).exists() && !dir.join(other).is_dir() {
                continue;
            }
            for pat in [
                format!("super::{other}::"),
                format!("super::{other}}}"),
                format!("crate::{layer}::{other}::"),
            ] {
                if text
                    .lines()
                    .map(|l| l.split("//").next().unwrap_or(""))
                    .any(|l| l.contains(&pat))
                {
                    wrong.push(format!(
                        "{dir_name}/{stem}.rs uses its sibling part {other}"
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "parts calling parts:\n{}",
        wrong.join("\n")
    );
}

/// The sibling modules a file names: `super::x` where x.rs or x/ stands beside it (for a mod.rs,
/// `self::x`/`x::` children are its own rooms, not siblings, and are not counted).
fn sibling_refs(path: &Path, text: &str) -> Vec<String> {
    let dir = path.parent().unwrap();
    let me = path.file_stem().unwrap().to_string_lossy().to_string();
    if me == "mod" {
        return Vec::new();
    }
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("super::") {
            rest = &rest[i + "super::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let is_module = dir.join(format!("{name}.rs")).exists() || dir.join(&name).is_dir();
            if name != me && is_module && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn no_import_circle_between_sibling_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // Edges a -> b between files of one folder; a circle is a path back to where it began.
    let mut edges: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let dir = path.parent().unwrap();
        for name in sibling_refs(path, &text) {
            let file = dir.join(format!("{name}.rs"));
            let target = if file.exists() {
                file
            } else {
                dir.join(&name).join("mod.rs")
            };
            edges.push((path.clone(), target));
        }
    }
    let mut circles = Vec::new();
    for (a, b) in &edges {
        // Is there a way from b back to a?
        let mut seen = vec![b.clone()];
        let mut todo = vec![b.clone()];
        while let Some(x) = todo.pop() {
            for (p, q) in &edges {
                if *p == x && !seen.contains(q) {
                    seen.push(q.clone());
                    todo.push(q.clone());
                }
            }
        }
        if seen.contains(a) {
            circles.push(format!("{} <-> {}", a.display(), b.display()));
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_checker_sees_an_import_up_a_floor() {
    // The reader the two tests rely on: it finds references and ignores comments.
    assert_eq!(
        crate_refs("use crate::output::x; // crate::report"),
        vec!["output".to_string()]
    );
    assert!(floor("output").unwrap() > floor("experiment").unwrap());
}
