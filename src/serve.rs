//! `kiosque serve`: builds the site into a temporary folder, serves it on
//! 127.0.0.1, watches the site folder and rebuilds on every change, then
//! tells open pages to reload (server-sent events). A build with errors
//! leaves the last good site served, prints the errors, and shows them in
//! the pages as an overlay. The reload script is injected into HTML
//! responses only here: `build` output never contains it.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify_debouncer_full::notify;
use notify_debouncer_full::notify::RecursiveMode;
use tokio::sync::broadcast;
use tower::ServiceExt;

use crate::lang::Lang;
use crate::pipeline;
use crate::tr;

/// Path prefix of the live-reload endpoints (never a site path: kiosque
/// output has no folder starting with `__`).
const PREFIX: &str = "/__kiosque";

/// The script pages load while served: reloads on a new build, shows build
/// errors over the page.
const LIVE_JS: &str = r#"(function () {
  'use strict';
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'kiosque-error-overlay';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 monospace;white-space:pre-wrap';
      document.body.appendChild(overlay);
    }
    overlay.textContent = text;
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  var source = new EventSource('/__kiosque/events');
  source.addEventListener('reload', function () { location.reload(); });
  source.addEventListener('error-report', function (e) { show(e.data); });
  source.addEventListener('ok', hide);
})();
"#;

/// What a build gave, as the server shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Ok,
    /// The diagnostics, as text.
    Failed(String),
}

struct Shared {
    out: PathBuf,
    status: Mutex<Status>,
    events: broadcast::Sender<Status>,
}

/// Builds `site` into `out` (replacing it only when the build has no
/// error); returns the report to print and whether it succeeded.
fn build_once(site: &Path, out: &Path) -> (String, Status) {
    match pipeline::publish(site, out, None) {
        Ok(p) => {
            let built = &p.built;
            let human = |d: &crate::diag::Diagnostics| {
                d.to_human(&|f| built.site.disk_path(f), &built.site.sources, built.site.lang(), false)
            };
            let report = human(&built.diagnostics);
            let status = if p.written.is_some() {
                Status::Ok
            } else {
                // The overlay shows what stopped the build before the warnings.
                let mut errors_first = built.diagnostics.clone();
                errors_first.diagnostics.sort_by_key(|d| d.severity);
                Status::Failed(human(&errors_first))
            };
            (report, status)
        }
        Err(e) => (e.to_string(), Status::Failed(e.to_string())),
    }
}

/// Whether a watcher event may change what the site builds to: a file or
/// folder created, removed, renamed, written or whose metadata (times,
/// permissions) changed, outside the [`ignored`] files. Reading a file is
/// not a change: on Linux every file the build opens gives an
/// `Access(Open)` event, and counting those rebuilt the site in a loop.
fn changes_the_site(event: &notify::Event, site: &Path) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    let kind_changes = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Other => true,
    };
    // An event without a path (the watcher lost track, e.g. its queue
    // overflowed) may hide any change.
    kind_changes && (event.paths.is_empty() || event.paths.iter().any(|p| !ignored(p, site)))
}

