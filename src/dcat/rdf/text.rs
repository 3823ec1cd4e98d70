//! The graph's nodes as text: Turtle, RDF/XML, N-Triples (written by
//! `oxrdfio`) and JSON-LD, a run of nodes at a time. A run's text is what it
//! reads inside its file ([`run`]), so that the runs of one file can be
//! made apart (on several threads, or by an earlier build: see
//! [`super::Store`]) and put end to end by a [`FileWriter`].

use std::sync::OnceLock;

use oxrdf::{NamedNode, Term, TermRef};
use oxrdfio::{RdfFormat, RdfSerializer};
use serde_json::{Map, Value, json};

use super::Node;
use crate::dcat::vocab;

/// What the graph can be written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Turtle, RDF/XML, N-Triples… with the prefixes of [`vocab::PREFIXES`].
    Rdf(RdfFormat),
    /// Flattened JSON-LD with an inline `@context` of prefixes (never a
    /// remote one), one node object per subject, keys as compact IRIs,
    /// every value an explicit `@id` or `@value` object, pretty-printed.
    JsonLd,
}

/// Writes a file of runs of nodes ([`run`]), as they come.
pub struct FileWriter<'w> {
    w: &'w mut dyn std::io::Write,
    format: Format,
    /// Whether a node was written.
    any: bool,
}

impl<'w> FileWriter<'w> {
    /// Writes what comes before the first node.
    pub fn start(format: Format, w: &'w mut dyn std::io::Write) -> std::io::Result<Self> {
        match format {
            Format::JsonLd => {
                let (_, head) = crate::util::PrettyList::start("@context", &jsonld_context(), "@graph");
                w.write_all(head.as_bytes())?;
            }
            Format::Rdf(_) => w.write_all(&frame(format).0)?,
        }
        Ok(FileWriter { w, format, any: false })
    }

    /// Writes a run's text ([`run`] in this writer's format).
    pub fn run(&mut self, text: &[u8]) -> std::io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        // A JSON-LD run starts with the comma after the node before it.
        let text = match self.format {
            Format::JsonLd if !self.any => &text[1..],
            _ => text,
        };
        self.any = true;
        self.w.write_all(text)
    }

    /// Writes what comes after the last node.
    pub fn finish(self) -> std::io::Result<()> {
        match self.format {
            Format::JsonLd => self.w.write_all(crate::util::PrettyList::closing(usize::from(self.any)).as_bytes()),
            Format::Rdf(_) => self.w.write_all(&frame(self.format).1),
        }
    }
}

/// The text of `nodes` as it reads in a file of `format` after another
/// node: runs made apart, put end to end between the file's start and end,
/// make the file that one writer of the same nodes would make.
///
/// The text is ASCII: every other character is escaped as the format allows
/// (`\u00E9` in Turtle, N-Triples and JSON, `&#xE9;` in XML). Hosts often
/// serve `.ttl` as `text/turtle` without a charset, which HTTP clients (the
/// national portal's harvester among them) then read as Latin-1; ASCII reads
/// the same in every charset.
pub fn run(format: Format, nodes: &[Node]) -> Vec<u8> {
    if nodes.is_empty() {
        return Vec::new();
    }
    let text = unescaped_run(format, nodes);
    ascii(format, text)
}

/// `text` with every non-ASCII character escaped for `format`. Such
/// characters only occur in literals here (IRIs are written ASCII, see
/// [`crate::dcat::iri::normalize`]), where each format allows an escape.
fn ascii(format: Format, text: Vec<u8>) -> Vec<u8> {
    use std::fmt::Write as _;
    if text.is_ascii() {
        return text;
    }
    let text = String::from_utf8(text).expect("serializers write UTF-8");
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let _ = match format {
            Format::Rdf(RdfFormat::RdfXml) => write!(out, "&#x{:X};", u32::from(c)),
            Format::JsonLd => {
                let mut units = [0u16; 2];
                c.encode_utf16(&mut units).iter().try_for_each(|u| write!(out, "\\u{u:04X}"))
            }
            Format::Rdf(_) if u32::from(c) > 0xFFFF => write!(out, "\\U{:08X}", u32::from(c)),
            Format::Rdf(_) => write!(out, "\\u{:04X}", u32::from(c)),
        };
    }
    out.into_bytes()
}

