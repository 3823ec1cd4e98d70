//! Stage `render`: HTML pages from the theme's templates (minijinja), in
//! memory. Every link is relative to the page, and points at `index.html`
//! files explicitly, so the output works under any sub-path and straight
//! from a local disk.

use minijinja::{Environment, Value as JValue};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::markdown;
use crate::model::{Dataset, ResourceSource, Site};
use crate::output::Output;
use crate::pipeline::Inputs;
use crate::quality::Quality;
use crate::taxonomy::Taxonomy;
use crate::theme::{Asset, Theme};
use crate::tr;
use crate::vocab;

mod lists;

pub use lists::{Cards, Listing};

/// A list page made or reused: its path and key when it has one, and how
/// its rendering went.
type ListOutcome = (Option<(String, String)>, Result<(), minijinja::Error>);

/// What the render stage made, besides the pages.
pub struct Rendered {
    pub diagnostics: Diagnostics,
    /// Every dataset's card (`None` when the templates could not be read).
    pub cards: Option<Cards>,
    /// The list pages made or reused, with their keys (path, key): kept for
    /// the next build when the build has the datasets' keys.
    pub lists: Vec<(String, String)>,
}

/// A page to render: its output path, its template, and what makes its
/// context. Contexts are made as pages are rendered, so that those of
/// thousands of list pages are never all held at once.
type Job<'a> = (String, &'static str, Box<dyn FnOnce() -> Value + Send + 'a>);

