//! Diagnostics as data: every problem found in a site is a [`Diagnostic`]
//! collected into [`Diagnostics`]; nothing stops at the first one. The same
//! list renders for humans (with the source line underlined), as JSON and as
//! GitHub Actions workflow commands.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::lang::Lang;

/// How bad a finding is: errors stop the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, documented identifier such as `unknown-license`.
    pub code: &'static str,
    pub message: String,
    /// The file, relative to the site folder, with `/` separators.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub column: Option<usize>,
    pub hint: Option<String>,
    /// Length in characters of the underlined text (human output only).
    #[serde(skip)]
    pub len: Option<usize>,
    /// Never show the source line (it may hold personal data).
    #[serde(skip)]
    pub hide_source: bool,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            hint: None,
            len: None,
            hide_source: false,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// Sets the file (a path relative to the site folder).
    pub fn file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(crate::util::slash_path(file.as_ref()));
        self
    }

    /// Sets line and column (1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets line, column and the length of the text to underline.
    pub fn span(self, span: crate::yaml::Span) -> Self {
        let mut d = self.at(span.line, span.column);
        d.len = span.len;
        d
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The texts of the files kiosque read, so diagnostics can show their lines.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    texts: BTreeMap<String, Arc<str>>,
}

impl Sources {
    pub fn insert(&mut self, file: impl AsRef<Path>, text: impl Into<Arc<str>>) {
        self.texts.insert(crate::util::slash_path(file.as_ref()), text.into());
    }

    pub fn get(&self, file: &str) -> Option<&str> {
        self.texts.get(file).map(|t| &**t)
    }

    /// Every file's path and text, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(file, text)| (file.as_str(), &**text))
    }
}

impl IntoIterator for Sources {
    type Item = (String, Arc<str>);
    type IntoIter = std::collections::btree_map::IntoIter<String, Arc<str>>;
    fn into_iter(self) -> Self::IntoIter {
        self.texts.into_iter()
    }
}

/// A list of findings, kept in a stable order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Diagnostics {
    pub diagnostics: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(other);
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter()
    }

    /// Sorts by file, position, then code, and drops exact duplicates, so the
    /// report does not depend on the order stages ran in.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, b.code, &b.message))
        });
        self.diagnostics.dedup();
    }

    /// The JSON object of the contract:
    /// `{"diagnostics": [...], "errors": N, "warnings": N}`.
    pub fn to_json(&self) -> String {
        let value = serde_json::json!({
            "diagnostics": self.diagnostics,
            "errors": self.errors(),
            "warnings": self.warnings(),
        });
        serde_json::to_string_pretty(&value).expect("diagnostics serialise") + "\n"
    }

    /// GitHub Actions workflow commands, one a line. `prefix` is the site
    /// folder as given on the command line, so paths are relative to the
    /// repository root where the annotations are shown.
    pub fn to_github(&self, prefix: &Path) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = Vec::new();
            if let Some(file) = &d.file {
                let path = crate::util::slash_path(&prefix.join(file));
                let path = path.strip_prefix("./").unwrap_or(&path).to_string();
                props.push(format!("file={}", gh_escape_property(&path)));
            }
            if let Some(line) = d.line {
                props.push(format!("line={line}"));
            }
            if let Some(col) = d.column {
                props.push(format!("col={col}"));
            }
            props.push(format!("title={}", gh_escape_property(d.code)));
            let mut message = d.message.clone();
            if let Some(hint) = &d.hint {
                message.push('\n');
                message.push_str(hint);
            }
            let _ = writeln!(out, "::{kind} {}::{}", props.join(","), gh_escape_data(&message));
        }
        out
    }

    /// Human output: rustc-style blocks with the source line underlined,
    /// then a summary line. `locate` gives the file on disk of a path of a
    /// diagnostic (for the lines of data files); `styled` adds colours.
    pub fn to_human(&self, locate: &dyn Fn(&str) -> PathBuf, sources: &Sources, lang: Lang, styled: bool) -> String {
        let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
        let mut out = String::new();
        let mut index = LineIndex::default();
        // How many diagnostics of each kind each file had, and how many of
        // them were left out.
        let mut shown: BTreeMap<(Option<&str>, &str), (usize, usize)> = BTreeMap::new();
        for d in &self.diagnostics {
            let count = shown.entry((d.file.as_deref(), d.code)).or_default();
            if count.0 == SHOWN_PER_KIND {
                count.1 += 1;
                continue;
            }
            count.0 += 1;
            let level = match d.severity {
                Severity::Error => Level::ERROR.with_name(lang.pick("erreur", "error")),
                Severity::Warning => Level::WARNING.with_name(lang.pick("avertissement", "warning")),
            };
            let title = level.primary_title(d.message.as_str()).id(d.code);
            let line_text = match (&d.file, d.line) {
                (Some(file), Some(line)) if !d.hide_source => {
                    source_line(locate, sources, &mut index, file, line).map(|t| window(&t, d.column.unwrap_or(1)))
                }
                _ => None,
            };
            let mut groups: Vec<Group> = Vec::new();
            match (&d.file, d.line, line_text) {
                (Some(file), Some(line), Some((text, column))) => {
                    let span = underline(&text, column, d.len);
                    groups.push(
                        title.element(
                            Snippet::source(text)
                                .line_start(line)
                                .path(file.as_str())
                                .annotation(AnnotationKind::Primary.span(span)),
                        ),
                    );
                }
                (Some(file), line, _) => {
                    let mut origin = annotate_snippets::Origin::path(file.as_str());
                    if let Some(line) = line {
                        origin = origin.line(line);
                        if let Some(col) = d.column {
                            origin = origin.char_column(col);
                        }
                    }
                    groups.push(title.element(origin));
                }
                _ => groups.push(Group::with_title(title)),
            }
            if let Some(hint) = &d.hint {
                groups.push(Group::with_title(
                    Level::HELP.with_name(lang.pick("aide", "help")).secondary_title(hint.as_str()),
                ));
            }
            out.push_str(&renderer.render(&groups));
            out.push_str("\n\n");
        }
        for ((file, code), (_, left_out)) in shown {
            if left_out > 0 {
                let file = file.unwrap_or(lang.pick("le site", "the site"));
                let _ = writeln!(
                    out,
                    "{}\n",
                    crate::tr!(
                        lang,
                        "… et {left_out} autre(s) « {code} » dans {file}, non montré(s) ici : `--format json` les donne tous",
                        "… and {left_out} more “{code}” in {file}, not shown here: `--format json` gives them all"
                    )
                );
            }
        }
        out.push_str(&self.summary(lang));
        out.push('\n');
        out
    }

    /// `2 erreurs, 1 avertissement` / `2 errors, 1 warning`.
    pub fn summary(&self, lang: Lang) -> String {
        let (e, w) = (self.errors(), self.warnings());
        match lang {
            Lang::Fr => {
                format!("{e} erreur{}, {w} avertissement{}", if e > 1 { "s" } else { "" }, if w > 1 { "s" } else { "" })
            }
            Lang::En => {
                format!("{e} error{}, {w} warning{}", if e == 1 { "" } else { "s" }, if w == 1 { "" } else { "s" })
            }
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.diagnostics.into_iter()
    }
}

