//! The floor for reading a site's data files: a bare `csv` crate
//! `ByteRecord` loop over every `*.csv` under a folder, on one thread, with
//! nothing else done to the records (no decoding, no parsing of values).
//! `bench/run` times it as a whole process, beside `kiosque build`.
//!
//! ```text
//! cargo run --release --example byterecord -- DIR
//! ```
//!
//! Prints one line: `files F bytes B records R seconds S MB/s T`, where
//! `seconds` is the time spent in the loop (the whole process is timed by
//! the caller), bytes are the files' sizes on disk and records count every
//! line the reader returns, headers included. Files are read in path order,
//! with a `;` delimiter and flexible record lengths.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Every `*.csv` file under `dir`, sorted, without following symbolic links.
fn csv_files(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            csv_files(&path, found)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            found.push(path);
        }
    }
    Ok(())
}

fn run(dir: &Path) -> Result<(), String> {
    let started = Instant::now();
    let mut paths = Vec::new();
    csv_files(dir, &mut paths).map_err(|e| format!("{}: {e}", dir.display()))?;
    paths.sort();
    let (mut bytes, mut records) = (0u64, 0u64);
    let mut record = csv::ByteRecord::new();
    for path in &paths {
        let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        bytes += file.metadata().map_err(|e| format!("{}: {e}", path.display()))?.len();
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').flexible(true).has_headers(false).from_reader(file);
        while reader.read_byte_record(&mut record).map_err(|e| format!("{}: {e}", path.display()))? {
            records += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "files {} bytes {bytes} records {records} seconds {seconds:.6} MB/s {:.1}",
        paths.len(),
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir] = args.as_slice() else {
        eprintln!("usage: byterecord DIR   (reads every *.csv under DIR with a csv ByteRecord loop)");
        return ExitCode::from(2);
    };
    match run(Path::new(dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("byterecord: {e}");
            ExitCode::FAILURE
        }
    }
}
