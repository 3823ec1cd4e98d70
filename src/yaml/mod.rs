//! A YAML document as a tree of nodes that each know where they stand in the
//! source. Sidecars, `site.yaml` and front matter are read into this tree
//! first, then shaped into the typed model field by field, so that every bad
//! field gets its own diagnostic with its line and column (a derived
//! `Deserialize` would stop at the first type error).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::lang::Lang;

mod memo;
pub use memo::Memo;

/// Where a node stands: 1-based line and column, and the length in
/// characters of its text when it is a scalar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: Option<usize>,
}

impl Span {
    /// Moves a span found in an embedded document (front matter) down by
    /// `lines` lines.
    pub fn offset_lines(mut self, lines: usize) -> Span {
        self.line += lines;
        self
    }
}

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A YAML value and its place in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A YAML syntax error (or a breached size budget), with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub kind: ErrorKind,
}

/// What kind of YAML error it is, for the message shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not valid YAML.
    Syntax,
    /// Values nested more than [`crate::limits::MAX_YAML_DEPTH`] levels deep
    /// (the budget's depth, or the scanner's own recursion limit for flow
    /// collections such as `[[[[`).
    TooDeep,
    /// Another budget breached: too many nodes, aliases or anchors (an
    /// alias bomb).
    TooComplex,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// How many events aliases may replay in one document, in all.
const MAX_REPLAYED_EVENTS: usize = 10_000;

/// Parses one YAML document. An empty document is `Null`.
///
/// YAML 1.2 booleans only (`no` stays the text "no"), duplicate keys are an
/// error, and the parser's budget bounds nesting depth, node count and alias
/// expansion (billion laughs).
///
/// The parser and the tree it builds recurse once per level of nesting:
/// it runs on a thread with a stack large enough for
/// [`crate::limits::MAX_YAML_DEPTH`] levels in any build, so that a deeply
/// nested file is an error and never a stack overflow, whatever thread
/// calls this (the server's have small stacks): the calling thread when it
/// is one of [`with_parsers`]' pool, else a thread started for it.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if parsers().is_some_and(|pool| pool.current_thread_index().is_some()) {
        return parse_here(text);
    }
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("yaml".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || parse_here(text))
        {
            Ok(parser) => parser.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => parse_here(text),
        }
    })
}

/// Runs `work` (and the parallel work it starts) on a pool of threads
/// whose stacks are those [`parse`] needs, so that it parses YAML where it
/// is: a thread started for each of thousands of sidecars took half of
/// the load stage.
pub fn with_parsers<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match parsers() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// The pool of [`with_parsers`], one thread per core, made once; `None`
/// when its threads could not be started.
fn parsers() -> Option<&'static rayon::ThreadPool> {
    static PARSERS: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    PARSERS
        .get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("yaml-{i}"))
                .stack_size(PARSER_STACK)
                .num_threads(rayon::current_num_threads())
                .build()
                .ok()
        })
        .as_ref()
}

/// The YAML parser's stack: a debug build takes about 32 KiB per level of
/// nesting.
const PARSER_STACK: usize = 16 << 20;

fn parse_here(text: &str) -> Result<Node, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Node { value: Value::Null, span: Span { line: 1, column: 1, len: None } });
    }
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = crate::limits::MAX_YAML_DEPTH;
    budget.max_nodes = crate::limits::MAX_YAML_NODES;
    // A sidecar needs no aliases: replaying at most this many events keeps
    // an alias bomb of a few hundred bytes to milliseconds of work (the
    // parser's default, a million, took seconds; found by fuzzing).
    let alias_limits = serde_saphyr::alias_limits! {
        max_total_replayed_events: MAX_REPLAYED_EVENTS,
    };
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: Some(budget),
        alias_limits: alias_limits,
    };
    serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|e| {
        let location = e.location();
        let kind = match e.without_snippet() {
            serde_saphyr::Error::Budget { breach: serde_saphyr::budget::BudgetBreach::Depth { .. }, .. } => {
                ErrorKind::TooDeep
            }
            serde_saphyr::Error::Budget { .. } => ErrorKind::TooComplex,
            other => {
                // Breaches found while expanding aliases come as messages.
                let text = other.to_string();
                if text.contains("recursion limit exceeded") {
                    ErrorKind::TooDeep
                } else if text.contains("budget") || text.contains("alias replay") || text.contains("alias expansion") {
                    ErrorKind::TooComplex
                } else {
                    ErrorKind::Syntax
                }
            }
        };
        let plain = e.without_snippet().to_string();
        // The parser prefixes "line L column C: "; we show the position ourselves.
        let message = match plain.split_once(": ") {
            Some((head, rest)) if head.starts_with("line ") || head.starts_with("error: line ") => rest.to_string(),
            _ => plain,
        };
        let message = message.lines().next().unwrap_or("");
        let message = match message.rfind(" at line ") {
            Some(i) if message[i..].contains(", column ") => &message[..i],
            _ => message,
        }
        .to_string();
        SyntaxError {
            message,
            line: location.map(|l| l.line() as usize).filter(|&l| l > 0),
            column: location.map(|l| l.column() as usize).filter(|&c| c > 0),
            kind,
        }
    })
}

