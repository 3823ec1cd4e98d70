//! Streaming records: the header then data rows, decoded to UTF-8, with the
//! file line where each starts; and the normalised UTF-8 CSV export.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

use super::dialect::{Dialect, LineEnding};
use super::issues::Issue;
use super::parse::{Parser, RawRecord};
use super::source::{Marker, TextSource};
use crate::limits::MAX_RECORD_BYTES;

/// One record of a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// 1-based file line where the record starts.
    pub line: u64,
    /// Fields decoded to UTF-8 (invalid bytes read as U+FFFD).
    pub fields: Vec<String>,
}

/// Records of a file, the header first, as [`records`] returns them.
///
/// Title lines above [`Dialect::header_row`] are skipped, and so are blank
/// rows (empty lines and records whose fields are all empty). Rows are
/// yielded as they are, ragged or not.
pub struct Records<R> {
    table: TableReader<R>,
    rec: RawRecord,
    failed: bool,
}

/// Reads `reader` as `dialect` says. The first item is the header record;
/// the data records follow. The dialect is followed strictly (no encoding
/// switch): give it the dialect of a [`super::Profile`] of the same file,
/// which reflects the whole file rather than its first bytes.
pub fn records<R: Read>(reader: R, dialect: &Dialect) -> Records<R> {
    Records { table: TableReader::new(reader, dialect, false), rec: RawRecord::default(), failed: false }
}

