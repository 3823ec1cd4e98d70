//! Sidecars parsed by a previous build, kept in the cache folder so that an
//! unchanged sidecar is not parsed again: the YAML parser takes about
//! 100 µs per kilobyte, most of a rebuild's load stage for a site of
//! thousands of datasets.
//!
//! A document is kept as its tree ([`Node`]) in a small binary form, keyed
//! by the SHA-256 of its text; the file is made by one kiosque binary and
//! read only by the same one (`tool`, in its first line). Only documents
//! that parsed without error are kept: an error is reported by parsing
//! again. Anything unexpected in the file (cut, damaged, another format) is
//! a miss, never an error: the document is parsed. The cache (see
//! [`crate::cache`]) reads and writes the file.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::{Node, Span, SyntaxError, Value};

/// Bumped when the encoding changes.
const FORMAT: &str = "kiosque-yaml-1";

type Key = [u8; 32];

/// The documents a previous build parsed, and those this build parsed.
#[derive(Default)]
pub struct Memo {
    /// The previous build's file, and where each document's tree is in it.
    previous: Vec<u8>,
    known: HashMap<Key, std::ops::Range<usize>>,
    /// The trees of the documents this build read (found or parsed), to keep.
    used: Mutex<BTreeMap<Key, Vec<u8>>>,
}

impl Memo {
    /// The documents kept in `previous` (what [`Memo::into_bytes`] gave a
    /// previous build) by the same `tool`; empty when there are none, or
    /// they are unreadable.
    pub fn from_bytes(previous: Vec<u8>, tool: &str) -> Memo {
        let known = index(&previous, tool).unwrap_or_default();
        Memo { previous, known, used: Mutex::default() }
    }

    /// [`super::parse`] of `text`, or its tree found in the memo.
    pub fn parse(&self, text: &str) -> Result<Node, SyntaxError> {
        let key: Key = Sha256::digest(text.as_bytes()).into();
        if let Some(range) = self.known.get(&key)
            && let Some(bytes) = self.previous.get(range.clone())
            && let Some(node) = decode(bytes)
        {
            self.used.lock().expect("no panic while held").insert(key, bytes.to_vec());
            return Ok(node);
        }
        let node = super::parse(text)?;
        let mut bytes = Vec::new();
        encode(&node, &mut bytes);
        self.used.lock().expect("no panic while held").insert(key, bytes);
        Ok(node)
    }

