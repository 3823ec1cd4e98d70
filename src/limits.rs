//! The limits kiosque enforces on its inputs, in one place, so that memory
//! and time stay bounded whatever a folder holds (hostile or mistaken
//! files included). Each is documented for referents in the README
//! ("Limites / Limits"), with the message shown when it is reached.

/// The largest sidecar, `site.yaml` or page kiosque reads (1 MiB): a
/// metadata file larger than that is a mistake (data pasted into it, or an
/// attack). Beyond it: error `file-too-large`.
pub const MAX_TEXT_FILE: u64 = 1 << 20;

/// How deeply YAML values may nest (lists in lists, keys under keys). A
/// sidecar needs four or five levels. Beyond it: error `yaml-too-deep`.
pub const MAX_YAML_DEPTH: usize = 64;

/// YAML nodes (values, keys, list items) one file may hold, aliases
/// expanded. Beyond it: error `yaml-too-complex`.
pub const MAX_YAML_NODES: usize = 200_000;

/// Bytes the cells of one CSV record (one line, or several when a quoted
/// cell holds line breaks) may hold in all, decoded to UTF-8, without quotes
/// and separators (16 MiB): the longest record is held in memory while it
/// is read. Beyond it: error `csv-line-too-long`, and the rest of the
/// record is skipped.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// Columns of a table that are profiled, described and shown in the
/// preview; the normalised copy and the exports keep every column. Beyond
/// it: warning `csv-too-many-columns`.
pub const MAX_COLUMNS: usize = 1_000;

/// Characters of a column name kept in descriptions and previews (the
/// published files keep the whole name). Beyond it: warning
/// `csv-long-column-name`.
pub const MAX_COLUMN_NAME_CHARS: usize = 200;

/// Preview cells are cut to this many characters (the file has them whole).
pub const PREVIEW_CELL_CHARS: usize = 1_000;

/// Data rows shown in a page's static preview table.
pub const HEAD_ROWS: usize = 50;

/// Tables larger than this get no JSON or Excel export (a re-user of a file
/// that big wants the CSV).
pub const EXPORT_LIMIT_BYTES: u64 = 200 * 1024 * 1024;

/// GeoJSON files larger than this are not drawn, JSON files not previewed
/// (the file is still published).
pub const PREVIEW_LIMIT_BYTES: u64 = 50 * 1024 * 1024;

/// How deeply JSON values may nest in one GeoJSON feature (the JSON
/// reader's own limit): a deeper feature is reported as invalid, the others
/// are drawn.
pub const MAX_JSON_DEPTH: usize = 128;

/// The largest part of a workbook read whole into memory (its shared
/// strings, an ODS sheet's content), once uncompressed (64 MiB). Beyond it:
/// error `workbook-too-large`.
pub const MAX_WORKBOOK_PART_BYTES: u64 = 64 << 20;

/// Cells with a value in the ODS sheets of a workbook, repeats expanded
/// (five million): calamine reads ODS sheets whole. Beyond it: error
/// `workbook-too-large`.
pub const MAX_WORKBOOK_CELLS: u64 = 5_000_000;

/// Cells of a sheet stored out of row order that are sorted in memory (a
/// million). Beyond it: error `workbook-too-large`.
pub const MAX_UNORDERED_CELLS: usize = 1_000_000;

/// `s` cut to at most `max` characters, on a character boundary.
pub fn cut_chars(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    match s.char_indices().nth(max) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}