/// Renders every page of the site into `out`. Each dataset page is written
/// as soon as its view is made; only a slim card of it stays, for lists.
/// The pages of the datasets `inputs.reuse` names are not made again: their
/// cards come from the previous build. Returns the findings and every
/// dataset's card. List pages whose key ([`crate::reuse::list_key`]) is
/// the one of the previous build are taken from it.
pub fn render(inputs: &Inputs, theme: &Theme, out: &Output) -> Rendered {
    let Inputs { site, qualities, profiles, catalog, taxonomy, reuse, keys, .. } = *inputs;
    let mut diags = Diagnostics::default();
    let lang = site.lang();
    let env = match environment(theme, lang, &mut diags) {
        Some(env) => env,
        None => return Rendered { diagnostics: diags, cards: None, lists: Vec::new() },
    };
    let common = common_context(site, theme);
    let (menu_items, footer_items) = navigation(site);
    let render_page = |path: String, template: &str, mut ctx: Value| -> Result<(), minijinja::Error> {
        let canonical = (path != "404.html")
            .then(|| crate::export::base_url(site).map(|b| format!("{b}{}", path.trim_end_matches("index.html"))))
            .flatten();
        let section = ctx["section"].as_str().unwrap_or("").to_string();
        if let Value::Object(map) = &mut ctx {
            map.insert("canonical".into(), json!(canonical));
            map.insert("menu".into(), current(&menu_items, &section));
            map.insert("footer_pages".into(), current(&footer_items, &section));
        }
        let html = env.get_template(template)?.render(minijinja::context! { ..to_value(&ctx), ..common.clone() })?;
        out.add(path, html);
        Ok(())
    };
    let interactive_maps = site.config.map_tiles.is_some();

    let datasets: Vec<(Box<str>, Result<(), minijinja::Error>)> = site
        .datasets
        .par_iter()
        .enumerate()
        .map(|(i, ds)| {
            if let Some(unit) = reuse.get(i) {
                return (unit.card.clone(), Ok(()));
            }
            let mut view = dataset_view(site, taxonomy, ds, inputs.object(i), &qualities[i]);
            // Moved in (`json!` would copy them).
            view["previews"] = Value::Array(table_previews(site, ds, profiles));
            view["maps"] = Value::Array(geo_views(site, ds, profiles));
            view["records"] = Value::Array(json_views(site, ds, profiles));
            // Declared charts: shown in the page, and each written as an SVG file.
            let charts = declared_charts(site, ds, profiles);
            let mut shown = Vec::with_capacity(charts.len());
            for (chart, svg) in charts {
                if let Some(href) = chart["href"].as_str() {
                    out.add(format!("datasets/{}/{href}", ds.slug), svg);
                }
                shown.push(chart);
            }
            view["charts"] = Value::Array(shown);
            // Interactive maps read the points of tables as GeoJSON.
            if interactive_maps {
                for t in crate::export::tables(site, ds, profiles) {
                    if let Some(grid) = &t.table.points {
                        let path = format!("{}/points.geojson", crate::export::preview_dir(ds, &t.name));
                        out.add(path, crate::geo::points_geojson(grid));
                    }
                }
            }
            // schema.org JSON-LD, for search engines (Google Dataset Search).
            if let Some(cd) = catalog.and_then(|cat| cat.datasets.get(i).map(|d| (cat, d))) {
                let ld = crate::dcat::script_json(&crate::dcat::schema_org::dataset(cd.0, cd.1));
                view.as_object_mut().expect("views are objects").insert("jsonld".into(), Value::String(ld));
            }
            // Lists (home, catalogue, themes, keywords) show cards: see `card`.
            let card = lists::Cards::text(&card(&view));
            let mut ctx = context("../../", "datasets");
            ctx.insert("dataset".into(), view);
            let done = render_page(format!("datasets/{}/index.html", ds.slug), "dataset.html", Value::Object(ctx));
            (card, done)
        })
        .collect();
    let (cards, dataset_pages): (Vec<Box<str>>, Vec<_>) = datasets.into_iter().unzip();
    let cards = lists::Cards::new(cards);

    let mut jobs: Vec<Job> = Vec::new();
    let listings = lists::jobs(site, taxonomy, &cards, catalog, &mut jobs);
    let first_page = jobs.len();
    for page in &site.pages {
        jobs.push((
            format!("{}/index.html", page.slug),
            "page.html",
            Box::new(move || {
                let view = json!({
                    "slug": page.slug,
                    "title": page.title(),
                    "description": page.description,
                    "content_html": markdown::to_html(&page.body),
                });
                json!({"root": "../", "section": page.slug, "page": view})
            }),
        ));
    }
    // The 404 page is served at any depth: its links are absolute from the
    // site's root (the path of base_url, or "/").
    let root_404 = crate::export::base_url(site)
        .and_then(|u| u.splitn(4, '/').nth(3).map(|p| format!("/{p}")))
        .unwrap_or_else(|| "/".into());
    jobs.push(("404.html".into(), "404.html", Box::new(move || json!({"root": root_404, "section": "404"}))));

    let listed: Vec<ListOutcome> = listings
        .into_par_iter()
        .map(|Listing { path, template, members, context, catalog }| {
            let mut ctx = context();
            let key = keys.and_then(|keys| {
                crate::reuse::list_key(&path, template, &ctx, members.iter().map(|&i| keys[i].as_str()))
            });
            if let Some(key) = &key
                && reuse.listed(&path, key, out)
            {
                return (Some((path, key.clone())), Ok(()));
            }
            lists::fill(&mut ctx, members, &cards, catalog);
            let done = render_page(path.clone(), template, Value::Object(ctx));
            (key.map(|key| (path, key)), done)
        })
        .collect();
    let (lists, listed): (Vec<_>, Vec<_>) = listed.into_iter().unzip();
    let mut done: Vec<Result<(), minijinja::Error>> =
        jobs.into_par_iter().map(|(path, template, ctx)| render_page(path, template, ctx())).collect();
    // Findings in the order of the pages: lists, datasets, the others.
    let others = done.split_off(first_page);
    for result in done.into_iter().chain(listed).chain(dataset_pages).chain(others) {
        if let Err(e) = result {
            diags.push(template_diagnostic(theme, &e, lang));
        }
    }
    for (path, asset) in &theme.assets {
        // The map library is published only for sites that turn maps on.
        if (path.starts_with("vendor/leaflet/") || path == "map.js") && site.config.map_tiles.is_none() {
            continue;
        }
        let dest = format!("assets/{path}");
        match asset {
            Asset::Embedded(bytes) => out.add(dest, *bytes),
            Asset::File(p) => out.copy(dest, p.clone()),
        }
    }
    Rendered { diagnostics: diags, cards: Some(cards), lists: lists.into_iter().flatten().collect() }
}

