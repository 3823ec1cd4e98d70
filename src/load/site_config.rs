//! `site.yaml` → [`SiteConfig`].

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::fields::Ctx;
use crate::model::SiteConfig;
use crate::tr;
use crate::yaml::Node;

pub const FILE: &str = "site.yaml";

pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "publisher",
    "contact",
    "license",
    "theme",
    "featured",
    "map_tiles",
];

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
            "map_tiles" => config.map_tiles = map_tiles(&mut ctx, value),
            _ => ctx.unknown_key(key, KEYS),
        }
    }
    config
}

/// `map_tiles:` — a tile URL template (`https://…/{z}/{x}/{y}.png`) and the
/// attribution its provider requires.
fn map_tiles(ctx: &mut Ctx, node: &Node) -> Option<crate::model::MapTiles> {
    let lang = ctx.lang;
    let entries = ctx.mapping("map_tiles", node)?;
    let (mut url, mut attribution) = (None, None);
    for (k, v) in entries {
        match k.scalar_text().as_deref() {
            Some("url") => url = ctx.text("url", v),
            Some("attribution") => attribution = ctx.text("attribution", v).map(|l| l.value),
            _ => ctx.unknown_key(k, &["url", "attribution"]),
        }
    }
    let Some(url) = url else {
        ctx.error(
            "missing-field",
            node,
            tr!(lang, "« map_tiles » n'a pas d'« url »", "“map_tiles” has no “url”"),
            tr!(
                lang,
                "ajoutez l'adresse des tuiles, par exemple « url: https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png »",
                "add the tiles' address, for instance “url: https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png”"
            ),
        );
        return None;
    };
    let v = &url.value;
    if !v.starts_with("https://") || !["{z}", "{x}", "{y}"].iter().all(|p| v.contains(p)) {
        ctx.diags.push(
            Diagnostic::error(
                "bad-url",
                tr!(lang, "adresse de tuiles invalide : « {v} »", "invalid tile address: “{v}”"),
            )
            .file(FILE)
            .span(url.span)
            .hint(tr!(
                lang,
                "une adresse https avec {{z}}, {{x}} et {{y}}, par exemple https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png",
                "an https address with {{z}}, {{x}} and {{y}}, for instance https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
            )),
        );
        return None;
    }
    if attribution.is_none() {
        ctx.diags.push(
            Diagnostic::warning(
                "missing-attribution",
                tr!(lang, "« map_tiles » sans « attribution »", "“map_tiles” without “attribution”"),
            )
            .file(FILE)
            .span(url.span)
            .hint(tr!(
                lang,
                "les fournisseurs de tuiles exigent une mention, par exemple « attribution: © les contributeurs d'OpenStreetMap »",
                "tile providers require a credit, for instance “attribution: © OpenStreetMap contributors”"
            )),
        );
    }
    Some(crate::model::MapTiles { url, attribution })
}
