//! A dataset sidecar (`dataset.yaml` or `datasets/<name>.yaml`) → [`Dataset`].

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::fields::Ctx;
use crate::load::paths::{self, PathProblem};
use crate::model::{Dataset, DatasetForm, DiskPaths, Located, Resource, ResourceSource, Spatial, Temporal};
use crate::tr;
use crate::yaml::Node;

pub const KEYS: &[&str] = &[
    "slug",
    "title",
    "description",
    "license",
    "keywords",
    "themes",
    "publisher",
    "contact",
    "frequency",
    "created",
    "modified",
    "temporal",
    "spatial",
    "schema",
    "personal_data",
    "resources",
    "encoding",
    "delimiter",
    "decimal",
    "charts",
    "coordinates",
];

pub const CHART_KEYS: &[&str] = &["title", "type", "resource", "x", "y", "aggregation"];
const CHART_TYPES: &[&str] = &["bar", "line", "pie"];
const AGGREGATIONS: &[&str] = &["count", "sum", "mean", "min", "max"];

pub const RESOURCE_KEYS: &[&str] =
    &["path", "url", "title", "description", "format", "schema", "encoding", "delimiter", "decimal"];

/// Where a sidecar is and what surrounds it.
pub struct SidecarInput<'a> {
    pub root: &'a Path,
    /// Where files whose names are not UTF-8 are.
    pub disk: &'a DiskPaths,
    /// The sidecar, relative to the site.
    pub file: &'a str,
    /// The dataset folder, relative to the site.
    pub dir: &'a str,
    pub form: DatasetForm,
    /// The slug from the folder or file name.
    pub default_slug: String,
    /// Files of the dataset (relative to `dir`), used when the sidecar
    /// lists no `resources`.
    pub default_files: Vec<String>,
}

/// Shapes a parsed sidecar into a dataset.
pub fn shape(input: SidecarInput, node: &Node, lang: Lang, diags: &mut Diagnostics) -> Dataset {
    let mut ds = Dataset {
        slug: input.default_slug.clone(),
        slug_span: None,
        sidecar: input.file.to_string(),
        dir: input.dir.to_string(),
        form: input.form,
        title: None,
        description: None,
        license: None,
        keywords: Vec::new(),
        themes: Vec::new(),
        publisher: None,
        contact: None,
        frequency: None,
        created: None,
        modified: None,
        modified_inferred: None,
        temporal: None,
        spatial: None,
        schema: None,
        personal_data: None,
        personal_data_columns: Vec::new(),
        resources: Vec::new(),
        charts: Vec::new(),
        coordinates: None,
    };
    let mut ctx = Ctx { file: input.file, lang, diags };
    let entries = if node.is_null() { Some(&[][..]) } else { ctx.mapping("dataset.yaml", node) };
    let Some(entries) = entries else { return ds };
    let mut declared_resources: Option<&Node> = None;
    // Dataset-level dialect settings apply to every resource that does not
    // set its own.
    let (mut encoding, mut delimiter, mut decimal) = (None, None, None);
    for (key, value) in entries {
        let name = key.scalar_text().unwrap_or_default();
        match name.as_str() {
            "slug" => {
                if let Some(s) = ctx.text(&name, value) {
                    ds.slug = s.value;
                    ds.slug_span = Some(s.span);
                }
            }
            "title" => ds.title = ctx.text(&name, value),
            "description" => ds.description = ctx.text(&name, value),
            "license" | "licence" => ds.license = ctx.text(&name, value),
            "keywords" => ds.keywords = ctx.text_list(&name, value).into_iter().map(|l| l.value).collect(),
            "themes" => ds.themes = ctx.text_list(&name, value),
            "publisher" => ds.publisher = ctx.text(&name, value).map(|l| l.value),
            "contact" => ds.contact = ctx.contact(&name, value),
            "frequency" => ds.frequency = ctx.text(&name, value),
            "created" => ds.created = ctx.text(&name, value),
            "modified" => ds.modified = ctx.text(&name, value),
            "temporal" => ds.temporal = temporal(&mut ctx, value),
            "spatial" => ds.spatial = spatial(&mut ctx, value),
            "schema" => ds.schema = ctx.text(&name, value),
            "personal_data" => match value.as_map() {
                Some(entries) => {
                    for (k, v) in entries {
                        match k.scalar_text().as_deref() {
                            Some("reviewed") => ds.personal_data_columns = ctx.text_list("reviewed", v),
                            _ => ctx.unknown_key(k, &["reviewed"]),
                        }
                    }
                }
                None => ds.personal_data = ctx.text(&name, value),
            },
            "encoding" => encoding = ctx.text(&name, value),
            "delimiter" => delimiter = ctx.text(&name, value),
            "decimal" => decimal = ctx.text(&name, value),
            "resources" => declared_resources = Some(value),
            "charts" => ds.charts = charts(&mut ctx, value),
            "coordinates" => ds.coordinates = coordinates(&mut ctx, value),
            _ => ctx.unknown_key(key, KEYS),
        }
    }
    ds.resources = match declared_resources {
        Some(node) => resources(&mut ctx, &input, node),
        None => input
            .default_files
            .iter()
            .map(|name| Resource {
                source: ResourceSource::Local { path: join(input.dir, name), name: name.clone() },
                title: None,
                description: None,
                format: None,
                schema: None,
                encoding: None,
                delimiter: None,
                decimal: None,
                span: None,
            })
            .collect(),
    };
    for r in &mut ds.resources {
        r.encoding = r.encoding.take().or_else(|| encoding.clone());
        r.delimiter = r.delimiter.take().or_else(|| delimiter.clone());
        r.decimal = r.decimal.take().or_else(|| decimal.clone());
    }
    ds
}

