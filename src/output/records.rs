//! calls.csv (or calls.csv.gz): the per-call records of a run (`run --records`). Each
//! replication writes its rows to a file of its own while it runs; they are joined here, in
//! replication order, under one header, so the file is the same whatever the number of threads.
//! The rows are copied in blocks: memory does not grow with the run's length.

use crate::error::Error;
use crate::model::records::RECORDS_HEADER;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// How the records are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordsFormat {
    Csv,
    Gz,
}

impl RecordsFormat {
    /// The file's name in the output folder.
    pub fn file_name(self) -> &'static str {
        match self {
            RecordsFormat::Csv => "calls.csv",
            RecordsFormat::Gz => "calls.csv.gz",
        }
    }
}

/// Where the replications' rows were written, and how to join them.
pub struct Records<'a> {
    /// The folder of the replications' files ([`crate::experiment::records_part`]).
    pub parts: &'a Path,
    pub replications: u32,
    pub format: RecordsFormat,
}

/// Writes the records file into the (temporary) output folder `dir`.
pub fn write_records(dir: &Path, records: &Records) -> Result<(), Error> {
    let path = dir.join(records.format.file_name());
    let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let joined = match records.format {
        RecordsFormat::Csv => {
            let mut w = io::BufWriter::with_capacity(1 << 16, file);
            join(&mut w, records).and_then(|()| w.into_inner().map_err(|e| e.into_error()))
        }
        RecordsFormat::Gz => {
            let w = io::BufWriter::with_capacity(1 << 16, file);
            let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::fast());
            join(&mut gz, records)
                .and_then(|()| gz.finish()?.into_inner().map_err(|e| e.into_error()))
        }
    };
    let file = joined.map_err(|e| Error::io(&path, e))?;
    file.sync_all().map_err(|e| Error::io(&path, e))
}

/// The header, then each replication's rows in replication order.
fn join(w: &mut impl Write, records: &Records) -> io::Result<()> {
    w.write_all(RECORDS_HEADER.join(",").as_bytes())?;
    w.write_all(b"\n")?;
    for r in 0..records.replications {
        let part = crate::experiment::records_part(records.parts, r);
        let mut f = fs::File::open(&part)?;
        io::copy(&mut f, w)?;
    }
    w.flush()
}