/// The lines of a text as the YAML, CSV and Markdown parsers count them,
/// without their ends: a line ends at `\n`, `\r\n` or a lone `\r` (files
/// saved by old Mac programs). Like [`str::lines`] otherwise.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = (!text.is_empty()).then_some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        let Some(end) = t.find(['\r', '\n']) else {
            rest = None;
            return Some(t);
        };
        let next = if t[end..].starts_with("\r\n") { end + 2 } else { end + 1 };
        rest = (next < t.len()).then(|| &t[next..]);
        Some(&t[..end])
    })
}

/// The 1-based line and column (in characters) of the byte `offset` of
/// `text`, lines counted as [`lines`] does.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    Positions::new(text).at(offset)
}

/// [`position`] for many offsets of one text, in increasing order: each
/// call reads on from the previous offset, so that locating every link of
/// a page costs one pass over it, not one pass per link. An offset before
/// the previous one starts again from the top.
pub struct Positions<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    /// Characters between the start of the line and `offset`.
    column: usize,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Positions<'a> {
        Positions { text, offset: 0, line: 1, column: 0 }
    }

    /// The 1-based line and column of byte `offset`, as [`position`] says.
    pub fn at(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.offset {
            *self = Positions::new(self.text);
        }
        let bytes = self.text.as_bytes();
        let mut start = self.offset;
        for i in self.offset..offset {
            let b = bytes[i];
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                self.line += 1;
                self.column = 0;
                start = i + 1;
            }
        }
        self.column += self.text[start..offset].chars().count();
        self.offset = offset;
        (self.line, self.column + 1)
    }
}

/// How many diagnostics of one kind in one file the human output shows:
/// the rest are counted in one line (150,000 broken links on one page
/// are one mistake, and showing each would print gigabytes).
const SHOWN_PER_KIND: usize = 20;

/// How many characters of a source line the human output shows.
const SHOWN_CHARS: usize = 300;

/// Where each line of the kept sources starts, found once per file, so that
/// showing many diagnostics of one file does not read it from the top for
/// each.
#[derive(Default)]
struct LineIndex {
    starts: std::collections::HashMap<String, Vec<usize>>,
}

