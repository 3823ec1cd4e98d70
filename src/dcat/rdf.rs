//! The DCAT-AP 3.0 catalogue (compatible with DCAT-AP 2.1): an RDF graph
//! made a dataset at a time and written as Turtle, RDF/XML and JSON-LD.
//!
//! Nodes minted here hang off the site's pages: `<base>#catalog`,
//! `<landing>#dataset`, `<landing>#distribution-N`, `<landing>#contact`,
//! `<landing>#spatial`, `<base>#agent-<name>`. One node is blank, a
//! dataset's temporal coverage (`_:temporal-<hash of its page and slug>`): the
//! national portal's harvester (udata, `temporal_from_resource`) downloads
//! a period of time that has an IRI instead of reading it from the
//! catalogue, and loses it. A blank node is a dataset's own, never shared.
//!
//! The DCAT-AP range shapes are checked without inference, so every IRI
//! value carries its class explicitly (`dct:Frequency`, `dct:Standard`,
//! `foaf:Document`, `skos:Concept`…).

use std::collections::{HashMap, HashSet};
use std::fmt;

use oxrdf::{BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, Term, Triple, TripleRef};
use oxrdfio::RdfFormat;
use serde_json::Value;

use super::dates;
use super::input::{CatalogInput, Contact, DatasetInput, DistributionInput, License, Spatial};
use super::iri::{clean_text, fragment, normalize};
use super::vocab::{self, DCAT, DCT, FOAF, GSP, LOCN, RDF, RDFS, SKOS, VCARD, XSD};

mod text;

pub use text::{FileWriter, Format};

/// A URL that cannot be made a valid absolute IRI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What the URL is (`base_url`, `landing page of dataset "budget"`…).
    pub what: String,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a valid absolute URL ({:?}): {}", self.what, self.value, self.reason)
    }
}

impl std::error::Error for Error {}

/// The catalogue graph, made a dataset at a time whenever it is written,
/// so that a catalogue of thousands of datasets is never whole in memory.
///
/// Most nodes belong to one dataset (they hang off its page): they are
/// written together, each once with all its triples, as the dataset's run.
/// The others (agents, licences, themes, standards, the catalogue…) may be
/// met by several parts, so their triples are gathered beforehand, when the
/// graph is made ([`build_graph`]), and each is written once, after the run
/// of the part that first meets it. The order: the catalogue and its nodes,
/// then each dataset's run and the shared nodes it meets first, then the
/// site's home page.
///
/// With a [`Store`], each dataset's runs are made once, when the graph is
/// made, and kept there: a later build whose dataset did not change takes
/// them as they are.
pub struct CatalogGraph<'a> {
    parts: Parts<'a>,
    /// The subjects the catalogue's own part meets, in order.
    head: Vec<NamedNode>,
    /// Every triple of the subjects that are not a dataset's own.
    shared: HashMap<NamedNode, Pairs>,
    /// For each dataset whose runs are in `store`: the shared subjects it
    /// meets, in order.
    stored: Vec<Option<Vec<NamedNode>>>,
    store: Option<&'a dyn Store>,
}

impl fmt::Debug for CatalogGraph<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatalogGraph").field("head", &self.head).field("shared", &self.shared.len()).finish()
    }
}

/// Where the datasets' fragments ([`Fragment`]'s bytes) are kept between
/// builds, by the dataset's index in the catalogue: the store knows what
/// each dataset is made from, and must forget a fragment when that changes.
pub trait Store: Sync {
    fn load(&self, dataset: usize) -> Option<Vec<u8>>;
    /// The fragment's bytes up to its first line feed, included (all that
    /// [`build_graph_with`] reads of it); by default read whole.
    fn load_head(&self, dataset: usize) -> Option<Vec<u8>> {
        self.load(dataset)
    }
    fn save(&self, dataset: usize, bytes: &[u8]);
}

/// What one dataset adds to the graph, as a [`Store`] keeps it: a line of
/// JSON (this), then the runs' text, one after the other, as they are (so
/// that reading a fragment does not parse them).
#[derive(serde::Serialize, serde::Deserialize)]
struct Fragment {
    /// The IRIs of its own nodes.
    own: Vec<String>,
    /// The predicates and objects it gives the nodes it shares with other
    /// parts, subjects in the order met.
    shared: Vec<(String, Vec<(String, Object)>)>,
    /// The lengths of its own nodes' text in `catalog.ttl`, `catalog.rdf`
    /// and `catalog.jsonld` ([`text::run`]), which follow the line.
    runs: [usize; 3],
}

/// An object as a [`Fragment`] keeps it.
#[derive(serde::Serialize, serde::Deserialize)]
enum Object {
    Iri(String),
    /// A text, with its language tag when it has one.
    Text(String, Option<String>),
    /// A typed literal and its datatype's IRI.
    Typed(String, String),
    /// A blank node's label.
    Blank(String),
}

impl Object {
    fn of(term: &Term) -> Object {
        match term {
            Term::NamedNode(iri) => Object::Iri(iri.as_str().to_string()),
            Term::BlankNode(b) => Object::Blank(b.as_str().to_string()),
            Term::Literal(lit) => match lit.language() {
                Some(lang) => Object::Text(lit.value().to_string(), Some(lang.to_string())),
                None if lit.datatype() == oxrdf::vocab::xsd::STRING => Object::Text(lit.value().to_string(), None),
                None => Object::Typed(lit.value().to_string(), lit.datatype().as_str().to_string()),
            },
        }
    }

    /// The term; `None` when what was kept is not a valid one.
    fn term(self) -> Option<Term> {
        Some(match self {
            Object::Iri(iri) => NamedNode::new(iri).ok()?.into(),
            Object::Text(value, None) => Literal::new_simple_literal(value).into(),
            Object::Text(value, Some(lang)) => Literal::new_language_tagged_literal(value, lang).ok()?.into(),
            Object::Typed(value, datatype) => Literal::new_typed_literal(value, NamedNode::new(datatype).ok()?).into(),
            Object::Blank(label) => BlankNode::new(label).ok()?.into(),
        })
    }
}