/// Files whose changes do not call for a rebuild: editors' temporary and
/// backup files, version control, the default output folder.
fn ignored(path: &Path, site: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(site) else { return true };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    if let Some(first) = parts.next()
        && (first == "public" || first == ".git" || first == crate::write::CACHE)
    {
        return true;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload"].iter().any(|e| name.ends_with(e))
        || name == "4913"
        || name.starts_with("~$")
}

/// Runs `kiosque serve`. Blocks until interrupted.
pub fn serve(site: &Path, port: u16, lang: Lang) -> Result<(), String> {
    let site = std::fs::canonicalize(site).map_err(|e| format!("{}: {e}", site.display()))?;
    let tmp = tempfile::Builder::new().prefix("kiosque-serve-").tempdir().map_err(|e| e.to_string())?;
    let out = tmp.path().join("site");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => tr!(
                lang,
                "le port {port} est déjà utilisé (un autre « kiosque serve » ?) : choisissez-en un autre avec --port {}",
                "port {port} is already in use (another “kiosque serve”?): choose another one with --port {}",
                port.wrapping_add(1)
            ),
            _ => e.to_string(),
        })?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;

    let (report, status) = build_once(&site, &out);
    print_report(&report, &status, lang);
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared { out: out.clone(), status: Mutex::new(status), events });

    // Watch the site; rebuild on every settled change.
    let watcher_shared = Arc::clone(&shared);
    let watched = site.clone();
    let (changes, changed) = std::sync::mpsc::channel();
    let mut debouncer =
        notify_debouncer_full::new_debouncer(Duration::from_millis(120), None, changes).map_err(|e| e.to_string())?;
    debouncer.watch(&site, RecursiveMode::Recursive).map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        for result in changed {
            let Ok(events) = result else { continue };
            if !events.iter().any(|e| changes_the_site(&e.event, &watched)) {
                continue;
            }
            // Changes that came while building are in the next batch.
            let (report, status) = build_once(&watched, &watcher_shared.out);
            print_report(&report, &status, lang);
            *watcher_shared.status.lock().expect("status lock") = status.clone();
            let _ = watcher_shared.events.send(status);
        }
    });

    eprintln!(
        "{}",
        tr!(
            lang,
            "Aperçu du site sur http://{address}/ — il se reconstruit à chaque modification (Ctrl+C pour arrêter).",
            "Previewing the site at http://{address}/ — it rebuilds on every change (Ctrl+C to stop)."
        )
    );
    let app = axum::Router::new()
        .route("/__kiosque/events", get(event_stream))
        .route("/__kiosque/live.js", get(live_js))
        .fallback(file)
        .layer(axum::middleware::from_fn_with_state(address.port(), local_host_only))
        .with_state(Arc::clone(&shared));
    runtime.block_on(accept(listener, app));
    drop(debouncer);
    // `tmp`, the built site, is removed here, whatever signal ended the preview.
    drop(tmp);
    Ok(())
}

/// Connections open at once at most: beyond, new ones are closed at once
/// (pages and their live-reload stream need a few each).
const MAX_CONNECTIONS: usize = 256;
/// Time a client has to send a request's headers (and, on a kept-alive
/// connection, the next request's), after which its connection is closed.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until Ctrl+C, SIGTERM or SIGHUP: each
/// connection with a header timeout, at most [`MAX_CONNECTIONS`] at once.
async fn accept(listener: tokio::net::TcpListener, app: axum::Router) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            () = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else { continue };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

/// Resolves on Ctrl+C, and on SIGTERM or SIGHUP where there are such signals.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hangup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hangup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Answers only requests addressed to this machine by name (`127.0.0.1`,
/// `localhost`, `[::1]`, with the preview's port or none): a web page on
/// another site that makes its own name resolve to 127.0.0.1 (DNS
/// rebinding) cannot read the preview.
async fn local_host_only(State(port): State<u16>, request: Request, next: axum::middleware::Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if host.is_some_and(|h| is_local_host(h, port)) {
        next.run(request).await
    } else {
        (StatusCode::MISDIRECTED_REQUEST, "kiosque serve: only http://127.0.0.1/ or http://localhost/").into_response()
    }
}

fn is_local_host(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((name, p)) if !name.ends_with(':') && !p.contains(']') => (name, Some(p)),
        _ => (host, None),
    };
    let port_ok = given.is_none_or(|p| p.parse::<u16>() == Ok(port));
    port_ok && ["127.0.0.1", "localhost", "[::1]"].iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn print_report(report: &str, status: &Status, lang: Lang) {
    if !report.is_empty() {
        eprint!("{report}");
    }
    match status {
        Status::Ok => eprintln!("{}", lang.pick("✓ Site reconstruit.", "✓ Site rebuilt.")),
        Status::Failed(_) => eprintln!(
            "{}",
            lang.pick(
                "✗ Construction en erreur : le dernier site correct reste affiché.",
                "✗ The build failed: the last good site is still served."
            )
        ),
    }
}

