//! Stage `validate`: semantic checks on the loaded model. Every problem is
//! collected; nothing stops at the first. Reads the model only.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::{Contact, Dataset, Located, Site};
use crate::tr;
use crate::vocab;

/// Output folders a page slug may not take.
pub const RESERVED_SLUGS: &[&str] = &["datasets", "assets", "themes", "keywords"];

/// Names kiosque generates in each dataset's output folder.
pub const RESERVED_FILE_NAMES: &[&str] = &["index.html", "dataset.json", "datapackage.json"];

/// Checks the whole site. `today` decides which datasets are late.
pub fn validate(site: &Site, today: jiff::civil::Date) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let lang = site.lang();
    check_site(site, lang, &mut diags);
    for ds in &site.datasets {
        check_dataset(site, ds, lang, &mut diags);
        check_freshness(ds, today, lang, &mut diags);
    }
    check_duplicate_slugs(site, lang, &mut diags);
    check_pages(site, lang, &mut diags);
    diags
}

fn missing(file: &str, lang: Lang, key: &str, hint: String) -> Diagnostic {
    Diagnostic::error("missing-field", tr!(lang, "le champ « {key} » est obligatoire", "the field “{key}” is required"))
        .file(file)
        .span(crate::yaml::Span { line: 1, column: 1, len: Some(0) })
        .hint(hint)
}

fn check_site(site: &Site, lang: Lang, diags: &mut Diagnostics) {
    let c = &site.config;
    let file = crate::load::site_config::FILE;
    if !std::fs::symlink_metadata(site.root.join(file)).is_ok_and(|m| m.is_file()) {
        return; // missing or a link: already reported by the loader
    }
    if site.unreadable.site_config {
        return; // a syntax error, reported: its settings are unknown, not missing
    }
    if c.title.is_none() {
        diags.push(missing(
            file,
            lang,
            "title",
            tr!(
                lang,
                "ajoutez « title: Données ouvertes de <votre commune> »",
                "add “title: Open data of <your town>”"
            ),
        ));
    }
    match &c.base_url {
        None => diags.push(
            Diagnostic::warning("missing-base-url", tr!(lang, "« base_url » n'est pas indiqué", "“base_url” is not set"))
                .file(file)
                .hint(tr!(
                    lang,
                    "indiquez l'adresse publique du site (ex. « base_url: https://data.ma-commune.fr/ ») : le plan du site, le flux et le catalogue DCAT en ont besoin",
                    "set the site's public address (e.g. “base_url: https://data.my-town.org/”): the sitemap, the feed and the DCAT catalogue need it"
                )),
        ),
        Some(url) if !crate::util::is_http_url(&url.value) => diags.push(
            Diagnostic::error("bad-url", tr!(lang, "« base_url » doit être une adresse web complète", "“base_url” must be a full web address"))
                .file(file)
                .span(url.span)
                .hint(tr!(lang, "par exemple « https://data.ma-commune.fr/ »", "for example “https://data.my-town.org/”")),
        ),
        _ => {}
    }
    if let Some(l) = &c.license {
        check_license(file, l, lang, diags);
    }
    match &c.siret {
        Some(siret) if !(siret.value.len() == 14 && siret.value.bytes().all(|b| b.is_ascii_digit())) => diags.push(
            Diagnostic::error("invalid-siret", tr!(lang, "SIRET « {} » invalide", "invalid SIRET “{}”", siret.value))
                .file(file)
                .span(siret.span)
                .hint(tr!(lang, "le SIRET a 14 chiffres, sans espaces, entre guillemets : « siret: \"21990123400017\" »", "a SIRET has 14 digits, no spaces, quoted: “siret: \"21990123400017\"”")),
        ),
        None => diags.push(
            Diagnostic::warning("missing-siret", tr!(lang, "« siret » n'est pas indiqué", "“siret” is not set"))
                .file(file)
                .hint(tr!(
                    lang,
                    "indiquez le SIRET de la collectivité (14 chiffres, sur annuaire-entreprises.data.gouv.fr) : le catalogue catalog.csv destiné au portail national en a besoin",
                    "give the SIRET of the public body (14 digits): the catalog.csv catalogue meant for the national portal needs it"
                )),
        ),
        _ => {}
    }
    check_contact(file, c.contact.as_ref(), lang, diags);
    check_placeholders(file, c, lang, diags);
    check_appearance(site, lang, diags);
    for f in &c.featured {
        // A dataset whose sidecar could not be read exists: its error says so.
        let unreadable = site.unreadable.datasets.contains(&f.value);
        if !unreadable && !site.datasets.iter().any(|d| d.slug == f.value) {
            let message = tr!(
                lang,
                "« featured » cite un jeu de données « {} » qui n'existe pas",
                "“featured” names a dataset “{}” that does not exist",
                f.value
            );
            let otherwise = tr!(
                lang,
                "indiquez l'identifiant (slug) d'un jeu de données : le nom de son dossier",
                "give a dataset's slug: its folder name"
            );
            let slugs = site.datasets.iter().map(|d| d.slug.as_str());
            diags.push(unknown_name("unknown-featured", message, f, slugs, otherwise, lang));
        }
    }
}