impl Fragment {
    fn encode(&self, runs: &[Vec<u8>; 3]) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).expect("fragments serialise");
        bytes.push(b'\n');
        for run in runs {
            bytes.extend_from_slice(run);
        }
        bytes
    }

    /// The fragment, from its first line, and what follows that line.
    fn decode_head(bytes: &[u8]) -> Option<(Fragment, &[u8])> {
        // Compact JSON has no raw line feed.
        let line = bytes.iter().position(|&b| b == b'\n')?;
        Some((serde_json::from_slice(&bytes[..line]).ok()?, &bytes[line + 1..]))
    }

    /// The fragment and its runs; `None` when `bytes` are not one.
    fn decode(bytes: &[u8]) -> Option<(Fragment, [&[u8]; 3])> {
        let (fragment, mut rest) = Self::decode_head(bytes)?;
        if rest.len() != fragment.runs.iter().sum::<usize>() {
            return None;
        }
        let runs = fragment.runs.map(|len| {
            let (run, after) = rest.split_at(len);
            rest = after;
            run
        });
        Some((fragment, runs))
    }
}

/// The formats of the catalogue's files, in the order of [`Fragment::runs`].
pub const FILE_FORMATS: [Format; 3] = [Format::Rdf(RdfFormat::Turtle), Format::Rdf(RdfFormat::RdfXml), Format::JsonLd];

/// What the first pass over the datasets keeps of each.
struct Seen {
    own: Vec<NamedOrBlankNode>,
    shared: Vec<(NamedNode, Pairs)>,
    /// Whether its runs are in the store.
    stored: bool,
}

/// What makes the parts of the graph.
#[derive(Debug)]
struct Parts<'a> {
    cat: &'a CatalogInput,
    /// The language tag of texts, when the site's language is a valid tag.
    lang: Option<String>,
    /// The site's base IRI, without fragment.
    base: String,
}

/// The predicates and objects of one subject, without repeats.
type Pairs = HashSet<(NamedNode, Term)>;

/// One subject and its predicates and objects, sorted as written:
/// `rdf:type` first, then by predicate IRI and object.
#[derive(Clone, Debug)]
pub struct Node {
    subject: NamedOrBlankNode,
    pairs: Vec<(NamedNode, Term)>,
}

impl Node {
    fn new(subject: impl Into<NamedOrBlankNode>, pairs: impl IntoIterator<Item = (NamedNode, Term)>) -> Node {
        let mut pairs: Vec<(NamedNode, Term)> = pairs.into_iter().collect();
        pairs.sort_by_cached_key(|(p, o)| (predicate_key(p), o.to_string()));
        pairs.dedup();
        Node { subject: subject.into(), pairs }
    }

    fn triples(&self) -> impl Iterator<Item = TripleRef<'_>> {
        self.pairs.iter().map(|(p, o)| TripleRef::new(&self.subject, p, o))
    }
}

/// The triples one part of the catalogue (the catalogue itself, a dataset)
/// adds, by subject, subjects in the order met.
#[derive(Debug, Default)]
struct Part {
    subjects: Vec<NamedOrBlankNode>,
    numbers: HashMap<NamedOrBlankNode, usize>,
    pairs: Vec<Pairs>,
}

impl Part {
    fn into_subjects(self) -> impl Iterator<Item = (NamedOrBlankNode, Pairs)> {
        self.subjects.into_iter().zip(self.pairs)
    }

    /// The subjects that are IRIs (every one of the catalogue's own part,
    /// and every node datasets share) and their pairs.
    fn into_named_subjects(self) -> impl Iterator<Item = (NamedNode, Pairs)> {
        self.into_subjects().filter_map(|(s, pairs)| Some((named(s)?, pairs)))
    }
}