impl<R: Read> Records<R> {
    /// Issues met so far (at most a few examples of each kind).
    pub fn issues(&self) -> Vec<Issue> {
        self.table.raw.parser.issues.clone().into_parts().0
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.table.next_row(&mut self.rec) {
            Ok(Some(_)) => Some(Ok(Record { line: self.rec.line, fields: decode_fields(&self.rec) })),
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

fn decode_fields(rec: &RawRecord) -> Vec<String> {
    rec.fields().map(|field| String::from_utf8_lossy(field).into_owned()).collect()
}

/// Writes the file as normalised CSV: UTF-8 without BOM, `,` delimiter,
/// quotes only where needed (RFC 4180), `\n` line ends; title lines and
/// blank rows dropped; short rows padded with empty fields to the header's
/// width, extra trailing empty fields dropped (other extra fields kept).
/// Cell text is kept as it is (decimal commas too). Returns the number of
/// data records written (header excluded).
pub fn write_normalised_csv<R: Read, W: Write>(reader: R, dialect: &Dialect, out: W) -> io::Result<u64> {
    let mut normaliser = Normaliser::new(out);
    let mut table = TableReader::new(reader, dialect, false);
    let mut rec = RawRecord::default();
    while let Some(row) = table.next_row(&mut rec)? {
        let fields: Vec<std::borrow::Cow<str>> = rec.fields().map(String::from_utf8_lossy).collect();
        let fields: Vec<&str> = fields.iter().map(|f| f.as_ref()).collect();
        match row {
            Row::Header => normaliser.header(&fields)?,
            Row::Data => normaliser.row(&fields)?,
        }
    }
    normaliser.finish()
}

/// Writes a table as normalised CSV (UTF-8, comma, RFC 4180 quoting, LF),
/// record by record: short rows are padded to the header's width, empty
/// cells beyond it dropped. [`write_normalised_csv`] and the single-pass
/// profiler share it, so both give the same bytes.
pub struct Normaliser<W: Write> {
    out: W,
    /// Output not yet handed to `out`.
    buf: Vec<u8>,
    width: usize,
    rows: u64,
}

/// Bytes gathered before they are handed to the output.
const NORMALISED_BUFFER: usize = 64 * 1024;

impl<W: Write> Normaliser<W> {
    pub fn new(out: W) -> Self {
        Normaliser { out, buf: Vec::with_capacity(NORMALISED_BUFFER + 1024), width: 0, rows: 0 }
    }

    /// The header record.
    pub fn header(&mut self, fields: &[&str]) -> io::Result<()> {
        self.width = fields.len();
        self.record(fields, fields.len())
    }

    /// A data record.
    pub fn row(&mut self, fields: &[&str]) -> io::Result<()> {
        self.rows += 1;
        let mut len = fields.len();
        while len > self.width && fields[len - 1].is_empty() {
            len -= 1;
        }
        self.record(&fields[..len], self.width.max(len))
    }

    /// Writes `fields`, padded with empty fields to `width`. Quoting is the
    /// `csv` crate's `QuoteStyle::Necessary` (a test holds them equal), done
    /// here because its byte-by-byte writer was a tenth of a full pass.
    fn record(&mut self, fields: &[&str], width: usize) -> io::Result<()> {
        let start = self.buf.len();
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            write_field(&mut self.buf, field.as_bytes(), b',');
        }
        for _ in fields.len()..width {
            self.buf.push(b',');
        }
        if self.buf.len() == start {
            // A record of one empty field (or none) would read as a blank line.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        if self.buf.len() >= NORMALISED_BUFFER {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Flushes; returns the number of data rows written.
    pub fn finish(mut self) -> io::Result<u64> {
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.rows)
    }

    /// Flushes and gives the output back.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One field of a CSV separated by `delimiter`, quoted (quotes doubled)
/// when it holds the delimiter, a quote or a line break.
pub fn write_field(buf: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    if !field.iter().any(|&b| b == delimiter || matches!(b, b'"' | b'\n' | b'\r')) {
        buf.extend_from_slice(field);
        return;
    }
    buf.push(b'"');
    for (i, part) in field.split(|&b| b == b'"').enumerate() {
        if i > 0 {
            buf.extend_from_slice(b"\"\"");
        }
        buf.extend_from_slice(part);
    }
    buf.push(b'"');
}

/// A cell as a spreadsheet may read it without running it: a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula
/// to Excel and LibreOffice (`=HYPERLINK(…)`, `+33 6 12 34 56 78`), so it
/// gets a leading `'`, which marks text (OWASP, "CSV Injection"). Numbers
/// (`-5`, `+3,5`, `-1 234,56`, `1e-3`) are left as they are: a spreadsheet
/// reads them as the same numbers.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) { std::borrow::Cow::Owned(format!("'{cell}")) } else { cell.into() }
}

/// A signed decimal number as people write them: digits, in groups of
/// three after the first when separated by spaces (`1 234 567`), one
/// decimal mark (`,` or `.`), an optional exponent.
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    let (whole, fraction) = match mantissa.find([',', '.']) {
        Some(at) => (&mantissa[..at], Some(&mantissa[at + 1..])),
        None => (mantissa, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let groups: Vec<&str> = whole.split([' ', '\u{a0}', '\u{202f}']).collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    match groups.as_slice() {
        [only] => digits(only) || (only.is_empty() && fraction.is_some()),
        [first, rest @ ..] => digits(first) && first.len() <= 3 && rest.iter().all(|g| digits(g) && g.len() == 3),
        [] => false,
    }
}

#[cfg(test)]
mod spreadsheet_tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, safe) in [
            ("=1+1", "'=1+1"),
            ("=HYPERLINK(\"https://x.fr\";\"clic\")", "'=HYPERLINK(\"https://x.fr\";\"clic\")"),
            ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("--x", "'--x"),
            ("-5", "-5"),
            ("+3,5", "+3,5"),
            ("-1 234,56", "-1 234,56"),
            ("-1\u{a0}234\u{a0}567.5", "-1\u{a0}234\u{a0}567.5"),
            ("-1e-3", "-1e-3"),
            ("-,5", "-,5"),
            ("-12 34", "'-12 34"),
            ("texte = ok", "texte = ok"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell:?}");
        }
    }
}

#[cfg(test)]
mod normaliser_tests {
    use super::Normaliser;

    /// The reference: what the `csv` crate writes for the same records.
    fn with_csv_crate(records: &[Vec<&str>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn quotes_like_the_csv_crate() {
        let cells = ["", "a", "a,b", "say \"hi\"", "\"", "line\nbreak", "cr\rhere", " spaced ", "é;ü", "#", "'"];
        let mut records: Vec<Vec<&str>> = vec![vec![""], vec!["", ""], vec!["x"]];
        for a in cells {
            for b in cells {
                records.push(vec![a, b]);
                records.push(vec![a]);
            }
        }
        let mut n = Normaliser::new(Vec::new());
        for r in &records {
            n.record(r, r.len()).unwrap();
        }
        let ours = n.into_inner().unwrap();
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&with_csv_crate(&records)));
    }

    #[test]
    fn pads_short_rows_and_drops_extra_empty_cells() {
        let mut n = Normaliser::new(Vec::new());
        n.header(&["a", "b", "c"]).unwrap();
        n.row(&["1"]).unwrap();
        n.row(&["1", "2", "3", "", ""]).unwrap();
        n.row(&["1", "2", "3", "4", ""]).unwrap();
        assert_eq!(n.into_inner().unwrap(), b"a,b,c\n1,,\n1,2,3\n1,2,3,4\n");
    }
}

/// What [`TableReader::next_row`] read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Row {
    Header,
    Data,
}

