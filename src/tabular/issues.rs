//! Problems found while reading a file, as typed data.
//!
//! Line numbers are 1-based lines of the file as a text editor shows them
//! (a record whose quoted field spans three lines occupies three lines), so a
//! publisher can open the file at that line. Columns are 1-based.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Something worth telling the publisher about a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Issue {
    /// The file has no bytes, or no header record (only a BOM, blank lines…).
    EmptyFile,
    /// The file does not look like text (NUL bytes or many control bytes):
    /// an image, a spreadsheet or an archive named `.csv`. Nothing was parsed.
    NotText,
    /// The encoding given by the user is not a known label; detection was used.
    UnknownEncoding { label: String },
    /// The file looked like UTF-8 (only ASCII so far) but the first non-ASCII
    /// byte, on `line`, is not valid UTF-8: the whole file was read as
    /// `encoding` (windows-1252) instead. ASCII reads the same in both, so
    /// nothing was lost; the profile's dialect names the final encoding.
    EncodingSwitched { line: u64, encoding: String },
    /// A byte sequence that is invalid in the file's encoding (for example a
    /// stray windows-1252 `é`, byte 0xE9, in a UTF-8 file). `column` counts
    /// characters from 1; `byte` is the first byte of the bad sequence. The
    /// sequence reads as U+FFFD.
    InvalidBytes { line: u64, column: u64, byte: u8 },
    /// Lines do not all end the same way; the first line ending differently
    /// from the first line of the file is `first_line_of_other_kind`. Only
    /// record terminators count, not line breaks inside quoted fields.
    MixedLineEndings { first_line_of_other_kind: u64 },
    /// An empty line, or a record whose fields are all empty (`;;;;`).
    /// Blank rows are skipped: they are neither records nor counted rows.
    BlankRow { line: u64 },
    /// The header has an empty name in this 1-based column.
    EmptyHeader { column: usize },
    /// The header repeats a name: 1-based `column` repeats `first`.
    DuplicateHeader { column: usize, name: String, first: usize },
    /// A record with a different number of fields than the header. `record`
    /// is the 1-based data record number (header excluded). Extra trailing
    /// fields that are all empty (`a;b;;`) do not make a row ragged.
    RaggedRow { line: u64, record: u64, expected: usize, found: usize },
    /// A quoted field still open at the end of the file; `line` is where its
    /// record starts.
    UnterminatedQuote { line: u64 },
    /// A record whose cells hold more than
    /// [`crate::limits::MAX_RECORD_BYTES`] bytes in all: only that many were
    /// kept, the rest of the record was skipped.
    RecordTooLong { line: u64 },
    /// The header has `found` columns: only the first `kept`
    /// ([`crate::limits::MAX_COLUMNS`]) are profiled.
    TooManyColumns { found: usize, kept: usize },
    /// The header's name in this 1-based column is longer than
    /// [`crate::limits::MAX_COLUMN_NAME_CHARS`] characters: the profile
    /// keeps it cut.
    LongHeader { column: usize },
}

/// The kind of an [`Issue`], without its data (for counting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    EmptyFile,
    NotText,
    UnknownEncoding,
    EncodingSwitched,
    InvalidBytes,
    MixedLineEndings,
    BlankRow,
    EmptyHeader,
    DuplicateHeader,
    RaggedRow,
    UnterminatedQuote,
    RecordTooLong,
    TooManyColumns,
    LongHeader,
}

impl IssueKind {
    const COUNT: usize = 14;
}

impl Issue {
    /// The kind of this issue.
    pub fn kind(&self) -> IssueKind {
        match self {
            Issue::EmptyFile => IssueKind::EmptyFile,
            Issue::NotText => IssueKind::NotText,
            Issue::UnknownEncoding { .. } => IssueKind::UnknownEncoding,
            Issue::EncodingSwitched { .. } => IssueKind::EncodingSwitched,
            Issue::InvalidBytes { .. } => IssueKind::InvalidBytes,
            Issue::MixedLineEndings { .. } => IssueKind::MixedLineEndings,
            Issue::BlankRow { .. } => IssueKind::BlankRow,
            Issue::EmptyHeader { .. } => IssueKind::EmptyHeader,
            Issue::DuplicateHeader { .. } => IssueKind::DuplicateHeader,
            Issue::RaggedRow { .. } => IssueKind::RaggedRow,
            Issue::UnterminatedQuote { .. } => IssueKind::UnterminatedQuote,
            Issue::RecordTooLong { .. } => IssueKind::RecordTooLong,
            Issue::TooManyColumns { .. } => IssueKind::TooManyColumns,
            Issue::LongHeader { .. } => IssueKind::LongHeader,
        }
    }