/// The IRI of a subject; `None` for a blank node.
fn named(subject: NamedOrBlankNode) -> Option<NamedNode> {
    match subject {
        NamedOrBlankNode::NamedNode(iri) => Some(iri),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

/// How a [`Fragment`] keeps a subject: its IRI, or `_:` and a blank node's
/// label.
pub(super) fn subject_text(subject: &NamedOrBlankNode) -> String {
    match subject {
        NamedOrBlankNode::NamedNode(iri) => iri.as_str().to_string(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn subject_of_text(text: String) -> Option<NamedOrBlankNode> {
    Some(match text.strip_prefix("_:") {
        Some(label) => BlankNode::new(label).ok()?.into(),
        None => NamedNode::new(text).ok()?.into(),
    })
}

/// The number of `item` in `list` (its index, which `ids` keeps), added at
/// the end when new.
fn number<T: Clone + Eq + std::hash::Hash>(ids: &mut HashMap<T, usize>, list: &mut Vec<T>, item: &T) -> usize {
    if let Some(&i) = ids.get(item) {
        return i;
    }
    ids.insert(item.clone(), list.len());
    list.push(item.clone());
    list.len() - 1
}

fn n(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// How many datasets are made at once (in parallel) when the graph is made
/// or written.
const BATCH: usize = 256;

/// The indexes of `len` datasets, a batch at a time.
fn batches(len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..len).step_by(BATCH).map(move |start| start..(start + BATCH).min(len))
}

/// Makes the DCAT-AP graph of a catalogue: checks every URL it needs (the
/// first invalid one is the error) and gathers the triples of the nodes
/// datasets share. A node is a dataset's own when its IRI is the dataset's
/// page or hangs off it (`<landing>#…`); when such a node is also met by
/// another part of the catalogue (a licence whose URL is a dataset's page,
/// two datasets with one page), it is shared too, so that it is written
/// once with all its triples.
pub fn build_graph(cat: &CatalogInput) -> Result<CatalogGraph<'_>, Error> {
    build_graph_with(cat, None)
}

/// [`build_graph`], taking each dataset's fragment from `store` when it is
/// there, and putting it there when not.
pub fn build_graph_with<'a>(cat: &'a CatalogInput, store: Option<&'a dyn Store>) -> Result<CatalogGraph<'a>, Error> {
    let base = Builder::required_iri(&cat.base(), || "the site's base_url".into())?;
    let lang = Literal::new_language_tagged_literal("x", cat.language.trim())
        .ok()
        .and_then(|l| l.language().map(str::to_string));
    let parts = Parts { cat, lang, base: page_of(base.as_str()).to_string() };
    let mut shared: HashMap<NamedNode, Pairs> = HashMap::new();
    // The nodes met as a dataset's own, and those met as their dataset's
    // own and somewhere else too.
    let mut owned: HashSet<NamedNode> = HashSet::new();
    let mut conflicts: HashSet<NamedNode> = HashSet::new();
    let mut stored: Vec<Option<Vec<NamedNode>>> = Vec::with_capacity(cat.datasets.len());
    for batch in parts.seen(store) {
        for seen in batch {
            let seen = seen?;
            for subject in seen.own.into_iter().filter_map(named) {
                if let Some(again) = owned.replace(subject) {
                    conflicts.insert(again);
                }
            }
            stored.push(seen.stored.then(|| seen.shared.iter().map(|(s, _)| s.clone()).collect()));
            for (subject, pairs) in seen.shared {
                shared.entry(subject).or_default().extend(pairs);
            }
        }
    }
    let head_part = parts.head()?;
    let head = head_part.subjects.iter().cloned().filter_map(named).collect();
    for (subject, pairs) in head_part.into_named_subjects().chain(parts.tail().into_named_subjects()) {
        shared.entry(subject).or_default().extend(pairs);
    }
    conflicts.extend(owned.into_iter().filter(|s| shared.contains_key(s)));
    if !conflicts.is_empty() {
        // Their datasets are made again where written, not taken from the
        // store: their runs have a node that is not theirs alone.
        let pages: HashSet<&str> = conflicts.iter().map(|s| page_of(s.as_str())).collect();
        for (ds, stored) in cat.datasets.iter().zip(&mut stored) {
            if pages.contains(page_of(&normalize(&ds.landing_page))) {
                *stored = None;
            }
        }
        for batch in parts.datasets() {
            for part in batch {
                for (subject, pairs) in part?.into_named_subjects().filter(|(s, _)| conflicts.contains(s)) {
                    shared.entry(subject).or_default().extend(pairs);
                }
            }
        }
    }
    Ok(CatalogGraph { parts, head, shared, stored, store })
}

/// An IRI without its fragment.
fn page_of(iri: &str) -> &str {
    iri.split('#').next().unwrap_or("")
}

struct Builder<'g> {
    part: Part,
    /// The language tag of texts, when the site's language is a valid tag.
    lang: &'g Option<String>,
    base: &'g str,
}

impl<'g> Builder<'g> {
    fn new(parts: &'g Parts<'_>) -> Self {
        Builder { part: Part::default(), lang: &parts.lang, base: &parts.base }
    }

    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.add_to(NamedOrBlankNode::from(s.clone()), p, o);
    }

    fn add_to(&mut self, s: NamedOrBlankNode, p: NamedNode, o: impl Into<Term>) {
        let part = &mut self.part;
        let subject = number(&mut part.numbers, &mut part.subjects, &s);
        if subject == part.pairs.len() {
            part.pairs.push(HashSet::new());
        }
        part.pairs[subject].insert((p, o.into()));
    }

    fn a(&mut self, s: &NamedNode, ns: &str, class: &str) {
        self.add(s, n(RDF, "type"), n(ns, class));
    }

    /// A text in the site's language.
    fn text(&self, value: &str) -> Literal {
        let value = clean_text(value);
        match self.lang {
            Some(lang) => Literal::new_language_tagged_literal_unchecked(value, lang.clone()),
            None => Literal::new_simple_literal(value),
        }
    }

    fn plain(value: &str) -> Literal {
        Literal::new_simple_literal(clean_text(value))
    }

    fn typed(value: impl Into<String>, ns: &str, local: &str) -> Literal {
        Literal::new_typed_literal(value, n(ns, local))
    }

    fn date(value: Option<&str>) -> Option<Literal> {
        let d = dates::parse(value?)?;
        Some(Self::typed(d.lexical(), XSD, d.xsd_type()))
    }

    fn required_iri(url: &str, what: impl FnOnce() -> String) -> Result<NamedNode, Error> {
        let normalized = normalize(url);
        NamedNode::new(normalized).map_err(|e| Error { what: what(), value: url.to_string(), reason: e.to_string() })
    }

    fn optional_iri(url: Option<&str>) -> Option<NamedNode> {
        let url = url?.trim();
        if url.is_empty() {
            return None;
        }
        NamedNode::new(normalize(url)).ok()
    }

    /// A page (IRI without its fragment) and a minted node below it.
    fn under(page: &NamedNode, frag: &str) -> NamedNode {
        let page = page.as_str().split('#').next().unwrap_or("");
        NamedNode::new_unchecked(format!("{page}#{frag}"))
    }

    /// The catalogue's own part: its node (with the link to every
    /// dataset, whose pages [`build_graph`] checked) and the nodes it names.
    fn catalog(&mut self, cat: &CatalogInput) -> Result<(), Error> {
        let base = NamedNode::new_unchecked(self.base);
        let c = Self::under(&base, "catalog");
        self.a(&c, DCAT, "Catalog");
        self.add(&c, n(DCT, "title"), self.text(&cat.title));
        let description = if cat.description.trim().is_empty() { &cat.title } else { &cat.description };
        self.add(&c, n(DCT, "description"), self.text(description));
        let publisher = self.agent(cat.publisher_name());
        self.add(&c, n(DCT, "publisher"), publisher);
        let home = NamedNode::new_unchecked(self.base);
        self.add(&c, n(FOAF, "homepage"), home.clone());
        if let Some(lang) = vocab::language_iri(&cat.language) {
            let lang = NamedNode::new_unchecked(lang);
            self.add(&c, n(DCT, "language"), lang.clone());
            self.a(&lang, DCT, "LinguisticSystem");
        }
        if let Some(license) = cat.license.as_ref().and_then(|l| self.license(l)) {
            self.add(&c, n(DCT, "license"), license);
        }
        if let Some(modified) = Self::date(cat.modified.as_deref()) {
            self.add(&c, n(DCT, "modified"), modified);
        }
        if let Some(spatial) = &cat.spatial
            && let Some(location) = self.location(&home, spatial)
        {
            self.add(&c, n(DCT, "spatial"), location);
        }
        let scheme = NamedNode::new_unchecked(vocab::THEME_SCHEME);
        self.add(&c, n(DCAT, "themeTaxonomy"), scheme.clone());
        self.a(&scheme, SKOS, "ConceptScheme");
        self.add(&scheme, n(DCT, "title"), Literal::new_language_tagged_literal_unchecked("Data theme", "en"));
        for ds in &cat.datasets {
            let landing =
                Self::required_iri(&ds.landing_page, || format!("the landing page of dataset {:?}", ds.slug))?;
            self.add(&c, n(DCAT, "dataset"), Self::under(&landing, "dataset"));
        }
        Ok(())
    }

    /// What comes after the datasets: the site's home page.
    fn home(&mut self) {
        self.a(&NamedNode::new_unchecked(self.base), FOAF, "Document");
    }

    fn dataset(&mut self, cat: &CatalogInput, ds: &DatasetInput) -> Result<NamedNode, Error> {
        let landing = Self::required_iri(&ds.landing_page, || format!("the landing page of dataset {:?}", ds.slug))?;
        let d = Self::under(&landing, "dataset");
        self.a(&d, DCAT, "Dataset");
        self.add(&d, n(DCT, "identifier"), Self::plain(&ds.slug));
        self.add(&d, n(DCT, "title"), self.text(&ds.title));
        // The publisher's Markdown, as the national portal keeps descriptions.
        let description = if ds.description_markdown.trim().is_empty() { &ds.title } else { &ds.description_markdown };
        self.add(&d, n(DCT, "description"), self.text(description));
        for keyword in ds.keywords.iter().filter(|k| !k.trim().is_empty()) {
            self.add(&d, n(DCAT, "keyword"), self.text(keyword.trim()));
        }
        for code in &ds.themes {
            if let Some(theme) = vocab::theme(code) {
                let t = self.theme(theme);
                self.add(&d, n(DCAT, "theme"), t);
            }
        }
        let publisher = self.agent(cat.publisher_of(ds));
        self.add(&d, n(DCT, "publisher"), publisher);
        if let Some(contact) = cat.contact_of(ds)
            && let Some(node) = self.contact(&landing, contact, cat.publisher_of(ds))
        {
            self.add(&d, n(DCAT, "contactPoint"), node);
        }
        if let Some(created) = Self::date(ds.created.as_deref()) {
            self.add(&d, n(DCT, "created"), created.clone());
            self.add(&d, n(DCT, "issued"), created);
        }
        if let Some(modified) = Self::date(ds.modified.as_deref()) {
            self.add(&d, n(DCT, "modified"), modified);
        }
        if let Some(freq) = ds.frequency.as_deref().and_then(vocab::frequency) {
            let f = NamedNode::new_unchecked(freq.iri());
            self.add(&d, n(DCT, "accrualPeriodicity"), f.clone());
            self.a(&f, DCT, "Frequency");
        }
        if let Some((start, end)) = &ds.temporal {
            let start = Self::date(start.as_deref());
            let end = Self::date(end.as_deref());
            if start.is_some() || end.is_some() {
                let t = temporal_node(&landing, &ds.slug);
                self.add(&d, n(DCT, "temporal"), t.clone());
                let t = NamedOrBlankNode::from(t);
                self.add_to(t.clone(), n(RDF, "type"), n(DCT, "PeriodOfTime"));
                if let Some(start) = start {
                    self.add_to(t.clone(), n(DCAT, "startDate"), start);
                }
                if let Some(end) = end {
                    self.add_to(t, n(DCAT, "endDate"), end);
                }
            }
        }
        // A dataset without its own coverage shares the catalogue's node.
        let spatial = match (&ds.spatial, &cat.spatial) {
            (Some(own), _) => Some((own, landing.clone())),
            (None, Some(site)) => Some((site, NamedNode::new_unchecked(self.base))),
            (None, None) => None,
        };
        if let Some((spatial, page)) = spatial
            && let Some(location) = self.location(&page, spatial)
        {
            self.add(&d, n(DCT, "spatial"), location);
        }
        self.add(&d, n(DCAT, "landingPage"), landing.clone());
        self.a(&landing, FOAF, "Document");
        if let Some(standard) = self.standard(ds.conforms_to.as_deref()) {
            self.add(&d, n(DCT, "conformsTo"), standard);
        }
        if let Some(license) = cat.license_of(ds).and_then(|l| self.license(l)) {
            self.add(&d, n(DCT, "license"), license);
        }
        for (i, dist) in ds.distributions.iter().enumerate() {
            let node = self.distribution(cat, ds, &landing, i + 1, dist)?;
            self.add(&d, n(DCAT, "distribution"), node);
        }
        Ok(d)
    }

    fn distribution(
        &mut self,
        cat: &CatalogInput,
        ds: &DatasetInput,
        landing: &NamedNode,
        index: usize,
        dist: &DistributionInput,
    ) -> Result<NamedNode, Error> {
        let r = Self::under(landing, &format!("distribution-{index}"));
        let download = Self::required_iri(&dist.download_url, || {
            format!("the download URL of resource {index} of dataset {:?}", ds.slug)
        })?;
        let access = Self::required_iri(dist.access(), || {
            format!("the access URL of resource {index} of dataset {:?}", ds.slug)
        })?;
        self.a(&r, DCAT, "Distribution");
        let title = if dist.title.trim().is_empty() { download.as_str() } else { &dist.title };
        self.add(&r, n(DCT, "title"), self.text(title));
        if let Some(description) = dist.description.as_deref().filter(|d| !d.trim().is_empty()) {
            self.add(&r, n(DCT, "description"), self.text(description));
        }
        self.add(&r, n(DCAT, "accessURL"), access);
        self.add(&r, n(DCAT, "downloadURL"), download);
        if let Some(format) = dist.format.as_deref().and_then(vocab::format) {
            let f = NamedNode::new_unchecked(vocab::file_type_iri(format));
            self.add(&r, n(DCT, "format"), f.clone());
            self.a(&f, DCT, "MediaTypeOrExtent");
        }
        if let Some(media) = dist.media_type().and_then(vocab::media_type_iri) {
            let m = NamedNode::new_unchecked(media);
            self.add(&r, n(DCAT, "mediaType"), m.clone());
            self.a(&m, DCT, "MediaType");
        }
        if let Some(bytes) = dist.bytes {
            self.add(&r, n(DCAT, "byteSize"), Self::typed(bytes.to_string(), XSD, "nonNegativeInteger"));
        }
        // No `spdx:checksum`: DCAT-AP 3.0.1's shapes require its value to be
        // an `xsd:hexBinary`, which the national portal's harvester (udata
        // 17.18, `resource_from_rdf`: rdflib gives such a literal as bytes)
        // cannot store, and then drops the whole dataset. The SHA-256 of
        // each file is in the data packages (`hash`) and `dataset.json`.
        if let Some(license) = cat.distribution_license(ds, dist).and_then(|l| self.license(l)) {
            self.add(&r, n(DCT, "license"), license);
        }
        if let Some(standard) = self.standard(dist.conforms_to.as_deref()) {
            self.add(&r, n(DCT, "conformsTo"), standard);
        }
        Ok(r)
    }

    /// A `foaf:Agent` by name, shared by every dataset that names it.
    fn agent(&mut self, name: &str) -> NamedNode {
        let name = name.trim();
        let a = NamedNode::new_unchecked(format!("{}#agent-{}", self.base, fragment(name)));
        self.a(&a, FOAF, "Agent");
        self.a(&a, FOAF, "Organization");
        self.add(&a, n(FOAF, "name"), Self::plain(name));
        a
    }

    fn contact(&mut self, landing: &NamedNode, contact: &Contact, publisher: &str) -> Option<NamedNode> {
        let email = contact
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .and_then(|e| Self::optional_iri(Some(&format!("mailto:{}", e.trim_start_matches("mailto:")))));
        let name = contact.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if email.is_none() && name.is_none() {
            return None;
        }
        let c = Self::under(landing, "contact");
        self.a(&c, VCARD, "Kind");
        self.a(&c, VCARD, "Organization");
        self.add(&c, n(VCARD, "fn"), Self::plain(name.unwrap_or(publisher.trim())));
        if let Some(email) = email {
            self.add(&c, n(VCARD, "hasEmail"), email);
        }
        Some(c)
    }

    /// A licence document: its URL, else a node minted under the site.
    fn license(&mut self, license: &License) -> Option<NamedNode> {
        let id = license.id.trim();
        let l = Self::optional_iri(license.url.as_deref()).or_else(|| {
            (!id.is_empty()).then(|| NamedNode::new_unchecked(format!("{}#license-{}", self.base, fragment(id))))
        })?;
        self.a(&l, DCT, "LicenseDocument");
        if !id.is_empty() {
            self.add(&l, n(DCT, "identifier"), Self::plain(id));
        }
        if let Some(title) = license.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            self.add(&l, n(DCT, "title"), Self::plain(title));
        }
        if let Some(title) = license.national_title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            self.add(&l, n(RDFS, "label"), Self::plain(title));
        }
        Some(l)
    }

    fn standard(&mut self, url: Option<&str>) -> Option<NamedNode> {
        let s = Self::optional_iri(url)?;
        self.a(&s, DCT, "Standard");
        Some(s)
    }

    fn theme(&mut self, theme: &vocab::Theme) -> NamedNode {
        let t = NamedNode::new_unchecked(vocab::theme_iri(theme));
        self.a(&t, SKOS, "Concept");
        self.add(&t, n(SKOS, "prefLabel"), Literal::new_language_tagged_literal_unchecked(theme.en, "en"));
        self.add(&t, n(SKOS, "prefLabel"), Literal::new_language_tagged_literal_unchecked(theme.fr, "fr"));
        self.add(&t, n(SKOS, "inScheme"), NamedNode::new_unchecked(vocab::THEME_SCHEME));
        t
    }

    fn location(&mut self, page: &NamedNode, spatial: &Spatial) -> Option<NamedNode> {
        let label = spatial.label.as_deref().map(str::trim).filter(|l| !l.is_empty());
        let insee = spatial.insee.as_deref().map(str::trim).filter(|l| !l.is_empty());
        let bbox = spatial.bbox.filter(valid_bbox);
        if label.is_none() && insee.is_none() && bbox.is_none() {
            return None;
        }
        let l = Self::under(page, "spatial");
        self.a(&l, DCT, "Location");
        if let Some(label) = label {
            self.add(&l, n(LOCN, "geographicName"), Self::plain(label));
        }
        if let Some(insee) = insee {
            self.add(&l, n(DCT, "identifier"), Self::plain(insee));
        }
        if let Some(bbox) = bbox {
            self.add(&l, n(DCAT, "bbox"), Self::typed(wkt_polygon(&bbox), GSP, "wktLiteral"));
            self.add(&l, n(DCAT, "centroid"), Self::typed(wkt_centroid(&bbox), GSP, "wktLiteral"));
        }
        Some(l)
    }
}