/// A dataset's view as a card of a list: all but what only its own page
/// shows (previews, maps, records, charts, structured data, the whole
/// description as HTML, the resources' column profiles). Lists of thousands
/// of datasets hold a card per dataset and per theme and keyword.
fn card(view: &Value) -> Value {
    let page_only = |k: &str| {
        matches!(k, "previews" | "maps" | "records" | "charts" | "jsonld" | "description_html" | "description")
    };
    let Value::Object(map) = view else { return view.clone() };
    let mut card: serde_json::Map<String, Value> =
        map.iter().filter(|(k, _)| !page_only(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(Value::Array(resources)) = card.get_mut("resources") {
        for r in resources.iter_mut().filter_map(Value::as_object_mut) {
            r.remove("columns");
            r.remove("dialect");
        }
    }
    Value::Object(card)
}

/// A page's context, to which its own values are added.
fn context(root: &str, section: &str) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("root".into(), json!(root));
    map.insert("section".into(), json!(section));
    map
}

/// The menu (`menu:` of `site.yaml`, else every Markdown page by `order`
/// then title) and the footer's links (the pages the menu leaves out). The
/// accessibility statement is in neither: the footer always links it.
/// Made once; [`current`] marks each page's own entry.
fn navigation(site: &Site) -> (Vec<Value>, Vec<Value>) {
    let page =
        |p: &crate::model::Page| json!({"title": p.title(), "href": format!("{}/index.html", p.slug), "slug": p.slug});
    let mut pages: Vec<_> = site.pages.iter().filter(|p| !ACCESSIBILITY_PAGES.contains(&p.slug.as_str())).collect();
    pages.sort_by_cached_key(|p| (p.order.unwrap_or(i64::MAX), crate::util::slugify(p.title()), p.slug.clone()));
    if site.config.menu.is_empty() {
        return (pages.into_iter().map(page).collect(), Vec::new());
    }
    let mut items = Vec::new();
    for item in &site.config.menu {
        match item {
            crate::model::MenuItem::Page(slug) => {
                items.extend(site.pages.iter().find(|p| p.slug == slug.value).map(page));
            }
            crate::model::MenuItem::Link { title, url } => {
                items.push(json!({"title": title, "url": url.value}));
            }
        }
    }
    let in_menu = |p: &&crate::model::Page| {
        site.config.menu.iter().any(|m| matches!(m, crate::model::MenuItem::Page(s) if s.value == p.slug))
    };
    let rest = pages.into_iter().filter(|p| !in_menu(p)).map(page).collect();
    (items, rest)
}

/// Navigation entries with `current` set on the one of page `section`.
fn current(items: &[Value], section: &str) -> Value {
    Value::Array(
        items
            .iter()
            .map(|item| {
                let mut item = item.clone();
                let here = item["slug"].as_str() == Some(section);
                item["current"] = json!(here);
                item
            })
            .collect(),
    )
}

/// The slugs a page of the accessibility statement may have.
const ACCESSIBILITY_PAGES: &[&str] = &["accessibilite", "accessibility", "declaration-accessibilite"];

fn to_value<T: serde::Serialize>(v: &T) -> JValue {
    JValue::from(minijinja::value::Serde(v))
}

fn common_context(site: &Site, theme: &Theme) -> JValue {
    let c = &site.config;
    let license = c
        .license
        .as_ref()
        .and_then(|l| vocab::license(&l.value))
        .map(|l| json!({"id": l.id, "name": l.name(site.lang()), "url": l.url}));
    let desc = c.description.as_deref().unwrap_or("");
    let site_ctx = json!({
        "title": c.title(),
        "description_html": if desc.is_empty() { String::new() } else { markdown::to_html(desc) },
        "description_text": markdown::excerpt(desc, 300),
        "base_url": crate::export::base_url(site),
        "publisher": c.publisher,
        "contact": c.contact.as_ref().map(|c| json!({"name": c.name, "email": c.email.as_ref().map(|e| e.value.clone())})),
        "license": license,
        "map_tiles": c.map_tiles.as_ref().map(|m| json!({"url": m.url.value, "attribution": m.attribution})),
        "logo": c.logo_file().map(crate::util::url_path),
        "colors": c.primary_color.as_ref().and_then(|p| crate::color::Rgb::parse(&p.value)).map(|p| json!({
            "primary": p.hex(),
            "primary_hover": p.darken(0.25).hex(),
        })),
        "footer_html": c.footer.as_deref().map(markdown::to_html),
        "accessibility": {
            "status": c.accessibility.as_ref().map(|a| a.value.as_str()).unwrap_or("none"),
            "href": site.pages.iter().find(|p| ACCESSIBILITY_PAGES.contains(&p.slug.as_str())).map(|p| format!("{}/index.html", p.slug)),
        },
    });
    minijinja::context! {
        site => to_value(&site_ctx),
        t => to_value(&theme.strings),
        lang => site.page_language(),
    }
}

/// The dataset object plus what pages show: Markdown as HTML, labels in
/// the site's language, formatted dates and sizes, relative links.
fn dataset_view(site: &Site, taxonomy: &Taxonomy, ds: &Dataset, object: Value, quality: &Quality) -> Value {
    let lang = site.lang();
    let mut view = object;
    let license = site.license_of(ds).map(|l| l.value.as_str());
    let known = license.and_then(vocab::license);
    let map = view.as_object_mut().expect("dataset objects are JSON objects");
    map.insert("href".into(), json!(format!("datasets/{}/index.html", ds.slug)));
    map.insert("quality".into(), json!(quality));
    map.insert("description_html".into(), json!(markdown::to_html(ds.description())));
    map.insert("excerpt".into(), json!(markdown::excerpt(ds.description(), 220)));
    map.insert("license_name".into(), json!(known.map(|l| l.name(lang)).or(license)));
    map.insert("license_url".into(), json!(known.map(|l| l.url)));
    map.insert(
        "theme_labels".into(),
        json!(
            ds.themes
                .iter()
                .filter_map(|t| vocab::theme(&t.value))
                .map(|t| json!({"code": t.code, "label": t.label(lang), "href": format!("themes/{}/index.html", t.code.to_lowercase())}))
                .collect::<Vec<_>>()
        ),
    );
    map.insert(
        "keyword_links".into(),
        json!(
            ds.keywords
                .iter()
                .map(|k| json!({"label": k, "href": taxonomy.keyword(k).map(|g| format!("keywords/{}/index.html", g.slug))}))
                .collect::<Vec<_>>()
        ),
    );
    let mut formats: Vec<String> = ds.resources.iter().map(|r| r.format_label()).filter(|f| !f.is_empty()).collect();
    formats.sort();
    formats.dedup();
    map.insert("formats".into(), json!(formats));
    map.insert(
        "frequency_label".into(),
        json!(ds.frequency.as_ref().and_then(|f| vocab::frequency(&f.value)).map(|f| f.label(lang))),
    );
    map.insert("modified_display".into(), json!(ds.modified().map(|d| lang.format_date(d))));
    map.insert("created_display".into(), json!(ds.created.as_ref().map(|d| lang.format_date(&d.value))));
    map.insert("temporal_display".into(), json!(ds.temporal.as_ref().and_then(|t| temporal_display(t, lang))));
    // Declared resources link by their name (or URL); the copies kiosque
    // publishes after them (normalised tables, spreadsheet sheets) by path.
    let prefix = format!("datasets/{}/", ds.slug);
    if let Some(resources) = map.get_mut("resources").and_then(Value::as_array_mut) {
        for (i, rv) in resources.iter_mut().enumerate() {
            let href = match ds.resources.get(i).map(|r| &r.source) {
                Some(ResourceSource::Local { name, .. }) => Some(crate::util::url_path(name)),
                Some(ResourceSource::Remote { url }) => Some(url.clone()),
                None => rv["path"].as_str().and_then(|p| p.strip_prefix(&prefix)).map(crate::util::url_path),
            };
            resource_display(rv, lang);
            if let Some(o) = rv.as_object_mut() {
                o.insert("href".into(), json!(href));
            }
        }
    }
    view
}

/// What a dataset page shows of each of its tables: the first rows (numbers
/// and dates in the site's language), where the explorer finds the whole
/// table, and the exports for re-users.
fn table_previews(site: &Site, ds: &Dataset, profiles: &crate::profile::Profiles) -> Vec<Value> {
    let lang = site.lang();
    crate::export::tables(site, ds, profiles)
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = &t.table.profile;
            // Codes and years are shown as written, like text.
            let kinds: Vec<crate::tabular::ColumnType> = p
                .columns
                .iter()
                .map(|c| if crate::export::is_identifier_like(c) { crate::tabular::ColumnType::String } else { c.kind })
                .collect();
            let numeric = |k: Option<&crate::tabular::ColumnType>| {
                matches!(k, Some(crate::tabular::ColumnType::Integer | crate::tabular::ColumnType::Number))
            };
            let head: Vec<Vec<Value>> = t
                .table
                .head
                .iter()
                .map(|row| {
                    (0..kinds.len())
                        .map(|c| {
                            let cell = row.get(c).unwrap_or("");
                            let text = display_cell(cell, kinds[c], p.dialect.decimal, lang);
                            json!({"text": text, "numeric": numeric(kinds.get(c))})
                        })
                        .collect()
                })
                .collect();
            let columns: Vec<Value> = p
                .columns
                .iter()
                .map(|c| json!({"name": c.name, "numeric": numeric(Some(&c.kind))}))
                .collect();
            let derived = t.table.derived.as_ref();
            let manifest = derived
                .and_then(|d| d.preview.as_ref())
                .map(|_| format!("preview/{}/manifest.json", crate::util::url_path(&t.name)));
            let mut exports = Vec::new();
            if let Some((json_name, excel_name)) = &t.exports {
                exports.push(json!({"label": "JSON", "href": crate::util::url_path(json_name)}));
                exports.push(json!({"label": lang.pick("CSV pour Excel", "CSV for Excel"), "href": crate::util::url_path(excel_name)}));
            }
            // Datasette Lite reads a CSV by its public URL: UTF-8 with commas.
            let datasette = crate::export::base_url(site).map(|_| {
                let url = crate::export::public_url(site, &crate::export::resource_output_path(ds, &t.csv));
                format!("https://lite.datasette.io/?csv={}", crate::util::query_encode(&url))
            });
            let rows = p.rows;
            let summary: Vec<Value> = p
                .columns
                .iter()
                .enumerate()
                .map(|(c, col)| {
                    let fill = if rows == 0 { 0.0 } else { (rows - col.nulls.min(rows)) as f64 * 100.0 / rows as f64 };
                    let id = format!("t{}-c{}", i + 1, c + 1);
                    json!({
                        "name": col.name,
                        "type_key": format!("type_{}", crate::export::column_type(col.kind)),
                        "fill_display": format_percent(fill, lang),
                        "distinct_display": format!("{}{}", if col.distinct_exact { "" } else { "≈ " }, format_count(col.distinct, lang)),
                        "min": col.min.as_deref().map(|v| display_cell(v, kinds[c], b'.', lang)),
                        "max": col.max.as_deref().map(|v| display_cell(v, kinds[c], b'.', lang)),
                        "chart": column_chart(&id, col, lang),
                    })
                })
                .collect();
            let map = t.table.points.as_ref().map(|grid| {
                let title = crate::tr!(lang, "Carte de « {} »", "Map of “{}”", t.title);
                crate::svg::map(&crate::svg::Frame::new(&format!("t{}-map", i + 1), &title, lang), &grid.shapes())
            });
            let mut view = match json!({
                "id": format!("t{}", i + 1),
                "title": t.title,
                "map": map,
                "map_geojson": format!("preview/{}/points.geojson", crate::util::url_path(&t.name)),
                "points_display": t.table.points.as_ref().map(|g| format_count(g.points, lang)),
                "dialect_display": dialect_display(&crate::export::dialect_json(&p.dialect), lang),
                "name": t.name,
                "rows": p.rows,
                "rows_display": format_count(p.rows, lang),
                "columns_display": format_count(p.columns.len() as u64, lang),
                "head_rows": head.len(),
                "manifest": manifest,
                "exports": exports,
                "datasette": datasette,
            }) {
                Value::Object(map) => map,
                _ => unreachable!("an object literal"),
            };
            // The large parts are moved in (`json!` would copy them).
            view.insert("summary".into(), Value::Array(summary));
            view.insert("columns".into(), Value::Array(columns));
            view.insert("head".into(), Value::Array(head.into_iter().map(Value::Array).collect()));
            Value::Object(view)
        })
        .collect()
}

