//! Spreadsheets (XLSX, XLSB, XLS, ODS): each sheet read with calamine and
//! written as a UTF-8 comma-separated CSV, which kiosque then profiles,
//! checks and publishes beside the workbook like any table.
//!
//! XLSX and XLSB sheets are streamed cell by cell, so memory does not grow
//! with the number of rows (a sheet of 1,048,576 rows, Excel's maximum,
//! included), nor with the area between far-apart cells (a sheet with cells
//! in `A1` and `XFD1048576` is not a 17-billion-cell grid); cells stored out
//! of row order are sorted, a million at most. XLS sheets (65,536 rows at
//! most) and ODS sheets are read whole by calamine. What calamine reads
//! whole (shared strings, an ODS sheet) is checked in the zip's directory
//! before it opens the file ([`preflight`]), and the CSV written for a
//! workbook has a budget relative to its size ([`csv_budget`]): a workbook
//! past a limit is a located error ([`BookError`]), never gigabytes of
//! memory or disk.

use std::io::{Seek, Write};
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};

use crate::tabular::Normaliser;

/// An open workbook.
pub struct Workbook {
    sheets: Sheets<std::io::BufReader<std::fs::File>>,
    /// Bytes of CSV its sheets may still be written as ([`csv_budget`]).
    csv_left: u64,
}

/// Why a workbook cannot be published as it is. Each says, in the site's
/// language, what is wrong and what to do ([`BookError::describe`]).
#[derive(Debug, thiserror::Error)]
pub enum BookError {
    /// calamine cannot read it (its words).
    #[error("{0}")]
    Damaged(String),
    /// A part read whole into memory (the shared strings, an ODS sheet's
    /// content) is larger than [`crate::limits::MAX_WORKBOOK_PART_BYTES`].
    #[error("part {part} is {bytes} bytes")]
    PartTooLarge { part: String, bytes: u64 },
    /// A cell said to be beyond Excel's last row or column (`XFD1048576`):
    /// a damaged or forged file, not to be padded up to (1-based).
    #[error("a cell is beyond the last row or column of a sheet (row {row}, column {column})")]
    CellBeyond { row: u64, column: u64 },
    /// The shared strings declare more strings than their size can hold
    /// (a forged count would reserve gigabytes).
    #[error("{declared} shared strings declared")]
    ForgedCount { declared: u64 },
    /// A sheet's cells are out of row order, and more than
    /// [`crate::limits::MAX_UNORDERED_CELLS`] of them.
    #[error("more than {limit} cells out of order in sheet {sheet}")]
    Unordered { sheet: String, limit: usize },
    /// An ODS sheet holds more than [`crate::limits::MAX_WORKBOOK_CELLS`]
    /// cells once its repeats are expanded (calamine reads it whole).
    #[error("{cells} cells once repeats are expanded")]
    TooManyCells { cells: u64 },
    /// The sheets written as CSV would be larger than [`csv_budget`] allows.
    #[error("sheet {sheet}: CSV past {limit} bytes")]
    CsvTooLarge { sheet: String, limit: u64 },
}