/// The blank node of the temporal coverage of dataset `slug`, whose page is
/// `landing`: its label is made of both, so that it is the same in every
/// build and differs between datasets (even two that share a page).
fn temporal_node(landing: &NamedNode, slug: &str) -> BlankNode {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(format!("{}\n{slug}", page_of(landing.as_str())).as_bytes());
    BlankNode::new_unchecked(format!("temporal-{}", crate::util::hex(&hash[..8])))
}

/// Whether a bounding box is `[west, south, east, north]` in degrees.
pub fn valid_bbox(b: &[f64; 4]) -> bool {
    let [w, s, e, nn] = *b;
    b.iter().all(|v| v.is_finite())
        && (-180.0..=180.0).contains(&w)
        && (-180.0..=180.0).contains(&e)
        && (-90.0..=90.0).contains(&s)
        && (-90.0..=90.0).contains(&nn)
        && w <= e
        && s <= nn
}

/// The WKT polygon of a bounding box, in CRS84 (longitude latitude).
pub fn wkt_polygon(b: &[f64; 4]) -> String {
    let [w, s, e, nn] = *b;
    format!("POLYGON(({w} {s}, {e} {s}, {e} {nn}, {w} {nn}, {w} {s}))")
}

fn wkt_centroid(b: &[f64; 4]) -> String {
    let [w, s, e, nn] = *b;
    format!("POINT({} {})", coordinate((w + e) / 2.0), coordinate((s + nn) / 2.0))
}