/// `coordinates:`: a column of `"lat,lon"` pairs, or `{lat:, lon:}`.
fn coordinates(ctx: &mut Ctx, node: &Node) -> Option<crate::model::CoordinateColumns> {
    use crate::model::CoordinateColumns;
    if node.as_map().is_none() {
        return ctx.text("coordinates", node).map(CoordinateColumns::Point);
    }
    let entries = ctx.mapping("coordinates", node)?;
    let (mut lat, mut lon) = (None, None);
    for (k, v) in entries {
        match k.scalar_text().as_deref() {
            Some("lat" | "latitude") => lat = ctx.text("lat", v),
            Some("lon" | "lng" | "longitude") => lon = ctx.text("lon", v),
            _ => ctx.unknown_key(k, &["lat", "lon"]),
        }
    }
    match (lat, lon) {
        (Some(lat), Some(lon)) => Some(CoordinateColumns::Pair { lat, lon }),
        _ => {
            let lang = ctx.lang;
            ctx.error(
                "missing-field",
                node,
                tr!(lang, "« coordinates » doit nommer « lat » et « lon »", "“coordinates” must name “lat” and “lon”"),
                tr!(
                    lang,
                    "écrivez par exemple « coordinates: {{lat: LATITUDE, lon: LONGITUDE}} »",
                    "write for instance “coordinates: {{lat: LATITUDE, lon: LONGITUDE}}”"
                ),
            );
            None
        }
    }
}