fn unescaped_run(format: Format, nodes: &[Node]) -> Vec<u8> {
    match format {
        Format::Rdf(rdf) => {
            let whole = serialize(rdf, nodes);
            let (start, end) = frame(format);
            let inner = whole.strip_prefix(start.as_slice()).and_then(|w| w.strip_suffix(end.as_slice()));
            inner.expect("a serializer writes the same start and end around any nodes").to_vec()
        }
        Format::JsonLd => {
            let mut list = crate::util::PrettyList::after_first();
            let mut text = Vec::new();
            for node in nodes {
                list.write_item(&jsonld_node(node), &mut text).expect("writing to memory does not fail");
            }
            text
        }
    }
}

/// `nodes` written alone in `format`.
fn serialize(format: RdfFormat, nodes: &[Node]) -> Vec<u8> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, iri) in vocab::PREFIXES {
        serializer = serializer.with_prefix(*prefix, *iri).expect("prefix IRIs are valid");
    }
    let mut writer = serializer.for_writer(Vec::new());
    for node in nodes {
        for t in node.triples() {
            writer.serialize_triple(t).expect("writing to memory does not fail");
        }
    }
    writer.finish().expect("writing to memory does not fail")
}

/// What a file of `format` has before its first node and after its last.
fn frame(format: Format) -> &'static (Vec<u8>, Vec<u8>) {
    static TURTLE: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    static RDF_XML: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    static NONE: (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
    match format {
        // The prefixes, written before the first triple; nothing after the
        // last but the end of its statement, which belongs to it.
        Format::Rdf(RdfFormat::Turtle) => TURTLE.get_or_init(|| {
            let iri = |s: &str| NamedNode::new_unchecked(format!("urn:kiosque:{s}"));
            let node = Node::new(iri("s"), [(iri("p"), Term::from(iri("o")))]);
            let one = serialize(RdfFormat::Turtle, &[node]);
            let own = b"<urn:kiosque:s> <urn:kiosque:p> <urn:kiosque:o> .\n";
            let start = one.strip_suffix(own.as_slice()).expect("a triple of full IRIs reads as such");
            (start.to_vec(), Vec::new())
        }),
        // The XML declaration and `<rdf:RDF …>`; `</rdf:RDF>`.
        Format::Rdf(RdfFormat::RdfXml) => RDF_XML.get_or_init(|| {
            let empty = serialize(RdfFormat::RdfXml, &[]);
            let at = empty.windows(10).position(|w| w == b"</rdf:RDF>").expect("an RDF/XML document ends so");
            (empty[..at].to_vec(), empty[at..].to_vec())
        }),
        // One triple a line.
        Format::Rdf(RdfFormat::NTriples | RdfFormat::NQuads) => &NONE,
        Format::Rdf(other) => unreachable!("{other} files are not written"),
        // JSON-LD is framed by the writer.
        Format::JsonLd => &NONE,
    }
}

/// The JSON-LD node object of `node`: a single value alone, several in an
/// array.
fn jsonld_node(node: &Node) -> Value {
    let mut object = Map::new();
    object.insert("@id".into(), Value::String(super::subject_text(&node.subject)));
    for t in node.triples() {
        let (key, value) = if t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" {
            let TermRef::NamedNode(class) = t.object else { unreachable!("classes are IRIs") };
            ("@type".to_string(), Value::String(compact(class.as_str())))
        } else {
            (compact(t.predicate.as_str()), jsonld_object(t.object))
        };
        match object.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(values) => values.push(value),
            _ => unreachable!("values are arrays"),
        }
    }
    for value in object.values_mut() {
        if let Value::Array(values) = value
            && values.len() == 1
        {
            *value = values.pop().expect("one value");
        }
    }
    Value::Object(object)
}

/// The JSON-LD `@context`: the prefixes, inline (never a remote context).
fn jsonld_context() -> Value {
    let context: Map<String, Value> = vocab::PREFIXES
        .iter()
        .map(|(prefix, iri)| ((*prefix).to_string(), Value::String((*iri).to_string())))
        .collect();
    Value::Object(context)
}

/// A compact IRI (`dct:title`) when a prefix applies and the rest is a plain
/// name, else the IRI itself.
fn compact(iri: &str) -> String {
    for (prefix, ns) in vocab::PREFIXES {
        if let Some(local) = iri.strip_prefix(ns)
            && !local.is_empty()
            && !local.starts_with("//")
            && local.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return format!("{prefix}:{local}");
        }
    }
    iri.to_string()
}

