//! Streaming validation of a table against a schema.
//!
//! The header is given once, then rows are pushed one by one; nothing but the
//! current row is kept, except what `unique` and `primaryKey` need: for each such
//! constraint, a map from a 64-bit hash of the value to the last row number it was
//! seen on (about 40 bytes per distinct value with the map's overhead, so some
//! 400 MB for ten million distinct values). Past [`Options::max_unique_keys`]
//! distinct values a constraint stops remembering new ones and the report says so
//! in `warnings`. Two different values sharing a 64-bit hash would be reported as
//! duplicates: with a million values the odds are about 3 in 100 million.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::descriptor::{CustomCheck, DescriptorIssue, Schema};
use super::error::{ErrorKind, TableError};
use super::header::{self, Column};
use super::reader::{FieldReader, Read};
use super::summary::Summary;
use super::value::Cell;

/// Limits of one validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many errors the report lists in full (all are counted and grouped).
    pub max_errors: usize,
    /// How many examples each group of the summary keeps.
    pub max_examples: usize,
    /// How many distinct values each `unique`/`primaryKey` check remembers.
    pub max_unique_keys: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { max_errors: 10_000, max_examples: 5, max_unique_keys: 10_000_000 }
    }
}

/// The result of validating one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// No error at all.
    pub valid: bool,
    /// Data rows seen (the header excluded).
    pub row_count: u64,
    /// Errors found, all counted.
    pub error_count: u64,
    /// The first [`Options::max_errors`] errors, in order.
    pub errors: Vec<TableError>,
    /// Whether `errors` was cut short.
    pub errors_truncated: bool,
    /// Every error, grouped by type, field and rule.
    pub summary: Summary,
    /// Notes about the validation itself (e.g. a uniqueness check that hit its limit).
    pub warnings: Vec<String>,
}

/// Seen values of one `unique` field or of the primary key.
#[derive(Debug)]
struct Seen {
    /// Column positions making the key.
    columns: Vec<usize>,
    /// Value hash → last row number it appeared on.
    rows: HashMap<u64, u64>,
    /// Whether the limit was reached (new values are then not remembered).
    full: bool,
    /// Whether the report already says so.
    warned: bool,
}

impl Seen {
    /// A tracker over the given columns.
    fn new(columns: Vec<usize>) -> Seen {
        Seen { columns, rows: HashMap::new(), full: false, warned: false }
    }

    /// Looks up and records `hash` at `row`; returns the row it was last seen on.
    fn remember(&mut self, hash: u64, row: u64, limit: usize) -> Option<u64> {
        if let Some(last) = self.rows.get_mut(&hash) {
            return Some(std::mem::replace(last, row));
        }
        if self.rows.len() < limit {
            self.rows.insert(hash, row);
        } else {
            self.full = true;
        }
        None
    }

    /// Once, after the limit is reached: the warning to add to the report.
    fn take_warning(&mut self, what: &str, limit: usize) -> Option<String> {
        if !self.full || self.warned {
            return None;
        }
        self.warned = true;
        Some(format!("{what} stopped remembering new values after {limit} distinct ones"))
    }
}

/// Validates a table pushed row by row.
#[derive(Debug)]
pub struct TableValidator<'s> {
    columns: Vec<Column<'s>>,
    /// The schema's Validata checks, on the columns the header has.
    checks: Vec<Check>,
    readers: Vec<FieldReader>,
    unique: Vec<Seen>,
    primary_key: Option<Seen>,
    options: Options,
    row_number: u64,
    report: Report,
}