/// A computed coordinate, to 7 decimals (about 1 cm), without trailing zeros.
fn coordinate(value: f64) -> String {
    crate::util::fixed_trimmed(value, 7)
}

/// The order of predicates within a subject: `rdf:type` first, then by IRI.
fn predicate_key(p: &NamedNode) -> (bool, String) {
    (p.as_str() != "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", p.as_str().to_string())
}

impl Parts<'_> {
    /// The catalogue's own part.
    fn head(&self) -> Result<Part, Error> {
        let mut b = Builder::new(self);
        b.catalog(self.cat)?;
        Ok(b.part)
    }

    /// What comes after the datasets.
    fn tail(&self) -> Part {
        let mut b = Builder::new(self);
        b.home();
        b.part
    }

    /// The datasets' parts, a batch at a time (each batch made in
    /// parallel).
    fn datasets(&self) -> impl Iterator<Item = Vec<Result<Part, Error>>> + '_ {
        use rayon::prelude::*;
        batches(self.cat.datasets.len()).map(move |batch| {
            batch
                .into_par_iter()
                .map(|i| {
                    let mut b = Builder::new(self);
                    b.dataset(self.cat, &self.cat.datasets[i])?;
                    Ok(b.part)
                })
                .collect()
        })
    }

    /// What the first pass keeps of each dataset, a batch at a time (each
    /// batch made in parallel): from its fragment in `store`, else from its
    /// part, whose fragment then goes into `store`.
    fn seen<'s>(&'s self, store: Option<&'s dyn Store>) -> impl Iterator<Item = Vec<Result<Seen, Error>>> + 's {
        use rayon::prelude::*;
        let datasets = &self.cat.datasets;
        batches(datasets.len()).map(move |batch| {
            batch
                .into_par_iter()
                .map(|i| {
                    if let Some(seen) = store.and_then(|s| s.load_head(i)).and_then(|head| Seen::of_fragment(&head)) {
                        return Ok(seen);
                    }
                    let mut b = Builder::new(self);
                    let d = b.dataset(self.cat, &datasets[i])?;
                    let page = page_of(d.as_str()).to_string();
                    let (own, shared): (Vec<_>, Vec<_>) = b.part.into_subjects().partition(|(s, _)| match s {
                        NamedOrBlankNode::NamedNode(iri) => page_of(iri.as_str()) == page,
                        NamedOrBlankNode::BlankNode(_) => true,
                    });
                    let shared: Vec<(NamedNode, Pairs)> =
                        shared.into_iter().filter_map(|(s, pairs)| Some((named(s)?, pairs))).collect();
                    let Some(store) = store else {
                        let own = own.into_iter().map(|(s, _)| s).collect();
                        return Ok(Seen { own, shared, stored: false });
                    };
                    let own: Vec<Node> = own.into_iter().map(|(s, pairs)| Node::new(s, pairs)).collect();
                    let runs = FILE_FORMATS.map(|format| text::run(format, &own));
                    let fragment = Fragment {
                        own: own.iter().map(|n| subject_text(&n.subject)).collect(),
                        shared: shared
                            .iter()
                            .map(|(s, pairs)| {
                                let node = Node::new(s.clone(), pairs.iter().cloned());
                                let pairs = node.pairs.iter().map(|(p, o)| (p.as_str().to_string(), Object::of(o)));
                                (subject_text(&node.subject), pairs.collect())
                            })
                            .collect(),
                        runs: runs.each_ref().map(Vec::len),
                    };
                    store.save(i, &fragment.encode(&runs));
                    Ok(Seen { own: own.into_iter().map(|n| n.subject).collect(), shared, stored: true })
                })
                .collect()
        })
    }
}

