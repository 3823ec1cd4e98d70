//! How the catalogue is browsed: datasets grouped by theme and by keyword,
//! computed once from the model and read by the pages (theme and keyword
//! pages, home counts), the search index and the sitemap.
//!
//! Keywords are grouped by their slug, so `Vélo` and `vélo` are one
//! keyword; its label is the spelling most datasets use (ties: the first
//! in alphabetical order).

use std::collections::BTreeMap;

use crate::model::Site;
use crate::vocab;

/// A keyword's spellings with how many datasets use each (in first-seen
/// order), and its datasets.
type Spellings = (Vec<(String, usize)>, Vec<usize>);

/// A group of datasets: a theme or a keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// In URLs: the theme code in lowercase (`econ`), the keyword's slug.
    pub slug: String,
    /// The theme code (`ECON`) or the keyword's slug.
    pub id: String,
    pub label: String,
    /// Indexes into `site.datasets`, in catalogue order (by title).
    pub datasets: Vec<usize>,
}

/// The site's themes and keywords, and its datasets in catalogue order.
#[derive(Clone, Debug, Default)]
pub struct Taxonomy {
    /// Indexes into `site.datasets`, sorted by title as a reader expects
    /// (accents and case folded), then by slug.
    pub by_title: Vec<usize>,
    /// Themes in use, in the order of the EU vocabulary.
    pub themes: Vec<Group>,
    /// Keywords in use, by label.
    pub keywords: Vec<Group>,
    /// A keyword's slug → its position in `keywords`.
    keyword_positions: BTreeMap<String, usize>,
}

impl Taxonomy {
    pub fn of(site: &Site) -> Taxonomy {
        let lang = site.lang();
        let mut by_title: Vec<usize> = (0..site.datasets.len()).collect();
        by_title.sort_by_cached_key(|&i| {
            let d = &site.datasets[i];
            (crate::util::slugify(d.title()), d.slug.clone())
        });
        let mut themes = Vec::new();
        for th in vocab::THEMES {
            let members: Vec<usize> = by_title
                .iter()
                .copied()
                .filter(|&i| site.datasets[i].themes.iter().any(|t| t.value.eq_ignore_ascii_case(th.code)))
                .collect();
            if !members.is_empty() {
                themes.push(Group {
                    slug: th.code.to_lowercase(),
                    id: th.code.to_string(),
                    label: th.label(lang).to_string(),
                    datasets: members,
                });
            }
        }
        let mut keywords: BTreeMap<String, Spellings> = BTreeMap::new();
        for &i in &by_title {
            let mut seen = Vec::new();
            for k in &site.datasets[i].keywords {
                let slug = crate::util::slugify(k);
                if slug.is_empty() || seen.contains(&slug) {
                    continue;
                }
                let entry = keywords.entry(slug.clone()).or_default();
                match entry.0.iter_mut().find(|(s, _)| s == k.trim()) {
                    Some((_, n)) => *n += 1,
                    None => entry.0.push((k.trim().to_string(), 1)),
                }
                entry.1.push(i);
                seen.push(slug);
            }
        }
        let mut keywords: Vec<Group> = keywords
            .into_iter()
            .map(|(slug, (spellings, members))| {
                let best = spellings.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|s| s.0.clone());
                Group { id: slug.clone(), label: best.unwrap_or_else(|| slug.clone()), slug, datasets: members }
            })
            .collect();
        keywords.sort_by_cached_key(|g| (crate::util::slugify(&g.label), g.slug.clone()));
        let keyword_positions = keywords.iter().enumerate().map(|(i, g)| (g.slug.clone(), i)).collect();
        Taxonomy { by_title, themes, keywords, keyword_positions }
    }

    /// The keyword group a keyword belongs to.
    pub fn keyword(&self, keyword: &str) -> Option<&Group> {
        self.keyword_positions.get(&crate::util::slugify(keyword)).map(|&i| &self.keywords[i])
    }
}

/// The pages of a list of `total` items, `size` a page: page 1 is
/// `index.html`, page n is `page-n.html`.
pub fn page_file(page: usize) -> String {
    if page <= 1 { "index.html".to_string() } else { format!("page-{page}.html") }
}

/// How many items a list page shows.
pub const PAGE_SIZE: usize = 20;

/// The number of pages a list of `total` items needs (at least one).
pub fn page_count(total: usize) -> usize {
    total.div_ceil(PAGE_SIZE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(datasets: &[(&str, &str, &[&str], &[&str])]) -> Site {
        let mut site = Site::default();
        for (slug, title, themes, keywords) in datasets {
            site.datasets.push(crate::model::Dataset {
                slug: slug.to_string(),
                title: Some(crate::model::Located::new(title.to_string(), Default::default())),
                themes: themes.iter().map(|t| crate::model::Located::new(t.to_string(), Default::default())).collect(),
                keywords: keywords.iter().map(|k| k.to_string()).collect(),
                ..Default::default()
            });
        }
        site
    }

    #[test]
    fn groups_by_theme_and_keyword_in_title_order() {
        let s = site(&[
            ("velos", "Vélos en libre-service", &["TRAN"], &["Vélo", "mobilité"]),
            ("arceaux", "Arceaux à vélos", &["tran", "REGI"], &["vélo", "Vélo"]),
            ("budget", "Budget", &["ECON"], &["vélo"]),
        ]);
        let t = Taxonomy::of(&s);
        let titles: Vec<&str> = t.by_title.iter().map(|&i| s.datasets[i].slug.as_str()).collect();
        assert_eq!(titles, ["arceaux", "budget", "velos"]);
        let themes: Vec<(&str, Vec<usize>)> = t.themes.iter().map(|g| (g.id.as_str(), g.datasets.clone())).collect();
        assert_eq!(themes, [("ECON", vec![2]), ("REGI", vec![1]), ("TRAN", vec![1, 0])]);
        assert_eq!(t.themes[2].slug, "tran");
        let velo = t.keyword("VÉLO").unwrap();
        assert_eq!(velo.slug, "velo");
        // Two datasets write « vélo », one « Vélo » (a dataset counts once).
        assert_eq!(velo.label, "vélo");
        assert_eq!(velo.datasets, [1, 2, 0]);
        assert_eq!(t.keywords.iter().map(|g| g.slug.as_str()).collect::<Vec<_>>(), ["mobilite", "velo"]);
    }

    #[test]
    fn pages_of_a_list() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(20), 1);
        assert_eq!(page_count(21), 2);
        assert_eq!(page_file(1), "index.html");
        assert_eq!(page_file(3), "page-3.html");
    }
}