/// An error for a name in `site.yaml` that names nothing: the nearest
/// existing name as a hint, else `otherwise`.
fn unknown_name<'a>(
    code: &'static str,
    message: String,
    name: &Located<String>,
    names: impl IntoIterator<Item = &'a str>,
    otherwise: String,
    lang: Lang,
) -> Diagnostic {
    let hint = match crate::util::nearest(&name.value, names) {
        Some(n) => tr!(lang, "vouliez-vous dire « {n} » ?", "did you mean “{n}”?"),
        None => otherwise,
    };
    Diagnostic::error(code, message).file(crate::load::site_config::FILE).span(name.span).hint(hint)
}

/// Whether the logo `site.yaml` names is a link in `static/` (left out of
/// the static files, as every link).
fn logo_is_a_link(site: &Site) -> bool {
    let Some(logo) = site.config.logo_file() else { return false };
    !logo.split(['/', '\\']).any(|p| p == "..")
        && std::fs::symlink_metadata(site.disk_path(&format!("static/{logo}")))
            .is_ok_and(|m| m.file_type().is_symlink())
}

/// `logo`, `colors` and `menu` of `site.yaml`: the logo is a file of
/// `static/`, the colour is readable on white, the menu names pages.
fn check_appearance(site: &Site, lang: Lang, diags: &mut Diagnostics) {
    let c = &site.config;
    let file = crate::load::site_config::FILE;
    if let Some(logo) = &c.logo
        && !site.static_files.iter().any(|f| Some(f.as_str()) == c.logo_file())
    {
        diags.push(
            Diagnostic::error(
                "missing-logo",
                tr!(lang, "le logo « {} » est introuvable", "the logo “{}” cannot be found", logo.value),
            )
            .file(file)
            .span(logo.span)
            .hint(if logo_is_a_link(site) {
                tr!(
                    lang,
                    "« static/{} » est un lien symbolique, que kiosque ne suit pas : remplacez-le par une copie de l'image",
                    "“static/{}” is a symbolic link, which kiosque does not follow: replace it with a copy of the image",
                    c.logo_file().unwrap_or_default()
                )
            } else {
                tr!(
                    lang,
                    "placez l'image dans le dossier « static/ » du site et écrivez son nom, par exemple « logo: logo.svg »",
                    "put the image in the site's “static/” folder and write its name, for instance “logo: logo.svg”"
                )
            }),
        );
    }
    if let Some(color) = &c.primary_color {
        use crate::color::{AA_TEXT, Rgb, WHITE};
        match Rgb::parse(&color.value) {
            None => diags.push(
                Diagnostic::error(
                    "bad-color",
                    tr!(lang, "couleur invalide : « {} »", "invalid colour: “{}”", color.value),
                )
                .file(file)
                .span(color.span)
                .hint(tr!(
                    lang,
                    "écrivez la couleur en hexadécimal, entre guillemets : « primary: \"#1d4e89\" »",
                    "write the colour in hexadecimal, in quotes: “primary: \"#1d4e89\"”"
                )),
            ),
            Some(rgb) if rgb.contrast(WHITE) < AA_TEXT => {
                let fixed = rgb.darkened_to(WHITE, AA_TEXT);
                let ratio = |r: f64| lang.format_plain_number(&format!("{:.1}", (r * 10.0).floor() / 10.0));
                diags.push(
                    Diagnostic::warning(
                        "low-contrast",
                        tr!(
                            lang,
                            "la couleur « {} » est trop claire sur fond blanc (contraste {}:1, il faut au moins 4,5:1) : les liens et boutons seront difficiles à lire",
                            "the colour “{}” is too light on white (contrast {}:1, at least 4.5:1 is needed): links and buttons will be hard to read",
                            color.value,
                            ratio(rgb.contrast(WHITE))
                        ),
                    )
                    .file(file)
                    .span(color.span)
                    .hint(tr!(
                        lang,
                        "choisissez une couleur plus foncée, par exemple « {} » (contraste {}:1), pour respecter le RGAA",
                        "choose a darker colour, for instance “{}” (contrast {}:1), to meet WCAG 2.1 AA",
                        fixed.hex(),
                        ratio(fixed.contrast(WHITE))
                    )),
                );
            }
            Some(_) => {}
        }
    }
    for item in &c.menu {
        let crate::model::MenuItem::Page(slug) = item else { continue };
        if !site.pages.iter().any(|p| p.slug == slug.value) {
            let message = tr!(
                lang,
                "« menu » cite une page « {} » qui n'existe pas",
                "“menu” names a page “{}” that does not exist",
                slug.value
            );
            let otherwise = tr!(
                lang,
                "indiquez le nom d'un fichier de « pages/ », sans « .md »",
                "give the name of a file of “pages/”, without “.md”"
            );
            let slugs = site.pages.iter().map(|p| p.slug.as_str());
            diags.push(unknown_name("unknown-menu-page", message, slug, slugs, otherwise, lang));
        }
    }
}

