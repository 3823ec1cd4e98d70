//! `catalog.csv`: one row per dataset, in the national schema of local
//! catalogues (`scdl-catalogue` 0.1.3, OpenDataFrance), RFC 4180 quoting,
//! CRLF line ends, UTF-8 without BOM.
//!
//! Every column of that schema is required. Where kiosque's model has no
//! value, the row falls back as documented on [`COLUMNS`]; a SIRET cannot be
//! guessed, so without one the cell stays empty (and the row is invalid).

use super::dates;
use super::input::{CatalogInput, DatasetInput};
use super::iri::unaccent_lower;
use super::vocab;

/// The columns, in the schema's order:
/// - `COLL_NOM`: the catalogue's publisher (else its title);
/// - `COLL_SIRET`: the catalogue's `publisher_siret`;
/// - `ID`: the slug; `TITRE`; `DESCRIPTION` (else the title);
/// - `THEME`: French labels of the EU themes, `;`-separated (else `Autre`);
/// - `PRODUCTEUR_NOM`: the dataset's publisher (else the catalogue's);
/// - `PRODUCTEUR_SIRET`: the dataset's `publisher_siret`, else the catalogue's;
/// - `COUV_SPAT_MAILLE`: `Communale` with an INSEE code, else `Autre`;
/// - `COUV_SPAT_NOM`: spatial label, else INSEE code, else the producer;
/// - `COUV_TEMP_DEBUT`: temporal start, else created, else modified (first day of a partial date);
/// - `COUV_TEMP_FIN`: temporal end, else modified, else the start (last day of a partial date);
/// - `DATE_PUBL`: created, else modified; `DATE_MAJ`: modified, else created;
/// - `FREQ_MAJ`: the schema's label of the frequency (else `Inconnue`);
/// - `MOTS_CLES`: keywords, lower case without accents, `;`-separated (else the slug);
/// - `LICENCE`: `Licence Ouverte-LO`, `Open Database License-ODBL`, `Creative Commons-CC` or `Spécifique ou autre`;
/// - `NOMBRE_RESSOURCES`; `FORMAT_RESSOURCES`: lower-case formats, `;`-separated;
/// - `URL`: the landing page.
pub const COLUMNS: [&str; 20] = [
    "COLL_NOM",
    "COLL_SIRET",
    "ID",
    "TITRE",
    "DESCRIPTION",
    "THEME",
    "PRODUCTEUR_NOM",
    "PRODUCTEUR_SIRET",
    "COUV_SPAT_MAILLE",
    "COUV_SPAT_NOM",
    "COUV_TEMP_DEBUT",
    "COUV_TEMP_FIN",
    "DATE_PUBL",
    "FREQ_MAJ",
    "DATE_MAJ",
    "MOTS_CLES",
    "LICENCE",
    "NOMBRE_RESSOURCES",
    "FORMAT_RESSOURCES",
    "URL",
];

/// One RFC 4180 field: quoted when it holds a comma, a quote, a line break
/// or leading/trailing spaces; quotes doubled.
pub fn csv_field(value: &str) -> String {
    let needs = value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ');
    if needs { format!("\"{}\"", value.replace('"', "\"\"")) } else { value.to_string() }
}

fn first_day(values: &[Option<&str>]) -> String {
    values.iter().flatten().find_map(|v| dates::parse(v)).map(|d| d.first_day()).unwrap_or_default()
}

fn last_day(values: &[Option<&str>]) -> String {
    values.iter().flatten().find_map(|v| dates::parse(v)).map(|d| d.last_day()).unwrap_or_default()
}

fn is_commune_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && (b[0].is_ascii_digit() || b[0] == b'2')
        && (b[1].is_ascii_digit() || b[1].eq_ignore_ascii_case(&b'A') || b[1].eq_ignore_ascii_case(&b'B'))
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn one_line(text: &str) -> String {
    text.trim().to_string()
}