/// The charts a dataset declares that could be drawn, in their order: the
/// page's view of each (title, inline SVG, file, data as text) and the SVG.
fn declared_charts(site: &Site, ds: &Dataset, profiles: &crate::profile::Profiles) -> Vec<(Value, String)> {
    use crate::model::{Aggregation, ChartKind};
    let lang = site.lang();
    let mut data: Vec<&crate::charts::ChartData> = ds
        .resources
        .iter()
        .filter_map(|r| profiles.get(r.local_path()?)?.table.as_ref())
        .flat_map(|t| t.charts.iter())
        .collect();
    data.sort_by_key(|d| d.index);
    data.dedup_by_key(|d| d.index);
    let mut out = Vec::new();
    for d in data {
        let Ok((items, _)) = &d.result else { continue };
        let spec = &ds.charts[d.index];
        let y = spec.y.as_ref().map(|y| y.value.as_str()).unwrap_or("");
        let what = match spec.aggregation {
            Aggregation::Count => lang.pick("Nombre de lignes", "Number of rows").to_string(),
            Aggregation::Sum => crate::tr!(lang, "Somme de « {y} »", "Sum of “{y}”"),
            Aggregation::Mean => crate::tr!(lang, "Moyenne de « {y} »", "Mean of “{y}”"),
            Aggregation::Min => crate::tr!(lang, "Minimum de « {y} »", "Minimum of “{y}”"),
            Aggregation::Max => crate::tr!(lang, "Maximum de « {y} »", "Maximum of “{y}”"),
        };
        let title =
            spec.title.clone().unwrap_or_else(|| crate::tr!(lang, "{what} par « {} »", "{what} by “{}”", spec.x.value));
        let id = format!("graphique-{}", d.index + 1);
        let frame = crate::svg::Frame::new(&id, &title, lang);
        let svg = match spec.kind {
            ChartKind::Bar => crate::svg::bars(&frame, items),
            ChartKind::Line => crate::svg::line(&frame, items, &what),
            ChartKind::Pie => crate::svg::pie(&frame, items),
        };
        let rows: Vec<Value> = items
            .iter()
            .map(|(label, v)| json!({"label": label, "value": crate::svg::format_number(*v, lang)}))
            .collect();
        let view = json!({
            "id": id,
            "title": title,
            "svg": svg,
            "href": format!("charts/{id}.svg"),
            "x": spec.x.value,
            "what": what,
            "rows": rows,
        });
        out.push((view, svg));
    }
    out
}

