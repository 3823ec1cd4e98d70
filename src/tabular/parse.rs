//! A small RFC 4180 tokenizer over UTF-8 chunks, resumable at any byte.
//!
//! It follows the `csv` crate's reading rules (a quote inside an unquoted
//! field is literal, bytes after a closing quote are appended, `\r`, `\n`
//! and `\r\n` all end a record, empty lines are not records) and adds what
//! that crate does not expose: the exact file line where each record starts
//! (counting `\n`, `\r\n` and lone `\r`), blank lines, and how each line ends.
//!
//! Callers feed chunks in order. A chunk must not end with `\r` unless it is
//! the last one, so that `\r\n` is never split (see `source`).

use super::dialect::LineEnding;
use super::issues::{Issue, IssueLog};

/// One record as bytes: each field followed by one ASCII separator byte,
/// with the fields' end offsets. (Keeping a separator lets a record without
/// quotes be copied from the input in one go, delimiters included.)
#[derive(Clone, Debug, Default)]
pub(super) struct RawRecord {
    /// 1-based file line where the record starts.
    pub line: u64,
    /// How many fields were quoted.
    pub quoted: u32,
    /// Whether bytes were dropped because the record was too long (see
    /// [`RawRecord::cut`]).
    pub too_long: bool,
    data: Vec<u8>,
    ends: Vec<usize>,
}

/// Separator written after fields that were not copied with their delimiter.
const SEPARATOR: u8 = 0x1F;

impl RawRecord {
    fn clear(&mut self) {
        self.data.clear();
        self.ends.clear();
        self.quoted = 0;
        self.too_long = false;
    }

    /// Bytes held: the fields' bytes and one separator after each ended
    /// field. For a record still being read this is the length of its text
    /// so far (cells and delimiters, quotes excepted); a complete record
    /// holds one byte more.
    pub fn held(&self) -> usize {
        self.data.len()
    }

    /// Drops bytes at the end of a record being read so that it holds at
    /// most `max` bytes, so that memory stays bounded however long the
    /// record (or however many its fields): fields ended within the first
    /// `max` bytes are kept, the next one is cut and goes on being read.
    pub fn cut(&mut self, max: usize) {
        if self.data.len() > max {
            let kept = self.ends.partition_point(|&end| end < max);
            self.ends.truncate(kept);
            self.data.truncate(max);
        }
        self.too_long = true;
    }

    fn end_field(&mut self) {
        self.ends.push(self.data.len());
        self.data.push(SEPARATOR);
    }

    /// The record as a borrowed view.
    pub fn view(&self) -> RecordView<'_> {
        RecordView { line: self.line, data: &self.data, ends: &self.ends }
    }

    /// Field end offsets (with [`RawRecord::bytes`], to copy a record).
    pub fn ends(&self) -> &[usize] {
        &self.ends
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `i`-th field (0-based); panics when out of range.
    pub fn field(&self, i: usize) -> &[u8] {
        self.view().field(i)
    }

    /// The fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &[u8]> {
        self.view().fields()
    }

    /// True when every field is empty.
    pub fn is_blank(&self) -> bool {
        self.data.len() == self.ends.len()
    }

    /// All field bytes with separators (with [`RawRecord::ends`], to copy
    /// a record).
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// Number of fields that are not empty once ASCII spaces are trimmed.
    pub fn non_empty(&self) -> usize {
        self.fields().filter(|f| !f.trim_ascii().is_empty()).count()
    }
}

/// A record borrowed from a [`RawRecord`] or from a batch of records.
#[derive(Clone, Copy, Debug)]
pub(super) struct RecordView<'a> {
    pub line: u64,
    data: &'a [u8],
    ends: &'a [usize],
}

