//! Small helpers shared by several stages.

use std::path::{Component, Path};

/// A pretty JSON document `{"<head key>": <head>, "<list key>": [<items>]}`
/// written a part at a time, byte for byte as `serde_json::to_vec_pretty`
/// writes it (plus a final line feed): for documents too large to hold as
/// one value (`catalog.json`, `catalog.jsonld`).
pub struct PrettyList {
    items: usize,
}

impl PrettyList {
    /// The list, and the document's text up to the list's first item.
    pub fn start<T: serde::Serialize + ?Sized>(head_key: &str, head: &T, list_key: &str) -> (PrettyList, String) {
        Self::start_after(&field(head_key, head), list_key)
    }

    /// [`PrettyList::start`] of a document whose list comes after the
    /// members of `head`.
    pub fn start_fields(head: &serde_json::Map<String, serde_json::Value>, list_key: &str) -> (PrettyList, String) {
        Self::start_after(&head.iter().map(|(k, v)| field(k, v)).collect::<String>(), list_key)
    }

    fn start_after(fields: &str, list_key: &str) -> (PrettyList, String) {
        (PrettyList { items: 0 }, format!("{{{fields}\n  {}: [", json_key(list_key)))
    }

    /// A list whose first item is already written elsewhere: every item it
    /// writes starts with a comma.
    pub fn after_first() -> PrettyList {
        PrettyList { items: 1 }
    }

    /// An item's text as the list holds it (it may be made on any thread,
    /// then [`PrettyList::push`]ed in order).
    pub fn item_text<T: serde::Serialize + ?Sized>(item: &T) -> String {
        nested(item, "    ")
    }

    /// [`PrettyList::item_text`] of the item whose own pretty JSON text
    /// (as `serde_json::to_vec_pretty` writes it, a final line feed
    /// allowed) is `pretty`.
    pub fn item_text_of_pretty(pretty: &str) -> String {
        indented(pretty.trim_end(), "    ")
    }

    /// Appends the next item (its [`PrettyList::item_text`]) to `out`.
    pub fn push(&mut self, item_text: &str, out: &mut String) {
        out.push_str(if self.items == 0 { "\n    " } else { ",\n    " });
        out.push_str(item_text);
        self.items += 1;
    }

    /// Writes the next item into `w`.
    pub fn write_item<T: serde::Serialize + ?Sized>(
        &mut self,
        item: &T,
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut text = String::new();
        self.push(&Self::item_text(item), &mut text);
        w.write_all(text.as_bytes())
    }

    /// The text that ends a document whose list has `items` items.
    pub fn closing(items: usize) -> &'static str {
        if items == 0 { "]\n}\n" } else { "\n  ]\n}\n" }
    }

    /// The text that ends the document.
    pub fn end(&self) -> &'static str {
        Self::closing(self.items)
    }
}

/// A JSON string.
fn json_key(key: &str) -> String {
    serde_json::to_string(key).expect("strings serialise")
}

/// A member of a pretty document's top object, with the comma after it.
fn field<T: serde::Serialize + ?Sized>(key: &str, value: &T) -> String {
    format!("\n  {}: {},", json_key(key), nested(value, "  "))
}

/// The pretty JSON text of `value` as it reads nested in a pretty document:
/// each line after the first indented by `indent` (JSON strings hold no raw
/// line feed, so this is exact).
fn nested<T: serde::Serialize + ?Sized>(value: &T, indent: &str) -> String {
    indented(&serde_json::to_string_pretty(value).expect("JSON values serialise"), indent)
}

/// Pretty JSON `text` with each line after the first indented by `indent`.
fn indented(text: &str, indent: &str) -> String {
    text.replace('\n', &format!("\n{indent}"))
}

/// A path as text with `/` separators (paths in diagnostics and output are
/// always written this way, whatever the platform).
pub fn slash_path(path: &Path) -> String {
    let mut out = String::new();
    for comp in path.components() {
        match comp {
            Component::Normal(s) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&s.to_string_lossy());
            }
            Component::RootDir => out.push('/'),
            Component::CurDir => {
                if out.is_empty() {
                    out.push('.');
                }
            }
            Component::ParentDir => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str("..");
            }
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
        }
    }
    out
}