/// The tables of a dataset's JSON files that are arrays of objects.
fn json_views(site: &Site, ds: &Dataset, profiles: &crate::profile::Profiles) -> Vec<Value> {
    let lang = site.lang();
    let mut out = Vec::new();
    for r in &ds.resources {
        let Some((columns, rows, count)) = r.local_path().and_then(|p| profiles.get(p)?.records.as_ref()) else {
            continue;
        };
        out.push(json!({
            "id": format!("j{}", out.len() + 1),
            "title": r.title(),
            "count_display": format_count(*count as u64, lang),
            "head_rows": rows.len(),
            "columns": columns,
            "rows": rows,
        }));
    }
    out
}

/// The maps of a dataset's GeoJSON files, with a table of their first
/// features.
fn geo_views(site: &Site, ds: &Dataset, profiles: &crate::profile::Profiles) -> Vec<Value> {
    let lang = site.lang();
    let mut out = Vec::new();
    for r in &ds.resources {
        let Some(Some(Ok(layer))) = r.local_path().and_then(|p| profiles.get(p)).map(|p| p.geo.as_ref()) else {
            continue;
        };
        let id = format!("g{}", out.len() + 1);
        let title = crate::tr!(lang, "Carte de « {} »", "Map of “{}”", r.title());
        out.push(json!({
            "id": id,
            "title": r.title(),
            "svg": crate::svg::map(&crate::svg::Frame::new(&id, &title, lang), &layer.shapes),
            "geojson": match &r.source {
                crate::model::ResourceSource::Local { name, .. } => Some(crate::util::url_path(name)),
                crate::model::ResourceSource::Remote { .. } => None,
            },
            "features_display": format_count(layer.features as u64, lang),
            "columns": layer.columns,
            "rows": layer.rows,
        }));
    }
    out
}