    /// The documents this build read, made by `tool`, for the next build.
    pub fn into_bytes(self, tool: &str) -> Vec<u8> {
        let used = self.used.into_inner().expect("no panic while held");
        let mut out = format!("{FORMAT}\n{tool}\n").into_bytes();
        for (key, bytes) in &used {
            out.extend_from_slice(key);
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out
    }
}

/// Where each document's tree is in `file`, when it was written by `tool`.
fn index(file: &[u8], tool: &str) -> Option<HashMap<Key, std::ops::Range<usize>>> {
    let head = format!("{FORMAT}\n{tool}\n");
    let mut rest = file.strip_prefix(head.as_bytes())?;
    let mut at = head.len();
    let mut known = HashMap::new();
    while !rest.is_empty() {
        let key: Key = rest.get(..32)?.try_into().ok()?;
        let len = usize::try_from(u64::from_le_bytes(rest.get(32..40)?.try_into().ok()?)).ok()?;
        let end = 40usize.checked_add(len)?;
        rest.get(40..end)?;
        known.insert(key, at + 40..at + end);
        rest = &rest[end..];
        at += end;
    }
    Some(known)
}

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const STR: u8 = 5;
const SEQ: u8 = 6;
const MAP: u8 = 7;

/// Appends `node`: its span, a tag, then the value (numbers as 8 bytes,
/// lengths and counts as LEB128).
fn encode(node: &Node, out: &mut Vec<u8>) {
    let Span { line, column, len } = node.span;
    for n in [line, column, len.map_or(0, |l| l + 1)] {
        varint(n as u64, out);
    }
    match &node.value {
        Value::Null => out.push(NULL),
        Value::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        Value::Int(i) => {
            out.push(INT);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Value::Float(f) => {
            out.push(FLOAT);
            out.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        Value::Str(s) => {
            out.push(STR);
            varint(s.len() as u64, out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Seq(items) => {
            out.push(SEQ);
            varint(items.len() as u64, out);
            items.iter().for_each(|n| encode(n, out));
        }
        Value::Map(pairs) => {
            out.push(MAP);
            varint(pairs.len() as u64, out);
            for (k, v) in pairs {
                encode(k, out);
                encode(v, out);
            }
        }
    }
}

fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The tree [`encode`] wrote in `bytes` (all of them), or `None`.
fn decode(bytes: &[u8]) -> Option<Node> {
    let mut reader = Reader { bytes, at: 0 };
    let node = reader.node(0)?;
    (reader.at == bytes.len()).then_some(node)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn node(&mut self, depth: usize) -> Option<Node> {
        // A parsed document is never deeper than the parser allows: deeper
        // is a damaged file, not read further (no unbounded recursion).
        if depth > crate::limits::MAX_YAML_DEPTH + 1 {
            return None;
        }
        let line = self.usize()?;
        let column = self.usize()?;
        let len = self.usize()?.checked_sub(1);
        let value = match self.take(1)?[0] {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            INT => Value::Int(i64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            FLOAT => Value::Float(f64::from_bits(u64::from_le_bytes(self.take(8)?.try_into().ok()?))),
            STR => {
                let len = self.usize()?;
                Value::Str(std::str::from_utf8(self.take(len)?).ok()?.to_string())
            }
            SEQ => {
                let count = self.count()?;
                Value::Seq((0..count).map(|_| self.node(depth + 1)).collect::<Option<_>>()?)
            }
            MAP => {
                let count = self.count()?;
                Value::Map(
                    (0..count).map(|_| Some((self.node(depth + 1)?, self.node(depth + 1)?))).collect::<Option<_>>()?,
                )
            }
            _ => return None,
        };
        Some(Node { value, span: Span { line, column, len } })
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn usize(&mut self) -> Option<usize> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return usize::try_from(n).ok();
            }
        }
        None
    }

    /// A count of items, each of which takes at least 4 bytes: a count the
    /// rest of the file cannot hold is a damaged file (and no allocation).
    fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        (n <= (self.bytes.len() - self.at) / 4).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn round_trip(text: &str) -> Node {
        let node = super::super::parse(text).expect("valid YAML");
        let mut bytes = Vec::new();
        encode(&node, &mut bytes);
        let back = decode(&bytes).expect("decodes");
        assert_eq!(back, node);
        // Bit for bit, which `PartialEq` does not say of NaN and -0.0.
        assert_eq!(format!("{back:?}"), format!("{node:?}"));
        node
    }

    #[test]
    fn trees_read_back_as_parsed() {
        round_trip("");
        round_trip(
            "title: Aires de jeux — Sète\nkeywords: [a, \"b: c\", 'é']\nn: -9223372036854775808\nbig: 18446744073709551615\n",
        );
        round_trip("x: [-0.0, 1.5e300, 0.1, 2.2250738585072014e-308]\nt: true\nf: false\nz: ~\nempty: []\nnone: {}\n");
        round_trip("description: |\n  Ligne un\n\n  Ligne deux\nnested:\n  - a:\n      - [1, [2, [3]]]\n");
        let deep = format!("{}1{}", "[".repeat(60), "]".repeat(60));
        round_trip(&deep);
    }

    #[test]
    fn every_sidecar_of_the_example_reads_back() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                round_trip(&std::fs::read_to_string(path).unwrap());
                seen += 1;
            }
        }
        assert!(seen > 3, "{seen} YAML files in the example");
    }

    #[test]
    fn damaged_trees_are_misses() {
        let node = super::super::parse("a: [1, 2.5, text, {b: c}]\n").unwrap();
        let mut bytes = Vec::new();
        encode(&node, &mut bytes);
        // Every cut, and every byte changed, gives a tree or nothing, never a panic.
        for end in 0..bytes.len() {
            assert_eq!(decode(&bytes[..end]), None, "cut at {end}");
        }
        for i in 0..bytes.len() {
            for b in [0u8, 0x7f, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[i] = b;
                let _ = decode(&damaged);
            }
        }
        // A huge count is refused before anything is allocated.
        let mut huge = vec![1, 1, 0, SEQ];
        varint(u64::MAX >> 1, &mut huge);
        assert_eq!(decode(&huge), None);
        // Nesting deeper than any parsed document.
        let mut deep = Vec::new();
        for _ in 0..10_000 {
            deep.extend_from_slice(&[1, 1, 0, SEQ, 1]);
        }
        deep.extend_from_slice(&[1, 1, 0, NULL]);
        assert_eq!(decode(&deep), None);
    }

    /// The documents a memo made by `tool` keeps, from a file.
    fn open(path: &Path, tool: &str) -> Memo {
        Memo::from_bytes(std::fs::read(path).unwrap_or_default(), tool)
    }

    /// Writes a memo that holds `title: Deux…` only.
    fn memo_of_two(path: &Path) {
        let memo = Memo::from_bytes(Vec::new(), "tool 1");
        memo.parse("title: Deux\nkeywords: [a]\n").unwrap();
        std::fs::write(path, memo.into_bytes("tool 1")).unwrap();
    }

    #[test]
    fn a_memo_finds_what_it_kept_and_forgets_what_was_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("yaml.bin");
        let (one, two) = ("title: Un\n", "title: Deux\nkeywords: [a]\n");
        let memo = open(&path, "tool 1");
        assert_eq!(memo.parse(one).unwrap(), super::super::parse(one).unwrap());
        assert_eq!(memo.parse(two).unwrap(), super::super::parse(two).unwrap());
        assert!(memo.parse("a: [").is_err(), "errors are not kept");
        std::fs::write(&path, memo.into_bytes("tool 1")).unwrap();

        let memo = open(&path, "tool 1");
        assert_eq!(memo.known.len(), 2);
        assert_eq!(memo.parse(two).unwrap(), super::super::parse(two).unwrap());
        std::fs::write(&path, memo.into_bytes("tool 1")).unwrap();
        assert_eq!(open(&path, "tool 1").known.len(), 1, "only what the last build read is kept");
        assert!(open(&path, "tool 2").known.is_empty(), "another binary's memo is not read");

        // A kept tree is taken as it is, not parsed: here, the tree of
        // another text under this one's key.
        let mut forged = format!("{FORMAT}\ntool 1\n").into_bytes();
        let mut tree = Vec::new();
        encode(&super::super::parse(one).unwrap(), &mut tree);
        forged.extend_from_slice(&Sha256::digest(two.as_bytes()));
        forged.extend_from_slice(&(tree.len() as u64).to_le_bytes());
        forged.extend_from_slice(&tree);
        std::fs::write(&path, &forged).unwrap();
        assert_eq!(open(&path, "tool 1").parse(two).unwrap(), super::super::parse(one).unwrap());
        memo_of_two(&path);

        // A damaged file is a miss, parsed again.
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] = 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let memo = open(&path, "tool 1");
        assert_eq!(memo.parse(two).unwrap(), super::super::parse(two).unwrap());
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(open(&path, "tool 1").known.is_empty());
    }
}
