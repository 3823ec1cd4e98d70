//! The CI recipes in `ci-recipes/`: valid YAML, and the kiosque commands
//! they run succeed on the example site, as the pipelines would run them.

mod common;

use std::path::Path;

fn recipe(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ci-recipes").join(name)).unwrap()
}

/// The kiosque commands of a recipe's `run:` steps or `script:` lines.
fn kiosque_commands(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().trim_start_matches("- ").trim_start_matches("run: ").trim())
        .filter(|l| l.starts_with("kiosque check") || l.starts_with("kiosque build"))
        .map(str::to_string)
        .collect()
}

/// Runs a recipe's commands in a copy of the example site.
fn run_commands(commands: &[String]) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"), &site);
    for command in commands {
        // The recipe's shell redirections are not ours to run: keep the command.
        let command = command.split(" > ").next().unwrap().split(" || ").next().unwrap();
        let args: Vec<std::ffi::OsString> = command.split_whitespace().skip(1).map(Into::into).collect();
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let run = common::run_kiosque(Some(&site), &args);
        assert_eq!(run.code, 0, "`{command}` failed:\n{}{}", run.stdout, run.stderr);
    }
    assert!(site.join("public/index.html").is_file() || commands.iter().all(|c| !c.contains("build")));
}

#[test]
fn github_pages_recipe() {
    let text = recipe("github-pages.yml");
    kiosque::yaml::parse(&text).expect("valid YAML");
    let commands = kiosque_commands(&text);
    assert_eq!(commands, ["kiosque check . --format github", "kiosque build . -o public"]);
    assert!(text.contains("actions/upload-pages-artifact") && text.contains("path: public"));
    run_commands(&commands);
}

#[test]
fn gitlab_pages_recipe() {
    let text = recipe("gitlab-pages.yml");
    kiosque::yaml::parse(&text).expect("valid YAML");
    let commands = kiosque_commands(&text);
    assert_eq!(
        commands,
        [
            "kiosque check . --format json > kiosque-report.json || (kiosque check . ; exit 1)",
            "kiosque build . -o public"
        ]
    );
    assert!(text.contains("pages:") && text.contains("paths: [public]"));
    run_commands(&commands);
}
