//! The build pipeline: `load` → `validate` → `profile` → `render` →
//! `export`, all in memory. `build` then writes the result; `check` stops
//! here. The CLI only calls these.

use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::LoadError;
use crate::model::Site;
use crate::output::Output;
use crate::quality::{self, Quality};
use crate::tr;
use crate::{export, load, profile, render, theme, validate};

/// A site built in memory, with every finding.
pub struct Built {
    pub site: Site,
    pub diagnostics: Diagnostics,
    pub output: Output,
    /// Quality of each dataset, in the order of `site.datasets`.
    pub qualities: Vec<Quality>,
}

/// Runs every stage but the write.
pub fn build(root: &Path) -> Result<Built, LoadError> {
    let today = quality::today();
    let (site, mut diags) = load::load(root)?;
    diags.extend(validate::validate(&site, today));
    let (profiles, d) = profile::profile(&site);
    diags.extend(d);
    let qualities: Vec<Quality> = site.datasets.iter().map(|ds| quality::assess(&site, ds, today, None)).collect();
    let theme = theme::load(&site, &mut diags);
    let objects: Vec<serde_json::Value> = site
        .datasets
        .par_iter()
        .zip(&qualities)
        .map(|(ds, q)| export::dataset_object(&site, ds, &profiles, q))
        .collect();
    let mut output = Output::default();
    diags.extend(render::render(&site, &theme, &objects, &qualities, &mut output));
    export::export(&site, &objects, &mut output);
    add_static(&site, &mut output, &mut diags);
    diags.sort();
    Ok(Built { site, diagnostics: diags, output, qualities })
}

/// `static/` is copied to the output root; a generated file wins over a
/// static file of the same path.
fn add_static(site: &Site, output: &mut Output, diags: &mut Diagnostics) {
    let lang = site.lang();
    for rel in &site.static_files {
        if output.contains(rel) {
            diags.push(
                Diagnostic::warning(
                    "static-conflict",
                    tr!(
                        lang,
                        "« static/{rel} » porte le nom d'un fichier généré par kiosque : il est ignoré",
                        "“static/{rel}” has the name of a file kiosque generates: it is ignored"
                    ),
                )
                .file(format!("static/{rel}"))
                .hint(tr!(
                    lang,
                    "renommez le fichier, ou surchargez le gabarit du thème à la place",
                    "rename the file, or override the theme's template instead"
                )),
            );
        } else {
            output.copy(rel.clone(), site.root.join("static").join(rel));
        }
    }
}
