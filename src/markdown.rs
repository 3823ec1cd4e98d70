//! Markdown → HTML for descriptions and pages, safely: raw HTML written in
//! Markdown is shown as text (never interpreted), and links or images with
//! a scheme other than http, https, mailto or tel are dropped, so nothing a
//! contributor writes can run as script in a visitor's browser.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether a link target is safe: relative, a fragment, or one of the
/// allowed schemes. Control characters and spaces inside the scheme (which
/// browsers strip) do not fool it.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after a path separator is part of the path, not a scheme.
            if lower[..colon].contains(['/', '?', '#']) {
                return true;
            }
            matches!(&lower[..colon], "http" | "https" | "mailto" | "tel")
        }
    }
}

/// Raw HTML becomes text; a link to an unsafe URL points nowhere (`#`);
/// an image from an unsafe URL is dropped, its description kept as text
/// (an `<img src="">` would make the browser fetch the page itself).
fn sanitize<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    // For each image being read, whether it was dropped.
    let mut images: Vec<bool> = Vec::new();
    events.map(move |event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !is_safe_url(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let safe = is_safe_url(&dest_url);
            images.push(!safe);
            if safe { Event::Start(Tag::Image { link_type, dest_url, title, id }) } else { Event::Text("".into()) }
        }
        Event::End(TagEnd::Image) if images.pop() == Some(true) => Event::Text("".into()),
        other => other,
    })
}

/// Drops HTML comments (`<!-- notes for whoever edits the file -->`), which
/// would otherwise show as text.
fn without_comments<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut in_comment = false;
    events.filter(move |event| {
        let (Event::Html(raw) | Event::InlineHtml(raw)) = event else {
            return true;
        };
        let raw = raw.trim();
        if in_comment {
            in_comment = !raw.contains("-->");
            return false;
        }
        if let Some(rest) = raw.strip_prefix("<!--") {
            in_comment = !rest.contains("-->");
            return false;
        }
        true
    })
}

/// Renders Markdown to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let parser = sanitize(without_comments(Parser::new_ext(markdown, options())));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// A link or image target written in Markdown, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    /// 0-based line of the body.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Length of the whole link's Markdown, in characters.
    pub len: usize,
}

/// The link and image targets of Markdown.
pub fn links(markdown: &str) -> Vec<Link> {
    let mut out = Vec::new();
    // Links come in the order they are written: located in one pass.
    let mut positions = crate::diag::Positions::new(markdown);
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            // Lines end as CommonMark says: a lone \r ends one too.
            let (line, column) = positions.at(range.start);
            let text = &markdown[range.clone()];
            out.push(Link {
                url: dest_url.to_string(),
                line: line - 1,
                column,
                len: crate::diag::lines(text).next().unwrap_or("").chars().count(),
            });
        }
    }
    out
}

/// The plain text of Markdown (for excerpts, feeds and metadata), with
/// whitespace collapsed.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(end) if is_block(end) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_block(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// The first `max` characters of the plain text, cut at a word, with an
/// ellipsis when cut.
pub fn excerpt(markdown: &str, max: usize) -> String {
    let text = to_text(markdown);
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_dropped() {
        let html = to_html(
            "<!-- a note\n   on two lines -->\n\nText <!-- inline --> here.\n\n<!-- x --><script>alert(1)</script>\n",
        );
        assert_eq!(html, "<p>Text  here.</p>\n", "{html}");
    }

    #[test]
    fn raw_html_is_text() {
        let html = to_html("Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_dropped() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox)",
            "<javascript:alert(1)>",
            "![x](javascript:alert(1))",
        ] {
            let html = to_html(md);
            for attr in ["href=\"", "src=\""] {
                for (i, _) in html.match_indices(attr) {
                    let value = &html[i + attr.len()..];
                    let value = &value[..value.find('"').unwrap()];
                    assert!(is_safe_url(value), "{md} → {html}");
                }
            }
        }
        // An image from an unsafe URL is dropped; its description stays.
        let html = to_html("![une image](javascript:alert(1)) ![![dedans](ok.png)](data:x) ![bien](ok.png)");
        assert_eq!(
            html, "<p>une image <img src=\"ok.png\" alt=\"dedans\" /> <img src=\"ok.png\" alt=\"bien\" /></p>\n",
            "{html}"
        );
        let ok = to_html("[a](https://example.org) [b](../x/) [c](mailto:a@b.fr) [d](#top) [e](a:b/c)");
        for href in ["https://example.org", "../x/", "mailto:a@b.fr", "#top"] {
            assert!(ok.contains(&format!("href=\"{href}\"")), "{ok}");
        }
    }

    #[test]
    fn links_are_located() {
        let l = links("Voir\r[le *budget*](b.csv) et\n\nla [carte](\n  c.html) ici");
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].url.as_str(), l[0].line, l[0].column, l[0].len), ("b.csv", 1, 1, 20));
        assert_eq!((l[1].url.as_str(), l[1].line, l[1].column, l[1].len), ("c.html", 3, 4, 8));
    }

    #[test]
    fn text_and_excerpts() {
        assert_eq!(to_text("# Titre\n\nUn **texte** avec [lien](x).\n"), "Titre Un texte avec lien.");
        assert_eq!(excerpt("un deux trois quatre cinq", 12), "un deux…");
        assert_eq!(excerpt("court", 12), "court");
        assert_eq!(to_text("a *b* c"), "a b c");
    }
}
