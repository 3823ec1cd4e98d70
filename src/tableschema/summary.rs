//! Errors grouped by (type, field, rule), with a count and a few example rows, so a
//! file with 10,000 bad cells reads as a handful of lines.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::error::{ErrorKind, TableError};

/// One example occurrence of a grouped error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    /// Frictionless row number (header = 1), `None` for header errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_number: Option<u64>,
    /// The caller's line number, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The offending cell or label text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// All errors of one type, on one field, for one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorGroup {
    /// Error type.
    #[serde(rename = "type")]
    pub kind: ErrorKind,
    /// Field position (`None` for whole-row errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_number: Option<usize>,
    /// Field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// The rule (see [`TableError::rule`]).
    pub rule: String,
    /// The note of the first error of the group.
    pub note: String,
    /// How many errors the group holds.
    pub count: u64,
    /// The first few occurrences.
    pub examples: Vec<Example>,
}

/// The grouping key of an error.
type GroupKey = (ErrorKind, Option<usize>, Option<String>, String);

/// Errors grouped incrementally, in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// How many examples each group keeps.
    #[serde(skip)]
    max_examples: usize,
    /// The groups, in order of first appearance.
    groups: Vec<ErrorGroup>,
    /// Position of each group in `groups`.
    #[serde(skip)]
    index: HashMap<GroupKey, usize>,
}

impl Summary {
    /// An empty summary keeping up to `max_examples` examples per group.
    pub fn new(max_examples: usize) -> Summary {
        Summary { max_examples, groups: Vec::new(), index: HashMap::new() }
    }

    /// Groups the given errors.
    pub fn from_errors<'a>(errors: impl IntoIterator<Item = &'a TableError>, max_examples: usize) -> Summary {
        let mut summary = Summary::new(max_examples);
        errors.into_iter().for_each(|e| summary.add(e));
        summary
    }

    /// Counts one more error.
    pub fn add(&mut self, error: &TableError) {
        let key = (error.kind, error.field_number, error.field_name.clone(), error.rule.clone());
        let position = *self.index.entry(key).or_insert_with(|| {
            self.groups.push(ErrorGroup {
                kind: error.kind,
                field_number: error.field_number,
                field_name: error.field_name.clone(),
                rule: error.rule.clone(),
                note: error.note.clone(),
                count: 0,
                examples: Vec::new(),
            });
            self.groups.len() - 1
        });
        let group = &mut self.groups[position];
        group.count += 1;
        if group.examples.len() < self.max_examples {
            let value = error.cell.clone().or_else(|| error.label.clone());
            group.examples.push(Example { row_number: error.row_number, line: error.line, value });
        }
    }

    /// The groups, in order of first appearance.
    pub fn groups(&self) -> &[ErrorGroup] {
        &self.groups
    }

    /// Total number of errors counted.
    pub fn total(&self) -> u64 {
        self.groups.iter().map(|g| g.count).sum()
    }

    /// A plain-text report: one line per group, with its count and example rows.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for g in &self.groups {
            let field = match (&g.field_number, &g.field_name) {
                (Some(n), Some(name)) => format!(" field {n} \"{name}\""),
                (Some(n), None) => format!(" field {n}"),
                _ => String::new(),
            };
            let rows: Vec<String> = g.examples.iter().filter_map(|e| e.row_number).map(|r| r.to_string()).collect();
            let more = if g.count > g.examples.len() as u64 { ", …" } else { "" };
            let at = if rows.is_empty() { String::new() } else { format!(" (rows {}{more})", rows.join(", ")) };
            let note = if g.note.is_empty() { String::new() } else { format!(": {}", g.note) };
            out.push_str(&format!("{} × {}{field}{note}{at}\n", g.count, g.kind));
        }
        out
    }
}
