//! Pairing the header labels with the schema fields, as frictionless-py v5's
//! `Header` does.
//!
//! With the default `fieldsMatch: exact`, labels and fields are paired by position:
//! - a field beyond the last label gives a `missing-label` error, and is then left
//!   out of row checks altogether (no `missing-cell` per row, no `required` check);
//! - a label beyond the last field gives an `extra-label` error, and its column is
//!   then read as an untyped `any` field (no `extra-cell` per row);
//! - within both, an empty label is a `blank-label`, a label seen earlier a
//!   `duplicate-label`, and any other label different from the field name an
//!   `incorrect-label`; the column is still read with the field at its position.
//!
//! Labels are stripped of surrounding blanks first. The other `fieldsMatch` modes
//! pair labels with fields by name.

use super::descriptor::{Field, FieldType, FieldsMatch, Schema};
use super::error::{ErrorKind, TableError};

/// The field a column is read with.
#[derive(Debug, Clone)]
pub(super) enum Column<'s> {
    /// A schema field.
    Field(&'s Field),
    /// A label with no field: read as `any`, under a (deduplicated) name.
    Extra(Box<Field>),
}

impl Column<'_> {
    /// The field the column is read with.
    pub(super) fn field(&self) -> &Field {
        match self {
            Column::Field(f) => f,
            Column::Extra(f) => f,
        }
    }
}

/// The outcome of matching a header.
#[derive(Debug)]
pub(super) struct HeaderMatch<'s> {
    /// One entry per label, in label order.
    pub columns: Vec<Column<'s>>,
    /// Label errors, in frictionless' order.
    pub errors: Vec<TableError>,
}

/// Matches the header `labels` against the schema's fields.
pub(super) fn match_header<'s>(schema: &'s Schema, labels: &[String]) -> HeaderMatch<'s> {
    let labels: Vec<String> = labels.iter().map(|l| l.trim().to_owned()).collect();
    if labels.is_empty() {
        let error = TableError::new(ErrorKind::BlankHeader, "", String::new());
        return HeaderMatch { columns: schema.fields.iter().map(Column::Field).collect(), errors: vec![error] };
    }
    let by_name = schema.fields_match != FieldsMatch::Exact;
    let matched: Vec<Option<&Field>> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| if by_name { schema.field(label) } else { schema.fields.get(i) })
        .collect();
    let mut errors = extra_labels(schema, &labels, &matched);
    if schema.fields_match == FieldsMatch::Partial && !schema.fields.is_empty() && matched.iter().all(Option::is_none) {
        errors.push(TableError::new(ErrorKind::UnmatchedHeader, "", String::new()));
    }
    errors.extend(missing_labels(schema, &labels, by_name));
    if by_name {
        errors.extend(duplicate_labels(&labels, &schema.fields));
    } else {
        errors.extend(positional_errors(&labels, &schema.fields));
    }
    HeaderMatch { columns: columns(&labels, matched), errors }
}

/// `extra-label` for each label with no field (not in `subset`/`partial` modes).
fn extra_labels(schema: &Schema, labels: &[String], matched: &[Option<&Field>]) -> Vec<TableError> {
    if matches!(schema.fields_match, FieldsMatch::Subset | FieldsMatch::Partial) {
        return Vec::new();
    }
    let extra = labels.iter().zip(matched).enumerate().filter(|(_, (_, m))| m.is_none());
    extra.map(|(i, (label, _))| label_error(ErrorKind::ExtraLabel, i + 1, None, label, String::new())).collect()
}

/// `missing-label` for each field with no label, numbered after the last label.
fn missing_labels(schema: &Schema, labels: &[String], by_name: bool) -> Vec<TableError> {
    let unmatched: Vec<&Field> = if by_name {
        schema.fields.iter().filter(|f| !labels.contains(&f.name)).collect()
    } else {
        schema.fields.iter().skip(labels.len()).collect()
    };
    let tolerant = matches!(schema.fields_match, FieldsMatch::Superset | FieldsMatch::Partial);
    let required = |f: &&Field| f.constraints.required || schema.primary_key.contains(&f.name);
    let missing = unmatched.into_iter().filter(|f| !tolerant || required(f));
    let start = labels.len() + 1;
    missing
        .enumerate()
        .map(|(offset, f)| label_error(ErrorKind::MissingLabel, start + offset, Some(&f.name), "", String::new()))
        .collect()
}

/// Positional checks (`exact`): blank, duplicate and incorrect labels.
fn positional_errors(labels: &[String], fields: &[Field]) -> Vec<TableError> {
    let mut errors = Vec::new();
    for (i, (label, field)) in labels.iter().zip(fields).enumerate() {
        let number = i + 1;
        if label.is_empty() {
            errors.push(label_error(ErrorKind::BlankLabel, number, Some(&field.name), "", String::new()));
            continue;
        }
        let earlier: Vec<String> = (0..i).filter(|&j| &labels[j] == label).map(|j| (j + 1).to_string()).collect();
        if !earlier.is_empty() {
            let note = format!("at position \"{}\"", earlier.join(", "));
            errors.push(label_error(ErrorKind::DuplicateLabel, number, Some(&field.name), label, note));
        } else if label != &field.name {
            errors.push(label_error(ErrorKind::IncorrectLabel, number, Some(&field.name), label, String::new()));
        }
    }
    errors
}

/// Duplicate labels under name matching (frictionless refuses such a header).
fn duplicate_labels(labels: &[String], fields: &[Field]) -> Vec<TableError> {
    let mut errors = Vec::new();
    for (i, label) in labels.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let earlier: Vec<String> = (0..i).filter(|&j| &labels[j] == label).map(|j| (j + 1).to_string()).collect();
        if !earlier.is_empty() {
            let name = fields.iter().find(|f| &f.name == label).map(|f| f.name.as_str());
            let note = format!("at position \"{}\"", earlier.join(", "));
            errors.push(label_error(ErrorKind::DuplicateLabel, i + 1, name, label, note));
        }
    }
    errors
}

/// A label error at `number`.
fn label_error(kind: ErrorKind, number: usize, name: Option<&str>, label: &str, note: String) -> TableError {
    let mut error = TableError::new(kind, "", note);
    error.field_number = Some(number);
    error.field_name = name.map(str::to_owned);
    error.label = Some(label.to_owned());
    error
}

/// The column list: matched fields, and `any` fields named after the extra labels
/// (deduplicated as `name2`, `name3`... like frictionless).
fn columns<'s>(labels: &[String], matched: Vec<Option<&'s Field>>) -> Vec<Column<'s>> {
    let mut used: Vec<String> = matched.iter().flatten().map(|f| f.name.clone()).collect();
    let mut out = Vec::with_capacity(labels.len());
    for (label, m) in labels.iter().zip(matched) {
        out.push(match m {
            Some(f) => Column::Field(f),
            None => {
                let name = unique_name(label, &used);
                used.push(name.clone());
                Column::Extra(Box::new(Field::new(&name, FieldType::Any)))
            }
        });
    }
    out
}

/// `label`, or `label2`, `label3`... whichever is not used yet.
fn unique_name(label: &str, used: &[String]) -> String {
    let mut name = label.to_owned();
    let mut suffix = 2;
    while used.contains(&name) {
        name = format!("{label}{suffix}");
        suffix += 1;
    }
    name
}
