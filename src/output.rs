//! The built site, in memory: every output file by its path. Render and
//! export fill it; `write` puts it on disk; `check` drops it. Large files
//! (resources, static files) are not loaded: they are copied at write time.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The content of one output file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A copy of this file, byte for byte.
    Copy(PathBuf),
    /// A file a stage already wrote into the build's spool folder (see
    /// [`crate::write::Staging::spool`]): moved into place.
    Spooled(PathBuf),
}

/// Output files keyed by path relative to the output folder (`/`-separated),
/// in a stable order.
#[derive(Clone, Debug, Default)]
pub struct Output {
    files: BTreeMap<String, Content>,
}

impl Output {
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), Content::Bytes(bytes.into()));
    }

    pub fn copy(&mut self, path: impl Into<String>, source: PathBuf) {
        self.files.insert(path.into(), Content::Copy(source));
    }

    pub fn spooled(&mut self, path: impl Into<String>, source: PathBuf) {
        self.files.insert(path.into(), Content::Spooled(source));
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn get(&self, path: &str) -> Option<&Content> {
        self.files.get(path)
    }

    /// The text of a generated file (tests and checks).
    pub fn text(&self, path: &str) -> Option<&str> {
        match self.files.get(path)? {
            Content::Bytes(b) => std::str::from_utf8(b).ok(),
            Content::Copy(_) | Content::Spooled(_) => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Content)> {
        self.files.iter()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