/// Server-sent events: `reload` after a good build, `error-report` with the
/// diagnostics after a failed one (also at once when connecting while the
/// last build failed).
async fn event_stream(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let current = shared.status.lock().expect("status lock").clone();
    let receiver = shared.events.subscribe();
    let first = match current {
        Status::Failed(text) => Some(Event::default().event("error-report").data(text)),
        Status::Ok => None,
    };
    let updates = futures_util::stream::unfold(receiver, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(Status::Ok) => return Some((Event::default().event("reload").data("ok"), rx)),
                Ok(Status::Failed(text)) => return Some((Event::default().event("error-report").data(text), rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let stream = futures_util::StreamExt::map(
        futures_util::StreamExt::chain(futures_util::stream::iter(first), updates),
        Ok::<_, std::convert::Infallible>,
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn live_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], LIVE_JS)
}

/// A file of the built site; HTML pages get the live-reload script.
async fn file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let Some(target) = local_path(&shared.out, &path) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let html = target.extension().is_some_and(|e| e == "html");
    if !html {
        let service = tower_http::services::ServeFile::new(&target);
        return match service.oneshot(request).await {
            Ok(response) => response.map(Body::new),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        };
    }
    let (status, page) = match tokio::fs::read_to_string(&target).await {
        Ok(page) => (StatusCode::OK, page),
        Err(_) => match tokio::fs::read_to_string(shared.out.join("404.html")).await {
            Ok(page) => (StatusCode::NOT_FOUND, page),
            Err(_) => (StatusCode::NOT_FOUND, "<!doctype html><title>404</title><body></body>".to_string()),
        },
    };
    let tag = format!("<script src=\"{PREFIX}/live.js\"></script>");
    let page = match page.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &page[..at], &page[at..]),
        None => format!("{page}{tag}"),
    };
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], page)
        .into_response()
}

/// The file a URL path names inside `root` (`/` and folders give their
/// `index.html`); `None` for paths that would leave it.
fn local_path(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8().ok()?;
    let mut target = root.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part == "." || part.contains('\\') || part.contains('\0') {
            return None;
        }
        target.push(part);
    }
    if decoded.ends_with('/') || target.is_dir() {
        target.push("index.html");
    }
    Some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let root = Path::new("/srv/site");
        assert_eq!(local_path(root, "/"), Some(root.join("index.html")));
        assert_eq!(local_path(root, "/datasets/a%20b/x.csv"), Some(root.join("datasets/a b/x.csv")));
        assert_eq!(local_path(root, "/../etc/passwd"), None);
        assert_eq!(local_path(root, "/a/%2e%2e/%2e%2e/etc"), None);
    }

    #[test]
    fn only_local_host_names() {
        for host in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "127.0.0.1", "[::1]:8000", "[::1]"] {
            assert!(is_local_host(host, 8000), "{host}");
        }
        for host in
            ["evil.example:8000", "127.0.0.1:8001", "127.0.0.1.evil.example", "localhost.:8000", "", "[::2]:8000"]
        {
            assert!(!is_local_host(host, 8000), "{host}");
        }
    }

    #[test]
    fn reading_files_is_not_a_change() {
        use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, MetadataKind, ModifyKind, RemoveKind};
        use notify::{Event, EventKind};
        let site = Path::new("/s");
        let at = |kind, path: &str| Event::new(kind).add_path(PathBuf::from(path));
        for kind in [
            EventKind::Access(AccessKind::Open(notify::event::AccessMode::Any)),
            EventKind::Access(AccessKind::Read),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
        ] {
            assert!(!changes_the_site(&at(kind, "/s/site.yaml"), site), "{kind:?}");
        }
        for kind in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Create(CreateKind::File),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
            EventKind::Remove(RemoveKind::Any),
            EventKind::Any,
        ] {
            assert!(changes_the_site(&at(kind, "/s/site.yaml"), site), "{kind:?}");
            assert!(!changes_the_site(&at(kind, "/s/site.yaml~"), site), "{kind:?}");
        }
        assert!(changes_the_site(&Event::new(EventKind::Other), site), "a lost event may hide a change");
    }

    #[test]
    fn editor_files_are_ignored() {
        let site = Path::new("/s");
        for p in [
            "/s/datasets/a/dataset.yaml~",
            "/s/.git/index",
            "/s/public/index.html",
            "/s/x/.#dataset.yaml",
            "/s/4913",
            "/s/a.swp",
            "/elsewhere/x",
        ] {
            assert!(ignored(Path::new(p), site), "{p}");
        }
        for p in ["/s/datasets/a/dataset.yaml", "/s/site.yaml", "/s/pages/a-propos.md"] {
            assert!(!ignored(Path::new(p), site), "{p}");
        }
    }
}
