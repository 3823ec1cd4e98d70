//! Files a build derives from a table in the same single pass that profiles
//! it: the normalised copy (UTF-8, comma), the preview chunks the explorer
//! pages through, and the exports for re-users (JSON records, a CSV that
//! French Excel opens cleanly). They are streamed into the build's spool
//! folder (see [`crate::write::Staging::spool`]) with bounded memory, then
//! moved into place by `write`; `check` derives nothing.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::tabular::Normaliser;

/// Rows of the first chunk at most; later chunks have as many rows as the
/// first one.
const CHUNK_MAX_ROWS: u64 = 1000;
/// A first chunk closes once it holds this many bytes, so that wide rows
/// give smaller chunks: the explorer's first page stays well under 1 MB.
const CHUNK_TARGET_BYTES: usize = 200 * 1024;
pub use crate::limits::{EXPORT_LIMIT_BYTES, PREVIEW_CELL_CHARS};

/// The name of chunk `i` in a preview folder.
pub fn chunk_name(i: u64) -> String {
    format!("chunk-{i:05}.json")
}

/// What to derive from one table.
pub struct Plan {
    /// Spool sub-folder for this table's files (created here).
    pub dir: PathBuf,
    /// Write the normalised copy.
    pub normalised: bool,
    /// Write the JSON and Excel exports, each up to this many bytes (see
    /// [`export_budget`]).
    pub exports: Option<u64>,
}

/// The most bytes an export of a table of `input` bytes may take: 16 MiB,
/// and 8 bytes per byte of the table. JSON records repeat every column
/// name in every row, so a table with long column names gives a JSON many
/// times its size (3.4 MB of CSV once gave 3.2 GB of JSON); past the
/// budget the table gets no export, and a warning says why.
pub fn export_budget(input: u64) -> u64 {
    (16 << 20) + input.saturating_mul(8)
}

/// What was derived from one table.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Derived {
    /// The normalised copy: file, size, SHA-256.
    pub normalised: Option<(PathBuf, u64, String)>,
    /// Folder of the preview chunks, how many, and rows per chunk.
    pub preview: Option<Preview>,
    /// JSON records and Excel-friendly CSV, with their sizes.
    pub exports: Option<Exports>,
    /// The budget the exports went past ([`export_budget`]): they were
    /// dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exports_refused: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    pub dir: PathBuf,
    pub chunks: u64,
    pub chunk_rows: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Exports {
    pub json: (PathBuf, u64),
    pub excel: (PathBuf, u64),
}