impl BookError {
    /// The diagnostic code: `unreadable-file` for a workbook that cannot be
    /// read, `workbook-too-large` for one past a limit.
    pub fn code(&self) -> &'static str {
        match self {
            BookError::Damaged(_) | BookError::ForgedCount { .. } | BookError::CellBeyond { .. } => "unreadable-file",
            _ => "workbook-too-large",
        }
    }

    /// The problem, then what to do, in the site's language.
    pub fn describe(&self, lang: crate::lang::Lang) -> (String, String) {
        use crate::tr;
        let mib = |b: u64| b.div_ceil(1 << 20);
        let export = tr!(
            lang,
            "enregistrez les feuilles en CSV depuis votre tableur et publiez ces fichiers à la place du classeur",
            "save the sheets as CSV from your spreadsheet program and publish those files instead of the workbook"
        );
        let save_again = tr!(
            lang,
            "ouvrez-le dans votre tableur et enregistrez-le de nouveau (format .xlsx ou .ods)",
            "open it in your spreadsheet program and save it again (.xlsx or .ods)"
        );
        match self {
            BookError::Damaged(e) => {
                (tr!(lang, "classeur illisible ou endommagé ({e})", "unreadable or damaged workbook ({e})"), save_again)
            }
            BookError::CellBeyond { row, column } => (
                tr!(
                    lang,
                    "classeur endommagé : une cellule est placée au-delà de la dernière ligne ou colonne d'une feuille (ligne {row}, colonne {column})",
                    "damaged workbook: a cell is placed beyond the last row or column of a sheet (row {row}, column {column})"
                ),
                save_again,
            ),
            BookError::PartTooLarge { part, bytes } => (
                tr!(
                    lang,
                    "classeur trop volumineux pour être lu : sa partie « {part} » fait {} Mio une fois décompressée, la limite est de {} Mio",
                    "workbook too large to be read: its part “{part}” is {} MiB once uncompressed, the limit is {} MiB",
                    mib(*bytes),
                    mib(crate::limits::MAX_WORKBOOK_PART_BYTES)
                ),
                export,
            ),
            BookError::ForgedCount { declared } => (
                tr!(
                    lang,
                    "classeur endommagé : il annonce {declared} textes partagés, bien plus que sa taille n'en contient",
                    "damaged workbook: it announces {declared} shared strings, far more than its size holds"
                ),
                save_again,
            ),
            BookError::TooManyCells { cells } => (
                tr!(
                    lang,
                    "classeur trop grand pour être lu : ses cellules répétées (« number-columns-repeated », « number-rows-repeated ») en font {cells} une fois dépliées, la limite est de {}",
                    "workbook too large to be read: its repeated cells (“number-columns-repeated”, “number-rows-repeated”) make {cells} once expanded, the limit is {}",
                    crate::limits::MAX_WORKBOOK_CELLS
                ),
                export.clone(),
            ),
            BookError::Unordered { sheet, limit } => (
                tr!(
                    lang,
                    "la feuille « {sheet} » range ses cellules dans le désordre, et en a plus de {limit} : elle ne peut pas être lue sans tout charger en mémoire",
                    "sheet “{sheet}” stores its cells out of order, more than {limit} of them: it cannot be read without loading it whole"
                ),
                tr!(
                    lang,
                    "ouvrez le classeur dans votre tableur et enregistrez-le de nouveau (les cellules seront rangées dans l'ordre), ou {export}",
                    "open the workbook in your spreadsheet program and save it again (the cells will be stored in order), or {export}"
                ),
            ),
            BookError::CsvTooLarge { sheet, limit } => (
                tr!(
                    lang,
                    "le classeur donnerait plus de {} Mio de CSV (à la feuille « {sheet} ») pour un fichier bien plus petit : des textes très longs sont sans doute répétés dans de nombreuses cellules",
                    "the workbook would give more than {} MiB of CSV (at sheet “{sheet}”) for a much smaller file: very long texts are probably repeated in many cells",
                    mib(*limit)
                ),
                tr!(
                    lang,
                    "vérifiez le contenu du classeur ; s'il est correct, {export}",
                    "check the workbook's content; if it is right, {export}"
                ),
            ),
        }
    }
}

/// Opens a workbook, once [`preflight`] found it safe to read.
pub fn open(path: &Path) -> Result<Workbook, BookError> {
    let unpacked = preflight(path)?;
    let sheets = open_workbook_auto(path).map_err(damaged)?;
    Ok(Workbook { sheets, csv_left: csv_budget(unpacked) })
}

/// How many bytes of CSV a workbook of `unpacked` bytes (its parts once
/// uncompressed, or its size when it is not a zip) may be written as: 16
/// MiB, and 16 bytes per byte of the workbook. A CSV is usually smaller
/// than the XML it comes from; a text shared by many cells is written in
/// each (an 18 KB workbook once gave 3 GB of CSV).
pub fn csv_budget(unpacked: u64) -> u64 {
    (16 << 20) + unpacked.saturating_mul(16)
}

