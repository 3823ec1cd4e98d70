//! Replays the fuzz targets' seeds (`fuzz/seeds/<target>/`) and every input
//! that once crashed one (`fuzz/regressions/<target>/`) through the same
//! entry points the fuzzers call (`kiosque::fuzzing`), on stable: a fixed
//! crash stays fixed without nightly or libFuzzer. See `fuzz/README.md`.

use std::path::{Path, PathBuf};

/// The files of `fuzz/<kind>/<target>/`, sorted (dot files left out).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(kind).join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    files.sort();
    files
}

/// Runs `run` on every seed and regression input of `target`; fails with
/// the list of the inputs that panicked.
fn replay(target: &str, run: fn(&[u8])) {
    let seeds = inputs("seeds", target);
    assert!(!seeds.is_empty(), "no seed for {target}");
    let mut failed = Vec::new();
    for path in seeds.iter().chain(&inputs("regressions", target)) {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: these inputs panic:\n{}", failed.join("\n"));
}

#[test]
fn sidecar() {
    replay("sidecar", kiosque::fuzzing::sidecar);
}

#[test]
fn csv() {
    replay("csv", kiosque::fuzzing::csv);
}

#[test]
fn markdown() {
    replay("markdown", kiosque::fuzzing::markdown);
}

#[test]
fn table_schema() {
    replay("table_schema", kiosque::fuzzing::table_schema);
}

#[test]
fn workbook() {
    replay("workbook", kiosque::fuzzing::workbook);
}

#[test]
fn geojson() {
    replay("geojson", kiosque::fuzzing::geojson);
}