/// A small SVG chart of a column: a histogram of numbers, counts over time
/// of dates, the top values of a category; `None` when there is nothing
/// worth drawing (identifiers, columns of distinct texts).
fn column_chart(id: &str, col: &crate::tabular::ColumnProfile, lang: Lang) -> Option<String> {
    use crate::svg;
    use crate::tabular::Distribution;
    let title = crate::tr!(lang, "Répartition de « {} »", "Distribution of “{}”", col.name);
    let frame = svg::Frame::small(id, &title, lang);
    if crate::export::is_identifier_like(col) {
        return None;
    }
    match &col.distribution {
        Some(Distribution::Numbers { bins, values, exact }) if *values > 1 => {
            Some(svg::histogram_of(&frame, bins, !exact))
        }
        Some(Distribution::Periods { counts, .. }) if counts.len() > 1 => Some(svg::timeline(&frame, counts)),
        _ if !col.top.is_empty() && col.top.len() < col.distinct as usize + 1 && col.top[0].1 > 1 => {
            let items: Vec<(String, f64)> = col.top.iter().take(5).map(|(v, n)| (v.clone(), *n as f64)).collect();
            Some(svg::bars(&frame, &items))
        }
        _ => None,
    }
}

/// A cell as a page shows it: numbers and dates in the site's language,
/// other text as is.
fn display_cell(cell: &str, kind: crate::tabular::ColumnType, decimal: u8, lang: Lang) -> String {
    use crate::tabular::ColumnType::*;
    match kind {
        Integer | Number => crate::tabular::plain_number(cell, decimal).map(|n| lang.format_plain_number(&n)),
        Date => crate::tabular::iso_temporal(cell).map(|d| lang.format_date(&d)),
        _ => None,
    }
    .unwrap_or_else(|| cell.to_string())
}