/// What calamine reads whole into memory, checked from the zip's directory
/// before it opens the workbook: no such part larger than
/// [`crate::limits::MAX_WORKBOOK_PART_BYTES`] once uncompressed (the zip
/// reader refuses a part larger than its directory says), and no shared
/// string count beyond what their size holds (calamine reserves room for
/// the declared count at once). Returns the size of every part once
/// uncompressed (of the file, for a workbook that is not a zip: XLS).
pub fn preflight(path: &Path) -> Result<u64, BookError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(damaged)?;
    let len = file.metadata().map_err(damaged)?.len();
    // Whatever its first bytes say: a zip is read from its directory at the
    // end (a fuzzed file with a damaged first header got past a check of
    // the magic number, and calamine read it).
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return Ok(len) };
    let mut unpacked = 0u64;
    let mut strings = None;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(damaged)?;
        let (name, bytes) = (part.name().map_err(damaged)?.to_string(), part.size());
        unpacked = unpacked.saturating_add(bytes);
        let streamed = name.starts_with("xl/worksheets/") || name.starts_with("xl/media/") || name == "mimetype";
        if !streamed && bytes > crate::limits::MAX_WORKBOOK_PART_BYTES {
            return Err(BookError::PartTooLarge { part: name, bytes });
        }
        if name.eq_ignore_ascii_case("xl/sharedStrings.xml") {
            strings = Some((i, bytes));
        }
    }
    if let Some(i) = zip.index_for_name("content.xml") {
        let part = zip.by_index(i).map_err(damaged)?;
        let cells = ods_cells(std::io::BufReader::new(part)).map_err(damaged)?;
        if cells > crate::limits::MAX_WORKBOOK_CELLS {
            return Err(BookError::TooManyCells { cells });
        }
    }
    if let Some((i, bytes)) = strings {
        // The count is an attribute of the first element.
        let mut head = Vec::new();
        let part = zip.by_index(i).map_err(damaged)?;
        part.take(4096).read_to_end(&mut head).map_err(damaged)?;
        let head = String::from_utf8_lossy(&head);
        for attribute in ["uniqueCount=\"", " count=\""] {
            let declared =
                head.find(attribute).and_then(|at| head[at + attribute.len()..].split('"').next()?.parse::<u64>().ok());
            // `<si/>` is 5 bytes: no more strings than that.
            if let Some(declared) = declared.filter(|&n| n > bytes / 5 + 1) {
                return Err(BookError::ForgedCount { declared });
            }
        }
    }
    Ok(unpacked)
}

