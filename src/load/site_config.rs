//! `site.yaml` → [`SiteConfig`].

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::fields::Ctx;
use crate::model::SiteConfig;
use crate::tr;
use crate::yaml::{Node, Value};

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
    "logo",
    "colors",
    "footer",
    "menu",
    "accessibility",
];

/// The error for a `language:` that is neither French, English nor a
/// language the site's theme has strings for.
pub fn unknown_language(code: &crate::model::Located<String>, theme: &str, lang: Lang) -> Diagnostic {
    Diagnostic::error(
        "unknown-language",
        tr!(lang, "langue « {} » non prise en charge", "unsupported language “{}”", code.value),
    )
    .file(FILE)
    .span(code.span)
    .hint(tr!(
        lang,
        "indiquez « fr » (français) ou « en » (anglais), ou traduisez le fichier i18n/en.yaml du thème dans « themes/{theme}/i18n/{}.yaml »",
        "write “fr” (French) or “en” (English), or translate the theme's i18n/en.yaml into “themes/{theme}/i18n/{}.yaml”",
        code.value
    ))
}

/// The values of `accessibility:`.
pub const ACCESSIBILITY: &[&str] = &["full", "partial", "none"];

/// The site's language, read before anything else so every later message
/// speaks it. Unknown values are reported by [`shape`].
pub fn language(node: &Node) -> Lang {
    // Other languages (see `interface_language`) get messages in English.
    node.get("language").and_then(|n| n.scalar_text()).map(|s| Lang::parse(&s).unwrap_or(Lang::En)).unwrap_or_default()
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
                    // Accepted when the theme has its strings (see `load`).
                    config.interface_language = Some(code);
                }
            }
            "publisher" => config.publisher = ctx.text(&name, value).map(|l| l.value),
            "siret" => config.siret = ctx.text(&name, value),
            "contact" => config.contact = ctx.contact(&name, value),
            "license" | "licence" => config.license = ctx.text(&name, value),
            "theme" => match ctx.text(&name, value) {
                // A folder name in `themes/`, never a path out of it.
                Some(t) if t.value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => {
                    config.theme = t.value
                }
                Some(t) => ctx.diags.push(
                    Diagnostic::error(
                        "invalid-theme-name",
                        tr!(
                            lang,
                            "« {} » n'est pas un nom de thème : le thème par défaut est utilisé",
                            "“{}” is not a theme name: the default theme is used",
                            t.value
                        ),
                    )
                    .file(FILE)
                    .span(t.span)
                    .hint(tr!(
                        lang,
                        "écrivez le nom d'un dossier de « themes/ » (lettres, chiffres, « - » et « _ »), pas un chemin",
                        "write the name of a folder of “themes/” (letters, digits, “-” and “_”), not a path"
                    )),
                ),
                None => {}
            },
            "featured" => config.featured = ctx.text_list(&name, value),
            "map_tiles" => config.map_tiles = map_tiles(&mut ctx, value),
            "logo" => config.logo = ctx.text(&name, value),
            "colors" | "colours" => {
                for (k, v) in ctx.mapping(&name, value).unwrap_or_default() {
                    match k.scalar_text().as_deref() {
                        Some("primary") => config.primary_color = ctx.text("primary", v),
                        _ => ctx.unknown_key(k, &["primary"]),
                    }
                }
            }
            "footer" => config.footer = ctx.text(&name, value).map(|l| l.value),
            "menu" => config.menu = menu(&mut ctx, value),
            "accessibility" => {
                config.accessibility = ctx.text(&name, value);
                if let Some(a) = &config.accessibility
                    && !ACCESSIBILITY.contains(&a.value.as_str())
                {
                    ctx.diags.push(
                        Diagnostic::error(
                            "bad-value",
                            tr!(
                                lang,
                                "« accessibility » vaut « {} », une valeur inconnue",
                                "“accessibility” is “{}”, an unknown value",
                                a.value
                            ),
                        )
                        .file(FILE)
                        .span(a.span)
                        .hint(tr!(
                            lang,
                            "écrivez « full » (totalement conforme au RGAA), « partial » (partiellement conforme) ou « none » (non conforme), selon votre audit",
                            "write “full” (fully compliant with the RGAA), “partial” (partially compliant) or “none” (not compliant), as your audit found"
                        )),
                    );
                    config.accessibility = None;
                }
            }
            _ => ctx.unknown_key(key, KEYS),
        }
    }
    config
}

/// `menu:` — page slugs, and `{title, url}` links to other sites.
fn menu(ctx: &mut Ctx, node: &Node) -> Vec<crate::model::MenuItem> {
    use crate::model::MenuItem;
    let lang = ctx.lang;
    let Value::Seq(items) = &node.value else {
        return ctx.text_list("menu", node).into_iter().map(MenuItem::Page).collect();
    };
    let mut menu = Vec::new();
    for item in items {
        if !matches!(item.value, Value::Map(_)) {
            menu.extend(ctx.text("menu", item).map(MenuItem::Page));
            continue;
        }
        let (mut title, mut url) = (None, None);
        for (k, v) in ctx.mapping("menu", item).unwrap_or_default() {
            match k.scalar_text().as_deref() {
                Some("title") => title = ctx.text("title", v),
                Some("url") => url = ctx.text("url", v),
                _ => ctx.unknown_key(k, &["title", "url"]),
            }
        }
        match (title, url) {
            (Some(title), Some(url)) if url.value.starts_with("https://") || url.value.starts_with("http://") => {
                menu.push(MenuItem::Link { title: title.value, url })
            }
            _ => ctx.error(
                "bad-menu-item",
                item,
                tr!(lang, "entrée de « menu » incomplète", "incomplete “menu” entry"),
                tr!(
                    lang,
                    "écrivez le slug d'une page (« a-propos ») ou un lien complet : « {{title: Site de la mairie, url: https://www.ma-commune.fr/}} »",
                    "write a page's slug (“about”) or a whole link: “{{title: Town hall, url: https://www.my-town.org/}}”"
                ),
            ),
        }
    }
    menu
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
