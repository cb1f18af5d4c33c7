//! `pledgesim new`: writes a complete, commented scenario to start from (the smallest force with
//! every part, or a contact centre alone), refusing to replace a file unless asked.

use super::say;
use crate::error::{Error, InputError};
use std::path::PathBuf;

/// The scenario `pledgesim new` writes: a small force with every part (contact centre,
/// response, neighbourhood teams, follow-up work, appointments).
pub const TEMPLATE_FULL: &str = include_str!("../../scenarios/templates/full.toml");
/// The scenario `pledgesim new --contact-only` writes: a contact centre alone.
pub const TEMPLATE_CONTACT_ONLY: &str = include_str!("../../scenarios/templates/contact-only.toml");

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The file to write; `-` writes the scenario to stdout.
    #[arg(default_value = "scenario.toml")]
    pub file: PathBuf,
    /// A contact centre alone (999 and non-emergency calls, call handlers on shifts), no field side.
    #[arg(long)]
    pub contact_only: bool,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Writes a scenario template (or prints it, for `-`) and says what to run next. An existing
/// file is not replaced without --force.
pub(super) fn new(args: &NewArgs) -> Result<(), Error> {
    use std::io::Write;
    let (text, what) = if args.contact_only {
        (
            TEMPLATE_CONTACT_ONLY,
            "a contact centre alone: 999 and non-emergency calls, call handlers on three shifts",
        )
    } else {
        (
            TEMPLATE_FULL,
            "a small force with every part: contact centre, response, neighbourhood teams, follow-up work and appointments",
        )
    };
    let file = &args.file;
    if file.as_os_str() == "-" {
        say(text);
        return Ok(());
    }
    let label = file.display().to_string();
    let refuse = |why: String| -> Error { InputError::new(&label, "", why).into() };
    if file.is_dir() {
        return Err(refuse(
            "is a folder; name the scenario file to write, e.g. scenario.toml".into(),
        ));
    }
    let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(p) = parent.filter(|p| !p.is_dir()) {
        return Err(refuse(format!(
            "the folder {} does not exist; create it first or name a file elsewhere",
            p.display()
        )));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut f = match options.open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(refuse(
                "already exists, and `pledgesim new` does not replace a file: pass --force to overwrite it, or name another file".into(),
            ));
        }
        Err(e) => return Err(Error::io(file, e)),
    };
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(file, e))?;
    let shown = shell_word(&label);
    say(&format!(
        "wrote {label}: {what}; every figure is a placeholder to replace with your own\nnext: pledgesim run {shown}\n"
    ));
    Ok(())
}

/// A path as one shell word: quoted when it holds anything but plain characters.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./+,:@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
