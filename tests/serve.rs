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

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(site: &Path, port: u16) -> Server {
    Server(
        Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .args(["serve", site.to_str().unwrap(), "--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    )
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
