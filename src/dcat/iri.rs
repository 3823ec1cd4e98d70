//! URLs, IRIs and names: percent-encoding of path segments, normalisation of
//! given URLs into valid IRIs, and the strict names Data Packages want.

use percent_encoding::{AsciiSet, utf8_percent_encode};

/// Percent-encodes each `/`-separated segment of a relative path
/// (`a b/été#1.csv` → `a%20b/%C3%A9t%C3%A9%231.csv`).
pub fn url_path(path: &str) -> String {
    crate::util::url_path(path)
}

/// What is left as it is in a fragment we mint (`#agent-…`).
const FRAGMENT: &AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes text for use in a fragment identifier.
pub fn fragment(text: &str) -> String {
    utf8_percent_encode(text, FRAGMENT).to_string()
}

/// Makes a given absolute URL a valid ASCII IRI: characters not allowed in a
/// URI (spaces, quotes, `<>{}|\^` and backquote, controls, non-ASCII) are
/// percent-encoded, and so is a `%` that does not start an escape. Reserved
/// characters (`#`, `?`, `/`…) are kept: the caller encodes a `#` that
/// belongs to a file name (see [`url_path`]).
pub fn normalize(url: &str) -> String {
    let url = url.trim();
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    let mut fragment_seen = false;
    for (i, &b) in bytes.iter().enumerate() {
        let keep = match b {
            b'%' => {
                bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            }
            // A second `#` is not allowed.
            b'#' => !std::mem::replace(&mut fragment_seen, true),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'[' | b']' | b'@' => true,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => true,
            _ => false,
        };
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A name in the Frictionless pattern `^[a-z0-9._-]+$`: lower case, common
/// Latin accents folded, other characters turned into `-`, runs of `-`
/// collapsed. Empty if nothing is left.
pub fn strict_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = fold(c);
        for c in folded.chars() {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_' {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
    }
    out.trim_matches(['-', '.']).to_string()
}

/// Lower-case text without the common Latin accents (`Été` → `ete`).
pub fn unaccent_lower(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).map(fold).collect()
}

/// The unaccented form of a lower-case Latin letter (the letters of French
/// and its neighbours), or the character itself.
fn fold(c: char) -> String {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ř' | 'ŗ' => "r",
        'ś' | 'š' | 'ş' | 'ŝ' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ł' => "l",
        _ => return c.to_string(),
    };
    s.to_string()
}

/// Text fit for XML 1.0 and RDF literals: line ends become `\n` (an XML
/// parser turns `\r\n` and `\r` into `\n`, so RDF/XML would not round-trip
/// them), and characters XML cannot carry (other C0 controls than tab and
/// line feed; U+FFFE, U+FFFF) are dropped.
pub fn clean_text(text: &str) -> String {
    let dropped =
        |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    // Most texts have nothing to clean: one copy, not three.
    if !text.contains(|c: char| c == '\r' || dropped(c)) {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|&c| !dropped(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_iris() {
        assert_eq!(url_path("a b/été#1.csv"), "a%20b/%C3%A9t%C3%A9%231.csv");
        assert_eq!(normalize("https://x.fr/a b/été.csv"), "https://x.fr/a%20b/%C3%A9t%C3%A9.csv");
        assert_eq!(normalize("https://x.fr/a%20b%zz"), "https://x.fr/a%20b%25zz");
        assert_eq!(normalize("https://x.fr/a#b#c"), "https://x.fr/a#b%23c");
        assert_eq!(fragment("Ville d'Été"), "Ville%20d%27%C3%89t%C3%A9");
    }

    #[test]
    fn names() {
        assert_eq!(strict_name("Budget primitif 2024 – été #1"), "budget-primitif-2024-ete-1");
        assert_eq!(strict_name("日本語"), "");
        assert_eq!(strict_name("données.brutes"), "donnees.brutes");
        assert_eq!(unaccent_lower("L'Été Œuvre"), "l'ete oeuvre");
        assert_eq!(clean_text("a\u{0}b\tc\r\nd\re"), "ab\tc\nd\ne");
        assert_eq!(clean_text("a\u{1}b"), "ab");
        assert_eq!(clean_text("Côte-d'Or\tété\n"), "Côte-d'Or\tété\n");
        assert_eq!(clean_text("\u{fffe}"), "");
    }
}