impl<'a> RecordView<'a> {
    /// A record from bytes and field ends as [`RawRecord`] keeps them.
    pub fn new(line: u64, data: &'a [u8], ends: &'a [usize]) -> Self {
        RecordView { line, data, ends }
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The fields' bytes, each followed by one ASCII separator byte.
    pub fn bytes(&self) -> &'a [u8] {
        self.data
    }

    /// The fields in order, as text, when `text` is this record's bytes
    /// as a `str` (separators are ASCII, so each field is valid UTF-8 too).
    pub fn text_fields_of(&self, text: &'a str) -> impl Iterator<Item = &'a str> + use<'a> {
        debug_assert_eq!(text.len(), self.data.len());
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let field = &text[start..end];
            start = end + 1;
            field
        })
    }

    /// The `i`-th field (0-based); panics when out of range.
    pub fn field(&self, i: usize) -> &'a [u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        &self.data[start..self.ends[i]]
    }

    /// The fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        let data = self.data;
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let field = &data[start..end];
            start = end + 1;
            field
        })
    }
}

/// Which line endings were seen, as far as record terminators go.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct LineStats {
    first: Option<LineEnding>,
    mixed_at: Option<u64>,
}

impl LineStats {
    fn record(&mut self, kind: LineEnding, line: u64) {
        match self.first {
            None => self.first = Some(kind),
            Some(first) if first != kind && self.mixed_at.is_none() => self.mixed_at = Some(line),
            _ => {}
        }
    }

    /// The file's line ending: `Lf` when no line ended at all.
    pub fn ending(&self) -> LineEnding {
        if self.mixed_at.is_some() { LineEnding::Mixed } else { self.first.unwrap_or(LineEnding::Lf) }
    }