/// Writing a derived file failed (a full disk, a folder that cannot be
/// made): a failure of the build's own output, not of the data file being
/// read. It travels inside an [`io::Error`] (see [`write_failed`]) through
/// the readers, and the profile stage takes it out with
/// [`io::Error::downcast`].
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteFailed {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// `e`, met while writing under `path`, marked as a write failure.
pub fn write_failed(path: &Path, e: io::Error) -> io::Error {
    if e.get_ref().is_some_and(|inner| inner.is::<WriteFailed>()) {
        return e;
    }
    io::Error::new(e.kind(), WriteFailed { path: path.to_path_buf(), source: e })
}

/// Fed the table row by row; remembers the first I/O error (a full disk)
/// and reports it at [`Deriver::finish`].
pub struct Deriver {
    dir: PathBuf,
    width: usize,
    normaliser: Option<Normaliser<Measured<BufWriter<File>>>>,
    chunks: ChunkWriter,
    json: Option<JsonRecords>,
    excel: Option<ExcelCsv>,
    /// The exports' budget, and whether they went past it.
    budget: u64,
    refused: bool,
    error: Option<io::Error>,
}

impl Deriver {
    pub fn new(plan: Plan, header: &[&str]) -> io::Result<Deriver> {
        let dir = plan.dir.clone();
        Deriver::open(plan, header).map_err(|e| write_failed(&dir, e))
    }

    fn open(plan: Plan, header: &[&str]) -> io::Result<Deriver> {
        std::fs::create_dir_all(plan.dir.join("preview"))?;
        let create = |name: &str| File::create(plan.dir.join(name)).map(BufWriter::new);
        let normaliser = match plan.normalised {
            true => {
                let mut n = Normaliser::new(Measured::new(create("normalised.csv")?));
                n.header(header)?;
                Some(n)
            }
            false => None,
        };
        let (json, excel) = match plan.exports {
            Some(_) => (
                Some(JsonRecords::new(create("records.json")?, header)),
                Some(ExcelCsv::new(create("excel.csv")?, header)?),
            ),
            None => (None, None),
        };
        let chunks = ChunkWriter::new(plan.dir.join("preview"));
        let (width, budget) = (header.len(), plan.exports.unwrap_or(0));
        Ok(Deriver { dir: plan.dir, width, normaliser, chunks, json, excel, budget, refused: false, error: None })
    }

    pub fn row(&mut self, cells: &[&str]) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.try_row(cells) {
            self.error = Some(e);
        }
    }

    fn try_row(&mut self, cells: &[&str]) -> io::Result<()> {
        if let Some(n) = &mut self.normaliser {
            n.row(cells)?;
        }
        // The preview shows the columns the profile describes.
        self.chunks.row(cells, self.width.min(crate::limits::MAX_COLUMNS))?;
        if let Some(j) = &mut self.json {
            j.row(cells)?;
            if j.len > self.budget {
                // Dropped, files and all: nothing past the budget is written.
                self.json = None;
                self.excel = None;
                self.refused = true;
                let _ = std::fs::remove_file(self.dir.join("records.json"));
                let _ = std::fs::remove_file(self.dir.join("excel.csv"));
            }
        }
        if let Some(x) = &mut self.excel {
            x.row(cells, self.width)?;
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<Derived> {
        let dir = self.dir.clone();
        self.close().map_err(|e| write_failed(&dir, e))
    }

    fn close(self) -> io::Result<Derived> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let normalised = match self.normaliser {
            Some(n) => {
                let measured = n.into_inner()?;
                let (bytes, sha256) = measured.finish()?;
                Some((self.dir.join("normalised.csv"), bytes, sha256))
            }
            None => None,
        };
        let (chunks, chunk_rows) = self.chunks.finish()?;
        let preview = Some(Preview { dir: self.dir.join("preview"), chunks, chunk_rows });
        let exports = match (self.json, self.excel) {
            (Some(j), Some(x)) => Some(Exports {
                json: (self.dir.join("records.json"), j.finish()?),
                excel: (self.dir.join("excel.csv"), x.finish()?),
            }),
            _ => None,
        };
        let exports_refused = self.refused.then_some(self.budget);
        Ok(Derived { normalised, preview, exports, exports_refused })
    }
}

/// A writer that also counts and hashes what goes through it.
pub struct Measured<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Measured<W> {
    pub fn new(inner: W) -> Self {
        Measured { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// Flushes; size and lowercase hexadecimal SHA-256 of all written.
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        self.inner.flush()?;
        Ok((self.bytes, crate::util::hex(&self.hasher.finalize())))
    }
}

impl<W: Write> Write for Measured<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Cuts a cell for the preview, on a character boundary.
pub fn preview_cell(cell: &str) -> &str {
    crate::limits::cut_chars(cell.trim(), PREVIEW_CELL_CHARS)
}

/// Appends `s` as a JSON string.
fn json_string(buf: &mut Vec<u8>, s: &str) {
    // Writing JSON into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buf, s);
}

/// Preview chunks: JSON arrays of rows, each an array of cell strings
/// (`null` for cells missing from short rows), cut to the header's width.
struct ChunkWriter {
    dir: PathBuf,
    buf: Vec<u8>,
    in_chunk: u64,
    chunk_rows: Option<u64>,
    chunks: u64,
}

impl ChunkWriter {
    fn new(dir: PathBuf) -> Self {
        ChunkWriter {
            dir,
            buf: Vec::with_capacity(CHUNK_TARGET_BYTES + 4096),
            in_chunk: 0,
            chunk_rows: None,
            chunks: 0,
        }
    }

    fn row(&mut self, cells: &[&str], width: usize) -> io::Result<()> {
        self.buf.push(if self.in_chunk == 0 { b'[' } else { b',' });
        self.buf.push(b'[');
        for i in 0..width {
            if i > 0 {
                self.buf.push(b',');
            }
            match cells.get(i) {
                Some(cell) => json_string(&mut self.buf, preview_cell(cell)),
                None => self.buf.extend_from_slice(b"null"),
            }
        }
        self.buf.push(b']');
        self.in_chunk += 1;
        let full = match self.chunk_rows {
            Some(n) => self.in_chunk >= n,
            None => self.in_chunk >= CHUNK_MAX_ROWS || self.buf.len() >= CHUNK_TARGET_BYTES,
        };
        if full {
            self.chunk_rows.get_or_insert(self.in_chunk);
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.buf.extend_from_slice(b"]\n");
        std::fs::write(self.dir.join(chunk_name(self.chunks)), &self.buf)?;
        self.buf.clear();
        self.in_chunk = 0;
        self.chunks += 1;
        Ok(())
    }

    /// Writes the last chunk; returns the number of chunks and rows per chunk.
    fn finish(mut self) -> io::Result<(u64, u64)> {
        let rows = self.chunk_rows.unwrap_or(self.in_chunk.max(1));
        if self.in_chunk > 0 {
            self.flush()?;
        }
        Ok((self.chunks, rows))
    }
}

/// Keys of the JSON records: header names, or `colonne_N` where a name is
/// empty or repeated.
fn record_keys(header: &[&str]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.trim();
            if name.is_empty() || !seen.insert(name.to_string()) {
                format!("colonne_{}", i + 1)
            } else {
                name.to_string()
            }
        })
        .collect()
}

/// `[{"column": "text", ...}, ...]`: cells as text, empty cells `null`,
/// cells beyond the header dropped.
struct JsonRecords {
    out: Measured<BufWriter<File>>,
    keys: Vec<Vec<u8>>,
    buf: Vec<u8>,
    rows: u64,
    /// Bytes made so far, written or in `buf`.
    len: u64,
}

impl JsonRecords {
    fn new(out: BufWriter<File>, header: &[&str]) -> Self {
        let keys = record_keys(header)
            .iter()
            .map(|k| {
                let mut b = Vec::new();
                json_string(&mut b, k);
                b.push(b':');
                b
            })
            .collect();
        JsonRecords { out: Measured::new(out), keys, buf: Vec::with_capacity(64 * 1024), rows: 0, len: 0 }
    }

    fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        let before = self.buf.len();
        self.buf.extend_from_slice(if self.rows == 0 { b"[\n{" } else { b",\n{" });
        for (i, key) in self.keys.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.buf.extend_from_slice(key);
            match cells.get(i).map(|c| c.trim()).filter(|c| !c.is_empty()) {
                Some(cell) => json_string(&mut self.buf, cell),
                None => self.buf.extend_from_slice(b"null"),
            }
        }
        self.buf.push(b'}');
        self.rows += 1;
        self.len += (self.buf.len() - before) as u64;
        if self.buf.len() >= 60 * 1024 {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<u64> {
        self.buf.extend_from_slice(if self.rows == 0 { b"[]\n" } else { b"\n]\n" });
        self.out.write_all(&self.buf)?;
        Ok(self.out.finish()?.0)
    }
}

/// A CSV for French Excel: UTF-8 with a byte order mark (so accents show),
/// `;` between cells, CRLF line ends, quotes where needed; cells as in the
/// file (decimal commas kept), but a cell Excel would run as a formula is
/// marked as text ([`crate::tabular::spreadsheet_safe`]).
struct ExcelCsv {
    out: Measured<BufWriter<File>>,
    buf: Vec<u8>,
}

impl ExcelCsv {
    fn new(out: BufWriter<File>, header: &[&str]) -> io::Result<Self> {
        let mut x = ExcelCsv { out: Measured::new(out), buf: Vec::with_capacity(64 * 1024) };
        x.buf.extend_from_slice(b"\xEF\xBB\xBF");
        x.row(header, header.len())?;
        Ok(x)
    }

    fn row(&mut self, cells: &[&str], width: usize) -> io::Result<()> {
        for i in 0..width.max(1) {
            if i > 0 {
                self.buf.push(b';');
            }
            let cell = crate::tabular::spreadsheet_safe(cells.get(i).copied().unwrap_or(""));
            crate::tabular::write_field(&mut self.buf, cell.as_bytes(), b';');
        }
        self.buf.extend_from_slice(b"\r\n");
        if self.buf.len() >= 60 * 1024 {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<u64> {
        self.out.write_all(&self.buf)?;
        Ok(self.out.finish()?.0)
    }
}

/// A spool sub-folder for the table at `index` (a resource; `sheet` for a
/// workbook's sheet).
pub fn spool_dir(spool: &Path, index: usize, sheet: Option<usize>) -> PathBuf {
    match sheet {
        Some(s) => spool.join(format!("{index}-{s}")),
        None => spool.join(index.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derive(header: &[&str], rows: &[&[&str]], normalised: bool) -> (tempfile::TempDir, Derived) {
        let tmp = tempfile::tempdir().unwrap();
        let plan = Plan { dir: tmp.path().join("0"), normalised, exports: Some(u64::MAX) };
        let mut d = Deriver::new(plan, header).unwrap();
        for r in rows {
            d.row(r);
        }
        let derived = d.finish().unwrap();
        (tmp, derived)
    }

    /// The Excel export marks formulas as text, and only them; the JSON
    /// export and the normalised copy keep every cell as written.
    #[test]
    fn the_excel_export_runs_no_formula() {
        let rows: &[&[&str]] =
            &[&["=1+1", "-5"], &["+33 6 12 34 56 78", "@foo"], &["=HYPERLINK(\"http://x\")", "-1 234,5"]];
        let (_tmp, d) = derive(&["a", "b"], rows, true);
        let x = d.exports.unwrap();
        let excel = String::from_utf8(std::fs::read(&x.excel.0).unwrap()).unwrap();
        assert_eq!(
            excel,
            "\u{feff}a;b\r\n'=1+1;-5\r\n'+33 6 12 34 56 78;'@foo\r\n\"'=HYPERLINK(\"\"http://x\"\")\";-1 234,5\r\n"
        );
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&x.json.0).unwrap()).unwrap();
        assert_eq!(json[0]["a"], "=1+1");
        let (path, _, _) = d.normalised.unwrap();
        assert!(std::fs::read_to_string(path).unwrap().contains("=1+1,-5"));
    }

    #[test]
    fn chunks_exports_and_copy() {
        let (_tmp, d) = derive(&["nom", "montant", "nom"], &[&["Aulne", "1 234,5", "x"], &["Gué \"bas\"", ""]], true);
        let p = d.preview.unwrap();
        assert_eq!((p.chunks, p.chunk_rows), (1, 2));
        let chunk = std::fs::read_to_string(p.dir.join(chunk_name(0))).unwrap();
        assert_eq!(chunk, "[[\"Aulne\",\"1 234,5\",\"x\"],[\"Gué \\\"bas\\\"\",\"\",null]]\n");
        let x = d.exports.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&x.json.0).unwrap()).unwrap();
        assert_eq!(json[1], serde_json::json!({"nom": "Gué \"bas\"", "montant": null, "colonne_3": null}));
        let excel = std::fs::read(&x.excel.0).unwrap();
        assert_eq!(x.excel.1, excel.len() as u64);
        assert_eq!(excel, "\u{feff}nom;montant;nom\r\nAulne;1 234,5;x\r\n\"Gué \"\"bas\"\"\";;\r\n".as_bytes());
        let (path, bytes, sha) = d.normalised.unwrap();
        let copy = std::fs::read(path).unwrap();
        assert_eq!(copy, "nom,montant,nom\nAulne,\"1 234,5\",x\n\"Gué \"\"bas\"\"\",,\n".as_bytes());
        assert_eq!(bytes, copy.len() as u64);
        assert_eq!(sha.len(), 64);
    }

    #[test]
    fn chunk_size_follows_the_first_chunk() {
        let wide = "x".repeat(900);
        let row: Vec<&str> = vec![wide.as_str(); 3];
        let rows: Vec<&[&str]> = vec![&row[..]; 500];
        let (_tmp, d) = derive(&["a", "b", "c"], &rows, false);
        let p = d.preview.unwrap();
        // ~2.7 KB a row: 200 KB chunks hold 76 rows.
        assert!(p.chunk_rows < 100, "{}", p.chunk_rows);
        assert_eq!(p.chunks, 500u64.div_ceil(p.chunk_rows));
        for i in 0..p.chunks {
            let chunk: Vec<Vec<String>> =
                serde_json::from_slice(&std::fs::read(p.dir.join(chunk_name(i))).unwrap()).unwrap();
            let expected = if i + 1 < p.chunks { p.chunk_rows } else { 500 - p.chunk_rows * (p.chunks - 1) };
            assert_eq!(chunk.len() as u64, expected);
            assert!(std::fs::metadata(p.dir.join(chunk_name(i))).unwrap().len() < 1024 * 1024);
        }
        assert!(d.normalised.is_none());
    }

    #[test]
    fn an_empty_table_has_no_chunk() {
        let (_tmp, d) = derive(&["a"], &[], false);
        assert_eq!(d.preview.unwrap().chunks, 0);
        let x = d.exports.unwrap();
        assert_eq!(std::fs::read_to_string(&x.json.0).unwrap(), "[]\n");
    }
}
