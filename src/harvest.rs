//! `kiosque check --harvest`: a local preview of what the national portal's
//! DCAT harvester (udata) will read from `catalog.ttl`, so a referent sees
//! problems before publishing. It reads the very graph kiosque publishes,
//! and applies the harvester's rules: a dataset without identifier or
//! title is skipped; a distribution without download or access URL is
//! dropped; a `modified` date in the future is ignored; spatial coverage is
//! read only as a WKT or GeoJSON geometry.

use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use serde::Serialize;

use crate::lang::Lang;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const LOCN: &str = "http://www.w3.org/ns/locn#";

/// What the harvester will make of one dataset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HarvestedDataset {
    pub identifier: Option<String>,
    pub title: Option<String>,
    /// `false` when the harvester skips the whole dataset.
    pub kept: bool,
    pub tags: Vec<String>,
    pub license: Option<String>,
    pub frequency: Option<String>,
    pub schema: Option<String>,
    pub modified: Option<String>,
    /// Distribution titles (or URLs) kept.
    pub resources: Vec<String>,
    /// What is dropped, and why, in the site's language.
    pub dropped: Vec<String>,
}

fn iri(s: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(s)
}

fn literal(graph: &Graph, s: NamedOrBlankNodeRef, p: &str) -> Option<String> {
    match graph.object_for_subject_predicate(s, iri(p))? {
        TermRef::Literal(l) => Some(l.value().to_string()),
        TermRef::NamedNode(n) => Some(n.as_str().to_string()),
        _ => None,
    }
}

fn iri_or_literal_all(graph: &Graph, s: NamedOrBlankNodeRef, p: &str) -> Vec<String> {
    let mut out: Vec<String> = graph
        .objects_for_subject_predicate(s, iri(p))
        .filter_map(|o| match o {
            TermRef::Literal(l) => Some(l.value().to_string()),
            TermRef::NamedNode(n) => Some(n.as_str().to_string()),
            _ => None,
        })
        .collect();
    out.sort();
    out
}

/// Reads the datasets of a DCAT graph as the harvester would.
pub fn preview(graph: &Graph, today: jiff::civil::Date, lang: Lang) -> Vec<HarvestedDataset> {
    let dcat = |l: &str| format!("{DCAT}{l}");
    let dct = |l: &str| format!("{DCT}{l}");
    let mut subjects: Vec<NamedOrBlankNodeRef> =
        graph.subjects_for_predicate_object(iri(RDF_TYPE), iri(&dcat("Dataset"))).collect();
    subjects.sort_by_key(|s| s.to_string());
    let mut out = Vec::new();
    for s in subjects {
        let identifier = literal(graph, s, &dct("identifier"));
        let title = literal(graph, s, &dct("title"));
        let mut d = HarvestedDataset {
            kept: identifier.is_some() && title.is_some(),
            tags: iri_or_literal_all(graph, s, &dcat("keyword")),
            license: literal(graph, s, &dct("license")),
            frequency: literal(graph, s, &dct("accrualPeriodicity"))
                .map(|f| f.rsplit('/').next().unwrap_or(&f).to_string()),
            schema: literal(graph, s, &dct("conformsTo")),
            modified: literal(graph, s, &dct("modified")),
            identifier,
            title,
            resources: Vec::new(),
            dropped: Vec::new(),
        };
        if !d.kept {
            d.dropped.push(
                lang.pick(
                    "jeu de données ignoré : sans identifiant ou sans titre",
                    "dataset skipped: no identifier or no title",
                )
                .into(),
            );
        }
        if let Some(m) = &d.modified
            && let Ok(date) = m.get(..10).unwrap_or(m).parse::<jiff::civil::Date>()
            && date > today
        {
            d.dropped.push(crate::tr!(
                lang,
                "date de modification {m} ignorée : elle est dans le futur",
                "modification date {m} ignored: it is in the future"
            ));
            d.modified = None;
        }
        for spatial in graph.objects_for_subject_predicate(s, iri(&dct("spatial"))) {
            let node = match spatial {
                TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                _ => continue,
            };
            let has_geometry = [format!("{LOCN}geometry"), dcat("bbox"), dcat("centroid")]
                .iter()
                .any(|p| graph.object_for_subject_predicate(node, iri(p)).is_some());
            if !has_geometry {
                d.dropped.push(
                    lang.pick(
                        "couverture géographique ignorée : le moissonneur ne lit qu'une géométrie (WKT ou GeoJSON), pas un nom ou un code INSEE",
                        "spatial coverage ignored: the harvester reads only a geometry (WKT or GeoJSON), not a name or an INSEE code",
                    )
                    .into(),
                );
            }
        }
        let mut dists: Vec<TermRef> = graph.objects_for_subject_predicate(s, iri(&dcat("distribution"))).collect();
        dists.sort_by_key(|t| t.to_string());
        for dist in dists {
            let node = match dist {
                TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                _ => continue,
            };
            let url = literal(graph, node, &dcat("downloadURL")).or_else(|| literal(graph, node, &dcat("accessURL")));
            let name = literal(graph, node, &dct("title")).or_else(|| url.clone()).unwrap_or_default();
            match url {
                Some(_) => d.resources.push(name),
                None => d.dropped.push(crate::tr!(
                    lang,
                    "ressource « {name} » ignorée : ni adresse de téléchargement ni adresse d'accès",
                    "resource “{name}” dropped: no download URL and no access URL"
                )),
            }
        }
        out.push(d);
    }
    out
}