    /// First line whose ending differs from the first line's.
    pub fn mixed_at(&self) -> Option<u64> {
        self.mixed_at
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// The tokenizer state, kept between chunks.
pub(super) struct Parser {
    delimiter: u8,
    quote: u8,
    /// Bytes ending a run of plain bytes: in an unquoted field, in a quoted
    /// one, and in a record read by the fast path.
    stop_unquoted: [u8; 4],
    stop_quoted: [u8; 4],
    stop_record: [u8; 4],
    state: State,
    line: u64,
    /// Offset in the current chunk where the current line starts, if there.
    line_start: Option<usize>,
    /// Characters of the current line in earlier chunks.
    carry_chars: u64,
    /// Whether blank lines are reported (off while reading title lines).
    pub report_blank: bool,
    pub lines: LineStats,
    pub issues: IssueLog,
}

impl Parser {
    pub fn new(delimiter: u8, quote: u8) -> Self {
        let stop_unquoted = [delimiter, b'\r', b'\n', b'\n'];
        let stop_quoted = [quote, b'\r', b'\n', b'\n'];
        let stop_record = [delimiter, quote, b'\r', b'\n'];
        Parser {
            delimiter,
            quote,
            stop_unquoted,
            stop_quoted,
            stop_record,
            state: State::StartRecord,
            line: 1,
            line_start: None,
            carry_chars: 0,
            report_blank: true,
            lines: LineStats::default(),
            issues: IssueLog::default(),
        }
    }

    /// The 1-based line the parser is on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Whether a record has been started and not yet completed.
    pub fn in_record(&self) -> bool {
        self.state != State::StartRecord
    }

    /// Parses `chunk[*pos..limit]` into `rec`; returns true as soon as a
    /// record is complete (`*pos` is then just after its terminator), false
    /// when `limit` is reached first. Bytes up to `chunk.len()` may be peeked.
    pub fn parse(&mut self, chunk: &[u8], pos: &mut usize, limit: usize, rec: &mut RawRecord) -> bool {
        let mut i = *pos;
        let complete = loop {
            if i >= limit {
                break false;
            }
            match self.state {
                State::StartRecord => {
                    if matches!(chunk[i], b'\n' | b'\r') {
                        i += self.end_line(chunk, i, true);
                    } else {
                        rec.clear();
                        rec.line = self.line;
                        if self.fast_record(chunk, &mut i, limit, rec) {
                            break true;
                        }
                    }
                }
                State::StartField => {
                    if chunk[i] == self.quote {
                        rec.quoted += 1;
                        self.state = State::Quoted;
                        i += 1;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
                State::Unquoted => {
                    let span = &chunk[i..limit];
                    let n = find_any(span, self.stop_unquoted).unwrap_or(span.len());
                    rec.data.extend_from_slice(&span[..n]);
                    i += n;
                    if i == limit {
                        break false;
                    }
                    rec.end_field();
                    if chunk[i] == self.delimiter {
                        self.state = State::StartField;
                        i += 1;
                    } else {
                        i += self.end_line(chunk, i, false);
                        self.state = State::StartRecord;
                        break true;
                    }
                }
                State::Quoted => {
                    let span = &chunk[i..limit];
                    let n = find_any(span, self.stop_quoted).unwrap_or(span.len());
                    rec.data.extend_from_slice(&span[..n]);
                    i += n;
                    if i == limit {
                        break false;
                    }
                    if chunk[i] == self.quote {
                        self.state = State::QuoteInQuoted;
                        i += 1;
                    } else {
                        // A line break inside a quoted field is data.
                        let len = newline_len(chunk, i);
                        rec.data.extend_from_slice(&chunk[i..i + len]);
                        i += len;
                        self.new_line(i);
                    }
                }
                State::QuoteInQuoted => {
                    let b = chunk[i];
                    if b == self.quote {
                        rec.data.push(b);
                        self.state = State::Quoted;
                        i += 1;
                    } else if b == self.delimiter {
                        rec.end_field();
                        self.state = State::StartField;
                        i += 1;
                    } else if matches!(b, b'\n' | b'\r') {
                        rec.end_field();
                        i += self.end_line(chunk, i, false);
                        self.state = State::StartRecord;
                        break true;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
            }
        };
        *pos = i;
        complete
    }

    /// Reads a record starting at `chunk[*i]` while its fields are not
    /// quoted, copying it in one go. Returns true when the record is
    /// complete; otherwise leaves the state for the general loop to go on
    /// (at a field starting with a quote, or at `limit`).
    ///
    /// Words of 8 bytes are tested at once for the four special bytes, and
    /// only the bytes found are looked at.
    fn fast_record(&mut self, chunk: &[u8], i: &mut usize, limit: usize, rec: &mut RawRecord) -> bool {
        let span = &chunk[*i..limit];
        let splat = self.stop_record.map(|t| u64::from(t) * ONES);
        let mut field_start = 0;
        let mut word_start = 0;
        while word_start < span.len() {
            let (mut hits, width) = match span[word_start..].first_chunk::<8>() {
                Some(word) => (find_in_word(u64::from_le_bytes(*word), splat), 8),
                None => (find_in_tail(&span[word_start..], self.stop_record), span.len() - word_start),
            };
            while hits != 0 {
                let j = word_start + (hits.trailing_zeros() / 8) as usize;
                hits &= hits - 1;
                let b = span[j];
                if b == self.delimiter {
                    rec.ends.push(j);
                    field_start = j + 1;
                } else if b == self.quote {
                    if j == field_start {
                        // A quoted field: the general loop takes over.
                        rec.data.extend_from_slice(&span[..j]);
                        *i += j;
                        self.state = State::StartField;
                        return false;
                    } // else a quote inside an unquoted field is data
                } else {
                    rec.data.extend_from_slice(&span[..j]);
                    rec.end_field();
                    *i += j;
                    *i += self.end_line(chunk, *i, false);
                    self.state = State::StartRecord;
                    return true;
                }
            }
            word_start += width;
        }
        // The record goes on in the next chunk.
        rec.data.extend_from_slice(span);
        *i = limit;
        self.state = if field_start == span.len() { State::StartField } else { State::Unquoted };
        false
    }

    /// Ends the input: completes the record in progress, if any.
    pub fn finish(&mut self, rec: &mut RawRecord) -> bool {
        match self.state {
            State::StartRecord => false,
            state => {
                if state == State::Quoted {
                    self.issues.push(Issue::UnterminatedQuote { line: rec.line });
                }
                rec.end_field();
                self.state = State::StartRecord;
                true
            }
        }
    }

    /// Call before parsing a new chunk.
    pub fn begin_chunk(&mut self) {
        self.line_start = None;
    }

    /// Call once a chunk is fully parsed, before the next one.
    pub fn end_chunk(&mut self, chunk: &[u8]) {
        self.carry_chars = match self.line_start {
            Some(start) => count_chars(&chunk[start..]),
            None => self.carry_chars + count_chars(chunk),
        };
    }

    /// 1-based character column of byte `at` of the current chunk, which
    /// must be on the current line.
    pub fn column_at(&self, chunk: &[u8], at: usize) -> u64 {
        match self.line_start {
            Some(start) if start <= at => count_chars(&chunk[start..at]) + 1,
            _ => self.carry_chars + count_chars(&chunk[..at]) + 1,
        }
    }

    /// Handles the line break at `chunk[i]` that ends a line outside quotes.
    fn end_line(&mut self, chunk: &[u8], i: usize, blank: bool) -> usize {
        let len = newline_len(chunk, i);
        let kind = match (chunk[i], len) {
            (b'\n', _) => LineEnding::Lf,
            (_, 2) => LineEnding::CrLf,
            _ => LineEnding::Cr,
        };
        if blank && self.report_blank {
            self.issues.push(Issue::BlankRow { line: self.line });
        }
        self.lines.record(kind, self.line);
        self.new_line(i + len);
        len
    }

    fn new_line(&mut self, next: usize) {
        self.line += 1;
        self.line_start = Some(next);
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of each byte of `word` that equals one of the bytes
/// repeated in `splat` (SWAR: SIMD within a register, no `unsafe`).
#[inline]
fn find_in_word(word: u64, splat: [u64; 4]) -> u64 {
    // Exact zero-byte test: high bit set only for bytes that are 0.
    let zero_bytes = |x: u64| !(((x & LOWS) + LOWS) | x | LOWS);
    zero_bytes(word ^ splat[0])
        | zero_bytes(word ^ splat[1])
        | zero_bytes(word ^ splat[2])
        | zero_bytes(word ^ splat[3])
}

/// Like [`find_in_word`] for fewer than 8 bytes.
fn find_in_tail(tail: &[u8], targets: [u8; 4]) -> u64 {
    tail.iter().enumerate().filter(|(_, b)| targets.contains(b)).fold(0, |hits, (k, _)| hits | 0x80 << (8 * k))
}

/// Position of the first byte of `hay` equal to one of `targets`, looking
/// at 8 bytes at a time.
#[inline]
fn find_any(hay: &[u8], targets: [u8; 4]) -> Option<usize> {
    let splat = targets.map(|t| u64::from(t) * ONES);
    let mut words = hay.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let hits = find_in_word(u64::from_le_bytes(word.try_into().expect("8 bytes")), splat);
        if hits != 0 {
            return Some(offset + (hits.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    words.remainder().iter().position(|b| targets.contains(b)).map(|p| offset + p)
}

/// Length of the line break at `chunk[i]` (`\r\n` is one break).
fn newline_len(chunk: &[u8], i: usize) -> usize {
    if chunk[i] == b'\r' && chunk.get(i + 1) == Some(&b'\n') { 2 } else { 1 }
}

/// Number of UTF-8 characters (bytes that are not continuation bytes).
pub(super) fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `input` split into chunks of `size` bytes (never after `\r`).
    fn parse_all(input: &[u8], size: usize) -> (Vec<(u64, Vec<String>)>, Parser) {
        let mut parser = Parser::new(b',', b'"');
        let mut rec = RawRecord::default();
        let mut out = Vec::new();
        let mut start = 0;
        while start < input.len() {
            let mut end = (start + size).min(input.len());
            if end < input.len() && input[end - 1] == b'\r' {
                end += 1;
            }
            let chunk = &input[start..end];
            parser.begin_chunk();
            let mut pos = 0;
            while parser.parse(chunk, &mut pos, chunk.len(), &mut rec) {
                out.push((rec.line, rec.fields().map(|f| String::from_utf8(f.to_vec()).unwrap()).collect()));
            }
            parser.end_chunk(chunk);
            start = end;
        }
        if parser.finish(&mut rec) {
            out.push((rec.line, rec.fields().map(|f| String::from_utf8(f.to_vec()).unwrap()).collect()));
        }
        (out, parser)
    }

    #[test]
    fn same_result_whatever_the_chunk_size() {
        let input = b"a,b\r\n\"x\"\"y\",\"multi\r\nline\"\r\n\r\nlast,\"q\"z\n,\ra\"b,c";
        let (expected, _) = parse_all(input, input.len());
        assert_eq!(
            expected,
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["x\"y".into(), "multi\r\nline".into()]),
                (5, vec!["last".into(), "qz".into()]),
                (6, vec!["".into(), "".into()]),
                (7, vec!["a\"b".into(), "c".into()]),
            ]
        );
        for size in 1..input.len() {
            assert_eq!(parse_all(input, size).0, expected, "chunk size {size}");
        }
    }

    /// Random CSV-ish inputs read in random chunks give the same fields as
    /// the `csv` crate.
    #[test]
    fn same_fields_as_the_csv_crate() {
        const ALPHABET: &[u8] = b"ab;;;\"\"\r\n\n:#\x01\xC3\xA9 ";
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let len = next(200);
            let input: Vec<u8> = (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect();
            let mut reader =
                csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(b';').from_reader(&input[..]);
            let expected: Vec<Vec<Vec<u8>>> =
                reader.byte_records().map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect()).collect();
            let mut parser = Parser::new(b';', b'"');
            let mut rec = RawRecord::default();
            let mut found = Vec::new();
            let mut start = 0;
            while start < input.len() {
                let mut end = (start + 1 + next(40)).min(input.len());
                if end < input.len() && input[end - 1] == b'\r' {
                    end += 1;
                }
                let chunk = &input[start..end];
                let mut pos = 0;
                while parser.parse(chunk, &mut pos, chunk.len(), &mut rec) {
                    found.push(rec.fields().map(<[u8]>::to_vec).collect::<Vec<_>>());
                }
                start = end;
            }
            if parser.finish(&mut rec) {
                found.push(rec.fields().map(<[u8]>::to_vec).collect());
            }
            assert_eq!(found, expected, "{:?}", String::from_utf8_lossy(&input));
        }
    }

    #[test]
    fn finds_the_first_target() {
        let targets = [b';', b'"', b'\r', b'\n'];
        for len in 0..40 {
            for at in 0..len {
                for &t in &targets {
                    let mut hay = vec![b'a'; len];
                    hay[at] = t;
                    if at + 1 < len {
                        hay[at + 1] = b';';
                    }
                    assert_eq!(find_any(&hay, targets), Some(at), "{len} {at}");
                }
            }
            assert_eq!(find_any(&vec![0xFF; len], targets), None);
        }
    }

    #[test]
    fn line_endings_and_blank_lines() {
        let (_, parser) = parse_all(b"a\r\nb\r\n\r\nc\nd\r\n", 4);
        assert_eq!(parser.lines.ending(), LineEnding::Mixed);
        assert_eq!(parser.lines.mixed_at(), Some(4));
        let (issues, _) = parser.issues.into_parts();
        assert_eq!(issues, vec![Issue::BlankRow { line: 3 }]);
    }
}