/// `charts:`: a list of charts; each bad entry is reported and skipped.
fn charts(ctx: &mut Ctx, node: &Node) -> Vec<crate::model::ChartSpec> {
    use crate::model::{Aggregation, ChartKind, ChartSpec};
    let lang = ctx.lang;
    let items: Vec<&Node> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None if node.is_null() => Vec::new(),
        None => vec![node],
    };
    let mut out = Vec::new();
    for item in items {
        let Some(entries) = ctx.mapping("charts", item) else { continue };
        let (mut title, mut kind, mut resource, mut x, mut y, mut aggregation) = (None, None, None, None, None, None);
        for (k, v) in entries {
            match k.scalar_text().as_deref() {
                Some("title") => title = ctx.text("title", v).map(|l| l.value),
                Some("type") => kind = ctx.text("type", v),
                Some("resource") => resource = ctx.text("resource", v),
                Some("x") => x = ctx.text("x", v),
                Some("y") => y = ctx.text("y", v),
                Some("aggregation") => aggregation = ctx.text("aggregation", v),
                _ => ctx.unknown_key(k, CHART_KEYS),
            }
        }
        let mut choice = |value: Option<Located<String>>, key: &str, allowed: &[&str]| -> Result<Option<String>, ()> {
            let Some(v) = value else { return Ok(None) };
            let word = v.value.trim().to_lowercase();
            if allowed.contains(&word.as_str()) {
                return Ok(Some(word));
            }
            let nearest = crate::util::nearest(&word, allowed.iter().copied()).unwrap_or(allowed[0]);
            let message = tr!(lang, "« {key} » ne peut pas valoir « {} »", "“{key}” cannot be “{}”", v.value);
            let hint = tr!(
                lang,
                "valeurs possibles : {} (vouliez-vous « {nearest} » ?)",
                "possible values: {} (did you mean “{nearest}”?)",
                allowed.join(", ")
            );
            ctx.diags.push(Diagnostic::error("invalid-chart", message).file(ctx.file).span(v.span).hint(hint));
            Err(())
        };
        let (Ok(kind), Ok(aggregation)) =
            (choice(kind, "type", CHART_TYPES), choice(aggregation, "aggregation", AGGREGATIONS))
        else {
            continue;
        };
        let Some(x) = x else {
            ctx.error(
                "invalid-chart",
                item,
                tr!(lang, "ce graphique n'a pas de colonne « x »", "this chart has no “x” column"),
                tr!(
                    lang,
                    "ajoutez « x: NOM_DE_COLONNE », la colonne qui donne les catégories ou les dates",
                    "add “x: COLUMN_NAME”, the column that gives the categories or dates"
                ),
            );
            continue;
        };
        let aggregation = match aggregation.as_deref() {
            Some("count") => Aggregation::Count,
            Some("mean") => Aggregation::Mean,
            Some("min") => Aggregation::Min,
            Some("max") => Aggregation::Max,
            Some(_) => Aggregation::Sum,
            None if y.is_some() => Aggregation::Sum,
            None => Aggregation::Count,
        };
        if y.is_none() && aggregation != Aggregation::Count {
            ctx.error(
                "invalid-chart",
                item,
                tr!(lang, "ce graphique n'a pas de colonne « y » à agréger", "this chart has no “y” column to aggregate"),
                tr!(
                    lang,
                    "ajoutez « y: NOM_DE_COLONNE » (une colonne de nombres), ou « aggregation: count » pour compter les lignes",
                    "add “y: COLUMN_NAME” (a column of numbers), or “aggregation: count” to count rows"
                ),
            );
            continue;
        }
        let kind = match kind.as_deref() {
            Some("line") => ChartKind::Line,
            Some("pie") => ChartKind::Pie,
            _ => ChartKind::Bar,
        };
        out.push(ChartSpec { title, kind, resource, x, y, aggregation });
    }
    out
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") }
}

fn temporal(ctx: &mut Ctx, node: &Node) -> Option<Temporal> {
    let entries = ctx.mapping("temporal", node)?;
    let mut t = Temporal::default();
    for (k, v) in entries {
        match k.scalar_text().as_deref() {
            Some("start") => t.start = ctx.text("start", v),
            Some("end") => t.end = ctx.text("end", v),
            _ => ctx.unknown_key(k, &["start", "end"]),
        }
    }
    Some(t)
}

fn spatial(ctx: &mut Ctx, node: &Node) -> Option<Spatial> {
    if let Some(text) = node.as_map().is_none().then(|| ctx.text("spatial", node)).flatten() {
        return Some(Spatial { label: Some(text.value), insee: None });
    }
    let entries = ctx.mapping("spatial", node)?;
    let mut s = Spatial::default();
    for (k, v) in entries {
        match k.scalar_text().as_deref() {
            Some("label") => s.label = ctx.text("label", v).map(|l| l.value),
            Some("insee") => s.insee = ctx.text("insee", v),
            _ => ctx.unknown_key(k, &["label", "insee"]),
        }
    }
    Some(s)
}