fn check_license(file: &str, l: &Located<String>, lang: Lang, diags: &mut Diagnostics) {
    if vocab::license(&l.value).is_some() {
        return;
    }
    let hint = match vocab::suggest_license(&l.value) {
        Some(s) => tr!(lang, "vouliez-vous dire « {} » ({}) ?", "did you mean “{}” ({})?", s.id, s.name(lang)),
        None => tr!(
            lang,
            "licences reconnues : {}",
            "known licences: {}",
            vocab::LICENSES.iter().map(|l| l.id).collect::<Vec<_>>().join(", ")
        ),
    };
    diags.push(
        Diagnostic::error("unknown-license", tr!(lang, "licence « {} » inconnue", "unknown licence “{}”", l.value))
            .file(file)
            .span(l.span)
            .hint(hint),
    );
}

/// The SIRET `kiosque new` writes, for the referent to replace.
const NEW_SITE_SIRET: &str = "21990000000000";
/// The domain of the addresses `kiosque new` writes (`base_url`, contact).
const NEW_SITE_DOMAIN: &str = "ma-commune.fr";

/// A warning for each value of `kiosque new`'s site.yaml still there: the
/// site builds with them, but it would publish the example's SIRET in the
/// national catalogue and link to a commune that does not exist.
fn check_placeholders(file: &str, c: &crate::model::SiteConfig, lang: Lang, diags: &mut Diagnostics) {
    let in_domain = |text: &str| {
        let host = text.split("://").nth(1).unwrap_or(text).split(['/', ':']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or(host).to_ascii_lowercase();
        host == NEW_SITE_DOMAIN || host.ends_with(&format!(".{NEW_SITE_DOMAIN}"))
    };
    let email = c.contact.as_ref().and_then(|k| k.email.as_ref());
    let found = [
        ("siret", c.siret.as_ref().filter(|s| s.value == NEW_SITE_SIRET)),
        ("base_url", c.base_url.as_ref().filter(|u| in_domain(&u.value))),
        ("contact.email", email.filter(|e| in_domain(&e.value))),
    ];
    for (key, value) in found.into_iter().filter_map(|(k, v)| Some((k, v?))) {
        diags.push(
            Diagnostic::warning(
                "placeholder",
                tr!(
                    lang,
                    "« {key} » a encore la valeur d'exemple écrite par « kiosque new » ({})",
                    "“{key}” still has the example value “kiosque new” wrote ({})",
                    value.value
                ),
            )
            .file(file)
            .span(value.span)
            .hint(tr!(
                lang,
                "remplacez-la par celle de votre collectivité (le SIRET sur annuaire-entreprises.data.gouv.fr, l'adresse publique du site, la messagerie du service)",
                "replace it with your body's own (its SIRET on annuaire-entreprises.data.gouv.fr, the site's public address, the service's e-mail)"
            )),
        );
    }
}

fn check_contact(file: &str, contact: Option<&Contact>, lang: Lang, diags: &mut Diagnostics) {
    let Some(email) = contact.and_then(|c| c.email.as_ref()) else { return };
    let ok = email.value.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !email.value.contains(char::is_whitespace)
    });
    if !ok {
        diags.push(
            Diagnostic::error(
                "bad-email",
                tr!(lang, "adresse électronique « {} » invalide", "invalid e-mail address “{}”", email.value),
            )
            .file(file)
            .span(email.span)
            .hint(tr!(
                lang,
                "par exemple « opendata@ma-commune.fr »",
                "for example “opendata@my-town.org”"
            )),
        );
    }
}