/// Records as a table: skips title lines and blank rows, tells the header.
pub(super) struct TableReader<R> {
    pub raw: RecordReader<R>,
    header_line: u64,
    header_seen: bool,
}

impl<R: Read> TableReader<R> {
    pub fn new(reader: R, dialect: &Dialect, adaptive: bool) -> Self {
        let mut raw = RecordReader::new(reader, dialect, adaptive);
        raw.parser.report_blank = dialect.header_row == 0;
        TableReader { raw, header_line: dialect.header_row as u64 + 1, header_seen: false }
    }

    /// Reads the next header or data record into `rec`; `None` at the end.
    pub fn next_row(&mut self, rec: &mut RawRecord) -> io::Result<Option<Row>> {
        loop {
            if !self.raw.next_record(rec)? {
                return Ok(None);
            }
            if !self.header_seen && rec.line < self.header_line {
                continue;
            }
            self.raw.parser.report_blank = true;
            if rec.is_blank() {
                self.raw.parser.issues.push(Issue::BlankRow { line: rec.line });
                continue;
            }
            let row = if self.header_seen { Row::Data } else { Row::Header };
            self.header_seen = true;
            return Ok(Some(row));
        }
    }
}

/// Records of a text source, with issues of the text itself: invalid
/// bytes, blank lines, line endings, unterminated quotes.
pub(super) struct RecordReader<R> {
    source: TextSource<R>,
    pub parser: Parser,
    pos: usize,
    next_marker: usize,
    in_chunk: bool,
}

impl<R: Read> RecordReader<R> {
    pub fn new(reader: R, dialect: &Dialect, adaptive: bool) -> Self {
        RecordReader {
            source: TextSource::new(reader, dialect.encoding_rs(), adaptive),
            parser: Parser::new(dialect.delimiter, dialect.quote),
            pos: 0,
            next_marker: 0,
            in_chunk: false,
        }
    }

    /// Reads the next record into `rec`; false at the end of the input.
    ///
    /// A record longer than [`MAX_RECORD_BYTES`] is cut (see
    /// [`RawRecord::cut`]) as it is read, so that memory stays bounded, and
    /// reported as [`Issue::RecordTooLong`].
    pub fn next_record(&mut self, rec: &mut RawRecord) -> io::Result<bool> {
        loop {
            if !self.in_chunk {
                if !self.source.next_chunk()? {
                    let complete = self.parser.finish(rec);
                    if complete {
                        self.check_length(rec);
                    }
                    return Ok(complete);
                }
                self.parser.begin_chunk();
                self.pos = 0;
                self.next_marker = 0;
                self.in_chunk = true;
            }
            let chunk = self.source.chunk();
            let markers = self.source.markers();
            loop {
                let limit = markers.get(self.next_marker).map_or(chunk.len(), Marker::at);
                if self.pos < limit && self.parser.parse(chunk, &mut self.pos, limit, rec) {
                    self.check_length(rec);
                    return Ok(true);
                }
                let Some(marker) = markers.get(self.next_marker) else { break };
                let line = self.parser.line();
                let issue = match *marker {
                    Marker::Invalid { at, byte } => {
                        Issue::InvalidBytes { line, column: self.parser.column_at(chunk, at), byte }
                    }
                    Marker::Switched { .. } => Issue::EncodingSwitched { line, encoding: "windows-1252".into() },
                };
                self.parser.issues.push(issue);
                self.next_marker += 1;
            }
            self.parser.end_chunk(chunk);
            self.in_chunk = false;
            if self.parser.in_record() && rec.held() > MAX_RECORD_BYTES {
                rec.cut(MAX_RECORD_BYTES);
            }
        }
    }

    /// Reports a complete record that was, or should be, cut. (A complete
    /// record holds a separator after its last field: one byte more than
    /// its text.)
    fn check_length(&mut self, rec: &RawRecord) {
        if rec.too_long || rec.held() > MAX_RECORD_BYTES + 1 {
            self.parser.issues.push(Issue::RecordTooLong { line: rec.line });
        }
    }

    /// Line ending of everything read so far, and the first line that
    /// differs when mixed.
    pub fn line_ending(&self) -> (LineEnding, Option<u64>) {
        (self.parser.lines.ending(), self.parser.lines.mixed_at())
    }

    /// True once the input switched from UTF-8 to windows-1252.
    pub fn switched(&self) -> bool {
        self.source.switched()
    }
}
