//! Rows of text cells packed in one buffer. The first rows of every table
//! stay in memory from the profile stage until the table's page is
//! rendered; as `Vec<Vec<String>>` a short cell costs some fifty bytes,
//! here its length plus four.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    text: String,
    /// Where each cell ends in `text`.
    cell_ends: Vec<u32>,
    /// Where each row ends in `cell_ends`.
    row_ends: Vec<u32>,
}

impl Rows {
    /// Adds a row. Cells beyond 4 GiB of text in all are not expected (rows
    /// are few and cells cut short): past that, cells are kept empty.
    pub fn push<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        for cell in cells {
            if u32::try_from(self.text.len() + cell.len()).is_ok() {
                self.text.push_str(cell);
            }
            self.cell_ends.push(self.text.len() as u32);
        }
        self.row_ends.push(self.cell_ends.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.row_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_ends.is_empty()
    }

    /// Gives back the room the buffers grew beyond their content.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.cell_ends.shrink_to_fit();
        self.row_ends.shrink_to_fit();
    }

    /// The rows, in order, each as its cells.
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.len()).map(|r| {
            let start = if r == 0 { 0 } else { self.row_ends[r - 1] as usize };
            Row { rows: self, cells: start..self.row_ends[r] as usize }
        })
    }
}

/// One row of [`Rows`].
#[derive(Clone, Debug)]
pub struct Row<'a> {
    rows: &'a Rows,
    cells: std::ops::Range<usize>,
}

impl<'a> Row<'a> {
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Cell `c`, if the row has it.
    pub fn get(&self, c: usize) -> Option<&'a str> {
        let i = self.cells.start + c;
        if i >= self.cells.end {
            return None;
        }
        let start = if i == 0 { 0 } else { self.rows.cell_ends[i - 1] as usize };
        Some(&self.rows.text[start..self.rows.cell_ends[i] as usize])
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|c| self.get(c))
    }
}

/// Written as an array of arrays of strings.
impl Serialize for Rows {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|row| row.iter().collect::<Vec<_>>()))
    }
}

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rows = Vec::<Vec<String>>::deserialize(deserializer)?;
        let mut packed = Rows::default();
        for row in &rows {
            packed.push(row.iter().map(String::as_str));
        }
        packed.shrink_to_fit();
        Ok(packed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ragged_rows_and_empty_cells() {
        let mut rows = Rows::default();
        rows.push(["a", "", "ccc"]);
        rows.push([]);
        rows.push(["é", "x"]);
        let back: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().collect()).collect();
        assert_eq!(back, vec![vec!["a", "", "ccc"], vec![], vec!["é", "x"]]);
        let second = rows.iter().nth(2).unwrap();
        assert_eq!((second.get(1), second.get(2)), (Some("x"), None));
        let json = serde_json::to_string(&rows).unwrap();
        assert_eq!(json, r#"[["a","","ccc"],[],["é","x"]]"#);
        assert_eq!(serde_json::from_str::<Rows>(&json).unwrap(), rows);
    }
}
