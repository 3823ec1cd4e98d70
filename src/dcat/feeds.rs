//! `feed.xml` (Atom 1.0, the datasets by last modification),
//! `sitemap.xml` and `robots.txt`. No build time stamp: the same input gives
//! the same bytes.

use std::fmt::Write;

use super::dates;
use super::input::{CatalogInput, DatasetInput, SitemapUrl};
use super::iri::{clean_text, normalize};
use super::vocab;

/// Text escaped for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean_text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as they are by XML parsers only when escaped.
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

/// The datasets of the feed: those with a valid modification (or creation)
/// date, newest first, then by slug.
fn feed_entries(cat: &CatalogInput) -> Vec<(String, &DatasetInput)> {
    let mut entries: Vec<(String, &DatasetInput)> = cat
        .datasets
        .iter()
        .filter_map(|ds| {
            let date = [ds.modified.as_deref(), ds.created.as_deref()].into_iter().flatten().find_map(dates::parse)?;
            Some((date.rfc3339(), ds))
        })
        .collect();
    // RFC 3339 stamps in UTC at midnight compare as text; a date-time with an
    // offset is close enough for ordering a feed.
    entries.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| a.slug.cmp(&b.slug)));
    entries
}

/// `feed.xml`: one entry per dated dataset, newest first; `updated` is the
/// newest date (else the catalogue's `modified`, else 1970-01-01).
pub fn atom_feed(cat: &CatalogInput) -> String {
    let entries = feed_entries(cat);
    let updated = entries
        .first()
        .map(|(d, _)| d.clone())
        .or_else(|| cat.modified.as_deref().and_then(dates::parse).map(|d| d.rfc3339()))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let base = normalize(&cat.base());
    let lang = cat.language.trim();
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if lang.is_empty() {
        x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    } else {
        let _ = writeln!(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", xml_escape(lang));
    }
    let _ = writeln!(x, "  <id>{}</id>", xml_escape(&base));
    let _ = writeln!(x, "  <title type=\"text\">{}</title>", xml_escape(&cat.title));
    if !cat.description.trim().is_empty() {
        let _ = writeln!(x, "  <subtitle type=\"text\">{}</subtitle>", xml_escape(cat.description.trim()));
    }
    let _ = writeln!(x, "  <updated>{}</updated>", xml_escape(&updated));
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&format!("{base}feed.xml"))
    );
    let _ = writeln!(x, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_escape(&base));
    let _ = writeln!(x, "  <author><name>{}</name></author>", xml_escape(cat.publisher_name().trim()));
    let _ = writeln!(x, "  <generator>kiosque</generator>");
    for (date, ds) in entries {
        let landing = normalize(&ds.landing_page);
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <id>{}</id>", xml_escape(&landing));
        let _ = writeln!(x, "    <title type=\"text\">{}</title>", xml_escape(&ds.title));
        let _ = writeln!(x, "    <updated>{}</updated>", xml_escape(&date));
        if let Some(published) = ds.created.as_deref().and_then(dates::parse) {
            let _ = writeln!(x, "    <published>{}</published>", xml_escape(&published.rfc3339()));
        }
        let _ = writeln!(x, "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_escape(&landing));
        let publisher = cat.publisher_of(ds).trim();
        let _ = writeln!(x, "    <author><name>{}</name></author>", xml_escape(publisher));
        for code in &ds.themes {
            if let Some(t) = vocab::theme(code) {
                let label = if lang.starts_with("en") { t.en } else { t.fr };
                let _ = writeln!(
                    x,
                    "    <category term=\"{}\" scheme=\"{}\" label=\"{}\"/>",
                    t.code,
                    vocab::THEME_SCHEME,
                    xml_escape(label)
                );
            }
        }
        if !ds.description.trim().is_empty() {
            let _ = writeln!(x, "    <summary type=\"text\">{}</summary>", xml_escape(ds.description.trim()));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// `sitemap.xml`: the given URLs, in the given order, each once.
pub fn sitemap(urls: &[SitemapUrl]) -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut seen = std::collections::HashSet::new();
    for u in urls {
        let loc = normalize(&u.loc);
        if loc.is_empty() || !seen.insert(loc.clone()) {
            continue;
        }
        x.push_str("  <url>\n");
        let _ = writeln!(x, "    <loc>{}</loc>", xml_escape(&loc));
        if let Some(d) = u.lastmod.as_deref().and_then(dates::parse) {
            let lastmod = match d {
                dates::Date::DateTime(s) => s.to_string(),
                _ => d.lexical(),
            };
            let _ = writeln!(x, "    <lastmod>{}</lastmod>", xml_escape(&lastmod));
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// `robots.txt`: everything allowed, and where the sitemap is.
pub fn robots_txt(base_url: &str) -> String {
    let base = format!("{}/", base_url.trim().trim_end_matches('/'));
    format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", normalize(&base))
}
