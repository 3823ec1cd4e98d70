//! `site.yaml` → [`SiteConfig`].

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::fields::Ctx;
use crate::model::SiteConfig;
use crate::tr;
use crate::yaml::Node;

pub const FILE: &str = "site.yaml";

pub const KEYS: &[&str] =
    &["title", "description", "base_url", "language", "publisher", "contact", "license", "theme", "featured"];

/// The site's language, read before anything else so every later message
/// speaks it. Unknown values are reported by [`shape`].
pub fn language(node: &Node) -> Lang {
    node.get("language").and_then(|n| n.scalar_text()).and_then(|s| Lang::parse(&s)).unwrap_or_default()
}

/// Shapes the parsed `site.yaml`.
pub fn shape(node: &Node, lang: Lang, diags: &mut Diagnostics) -> SiteConfig {
    let mut config = SiteConfig { language: lang, theme: "default".into(), ..Default::default() };
    let mut ctx = Ctx { file: FILE, lang, diags };
    let Some(entries) = ctx.mapping("site.yaml", node) else {
        return config;
    };
    for (key, value) in entries {
        let name = key.scalar_text().unwrap_or_default();
        match name.as_str() {
            "title" => config.title = ctx.text(&name, value),
            "description" => config.description = ctx.text(&name, value).map(|l| l.value),
            "base_url" => config.base_url = ctx.text(&name, value),
            "language" => {
                if let Some(code) = ctx.text(&name, value)
                    && Lang::parse(&code.value).is_none()
                {
                    ctx.diags.push(
                        Diagnostic::error(
                            "unknown-language",
                            tr!(lang, "langue « {} » non prise en charge", "unsupported language “{}”", code.value),
                        )
                        .file(FILE)
                        .span(code.span)
                        .hint(tr!(
                            lang,
                            "indiquez « fr » (français) ou « en » (anglais)",
                            "write “fr” (French) or “en” (English)"
                        )),
                    );
                }
            }
            "publisher" => config.publisher = ctx.text(&name, value).map(|l| l.value),
            "siret" => config.siret = ctx.text(&name, value),
            "contact" => config.contact = ctx.contact(&name, value),
            "license" | "licence" => config.license = ctx.text(&name, value),
            "theme" => {
                if let Some(t) = ctx.text(&name, value) {
                    config.theme = t.value;
                }
            }
            "featured" => config.featured = ctx.text_list(&name, value),
            _ => ctx.unknown_key(key, KEYS),
        }
    }
    config
}
