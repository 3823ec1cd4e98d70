//! Frictionless [Table Schema](https://specs.frictionlessdata.io/table-schema/)
//! validation, with verdicts aligned on the reference validator (frictionless-py v5).
//!
//! ```text
//! let schema = Schema::parse(text)?;                  // tolerant: warnings in schema.issues
//! let mut v = TableValidator::new(&schema, &header);  // header = row 1
//! for (line, cells) in rows { v.push_row(line, &cells); }
//! let report = v.finish();                            // errors + grouped summary
//! ```
//!
//! Errors carry frictionless' types (`type-error`, `constraint-error`,
//! `missing-label`...), row numbers (header = row 1), field positions and notes, so
//! they can be compared one for one with `frictionless validate --json`.
//!
//! Reading the CSV (encoding, delimiter) is the caller's job. Frictionless counts
//! every record, blank lines included, so a caller that wants its row numbers must
//! push an empty row for each blank line its CSV reader skipped (the `csv` crate
//! skips them silently; see `tests/common/mod.rs` for how to find them).
//!
//! Where we differ from frictionless-py 5.21 on purpose or by approximation:
//! - descriptor: what frictionless refuses as a `schema-error` (a `name` outside the
//!   spec's pattern, an unknown type or string format, a constraint the type does not
//!   support, a primary key naming no field) is a warning in `Schema::issues`, and
//!   the schema is used (the unknown part ignored, an unknown type read as `any`);
//! - an empty header gives `blank-header` (frictionless: "the source is empty");
//!   under a by-name `fieldsMatch`, duplicate labels give `duplicate-label`
//!   (frictionless stops with an exception);
//! - cell text in errors is the text as written: for `unique-error` frictionless
//!   prints the parsed value (`1` for `1e0`), and for a cell absent from a short row
//!   it prints `None` where we print nothing;
//! - `pattern`: Rust's `regex` has no look-around nor backreference (such a pattern
//!   is reported and ignored); Python's `$` also matches before a final newline;
//! - formats approximated: `date`/`datetime`/`time` with format `any`
//!   (frictionless guesses with `dateutil`; we take ISO 8601 and a few day-first
//!   patterns), `email` with a non-ASCII domain (not IDNA-encoded first); not
//!   checked: string `wkt`, geojson `topojson`; strptime month and day names are
//!   English (Python's default C locale);
//! - `unique` on `object`/`array` fields compares JSON values (frictionless crashes:
//!   Python dicts are unhashable); foreign keys are not checked.
//!
//! Self-contained: only `self::`/`super::` paths, so the tree can live at
//! `src/tableschema/mod.rs` of another crate. Dependencies: `serde`, `serde_json`,
//! `regex`, `jiff`.

mod builtin;
mod decimal;
mod descriptor;
mod error;
mod formats;
mod header;
mod pyfmt;
mod reader;
mod summary;
mod temporal;
mod validator;
mod value;

pub use self::builtin::{BUILTINS, Builtin, builtin, builtin_info, canonical_url};
pub use self::descriptor::{
    Constraints, CustomCheck, DescriptorError, DescriptorIssue, Field, FieldType, FieldsMatch, Schema,
};
pub use self::error::{ErrorKind, TableError};
pub use self::summary::{ErrorGroup, Example, Summary};
pub use self::validator::{Options, Report, TableValidator, is_siret};

/// Validates a whole table given as a header and an iterator of `(line, cells)`.
pub fn validate_rows<I, R, S>(schema: &Schema, header: &[String], rows: I) -> Report
where
    I: IntoIterator<Item = (u64, R)>,
    R: AsRef<[S]>,
    S: AsRef<str>,
{
    let mut validator = TableValidator::new(schema, header);
    for (line, cells) in rows {
        validator.push_row(line, cells.as_ref());
    }
    validator.finish()
}