impl LineIndex {
    /// Line `line` (1-based) of `text`, the text of `file`, as [`lines`]
    /// counts them.
    fn line<'t>(&mut self, file: &str, text: &'t str, line: usize) -> Option<&'t str> {
        if !self.starts.contains_key(file) {
            self.starts.insert(file.to_string(), line_starts(text));
        }
        let start = *self.starts[file].get(line.checked_sub(1)?)?;
        if start >= text.len() {
            return None;
        }
        let end = memchr::memchr2(b'\r', b'\n', &text.as_bytes()[start..]).map_or(text.len(), |k| start + k);
        Some(&text[start..end])
    }
}

/// The byte offset where each line of `text` starts, as [`lines`] counts them.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut from = 0;
    while let Some(k) = memchr::memchr2(b'\r', b'\n', &bytes[from..]) {
        let at = from + k;
        from = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
        starts.push(from);
    }
    starts
}

/// At most [`SHOWN_CHARS`] characters of a long line, around the 1-based
/// `column` shown, with an ellipsis where the line is cut; and the column
/// in what is kept.
fn window(text: &str, column: usize) -> (String, usize) {
    let first = column.saturating_sub(SHOWN_CHARS / 3 + 1);
    let mut chars = text.chars().skip(first);
    let mut kept: String = if first > 0 { "…".into() } else { String::new() };
    kept.extend(chars.by_ref().take(SHOWN_CHARS));
    if chars.next().is_some() {
        kept.push('…');
    }
    (kept, column - first + usize::from(first > 0))
}

/// The text of one line of a file: from the sources kiosque kept, else read
/// from disk (for data files, streamed up to that line).
fn source_line(
    locate: &dyn Fn(&str) -> PathBuf,
    sources: &Sources,
    index: &mut LineIndex,
    file: &str,
    line: usize,
) -> Option<String> {
    let text = match sources.get(file) {
        Some(text) => index.line(file, text, line).map(str::to_string),
        None => {
            let f = std::fs::File::open(locate(file)).ok()?;
            let mut reader = BufReader::new(f).take(64 << 20);
            let mut buf = Vec::new();
            let mut n = 0;
            loop {
                buf.clear();
                if reader.read_until(b'\n', &mut buf).ok()? == 0 {
                    return None;
                }
                n += 1;
                if n == line {
                    break Some(String::from_utf8_lossy(&buf).into_owned());
                }
            }
        }
    }?;
    Some(text.trim_end_matches(['\r', '\n']).to_string())
}