impl Node {
    /// Moves this node and all below it down by `lines` lines (for a
    /// document embedded in a larger file, such as front matter).
    pub fn shift_lines(&mut self, lines: usize) {
        self.span = self.span.offset_lines(lines);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift_lines(lines)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.shift_lines(lines);
                v.shift_lines(lines);
            }),
            _ => {}
        }
    }

    /// The text of a scalar: strings as they are, numbers and booleans as
    /// written (`insee: 01234` unquoted is still read as text).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|(k, _)| k.scalar_text().as_deref() == Some(key)).map(|(_, v)| v)
    }

    /// What kind of value this is, in words, for messages.
    pub fn kind(&self, lang: Lang) -> &'static str {
        match (&self.value, lang) {
            (Value::Null, Lang::Fr) => "une valeur vide",
            (Value::Null, Lang::En) => "an empty value",
            (Value::Bool(_), Lang::Fr) => "un booléen",
            (Value::Bool(_), Lang::En) => "a boolean",
            (Value::Int(_) | Value::Float(_), Lang::Fr) => "un nombre",
            (Value::Int(_) | Value::Float(_), Lang::En) => "a number",
            (Value::Str(_), Lang::Fr) => "un texte",
            (Value::Str(_), Lang::En) => "a text",
            (Value::Seq(_), Lang::Fr) => "une liste",
            (Value::Seq(_), Lang::En) => "a list",
            (Value::Map(_), Lang::Fr) => "un ensemble de clés",
            (Value::Map(_), Lang::En) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(d)?;
        let loc = spanned.referenced;
        let len = match &spanned.value {
            Value::Str(s) => Some(s.chars().count().max(1)),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let span = loc.span();
                Some((span.len() as usize).max(1))
            }
            _ => None,
        };
        Ok(Node { value: spanned.value, span: Span { line: loc.line() as usize, column: loc.column() as usize, len } })
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(i64::try_from(u).map(Value::Int).unwrap_or(Value::Float(u as f64)))
    }
    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        Ok(Value::Str(i.to_string()))
    }
    fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
        Ok(Value::Str(u.to_string()))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }
    fn visit_bytes<E>(self, b: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(b).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Value::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_nested_values() {
        let n = parse("title: Budget\nkeywords:\n  - a\n  - 2025\nno: no\n").unwrap();
        let title = n.get("title").unwrap();
        assert_eq!(title.scalar_text().unwrap(), "Budget");
        assert_eq!(title.span, Span { line: 1, column: 8, len: Some(6) });
        let kw = n.get("keywords").unwrap().as_seq().unwrap();
        assert_eq!(kw[1].scalar_text().unwrap(), "2025");
        assert_eq!((kw[1].span.line, kw[1].span.column), (4, 5));
        // YAML 1.2 booleans: "no" is text.
        assert_eq!(n.get("no").unwrap().scalar_text().unwrap(), "no");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("title: a\n  b: [c\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(!e.message.contains("line 2"), "{}", e.message);
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_bounded() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (i, c) in ('b'..='i').enumerate() {
            let prev = (b'a' + i as u8) as char;
            bomb.push_str(&format!("{c}: &{c} [{}]\n", vec![format!("*{prev}"); 9].join(",")));
        }
        let start = std::time::Instant::now();
        assert_eq!(parse(&bomb).unwrap_err().kind, ErrorKind::TooComplex);
        assert!(start.elapsed() < std::time::Duration::from_secs(1), "took {:?}", start.elapsed());
        // Anchors and aliases within reason still work.
        let n = parse("a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(n.get("b").unwrap().as_seq().unwrap().len(), 2);
        for deep in [
            "[".repeat(500) + &"]".repeat(500),
            "[".repeat(100_000),
            "a: ".to_string() + &"{b: ".repeat(10_000),
            (0..100).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect(),
        ] {
            let e = parse(&deep).unwrap_err();
            assert_eq!(e.kind, ErrorKind::TooDeep, "{e:?}");
            assert!(e.line.is_some(), "{e:?}");
        }
        let ok: String = (0..crate::limits::MAX_YAML_DEPTH).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn empty_document_is_null() {
        assert!(parse("").unwrap().is_null());
        assert!(parse("# only a comment\n").unwrap().is_null());
    }
}