fn jsonld_object(term: TermRef<'_>) -> Value {
    match term {
        TermRef::NamedNode(iri) => json!({ "@id": iri.as_str() }),
        TermRef::BlankNode(b) => json!({ "@id": format!("_:{}", b.as_str()) }),
        TermRef::Literal(lit) => {
            if let Some(lang) = lit.language() {
                json!({ "@value": lit.value(), "@language": lang })
            } else if lit.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string" {
                json!({ "@value": lit.value() })
            } else {
                json!({ "@value": lit.value(), "@type": compact(lit.datatype().as_str()) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(s: &str, pairs: &[(&str, Term)]) -> Node {
        let iri = |s: &str| NamedNode::new_unchecked(format!("https://exemple.fr/{s}"));
        let a = NamedNode::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
        let mut all = vec![(a, Term::from(NamedNode::new_unchecked("http://www.w3.org/ns/dcat#Dataset")))];
        all.extend(pairs.iter().map(|(p, o)| (iri(p), o.clone())));
        Node::new(iri(s), all)
    }

    /// Runs made apart and put end to end make the file one serializer
    /// makes of all their nodes, in every format.
    #[test]
    fn runs_end_to_end_are_the_whole_file() {
        let title = |t: &str| Term::from(oxrdf::Literal::new_language_tagged_literal_unchecked(t, "fr"));
        let first = [
            node("a", &[("titre", title("Budget « 2026 »"))]),
            node("b", &[("lien", NamedNode::new_unchecked("https://exemple.fr/a").into())]),
        ];
        let second = [node("c", &[("titre", title("Écoles & <cantines>"))])];
        let all: Vec<Node> = first.iter().chain(&second).cloned().collect();
        for format in [
            Format::Rdf(RdfFormat::Turtle),
            Format::Rdf(RdfFormat::RdfXml),
            Format::Rdf(RdfFormat::NTriples),
            Format::JsonLd,
        ] {
            let mut parts = Vec::new();
            let mut writer = FileWriter::start(format, &mut parts).unwrap();
            for run in [run(format, &first), run(format, &[]), run(format, &second)] {
                writer.run(&run).unwrap();
            }
            writer.finish().unwrap();
            let expected = match format {
                Format::Rdf(rdf) => ascii(format, serialize(rdf, &all)),
                Format::JsonLd => {
                    let nodes: Vec<Value> = all.iter().map(jsonld_node).collect();
                    let mut bytes =
                        serde_json::to_vec_pretty(&json!({"@context": jsonld_context(), "@graph": nodes})).unwrap();
                    bytes.push(b'\n');
                    ascii(format, bytes)
                }
            };
            assert_eq!(String::from_utf8(parts).unwrap(), String::from_utf8(expected).unwrap(), "{format:?}");
        }
    }

    /// Every file is ASCII and parses to the same texts as the UTF-8 one.
    #[test]
    fn files_are_ascii_with_the_same_texts() {
        let texts = ["Budget « 2026 » — école", "Ελληνικά 日本語", "emoji 🌳 & <b>", "tab\there \"q\" \\"];
        let nodes: Vec<Node> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let lit = Term::from(oxrdf::Literal::new_language_tagged_literal_unchecked(*t, "fr"));
                node(&format!("n{i}"), &[("titre", lit)])
            })
            .collect();
        for (format, rdf) in [
            (Format::Rdf(RdfFormat::Turtle), RdfFormat::Turtle),
            (Format::Rdf(RdfFormat::RdfXml), RdfFormat::RdfXml),
            (Format::Rdf(RdfFormat::NTriples), RdfFormat::NTriples),
            (Format::JsonLd, RdfFormat::JsonLd { profile: oxrdfio::JsonLdProfileSet::empty() }),
        ] {
            let mut file = Vec::new();
            let mut writer = FileWriter::start(format, &mut file).unwrap();
            writer.run(&run(format, &nodes)).unwrap();
            writer.finish().unwrap();
            assert!(file.is_ascii(), "{format:?}: {}", String::from_utf8_lossy(&file));
            let graph = crate::dcat::rdf::parse_graph(&file, rdf).unwrap();
            let mut found: Vec<String> = graph
                .iter()
                .filter_map(|t| match t.object {
                    oxrdf::TermRef::Literal(l) => Some(l.value().to_string()),
                    _ => None,
                })
                .collect();
            found.sort();
            let mut expected: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
            expected.sort();
            assert_eq!(found, expected, "{format:?}");
        }
    }
}