/// The preview as text for the terminal.
pub fn to_text(datasets: &[HarvestedDataset], lang: Lang) -> String {
    let none = lang.pick("(aucun)", "(none)");
    let mut out = String::from(lang.pick(
        "Aperçu du moissonnage par le portail national (data.gouv.fr) :\n",
        "Preview of the national portal's harvest (data.gouv.fr):\n",
    ));
    for d in datasets {
        let mark = if d.kept { "✓" } else { "✗" };
        out.push_str(&format!(
            "\n{mark} {} [{}]\n",
            d.title.as_deref().unwrap_or(none),
            d.identifier.as_deref().unwrap_or(none)
        ));
        let field = |fr: &str, en: &str, v: &str| format!("    {:<14} {v}\n", lang.pick(fr, en));
        let tags = if d.tags.is_empty() { none.to_string() } else { d.tags.join(", ") };
        out.push_str(&field("mots-clés", "tags", &tags));
        out.push_str(&field("licence", "licence", d.license.as_deref().unwrap_or(none)));
        out.push_str(&field("fréquence", "frequency", d.frequency.as_deref().unwrap_or(none)));
        out.push_str(&field("schéma", "schema", d.schema.as_deref().unwrap_or(none)));
        out.push_str(&field("modifié", "modified", d.modified.as_deref().unwrap_or(none)));
        let res = if d.resources.is_empty() { none.to_string() } else { d.resources.join(" · ") };
        out.push_str(&field("ressources", "resources", &res));
        for drop in &d.dropped {
            out.push_str(&format!("    ⚠ {drop}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{Literal, NamedNode, Triple};

    fn add(g: &mut Graph, s: &str, p: &str, o: impl Into<oxrdf::Term>) {
        g.insert(&Triple::new(NamedNode::new_unchecked(s), NamedNode::new_unchecked(p), o.into()));
    }

    #[test]
    fn applies_the_harvester_rules() {
        let mut g = Graph::new();
        let ty = RDF_TYPE;
        let ds = |n: &str| format!("https://x.org/datasets/{n}/#dataset");
        let (a, b) = (ds("a"), ds("b"));
        for s in [&a, &b] {
            add(&mut g, s, ty, NamedNode::new_unchecked(format!("{DCAT}Dataset")));
        }
        // a: complete, but modified in the future, INSEE-only spatial, one
        // distribution without any URL.
        add(&mut g, &a, &format!("{DCT}identifier"), Literal::new_simple_literal("a"));
        add(&mut g, &a, &format!("{DCT}title"), Literal::new_simple_literal("A"));
        add(&mut g, &a, &format!("{DCT}modified"), Literal::new_simple_literal("2030-01-01"));
        add(&mut g, &a, &format!("{DCT}spatial"), NamedNode::new_unchecked("https://x.org/#spatial"));
        add(&mut g, "https://x.org/#spatial", &format!("{DCT}identifier"), Literal::new_simple_literal("99501"));
        add(&mut g, &a, &format!("{DCAT}distribution"), NamedNode::new_unchecked("https://x.org/a#d1"));
        add(
            &mut g,
            "https://x.org/a#d1",
            &format!("{DCAT}downloadURL"),
            NamedNode::new_unchecked("https://x.org/a.csv"),
        );
        add(&mut g, "https://x.org/a#d1", &format!("{DCT}title"), Literal::new_simple_literal("Fichier A"));
        add(&mut g, &a, &format!("{DCAT}distribution"), NamedNode::new_unchecked("https://x.org/a#d2"));
        add(&mut g, "https://x.org/a#d2", &format!("{DCT}title"), Literal::new_simple_literal("Sans adresse"));
        // b: no title.
        add(&mut g, &b, &format!("{DCT}identifier"), Literal::new_simple_literal("b"));
        let today = jiff::civil::Date::new(2026, 11, 23).unwrap();
        let p = preview(&g, today, Lang::En);
        assert_eq!(p.len(), 2);
        assert!(p[0].kept);
        assert_eq!(p[0].modified, None);
        assert_eq!(p[0].resources, ["Fichier A"]);
        assert_eq!(p[0].dropped.len(), 3, "{:?}", p[0].dropped);
        assert!(p[0].dropped.iter().any(|d| d.contains("future")));
        assert!(p[0].dropped.iter().any(|d| d.contains("spatial coverage ignored")));
        assert!(p[0].dropped.iter().any(|d| d.contains("“Sans adresse” dropped")));
        assert!(!p[1].kept);
        assert!(to_text(&p, Lang::En).contains("✗ (none) [b]"));
    }
}
