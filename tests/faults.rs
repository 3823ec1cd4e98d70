//! Builds killed at any moment: the output folder always holds one whole
//! build — the previous one, or the new one when the kill came after the
//! swap — never a mix, and the next build repairs what the killed one left.

mod common;

use common::snapshot;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How many builds are killed.
const KILLS: usize = 50;

fn build_command(site: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosque"));
    cmd.args(["build".as_ref(), site.as_os_str(), "-o".as_ref(), out.as_os_str(), "--quiet".as_ref()])
        .env("SOURCE_DATE_EPOCH", "1795392000")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn build(site: &Path, out: &Path) -> Duration {
    let start = Instant::now();
    let status = build_command(site, out).status().unwrap();
    assert!(status.success(), "build of {} failed", site.display());
    start.elapsed()
}

/// The two versions of the site the test switches between: the example
/// site, and the same with one dataset's title changed.
fn set_version(site: &Path, second: bool) {
    let sidecar = site.join("datasets/budget/dataset.yaml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    let first_line = text.lines().next().unwrap().to_string();
    assert!(first_line.starts_with("title:"), "{first_line}");
    let title = if second { "title: Budget de la commune (version 2)" } else { "title: Budget de la commune" };
    std::fs::write(&sidecar, text.replacen(&first_line, title, 1)).unwrap();
}

#[test]
fn a_killed_build_leaves_a_whole_output() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"), &site);
    let out = tmp.path().join("public");

    // The two whole outputs, built once each in folders of their own.
    let mut versions = Vec::new();
    for second in [false, true] {
        set_version(&site, second);
        let dir = tmp.path().join(format!("expected-{second}"));
        build(&site, &dir);
        versions.push(snapshot(&dir));
    }
    assert_ne!(versions[0], versions[1]);
    set_version(&site, false);
    build(&site, &out);
    // The builds killed below are rebuilds that switch versions, with the
    // cache: the kill times are spread over what two of those take (a clean
    // build's time, several times longer, let a whole run of kills land
    // after the build when the machine was busy while it was timed).
    let mut slowest = Duration::ZERO;
    for second in [true, false] {
        set_version(&site, second);
        slowest = slowest.max(build(&site, &out));
    }
    assert_eq!(snapshot(&out), versions[0]);
    let mut current = 0;

    // Kill times spread over a whole build and a bit beyond (a seeded
    // sequence: the same moments on every run).
    let mut seed: u64 = 0x6b69_6f73_7175_6521;
    let (mut before_swap, mut after_swap) = (0, 0);
    for i in 0..KILLS {
        set_version(&site, current == 0);
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let fraction = (seed >> 33) as f64 / (1u64 << 31) as f64;
        let delay = slowest.mul_f64(1.2 * fraction);
        let mut child = build_command(&site, &out).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&out);
        match versions.iter().position(|v| *v == now) {
            Some(v) if v == current => before_swap += 1,
            Some(v) => {
                after_swap += 1;
                current = v;
            }
            None => panic!("kill {i} after {delay:?}: the output is neither the previous build nor the new one"),
        }
    }
    eprintln!("{KILLS} builds killed: {before_swap} left the previous output, {after_swap} had finished");
    assert!(before_swap > 0, "no kill landed during a build: {slowest:?} per build");

    // The next build repairs what the killed ones left: no temporary
    // folder beside the output, and the output of a clean build.
    set_version(&site, true);
    build(&site, &out);
    assert_eq!(snapshot(&out), versions[1]);
    assert_eq!(common::build_leftovers(tmp.path()), Vec::<String>::new());
}

/// A disk that fills up while data files are read (issue 23, item 12): the
/// build stops with exit code 2 and an I/O error naming the file it could
/// not write, beside the output folder; no data file is called unreadable,
/// and the previous output stays as it was. The disk is "full" for the
/// build process alone: its file size limit (`RLIMIT_FSIZE`, with
/// `SIGXFSZ` ignored so that a write past it fails with `EFBIG`, as a full
/// disk fails with `ENOSPC`).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_while_reading_data_is_an_output_error() {
    use std::os::unix::process::CommandExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/minimal"), &site);
    let out = tmp.path().join("public");
    build(&site, &out);
    let before = snapshot(&out);
    // A data file whose JSON export is larger than what may be written.
    let csv = site.join("datasets/budget/budget.csv");
    let mut text = String::from("annee,montant\n");
    for i in 0..20_000 {
        text.push_str(&format!("{},{}\n", 2000 + i % 26, i * 7));
    }
    std::fs::write(&csv, &text).unwrap();
    const LIMIT: u64 = 128 * 1024;
    assert!(text.len() as u64 > LIMIT / 2 && (text.len() as u64) < LIMIT * 2);
    let mut cmd = build_command(&site, &out);
    cmd.stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: LIMIT, rlim_max: LIMIT };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let run = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("écriture impossible de « ") && stderr.contains("place sur le disque"), "{stderr}");
    let named = tmp.path().to_string_lossy();
    assert!(stderr.contains(&*named) && stderr.contains("public"), "names where it wrote: {stderr}");
    assert!(!stderr.contains("unreadable-file") && !stderr.contains("impossible de lire"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the previous output is intact");
    // With room again, the build goes through.
    build(&site, &out);
    assert_eq!(std::fs::read_to_string(out.join("datasets/budget/budget.csv")).unwrap(), text);
}
