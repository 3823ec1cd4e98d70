//! One streaming pass over a file: size, SHA-256, dialect, issues, and a
//! profile of every column.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::Path;
use std::sync::{Arc, mpsc};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::dialect::{Dialect, DialectOptions, SAMPLE_LEN, is_binary, resolve_encoding, sniff};
use super::issues::{Issue, IssueKind, IssueLog};
use super::parse::{RawRecord, RecordView};
use super::records::TableReader;
use super::stats::{ColumnStats, cap_chars};
use crate::limits::{MAX_COLUMN_NAME_CHARS, MAX_COLUMNS};

/// The type of a column: the narrowest type all its non-null values fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// `-12`, `1 234` (with `,` as decimal mark); no leading zero (`01053`
    /// is a String). `0`/`1` columns are Integer.
    Integer,
    /// Integers and decimals (`12.5`, or `1 234,56` with `,` decimal mark).
    Number,
    /// `true`/`false`, `vrai`/`faux`, `oui`/`non`, `yes`/`no`, any case.
    Boolean,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`.
    Date,
    /// A date plus `T` or space and a time (`HH:MM[:SS[.fff]]`), maybe an
    /// offset; a column mixing dates and date-times is DateTime.
    DateTime,
    String,
    /// No non-null value at all.
    Empty,
}

/// Statistics of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    /// Header text, as is (may be empty).
    pub name: String,
    pub kind: ColumnType,
    /// Null cells: empty, `NA`, `N/A`, `#N/A`, `null`, `-` (any case, after
    /// trimming spaces), and cells missing from short rows.
    pub nulls: u64,
    /// Distinct non-null values (trimmed text, so `12,5` and `12,50` differ).
    pub distinct: u64,
    /// False when `distinct` is a HyperLogLog estimate (past 10,000).
    pub distinct_exact: bool,
    /// Smallest and largest values in the column's type, as text: numbers
    /// with `.` as decimal mark and no grouping, dates and date-times in
    /// ISO 8601, booleans as `false`/`true`, strings by code point (cut to
    /// 200 characters). `None` for empty columns.
    pub min: Option<String>,
    pub max: Option<String>,
    /// The 10 most frequent values (text as in the file, trimmed and cut
    /// to 200 characters) with their counts, most frequent first; empty
    /// when the column has more than 1,000 distinct values.
    pub top: Vec<(String, u64)>,
    /// Every distinct value (as in `top`), sorted by text, when there are
    /// at most [`FEW_VALUES`] of them: the choices of a filter.
    #[serde(default)]
    pub values: Vec<String>,
    /// For numeric and temporal columns: how values spread (charts).
    #[serde(default)]
    pub distribution: Option<super::stats::Distribution>,
}

/// Up to how many distinct values a column lists them all.
pub const FEW_VALUES: usize = 50;

/// Everything one pass over a file tells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The dialect used; `encoding` and `line_ending` reflect the whole
    /// file (see [`Issue::EncodingSwitched`]).
    pub dialect: Dialect,
    /// Data records (header, title lines and blank rows excluded).
    pub rows: u64,
    pub columns: Vec<ColumnProfile>,
    /// Examples of issues, at most 20 per kind, by line.
    pub issues: Vec<Issue>,
    /// How many issues of each kind there were in all.
    pub issue_counts: BTreeMap<IssueKind, u64>,
    /// File size.
    pub bytes: u64,
    /// Lowercase hexadecimal SHA-256 of the file's bytes, unless hashing
    /// was turned off.
    pub sha256: Option<String>,
}

/// Profiles the file at `path`; see [`profile_reader`].
pub fn profile_path(path: &Path, opts: &DialectOptions) -> io::Result<Profile> {
    profile_reader(std::fs::File::open(path)?, opts)
}

/// Profiles a file in one streaming pass with memory bounded by the number
/// of columns (and the longest record), not by the file's size: sniffs the
/// dialect on the first 64 KiB, hashes every byte, decodes, parses and
/// profiles. Only I/O errors are errors; everything else is an issue.
pub fn profile_reader<R: Read>(reader: R, opts: &DialectOptions) -> io::Result<Profile> {
    profile_reader_observed(reader, opts, None, true)
}