/// Adds what a page shows of a resource: size, dialect, rows, and for each
/// column its fill rate and the key of its type's label.
fn resource_display(rv: &mut Value, lang: Lang) {
    let size = rv["bytes"].as_u64().map(|b| lang.format_bytes(b));
    let dialect = rv.get("dialect").filter(|d| d.is_object()).map(|d| dialect_display(d, lang));
    let rows = rv["rows"].as_u64().unwrap_or(0);
    if let Some(columns) = rv.get_mut("columns").and_then(Value::as_array_mut) {
        for c in columns {
            let nulls = c["nulls"].as_u64().unwrap_or(0);
            let fill = if rows == 0 { 0.0 } else { (rows - nulls.min(rows)) as f64 * 100.0 / rows as f64 };
            let type_key = format!("type_{}", c["type"].as_str().unwrap_or("any"));
            if let Some(o) = c.as_object_mut() {
                o.insert("fill_display".into(), json!(format_percent(fill, lang)));
                o.insert("type_key".into(), json!(type_key));
            }
        }
    }
    if let Some(o) = rv.as_object_mut() {
        o.insert("size_display".into(), json!(size));
        o.insert("dialect_display".into(), json!(dialect));
        o.insert("rows_display".into(), json!(format_count(rows, lang)));
    }
}

/// A percentage with one decimal, in the site's language (`97,5 %`).
fn format_percent(value: f64, lang: Lang) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::Fr => format!("{}\u{a0}%", text.replace('.', ",")),
        Lang::En => format!("{text}%"),
    }
}