/// Checks an ISO 8601 date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a full
/// date and time. Returns a hint when it is not one.
pub fn check_date(text: &str, lang: Lang) -> Result<(), String> {
    let t = text.trim();
    let ok = match t.len() {
        4 => t.bytes().all(|b| b.is_ascii_digit()),
        7 => format!("{t}-01").parse::<jiff::civil::Date>().is_ok(),
        10 => t.parse::<jiff::civil::Date>().is_ok(),
        _ => t.parse::<jiff::Timestamp>().is_ok() || t.parse::<jiff::civil::DateTime>().is_ok(),
    };
    if ok {
        return Ok(());
    }
    // A French date (23/11/2026) is the most common slip: show it converted.
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    if parts.len() == 3 && parts[2].len() == 4 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        let iso = format!("{}-{:0>2}-{:0>2}", parts[2], parts[1], parts[0]);
        if iso.parse::<jiff::civil::Date>().is_ok() {
            return Err(tr!(
                lang,
                "écrivez la date au format AAAA-MM-JJ : « {iso} »",
                "write the date as YYYY-MM-DD: “{iso}”"
            ));
        }
    }
    Err(tr!(
        lang,
        "écrivez une date réelle au format AAAA-MM-JJ, par exemple « 2026-03-31 »",
        "write a real date as YYYY-MM-DD, for example “2026-03-31”"
    ))
}

fn check_date_field(file: &str, key: &str, value: Option<&Located<String>>, lang: Lang, diags: &mut Diagnostics) {
    let Some(v) = value else { return };
    if let Err(hint) = check_date(&v.value, lang) {
        diags.push(
            Diagnostic::error(
                "invalid-date",
                tr!(lang, "« {key} » : « {} » n'est pas une date valide", "“{key}”: “{}” is not a valid date", v.value),
            )
            .file(file)
            .span(v.span)
            .hint(hint),
        );
    }
}

