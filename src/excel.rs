//! Spreadsheets (XLSX, XLS, ODS): each sheet read with calamine and turned
//! into a UTF-8 comma-separated CSV, which kiosque then profiles, checks
//! and publishes beside the workbook like any table.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

/// One sheet, as CSV.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub csv: Vec<u8>,
}

/// Every non-empty sheet of a workbook, in workbook order.
pub fn sheets_as_csv(path: &Path) -> Result<Vec<Sheet>, String> {
    let mut workbook = open_workbook_auto(path).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|e| e.to_string())?;
        if range.is_empty() {
            continue;
        }
        let mut normaliser = crate::tabular::Normaliser::new(Vec::new());
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            // Trailing empty cells of a row are formatting, not data.
            let len = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1);
            let cells: Vec<&str> = cells[..len.max(if i == 0 { 1 } else { 0 })].iter().map(String::as_str).collect();
            let written = if i == 0 { normaliser.header(&cells) } else { normaliser.row(&cells) };
            written.map_err(|e| e.to_string())?;
        }
        let csv = normaliser.into_inner().map_err(|e| e.to_string())?;
        out.push(Sheet { name, csv });
    }
    Ok(out)
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

    #[test]
    fn reads_the_example_workbook() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("example-site/datasets/elections-municipales-2026/resultats-municipales-2026.xlsx");
        let sheets = sheets_as_csv(&path).unwrap();
        assert_eq!(sheets.len(), 2);
        let text = String::from_utf8(sheets[0].csv.clone()).unwrap();
        assert!(text.lines().count() > 2, "{text}");
    }
}
