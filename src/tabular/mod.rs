//! Reading and profiling CSV-like files, as French communes publish them:
//! any encoding (windows-1252, UTF-8 with or without BOM, UTF-16), `;` or
//! `,` or tab or `|` delimiters, decimal commas, title lines above the
//! header, ragged rows, files of any size.
//!
//! Everything streams: a file is read once, with memory bounded by the
//! number of columns (and the longest record), never by its size.
//!
//! - [`sniff`] guesses a [`Dialect`] from the first bytes of a file;
//! - [`profile_reader`] / [`profile_path`] hash, parse and profile a file in
//!   one pass, returning a [`Profile`] (types, nulls, distinct values,
//!   min/max, top values, and [`Issue`]s with file line numbers);
//! - [`records`] iterates over the records of a file, decoded to UTF-8;
//! - [`write_normalised_csv`] rewrites a file as plain UTF-8 RFC 4180 CSV.
//!
//! Results are typed data; wording them for people is up to the caller.

mod dialect;
pub mod histogram;
mod infer;
mod issues;
mod parse;
mod profile;
mod records;
mod source;
mod stats;
#[cfg(test)]
mod tests;

pub use self::dialect::{Dialect, DialectOptions, EncodingName, LineEnding, SAMPLE_LEN, resolve_encoding, sniff};
pub use self::infer::{iso_temporal, plain_number};
pub use self::issues::{Issue, IssueKind};
pub use self::profile::{
    ColumnProfile, ColumnType, FEW_VALUES, Profile, RowObserver, profile_path, profile_path_observed, profile_reader,
    profile_reader_observed,
};
pub use self::records::{Normaliser, Record, Records, records, spreadsheet_safe, write_field, write_normalised_csv};
pub use self::stats::Distribution;