impl Seen {
    /// What a stored fragment's first line tells; `None` when it cannot be
    /// read. (Its runs are checked where they are read: see
    /// [`CatalogGraph::for_each_batch`].)
    fn of_fragment(head: &[u8]) -> Option<Seen> {
        let (fragment, _) = Fragment::decode_head(head)?;
        let own = fragment.own.into_iter().map(subject_of_text).collect::<Option<_>>()?;
        let shared = fragment
            .shared
            .into_iter()
            .map(|(subject, pairs)| {
                let pairs = pairs.into_iter().map(|(p, o)| Some((NamedNode::new(p).ok()?, o.term()?)));
                Some((NamedNode::new(subject).ok()?, pairs.collect::<Option<Pairs>>()?))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Seen { own, shared, stored: true })
    }
}

/// A dataset's runs, one per format asked for, and the shared subjects it
/// meets, in order.
type Runs = (Vec<Vec<u8>>, Vec<NamedNode>);

impl CatalogGraph<'_> {
    /// Hands the text of the graph in each of `formats` (see [`text::run`])
    /// to `each`, a batch of datasets at a time, in the order written: each
    /// subject once, with all its triples.
    pub fn for_each_batch(&self, formats: &[Format], mut each: impl FnMut(Vec<Vec<u8>>)) {
        use rayon::prelude::*;
        let mut written: HashSet<&NamedNode> = HashSet::new();
        // The shared nodes among `subjects` not written yet, after `runs`.
        let mut shared_after = |mut runs: Vec<Vec<u8>>, subjects: &[NamedNode]| {
            let nodes: Vec<Node> = subjects
                .iter()
                .filter_map(|s| self.shared.get_key_value(s))
                .filter(|(s, _)| written.insert(s))
                .map(|(s, pairs)| Node::new(s.clone(), pairs.iter().cloned()))
                .collect();
            for (run, format) in runs.iter_mut().zip(formats) {
                run.extend(text::run(*format, &nodes));
            }
            runs
        };
        each(shared_after(vec![Vec::new(); formats.len()], &self.head));
        for batch in batches(self.parts.cat.datasets.len()) {
            let made: Vec<Runs> = batch.into_par_iter().map(|i| self.runs(i, formats)).collect();
            let mut batch = vec![Vec::new(); formats.len()];
            for (runs, met) in made {
                for (all, run) in batch.iter_mut().zip(shared_after(runs, &met)) {
                    all.extend(run);
                }
            }
            each(batch);
        }
        let tail: Vec<NamedNode> = self.parts.tail().subjects.into_iter().filter_map(named).collect();
        each(shared_after(vec![Vec::new(); formats.len()], &tail));
    }