    /// The 1-based file line the issue points at, if it points at one.
    pub fn line(&self) -> Option<u64> {
        match self {
            Issue::EncodingSwitched { line, .. }
            | Issue::InvalidBytes { line, .. }
            | Issue::BlankRow { line }
            | Issue::RaggedRow { line, .. }
            | Issue::UnterminatedQuote { line }
            | Issue::RecordTooLong { line } => Some(*line),
            Issue::MixedLineEndings { first_line_of_other_kind } => Some(*first_line_of_other_kind),
            _ => None,
        }
    }
}

/// Collects issues, keeping at most [`IssueLog::CAP`] examples of each kind
/// but counting them all, so memory stays small whatever the file.
#[derive(Clone, Debug, Default)]
pub(super) struct IssueLog {
    examples: Vec<Issue>,
    kept: [u64; IssueKind::COUNT],
    counts: [u64; IssueKind::COUNT],
}

impl IssueLog {
    /// Examples kept per kind.
    pub const CAP: u64 = 20;

    pub fn push(&mut self, issue: Issue) {
        let kind = issue.kind() as usize;
        self.counts[kind] += 1;
        self.keep(kind, issue);
    }

    /// Moves the issues of `other` into `self`, keeping the caps.
    pub fn append(&mut self, other: IssueLog) {
        for issue in other.examples {
            self.keep(issue.kind() as usize, issue);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine += theirs;
        }
    }

    fn keep(&mut self, kind: usize, issue: Issue) {
        if self.kept[kind] < Self::CAP {
            self.kept[kind] += 1;
            self.examples.push(issue);
        }
    }

    /// Examples sorted by line (issues without a line first), and totals.
    pub fn into_parts(mut self) -> (Vec<Issue>, BTreeMap<IssueKind, u64>) {
        self.examples.sort_by_key(|issue| issue.line().unwrap_or(0));
        let counts = ALL_KINDS
            .iter()
            .zip(self.counts)
            .filter(|(_, count)| *count > 0)
            .map(|(kind, count)| (*kind, count))
            .collect();
        (self.examples, counts)
    }
}

const ALL_KINDS: [IssueKind; IssueKind::COUNT] = [
    IssueKind::EmptyFile,
    IssueKind::NotText,
    IssueKind::UnknownEncoding,
    IssueKind::EncodingSwitched,
    IssueKind::InvalidBytes,
    IssueKind::MixedLineEndings,
    IssueKind::BlankRow,
    IssueKind::EmptyHeader,
    IssueKind::DuplicateHeader,
    IssueKind::RaggedRow,
    IssueKind::UnterminatedQuote,
    IssueKind::RecordTooLong,
    IssueKind::TooManyColumns,
    IssueKind::LongHeader,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_examples_but_counts_all() {
        let mut log = IssueLog::default();
        for line in 1..=1000 {
            log.push(Issue::BlankRow { line });
        }
        let mut other = IssueLog::default();
        for line in 1..=30 {
            other.push(Issue::RaggedRow { line, record: line, expected: 2, found: 3 });
            other.push(Issue::BlankRow { line: 2000 + line });
        }
        log.append(other);
        let (examples, counts) = log.into_parts();
        assert_eq!(counts[&IssueKind::BlankRow], 1030);
        assert_eq!(counts[&IssueKind::RaggedRow], 30);
        assert_eq!(examples.iter().filter(|i| i.kind() == IssueKind::BlankRow).count(), 20);
        assert_eq!(examples.iter().filter(|i| i.kind() == IssueKind::RaggedRow).count(), 20);
        for (i, kind) in ALL_KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, i);
        }
    }
}
