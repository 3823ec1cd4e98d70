//! `kiosque serve`: the site is served on 127.0.0.1, rebuilt when a file
//! changes, and the last good site stays served when a build fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Gives up waiting after this long (the rebuild itself takes well under a second).
const PATIENCE: Duration = Duration::from_secs(30);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A plain HTTP/1.1 GET; the status code and body, or `None` when nothing
/// listens yet.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

/// Waits until `path` answers with a body containing `text`.
fn wait_for(port: u16, path: &str, text: &str) -> Duration {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if get(port, path).is_some_and(|(_, body)| body.contains(text)) {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{path} never showed “{text}”");
}

/// Reads the event stream until `text` shows up.
fn wait_for_event(port: u16, text: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    write!(stream, "GET /__kiosque/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let start = Instant::now();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < PATIENCE {
        if let Ok(n) = stream.read(&mut buf) {
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            if seen.contains(text) {
                return seen;
            }
        }
    }
    panic!("no “{text}” in the events: {seen}");
}

/// A running `kiosque serve`, its standard error kept in a file to count
/// its builds.
struct Server {
    child: Child,
    log: tempfile::NamedTempFile,
}

impl Server {
    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap()
    }

    /// Builds done so far (each ends with one of these two lines).
    fn builds(&self) -> usize {
        let log = self.log();
        log.matches("✓ Site reconstruit.").count() + log.matches("✗ Construction en erreur").count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(site: &Path, port: u16) -> Server {
    serve_with(site, port, &[])
}

/// [`serve`] with more environment variables.
fn serve_with(site: &Path, port: u16, envs: &[(&str, &Path)]) -> Server {
    let log = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["serve", site.to_str().unwrap(), "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    Server { child, log }
}

fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.yaml"), "title: Essai\nlicense: etalab-2.0\npublisher: Mairie\n").unwrap();
    std::fs::create_dir_all(root.join("datasets/d")).unwrap();
    std::fs::write(
        root.join("datasets/d/dataset.yaml"),
        "title: Premier titre\ndescription: D.\nmodified: 2026-11-01\n",
    )
    .unwrap();
    std::fs::write(root.join("datasets/d/t.csv"), "a,b\n1,2\n").unwrap();
    tmp
}

#[test]
fn serves_rebuilds_and_keeps_the_last_good_site() {
    let site = site();
    let port = free_port();
    let _server = serve(site.path(), port);
    wait_for(port, "/datasets/d/index.html", "Premier titre");
    let (status, page) = get(port, "/datasets/d/index.html").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("/__kiosque/live.js"), "the reload script is injected while serving");
    let (status, css) = get(port, "/assets/kiosque.css").unwrap();
    assert_eq!(status, 200);
    assert!(!css.contains("__kiosque"));
    assert_eq!(get(port, "/datasets/nope/").unwrap().0, 404);
    assert_ne!(get(port, "/../../etc/passwd").unwrap().0, 200);

    // A changed sidecar: the new title is served after the rebuild.
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    std::fs::write(&sidecar, "title: Second titre\ndescription: D.\nmodified: 2026-11-01\n").unwrap();
    let took = wait_for(port, "/datasets/d/index.html", "Second titre");
    eprintln!("new title served {took:?} after the change");

    // A broken sidecar: the error is reported, the last good site stays.
    std::fs::write(&sidecar, "title: [pas fermé\n").unwrap();
    let events = wait_for_event(port, "error-report");
    assert!(events.contains("dataset.yaml"), "{events}");
    let (status, page) = get(port, "/datasets/d/index.html").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("Second titre"));

    // Editors' temporary files do not trigger anything; fixing the file does.
    std::fs::write(&sidecar, "title: Troisième titre\ndescription: D.\nmodified: 2026-11-01\n").unwrap();
    wait_for(port, "/datasets/d/index.html", "Troisième titre");

    // Nothing was written into the site folder.
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["serve", site.path().to_str().unwrap(), "--port", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("le port {port} est déjà utilisé")), "{stderr}");
}