/// The row of a dataset, cell by cell (in [`COLUMNS`] order).
pub fn row(cat: &CatalogInput, ds: &DatasetInput) -> Vec<String> {
    let producer = cat.publisher_of(ds).trim().to_string();
    let themes: Vec<&str> = ds.themes.iter().filter_map(|t| vocab::theme(t)).map(|t| t.fr).collect();
    let spatial = cat.spatial_of(ds);
    let insee = spatial.and_then(|s| s.insee.as_deref()).map(str::trim).filter(|c| !c.is_empty());
    let label = spatial.and_then(|s| s.label.as_deref()).map(str::trim).filter(|c| !c.is_empty());
    let (t_start, t_end) = match &ds.temporal {
        Some((s, e)) => (s.as_deref(), e.as_deref()),
        None => (None, None),
    };
    let created = ds.created.as_deref();
    let modified = ds.modified.as_deref();
    let start = first_day(&[t_start, created, modified]);
    let end = {
        let end = last_day(&[t_end, modified]);
        if end.is_empty() { last_day(&[t_start, created]) } else { end }
    };
    let keywords: Vec<String> =
        ds.keywords.iter().map(|k| unaccent_lower(k.trim()).replace(';', ",")).filter(|k| !k.is_empty()).collect();
    let mut formats: Vec<String> = Vec::new();
    for r in &ds.distributions {
        let label = r.format.as_deref().map(|f| match vocab::format(f) {
            Some(known) => known.frictionless.to_string(),
            None => f.trim().to_ascii_lowercase(),
        });
        let label = label.filter(|l| !l.is_empty()).or_else(|| {
            let name = r.path.as_deref().unwrap_or(&r.download_url);
            let name = name.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("");
            name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase())
        });
        if let Some(l) = label
            && !formats.contains(&l)
        {
            formats.push(l);
        }
    }
    let description = if ds.description.trim().is_empty() { &ds.title } else { &ds.description };
    vec![
        one_line(cat.publisher_name()),
        cat.publisher_siret.as_deref().unwrap_or("").trim().to_string(),
        ds.slug.clone(),
        one_line(&ds.title),
        description.trim().to_string(),
        if themes.is_empty() { "Autre".to_string() } else { themes.join(";") },
        producer.clone(),
        cat.siret_of(ds).unwrap_or("").trim().to_string(),
        if insee.is_some_and(is_commune_code) { "Communale" } else { "Autre" }.to_string(),
        label.or(insee).map(str::to_string).unwrap_or(producer),
        start,
        end,
        first_day(&[created, modified]),
        ds.frequency.as_deref().and_then(vocab::frequency).map(|f| f.scdl).unwrap_or("Inconnue").to_string(),
        first_day(&[modified, created]),
        if keywords.is_empty() { ds.slug.clone() } else { keywords.join(";") },
        vocab::scdl_license(cat.license_of(ds).map(|l| l.id.as_str())).to_string(),
        ds.distributions.len().to_string(),
        formats.join(";"),
        ds.landing_page.clone(),
    ]
}

/// The required cells left empty (every column of the schema is required),
/// as `(slug, column)`: what makes `catalog.csv` fail validation, for the
/// caller to report (typically `COLL_SIRET` and `PRODUCTEUR_SIRET` when no
/// SIRET is configured).
pub fn empty_cells(cat: &CatalogInput) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for ds in &cat.datasets {
        for (cell, column) in row(cat, ds).iter().zip(COLUMNS) {
            let empty = cell.trim().is_empty() || (column == "NOMBRE_RESSOURCES" && cell == "0");
            let bad_siret = column.ends_with("_SIRET")
                && !cell.is_empty()
                && !(cell.len() == 14 && cell.bytes().all(|b| b.is_ascii_digit()));
            if empty || bad_siret {
                out.push((ds.slug.clone(), column));
            }
        }
    }
    out
}

/// `catalog.csv`: the header and one row per dataset, in input order.
pub fn catalog_csv(cat: &CatalogInput) -> String {
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        // Opened in spreadsheets too: no cell may run as a formula.
        let fields: Vec<String> =
            cells.iter().map(|c| csv_field(&crate::tabular::spreadsheet_safe(&super::iri::clean_text(c)))).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    line(&COLUMNS.map(str::to_string));
    for ds in &cat.datasets {
        line(&row(cat, ds));
    }
    out
}