/// [`profile_path`], showing every record to `observer` too, hashing the
/// file only when `hash`.
pub fn profile_path_observed(
    path: &Path,
    opts: &DialectOptions,
    observer: Option<&mut dyn RowObserver>,
    hash: bool,
) -> io::Result<Profile> {
    profile_reader_observed(std::fs::File::open(path)?, opts, observer, hash)
}

/// [`profile_reader`], showing every record to `observer` too, hashing the
/// input only when `hash`.
pub fn profile_reader_observed<R: Read>(
    reader: R,
    opts: &DialectOptions,
    observer: Option<&mut dyn RowObserver>,
    hash: bool,
) -> io::Result<Profile> {
    let mut input = HashingReader { inner: reader, hasher: hash.then(Sha256::new), bytes: 0 };
    let sample = read_sample(&mut input)?;
    let mut dialect = sniff(&sample, opts);
    let mut issues = IssueLog::default();
    if let Some(label) = opts.encoding.as_deref().filter(|label| resolve_encoding(label).is_none()) {
        issues.push(Issue::UnknownEncoding { label: label.to_owned() });
    }
    let mut columns = Vec::new();
    let mut rows = 0;
    if sample.is_empty() {
        issues.push(Issue::EmptyFile);
    } else if is_binary(&sample, dialect.encoding) {
        issues.push(Issue::NotText);
        io::copy(&mut input, &mut io::sink())?;
    } else {
        let adaptive = dialect.encoding == "UTF-8" && opts.encoding.is_none();
        // A file that fits in the sample is not worth a thread.
        let threaded = sample.len() == SAMPLE_LEN;
        let mut table = TableReader::new(io::Cursor::new(sample).chain(&mut input), &dialect, adaptive);
        let profiler = profile_table(&mut table, &dialect, threaded, observer)?;
        let raw = table.raw;
        if raw.switched() {
            dialect.encoding = encoding_rs::WINDOWS_1252.name();
        }
        let (line_ending, mixed_at) = raw.line_ending();
        dialect.line_ending = line_ending;
        if let Some(line) = mixed_at {
            issues.push(Issue::MixedLineEndings { first_line_of_other_kind: line });
        }
        issues.append(raw.parser.issues);
        match profiler {
            Some(profiler) => {
                rows = profiler.rows;
                issues.append(profiler.issues);
                columns = profiler.columns.into_iter().map(|c| c.finish(profiler.decimal)).collect();
            }
            None => issues.push(Issue::EmptyFile),
        }
    }
    let (issues, issue_counts) = issues.into_parts();
    Ok(Profile {
        dialect,
        rows,
        columns,
        issues,
        issue_counts,
        bytes: input.bytes,
        sha256: input.hasher.map(|h| hex(&h.finalize())),
    })
}

/// Reads the whole table; `None` when it has no header. When `threaded`,
/// column statistics and the observer each run on their own thread while
/// this one reads, hashes, decodes and parses (the reader itself never
/// leaves this thread).
fn profile_table<R: Read>(
    table: &mut TableReader<R>,
    dialect: &Dialect,
    threaded: bool,
    mut observer: Option<&mut dyn RowObserver>,
) -> io::Result<Option<Profiler>> {
    let mut rec = RawRecord::default();
    let mut profiler = match table.next_row(&mut rec)? {
        None => return Ok(None),
        Some(_) => Profiler::new(&rec, dialect),
    };
    if let Some(obs) = observer.as_deref_mut() {
        let names: Vec<String> = rec.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        obs.header(rec.line, &names, dialect);
    }
    if threaded {
        return profile_rows_threaded(table, profiler, observer, &mut rec).map(Some);
    }
    let mut cells = CellBuffer::default();
    while table.next_row(&mut rec)?.is_some() {
        profiler.row(rec.view());
        if let Some(obs) = observer.as_deref_mut() {
            cells.show(obs, rec.view(), None);
        }
    }
    Ok(Some(profiler))
}

/// Bytes of records sent to the worker threads at a time.
const BATCH_BYTES: usize = 1 << 20;