impl<'s> TableValidator<'s> {
    /// Starts validating a table whose header row (row 1) is `header`.
    pub fn new(schema: &'s Schema, header: &[String]) -> TableValidator<'s> {
        TableValidator::with_options(schema, header, Options::default())
    }

    /// Same as [`TableValidator::new`] with explicit limits.
    pub fn with_options(schema: &'s Schema, header: &[String], options: Options) -> TableValidator<'s> {
        let matched = header::match_header(schema, header);
        let mut ignored: Vec<DescriptorIssue> = Vec::new();
        let readers = matched
            .columns
            .iter()
            .map(|c| FieldReader::new(c.field(), &schema.missing_values, "", &mut ignored))
            .collect();
        let mut validator = TableValidator {
            checks: checks(&schema.checks, &matched.columns),
            unique: unique_trackers(&matched.columns),
            primary_key: primary_key_tracker(schema, &matched.columns),
            columns: matched.columns,
            readers,
            options,
            row_number: 1,
            report: Report {
                valid: true,
                row_count: 0,
                error_count: 0,
                errors: Vec::new(),
                errors_truncated: false,
                summary: Summary::new(options.max_examples),
                warnings: Vec::new(),
            },
        };
        matched.errors.into_iter().for_each(|e| validator.record(e));
        validator
    }

    /// Checks the next data row. `line` is where the row starts in the source (for
    /// messages); the row number is counted here, Frictionless-style: the header is
    /// row 1 and every pushed row adds one. To keep that numbering identical to
    /// frictionless on files with blank lines, push an empty row for each blank
    /// line the CSV reader skipped (frictionless reports it as `blank-row`).
    pub fn push_row<S: AsRef<str>>(&mut self, line: u64, cells: &[S]) {
        self.row_number += 1;
        self.report.row_count += 1;
        let reads: Vec<Read> =
            self.readers.iter().enumerate().map(|(i, r)| r.read(cells.get(i).map(AsRef::as_ref))).collect();
        let mut errors = self.cell_errors(&reads, cells);
        errors.extend(self.width_errors(cells));
        errors.extend(self.check_errors(&reads, cells));
        if reads.iter().all(Read::is_blank) {
            errors = vec![TableError::new(ErrorKind::BlankRow, "", String::new())];
        }
        errors.extend(self.unique_errors(&reads, cells));
        errors.extend(self.primary_key_error(&reads));
        for mut error in errors {
            error.row_number = Some(self.row_number);
            error.line = Some(line);
            self.record(error);
        }
    }

    /// The report so far.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Ends the table and returns the report.
    pub fn finish(self) -> Report {
        self.report
    }

    /// Adds one error to the report.
    fn record(&mut self, error: TableError) {
        let report = &mut self.report;
        report.valid = false;
        report.error_count += 1;
        report.summary.add(&error);
        if report.errors.len() < self.options.max_errors {
            report.errors.push(error);
        } else {
            report.errors_truncated = true;
        }
    }

    /// A cell error located at column `i`.
    fn cell_error(&self, kind: ErrorKind, rule: &str, note: String, i: usize, cell: &str) -> TableError {
        let mut error = TableError::new(kind, rule, note);
        error.field_number = Some(i + 1);
        error.field_name = Some(self.columns[i].field().name.clone());
        error.cell = Some(cell.to_owned());
        error
    }

    /// `type-error` and `constraint-error`s of each cell, in column order.
    fn cell_errors<S: AsRef<str>>(&self, reads: &[Read], cells: &[S]) -> Vec<TableError> {
        let mut errors = Vec::new();
        for (i, read) in reads.iter().enumerate() {
            let text = cells.get(i).map(AsRef::as_ref).unwrap_or_default();
            if let Some(note) = &read.type_error {
                errors.push(self.cell_error(ErrorKind::TypeError, "type", note.clone(), i, text));
            }
            for (name, note) in &read.failures {
                errors.push(self.cell_error(ErrorKind::ConstraintError, name, note.clone(), i, text));
            }
        }
        errors
    }

    /// `extra-cell` beyond the header's width, `missing-cell` short of it.
    fn width_errors<S: AsRef<str>>(&self, cells: &[S]) -> Vec<TableError> {
        let width = self.columns.len();
        let extra = cells.iter().enumerate().skip(width).map(|(i, cell)| {
            let mut error = TableError::new(ErrorKind::ExtraCell, "", String::new());
            error.field_number = Some(i + 1);
            error.cell = Some(cell.as_ref().to_owned());
            error
        });
        let missing = (cells.len()..width).map(|i| self.cell_error(ErrorKind::MissingCell, "", String::new(), i, ""));
        extra.chain(missing).collect()
    }

    /// `check-error`s: the schema's Validata checks that kiosque applies
    /// ([`CustomCheck`]), on the columns the header has.
    fn check_errors<S: AsRef<str>>(&self, reads: &[Read], cells: &[S]) -> Vec<TableError> {
        let mut errors = Vec::new();
        let text = |i: usize| cells.get(i).map(AsRef::as_ref).unwrap_or_default();
        for check in &self.checks {
            match *check {
                Check::Siret(i) => {
                    if reads[i].value.is_some() && !is_siret(text(i)) {
                        let note = format!("\"{}\" is not a SIRET number: 14 digits with a valid check digit", text(i));
                        errors.push(self.cell_error(ErrorKind::CheckError, "french-siret-value", note, i, text(i)));
                    }
                }
                Check::OneOf(a, b) => {
                    if reads[a].is_blank() && reads[b].is_blank() {
                        let (column1, column2) = (&self.columns[a].field().name, &self.columns[b].field().name);
                        let note = format!("one of \"{column1}\" and \"{column2}\" must have a value");
                        errors.push(self.cell_error(ErrorKind::CheckError, "one-of-required", note, a, text(a)));
                    }
                }
            }
        }
        errors
    }

    /// `unique-error` for each `unique` field whose value was seen before.
    fn unique_errors<S: AsRef<str>>(&mut self, reads: &[Read], cells: &[S]) -> Vec<TableError> {
        let mut found = Vec::new();
        for k in 0..self.unique.len() {
            let column = self.unique[k].columns[0];
            let Some(hash) = reads[column].value.as_ref().and_then(Cell::key_hash) else { continue };
            if let Some(previous) = self.remember(k, hash) {
                let note = format!("the same as in the row at position {previous}");
                let text = cells.get(column).map(AsRef::as_ref).unwrap_or_default();
                found.push(self.cell_error(ErrorKind::UniqueError, "unique", note, column, text));
            }
        }
        found
    }

    /// Records a value hash for the `k`-th unique check; returns the row it was last seen on.
    fn remember(&mut self, k: usize, hash: u64) -> Option<u64> {
        let (row, limit) = (self.row_number, self.options.max_unique_keys);
        let column = self.unique[k].columns[0];
        let what = format!("unique check of field \"{}\" (column {})", self.columns[column].field().name, column + 1);
        let seen = &mut self.unique[k];
        let previous = seen.remember(hash, row, limit);
        self.report.warnings.extend(seen.take_warning(&what, limit));
        previous
    }

    /// `primary-key` when the key was seen before or is made of missing values only.
    fn primary_key_error(&mut self, reads: &[Read]) -> Option<TableError> {
        let (row, limit) = (self.row_number, self.options.max_unique_keys);
        let seen = self.primary_key.as_mut()?;
        let values: Vec<Option<&Cell>> = seen.columns.iter().map(|&c| reads[c].value.as_ref()).collect();
        if values.iter().all(Option::is_none) {
            let note = "cells composing the primary keys are all \"None\"".to_owned();
            return Some(TableError::new(ErrorKind::PrimaryKey, "blank", note));
        }
        let hash = combined_hash(&values)?;
        let previous = seen.remember(hash, row, limit);
        self.report.warnings.extend(seen.take_warning("primary key check", limit));
        let note = format!("the same as in the row at position {}", previous?);
        Some(TableError::new(ErrorKind::PrimaryKey, "duplicate", note))
    }
}

/// One hash for a tuple of key values (`None` for missing ones); `None` if a NaN is in it.
fn combined_hash(values: &[Option<&Cell>]) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for value in values {
        match value {
            Some(v) => v.key_hash()?.hash(&mut h),
            None => 0u8.hash(&mut h),
        }
    }
    Some(h.finish())
}

/// A tracker per column read with a `unique` schema field.
fn unique_trackers(columns: &[Column<'_>]) -> Vec<Seen> {
    let unique = columns.iter().enumerate().filter(|(_, c)| matches!(c, Column::Field(f) if f.constraints.unique));
    unique.map(|(i, _)| Seen::new(vec![i])).collect()
}

/// The primary-key tracker, when every key field has a column.
fn primary_key_tracker(schema: &Schema, columns: &[Column<'_>]) -> Option<Seen> {
    if schema.primary_key.is_empty() {
        return None;
    }
    let position = |name: &String| columns.iter().position(|c| &c.field().name == name);
    let found: Option<Vec<usize>> = schema.primary_key.iter().map(position).collect();
    Some(Seen::new(found?))
}

/// A Validata check ([`CustomCheck`]) on the columns it names, by position;
/// resolved once, when the header is matched.
#[derive(Debug, Clone, Copy)]
enum Check {
    Siret(usize),
    OneOf(usize, usize),
}

/// The checks of `declared` whose columns the header has, by position.
fn checks(declared: &[CustomCheck], columns: &[Column]) -> Vec<Check> {
    let at = |name: &str| columns.iter().position(|c| c.field().name == name);
    declared
        .iter()
        .filter_map(|check| match check {
            CustomCheck::FrenchSiret { column } => Some(Check::Siret(at(column)?)),
            CustomCheck::OneOfRequired { column1, column2 } => Some(Check::OneOf(at(column1)?, at(column2)?)),
        })
        .collect()
}

/// Whether `text` is a SIRET number, as Validata's `french-siret-value`
/// (python-stdnum's `siret.is_valid`) says: spaces and dots left out, 14
/// digits; the SIREN (the first 9) passes the Luhn check, and so does the
/// whole number, but for La Poste's establishments (SIREN 356000000) whose
/// digits add up to a multiple of 5.
pub fn is_siret(text: &str) -> bool {
    let mut digits = [0u32; 14];
    let mut len = 0;
    for c in text.chars().filter(|c| *c != ' ' && *c != '.') {
        match (c.to_digit(10), digits.get_mut(len)) {
            (Some(d), Some(slot)) => *slot = d,
            _ => return false,
        }
        len += 1;
    }
    if len != 14 {
        return false;
    }
    let luhn = |digits: &[u32]| {
        let sum: u32 = digits
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
            .sum();
        sum.is_multiple_of(10)
    };
    if !luhn(&digits[..9]) {
        return false;
    }
    if digits[..9] == [3, 5, 6, 0, 0, 0, 0, 0, 0] {
        return digits.iter().sum::<u32>().is_multiple_of(5);
    }
    luhn(&digits)
}

#[cfg(test)]
mod tests {
    use super::super::descriptor::Schema;
    use super::*;

    #[test]
    fn sirets_are_checked_as_validata_checks_them() {
        // Real SIRETs: a town hall (Antibes), an association, La Poste.
        for good in ["21060004500392", "52499120500013", "356 000 000 49837", "732.829.320.00074"] {
            assert!(is_siret(good), "{good}");
        }
        for bad in ["2106000450039", "21060004500393", "210600045003920", "2106000450039A", "", "35600000000049"] {
            assert!(!is_siret(bad), "{bad}");
        }
    }

    #[test]
    fn custom_checks_report_check_errors() {
        let schema = Schema::parse(
            r#"{"fields": [{"name": "siret", "type": "string"}, {"name": "rna", "type": "string"}],
                "custom_checks": [{"name": "french-siret-value", "params": {"column": "siret"}},
                                  {"name": "one-of-required", "params": {"column1": "siret", "column2": "rna"}},
                                  {"name": "nomenclature-actes-value", "params": {"column": "rna"}}]}"#,
        )
        .unwrap();
        assert_eq!(schema.unsupported_checks, ["nomenclature-actes-value"]);
        let header = ["siret".to_string(), "rna".to_string()];
        let mut v = TableValidator::new(&schema, &header);
        v.push_row(2, &["21060004500392", ""]);
        v.push_row(3, &["2106000450039", "W1"]);
        v.push_row(4, &["", "W2"]);
        v.push_row(5, &["", ""]);
        let report = v.finish();
        let rules: Vec<(u64, &str)> = report.errors.iter().map(|e| (e.line.unwrap(), e.rule.as_str())).collect();
        // A blank row is one error, not also a check's.
        assert_eq!(rules, [(3, "french-siret-value"), (5, "")]);
        assert_eq!(report.errors[1].kind, ErrorKind::BlankRow);
    }

    fn schema(text: &str) -> Schema {
        Schema::parse(text).unwrap()
    }

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    /// Validates rows given as comma-separated lines (no quoting), header first.
    fn run(schema: &Schema, lines: &[&str], options: Options) -> Report {
        let header = strings(&lines[0].split(',').collect::<Vec<_>>());
        let mut validator = TableValidator::with_options(schema, &header, options);
        for (i, line) in lines[1..].iter().enumerate() {
            let cells: Vec<&str> = if line.is_empty() { Vec::new() } else { line.split(',').collect() };
            validator.push_row(i as u64 + 2, &cells);
        }
        validator.finish()
    }

    /// `(type, row, field)` of each error.
    fn keys(report: &Report) -> Vec<(&'static str, Option<u64>, Option<usize>)> {
        report.errors.iter().map(|e| (e.kind.as_str(), e.row_number, e.field_number)).collect()
    }

    #[test]
    fn primary_key_duplicates_and_blanks() {
        let s = schema(r#"{"primaryKey": ["a", "b"], "fields": [{"name": "a", "type": "integer"}, {"name": "b"}]}"#);
        let report = run(&s, &["a,b", "1,x", "01,x", "1,y", ",", "2,x", "1,x"], Options::default());
        assert_eq!(
            keys(&report),
            [
                ("primary-key", Some(3), None),
                ("blank-row", Some(5), None),
                ("primary-key", Some(5), None),
                ("primary-key", Some(7), None)
            ]
        );
        assert_eq!(report.errors[0].note, "the same as in the row at position 2");
        assert_eq!(report.errors[3].note, "the same as in the row at position 3", "the last occurrence is named");
        assert_eq!(report.errors[2].rule, "blank");
    }

    #[test]
    fn unique_compares_typed_values() {
        let s = schema(
            r#"{"fields": [{"name": "n", "type": "number", "constraints": {"unique": true}}, {"name": "s", "constraints": {"unique": true}}]}"#,
        );
        let report = run(&s, &["n,s", "1.0,a", "1,A", "1e0,a", ",b", ",c"], Options::default());
        assert_eq!(
            keys(&report),
            [
                ("unique-error", Some(3), Some(1)),
                ("unique-error", Some(4), Some(1)),
                ("unique-error", Some(4), Some(2))
            ]
        );
        assert_eq!(
            report.errors[2].message(),
            "Row at position \"4\" has unique constraint violation in field \"s\" at position \"2\": the same as in the row at position 2"
        );
    }

    #[test]
    fn unique_memory_is_bounded() {
        let s = schema(r#"{"fields": [{"name": "id", "type": "integer", "constraints": {"unique": true}}]}"#);
        let options = Options { max_unique_keys: 2, ..Options::default() };
        let report = run(&s, &["id", "1", "2", "3", "3", "1"], options);
        assert_eq!(keys(&report), [("unique-error", Some(6), Some(1))], "3 was not remembered, 1 was");
        assert_eq!(report.warnings.len(), 1);
    }

    #[test]
    fn widths_and_blank_rows() {
        let s = schema(r#"{"fields": [{"name": "a", "constraints": {"required": true}}, {"name": "b"}]}"#);
        let report = run(&s, &["a,b", "x", "x,y,z", "", ",", "x,"], Options::default());
        assert_eq!(
            keys(&report),
            [
                ("missing-cell", Some(2), Some(2)),
                ("extra-cell", Some(3), Some(3)),
                ("blank-row", Some(4), None),
                ("blank-row", Some(5), None)
            ]
        );
    }

    #[test]
    fn header_mismatches_follow_frictionless() {
        let s = schema(
            r#"{"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d", "constraints": {"required": true}}]}"#,
        );
        let report = run(&s, &["a, B ,", "1,2,3"], Options::default());
        assert_eq!(
            keys(&report),
            [("missing-label", None, Some(4)), ("incorrect-label", None, Some(2)), ("blank-label", None, Some(3))]
        );
        assert!(!report.valid && report.row_count == 1, "no missing-cell nor required error for the unlabelled field");
        let dup = run(&s, &["a,a,c,d,e", "1,2,3,4,5"], Options::default());
        assert_eq!(keys(&dup), [("extra-label", None, Some(5)), ("duplicate-label", None, Some(2))]);
        assert_eq!(dup.errors[1].note, "at position \"1\"");
    }

    #[test]
    fn fields_match_by_name() {
        let s = schema(
            r#"{"fieldsMatch": "equal", "fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}"#,
        );
        let report = run(&s, &["b,a", "1,x"], Options::default());
        assert_eq!(keys(&report), [("type-error", Some(2), Some(2))]);
        assert_eq!(report.errors[0].field_name.as_deref(), Some("a"));
    }

    #[test]
    fn grouped_report_reads_short() {
        let s = schema(
            r#"{"fields": [{"name": "siren", "constraints": {"pattern": "\\d{9}"}}, {"name": "n", "type": "integer"}]}"#,
        );
        let mut lines = vec!["siren,n".to_owned()];
        lines.extend((0..10_000).map(|i| format!("bad{i},{}", if i % 1000 == 0 { "x" } else { "1" })));
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let report = run(&s, &refs, Options { max_errors: 100, max_examples: 3, ..Options::default() });
        assert_eq!(report.error_count, 10_010);
        assert_eq!(report.errors.len(), 100);
        assert!(report.errors_truncated);
        let groups = report.summary.groups();
        assert_eq!(groups.len(), 2);
        assert_eq!(
            (groups[0].kind, groups[0].rule.as_str(), groups[0].count),
            (ErrorKind::ConstraintError, "pattern", 10_000)
        );
        assert_eq!(groups[0].note, r#"constraint "pattern" is "\d{9}""#);
        assert_eq!(groups[0].examples.iter().map(|e| e.row_number.unwrap()).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!((groups[1].kind, groups[1].count), (ErrorKind::TypeError, 10));
        let text = report.summary.to_text();
        assert_eq!(text.lines().count(), 2);
        assert!(
            text.starts_with(
                "10000 × constraint-error field 1 \"siren\": constraint \"pattern\" is \"\\d{9}\" (rows 2, 3, 4, …)"
            ),
            "{text}"
        );
        assert_eq!(Summary::from_errors(&report.errors, 3).total(), 100);
    }

    #[test]
    fn empty_header_is_reported() {
        let s = schema(r#"{"fields": [{"name": "a"}]}"#);
        let report = TableValidator::new(&s, &[]).finish();
        assert_eq!(keys(&report), [("blank-header", None, None)]);
    }
}