    /// The runs of dataset `i` in `formats`: from the store when they are
    /// there (and every format asked for is one of the files'), else made.
    fn runs(&self, i: usize, formats: &[Format]) -> Runs {
        if let (Some(store), Some(Some(met))) = (self.store, self.stored.get(i))
            && let Some(slots) =
                formats.iter().map(|f| FILE_FORMATS.iter().position(|g| g == f)).collect::<Option<Vec<_>>>()
            && let Some(bytes) = store.load(i)
            && let Some((_, runs)) = Fragment::decode(&bytes)
        {
            return (slots.iter().map(|&k| runs[k].to_vec()).collect(), met.clone());
        }
        let mut b = Builder::new(&self.parts);
        b.dataset(self.parts.cat, &self.parts.cat.datasets[i]).expect("build_graph checked every URL");
        let (own, met): (Vec<_>, Vec<_>) = b.part.into_subjects().partition(|(s, _)| match s {
            NamedOrBlankNode::NamedNode(iri) => !self.shared.contains_key(iri),
            NamedOrBlankNode::BlankNode(_) => true,
        });
        let own: Vec<Node> = own.into_iter().map(|(s, pairs)| Node::new(s, pairs)).collect();
        (formats.iter().map(|f| text::run(*f, &own)).collect(), met.into_iter().filter_map(|(s, _)| named(s)).collect())
    }

    /// The triples as an `oxrdf` graph (checks and tests).
    pub fn graph(&self) -> Graph {
        parse_graph(&self.to_ntriples(), RdfFormat::NTriples).expect("N-Triples written here parse")
    }

    /// Writes the graph in `format` into `w`, a batch of datasets at a time.
    pub fn write(&self, format: Format, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut writer = FileWriter::start(format, w)?;
        let mut failed = Ok(());
        self.for_each_batch(&[format], |runs| {
            if failed.is_ok() {
                failed = runs.iter().try_for_each(|run| writer.run(run));
            }
        });
        failed?;
        writer.finish()
    }

    fn serialize(&self, format: Format) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.write(format, &mut bytes).expect("writing to memory does not fail");
        bytes
    }

    /// `catalog.ttl`.
    pub fn to_turtle(&self) -> Vec<u8> {
        self.serialize(Format::Rdf(RdfFormat::Turtle))
    }

    /// `catalog.rdf`.
    pub fn to_rdf_xml(&self) -> Vec<u8> {
        self.serialize(Format::Rdf(RdfFormat::RdfXml))
    }

    /// N-Triples (one triple a line), handy for diffs.
    pub fn to_ntriples(&self) -> Vec<u8> {
        self.serialize(Format::Rdf(RdfFormat::NTriples))
    }

    /// `catalog.jsonld`: see [`Format::JsonLd`].
    pub fn to_jsonld(&self) -> Vec<u8> {
        self.serialize(Format::JsonLd)
    }

    /// The value of [`CatalogGraph::to_jsonld`].
    pub fn to_jsonld_value(&self) -> Value {
        serde_json::from_slice(&self.to_jsonld()).expect("JSON-LD written here parses")
    }
}