/// The candidate closest to `word` (case-insensitive edit distance), if it is
/// close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates {
        let score = strsim::normalized_damerau_levenshtein(&lower, &cand.to_lowercase());
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, cand));
        }
    }
    best.filter(|(score, _)| *score >= 0.5).map(|(_, c)| c)
}

/// A URL-safe slug: lowercase ASCII letters, digits and dashes.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Whether a slug is already in canonical form.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// Whether `s` is a full web address: `http://` or `https://`, then a host,
/// and no spaces nor characters a URL cannot hold as they are (`"`, `<`,
/// `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`).
pub fn is_http_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r.contains(|c: char| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c))
    })
}

/// Percent-encodes each segment of a relative path for use in an `href`.
/// A `:` is encoded too: a relative link whose first segment holds one
/// reads as a scheme (a file named `javascript:alert(1).json` would give
/// `href="javascript:alert(1).json"`); `%3A` is the same file to a server.
pub fn url_path(path: &str) -> String {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'\\')
        .add(b'^')
        .add(b'|')
        .add(b'[')
        .add(b']')
        .add(b'\'')
        .add(b'&')
        .add(b'+')
        .add(b';')
        .add(b'=')
        .add(b':');
    path.split('/').map(|seg| utf8_percent_encode(seg, SEGMENT).to_string()).collect::<Vec<_>>().join("/")
}

/// The index of the column a sidecar names: the exact name (spaces around
/// ignored), else the same name in another case.
pub fn find_column(names: &[String], wanted: &str) -> Option<usize> {
    let w = wanted.trim();
    names.iter().position(|n| n.trim() == w).or_else(|| names.iter().position(|n| n.trim().eq_ignore_ascii_case(w)))
}

/// Percent-encodes a whole value for a URL's query string (everything but
/// unreserved characters).
pub fn query_encode(value: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    const QUERY: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    utf8_percent_encode(value, QUERY).to_string()
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `x` with `decimals` decimals, rounded by the formatter, without
/// trailing zeros (nor the point when none is left), and `0` for `-0`.
pub fn fixed_trimmed(x: f64, decimals: usize) -> String {
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        let len = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(len);
    }
    if s == "-0" { "0".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pretty_list_written_in_parts_is_the_pretty_document() {
        for n in [0, 1, 3] {
            let items: Vec<serde_json::Value> =
                (0..n).map(|i| serde_json::json!({"i": i, "a": [1, {"b": "x\ny"}]})).collect();
            let head = serde_json::json!({"title": "T", "list": [1]});
            let (mut list, mut text) = PrettyList::start("site", &head, "datasets");
            for item in &items {
                list.push(&PrettyList::item_text(item), &mut text);
            }
            text.push_str(list.end());
            let whole = serde_json::to_string_pretty(&serde_json::json!({"site": head, "datasets": items})).unwrap();
            assert_eq!(text, whole + "\n");
            for fields in [serde_json::json!({}), serde_json::json!({"name": "n", "licenses": [{"a": 1}]})] {
                let fields = fields.as_object().unwrap();
                let (mut list, mut text) = PrettyList::start_fields(fields, "resources");
                for item in &items {
                    list.push(&PrettyList::item_text(item), &mut text);
                }
                text.push_str(list.end());
                let mut whole = fields.clone();
                whole.insert("resources".into(), serde_json::json!(items));
                assert_eq!(text, serde_json::to_string_pretty(&whole).unwrap() + "\n");
            }
        }
    }

    #[test]
    fn nearest_finds_typos() {
        let keys = ["title", "description", "license", "keywords"];
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("licence", keys), Some("license"));
        assert_eq!(nearest("zzzzzz", keys), None);
    }

    #[test]
    fn slugs_and_urls() {
        assert_eq!(slugify("Délibérations du Conseil"), "deliberations-du-conseil");
        assert!(is_slug("budget-2025"));
        assert!(!is_slug("Budget"));
        assert_eq!(url_path("datasets/a b/été#1.csv"), "datasets/a%20b/%C3%A9t%C3%A9%231.csv");
        // Never a scheme, in any segment.
        assert_eq!(url_path("javascript:alert(1).json"), "javascript%3Aalert(1).json");
        assert_eq!(url_path("preview/data:x.csv/manifest.json"), "preview/data%3Ax.csv/manifest.json");
        assert_eq!(slash_path(Path::new("a/./b")), "a/b");
    }
}
