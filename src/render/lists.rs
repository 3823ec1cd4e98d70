//! The pages that list datasets: the home page, the catalogue (paginated,
//! so that every dataset is reachable by links without JavaScript), the
//! theme and keyword indexes and one paginated page per theme and keyword.

use serde_json::{Map, Value, json};

use super::{Job, context};
use crate::model::Site;
use crate::taxonomy::{Group, PAGE_SIZE, Taxonomy, page_count, page_file};

/// How many recently updated datasets the home page shows.
const LATEST: usize = 6;

/// The datasets' cards (see [`super::card`]), in the order of
/// `site.datasets`, kept as compact JSON: a list page parses the ones it
/// shows. As JSON values, the cards of 10,000 datasets held a few hundred
/// megabytes for the whole render stage.
pub struct Cards(Vec<Box<str>>);

impl Cards {
    /// The cards of [`Cards::text`], in the order of `site.datasets`.
    pub fn new(texts: Vec<Box<str>>) -> Cards {
        Cards(texts)
    }

    /// A card as it is kept.
    pub fn text(card: &Value) -> Box<str> {
        card.to_string().into_boxed_str()
    }

    /// The card of `site.datasets[i]`.
    pub fn get(&self, i: usize) -> Value {
        serde_json::from_str(&self.0[i]).expect("cards are JSON written by `Cards::text`")
    }

    /// The `modified` date of card `i` when it has one, and its slug:
    /// read without making the whole card.
    fn modified(&self, i: usize) -> Option<(String, String)> {
        #[derive(serde::Deserialize)]
        struct Dates {
            modified: Option<Value>,
            slug: Option<String>,
        }
        let card: Dates = serde_json::from_str(&self.0[i]).expect("cards are JSON written by `Cards::text`");
        let Some(Value::String(modified)) = card.modified else { return None };
        Some((modified, card.slug.unwrap_or_default()))
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// The cards as kept, in the order of `site.datasets`.
    pub fn into_texts(self) -> Vec<Box<str>> {
        self.0
    }
}

/// A page that lists datasets: the pages of the catalogue and of each
/// theme and keyword. Its context is made in two steps, so that a build can
/// tell whether the previous build made the same page (see
/// [`crate::reuse::Reuse::listed`]) before making its cards: `context`
/// makes everything but what comes from its members, and [`fill`] adds
/// what does.
pub struct Listing<'a> {
    pub path: String,
    pub template: &'static str,
    /// The datasets the page shows, as indexes into `site.datasets`.
    pub members: &'a [usize],
    pub context: PageContext<'a>,
    /// The catalogue, on the catalogue's pages: see [`fill`].
    pub catalog: Option<&'a crate::dcat::CatalogInput>,
}

/// Adds to a list page's context what comes from its `members`: their
/// cards (`datasets`) and, on the catalogue's pages (`catalog`), their
/// schema.org `DataCatalog` structured data. It reads nothing but the
/// members' cards and catalogue entries, and what the whole site shares.
pub fn fill(
    ctx: &mut Map<String, Value>,
    members: &[usize],
    cards: &Cards,
    catalog: Option<&crate::dcat::CatalogInput>,
) {
    ctx.insert("datasets".into(), members.iter().map(|&i| cards.get(i)).collect());
    if let Some(cat) = catalog {
        let ld = crate::dcat::script_json(&crate::dcat::schema_org::catalog(cat, members));
        ctx.insert("jsonld".into(), json!(ld));
    }
}

