//! A Markdown page with YAML front matter → [`Page`].

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::fields::Ctx;
use crate::model::Page;
use crate::tr;
use crate::yaml;

pub const KEYS: &[&str] = &["title", "description", "slug", "order"];

/// Splits `---\nfront matter\n---\nbody`: returns the front matter, the
/// line number of its first line, and the body.
pub fn split_front_matter(text: &str) -> Option<(&str, usize, &str)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((&rest[..offset], 2, &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Shapes a page file. `slug` comes from the file name unless the front
/// matter sets one. A page whose front matter is not valid YAML is
/// reported and left out.
pub fn load(file: &str, slug: String, text: &str, lang: Lang, diags: &mut Diagnostics) -> Option<Page> {
    let mut page = Page {
        slug,
        file: file.to_string(),
        title: None,
        description: None,
        order: None,
        body: String::new(),
        body_line: 1,
    };
    let Some((front, first_line, body)) = split_front_matter(text) else {
        diags.push(
            Diagnostic::error(
                "page-missing-front-matter",
                tr!(
                    lang,
                    "la page n'a pas d'en-tête (« front matter ») avec son titre",
                    "the page has no front matter with its title"
                ),
            )
            .file(file)
            .at(1, 1)
            .hint(tr!(
                lang,
                "commencez le fichier par trois lignes : « --- », « title: Titre de la page », « --- »",
                "start the file with three lines: “---”, “title: Page title”, “---”"
            )),
        );
        page.body = text.to_string();
        return Some(page);
    };
    page.body = body.to_string();
    page.body_line = crate::diag::position(text, text.len() - body.len()).0;
    let mut node = match yaml::parse(front) {
        Ok(node) => node,
        Err(e) => {
            crate::load::report_yaml_error(file, &e, first_line - 1, lang, diags);
            return None;
        }
    };
    node.shift_lines(first_line - 1);
    let mut ctx = Ctx { file, lang, diags };
    let entries = if node.is_null() { Some(&[][..]) } else { ctx.mapping("front matter", &node) };
    for (key, value) in entries.unwrap_or_default() {
        let name = key.scalar_text().unwrap_or_default();
        match name.as_str() {
            "title" => page.title = ctx.text(&name, value),
            "description" => page.description = ctx.text(&name, value).map(|l| l.value),
            "slug" => {
                if let Some(s) = ctx.text(&name, value) {
                    page.slug = s.value;
                }
            }
            "order" => page.order = ctx.integer(&name, value),
            _ => ctx.unknown_key(key, KEYS),
        }
    }
    Some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let (fm, line, body) = split_front_matter("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!((fm, line, body), ("title: A\n", 2, "# Body\n"));
        assert!(split_front_matter("# No front matter\n").is_none());
        assert!(split_front_matter("---\ntitle: unclosed\n").is_none());
    }

    #[test]
    fn positions_count_from_the_top_of_the_file() {
        let mut diags = Diagnostics::default();
        let page = load("pages/a.md", "a".into(), "---\ntitle: A\ntitel: B\n---\nbody", Lang::En, &mut diags).unwrap();
        assert_eq!(page.title.unwrap().span.line, 2);
        assert_eq!(diags.diagnostics[0].line, Some(3));
        let mut diags = Diagnostics::default();
        assert!(load("pages/b.md", "b".into(), "---\ntitle: A\n  x: [\n---\n", Lang::En, &mut diags).is_none());
        assert_eq!(diags.diagnostics[0].code, "yaml-syntax");
        assert_eq!(diags.diagnostics[0].line, Some(3));
    }
}