/// The cells an ODS content part holds once its repeats are expanded, as
/// calamine reads it whole: a cell with a value or content counts as many
/// times as `number-columns-repeated` says, in a row counted as many times as
/// `number-rows-repeated` says (an 800-byte file once asked calamine for 49
/// million cells, 3.9 GB). Empty cells and rows, however repeated, count
/// nothing (spreadsheet programs write thousands of them).
fn ods_cells(part: impl std::io::BufRead) -> Result<u64, quick_xml::Error> {
    use quick_xml::events::{BytesStart, Event};
    let repeat = |e: &BytesStart, name: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let has_value = |e: &BytesStart| e.attributes().flatten().any(|a| a.key.local_name().as_ref() == "value-type");
    let mut reader = quick_xml::Reader::from_reader(part);
    let mut buf = Vec::new();
    let (mut total, mut rows, mut in_row) = (0u64, 1u64, 0u64);
    // The repeat count of the cell being read, until text shows up in it.
    let mut text_cell: Option<u64> = None;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "table-row" => (rows, in_row) = (repeat(&e, "number-rows-repeated"), 0),
                "table-cell" | "covered-table-cell" => {
                    let n = repeat(&e, "number-columns-repeated");
                    match has_value(&e) {
                        true => in_row = in_row.saturating_add(n),
                        // Counted once text shows up in it.
                        false => text_cell = Some(n),
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "table-row" => {}
                "table-cell" | "covered-table-cell" if has_value(&e) => {
                    in_row = in_row.saturating_add(repeat(&e, "number-columns-repeated"));
                }
                _ => {}
            },
            Event::Text(t) if text_cell.is_some() && t.as_ref().chars().any(|c| !c.is_whitespace()) => {
                in_row = in_row.saturating_add(text_cell.take().unwrap_or(0));
            }
            Event::End(e) if matches!(e.local_name().as_ref(), "table-cell" | "covered-table-cell") => text_cell = None,
            Event::End(e) if e.local_name().as_ref() == "table-row" => {
                total = total.saturating_add(rows.saturating_mul(in_row));
                (rows, in_row) = (1, 0);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(total)
}

/// Excel's last row and column (`XFD1048576`): a cell said to be beyond
/// them is a damaged or forged file, not to be padded up to.
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = 1 << 14;

/// How a streamed sheet went.
enum Streamed {
    Done {
        written: bool,
    },
    /// Its first non-empty column is not the one the sheet declared: write
    /// it again from this column.
    StartAt(u32),
    /// Cells came out of row order: read the sheet again, sorting them.
    OutOfOrder,
}

/// Cells of a sheet read out of order, as text, sorted by row then column.
type Unordered = Vec<((u32, u32), String)>;

impl Workbook {
    /// The sheets' names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Writes sheet `name` as CSV into `out` (emptied first): from the
    /// first row and the first column that hold a value, empty rows between
    /// them kept, empty cells at the end of a row dropped. Returns false,
    /// with nothing written, when the sheet holds no value (or is not a
    /// worksheet). XLSX and XLSB cells are streamed in the order the file
    /// stores them; a sheet whose cells are out of row order is read again
    /// and its cells (at most [`crate::limits::MAX_UNORDERED_CELLS`])
    /// sorted. The CSV written by all sheets stays within the workbook's
    /// budget ([`csv_budget`]).
    pub fn write_csv(&mut self, name: &str, out: &mut std::fs::File) -> Result<bool, SheetError> {
        let budget = self.csv_left;
        let over = |e: SheetError| match is_over(&e) {
            true => SheetError::Book(BookError::CsvTooLarge { sheet: name.to_string(), limit: budget }),
            false => e,
        };
        let mut start = None;
        let mut unordered: Option<Unordered> = None;
        loop {
            reset(out)?;
            let mut sink = Budgeted { inner: &mut *out, left: self.csv_left };
            let streamed = match (&mut self.sheets, &unordered) {
                (_, Some(cells)) => {
                    let first = start.unwrap_or_else(|| cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0));
                    let mut sorted = cells.iter();
                    let next =
                        || Ok(sorted.next().map(|(at, text)| calamine::Cell::new(*at, DataRef::String(text.clone()))));
                    stream(first, &mut sink, next)
                }
                (Sheets::Xlsx(x), None) => match x.worksheet_cells_reader(name) {
                    Ok(mut cells) => {
                        let declared = start.unwrap_or(cells.dimensions().start.1);
                        stream(declared, &mut sink, || cells.next_cell().map_err(|e| e.to_string()))
                    }
                    Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(false),
                    Err(e) => return Err(damaged(e).into()),
                },
                (Sheets::Xlsb(x), None) => match x.worksheet_cells_reader(name) {
                    Ok(mut cells) => {
                        let declared = start.unwrap_or(cells.dimensions().start.1);
                        stream(declared, &mut sink, || cells.next_cell().map_err(|e| e.to_string()))
                    }
                    Err(e) => return Err(damaged(e).into()),
                },
                (sheets, None) => {
                    let range = sheets.worksheet_range(name).map_err(damaged)?;
                    let written = write_range(&range, &mut sink).map_err(over)?;
                    self.csv_left = sink.left;
                    return Ok(written);
                }
            };
            let left = sink.left;
            match streamed.map_err(over)? {
                Streamed::Done { written } => {
                    self.csv_left = left;
                    return Ok(written);
                }
                Streamed::StartAt(column) => start = Some(column),
                Streamed::OutOfOrder => {
                    start = None;
                    unordered = Some(self.sorted_cells(name)?);
                }
            }
        }
    }

    /// Every non-empty cell of XLSX or XLSB sheet `name` as text, sorted by
    /// position (the last of two cells at one position wins).
    fn sorted_cells(&mut self, name: &str) -> Result<Unordered, SheetError> {
        let limit = crate::limits::MAX_UNORDERED_CELLS;
        let too_many = || SheetError::Book(BookError::Unordered { sheet: name.to_string(), limit });
        let mut cells: Unordered = Vec::new();
        let mut text_bytes = 0usize;
        let mut keep = |cell: calamine::Cell<DataRef>| -> Result<(), SheetError> {
            if matches!(cell.get_value(), DataRef::Empty) {
                return Ok(());
            }
            let mut text = String::new();
            write_cell(&mut text, cell.get_value());
            text_bytes += text.len();
            if cells.len() == limit || text_bytes > crate::limits::MAX_RECORD_BYTES * 8 {
                return Err(too_many());
            }
            cells.push((cell.get_position(), text));
            Ok(())
        };
        match &mut self.sheets {
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(damaged)?;
                while let Some(cell) = reader.next_cell().map_err(damaged)? {
                    keep(cell)?;
                }
            }
            Sheets::Xlsb(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(damaged)?;
                while let Some(cell) = reader.next_cell().map_err(damaged)? {
                    keep(cell)?;
                }
            }
            _ => {}
        }
        // Stable: of two cells at one position, the later stays last.
        cells.sort_by_key(|(at, _)| *at);
        let mut deduped: Unordered = Vec::with_capacity(cells.len());
        for cell in cells {
            match deduped.last_mut() {
                Some(last) if last.0 == cell.0 => *last = cell,
                _ => deduped.push(cell),
            }
        }
        Ok(deduped)
    }
}

