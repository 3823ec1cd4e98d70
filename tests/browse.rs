//! How readers find datasets without and with JavaScript: the paginated
//! catalogue, theme and keyword pages, the search index, the menu, footer
//! and appearance settings of `site.yaml`.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

/// A site of `n` one-file datasets: every one has the keyword `commun`
/// (spelled « Commun » by one of them), even ones are in theme ECON, odd
/// ones in ENVI, and every tenth has the keyword `dizaine`.
fn generated_site(dir: &Path, n: usize, site_yaml_extra: &str) {
    std::fs::create_dir_all(dir.join("datasets")).unwrap();
    std::fs::create_dir_all(dir.join("pages")).unwrap();
    std::fs::write(
        dir.join("site.yaml"),
        format!(
            "title: Site de test\nsiret: \"21995010000018\"\nbase_url: https://data.example.org/\nlanguage: fr\nlicense: etalab-2.0\npublisher: Commune de Test\n{site_yaml_extra}"
        ),
    )
    .unwrap();
    for i in 0..n {
        let theme = if i % 2 == 0 { "ECON" } else { "ENVI" };
        let mut keywords = vec![if i == 3 { "Commun" } else { "commun" }];
        if i % 10 == 0 {
            keywords.push("dizaine");
        }
        std::fs::write(
            dir.join(format!("datasets/jeu-{i:03}.yaml")),
            format!(
                "title: Jeu numéro {i:03}\ndescription: Le jeu de données {i}, sur les délibérations.\nthemes: [{theme}]\nkeywords: [{}]\nfrequency: annual\nmodified: 2026-0{}-15\n",
                keywords.join(", "),
                1 + i % 9
            ),
        )
        .unwrap();
        std::fs::write(dir.join(format!("datasets/jeu-{i:03}.csv")), format!("annee;montant_{i}\n2025;{i}\n")).unwrap();
    }
}

