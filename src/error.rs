//! Errors are values with one printer. Bad input (a scenario, a CSV file beside it, a flag)
//! becomes [`InputError`]s naming the file, line and field and what is allowed; the command
//! line prints them and exits with code 2.
//!
//! Exit codes, the same for every command ([`Error::exit_code`] decides them):
//!
//! - **0**: success, warnings included. Warnings go to stderr as `warning: ...` and do not
//!   change the code: a scenario that is valid but overloaded; `report` (or `--report`) with no
//!   Chromium or Chrome to print report.pdf (report.html and the charts are written); a
//!   staffing search whose verdict is that no staffing within its bounds keeps the targets
//!   (the verdict is the answer, printed and written in its folder).
//! - **2**: anything the user gave that is wrong or missing, or that pledgesim refuses
//!   ([`Error::Input`]): a scenario, sweep, CSV or template file that does not exist, cannot
//!   be read or is invalid; a bad flag or value; an output folder that is not pledgesim's; a
//!   damaged output folder given to `report`, `merge` or `--resume`; a file `new` would
//!   overwrite; a staffing request that cannot be searched (a target the scenario has no calls
//!   for, shift patterns that leave hours with calls uncovered); PLEDGESIM_BROWSER naming no
//!   program.
//! - **1**: failures of the machine, not of the input: a file or folder that cannot be
//!   written (disk full, no permission: [`Error::Io`]); a browser that was found but crashed
//!   or printed nothing ([`Error::Program`]).

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem with the user's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The file at fault (a scenario, a CSV file), or a label such as "command line".
    pub file: String,
    /// 1-based line and column, where known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field at fault, as a path such as `roster.handlers.shifts[2].count`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl InputError {
    pub fn new(
        file: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            file: file.into(),
            line: None,
            column: None,
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": field `{}`", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything pledgesim can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is wrong (exit code 2).
    #[error("{}", format_input_errors(.0))]
    Input(Vec<InputError>),
    /// A file could not be read or written (exit code 1).
    #[error("error: {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A program pledgesim runs (the browser printing report.pdf) failed (exit code 1).
    #[error("error: {}: {message}", program.display())]
    Program { program: PathBuf, message: String },
}

/// The most problems listed at once; the rest are counted ("and 12 more").
pub const MAX_LISTED: usize = 100;

fn format_input_errors(errors: &[InputError]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().take(MAX_LISTED).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("error: {e}"));
    }
    if errors.len() > MAX_LISTED {
        out.push_str(&format!("\nerror: and {} more", errors.len() - MAX_LISTED));
    }
    out
}

impl Error {
    /// The process exit code (the module's rule): 2 for the user's input, 1 for the machine.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Io { .. } | Error::Program { .. } => 1,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(vec![e])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