/// The byte range to underline in `text`, from a 1-based character column.
fn underline(text: &str, column: usize, len: Option<usize>) -> std::ops::Range<usize> {
    let start = text.char_indices().nth(column.saturating_sub(1)).map(|(i, _)| i).unwrap_or(text.len());
    let rest = &text[start..];
    let end = match len {
        Some(0) => return start..start,
        Some(n) => rest.char_indices().nth(n).map(|(i, _)| start + i).unwrap_or(text.len()),
        None => start + rest.trim_end().len(),
    };
    if end <= start {
        // Point at the end of the line (e.g. a missing value).
        return start..start;
    }
    start..end
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_escape_property(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostics {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error("unknown-license", "licence « etalab2 » inconnue")
                .file("datasets/budget/dataset.yaml")
                .at(3, 10)
                .hint("vouliez-vous dire « etalab-2.0 » ?"),
        );
        d.push(Diagnostic::warning("unknown-key", "clé « titel » inconnue").file("site.yaml").at(1, 1));
        d
    }

    #[test]
    fn json_has_contract_shape() {
        let v: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 1);
        let first = &v["diagnostics"][0];
        for key in ["severity", "code", "message", "file", "line", "column", "hint"] {
            assert!(first.get(key).is_some(), "missing {key}");
        }
        assert_eq!(first["severity"], "error");
        assert!(first.get("len").is_none());
    }

    #[test]
    fn github_escapes() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("x", "a,b\n100%").file("a:b.yaml").at(2, 3).hint("h"));
        let out = d.to_github(Path::new("site"));
        assert_eq!(out, "::error file=site/a%3Ab.yaml,line=2,col=3,title=x::a,b%0A100%25%0Ah\n");
    }

    #[test]
    fn human_shows_the_line_underlined() {
        let mut sources = Sources::default();
        sources.insert("datasets/budget/dataset.yaml", "title: Budget\ndescription: x\nlicense: etalab2\n");
        let out = sample().to_human(&|f| Path::new("/nonexistent").join(f), &sources, Lang::Fr, false);
        assert!(out.contains("erreur[unknown-license]"), "{out}");
        assert!(out.contains("datasets/budget/dataset.yaml:3:10"), "{out}");
        assert!(out.contains("license: etalab2"), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
        assert!(out.contains("aide: vouliez-vous dire"), "{out}");
        assert!(out.ends_with("1 erreur, 1 avertissement\n"), "{out}");
    }

    #[test]
    fn lines_end_like_the_parsers_say() {
        for (text, expected) in [
            ("", vec![]),
            ("a", vec!["a"]),
            ("a\n", vec!["a"]),
            ("\n", vec![""]),
            ("a\r\nb\rc\n\nd", vec!["a", "b", "c", "", "d"]),
            ("a\r", vec!["a"]),
            ("a\r\r\n", vec!["a", ""]),
        ] {
            assert_eq!(lines(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
        let text = "un\rdeux\r\ntrois é\nx";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, 3), (2, 1));
        assert_eq!(position(text, text.rfind('x').unwrap()), (4, 1));
        assert_eq!(position(text, text.find('é').unwrap() + 2), (3, 8));
    }

    #[test]
    fn positions_read_on_and_agree_with_position() {
        let text = "un\rdeux\r\ntrois é\nx\r\n\ry";
        let offsets: Vec<usize> = (0..=text.len()).filter(|&o| text.is_char_boundary(o)).collect();
        let mut positions = Positions::new(text);
        for &o in &offsets {
            assert_eq!(positions.at(o), position_by_scan(text, o), "at {o}");
        }
        // Backwards starts again from the top.
        assert_eq!(positions.at(0), (1, 1));
        assert_eq!(positions.at(3), (2, 1));
    }

    /// [`position`] as it was before [`Positions`]: one scan per offset.
    fn position_by_scan(text: &str, offset: usize) -> (usize, usize) {
        let bytes = text.as_bytes();
        let (mut line, mut start) = (1, 0);
        for (i, &b) in bytes[..offset].iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line += 1;
                start = i + 1;
            }
        }
        (line, text[start..offset].chars().count() + 1)
    }

    #[test]
    fn human_shows_the_line_of_a_file_with_old_mac_line_ends() {
        // YAML counts a lone \r as a line end: line 3 is the licence (found
        // by the sidecar fuzz target, which saw positions past the "end").
        let mut sources = Sources::default();
        sources.insert("datasets/budget/dataset.yaml", "title: Budget\rdescription: x\rlicense: etalab2\r");
        let out = sample().to_human(&|f| Path::new("/nonexistent").join(f), &sources, Lang::Fr, false);
        assert!(out.contains("license: etalab2"), "{out}");
    }

    #[test]
    fn the_line_index_counts_lines_as_lines_does() {
        for text in ["", "a", "a\n", "a\r\nb", "a\rb\r\n\nc\r", "\n\n", "é\rà\n"] {
            let mut index = LineIndex::default();
            for n in 1..6 {
                assert_eq!(index.line("f", text, n), lines(text).nth(n - 1), "{text:?} line {n}");
            }
        }
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        assert_eq!(window("court", 3), ("court".to_string(), 3));
        let long: String = (0..1000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let (kept, column) = window(&long, 500);
        assert_eq!(kept.chars().count(), SHOWN_CHARS + 2);
        assert!(kept.starts_with('…') && kept.ends_with('…'));
        assert_eq!(kept.chars().nth(column - 1), long.chars().nth(499));
        let (kept, column) = window(&long, 10);
        assert_eq!((kept.chars().nth(column - 1), kept.starts_with('…')), (long.chars().nth(9), false));
    }

    #[test]
    fn many_diagnostics_of_one_kind_are_counted_not_shown() {
        let text: String = "[x](y) ".repeat(1000);
        let mut sources = Sources::default();
        sources.insert("pages/p.md", text.as_str());
        let mut d = Diagnostics::default();
        for i in 0..1000 {
            d.push(Diagnostic::warning("broken-link", "lien cassé").file("pages/p.md").at(1, i * 7 + 1));
        }
        d.push(Diagnostic::warning("unknown-key", "clé inconnue").file("pages/p.md").at(1, 1));
        let out = d.to_human(&|f| Path::new("/nonexistent").join(f), &sources, Lang::Fr, false);
        assert_eq!(out.matches("lien cassé").count(), SHOWN_PER_KIND, "{out}");
        assert_eq!(out.matches("clé inconnue").count(), 1);
        assert!(out.contains("… et 980 autre(s) « broken-link » dans pages/p.md"), "{out}");
        assert!(out.ends_with("0 erreur, 1001 avertissements\n"), "{out}");
    }

    #[test]
    fn underline_ranges() {
        assert_eq!(underline("license: etalab2  ", 10, None), 9..16);
        assert_eq!(underline("titre: é", 8, Some(1)), 7..9);
        assert_eq!(underline("a", 5, None), 1..1);
    }
}