fn resources(ctx: &mut Ctx, input: &SidecarInput, node: &Node) -> Vec<Resource> {
    let lang = ctx.lang;
    let items: Vec<&Node> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None if node.is_null() => Vec::new(),
        // A single resource written as a mapping or a path.
        None => vec![node],
    };
    let mut out = Vec::new();
    for item in items {
        let mut r = Resource {
            source: ResourceSource::Remote { url: String::new() },
            title: None,
            description: None,
            format: None,
            schema: None,
            encoding: None,
            delimiter: None,
            decimal: None,
            span: Some(item.span),
        };
        let (mut path, mut url) = (None, None);
        if item.as_map().is_none() {
            // `- budget.csv` is short for `- path: budget.csv`.
            path = ctx.text("resources", item);
        } else {
            for (k, v) in item.as_map().unwrap_or_default() {
                let name = k.scalar_text().unwrap_or_default();
                match name.as_str() {
                    "path" => path = ctx.text(&name, v),
                    "url" => url = ctx.text(&name, v),
                    "title" => r.title = ctx.text(&name, v).map(|l| l.value),
                    "description" => r.description = ctx.text(&name, v).map(|l| l.value),
                    "format" => r.format = ctx.text(&name, v),
                    "schema" => r.schema = ctx.text(&name, v),
                    "encoding" => r.encoding = ctx.text(&name, v),
                    "delimiter" => r.delimiter = ctx.text(&name, v),
                    "decimal" => r.decimal = ctx.text(&name, v),
                    _ => ctx.unknown_key(k, RESOURCE_KEYS),
                }
            }
        }
        match (path, url) {
            (Some(_), Some(url)) => ctx.diags.push(
                Diagnostic::error(
                    "resource-path-and-url",
                    tr!(lang, "une ressource a à la fois « path » et « url »", "a resource has both “path” and “url”"),
                )
                .file(input.file)
                .span(url.span)
                .hint(tr!(
                    lang,
                    "gardez « path » pour un fichier du jeu de données, ou « url » pour un fichier hébergé ailleurs",
                    "keep “path” for a file of the dataset, or “url” for a file hosted elsewhere"
                )),
            ),
            (None, None) => ctx.diags.push(
                Diagnostic::error(
                    "resource-missing-path",
                    tr!(lang, "une ressource n'a ni « path » ni « url »", "a resource has neither “path” nor “url”"),
                )
                .file(input.file)
                .span(item.span)
                .hint(tr!(
                    lang,
                    "ajoutez « path: nom-du-fichier.csv » (fichier placé à côté de la fiche)",
                    "add “path: file-name.csv” (a file beside the sidecar)"
                )),
            ),
            (None, Some(url)) => {
                if url.value.starts_with("https://") || url.value.starts_with("http://") {
                    r.source = ResourceSource::Remote { url: url.value };
                    out.push(r);
                } else {
                    ctx.diags.push(
                        Diagnostic::error(
                            "bad-url",
                            tr!(lang, "adresse « {} » invalide", "invalid address “{}”", url.value),
                        )
                        .file(input.file)
                        .span(url.span)
                        .hint(tr!(
                            lang,
                            "une « url » commence par https:// ; pour un fichier local, utilisez « path »",
                            "a “url” starts with https://; for a local file, use “path”"
                        )),
                    );
                }
            }
            (Some(path), None) => match paths::resolve(input.root, input.disk, input.dir, &path.value) {
                Ok(name) => {
                    r.source = ResourceSource::Local { path: join(input.dir, &name), name };
                    out.push(r);
                }
                Err(problem) => report_path(ctx, input, &path, problem),
            },
        }
    }
    out
}