/// A data file with several names on disk (a hard link, as `cp -al` or
/// `ln` make them) may be the same file as one outside the site: unlike a
/// symbolic link, nothing tells where its other names are, so it is said.
fn check_hard_links(site: &Site, ds: &Dataset, lang: Lang, diags: &mut Diagnostics) {
    #[cfg(unix)]
    for path in ds.resources.iter().filter_map(|r| r.local_path()) {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::symlink_metadata(site.disk_path(path)) else { continue };
        if meta.is_file() && meta.nlink() > 1 {
            diags.push(
                Diagnostic::warning(
                    "hard-link",
                    tr!(
                        lang,
                        "le fichier « {path} » a {} noms sur le disque (lien physique) : il est publié, mais rien ne dit si les autres sont dans le site",
                        "the file “{path}” has {} names on disk (a hard link): it is published, but nothing tells whether the others are in the site",
                        meta.nlink()
                    ),
                )
                .file(path)
                .hint(tr!(
                    lang,
                    "si ce fichier ne doit pas être publié, retirez-le ; sinon, remplacez le lien par une copie (cp sans -l)",
                    "if this file is not to be published, remove it; otherwise replace the link with a copy (cp without -l)"
                )),
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (site, ds, lang, diags);
}

fn check_dataset(site: &Site, ds: &Dataset, lang: Lang, diags: &mut Diagnostics) {
    check_hard_links(site, ds, lang, diags);
    let file = ds.sidecar.as_str();
    if ds.title.is_none() {
        diags.push(missing(
            file,
            lang,
            "title",
            tr!(
                lang,
                "ajoutez « title: » suivi d'un titre court et parlant",
                "add “title:” followed by a short, telling title"
            ),
        ));
    }
    if ds.description.is_none() {
        diags.push(missing(
            file,
            lang,
            "description",
            tr!(
                lang,
                "ajoutez « description: » : ce que contiennent les données, qui les produit, à quelle fréquence",
                "add “description:”: what the data holds, who produces it, how often"
            ),
        ));
    }
    match &ds.license {
        Some(l) => check_license(file, l, lang, diags),
        // Without a readable site.yaml its default licence is unknown.
        None if site.config.license.is_none() && !site.unreadable.site_config => diags.push(
            Diagnostic::error("missing-license", tr!(lang, "aucune licence : ni la fiche ni site.yaml n'en indiquent", "no licence: neither the sidecar nor site.yaml gives one"))
                .file(file)
                .at(1, 1)
                .hint(tr!(
                    lang,
                    "ajoutez « license: etalab-2.0 » (Licence Ouverte, recommandée pour les administrations) ici ou dans site.yaml",
                    "add “license: etalab-2.0” (Open Licence, recommended for French public bodies) here or in site.yaml"
                )),
        ),
        None => {}
    }
    if let Some(span) = ds.slug_span
        && !crate::util::is_slug(&ds.slug)
    {
        let fixed = crate::util::slugify(&ds.slug);
        diags.push(
            Diagnostic::error("invalid-slug", tr!(lang, "identifiant « {} » invalide", "invalid slug “{}”", ds.slug))
                .file(file)
                .span(span)
                .hint(tr!(
                    lang,
                    "utilisez des minuscules sans accents, des chiffres et des tirets, par exemple « {fixed} »",
                    "use lowercase letters without accents, digits and dashes, e.g. “{fixed}”"
                )),
        );
    }
    for theme in &ds.themes {
        if vocab::theme(&theme.value).is_none() {
            let hint = match vocab::suggest_theme(&theme.value) {
                Some(t) => {
                    tr!(lang, "vouliez-vous dire « {} » ({}) ?", "did you mean “{}” ({})?", t.code, t.label(lang))
                }
                None => tr!(
                    lang,
                    "thèmes reconnus : {}",
                    "known themes: {}",
                    vocab::THEMES
                        .iter()
                        .map(|t| format!("{} ({})", t.code, t.label(lang)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    "unknown-theme",
                    tr!(lang, "thème « {} » inconnu", "unknown theme “{}”", theme.value),
                )
                .file(file)
                .span(theme.span)
                .hint(hint),
            );
        }
    }
    if let Some(f) = &ds.frequency
        && vocab::frequency(&f.value).is_none()
    {
        let hint = match vocab::suggest_frequency(&f.value) {
            Some(s) => tr!(lang, "vouliez-vous dire « {} » ({}) ?", "did you mean “{}” ({})?", s.id, s.label(lang)),
            None => tr!(
                lang,
                "fréquences reconnues : {}",
                "known frequencies: {}",
                vocab::FREQUENCIES.iter().map(|f| f.id).collect::<Vec<_>>().join(", ")
            ),
        };
        diags.push(
            Diagnostic::error(
                "unknown-frequency",
                tr!(lang, "fréquence « {} » inconnue", "unknown frequency “{}”", f.value),
            )
            .file(file)
            .span(f.span)
            .hint(hint),
        );
    }
    check_date_field(file, "created", ds.created.as_ref(), lang, diags);
    check_date_field(file, "modified", ds.modified.as_ref(), lang, diags);
    if let Some(t) = &ds.temporal {
        check_date_field(file, "temporal.start", t.start.as_ref(), lang, diags);
        check_date_field(file, "temporal.end", t.end.as_ref(), lang, diags);
        if let (Some(s), Some(e)) = (&t.start, &t.end)
            && check_date(&s.value, lang).is_ok()
            && check_date(&e.value, lang).is_ok()
            && s.value > e.value
        {
            diags.push(
                Diagnostic::error(
                    "temporal-order",
                    tr!(
                        lang,
                        "la période commence ({}) après sa fin ({})",
                        "the period starts ({}) after it ends ({})",
                        s.value,
                        e.value
                    ),
                )
                .file(file)
                .span(e.span)
                .hint(tr!(lang, "inversez « start » et « end »", "swap “start” and “end”")),
            );
        }
    }
    if let Some(insee) = ds.spatial.as_ref().and_then(|s| s.insee.as_ref()) {
        let v = insee.value.as_bytes();
        let ok = v.len() == 5
            && (v.iter().all(u8::is_ascii_digit)
                || (v[0] == b'2' && (v[1] == b'A' || v[1] == b'B') && v[2..].iter().all(u8::is_ascii_digit)));
        if !ok {
            diags.push(
                Diagnostic::error(
                    "invalid-insee",
                    tr!(lang, "code INSEE « {} » invalide", "invalid INSEE code “{}”", insee.value),
                )
                .file(file)
                .span(insee.span)
                .hint(tr!(
                    lang,
                    "un code INSEE de commune a 5 caractères, entre guillemets : « insee: \"01234\" »",
                    "a commune's INSEE code has 5 characters, quoted: “insee: \"01234\"”"
                )),
            );
        }
    }
    if let Some(p) = &ds.personal_data
        && p.value != "reviewed"
    {
        diags.push(
            Diagnostic::error("bad-personal-data", tr!(lang, "« personal_data » n'accepte que la valeur « reviewed »", "“personal_data” only accepts the value “reviewed”"))
                .file(file)
                .span(p.span)
                .hint(tr!(
                    lang,
                    "écrivez « personal_data: reviewed » seulement après avoir vérifié que la publication de ces données personnelles est licite",
                    "write “personal_data: reviewed” only once you have checked that publishing this personal data is lawful"
                )),
        );
    }
    check_contact(file, ds.contact.as_ref(), lang, diags);
    if ds.resources.is_empty() && ds.form == crate::model::DatasetForm::Folder {
        diags.push(
            Diagnostic::warning(
                "no-resources",
                tr!(lang, "le jeu de données n'a aucun fichier", "the dataset has no file"),
            )
            .file(file)
            .hint(tr!(
                lang,
                "placez les fichiers de données dans « {} »",
                "put the data files in “{}”",
                ds.dir
            )),
        );
    }
    for r in &ds.resources {
        if let crate::model::ResourceSource::Local { name, path } = &r.source
            && RESERVED_FILE_NAMES.contains(&name.as_str())
        {
            let mut d = Diagnostic::error(
                "reserved-file-name",
                tr!(
                    lang,
                    "le fichier « {path} » porte un nom réservé par kiosque",
                    "the file “{path}” has a name kiosque reserves"
                ),
            )
            .file(file)
            .hint(tr!(
                lang,
                "renommez le fichier (noms réservés : {})",
                "rename the file (reserved names: {})",
                RESERVED_FILE_NAMES.join(", ")
            ));
            if let Some(span) = r.span {
                d = d.span(span);
            }
            diags.push(d);
        }
        if let Some(f) = &r.format
            && vocab::format_by_name(&f.value).is_none()
        {
            diags.push(
                Diagnostic::warning(
                    "unknown-format",
                    tr!(lang, "format « {} » inconnu", "unknown format “{}”", f.value),
                )
                .file(file)
                .span(f.span)
                .hint(tr!(
                    lang,
                    "formats reconnus : {} ; sans « format », kiosque le déduit de l'extension du fichier",
                    "known formats: {}; without “format”, kiosque infers it from the file extension",
                    vocab::FORMATS.iter().map(|f| f.label).collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
}

fn check_freshness(ds: &Dataset, today: jiff::civil::Date, lang: Lang, diags: &mut Diagnostics) {
    if let Some(late) = crate::quality::lateness(ds, today) {
        let freq = ds.frequency.as_ref().map(|f| f.value.as_str()).unwrap_or_default();
        let mut d = Diagnostic::warning(
            "dataset-late",
            tr!(
                lang,
                "jeu de données en retard : dernière mise à jour il y a {} jours, alors que sa fréquence « {freq} » en prévoit au plus {}",
                "dataset is late: last updated {} days ago, while its frequency “{freq}” allows at most {}",
                late.days,
                late.allowed
            ),
        )
        .file(&ds.sidecar)
        .hint(tr!(
            lang,
            "publiez des données à jour et changez « modified », ou corrigez « frequency » si le rythme a changé",
            "publish up-to-date data and change “modified”, or fix “frequency” if the pace changed"
        ));
        if let Some(m) = &ds.modified {
            d = d.span(m.span);
        }
        diags.push(d);
    }
    if let Some(m) = &ds.modified
        && let Some(date) = crate::quality::parse_date(&m.value)
        && m.value.len() == 10
        && date > today
    {
        diags.push(
            Diagnostic::warning(
                "date-in-future",
                tr!(lang, "« modified » est dans le futur ({})", "“modified” is in the future ({})", m.value),
            )
            .file(&ds.sidecar)
            .span(m.span)
            .hint(tr!(
                lang,
                "indiquez la date de la dernière mise à jour effective",
                "give the date of the last actual update"
            )),
        );
    }
}

fn check_duplicate_slugs(site: &Site, lang: Lang, diags: &mut Diagnostics) {
    let mut by_slug: BTreeMap<&str, Vec<&Dataset>> = BTreeMap::new();
    for ds in &site.datasets {
        by_slug.entry(&ds.slug).or_default().push(ds);
    }
    for (slug, list) in by_slug.into_iter().filter(|(_, l)| l.len() > 1) {
        for ds in &list {
            let others: Vec<&str> =
                list.iter().filter(|o| o.sidecar != ds.sidecar).map(|o| o.sidecar.as_str()).collect();
            let mut d = Diagnostic::error(
                "duplicate-slug",
                tr!(
                    lang,
                    "l'identifiant « {slug} » est aussi celui de {}",
                    "the slug “{slug}” is also that of {}",
                    others.join(", ")
                ),
            )
            .file(&ds.sidecar)
            .hint(tr!(
                lang,
                "renommez l'un des deux, ou donnez-lui « slug: autre-nom »",
                "rename one of them, or give it “slug: another-name”"
            ));
            d = match ds.slug_span {
                Some(span) => d.span(span),
                None => d.at(1, 1),
            };
            diags.push(d);
        }
    }
}

fn check_pages(site: &Site, lang: Lang, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for page in &site.pages {
        if page.title.is_none() {
            let has_front = crate::load::page::split_front_matter(site.sources.get(&page.file).unwrap_or("")).is_some();
            if has_front {
                diags.push(missing(
                    &page.file,
                    lang,
                    "title",
                    tr!(
                        lang,
                        "ajoutez « title: Titre de la page » dans l'en-tête",
                        "add “title: Page title” in the front matter"
                    ),
                ));
            }
        }
        if !crate::util::is_slug(&page.slug) {
            diags.push(
                Diagnostic::error(
                    "invalid-slug",
                    tr!(lang, "identifiant de page « {} » invalide", "invalid page slug “{}”", page.slug),
                )
                .file(&page.file)
                .hint(tr!(
                    lang,
                    "utilisez des minuscules sans accents, des chiffres et des tirets, par exemple « {} »",
                    "use lowercase letters without accents, digits and dashes, e.g. “{}”",
                    crate::util::slugify(&page.slug)
                )),
            );
        } else if RESERVED_SLUGS.contains(&page.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    "reserved-slug",
                    tr!(
                        lang,
                        "l'adresse « {}/ » est réservée par kiosque",
                        "the address “{}/” is reserved by kiosque",
                        page.slug
                    ),
                )
                .file(&page.file)
                .hint(tr!(
                    lang,
                    "renommez la page ou donnez-lui « slug: autre-nom »",
                    "rename the page or give it “slug: another-name”"
                )),
            );
        }
        if let Some(other) = seen.insert(&page.slug, &page.file) {
            diags.push(
                Diagnostic::error(
                    "duplicate-slug",
                    tr!(
                        lang,
                        "la page a la même adresse que « {other} »",
                        "the page has the same address as “{other}”"
                    ),
                )
                .file(&page.file)
                .hint(tr!(lang, "renommez l'une des deux pages", "rename one of the two pages")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in ["2026", "2026-02", "2026-02-28", "2026-02-28T10:00:00Z", "2026-02-28T10:00:00"] {
            assert!(check_date(ok, Lang::Fr).is_ok(), "{ok}");
        }
        assert!(check_date("2026-02-30", Lang::Fr).is_err());
        assert_eq!(
            check_date("23/11/2026", Lang::Fr).unwrap_err(),
            "écrivez la date au format AAAA-MM-JJ : « 2026-11-23 »"
        );
        assert!(check_date("hier", Lang::En).unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn urls() {
        assert!(crate::util::is_http_url("https://data.example.fr/"));
        assert!(!crate::util::is_http_url("data.example.fr"));
        assert!(!crate::util::is_http_url("https:///x"));
        assert!(!crate::util::is_http_url("https://x.fr/\"><script>alert(1)</script>/"));
    }
}
