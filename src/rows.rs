//! Rows of text cells packed in one buffer. The first rows of every table
//! stay in memory from the profile stage until the table's page is
//! rendered; as `Vec<Vec<String>>` a short cell costs some fifty bytes,
//! here its length plus four.

use std::fmt;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
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
            self.push_cell(cell);
        }
        self.end_row();
    }

    /// Adds a cell to the row being pushed.
    fn push_cell(&mut self, cell: &str) {
        if u32::try_from(self.text.len() + cell.len()).is_ok() {
            self.text.push_str(cell);
        }
        self.cell_ends.push(self.text.len() as u32);
    }

    /// Ends the row being pushed.
    fn end_row(&mut self) {
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

/// Read straight into the buffers, a cell at a time (a cached profile's
/// rows are read on every build that reuses it).
impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct All;
        impl<'de> Visitor<'de> for All {
            type Value = Rows;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of rows of text cells")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
                let mut rows = Rows::default();
                while seq.next_element_seed(Row(&mut rows))?.is_some() {}
                rows.shrink_to_fit();
                Ok(rows)
            }
        }
        /// One row, pushed onto the rows.
        struct Row<'r>(&'r mut Rows);
        impl<'de> DeserializeSeed<'de> for Row<'_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
                deserializer.deserialize_seq(self)
            }
        }
        impl<'de> Visitor<'de> for Row<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row of text cells")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                while seq.next_element_seed(Cell(self.0))?.is_some() {}
                self.0.end_row();
                Ok(())
            }
        }
        /// One cell, pushed onto the current row.
        struct Cell<'r>(&'r mut Rows);
        impl<'de> DeserializeSeed<'de> for Cell<'_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
                deserializer.deserialize_str(self)
            }
        }
        impl Visitor<'_> for Cell<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text cell")
            }
            fn visit_str<E: serde::de::Error>(self, cell: &str) -> Result<(), E> {
                self.0.push_cell(cell);
                Ok(())
            }
        }
        deserializer.deserialize_seq(All)
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
        // Escaped cells, and what is not rows.
        let escaped: Rows = serde_json::from_str(r#"[["a\"b", "\u00e9\n"], []]"#).unwrap();
        let back: Vec<Vec<&str>> = escaped.iter().map(|r| r.iter().collect()).collect();
        assert_eq!(back, vec![vec!["a\"b", "é\n"], vec![]]);
        for bad in [r#"["a"]"#, r#"[[1]]"#, r#"{"a": []}"#, r#"[["a"]"#] {
            assert!(serde_json::from_str::<Rows>(bad).is_err(), "{bad}");
        }
    }
}