/// The preview rebuilds on real changes only, once per save: browsing the
/// site (the build's own reads of the site's files included) rebuilds
/// nothing, and a failed build shows its errors before its warnings.
#[test]
fn rebuilds_once_per_change_and_never_while_idle() {
    let site = site();
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    // A dataset late for its frequency: a warning on every build.
    std::fs::write(&sidecar, "title: Premier titre\ndescription: D.\nmodified: 2020-01-01\nfrequency: daily\n")
        .unwrap();
    let port = free_port();
    let server = serve(site.path(), port);
    wait_for(port, "/datasets/d/index.html", "Premier titre");
    assert_eq!(server.builds(), 1, "{}", server.log());

    // Ten seconds of browsing: pages, assets, data, catalogue, event stream.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        for path in ["/", "/datasets/d/", "/datasets/d/t.csv", "/catalog.ttl", "/assets/kiosque.css", "/nope"] {
            get(port, path).unwrap();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(server.builds(), 1, "rebuilt with nothing changed:\n{}", server.log());

    // One save: one rebuild.
    std::fs::write(&sidecar, "title: Second titre\ndescription: D.\nmodified: 2020-01-01\nfrequency: daily\n").unwrap();
    wait_for(port, "/datasets/d/index.html", "Second titre");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.builds(), 2, "{}", server.log());

    // A new modification time alone may change the site (dates come from it): one rebuild.
    let csv = std::fs::File::options().write(true).open(site.path().join("datasets/d/t.csv")).unwrap();
    csv.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600)).unwrap();
    drop(csv);
    let deadline = Instant::now() + PATIENCE;
    while server.builds() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.builds(), 3, "{}", server.log());

    // An error in site.yaml (which sorts after the dataset's warning): the
    // overlay starts with the error.
    let site_yaml = site.path().join("site.yaml");
    std::fs::write(&site_yaml, "title: Essai\nlicense: etalab-2.0\npublisher: Mairie\nfeatured: [nope]\n").unwrap();
    let events = wait_for_event(port, "error-report");
    let report = events.split("event: error-report").nth(1).unwrap();
    let error = report.find("unknown-featured").expect(report);
    let warning = report.find("dataset-late").expect(report);
    assert!(error < warning, "errors first in the overlay: {report}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.builds(), 4, "{}", server.log());
    assert_eq!(server.log().matches("✗ Construction en erreur").count(), 1);
}

/// A raw request with its own `Host` header; the status code.
fn status_with_host(port: u16, host: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// The preview answers only requests addressed to this machine (no DNS
/// rebinding), closes connections that send no headers in time, and
/// removes its temporary folder on SIGTERM.
#[test]
fn serve_answers_locally_times_out_idle_connections_and_cleans_up() {
    let site = site();
    let tmpdir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = serve_with(site.path(), port, &[("TMPDIR", tmpdir.path())]);
    wait_for(port, "/datasets/d/index.html", "Premier titre");
    assert_eq!(status_with_host(port, &format!("127.0.0.1:{port}")), 200);
    assert_eq!(status_with_host(port, &format!("localhost:{port}")), 200);
    assert_eq!(status_with_host(port, &format!("rebound.example:{port}")), 421);
    assert_eq!(status_with_host(port, "127.0.0.1:1"), 421);

    // A connection that starts a request and stops: closed after the header timeout.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    slow.set_read_timeout(Some(PATIENCE)).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 512];
    let n = slow.read(&mut buf).unwrap_or(0);
    let waited = start.elapsed();
    assert!(waited < Duration::from_secs(15), "closed after {waited:?}");
    assert!(waited >= Duration::from_secs(4), "closed after {waited:?}");
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(n == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
    // Still serving others.
    assert_eq!(get(port, "/").unwrap().0, 200);

    // SIGTERM: the built site in the temporary folder goes with the server.
    assert_eq!(std::fs::read_dir(tmpdir.path()).unwrap().count(), 1, "the preview's folder");
    let killed = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + PATIENCE;
    while server.child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.child.try_wait().unwrap().is_some(), "stopped on SIGTERM");
    let left: Vec<_> = std::fs::read_dir(tmpdir.path()).unwrap().flatten().map(|e| e.path()).collect();
    assert!(left.is_empty(), "{left:?}");
}