/// Parses RDF bytes into a graph (tests and checks).
pub fn parse_graph(bytes: &[u8], format: RdfFormat) -> Result<Graph, oxrdfio::RdfParseError> {
    let mut graph = Graph::new();
    for quad in oxrdfio::RdfParser::from_format(format).for_slice(bytes) {
        let quad = quad?;
        graph.insert(&Triple::new(quad.subject, quad.predicate, quad.object));
    }
    Ok(graph)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The triples of the graph made whole by one builder, as it was
    /// before it was made a dataset at a time: N-Triples lines, sorted.
    fn whole(cat: &CatalogInput) -> Vec<String> {
        let graph = build_graph(cat).expect("valid");
        let mut b = Builder::new(&graph.parts);
        b.catalog(cat).expect("valid");
        for ds in &cat.datasets {
            b.dataset(cat, ds).expect("valid");
        }
        b.home();
        let nodes: Vec<Node> = b.part.into_subjects().map(|(s, pairs)| Node::new(s, pairs)).collect();
        sorted(text::run(Format::Rdf(RdfFormat::NTriples), &nodes))
    }

    fn sorted(ntriples: Vec<u8>) -> Vec<String> {
        let mut lines: Vec<String> = String::from_utf8(ntriples).unwrap().lines().map(str::to_string).collect();
        lines.sort();
        lines
    }

    /// A store in memory.
    #[derive(Default)]
    struct Memory {
        fragments: std::sync::Mutex<HashMap<usize, Vec<u8>>>,
    }

    impl Store for Memory {
        fn load(&self, dataset: usize) -> Option<Vec<u8>> {
            self.fragments.lock().unwrap().get(&dataset).cloned()
        }
        fn load_head(&self, dataset: usize) -> Option<Vec<u8>> {
            let mut head = self.load(dataset)?;
            head.truncate(head.iter().position(|&b| b == b'\n').map_or(head.len(), |n| n + 1));
            Some(head)
        }
        fn save(&self, dataset: usize, bytes: &[u8]) {
            self.fragments.lock().unwrap().insert(dataset, bytes.to_vec());
        }
    }

    /// The three files and N-Triples of the graph of `cat`.
    fn files(cat: &CatalogInput, store: Option<&dyn Store>) -> Vec<String> {
        let g = build_graph_with(cat, store).unwrap();
        [g.to_turtle(), g.to_rdf_xml(), g.to_jsonld(), g.to_ntriples()].map(|b| String::from_utf8(b).unwrap()).to_vec()
    }

    /// The graph's files are the whole graph, each subject written once, and
    /// the same bytes whether each dataset's text is made, or put in a store
    /// and taken from it by the next build; a damaged fragment is made
    /// again.
    fn check_graph(cat: &CatalogInput) -> Vec<String> {
        let made = files(cat, None);
        let ntriples = sorted(made[3].clone().into_bytes());
        let mut unique = ntriples.clone();
        unique.dedup();
        assert_eq!(ntriples, unique, "each triple once");
        assert_eq!(ntriples, whole(cat));
        let subjects: Vec<&str> =
            made[0].lines().filter(|l| l.starts_with('<')).map(|l| l.split(' ').next().unwrap()).collect();
        let distinct: HashSet<&&str> = subjects.iter().collect();
        assert_eq!(subjects.len(), distinct.len(), "each subject once in the Turtle file");
        assert_eq!(parse_graph(made[0].as_bytes(), RdfFormat::Turtle).unwrap(), build_graph(cat).unwrap().graph());
        assert_eq!(parse_graph(made[1].as_bytes(), RdfFormat::RdfXml).unwrap(), build_graph(cat).unwrap().graph());
        let store = Memory::default();
        assert_eq!(files(cat, Some(&store)), made, "the first build with a store");
        assert_eq!(store.fragments.lock().unwrap().len(), cat.datasets.len());
        assert_eq!(files(cat, Some(&store)), made, "a build taking every dataset from the store");
        store.fragments.lock().unwrap().insert(1, b"{".to_vec());
        store.fragments.lock().unwrap().get_mut(&0).unwrap().pop();
        assert_eq!(files(cat, Some(&store)), made, "a damaged fragment, a cut one");
        made[3].clone().lines().map(str::to_string).collect()
    }

    #[test]
    fn objects_are_kept_as_they_are() {
        let terms: [Term; 4] = [
            NamedNode::new_unchecked("https://exemple.fr/licence").into(),
            Literal::new_simple_literal("Mairie \"centrale\"").into(),
            Literal::new_language_tagged_literal_unchecked("Écoles", "fr").into(),
            Literal::new_typed_literal("2026-11-24", n(XSD, "date")).into(),
        ];
        for term in terms {
            let kept = serde_json::to_string(&Object::of(&term)).unwrap();
            assert_eq!(serde_json::from_str::<Object>(&kept).unwrap().term(), Some(term));
        }
        let bad = Object::Text("x".into(), Some("pas une langue".into()));
        assert_eq!(bad.term(), None);
    }

    #[test]
    fn made_a_dataset_at_a_time_the_graph_is_the_whole_one() {
        check_graph(&crate::dcat::sample::catalog());
    }

    /// Nodes met by several datasets, with triples that differ: a licence
    /// whose URL is another dataset's page (and the same licence given
    /// without its title), two datasets with one page, and more datasets
    /// than a batch.
    #[test]
    fn nodes_shared_in_awkward_ways_are_written_once_with_all_their_triples() {
        let mut cat = crate::dcat::sample::catalog();
        let first = cat.datasets[0].clone();
        cat.datasets[1].license = Some(License {
            id: "maison".into(),
            url: Some(first.landing_page.clone()),
            title: Some("Licence maison".into()),
            national_title: None,
        });
        cat.datasets[2].license = Some(License {
            id: "maison".into(),
            url: Some(first.landing_page.clone()),
            title: None,
            national_title: None,
        });
        for k in 0..2 * BATCH {
            let mut ds = first.clone();
            ds.slug = format!("copie-{k}");
            if k % 7 == 0 {
                ds.title = format!("Copie {k} sur la même page");
            } else {
                ds.landing_page = format!("{}copie-{k}/", first.landing_page);
            }
            cat.datasets.push(ds);
        }
        let streamed = check_graph(&cat).join("\n");
        assert!(streamed.contains("Licence maison"), "the licence node keeps its title");
        assert!(streamed.contains("Copie 7 sur la m\\u00EAme page"), "a shared page keeps both datasets' triples");
    }
}