/// A count with thousands grouped (`1 344` / `1,344`).
fn format_count(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = lang.pick("\u{202f}", ",");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// The detected encoding and separators, in words.
fn dialect_display(d: &Value, lang: Lang) -> String {
    let sep = match d["delimiter"].as_str().unwrap_or(",") {
        "," => lang.pick("virgule", "comma").to_string(),
        ";" => lang.pick("point-virgule", "semicolon").to_string(),
        "\t" => lang.pick("tabulation", "tab").to_string(),
        "|" => lang.pick("barre verticale", "vertical bar").to_string(),
        other => format!("« {other} »"),
    };
    let decimal = match d["decimal"].as_str() {
        Some(",") => lang.pick(", virgule décimale", ", decimal comma"),
        _ => "",
    };
    let encoding = d["encoding"].as_str().unwrap_or("UTF-8");
    let bom = if d["bom"].as_bool() == Some(true) { lang.pick(" avec BOM", " with BOM") } else { "" };
    crate::tr!(lang, "{encoding}{bom}, séparateur {sep}{decimal}", "{encoding}{bom}, {sep}-separated{decimal}")
}

fn temporal_display(t: &crate::model::Temporal, lang: Lang) -> Option<String> {
    let start = t.start.as_ref().map(|s| lang.format_date(&s.value));
    let end = t.end.as_ref().map(|s| lang.format_date(&s.value));
    match (start, end, lang) {
        (Some(s), Some(e), Lang::Fr) => Some(format!("du {s} au {e}")),
        (Some(s), Some(e), Lang::En) => Some(format!("from {s} to {e}")),
        (Some(s), None, Lang::Fr) => Some(format!("depuis le {s}")),
        (Some(s), None, Lang::En) => Some(format!("since {s}")),
        (None, Some(e), Lang::Fr) => Some(format!("jusqu'au {e}")),
        (None, Some(e), Lang::En) => Some(format!("until {e}")),
        (None, None, _) => None,
    }
}

/// Builds the template environment; template syntax errors are reported
/// with the file and line.
fn environment<'a>(theme: &'a Theme, lang: Lang, diags: &mut Diagnostics) -> Option<Environment<'a>> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder().keep_trailing_newline(true).build();
    if let Ok(syntax) = syntax {
        env.set_syntax(syntax);
    }
    env.set_formatter(html_formatter);
    let mut ok = true;
    for (name, template) in &theme.templates {
        if let Err(e) = env.add_template(name, &template.source) {
            diags.push(template_diagnostic(theme, &e, lang));
            ok = false;
        }
    }
    ok.then_some(env)
}

/// Escapes `& < > " '` in HTML templates (minijinja's default also escapes
/// `/`, which makes every URL unreadable), and prints nothing for none and
/// undefined values.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &JValue,
) -> Result<(), minijinja::Error> {
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    if !matches!(state.auto_escape(), minijinja::AutoEscape::Html) || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped).map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

fn template_diagnostic(theme: &Theme, e: &minijinja::Error, lang: Lang) -> Diagnostic {
    // The innermost error names the template where it happened.
    let mut inner: &dyn std::error::Error = e;
    let mut located = e;
    while let Some(src) = inner.source() {
        if let Some(m) = src.downcast_ref::<minijinja::Error>()
            && m.name().is_some()
        {
            located = m;
        }
        inner = src;
    }
    let name = located.name().unwrap_or("?");
    let file = theme.templates.get(name).map(|t| t.file(name)).unwrap_or_else(|| format!("templates/{name}"));
    let detail = located.detail().map(str::to_string).unwrap_or_else(|| located.kind().to_string());
    let mut d = Diagnostic::error(
        "template-error",
        tr!(lang, "erreur dans le gabarit « {name} » : {detail}", "error in template “{name}”: {detail}"),
    )
    .file(file)
    .hint(tr!(
        lang,
        "corrigez le gabarit ; les gabarits utilisent la syntaxe Jinja (https://docs.rs/minijinja)",
        "fix the template; templates use the Jinja syntax (https://docs.rs/minijinja)"
    ));
    if let Some(line) = located.line() {
        d = d.at(line, 1);
    }
    d
}