fn build(site: &Path, out: &Path) -> common::Run {
    let run = common::run_kiosque(None, &["build".as_ref(), site.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.output());
    run
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `href`s of the dataset cards of a list page.
fn card_links(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"<li class="dataset-card">\s*<h[23]><a href="([^"]+)">"#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

/// Follows "next page" links from `start` (a path under `out`), and returns
/// the dataset pages the cards link to, resolved from the output root.
fn datasets_reachable(out: &Path, start: &str) -> Vec<String> {
    let next = regex::Regex::new(r#"<a href="([^"]+)" rel="next">"#).unwrap();
    let mut found = Vec::new();
    let mut page = Some(start.to_string());
    let mut seen = BTreeSet::new();
    while let Some(path) = page.take() {
        assert!(seen.insert(path.clone()), "pagination loops at {path}");
        let html = read(out, &path);
        let dir = Path::new(&path).parent().unwrap();
        for link in card_links(&html) {
            let resolved = normalise(&dir.join(&link));
            assert!(out.join(&resolved).is_file(), "{path}: broken card link {link}");
            found.push(resolved);
        }
        page = next.captures(&html).map(|c| normalise(&dir.join(&c[1])));
    }
    found
}

fn normalise(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c.as_os_str().to_str().unwrap() {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s.to_string()),
        }
    }
    parts.join("/")
}

#[test]
fn every_dataset_is_reachable_by_links_without_javascript() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    generated_site(&site, 45, "");
    build(&site, &out);

    // The catalogue: 20 a page, by title, three pages.
    let all = datasets_reachable(&out, "datasets/index.html");
    let expected: Vec<String> = (0..45).map(|i| format!("datasets/jeu-{i:03}/index.html")).collect();
    assert_eq!(all, expected);
    let page3 = read(&out, "datasets/page-3.html");
    assert_eq!(card_links(&page3).len(), 5);
    assert!(page3.contains("Jeux de données 41 à 45 sur 45"), "{page3}");
    assert!(page3.contains(r#"<a href="page-2.html" rel="prev">"#), "{page3}");
    assert!(page3.contains(r#"aria-current="page"><span class="visually-hidden">Page </span>3</a>"#), "{page3}");
    assert!(page3.contains("<title>Catalogue des données – Page 3 sur 3 – Site de test</title>"), "{page3}");
    assert!(!out.join("datasets/page-4.html").exists());

    // Theme pages, listed with their counts.
    let themes = read(&out, "themes/index.html");
    assert!(
        themes.contains(r#"<a href="../themes/econ/index.html">Économie et finances <span class="count">(23"#),
        "{themes}"
    );
    assert!(
        themes.contains(r#"<a href="../themes/envi/index.html">Environnement <span class="count">(22"#),
        "{themes}"
    );
    let envi = datasets_reachable(&out, "themes/envi/index.html");
    assert_eq!(
        envi,
        (0..45).filter(|i| i % 2 == 1).map(|i| format!("datasets/jeu-{i:03}/index.html")).collect::<Vec<_>>()
    );
    let envi_html = read(&out, "themes/envi/page-2.html");
    assert!(envi_html.contains(r#"<a href="../../themes/index.html">Thèmes</a>"#), "breadcrumb: {envi_html}");

    // Keyword pages: « Commun » and « commun » are one keyword, spelled as
    // most datasets spell it.
    let keywords = read(&out, "keywords/index.html");
    assert!(
        keywords.contains(r#"<a href="../keywords/commun/index.html">commun <span class="count">(45"#),
        "{keywords}"
    );
    assert!(
        keywords.contains(r#"<a href="../keywords/dizaine/index.html">dizaine <span class="count">(5"#),
        "{keywords}"
    );
    assert_eq!(datasets_reachable(&out, "keywords/commun/index.html").len(), 45);
    assert_eq!(datasets_reachable(&out, "keywords/dizaine/index.html").len(), 5);

    // A dataset page links its themes and keywords.
    let page = read(&out, "datasets/jeu-003/index.html");
    assert!(page.contains(r#"<a class="tag" href="../../themes/envi/index.html">Environnement</a>"#), "{page}");
    assert!(page.contains(r#"<a class="keyword" href="../../keywords/commun/index.html">Commun</a>"#), "{page}");

    // The home page links every theme, and search engines find every list.
    let home = read(&out, "index.html");
    assert!(home.contains(r#"<a href="themes/econ/index.html">Économie et finances"#), "{home}");
    let sitemap = read(&out, "sitemap.xml");
    for url in [
        "datasets/page-3.html",
        "themes/",
        "themes/envi/page-2.html",
        "keywords/commun/page-3.html",
        "keywords/dizaine/",
    ] {
        assert!(sitemap.contains(&format!("<loc>https://data.example.org/{url}</loc>")), "{url} not in sitemap");
    }
}

#[test]
fn the_search_index_covers_every_dataset_compactly() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    generated_site(&site, 12, "");
    build(&site, &out);
    let bytes = std::fs::read(out.join("search-index.json")).unwrap();
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(out.join("search-index.json.gz")).unwrap())
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, bytes, "the .gz copy is the same index");
    let index: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(index["version"], 1);
    assert_eq!(index["lang"], "fr");
    let facet = |name: &str| -> Vec<String> {
        index["facets"][name].as_array().unwrap().iter().map(|v| v["label"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(facet("theme"), ["Économie et finances", "Environnement"]);
    assert_eq!(facet("keyword"), ["commun", "dizaine"]);
    assert_eq!(facet("publisher"), ["Commune de Test"]);
    assert_eq!(facet("format"), ["CSV"]);
    assert_eq!(facet("license"), ["Licence Ouverte / Open Licence 2.0"]);
    assert_eq!(facet("frequency"), ["Annuelle"]);
    let datasets = index["datasets"].as_array().unwrap();
    assert_eq!(datasets.len(), 12);
    let columns = index["columns"].as_array().unwrap();
    for (i, d) in datasets.iter().enumerate() {
        assert_eq!(d["slug"], format!("jeu-{i:03}"));
        assert!(out.join(format!("datasets/{}/index.html", d["slug"].as_str().unwrap())).is_file());
        assert_eq!(d["title"], format!("Jeu numéro {i:03}"));
        assert_eq!(d["text"], format!("Le jeu de données {i}, sur les délibérations."));
        assert_eq!(d["theme"], serde_json::json!([i % 2]));
        let kw: Vec<u64> = d["keyword"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(kw, if i % 10 == 0 { vec![0, 1] } else { vec![0] });
        assert_eq!(d["modified"], format!("2026-0{}-15", 1 + i % 9));
        let cols: BTreeSet<&str> = d["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| columns[c.as_u64().unwrap() as usize].as_str().unwrap())
            .collect();
        assert_eq!(cols, BTreeSet::from(["annee", &*format!("montant_{i}")]));
    }
    // Column names are written once.
    assert_eq!(columns.len(), 13);
    // The catalogue page points at both copies; the search's strings are
    // in the site's language.
    let catalogue = read(&out, "datasets/index.html");
    assert!(catalogue.contains(r#"data-index="../search-index.json" data-index-gz="../search-index.json.gz""#));
    assert!(catalogue.contains(r#""none": "Aucun jeu de données ne correspond.""#), "{catalogue}");
}

#[test]
fn menu_footer_logo_colours_and_accessibility_status_come_from_site_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    generated_site(
        &site,
        2,
        "logo: logo.svg\ncolors:\n  primary: \"#1D4E89\"\nfooter: Mairie, <b>1 place</b> de la [République](https://example.org/).\nmenu:\n  - reutiliser\n  - title: Site de la mairie\n    url: https://www.example.org/\naccessibility: partial\n",
    );
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(site.join("static/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    for (slug, title) in
        [("reutiliser", "Réutiliser"), ("mentions-legales", "Mentions légales"), ("accessibilite", "Accessibilité")]
    {
        std::fs::write(site.join(format!("pages/{slug}.md")), format!("---\ntitle: {title}\n---\n\nTexte.\n")).unwrap();
    }
    build(&site, &out);
    let page = read(&out, "reutiliser/index.html");
    assert!(page.contains(r#"<img class="logo" src="../logo.svg" alt="">"#), "{page}");
    assert!(page.contains("--primary: #1d4e89; --primary-hover: #163b67;"), "{page}");
    // The menu: the listed page (current here), then the outside link.
    let nav = page.split(r#"<nav class="site-nav""#).nth(1).unwrap().split("</nav>").next().unwrap();
    let items: Vec<&str> = nav.matches("<li>").collect();
    assert_eq!(items.len(), 4, "{nav}");
    assert!(nav.contains(r#"<a href="../reutiliser/index.html" aria-current="page">Réutiliser</a>"#), "{nav}");
    assert!(nav.contains(r#"<a href="https://www.example.org/">Site de la mairie</a>"#), "{nav}");
    assert!(!nav.contains("mentions-legales") && !nav.contains("accessibilite"), "{nav}");
    // The footer: the text (Markdown, HTML escaped), the compliance status
    // linking the statement, the pages the menu leaves out.
    let footer = page.split("<footer").nth(1).unwrap();
    assert!(
        footer.contains("Mairie, &lt;b&gt;1 place&lt;/b&gt; de la <a href=\"https://example.org/\">République</a>."),
        "{footer}"
    );
    assert!(
        footer.contains(r#"<a href="../accessibilite/index.html">Accessibilité : partiellement conforme</a>"#),
        "{footer}"
    );
    assert!(footer.contains(r#"<a href="../mentions-legales/index.html">Mentions légales</a>"#), "{footer}");
    assert_eq!(footer.matches("accessibilite/index.html").count(), 1, "{footer}");
}

#[test]
fn without_settings_the_menu_lists_pages_and_the_footer_says_not_compliant() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    generated_site(&site, 1, "");
    std::fs::write(site.join("pages/a-propos.md"), "---\ntitle: À propos\n---\n\nTexte.\n").unwrap();
    build(&site, &out);
    let home = read(&out, "index.html");
    assert!(home.contains(r#"<li><a href="a-propos/index.html">À propos</a></li>"#), "{home}");
    assert!(home.contains("<li>Accessibilité : non conforme</li>"), "{home}");
    assert!(!home.contains("<style>"), "no colours, no style element");
}

#[test]
fn the_starter_site_has_an_accessibility_statement_to_fill_in() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("ma-commune");
    let run = common::run_kiosque(None, &["new".as_ref(), site.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.output());
    let out = tmp.path().join("out");
    build(&site, &out);
    let statement = read(&out, "accessibilite/index.html");
    for part in ["État de conformité", "Voies de recours", "Défenseur des droits", "[date]"] {
        assert!(statement.contains(part), "{part} missing");
    }
    assert!(!statement.contains("Modèle de déclaration"), "the editing note is an HTML comment");
    let home = read(&out, "index.html");
    assert!(home.contains(r#"<a href="accessibilite/index.html">Accessibilité : non conforme</a>"#), "{home}");
}

#[test]
fn a_third_language_is_one_file_of_strings() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    generated_site(&site, 1, "");
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap().replace("language: fr", "language: de");
    std::fs::write(site.join("site.yaml"), yaml).unwrap();
    // Without its strings, the language is refused, and the hint says how to add it.
    let (code, report) = common::check_json(&site);
    assert_eq!(code, 1);
    let d = report.diagnostics.iter().find(|d| d.code == "unknown-language").expect("unknown-language");
    assert!(d.hint.as_deref().unwrap_or("").contains("themes/default/i18n/de.yaml"), "{d:#?}");
    std::fs::create_dir_all(site.join("themes/default/i18n")).unwrap();
    std::fs::write(site.join("themes/default/i18n/de.yaml"), "nav_home: Startseite\ncatalogue_title: Datenkatalog\n")
        .unwrap();
    build(&site, &out);
    let home = read(&out, "index.html");
    assert!(home.contains(r#"<html lang="de">"#), "{home}");
    assert!(home.contains(">Startseite</a>"), "{home}");
    // Strings it does not translate are in English.
    assert!(home.contains("Skip to content"), "{home}");
    assert!(read(&out, "datasets/index.html").contains("<h1>Datenkatalog</h1>"));
    let index: Value = serde_json::from_slice(&std::fs::read(out.join("search-index.json")).unwrap()).unwrap();
    assert_eq!(index["lang"], "de");
}

#[test]
fn featured_datasets_must_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    generated_site(&site, 2, "featured: [jeu-001, jeu-01]\n");
    let (code, report) = common::check_json(&site);
    assert_eq!(code, 1);
    let d = report.diagnostics.iter().find(|d| d.code == "unknown-featured").expect("unknown-featured");
    assert_eq!((d.file.as_deref(), d.line, d.column), (Some("site.yaml"), Some(7), Some(21)), "{d:#?}");
    assert!(d.message.contains("« jeu-01 »"), "{d:#?}");
    assert_eq!(d.hint.as_deref(), Some("vouliez-vous dire « jeu-001 » ?"), "{d:#?}");
}
