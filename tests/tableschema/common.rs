//! Test helpers: finding the shared folder and reading CSV files as frictionless does.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kiosque::tableschema::{Report, Schema, TableValidator};

/// The shared folder (`KIOSQUE_SHARED`, else `../shared` beside the crate, else
/// `/work/shared`).
pub fn shared_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KIOSQUE_SHARED").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.join("schemas").is_dir());
    if found.is_none() {
        eprintln!("skipped: ../shared (with schemas/) not found; set KIOSQUE_SHARED to run this test");
    }
    found
}

/// Decodes a file: UTF-8 (BOM dropped), else Windows-1252 as frictionless' charset
/// detection concludes for the example files that are not UTF-8.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| cp1252(b)).collect(),
    }
}

/// One Windows-1252 byte as a character.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// The delimiter: `;` when the first line has more of them than commas.
pub fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' }
}

/// A parsed CSV: header, then `(line, cells)` rows, with an empty row for each
/// blank line (the `csv` crate skips them; frictionless counts them as rows and
/// reports each as `blank-row`).
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Reads a CSV text with the `csv` crate. A record's position is where the reader
/// started, before the blank lines it skipped: those are counted back from the
/// line breaks found at that position (one more line break ending the file than
/// the last record needs is a blank row too, as Python's `csv` reads it).
pub fn read_csv(text: &str) -> Table {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.expect("readable CSV");
        let (at, line) = record_start(text.as_bytes(), record.position().expect("records have a position"));
        let blanks = line_breaks_at(&text.as_bytes()[at..]);
        for k in 0..blanks {
            records.push((line + k, Vec::new()));
        }
        records.push((line + blanks, record.iter().map(str::to_owned).collect()));
    }
    let last_line = records.last().map_or(0, |(l, cells)| l + newlines(cells));
    let trailing = trailing_line_breaks(text.as_bytes()).saturating_sub(1);
    records.extend((1..=trailing).map(|k| (last_line + k, Vec::new())));
    let mut iter = records.into_iter();
    let header = iter.next().map(|(_, h)| h).unwrap_or_default();
    Table { header, rows: iter.collect() }
}

/// Where a record's reading started, as (byte, line): after a CRLF the `csv` crate
/// stops on the `\r`, so the `\n` (and the line count) belongs to the next record.
fn record_start(bytes: &[u8], position: &csv::Position) -> (usize, u64) {
    let at = position.byte() as usize;
    if at > 0 && bytes[at - 1] == b'\r' && bytes.get(at) == Some(&b'\n') {
        (at + 1, position.line() + 1)
    } else {
        (at, position.line())
    }
}

/// How many line breaks (`\r\n`, `\n` or `\r`) start `bytes`.
fn line_breaks_at(bytes: &[u8]) -> u64 {
    let (mut i, mut count) = (0, 0);
    while i < bytes.len() && matches!(bytes[i], b'\n' | b'\r') {
        i += if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
        count += 1;
    }
    count
}

/// How many line breaks end `bytes`.
fn trailing_line_breaks(bytes: &[u8]) -> u64 {
    let (mut end, mut count) = (bytes.len(), 0);
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= if bytes[end - 1] == b'\n' && end >= 2 && bytes[end - 2] == b'\r' { 2 } else { 1 };
        count += 1;
    }
    count
}

/// Line breaks inside a record's cells.
fn newlines(cells: &[String]) -> u64 {
    cells.iter().map(|c| c.matches('\n').count() as u64).sum()
}

/// Validates a CSV file against a schema.
pub fn validate_file(schema: &Schema, csv_path: &Path) -> Report {
    let text = decode(&std::fs::read(csv_path).expect("readable CSV file"));
    let table = read_csv(&text);
    let mut validator = TableValidator::new(schema, &table.header);
    for (line, cells) in &table.rows {
        validator.push_row(*line, cells);
    }
    validator.finish()
}

/// Reads a schema file.
pub fn load_schema(path: &Path) -> Schema {
    let text = std::fs::read_to_string(path).expect("readable schema");
    Schema::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
