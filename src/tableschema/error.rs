//! Validation errors, shaped like frictionless-py v5's report errors.

use serde::{Deserialize, Serialize};

/// The error types, named as in frictionless-py (`type-error`, `missing-label`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The header row has no label at all.
    BlankHeader,
    /// `fieldsMatch: partial` and no label names a field.
    UnmatchedHeader,
    /// A label with no field.
    ExtraLabel,
    /// A field with no label.
    MissingLabel,
    /// An empty label.
    BlankLabel,
    /// A label seen earlier in the header.
    DuplicateLabel,
    /// A label that is not the name of the field at its position.
    IncorrectLabel,
    /// A row whose every cell is missing.
    BlankRow,
    /// A primary key seen in an earlier row, or made of missing values only.
    PrimaryKey,
    /// A cell beyond the header's width.
    ExtraCell,
    /// A row shorter than the header.
    MissingCell,
    /// A cell that cannot be read with the field's type and format.
    TypeError,
    /// A cell that breaks a field constraint.
    ConstraintError,
    /// A value seen in an earlier row of a `unique` field.
    UniqueError,
    /// A cell or row that fails one of the schema's Validata `custom_checks`
    /// (the rule is the check's name).
    CheckError,
}

impl ErrorKind {
    /// The frictionless name of the error type.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BlankHeader => "blank-header",
            ErrorKind::UnmatchedHeader => "unmatched-header",
            ErrorKind::ExtraLabel => "extra-label",
            ErrorKind::MissingLabel => "missing-label",
            ErrorKind::BlankLabel => "blank-label",
            ErrorKind::DuplicateLabel => "duplicate-label",
            ErrorKind::IncorrectLabel => "incorrect-label",
            ErrorKind::BlankRow => "blank-row",
            ErrorKind::PrimaryKey => "primary-key",
            ErrorKind::ExtraCell => "extra-cell",
            ErrorKind::MissingCell => "missing-cell",
            ErrorKind::TypeError => "type-error",
            ErrorKind::ConstraintError => "constraint-error",
            ErrorKind::UniqueError => "unique-error",
            ErrorKind::CheckError => "check-error",
        }
    }

    /// Whether the error is about the header rather than a data row.
    pub fn is_header(self) -> bool {
        matches!(
            self,
            ErrorKind::BlankHeader
                | ErrorKind::UnmatchedHeader
                | ErrorKind::ExtraLabel
                | ErrorKind::MissingLabel
                | ErrorKind::BlankLabel
                | ErrorKind::DuplicateLabel
                | ErrorKind::IncorrectLabel
        )
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One error, with frictionless' keys when serialised (`type`, `rowNumber`,
/// `fieldNumber`, `fieldName`, `cell`, `label`, `note`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableError {
    /// Error type.
    #[serde(rename = "type")]
    pub kind: ErrorKind,
    /// Frictionless row number: the header is row 1, the first data row is row 2
    /// (`None` for header errors, as in frictionless).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_number: Option<u64>,
    /// The caller's line number for the row (physical line in the file, where known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_number: Option<usize>,
    /// Name of the field at that position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// The cell's text (cell errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The header label (label errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The rule broken: for a constraint error the constraint name (`pattern`,
    /// `required`, `enum`...), for a type error `type`, for `unique-error` `unique`,
    /// for `primary-key` `duplicate` or `blank`; empty otherwise.
    pub rule: String,
    /// Frictionless' note, e.g. `constraint "pattern" is "^\d{9}$"`.
    pub note: String,
}

impl TableError {
    /// An error of `kind` with no location yet.
    pub(super) fn new(kind: ErrorKind, rule: &str, note: String) -> TableError {
        TableError {
            kind,
            row_number: None,
            line: None,
            field_number: None,
            field_name: None,
            cell: None,
            label: None,
            rule: rule.to_owned(),
            note,
        }
    }

    /// The message frictionless-py prints for this error (English).
    pub fn message(&self) -> String {
        let row = self.row_number.map(|r| r.to_string()).unwrap_or_default();
        let num = self.field_number.map(|n| n.to_string()).unwrap_or_default();
        let name = self.field_name.as_deref().unwrap_or_default();
        let label = self.label.as_deref().unwrap_or_default();
        let cell = self.cell.as_deref().unwrap_or_default();
        let note = &self.note;
        match self.kind {
            ErrorKind::BlankHeader => "Header is completely blank".to_owned(),
            ErrorKind::UnmatchedHeader => {
                "None of the fields defined in the schema is present in the header".to_owned()
            }
            ErrorKind::ExtraLabel => format!("There is an extra label \"{label}\" in header at position \"{num}\""),
            ErrorKind::MissingLabel => {
                format!("There is a missing label in the header's field \"{name}\" at position \"{num}\"")
            }
            ErrorKind::BlankLabel => format!("Label in the header in field at position \"{num}\" is blank"),
            ErrorKind::DuplicateLabel => {
                format!("Label \"{label}\" in the header at position \"{num}\" is duplicated to a label: {note}")
            }
            ErrorKind::IncorrectLabel => format!(
                "Label \"{label}\" in field {name} at position \"{num}\" does not match the field name in the schema"
            ),
            ErrorKind::BlankRow => format!("Row at position \"{row}\" is completely blank"),
            ErrorKind::PrimaryKey => format!("Row at position \"{row}\" violates the primary key: {note}"),
            ErrorKind::ExtraCell => {
                format!("Row at position \"{row}\" has an extra value in field at position \"{num}\"")
            }
            ErrorKind::MissingCell => {
                format!("Row at position \"{row}\" has a missing cell in field \"{name}\" at position \"{num}\"")
            }
            ErrorKind::TypeError => format!(
                "Type error in the cell \"{cell}\" in row \"{row}\" and field \"{name}\" at position \"{num}\": {note}"
            ),
            ErrorKind::ConstraintError => format!(
                "The cell \"{cell}\" in row at position \"{row}\" and field \"{name}\" at position \"{num}\" does not conform to a constraint: {note}"
            ),
            ErrorKind::UniqueError => format!(
                "Row at position \"{row}\" has unique constraint violation in field \"{name}\" at position \"{num}\": {note}"
            ),
            ErrorKind::CheckError => format!(
                "The cell \"{cell}\" in row at position \"{row}\" and field \"{name}\" at position \"{num}\" does not pass the check: {note}"
            ),
        }
    }
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