/// Why a sheet could not be written as CSV: the workbook cannot be read
/// (or published as it is), or the CSV could not be written (a full disk:
/// not the workbook's fault).
#[derive(Debug)]
pub enum SheetError {
    Book(BookError),
    Write(std::io::Error),
}

impl From<String> for SheetError {
    fn from(e: String) -> Self {
        SheetError::Book(BookError::Damaged(e))
    }
}

impl From<BookError> for SheetError {
    fn from(e: BookError) -> Self {
        SheetError::Book(e)
    }
}

/// What calamine, the zip reader or the XML reader said of a workbook they
/// could not read.
fn damaged(e: impl std::fmt::Display) -> BookError {
    BookError::Damaged(e.to_string())
}

/// The error of a [`Budgeted`] writer past its budget.
#[derive(Debug, thiserror::Error)]
#[error("over the CSV budget")]
struct OverBudget;

fn is_over(e: &SheetError) -> bool {
    matches!(e, SheetError::Write(e) if e.get_ref().is_some_and(|i| i.is::<OverBudget>()))
}

/// A writer that fails once more than `left` bytes would be written.
struct Budgeted<W: Write> {
    inner: W,
    left: u64,
}

impl<W: Write> Write for Budgeted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() as u64 > self.left {
            return Err(std::io::Error::other(OverBudget));
        }
        let n = self.inner.write(buf)?;
        self.left -= n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Empties `out` for a new pass.
fn reset(out: &mut std::fs::File) -> Result<(), SheetError> {
    out.set_len(0).and_then(|()| out.rewind()).map_err(SheetError::Write)
}

/// A sheet's rows as they are written.
struct Rows<W: Write> {
    normaliser: Normaliser<W>,
    /// Rows written so far (header included).
    written: u64,
    /// Text buffer, reused for every cell.
    cells: Vec<String>,
    /// How many of `cells` belong to the current row.
    len: usize,
}

impl<W: Write> Rows<W> {
    /// Writes the current row (trailing empty cells dropped; the header
    /// keeps at least one cell) and starts an empty one.
    fn flush(&mut self) -> std::io::Result<()> {
        let cells = &self.cells[..self.len];
        let len = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1);
        let mut cells: Vec<&str> =
            cells[..len.max(usize::from(self.written == 0))].iter().map(String::as_str).collect();
        if cells.is_empty() {
            // An empty row: one empty cell, padded to the header's width
            // (no cell at all would be padded one cell too wide).
            cells.push("");
        }
        if self.written == 0 {
            self.normaliser.header(&cells)?;
        } else {
            self.normaliser.row(&cells)?;
        }
        self.written += 1;
        self.cells[..self.len].iter_mut().for_each(String::clear);
        self.len = 0;
        Ok(())
    }

    /// The cell of the current row at index `i`, emptied.
    fn cell(&mut self, i: usize) -> &mut String {
        if self.cells.len() <= i {
            self.cells.resize(i + 1, String::new());
        }
        self.len = self.len.max(i + 1);
        self.cells[i].clear();
        &mut self.cells[i]
    }
}

/// Streams cells in sheet order into CSV, columns counted from `first`.
fn stream<'a, W: Write>(
    first: u32,
    out: W,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, String>,
) -> Result<Streamed, SheetError> {
    let mut rows = Rows { normaliser: Normaliser::new(out), written: 0, cells: Vec::new(), len: 0 };
    let mut current: Option<u32> = None;
    let mut min_column = u32::MAX;
    let io = SheetError::Write;
    while let Some(cell) = next()? {
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        if row >= MAX_ROWS || column >= MAX_COLUMNS {
            return Err(SheetError::Book(BookError::CellBeyond {
                row: u64::from(row) + 1,
                column: u64::from(column) + 1,
            }));
        }
        min_column = min_column.min(column);
        if column < first {
            continue; // Written again from `min_column`, once it is known.
        }
        match current {
            Some(r) if row < r => return Ok(Streamed::OutOfOrder),
            Some(r) if row > r => {
                rows.flush().map_err(io)?;
                for _ in r + 1..row {
                    rows.flush().map_err(io)?;
                }
            }
            _ => {}
        }
        current = Some(row);
        write_cell(rows.cell((column - first) as usize), value);
    }
    if current.is_none() && min_column == u32::MAX {
        return Ok(Streamed::Done { written: false });
    }
    if min_column != first {
        return Ok(Streamed::StartAt(min_column));
    }
    rows.flush().map_err(io)?;
    rows.normaliser.finish().map_err(io)?;
    Ok(Streamed::Done { written: true })
}

