//! Records the versions of the crates that results depend on, from Cargo.lock, so that every
//! run's manifest names them.
fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let wanted = [
        "rand",
        "rand_core",
        "rand_distr",
        "chacha20",
        "rayon",
        "statrs",
        "serde_json",
        "toml",
        "csv",
    ];
    let mut found = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let Some(v) = line.strip_prefix("version = ") {
            if let Some(n) = name.take() {
                if wanted.contains(&n.as_str()) {
                    found.push(format!("{n}={}", v.trim_matches('"')));
                }
            }
        }
    }
    println!(
        "cargo:rustc-env=PLEDGESIM_CRATE_VERSIONS={}",
        found.join(",")
    );
}