/// Feeds the data rows, in batches, to `profiler` on one scoped thread and
/// to `observer` on another. Each worker has at most two batches queued;
/// batches both have seen come back to be refilled, so memory stays
/// bounded whatever the file size.
fn profile_rows_threaded<R: Read>(
    table: &mut TableReader<R>,
    mut profiler: Profiler,
    observer: Option<&mut dyn RowObserver>,
    rec: &mut RawRecord,
) -> io::Result<Profiler> {
    let (to_stats, stats_queue) = mpsc::sync_channel::<Arc<Batch>>(2);
    let (to_reader, returned) = mpsc::channel::<Arc<Batch>>();
    std::thread::scope(|scope| {
        let stats = {
            let to_reader = to_reader.clone();
            scope.spawn(move || {
                for batch in stats_queue {
                    batch.records().for_each(|(_, record)| profiler.row(record));
                    // The reader may have stopped on an error: nothing to recycle.
                    let _ = to_reader.send(batch);
                }
                profiler
            })
        };
        let checks = observer.map(|obs| {
            let (to_checks, checks_queue) = mpsc::sync_channel::<Arc<Batch>>(2);
            let to_reader = to_reader.clone();
            let handle = scope.spawn(move || {
                let mut cells = CellBuffer::default();
                for batch in checks_queue {
                    // One UTF-8 check per batch rather than one per cell.
                    let text = simdutf8::basic::from_utf8(&batch.data).ok();
                    for (start, record) in batch.records() {
                        let text = text.map(|t| &t[start..start + record.bytes().len()]);
                        cells.show(obs, record, text);
                    }
                    let _ = to_reader.send(batch);
                }
            });
            (to_checks, handle)
        });
        drop(to_reader);
        let read = (|| {
            let mut batch = Batch::default();
            while table.next_row(rec)?.is_some() {
                batch.push(rec);
                if batch.data.len() >= BATCH_BYTES {
                    let spare = returned.try_iter().find_map(Arc::into_inner).map(Batch::cleared);
                    let full = Arc::new(std::mem::replace(&mut batch, spare.unwrap_or_default()));
                    if !send_batch(&full, &to_stats, &checks) {
                        break; // A worker panicked: joining it tells.
                    }
                }
            }
            send_batch(&Arc::new(batch), &to_stats, &checks);
            io::Result::Ok(())
        })();
        drop(to_stats);
        if let Some((to_checks, handle)) = checks {
            drop(to_checks);
            handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        let profiler = stats.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read.map(|()| profiler)
    })
}

/// Hands a full batch to the workers; false when one of them is gone.
fn send_batch(
    batch: &Arc<Batch>,
    to_stats: &mpsc::SyncSender<Arc<Batch>>,
    checks: &Option<(mpsc::SyncSender<Arc<Batch>>, std::thread::ScopedJoinHandle<'_, ()>)>,
) -> bool {
    let checks_ok = checks.as_ref().is_none_or(|(to_checks, _)| to_checks.send(Arc::clone(batch)).is_ok());
    checks_ok && to_stats.send(Arc::clone(batch)).is_ok()
}

/// Records copied one after the other, to send to other threads.
#[derive(Default)]
struct Batch {
    data: Vec<u8>,
    ends: Vec<usize>,
    /// Line, end in `data` and end in `ends` of each record.
    records: Vec<(u64, usize, usize)>,
}

impl Batch {
    fn push(&mut self, rec: &RawRecord) {
        self.data.extend_from_slice(rec.bytes());
        self.ends.extend_from_slice(rec.ends());
        self.records.push((rec.line, self.data.len(), self.ends.len()));
    }

    fn cleared(mut self) -> Self {
        self.data.clear();
        self.ends.clear();
        self.records.clear();
        self
    }

    /// Each record with where its bytes start in `data`.
    fn records(&self) -> impl Iterator<Item = (usize, RecordView<'_>)> {
        let (mut data_start, mut ends_start) = (0, 0);
        self.records.iter().map(move |&(line, data_end, ends_end)| {
            let record = RecordView::new(line, &self.data[data_start..data_end], &self.ends[ends_start..ends_end]);
            let start = data_start;
            (data_start, ends_start) = (data_end, ends_end);
            (start, record)
        })
    }
}

/// Shows records to an observer as text cells, reusing one buffer.
#[derive(Default)]
struct CellBuffer {
    /// Always empty between rows; only its allocation is kept.
    spare: Vec<&'static str>,
}

impl CellBuffer {
    /// `text`, when given, is the record's bytes as a `str`; otherwise the
    /// record is checked here, and invalid bytes become U+FFFD.
    fn show(&mut self, obs: &mut dyn RowObserver, record: RecordView<'_>, text: Option<&str>) {
        let text = match text {
            Some(text) => text,
            None => match std::str::from_utf8(record.bytes()) {
                Ok(text) => text,
                Err(_) => {
                    let text = String::from_utf8_lossy(record.bytes()).into_owned();
                    let cells: Vec<String> = record.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
                    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                    obs.row(record.line, &cells, &text);
                    return;
                }
            },
        };
        // Collecting an emptied vector into one of the same layout reuses
        // its allocation: no allocation per row.
        let mut cells: Vec<&str> = std::mem::take(&mut self.spare).into_iter().collect();
        cells.extend(record.text_fields_of(text));
        obs.row(record.line, &cells, text);
        cells.clear();
        self.spare = cells.into_iter().map(|_| "").collect();
    }
}

/// Sees every record of the single streaming pass, so other checks (the
/// personal data scan, Table Schema validation) need no second read. It is
/// called on the statistics thread, hence `Send`.
pub trait RowObserver: Send {
    /// The header's names, the file line it is on, and the detected dialect.
    fn header(&mut self, line: u64, names: &[String], dialect: &Dialect);
    /// One data row: its file line (where the record starts), its cells,
    /// and the whole record as text (cells with one ASCII separator after
    /// each), for searches that are cheaper on a row than cell by cell.
    fn row(&mut self, line: u64, cells: &[&str], record: &str);
}

/// Column statistics of a table, fed record by record.
struct Profiler {
    decimal: u8,
    /// Columns of the header (profiled or not).
    width: usize,
    /// The first [`MAX_COLUMNS`] columns.
    columns: Vec<ColumnStats>,
    rows: u64,
    issues: IssueLog,
}

impl Profiler {
    /// Starts with the header record, checking its names. Only the first
    /// [`MAX_COLUMNS`] columns are profiled, under names cut to
    /// [`MAX_COLUMN_NAME_CHARS`] characters.
    fn new(header: &RawRecord, dialect: &Dialect) -> Self {
        let decimal = dialect.decimal;
        let mut issues = IssueLog::default();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut columns = Vec::with_capacity(header.len().min(MAX_COLUMNS));
        for (i, field) in header.fields().enumerate() {
            let kept = cap_chars(field, MAX_COLUMN_NAME_CHARS);
            let name = String::from_utf8_lossy(kept).into_owned();
            if kept.len() < field.len() {
                issues.push(Issue::LongHeader { column: i + 1 });
            }
            let key = name.trim();
            if key.is_empty() {
                issues.push(Issue::EmptyHeader { column: i + 1 });
            } else if let Some(&first) = seen.get(key) {
                issues.push(Issue::DuplicateHeader { column: i + 1, name: name.clone(), first });
            } else {
                seen.insert(key.to_owned(), i + 1);
            }
            if i < MAX_COLUMNS {
                columns.push(ColumnStats::new(name));
            }
        }
        if header.len() > MAX_COLUMNS {
            issues.push(Issue::TooManyColumns { found: header.len(), kept: MAX_COLUMNS });
        }
        Profiler { decimal, width: header.len(), columns, rows: 0, issues }
    }

    /// Adds a data record; cells missing from short rows count as nulls,
    /// extra cells are ignored.
    fn row(&mut self, rec: RecordView<'_>) {
        self.rows += 1;
        let (expected, found) = (self.width, rec.len());
        if found != expected && (found < expected || (expected..found).any(|i| !rec.field(i).is_empty())) {
            self.issues.push(Issue::RaggedRow { line: rec.line, record: self.rows, expected, found });
        }
        let mut cells = rec.fields();
        for column in &mut self.columns {
            column.add(cells.next().unwrap_or_default(), self.decimal);
        }
    }
}

/// Counts (and hashes, when it has a hasher) every byte read through it.
struct HashingReader<R> {
    inner: R,
    hasher: Option<Sha256>,
    bytes: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[..n]);
        }
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Reads up to [`SAMPLE_LEN`] bytes (less only at the end of the input).
fn read_sample<R: Read>(input: &mut R) -> io::Result<Vec<u8>> {
    let mut sample = Vec::with_capacity(SAMPLE_LEN);
    input.take(SAMPLE_LEN as u64).read_to_end(&mut sample)?;
    Ok(sample)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