fn report_path(ctx: &mut Ctx, input: &SidecarInput, path: &Located<String>, problem: PathProblem) {
    let lang = ctx.lang;
    let p = &path.value;
    let (code, message, hint) = match problem {
        PathProblem::ControlCharacter => {
            let shown: String =
                p.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect();
            (
                "resource-path-invalid",
                tr!(
                    lang,
                    "le chemin « {shown} » contient un caractère invisible (octet nul, saut de ligne…)",
                    "the path “{shown}” holds an invisible character (a NUL byte, a line break…)"
                ),
                tr!(
                    lang,
                    "écrivez seulement le nom du fichier, placé dans le dossier « {} »",
                    "write only the name of the file, placed in the folder “{}”",
                    input.dir
                ),
            )
        }
        PathProblem::Url => (
            "resource-path-url",
            tr!(
                lang,
                "« {p} » est une adresse, pas le chemin d'un fichier du jeu de données",
                "“{p}” is an address, not the path of a file of the dataset"
            ),
            if crate::util::is_http_url(p) {
                tr!(
                    lang,
                    "pour un fichier hébergé ailleurs, écrivez « url: {p} » au lieu de « path: »",
                    "for a file hosted elsewhere, write “url: {p}” instead of “path:”"
                )
            } else {
                tr!(
                    lang,
                    "placez le fichier dans le dossier « {} » et écrivez son nom, par exemple « path: donnees.csv »",
                    "put the file in the folder “{}” and write its name, e.g. “path: data.csv”",
                    input.dir
                )
            },
        ),
        PathProblem::Empty => (
            "resource-path-empty",
            tr!(lang, "chemin de ressource vide", "empty resource path"),
            tr!(
                lang,
                "indiquez le nom du fichier, par exemple « path: donnees.csv »",
                "give the file name, e.g. “path: data.csv”"
            ),
        ),
        PathProblem::Absolute => (
            "resource-path-absolute",
            tr!(lang, "le chemin « {p} » est absolu", "the path “{p}” is absolute"),
            tr!(
                lang,
                "écrivez le chemin relatif à la fiche, le fichier étant placé dans le dossier « {} »",
                "write the path relative to the sidecar, with the file inside the folder “{}”",
                input.dir
            ),
        ),
        PathProblem::Outside => (
            "resource-path-outside",
            tr!(
                lang,
                "le chemin « {p} » sort du dossier du jeu de données",
                "the path “{p}” leaves the dataset's folder"
            ),
            tr!(
                lang,
                "placez le fichier dans le dossier « {} » : kiosque ne lit ni ne publie rien en dehors",
                "put the file inside the folder “{}”: kiosque reads and publishes nothing outside it",
                input.dir
            ),
        ),
        PathProblem::NotFound => {
            let near = crate::util::nearest(p, input.default_files.iter().map(String::as_str));
            (
                "resource-not-found",
                tr!(lang, "le fichier « {p} » est introuvable", "the file “{p}” does not exist"),
                match near {
                    _ if has_percent_code(p) => tr!(
                        lang,
                        "écrivez le nom du fichier tel qu'il est, sans codes « %xx » d'adresse web : kiosque ne les décode pas",
                        "write the file name as it is, without web address codes such as “%xx”: kiosque does not decode them"
                    ),
                    Some(n) => tr!(lang, "vouliez-vous dire « {n} » ?", "did you mean “{n}”?"),
                    None => tr!(
                        lang,
                        "vérifiez le nom (majuscules, accents, extension) et que le fichier est dans « {} »",
                        "check the name (case, accents, extension) and that the file is in “{}”",
                        input.dir
                    ),
                },
            )
        }
        PathProblem::IsFolder => (
            "resource-is-folder",
            tr!(lang, "« {p} » est un dossier, pas un fichier", "“{p}” is a folder, not a file"),
            tr!(
                lang,
                "listez chaque fichier du dossier comme une ressource",
                "list each file of the folder as a resource"
            ),
        ),
    };
    ctx.diags.push(Diagnostic::error(code, message).file(input.file).span(path.span).hint(hint));
}

/// Whether `p` holds a `%xx` code of a web address (`%2e`, `%2F`).
fn has_percent_code(p: &str) -> bool {
    p.as_bytes().windows(3).any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}