/// Adds the home page and the groups' indexes to `jobs` and returns the
/// other list pages. `cards` are the datasets' card views, in the order of
/// `site.datasets`. The catalogue's pages carry structured data (`catalog`,
/// when the site has a `base_url`).
pub fn jobs<'a>(
    site: &'a Site,
    taxonomy: &'a Taxonomy,
    cards: &'a Cards,
    catalog: Option<&'a crate::dcat::CatalogInput>,
    jobs: &mut Vec<Job<'a>>,
) -> Vec<Listing<'a>> {
    jobs.push(("index.html".into(), "index.html", Box::new(move || home(site, taxonomy, cards))));
    let mut listings = Vec::new();
    let count = json!({ "dataset_count": cards.len() });
    listings.extend(pages("datasets", &taxonomy.by_title, "../", "datasets", "catalogue.html", count, catalog));
    groups(&taxonomy.themes, "themes", jobs, &mut listings);
    groups(&taxonomy.keywords, "keywords", jobs, &mut listings);
    listings
}

/// The list pages of `members` in folder `folder`, made with `template`,
/// their contexts ([`paginate`]'s) with the members of `extra` added.
fn pages<'a>(
    folder: &str,
    members: &'a [usize],
    root: &'static str,
    section: &'static str,
    template: &'static str,
    extra: Value,
    catalog: Option<&'a crate::dcat::CatalogInput>,
) -> impl Iterator<Item = Listing<'a>> + 'a {
    let folder = folder.to_string();
    paginate(members, root, section).into_iter().map(move |(n, members, context)| {
        let extra = extra.clone();
        Listing {
            path: format!("{folder}/{}", page_file(n)),
            template,
            members,
            context: Box::new(move || {
                let mut ctx = context();
                if let Value::Object(extra) = extra {
                    ctx.extend(extra);
                }
                ctx
            }),
            catalog,
        }
    })
}

/// The home page: featured datasets, the latest updated, themes with counts.
fn home(site: &Site, taxonomy: &Taxonomy, cards: &Cards) -> Value {
    // Each dataset shown once: a featured one named twice, or among the
    // latest too, is not repeated.
    let mut featured_at: Vec<usize> = Vec::new();
    for i in site.config.featured.iter().filter_map(|f| site.datasets.iter().position(|d| d.slug == f.value)) {
        if !featured_at.contains(&i) {
            featured_at.push(i);
        }
    }
    let featured: Vec<Value> = featured_at.iter().map(|&i| cards.get(i)).collect();
    // Most recently modified first, then by slug.
    let mut latest: Vec<(String, String, usize)> = (0..cards.len())
        .filter(|i| !featured_at.contains(i))
        .filter_map(|i| cards.modified(i).map(|(modified, slug)| (modified, slug, i)))
        .collect();
    latest.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let latest: Vec<Value> = latest.iter().take(LATEST).map(|&(_, _, i)| cards.get(i)).collect();
    let mut ctx = context("", "home");
    ctx.insert("featured".into(), json!(featured));
    ctx.insert("latest".into(), json!(latest));
    ctx.insert("themes".into(), json!(taxonomy.themes.iter().map(|g| summary(g, "themes")).collect::<Vec<_>>()));
    ctx.insert("dataset_count".into(), json!(cards.len()));
    Value::Object(ctx)
}

/// A group as an index lists it.
fn summary(g: &Group, kind: &str) -> Value {
    json!({"id": g.id, "label": g.label, "count": g.datasets.len(), "href": format!("{kind}/{}/index.html", g.slug)})
}

/// `kind/index.html` (every group with its count) into `jobs` and, for
/// each group, `kind/<slug>/index.html` and its further pages into
/// `listings`.
fn groups<'a>(groups: &'a [Group], kind: &'static str, jobs: &mut Vec<Job<'a>>, listings: &mut Vec<Listing<'a>>) {
    if groups.is_empty() {
        return;
    }
    let index = move || {
        let mut index = context("../", kind);
        index.insert("kind".into(), json!(kind));
        index.insert("groups".into(), json!(groups.iter().map(|g| summary(g, kind)).collect::<Vec<_>>()));
        Value::Object(index)
    };
    jobs.push((format!("{kind}/index.html"), "groups.html", Box::new(index)));
    for g in groups {
        let extra = json!({ "kind": kind, "group": summary(g, kind) });
        listings.extend(pages(&format!("{kind}/{}", g.slug), &g.datasets, "../../", kind, "group.html", extra, None));
    }
}