/// Writes a sheet read whole (XLS, ODS).
fn write_range(range: &calamine::Range<Data>, out: impl Write) -> Result<bool, SheetError> {
    if range.is_empty() {
        return Ok(false);
    }
    let mut rows = Rows { normaliser: Normaliser::new(out), written: 0, cells: Vec::new(), len: 0 };
    for row in range.rows() {
        for (i, cell) in row.iter().enumerate() {
            rows.cell(i).push_str(&cell_text(cell));
        }
        rows.flush().map_err(SheetError::Write)?;
    }
    rows.normaliser.finish().map_err(SheetError::Write)?;
    Ok(true)
}

/// Appends a streamed cell's text (see [`cell_text`]) to `out`.
fn write_cell(out: &mut String, cell: &DataRef) {
    use std::fmt::Write;
    match cell {
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::String(s) => out.push_str(s),
        DataRef::Int(i) => {
            let _ = write!(out, "{i}");
        }
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            let _ = write!(out, "{}", *f as i64);
        }
        DataRef::Float(f) => {
            let _ = write!(out, "{f}");
        }
        DataRef::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        other => out.push_str(&cell_text(&Data::from(other.clone()))),
    }
}

/// A cell as text: numbers without a useless `.0`, dates in ISO 8601.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(dt) if dt.is_datetime() => serial_to_iso(dt.as_f64()),
        Data::DateTime(dt) => dt.as_f64().to_string(),
    }
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM:SS`.
pub fn serial_to_iso(serial: f64) -> String {
    // Day 0 is 1899-12-30 once Excel's fictitious 1900-02-29 is skipped.
    let days = serial.floor() as i64;
    let Ok(date) = jiff::civil::date(1899, 12, 30).checked_add(jiff::Span::new().days(days)) else {
        return serial.to_string();
    };
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if seconds == 0 {
        return date.to_string();
    }
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    format!("{date}T{h:02}:{m:02}:{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates() {
        assert_eq!(serial_to_iso(46_000.0), "2025-12-09");
        assert_eq!(serial_to_iso(45_658.5), "2025-01-01T12:00:00");
        assert_eq!(cell_text(&Data::Float(12.0)), "12");
        assert_eq!(cell_text(&Data::Float(12.5)), "12.5");
    }

    /// Every sheet of `path`, written both ways: streamed, and read whole.
    fn both_ways(path: &Path) -> Vec<(String, Vec<u8>, Vec<u8>)> {
        let mut book = open(path).unwrap();
        let mut whole = open(path).unwrap();
        let mut out = Vec::new();
        for name in book.sheet_names() {
            let mut streamed = tempfile::tempfile().unwrap();
            if !book.write_csv(&name, &mut streamed).unwrap() {
                continue;
            }
            let mut read = tempfile::tempfile().unwrap();
            let range = whole.sheets.worksheet_range(&name).unwrap();
            assert!(write_range(&range, &mut read).unwrap());
            let bytes = |f: &mut std::fs::File| {
                f.rewind().unwrap();
                let mut v = Vec::new();
                std::io::Read::read_to_end(f, &mut v).unwrap();
                v
            };
            out.push((name, bytes(&mut streamed), bytes(&mut read)));
        }
        out
    }

    #[test]
    fn reads_the_example_workbook() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("example-site/datasets/elections-municipales-2026/resultats-municipales-2026.xlsx");
        let sheets = both_ways(&path);
        assert_eq!(sheets.len(), 2);
        for (name, streamed, read) in &sheets {
            assert_eq!(String::from_utf8_lossy(streamed), String::from_utf8_lossy(read), "{name}");
        }
        let text = String::from_utf8(sheets[0].1.clone()).unwrap();
        assert!(text.lines().count() > 2, "{text}");
    }
}
