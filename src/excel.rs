//! Spreadsheets (XLSX, XLSB, XLS, ODS): each sheet read with calamine and
//! written as a UTF-8 comma-separated CSV, which kiosque then profiles,
//! checks and publishes beside the workbook like any table.
//!
//! XLSX and XLSB sheets are streamed cell by cell, so memory does not grow
//! with the number of rows (a sheet of 1,048,576 rows, Excel's maximum,
//! included), nor with the area between far-apart cells (a sheet with cells
//! in `A1` and `XFD1048576` is not a 17-billion-cell grid). XLS sheets
//! (65,536 rows at most) and ODS sheets are read whole by calamine.

use std::io::{Seek, Write};
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};

use crate::tabular::Normaliser;

/// An open workbook.
pub struct Workbook {
    sheets: Sheets<std::io::BufReader<std::fs::File>>,
}

/// Opens a workbook; `Err` says why it cannot be read.
pub fn open(path: &Path) -> Result<Workbook, String> {
    open_workbook_auto(path).map(|sheets| Workbook { sheets }).map_err(|e| e.to_string())
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
    /// Cells came out of row order: read the sheet whole instead.
    OutOfOrder,
}

impl Workbook {
    /// The sheets' names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Writes sheet `name` as CSV into `out` (emptied first): from the
    /// first row and the first column that hold a value, empty rows between
    /// them kept, empty cells at the end of a row dropped. Returns false,
    /// with nothing written, when the sheet holds no value (or is not a
    /// worksheet).
    pub fn write_csv(&mut self, name: &str, out: &mut std::fs::File) -> Result<bool, SheetError> {
        let mut start = None;
        loop {
            reset(out)?;
            let streamed = match &mut self.sheets {
                Sheets::Xlsx(x) => match x.worksheet_cells_reader(name) {
                    Ok(mut cells) => {
                        let declared = start.unwrap_or(cells.dimensions().start.1);
                        stream(declared, &mut *out, || cells.next_cell().map_err(|e| e.to_string()))?
                    }
                    Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(false),
                    Err(e) => return Err(SheetError::Read(e.to_string())),
                },
                Sheets::Xlsb(x) => match x.worksheet_cells_reader(name) {
                    Ok(mut cells) => {
                        let declared = start.unwrap_or(cells.dimensions().start.1);
                        stream(declared, &mut *out, || cells.next_cell().map_err(|e| e.to_string()))?
                    }
                    Err(e) => return Err(SheetError::Read(e.to_string())),
                },
                _ => Streamed::OutOfOrder,
            };
            match streamed {
                Streamed::Done { written } => return Ok(written),
                Streamed::StartAt(column) => start = Some(column),
                Streamed::OutOfOrder => {
                    reset(out)?;
                    let range = self.sheets.worksheet_range(name).map_err(|e| SheetError::Read(e.to_string()))?;
                    return write_range(&range, out);
                }
            }
        }
    }
}

/// Why a sheet could not be written as CSV: the workbook could not be
/// read, or the CSV could not be written (a full disk: not the workbook's
/// fault).
#[derive(Debug)]
pub enum SheetError {
    Read(String),
    Write(std::io::Error),
}

impl From<String> for SheetError {
    fn from(e: String) -> Self {
        SheetError::Read(e)
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
            return Err(SheetError::Read(format!(
                "a cell is beyond the last row or column of a sheet (row {}, column {})",
                row + 1,
                column + 1
            )));
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

/// Writes a sheet read whole (XLS, ODS, or cells out of order).
fn write_range(range: &calamine::Range<Data>, out: &mut std::fs::File) -> Result<bool, SheetError> {
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