/// What makes the context of one list page, but for its cards.
pub type PageContext<'a> = Box<dyn FnOnce() -> Map<String, Value> + Send + 'a>;

/// The pages of a paginated list of datasets (`members`, indexes into
/// `site.datasets`), numbered from 1: each page's members, and what makes
/// its context but for their cards, with `pagination`.
fn paginate<'a>(
    members: &'a [usize],
    root: &'static str,
    section: &'static str,
) -> Vec<(usize, &'a [usize], PageContext<'a>)> {
    let pages = page_count(members.len());
    (1..=pages)
        .map(|n| {
            let start = (n - 1) * PAGE_SIZE;
            let page = &members[start.min(members.len())..(start + PAGE_SIZE).min(members.len())];
            let make = move || {
                let mut ctx = context(root, section);
                ctx.insert("total".into(), json!(members.len()));
                ctx.insert(
                    "pagination".into(),
                    json!({
                        "current": n,
                        "count": pages,
                        "first": start + 1,
                        "last": (start + PAGE_SIZE).min(members.len()),
                        "prev": (n > 1).then(|| page_file(n - 1)),
                        "next": (n < pages).then(|| page_file(n + 1)),
                        "pages": page_links(n, pages),
                    }),
                );
                ctx
            };
            (n, page, Box::new(make) as PageContext<'a>)
        })
        .collect()
}

/// Links to the first and last pages and to the two on each side of the
/// current one; a gap (`{"gap": true}`) stands for the pages between.
fn page_links(current: usize, count: usize) -> Vec<Value> {
    let mut links = Vec::new();
    let mut last_shown = 0;
    for n in 1..=count {
        let near = n.abs_diff(current) <= 2;
        if n == 1 || n == count || near {
            if n > last_shown + 1 {
                links.push(json!({"gap": true}));
            }
            links.push(json!({"n": n, "href": page_file(n), "current": n == current}));
            last_shown = n;
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(links: &[Value]) -> Vec<String> {
        links.iter().map(|l| l["n"].as_u64().map(|n| n.to_string()).unwrap_or_else(|| "…".into())).collect()
    }

    #[test]
    fn page_links_keep_ends_and_neighbours() {
        assert_eq!(numbers(&page_links(1, 1)), ["1"]);
        assert_eq!(numbers(&page_links(1, 4)), ["1", "2", "3", "4"]);
        assert_eq!(numbers(&page_links(6, 20)), ["1", "…", "4", "5", "6", "7", "8", "…", "20"]);
        assert_eq!(numbers(&page_links(20, 20)), ["1", "…", "18", "19", "20"]);
        assert!(page_links(3, 5)[2]["current"].as_bool().unwrap());
    }

    #[test]
    fn lists_are_cut_in_pages() {
        let cards = Cards::new((0..45).map(|i| Cards::text(&json!({"slug": format!("d{i}")}))).collect());
        let members: Vec<usize> = (0..45).rev().collect();
        let pages: Vec<_> = paginate(&members, "../", "datasets")
            .into_iter()
            .map(|(n, page, ctx)| {
                let mut ctx = ctx();
                fill(&mut ctx, page, &cards, None);
                (n, page, ctx)
            })
            .collect();
        assert_eq!(pages.len(), 3);
        let (n, page, last) = &pages[2];
        assert_eq!(*page, [4, 3, 2, 1, 0]);
        assert_eq!(*n, 3);
        assert_eq!(last["datasets"].as_array().unwrap().len(), 5);
        assert_eq!(last["datasets"][0]["slug"], "d4");
        assert_eq!(last["pagination"]["first"], 41);
        assert_eq!(last["pagination"]["prev"], "page-2.html");
        assert!(last["pagination"]["next"].is_null());
        assert_eq!(pages[0].2["pagination"]["next"], "page-2.html");
    }
}
