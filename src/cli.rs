//! The command line. It parses arguments, calls the pipeline's stages and
//! maps outcomes to exit codes: 0 success (warnings allowed), 1 validation
//! errors, 2 usage or I/O errors.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::pipeline::{self, Built};

#[derive(Parser, Debug)]
#[command(
    name = "kiosque",
    version,
    about = "Un portail de données ouvertes statique à partir d'un dossier de jeux de données / A static open data portal from a folder of datasets"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Vérifie puis construit le site / validate, then write the site
    Build {
        /// Dossier du site / site folder
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Dossier de sortie (par défaut SITE/public) / output folder (default SITE/public)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Format des diagnostics / diagnostics format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// N'affiche que les erreurs et avertissements / print only errors and warnings
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Affiche aussi la durée de chaque étape / also print how long each stage took
        #[arg(short, long)]
        verbose: bool,
    },
    /// Vérifie le site sans rien écrire / validate only, write nothing
    Check {
        /// Dossier du site / site folder
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Format des diagnostics / diagnostics format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Montre ce que le portail national moissonnera du catalogue DCAT /
        /// preview what the national portal will harvest from the DCAT catalogue
        #[arg(long)]
        harvest: bool,
    },
    /// Construit, sert le site en local et le reconstruit à chaque modification /
    /// build, serve the site locally and rebuild it on every change
    Serve {
        /// Dossier du site / site folder
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Port local (http://127.0.0.1:PORT/) / local port
        #[arg(short, long, default_value_t = 8000)]
        port: u16,
    },
    /// Écrit la fiche d'un fichier de données, avec ce qui peut être deviné /
    /// write the sidecar of a data file, with what can be inferred
    Add {
        /// Le fichier de données / the data file
        file: PathBuf,
        /// Identifiant du jeu de données (slug) / dataset slug
        #[arg(long)]
        dataset: Option<String>,
    },
    /// Crée un petit site prêt à construire / write a small site that builds as it is
    New {
        /// Dossier à créer / folder to create
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    run(cli)
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build { site, output, format, quiet, verbose } => build(&site, output, format, quiet, verbose),
        Command::Check { site, format, harvest } => check(&site, format, harvest),
        Command::New { dir } => new(&dir),
        Command::Add { file, dataset } => match crate::add::add(&file, dataset.as_deref()) {
            Ok(sidecar) => {
                eprintln!("{}", sidecar.display());
                ExitCode::SUCCESS
            }
            Err(e) => fatal(e),
        },
        Command::Serve { site, port } => {
            let lang = crate::load::site_language(&site);
            match crate::serve::serve(&site, port, lang) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    let _ = writeln!(anstream::stderr(), "kiosque: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn fatal(message: impl std::fmt::Display) -> ExitCode {
    let _ = writeln!(anstream::stderr(), "kiosque: {message}");
    ExitCode::from(2)
}

/// Prints the diagnostics in the chosen format: human and GitHub output on
/// stderr and stdout respectively, JSON on stdout.
fn report(built: &Built, site_arg: &Path, format: Format) {
    let d = &built.diagnostics;
    match format {
        Format::Human => {
            if !d.is_empty() {
                let styled = std::io::stderr().is_terminal();
                let text = d.to_human(&|f| built.site.disk_path(f), &built.site.sources, built.site.lang(), styled);
                let _ = anstream::stderr().write_all(text.as_bytes());
            }
        }
        Format::Json => {
            let _ = std::io::stdout().write_all(d.to_json().as_bytes());
        }
        Format::Github => {
            let _ = std::io::stdout().write_all(d.to_github(site_arg).as_bytes());
        }
    }
}

fn check(site: &Path, format: Format, harvest: bool) -> ExitCode {
    // The harvest preview reads the catalogue a build publishes, sizes of
    // the derived copies included: those are made, in a folder dropped after.
    let spool = match harvest.then(|| tempfile::Builder::new().prefix("kiosque-check-").tempdir()).transpose() {
        Ok(spool) => spool,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let purpose = match &spool {
        Some(dir) => pipeline::Purpose::Build { spool: dir.path(), cache: None, progress: None },
        None => pipeline::Purpose::Check,
    };
    let built = match pipeline::build(site, purpose) {
        Ok(b) => b,
        Err(e) => return fatal(e),
    };
    if format == Format::Human {
        let lang = built.site.lang();
        let rows: Vec<(String, crate::quality::Quality)> =
            built.site.datasets.iter().map(|d| d.slug.clone()).zip(built.qualities.iter().cloned()).collect();
        if !rows.is_empty() {
            eprintln!(
                "{}\n{}",
                lang.pick("Qualité des jeux de données :", "Dataset quality:"),
                crate::quality::table(&rows, lang)
            );
        }
    }
    if harvest {
        return check_harvest(&built, site, format);
    }
    report(&built, site, format);
    if format == Format::Human && built.diagnostics.is_empty() {
        eprintln!("{}", built.site.lang().pick("Aucun problème trouvé.", "No problem found."));
    }
    if built.diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// `check --harvest`: the diagnostics, then what the national harvester
/// will read from the DCAT catalogue (a `harvest` array in JSON output).
fn check_harvest(built: &Built, site: &Path, format: Format) -> ExitCode {
    let lang = built.site.lang();
    let preview = built
        .catalog
        .as_ref()
        .and_then(|c| crate::dcat::build_graph(c).ok())
        .map(|g| crate::harvest::preview(&g.graph(), built.today, lang));
    match format {
        Format::Json => {
            let mut v: serde_json::Value = serde_json::from_str(&built.diagnostics.to_json()).expect("our JSON parses");
            v["harvest"] = serde_json::json!(preview);
            println!("{}", serde_json::to_string_pretty(&v).expect("JSON serialises"));
        }
        _ => {
            report(built, site, format);
            match &preview {
                Some(p) => print!("{}", crate::harvest::to_text(p, lang)),
                None => eprintln!(
                    "{}",
                    lang.pick(
                        "Pas de catalogue DCAT sans « base_url » dans site.yaml : le portail national n'aurait rien à moissonner.",
                        "No DCAT catalogue without “base_url” in site.yaml: the national portal would have nothing to harvest."
                    )
                ),
            }
        }
    }
    if built.diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn build(site: &Path, output: Option<PathBuf>, format: Format, quiet: bool, verbose: bool) -> ExitCode {
    let started = std::time::Instant::now();
    let out = output.unwrap_or_else(|| site.join("public"));
    // Refuse a dangerous destination before any work; then take the build
    // lock and a staging folder, where large derived files are streamed.
    // A progress bar while data files are read, on an interactive terminal
    // only (CI logs get the closing summary).
    let bar =
        (format == Format::Human && !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none())
            .then(progress_bar);
    let tick = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let published = pipeline::publish(site, &out, bar.as_ref().map(|_| &tick as crate::profile::Progress));
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let published = match published {
        Ok(p) => p,
        Err(e) => return fatal(e),
    };
    let built = &published.built;
    report(built, site, format);
    let lang = built.site.lang();
    match published.written {
        None => {
            if format == Format::Human {
                eprintln!(
                    "{}",
                    lang.pick(
                        "Rien n'a été écrit : corrigez les erreurs ci-dessus, le site publié précédemment reste en place.",
                        "Nothing was written: fix the errors above; the previously built site is left in place."
                    )
                );
            }
            ExitCode::from(1)
        }
        Some(stats) => {
            if verbose && format == Format::Human {
                let timings = &built.timings;
                let name = |stage: &str| {
                    match stage {
                        "load + validate" => lang.pick("lecture des fiches et vérification", "load + validate"),
                        "profile" => lang.pick("lecture des données", "profile"),
                        "render" => lang.pick("pages", "render"),
                        "export" => lang.pick("exports", "export"),
                        "write" => lang.pick("écriture", "write"),
                        other => other,
                    }
                    .to_string()
                };
                let parts: Vec<String> = timings
                    .iter()
                    .map(|lap| format!("{} {}", name(lap.stage), seconds_to(lap.time.as_secs_f64(), 2, lang)))
                    .collect();
                eprintln!("{}", parts.join(" · "));
                let memory: Vec<String> = timings
                    .iter()
                    .filter_map(|lap| Some(format!("{} {}", name(lap.stage), lang.format_bytes(lap.peak_memory?))))
                    .collect();
                if !memory.is_empty() {
                    eprintln!(
                        "{} {}",
                        lang.pick(
                            "mémoire maximale à la fin de chaque étape :",
                            "peak memory at the end of each stage:"
                        ),
                        memory.join(" · ")
                    );
                }
                let c = published.cache;
                eprintln!(
                    "{}",
                    crate::tr!(
                        lang,
                        "fichiers de données : {} repris de la construction précédente, {} lus",
                        "data files: {} reused from the previous build, {} read",
                        c.reused,
                        c.read
                    )
                );
                let datasets = built.site.datasets.len();
                eprintln!(
                    "{}",
                    crate::tr!(
                        lang,
                        "jeux de données : {} repris de la construction précédente, {} produits",
                        "datasets: {} reused from the previous build, {} made",
                        published.reused,
                        datasets - published.reused
                    )
                );
            }
            if !quiet && format == Format::Human {
                let datasets = built.site.datasets.len();
                let pages = built.site.pages.len();
                let size = lang.format_bytes(stats.bytes);
                let warnings =
                    built.diagnostics.iter().filter(|d| d.severity == crate::diag::Severity::Warning).count();
                let took = seconds(started.elapsed().as_secs_f64(), lang);
                let msg = if published.unchanged {
                    crate::tr!(
                        lang,
                        "Rien n'a changé depuis la construction précédente : « {} » est à jour ({datasets} jeu(x) de données, {pages} page(s), {} fichiers ({size}), {warnings} avertissement(s)), vérifié en {took}.",
                        "Nothing changed since the previous build: “{}” is up to date ({datasets} dataset(s), {pages} page(s), {} files ({size}), {warnings} warning(s)), checked in {took}.",
                        out.display(),
                        stats.files
                    )
                } else {
                    crate::tr!(
                        lang,
                        "Site construit dans « {} » : {datasets} jeu(x) de données, {pages} page(s), {} fichiers ({size}), {warnings} avertissement(s), en {took}.",
                        "Site built in “{}”: {datasets} dataset(s), {pages} page(s), {} files ({size}), {warnings} warning(s), in {took}.",
                        out.display(),
                        stats.files
                    )
                };
                eprintln!("{msg}");
            }
            ExitCode::SUCCESS
        }
    }
}

/// The bar shown while data files are read (language unknown before the
/// site is loaded: both).
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    let style =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} fichiers de données / data files ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Seconds with one decimal, in the site's language (`1,5 s`).
fn seconds(s: f64, lang: crate::lang::Lang) -> String {
    seconds_to(s, 1, lang)
}

/// `s` seconds with `decimals` decimals (stages of a rebuild take
/// hundredths of a second).
fn seconds_to(s: f64, decimals: usize, lang: crate::lang::Lang) -> String {
    let text = format!("{s:.decimals$}\u{a0}s");
    if lang == crate::lang::Lang::Fr { text.replace('.', ",") } else { text }
}

fn new(dir: &Path) -> ExitCode {
    match crate::scaffold::new_site(dir) {
        Ok(_) => {
            let d = dir.display();
            eprintln!("Site créé dans « {d} ». Construisez-le avec : kiosque build {d}");
            eprintln!("Site created in “{d}”. Build it with: kiosque build {d}");
            ExitCode::SUCCESS
        }
        Err(e) => fatal(e),
    }
}
