//! Static, accessible SVG charts and maps, generated at build time (no JavaScript).
//!
//! Every public drawing function returns a standalone, well-formed SVG document:
//! - root `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 W H" role="img"
//!   aria-labelledby="ID-title ID-desc">` whose first two children are `<title>` and `<desc>`;
//!   the `<desc>` is a one-sentence text alternative in the frame's [`Lang`];
//! - all caller-provided text is XML-escaped ([`escape`]); long labels are cut to 24 characters
//!   with "…" and the full text is kept in a `<title>` tooltip child of the bar/point/slice;
//! - output is deterministic (same input, same bytes); coordinates have at most two decimals
//!   ([`fmt_coord`]); NaN and infinite inputs are skipped, never printed;
//! - styling uses CSS classes (`k-title`, `k-bar`, `k-axis`, `k-grid`, `k-label`, `k-line`,
//!   `k-point`, `k-count`, `k-area`, `k-slice-0`…`k-slice-7`) *and* inline presentation
//!   attributes, so a file looks right on its own while a page stylesheet can still override it
//!   (presentation attributes have the lowest CSS priority). Graphical colours have at least 3:1
//!   contrast against white and text at least 4.5:1 (checked by tests); grid lines are
//!   decorative and lighter.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use crate::tabular::histogram::{self, Bins, nice_step};

pub use crate::lang::Lang;

/// Common parameters of every chart.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// Id prefix for `ID-title` / `ID-desc`; sanitised to `[A-Za-z0-9_-]` ("chart" if empty).
    pub id: &'a str,
    /// Chart title (`<title>`, and drawn at the top unless `small`); a generic one if empty.
    pub title: &'a str,
    /// Width in px (clamped to 40..=10000).
    pub width: u32,
    /// Height in px (clamped to 30..=10000).
    pub height: u32,
    /// Language of descriptions and numbers.
    pub lang: Lang,
    /// Sparkline-like version: no visible title, no axis text except min/max (or first/last)
    /// labels under the plot; bars and pie keep their category labels and legend.
    pub small: bool,
}

impl<'a> Frame<'a> {
    /// Default full-size frame: 640 × 320.
    pub fn new(id: &'a str, title: &'a str, lang: Lang) -> Self {
        Frame { id, title, width: 640, height: 320, lang, small: false }
    }

    /// Default small frame for column summaries: 240 × 80, `small = true`.
    pub fn small(id: &'a str, title: &'a str, lang: Lang) -> Self {
        Frame { id, title, width: 240, height: 80, lang, small: true }
    }

    fn size(&self) -> (f64, f64) {
        let (w, h) = (self.width.clamp(40, 10_000), self.height.clamp(30, 10_000));
        (f64::from(w), f64::from(h))
    }

    fn has_title(&self) -> bool {
        !self.small && !self.title.trim().is_empty()
    }

    /// Font size in px.
    fn fs(&self) -> f64 {
        if self.small { 10.0 } else { 12.0 }
    }
}

/// Text colour (16.7:1 on white).
pub const TEXT_COLOR: &str = "#1e1e1e";
/// Main colour of bars, lines and points (5.3:1 on white).
pub const MAIN_COLOR: &str = "#1f6fb4";
/// Axis colour (7:1 on white).
pub const AXIS_COLOR: &str = "#595959";
/// Grid colour: decorative only, deliberately light.
pub const GRID_COLOR: &str = "#dddddd";
/// Pie slice colours: distinct hues, each at least 4.8:1 on white.
pub const PALETTE: [&str; 8] = ["#1f6fb4", "#b35806", "#2e7d32", "#c2185b", "#6a3d9a", "#8a6d00", "#00798c", "#5d6d7e"];
const LINE_STYLE: &str = r##"fill="none" stroke="#1f6fb4" stroke-width="2" stroke-linejoin="round""##;
const AREA_STYLE: &str = r##"fill="#1f6fb4" fill-opacity="0.2" stroke="#1f6fb4" fill-rule="evenodd""##;
const AXIS_STYLE: &str = r##"fill="none" stroke="#595959" stroke-width="1.5""##;
const LABEL_MAX: usize = 24;
/// Metres per degree of latitude (mean Earth radius 6 371 008.8 m).
const M_PER_DEG: f64 = 111_194.93;
const NNBSP: char = '\u{202F}';

// ---- Text and number helpers -------------------------------------------------------------

/// Formats an SVG coordinate with at most 2 decimals, trailing zeros trimmed; NaN/inf give "0"
/// and values are clamped to ±1e7, so no coordinate can blow up the output.
pub fn fmt_coord(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let x = x.clamp(-1e7, 1e7);
    match hundredths(x) {
        Some(n) => hundredths_text(n),
        None => crate::util::fixed_trimmed(x, 2),
    }
}

/// `x` in hundredths, rounded as `{:.2}` rounds it, for a finite `x` in
/// ±1e7; `None` when `x` is so near half a hundredth that the product's
/// rounding error could matter (|100x| ≤ 1e9: the error is below 2e-7),
/// which the formatter must then round. Charts and maps have tens of
/// thousands of numbers, and `{:.2}` falls back to slow exact arithmetic
/// for many of them.
fn hundredths(x: f64) -> Option<i64> {
    debug_assert!(x.is_finite() && x.abs() <= 1e7);
    let h = x * 100.0;
    (((h - h.trunc()).abs() - 0.5).abs() > 1e-6).then(|| h.round() as i64)
}

/// `n` hundredths as [`crate::util::fixed_trimmed`] writes them with two
/// decimals.
fn hundredths_text(n: i64) -> String {
    let (int, frac) = (n.unsigned_abs() / 100, n.unsigned_abs() % 100);
    let sign = if n < 0 { "-" } else { "" };
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
        f => format!("{sign}{int}.{f:02}"),
    }
}

/// XML-escapes `& < > " '`, turns tabs/newlines into spaces and drops the other control
/// characters (which XML 1.0 forbids): the feeds' escaping, on one line.
pub fn escape(s: &str) -> String {
    if s.contains(['\t', '\n', '\r']) {
        crate::dcat::feeds::xml_escape(&s.replace(['\t', '\n', '\r'], " "))
    } else {
        crate::dcat::feeds::xml_escape(s)
    }
}

/// Trims `s` and cuts it to at most `max` characters, ending with "…" when cut (unescaped).
pub fn truncate(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    s.chars().take(max.saturating_sub(1)).chain(['…']).collect()
}

/// Label as quoted in a description: trimmed, at most 60 characters.
fn quote(s: &str) -> String {
    truncate(s, 60)
}

fn sanitize_id(id: &str) -> String {
    let keep = |c: &char| c.is_ascii_alphanumeric() || *c == '_' || *c == '-';
    let s: String = id.chars().filter(keep).collect();
    if s.is_empty() { "chart".to_string() } else { s }
}

/// Formats a number for people: integers without decimals, others with up to 2 decimals
/// (2 significant digits below 1, e.g. 0.0012), trailing zeros trimmed, thousands grouped.
/// French `1 234,5` (U+202F separator), English `1,234.5`. Non-finite values give "–".
pub fn format_number(x: f64, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let a = x.abs();
    let decimals = match a {
        _ if a.fract() == 0.0 || a >= 1e15 => 0,
        _ if a >= 1.0 => 2,
        _ => ((-a.log10().floor()) as usize + 1).clamp(2, 10),
    };
    let s = match (decimals == 2 && a <= 1e7).then(|| hundredths(a)).flatten() {
        Some(n) => hundredths_text(n),
        None => crate::util::fixed_trimmed(a, decimals),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
    let (sep, dec) = if lang == Lang::Fr { (NNBSP, ',') } else { (',', '.') };
    let mut out = String::new();
    if x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(dec);
        out.push_str(frac);
    }
    out
}

/// Compact form for |x| ≥ `from`: one decimal and a unit (Fr "1,2 M", "3 Md", "2 Bn";
/// En "1.2M", "3B", "2T"; "k" for thousands); smaller values use [`format_number`].
fn compact(x: f64, lang: Lang, from: f64) -> String {
    const UNITS: [(f64, &str, &str); 4] =
        [(1e12, "\u{202F}Bn", "T"), (1e9, "\u{202F}Md", "B"), (1e6, "\u{202F}M", "M"), (1e3, "\u{202F}k", "k")];
    let a = x.abs();
    if let Some((unit, fr, en)) = UNITS.into_iter().find(|u| a.is_finite() && a >= from && a >= u.0) {
        return format_number((x / unit * 10.0).round() / 10.0, lang) + lang.pick(fr, en);
    }
    format_number(x, lang)
}

/// Axis tick label: compact from one million.
fn tick_label(x: f64, lang: Lang) -> String {
    compact(x, lang, 1e6)
}

fn percent(p: f64, lang: Lang) -> String {
    format_number((p * 10.0).round() / 10.0, lang) + lang.pick("\u{202F}%", "%")
}

/// Counted noun from `"fr sing|fr plur|en sing|en plur"`: French plural from 2, English
/// plural unless 1. E.g. "1 valeur", "0 values".
fn plural(n: u64, lang: Lang, forms: &str) -> String {
    let f: Vec<&str> = forms.split('|').collect();
    let i = match lang {
        Lang::Fr => usize::from(n >= 2),
        Lang::En => 2 + usize::from(n != 1),
    };
    format!("{} {}", format_number(n as f64, lang), f.get(i).unwrap_or(&""))
}

/// Round tick values covering [lo, hi]; the first and last ticks are the axis domain.
fn ticks(lo: f64, hi: f64, integer: bool) -> Vec<f64> {
    let (lo, hi) = match () {
        _ if hi > lo => (lo, hi),
        _ if lo == 0.0 => (0.0, 1.0),
        _ => (lo - lo.abs() * 0.5, hi + hi.abs() * 0.5),
    };
    let step = nice_step((hi - lo) / 4.0);
    let step = if integer { step.max(1.0) } else { step };
    let start = (lo / step).floor() * step;
    let n = ((hi - start) / step).ceil();
    if !start.is_finite() || !(1.0..=50.0).contains(&n) {
        return vec![lo, hi];
    }
    let t: Vec<f64> = (0..=n as usize).map(|i| start + i as f64 * step).collect();
    if t[t.len() - 1] > t[0] { t } else { vec![lo, hi] }
}

fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let init = (f64::INFINITY, f64::NEG_INFINITY);
    let finite = values.filter(|x| x.is_finite());
    finite.fold(init, |(a, b), x| (a.min(x), b.max(x)))
}

/// Index and value of the first maximum.
fn argmax<T: PartialOrd + Copy>(values: impl Iterator<Item = T>) -> Option<(usize, T)> {
    values.enumerate().fold(None, |best, (i, x)| match best {
        Some((_, b)) if b >= x => best,
        _ => Some((i, x)),
    })
}

// ---- Document scaffolding ----------------------------------------------------------------

/// Opens the document: root element, `<title>`, `<desc>`, and the visible title if any.
fn open(f: &Frame, (w, h): (f64, f64), kind: &str, desc: &str) -> String {
    let id = sanitize_id(f.id);
    let title = escape(if f.title.trim().is_empty() { kind } else { f.title });
    let (ws, hs, fs, desc) = (fmt_coord(w), fmt_coord(h), f.fs(), escape(desc));
    let mut s = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {ws} {hs}" width="{ws}" "#);
    s += &format!(r#"height="{hs}" role="img" aria-labelledby="{id}-title {id}-desc" "#);
    s += &format!(r#"font-family="system-ui, sans-serif" font-size="{fs}">"#);
    s += &format!(r#"<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#);
    if f.has_title() {
        let t = escape(&truncate(f.title, (w / 8.0) as usize));
        s += r#"<text class="k-title" x="8" y="20" font-size="14" font-weight="600" "#;
        s += &format!(r#"fill="{TEXT_COLOR}">{t}</text>"#);
    }
    s
}

/// Writes a `k-label` text at (x, y) with the given `text-anchor`.
fn text(s: &mut String, (x, y): (f64, f64), anchor: &str, content: &str) {
    let (x, y, c) = (fmt_coord(x), fmt_coord(y), escape(content));
    *s += &format!(r#"<text class="k-label" x="{x}" y="{y}" text-anchor="{anchor}" fill="{TEXT_COLOR}">"#);
    *s += &format!("{c}</text>");
}

fn tip(full: &str) -> String {
    format!("<title>{}</title>", escape(full))
}

/// Writes `<path class=… d=… STYLE>`, with a tooltip if `title` is not empty.
fn path(s: &mut String, class: &str, d: &str, style: &str, title: &str) {
    if title.is_empty() {
        *s += &format!(r#"<path class="{class}" d="{d}" {style}/>"#);
    } else {
        *s += &format!(r#"<path class="{class}" d="{d}" {style}>{}</path>"#, tip(title));
    }
}

/// Writes a `k-bar` rectangle (x, y, width, height) with a tooltip.
fn bar(s: &mut String, (x, y, w, h): (f64, f64, f64, f64), title: &str) {
    let (x, y, w, h) = (fmt_coord(x), fmt_coord(y), fmt_coord(w.max(0.0)), fmt_coord(h.max(0.0)));
    let t = tip(title);
    *s += &format!(r#"<rect class="k-bar" x="{x}" y="{y}" width="{w}" height="{h}" fill="{MAIN_COLOR}">"#);
    *s += &format!("{t}</rect>");
}

/// A chart with nothing to draw: the desc says why, the picture says "no data".
fn empty(f: &Frame, kind: &str, desc: &str) -> String {
    let (w, h) = f.size();
    let mut s = open(f, (w, h), kind, desc);
    let msg = f.lang.pick("Aucune donnée", "No data");
    text(&mut s, (w / 2.0, h / 2.0 + 4.0), "middle", msg);
    s + "</svg>"
}

/// Plot area (left, top, right, bottom) in px.
#[derive(Clone, Copy)]
struct Area {
    l: f64,
    t: f64,
    r: f64,
    b: f64,
}

impl Area {
    /// Area with at least 1 px of width and height.
    fn at(l: f64, t: f64, r: f64, b: f64) -> Self {
        let (r, b) = (r.max(l + 1.0), b.max(t + 1.0));
        Area { l, t, r, b }
    }
    /// Standard plot area: `left`/`right` margins, room for the title and x labels.
    fn new(f: &Frame, left: f64, right: f64) -> Self {
        let (w, h) = f.size();
        if f.small {
            return Area::at(4.0, 4.0, w - 4.0, h - 14.0);
        }
        Area::at(left, if f.has_title() { 32.0 } else { 12.0 }, w - right, h - 28.0)
    }
    fn w(&self) -> f64 {
        self.r - self.l
    }
    fn h(&self) -> f64 {
        self.b - self.t
    }
    /// Vertical position of value `v` on a [lo, hi] axis.
    fn y(&self, v: f64, lo: f64, hi: f64) -> f64 {
        self.b - (v - lo) / (hi - lo) * self.h()
    }
    /// Writes a horizontal `k-grid` (light) or `k-axis` line across the area at `y`.
    fn hline(&self, s: &mut String, y: f64, grid: bool) {
        let (l, r, y) = (fmt_coord(self.l), fmt_coord(self.r), fmt_coord(y));
        let (class, color) = [("k-axis", AXIS_COLOR), ("k-grid", GRID_COLOR)][usize::from(grid)];
        *s += &format!(r#"<line class="{class}" x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{color}"/>"#);
    }
}

/// Horizontal grid lines and value labels on the left (nothing when small).
fn y_axis(s: &mut String, f: &Frame, a: &Area, ticks: &[f64]) {
    if f.small {
        return;
    }
    let (lo, hi) = (ticks[0], ticks[ticks.len() - 1]);
    for &t in ticks {
        let y = a.y(t, lo, hi);
        a.hline(s, y, true);
        text(s, (a.l - 6.0, y + 4.0), "end", &tick_label(t, f.lang));
    }
}

/// Labels under the plot, thinned so they never overlap; when small, only the first and last.
fn x_labels(s: &mut String, f: &Frame, a: &Area, items: &[(f64, String)]) {
    let (w, h) = f.size();
    if f.small {
        if let (Some(first), Some(last)) = (items.first(), items.last()) {
            text(s, (4.0, h - 3.0), "start", &truncate(&first.1, 16));
            if items.len() > 1 {
                text(s, (w - 4.0, h - 3.0), "end", &truncate(&last.1, 16));
            }
        }
        return;
    }
    let widest = items.iter().map(|(_, l)| l.trim().chars().count().min(LABEL_MAX)).max();
    let label_w = widest.unwrap_or(1) as f64 * 7.0 + 10.0;
    let every = (label_w * items.len() as f64 / a.w()).ceil().max(1.0) as usize;
    for (x, l) in items.iter().step_by(every) {
        let l = truncate(l, LABEL_MAX);
        let half = l.chars().count() as f64 * 3.5;
        let x = x.clamp(half + 2.0, (w - half - 2.0).max(half + 2.0));
        text(s, (x, a.b + 16.0), "middle", &l);
    }
}

/// Path data "M x y L x y …" that skips points whose rounded coordinates repeat.
#[derive(Default)]
struct PathData {
    d: String,
    last: String,
}

impl PathData {
    fn point(&mut self, move_to: bool, x: f64, y: f64) {
        let p = format!("{} {}", fmt_coord(x), fmt_coord(y));
        if move_to || p != self.last {
            self.d.push(if move_to { 'M' } else { 'L' });
            self.d.push_str(&p);
            self.last = p;
        }
    }
}

// ---- Charts ------------------------------------------------------------------------------

/// Histogram of numeric values (non-finite values skipped); bins from
/// [`histogram::bins`]. `approx` marks `values` as a sample in the description.
pub fn histogram(frame: &Frame, values: &[f64], approx: bool) -> String {
    histogram_of(frame, &histogram::bins(values.iter().map(|&x| (x, 1)).collect()), approx)
}

/// The histogram of [`histogram`], drawn from its bins.
pub fn histogram_of(frame: &Frame, bins: &Bins, approx: bool) -> String {
    let lang = frame.lang;
    let kind = lang.pick("Histogramme", "Histogram");
    let Bins { edges, counts, .. } = bins;
    let (lo, hi) = (bins.min, bins.max);
    let Some((imax, cmax)) = argmax(counts.iter().copied()) else {
        let msg = lang.pick("Histogramme : aucune valeur.", "Histogram: no values.");
        return empty(frame, kind, msg);
    };
    let (num, colon) = (|x| format_number(x, lang), lang.pick(" : ", ": "));
    let forms = "valeur|valeurs|value|values";
    let (n, c) = (plural(counts.iter().sum(), lang, forms), plural(cmax, lang, forms));
    let (min, max, a, b) = (num(lo), num(hi), num(edges[imax]), num(edges[imax + 1]));
    let sample = lang.pick(" (échantillon)", " (sample)");
    let sample = if approx { sample } else { "" };
    let desc = match lang {
        Lang::Fr => {
            format!("Histogramme de {n}{sample}, de {min} à {max} ; la classe la plus nombreuse : {a} à {b} ({c}).")
        }
        Lang::En => format!("Histogram of {n}{sample}, from {min} to {max}; the most frequent bin: {a} to {b} ({c})."),
    };
    let mut s = open(frame, frame.size(), kind, &desc);
    let a = Area::new(frame, 56.0, 16.0);
    let yt = ticks(0.0, cmax as f64, true);
    let top = yt[yt.len() - 1];
    y_axis(&mut s, frame, &a, &yt);
    let (x0, x1) = (edges[0], edges[edges.len() - 1]);
    let xs = |v: f64| a.l + (v - x0) / (x1 - x0) * a.w();
    for (i, &c) in counts.iter().enumerate() {
        let (l, r, y) = (xs(edges[i]), xs(edges[i + 1]), a.y(c as f64, 0.0, top));
        let (e0, e1, c) = (num(edges[i]), num(edges[i + 1]), num(c as f64));
        let t = format!("{e0} – {e1}{colon}{c}");
        bar(&mut s, (l + 0.5, y, (r - l - 1.0).max(0.5), a.b - y), &t);
    }
    a.hline(&mut s, a.b, false);
    let labels: Vec<(f64, String)> = if frame.small {
        vec![(0.0, tick_label(lo, lang)), (0.0, tick_label(hi, lang))]
    } else {
        edges.iter().map(|&e| (xs(e), tick_label(e, lang))).collect()
    };
    x_labels(&mut s, frame, &a, &labels);
    s + "</svg>"
}

/// Counts over time; `points` are `(period label, count)`, already sorted. Draws columns,
/// or a line when there are too many periods for columns of at least 3 px.
pub fn timeline(frame: &Frame, points: &[(String, u64)]) -> String {
    let lang = frame.lang;
    let kind = lang.pick("Chronologie", "Timeline");
    let Some((imax, max)) = argmax(points.iter().map(|p| p.1)) else {
        let msg = lang.pick("Chronologie : aucune période.", "Timeline: no periods.");
        return empty(frame, kind, msg);
    };
    let (num, colon) = (|x| format_number(x, lang), lang.pick(" : ", ": "));
    let total = num(points.iter().map(|p| p.1 as f64).sum());
    let (first, last) = (quote(&points[0].0), quote(&points[points.len() - 1].0));
    let (at, m) = (quote(&points[imax].0), num(max as f64));
    let n = plural(points.len() as u64, lang, "période|périodes|period|periods");
    let desc = match lang {
        Lang::Fr => format!("Chronologie de {n}, de {first} à {last} : {total} au total ; maximum {m} en {at}."),
        Lang::En => format!("Timeline of {n}, from {first} to {last}: {total} in total; maximum {m} in {at}."),
    };
    let mut s = open(frame, frame.size(), kind, &desc);
    let a = Area::new(frame, 56.0, 16.0);
    let yt = ticks(0.0, max as f64, true);
    let top = yt[yt.len() - 1];
    y_axis(&mut s, frame, &a, &yt);
    let band = a.w() / points.len() as f64;
    let cx = |i: usize| a.l + (i as f64 + 0.5) * band;
    let mut line = PathData::default();
    for (i, (label, c)) in points.iter().enumerate() {
        let y = a.y(*c as f64, 0.0, top);
        if band >= 3.0 {
            let t = format!("{}{colon}{}", label.trim(), num(*c as f64));
            bar(&mut s, (cx(i) - band * 0.4, y, band * 0.8, a.b - y), &t);
        } else {
            line.point(i == 0, cx(i), y);
        }
    }
    if !line.d.is_empty() {
        path(&mut s, "k-line", &line.d, LINE_STYLE, "");
    }
    a.hline(&mut s, a.b, false);
    let labels: Vec<(f64, String)> = points.iter().enumerate().map(|(i, p)| (cx(i), p.0.clone())).collect();
    x_labels(&mut s, frame, &a, &labels);
    s + "</svg>"
}

/// Horizontal bars of `(category, value)` in the given order (non-finite values skipped).
/// Negative values extend left of a zero line; each bar carries its value as text.
pub fn bars(frame: &Frame, items: &[(String, f64)]) -> String {
    let lang = frame.lang;
    let kind = lang.pick("Diagramme en barres", "Bar chart");
    let items: Vec<&(String, f64)> = items.iter().filter(|(_, v)| v.is_finite()).collect();
    let (big, small) = (argmax(items.iter().map(|p| p.1)), argmax(items.iter().map(|p| -p.1)));
    let (Some((imax, _)), Some((imin, _))) = (big, small) else {
        let msg = lang.pick("Diagramme en barres : aucune catégorie.", "Bar chart: no categories.");
        return empty(frame, kind, msg);
    };
    let (num, colon) = (|x| format_number(x, lang), lang.pick(" : ", ": "));
    let n = plural(items.len() as u64, lang, "catégorie|catégories|category|categories");
    let (big, small) = (items[imax], items[imin]);
    let (bl, bv, sl, sv) = (quote(&big.0), num(big.1), quote(&small.0), num(small.1));
    let mut desc = match lang {
        Lang::Fr => format!("Diagramme en barres de {n} ; la plus grande valeur : {bl} ({bv})"),
        Lang::En => format!("Bar chart of {n}; the largest value: {bl} ({bv})"),
    };
    if items.len() > 1 {
        desc += &format!("{}{sl} ({sv})", lang.pick(", la plus petite : ", ", the smallest: "));
    }
    desc.push('.');
    let (w, h) = frame.size();
    let mut s = open(frame, (w, h), kind, &desc);
    let (fs, char_w) = (frame.fs(), frame.fs() * 0.62);
    let widest = items.iter().map(|(l, _)| l.trim().chars().count().min(LABEL_MAX)).max();
    let label_w = (widest.unwrap_or(1) as f64 * char_w + 12.0).min(w * 0.4);
    let max_chars = (((label_w - 12.0) / char_w) as usize).clamp(4, LABEL_MAX);
    let top = Area::new(frame, 0.0, 0.0).t;
    let value_w = if frame.small { 40.0 } else { 64.0 };
    let a = Area::at(label_w, top, w - value_w, h - if frame.small { 4.0 } else { 8.0 });
    let (lo, hi) = (small.1.min(0.0), big.1.max(0.0));
    let hi = if hi > lo { hi } else { 1.0 };
    let xs = |v: f64| a.l + (v - lo) / (hi - lo) * a.w();
    let row = a.h() / items.len() as f64;
    for (i, (label, v)) in items.iter().enumerate() {
        let y = a.t + i as f64 * row;
        let (x0, x1) = (xs(0.0), xs(*v));
        let t = format!("{}{colon}{}", label.trim(), num(*v));
        bar(&mut s, (x0.min(x1), y + row * 0.15, (x1 - x0).abs(), row * 0.7), &t);
        if row >= fs * 0.9 {
            let ty = y + row / 2.0 + fs * 0.35;
            text(&mut s, (a.l - 6.0, ty), "end", &truncate(label, max_chars));
            let vx = if *v >= 0.0 { x1 } else { x0 } + 4.0;
            text(&mut s, (vx, ty), "start", &tick_label(*v, lang));
        }
    }
    let (z, t, b) = (fmt_coord(xs(0.0)), fmt_coord(a.t), fmt_coord(a.b));
    path(&mut s, "k-axis", &format!("M{z} {t}V{b}"), AXIS_STYLE, "");
    s + "</svg>"
}

/// Line chart of `(x label, y)` in order; a non-finite `y` breaks the line. `y_label` names the
/// vertical axis (drawn rotated, not when small). The y axis fits the data range; a zero line
/// is drawn when it spans zero. X labels are thinned so they never overlap.
pub fn line(frame: &Frame, points: &[(String, f64)], y_label: &str) -> String {
    let lang = frame.lang;
    let kind = lang.pick("Courbe", "Line chart");
    let finite: Vec<usize> = (0..points.len()).filter(|&i| points[i].1.is_finite()).collect();
    let hi = argmax(finite.iter().map(|&i| points[i].1));
    let lo = argmax(finite.iter().map(|&i| -points[i].1));
    let (Some((imax, _)), Some((imin, _))) = (hi, lo) else {
        return empty(frame, kind, lang.pick("Courbe : aucun point.", "Line chart: no points."));
    };
    let (num, colon) = (|x| format_number(x, lang), lang.pick(" : ", ": "));
    let (hi, lo) = (&points[finite[imax]], &points[finite[imin]]);
    let n = plural(finite.len() as u64, lang, "point|points|point|points");
    let yl = match y_label.trim() {
        "" => String::new(),
        l => format!(" ({})", quote(l)),
    };
    let (first, last) = (quote(&points[0].0), quote(&points[points.len() - 1].0));
    let (lo_l, lo_v, hi_l, hi_v) = (quote(&lo.0), num(lo.1), quote(&hi.0), num(hi.1));
    let desc = match lang {
        Lang::Fr => {
            format!("Courbe de {n}{yl}, de {first} à {last} ; minimum {lo_v} ({lo_l}), maximum {hi_v} ({hi_l}).")
        }
        Lang::En => {
            format!("Line chart of {n}{yl}, from {first} to {last}; minimum {lo_v} ({lo_l}), maximum {hi_v} ({hi_l}).")
        }
    };
    let mut s = open(frame, frame.size(), kind, &desc);
    let has_yl = !y_label.trim().is_empty() && !frame.small;
    let a = Area::new(frame, if has_yl { 72.0 } else { 56.0 }, 16.0);
    let yt = ticks(lo.1, hi.1, false);
    let (lo, hi) = (yt[0], yt[yt.len() - 1]);
    y_axis(&mut s, frame, &a, &yt);
    if lo < 0.0 && hi > 0.0 {
        a.hline(&mut s, a.y(0.0, lo, hi), false);
    }
    let step = a.w() / points.len().saturating_sub(1).max(1) as f64;
    let xs = |i: usize| a.l + if points.len() > 1 { i as f64 * step } else { a.w() / 2.0 };
    let mut p = PathData::default();
    for (k, &i) in finite.iter().enumerate() {
        p.point(k == 0 || finite[k - 1] + 1 != i, xs(i), a.y(points[i].1, lo, hi));
    }
    path(&mut s, "k-line", &p.d, LINE_STYLE, "");
    for &i in finite.iter().filter(|_| finite.len() <= 60) {
        let (label, v) = (&points[i].0, points[i].1);
        let (x, y) = (fmt_coord(xs(i)), fmt_coord(a.y(v, lo, hi)));
        let t = tip(&format!("{}{colon}{}", label.trim(), num(v)));
        s += &format!(r#"<circle class="k-point" cx="{x}" cy="{y}" r="3" fill="{MAIN_COLOR}">{t}</circle>"#);
    }
    if lo >= 0.0 {
        a.hline(&mut s, a.b, false);
    }
    let labels: Vec<(f64, String)> = points.iter().enumerate().map(|(i, p)| (xs(i), p.0.clone())).collect();
    x_labels(&mut s, frame, &a, &labels);
    if has_yl {
        let (x, l) = (fmt_coord(-(a.t + a.b) / 2.0), escape(&truncate(y_label, 40)));
        s += &format!(r#"<text class="k-label" transform="rotate(-90)" x="{x}" y="14" text-anchor="middle" "#);
        s += &format!(r#"fill="{TEXT_COLOR}">{l}</text>"#);
    }
    s + "</svg>"
}

/// Pie chart of `(label, value)`: values ≤ 0 or non-finite are ignored (and counted in the
/// description); slices are sorted by decreasing value; beyond 8 slices the smallest are
/// grouped into "Autres"/"Other". The legend gives percentages.
pub fn pie(frame: &Frame, items: &[(String, f64)]) -> String {
    let lang = frame.lang;
    let kind = lang.pick("Diagramme circulaire", "Pie chart");
    let positive = items.iter().filter(|(_, v)| v.is_finite() && *v > 0.0);
    let mut slices: Vec<(String, f64)> = positive.map(|(l, v)| (l.trim().to_string(), *v)).collect();
    let ignored = (items.len() - slices.len()) as u64;
    slices.sort_by(|a, b| b.1.total_cmp(&a.1));
    if slices.len() > 8 {
        let rest = slices.split_off(7).iter().map(|p| p.1).sum();
        slices.push((lang.pick("Autres", "Other").to_string(), rest));
    }
    let mut note = String::new();
    if ignored > 0 {
        let forms = "valeur nulle, négative ou manquante ignorée|valeurs nulles, négatives ou manquantes ignorées|\
                     zero, negative or missing value ignored|zero, negative or missing values ignored";
        note = format!(" {}.", plural(ignored, lang, forms));
    }
    let total: f64 = slices.iter().map(|p| p.1).sum();
    let pct = |v: f64| percent(v / total * 100.0, lang);
    let Some((big, big_v)) = slices.first() else {
        let msg = lang.pick("Diagramme circulaire : aucune part.", "Pie chart: no slices.");
        return empty(frame, kind, &format!("{msg}{note}"));
    };
    let n = plural(slices.len() as u64, lang, "part|parts|slice|slices");
    let (tot, bl, bp) = (format_number(total, lang), quote(big), pct(*big_v));
    let desc = match lang {
        Lang::Fr => format!("Diagramme circulaire de {n} (total {tot}) ; la plus grande : {bl} ({bp}).{note}"),
        Lang::En => format!("Pie chart of {n} (total {tot}); the largest: {bl} ({bp}).{note}"),
    };
    let (w, h) = frame.size();
    let mut s = open(frame, (w, h), kind, &desc);
    let a = match frame.small {
        true => Area::at(4.0, 4.0, w - 4.0, h - 4.0),
        false => Area::at(16.0, if frame.has_title() { 32.0 } else { 12.0 }, w - 8.0, h - 12.0),
    };
    let r = (a.h() / 2.0).min(a.w() * 0.3).max(1.0);
    let (cx, cy) = (a.l + r, a.t + a.h() / 2.0);
    let (c0, c1, rr) = (fmt_coord(cx), fmt_coord(cy), fmt_coord(r));
    let pt = |ang: f64| format!("{} {}", fmt_coord(cx + r * ang.cos()), fmt_coord(cy + r * ang.sin()));
    let (top, bottom, sep) = (pt(-PI / 2.0), pt(PI / 2.0), if frame.small { 0.75 } else { 1.0 });
    let mut start = -PI / 2.0;
    for (i, (label, v)) in slices.iter().enumerate() {
        let (frac, colour) = (v / total, PALETTE[i]);
        let end = start + frac * 2.0 * PI;
        let (colon, value, p) = (lang.pick(" : ", ": "), format_number(*v, lang), pct(*v));
        let t = format!("{label}{colon}{value} ({p})");
        let style = format!(r##"fill="{colour}" stroke="#fff" stroke-width="{sep}""##);
        let (large, a0, a1) = (u8::from(frac > 0.5), pt(start), pt(end));
        let d = match frac >= 0.99999 {
            true => format!("M{top}A{rr} {rr} 0 1 1 {bottom}A{rr} {rr} 0 1 1 {top}Z"),
            false => format!("M{c0} {c1}L{a0}A{rr} {rr} 0 {large} 1 {a1}Z"),
        };
        path(&mut s, &format!("k-slice-{i}"), &d, &style, &t);
        start = end;
    }
    let fs = frame.fs();
    let row = (a.h() / slices.len() as f64).min(fs * 1.6);
    let (lx, sw) = (cx + r + 2.0 * fs, fs * 0.8);
    let room = ((w - lx - sw - 5.0) / (fs * 0.62)) as usize;
    let chars = room.saturating_sub(7).clamp(3, LABEL_MAX);
    let y0 = a.t + (a.h() - row * slices.len() as f64) / 2.0 + row / 2.0;
    for (i, (label, v)) in slices.iter().enumerate() {
        let y = y0 + i as f64 * row;
        let (x, sy, sws, colour) = (fmt_coord(lx), fmt_coord(y - sw / 2.0), fmt_coord(sw), PALETTE[i]);
        s += &format!(r#"<rect class="k-slice-{i}" x="{x}" y="{sy}" width="{sws}" height="{sws}" fill="{colour}"/>"#);
        let l = format!("{} {}", truncate(label, chars), pct(*v));
        text(&mut s, (lx + sw + 5.0, y + fs * 0.35), "start", &l);
    }
    s + "</svg>"
}

// ---- Maps --------------------------------------------------------------------------------

/// The shapes a map draws are those of [`crate::geo`].
pub use crate::geo::Shape;

fn valid(&(lon, lat): &(f64, f64)) -> bool {
    lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0
}

/// Circle radius in px: 4 for a single point, growing with ln(count) for clusters, at most 28.
fn radius(count: u64) -> f64 {
    let r = 6.0 + 3.0 * (count as f64).ln();
    if count <= 1 { 4.0 } else { r.min(28.0) }
}

type Ring = Vec<(f64, f64)>;

/// Draws shapes on a map. Projection: equirectangular with x scaled by cos(mid-latitude of
/// the data), so distances are true at the middle latitude and the scale bar is exact there
/// (fine for the city-to-country extents of open data; without tiles Web Mercator brings
/// nothing). The bounding box of all valid coordinates is fitted with a margin, keeping the
/// aspect ratio; extents under 1 km (e.g. a single point) are widened to 1 km. Invalid
/// coordinates (non-finite, |lon| > 180, |lat| > 90) are skipped and counted in the
/// description. Draws polygons, then lines, then points; then a scale bar and a north arrow
/// (not when small). Without any valid geometry: a 60 px high SVG saying "No geometry".
pub fn map(frame: &Frame, shapes: &[Shape]) -> String {
    let lang = frame.lang;
    let kind = lang.pick("Carte", "Map");
    let mut invalid = 0u64;
    let mut keep = |pts: &[(f64, f64)]| -> Ring {
        let v: Ring = pts.iter().copied().filter(valid).collect();
        invalid += (pts.len() - v.len()) as u64;
        v
    };
    let (mut points, mut lines, mut polys) = (vec![], vec![], vec![]);
    for shape in shapes {
        match shape {
            Shape::Point { lon, lat, count, label } if !keep(&[(*lon, *lat)]).is_empty() => {
                points.push((*lon, *lat, (*count).max(1), label.as_deref()));
            }
            Shape::Point { .. } => {}
            Shape::Line(v) => lines.push(keep(v)),
            Shape::Polygon(rings) => polys.push(rings.iter().map(|r| keep(r)).filter(|r| r.len() >= 3).collect()),
        }
    }
    lines.retain(|l: &Ring| l.len() >= 2);
    polys.retain(|p: &Vec<Ring>| !p.is_empty());
    let all = || {
        let pts = points.iter().map(|p| (p.0, p.1)).chain(lines.iter().flatten().copied());
        pts.chain(polys.iter().flatten().flatten().copied())
    };
    let ((min_lon, max_lon), (min_lat, max_lat)) = (min_max(all().map(|p| p.0)), min_max(all().map(|p| p.1)));
    let mut note = String::new();
    if invalid > 0 {
        let forms = "coordonnée invalide ignorée|coordonnées invalides ignorées|\
                     invalid coordinate skipped|invalid coordinates skipped";
        note = format!(" {}.", plural(invalid, lang, forms));
    }
    if !min_lon.is_finite() {
        let (w, msg) = (frame.size().0, lang.pick("Aucune géométrie", "No geometry"));
        let (small, desc) = (Frame { small: true, ..*frame }, format!("{kind} : {msg}.{note}"));
        let mut s = open(&small, (w, 60.0), kind, &desc);
        text(&mut s, (w / 2.0, 34.0), "middle", msg);
        return s + "</svg>";
    }
    let total = points.iter().map(|p| p.2).sum();
    let np = plural(points.len() as u64, lang, "point|points|point|points");
    let nt = plural(total, lang, "objet|objets|object|objects");
    let nl = plural(lines.len() as u64, lang, "ligne|lignes|line|lines");
    let ng = plural(polys.len() as u64, lang, "polygone|polygones|polygon|polygons");
    let num = |x| format_number(x, lang);
    let (x0, x1, y0, y1) = (num(min_lon), num(max_lon), num(min_lat), num(max_lat));
    let desc = match lang {
        Lang::Fr => {
            format!("Carte de {np} ({nt}), {nl} et {ng} ; longitudes de {x0} à {x1}, latitudes de {y0} à {y1}.{note}")
        }
        Lang::En => format!(
            "Map of {np} ({nt}), {nl} and {ng}; longitudes from {x0} to {x1}, latitudes from {y0} to {y1}.{note}"
        ),
    };
    let (w, h) = frame.size();
    let mut s = open(frame, (w, h), kind, &desc);
    // Projection (x = lon·k, y = −lat, in degrees) and fit.
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos().max(0.05);
    let (mut x0, mut x1, mut y0, mut y1) = (min_lon * k, max_lon * k, -max_lat, -min_lat);
    let half = 500.0 / M_PER_DEG;
    if (x1 - x0).max(y1 - y0) < 2.0 * half {
        let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        (x0, x1, y0, y1) = (mx - half, mx + half, my - half, my + half);
    }
    let radii = points.iter().map(|p| radius(p.2));
    let pad = radii.fold(if frame.small { 4.0 } else { 12.0 }, f64::max) + 2.0;
    let top = if frame.has_title() { pad.max(32.0) } else { pad };
    let bottom = if frame.small { pad } else { pad.max(12.0) + 18.0 };
    let a = Area::at(pad, top, w - pad, h - bottom);
    let scale = (a.w() / (x1 - x0)).min(a.h() / (y1 - y0));
    let ox = a.l + (a.w() - (x1 - x0) * scale) / 2.0 - x0 * scale;
    let oy = a.t + (a.h() - (y1 - y0) * scale) / 2.0 - y0 * scale;
    let proj = |lon: f64, lat: f64| (ox + lon * k * scale, oy - lat * scale);
    let trace = |p: &mut PathData, pts: &[(f64, f64)]| {
        for (i, &(lon, lat)) in pts.iter().enumerate() {
            let (x, y) = proj(lon, lat);
            p.point(i == 0, x, y);
        }
    };
    for rings in &polys {
        let mut p = PathData::default();
        for r in rings {
            trace(&mut p, r);
            p.d.push('Z');
        }
        path(&mut s, "k-area", &p.d, AREA_STYLE, "");
    }
    for l in &lines {
        let mut p = PathData::default();
        trace(&mut p, l);
        path(&mut s, "k-line", &p.d, LINE_STYLE, "");
    }
    for &(lon, lat, count, label) in &points {
        let ((x, y), r) = (proj(lon, lat), radius(count));
        let (xs, ys, rs) = (fmt_coord(x), fmt_coord(y), fmt_coord(r));
        let objects = plural(count, lang, "objet|objets|object|objects");
        let t = tip(&match label {
            Some(l) if count > 1 => format!("{} ({objects})", l.trim()),
            Some(l) => l.trim().to_string(),
            None => objects,
        });
        s += &format!(r##"<circle class="k-point" cx="{xs}" cy="{ys}" r="{rs}" fill="{MAIN_COLOR}" stroke="#fff">"##);
        s += &format!("{t}</circle>");
        if count >= 2 {
            let fs = (r * 0.8).clamp(8.0, 12.0);
            let (ty, fs) = (fmt_coord(y + fs * 0.35), fmt_coord(fs));
            let c = escape(&compact(count as f64, lang, 1e4));
            s += &format!(r#"<text class="k-count" x="{xs}" y="{ty}" text-anchor="middle" font-size="{fs}" "#);
            s += &format!(r##"font-weight="600" fill="#fff" pointer-events="none">{c}</text>"##);
        }
    }
    if !frame.small {
        // Scale bar: a round distance (1, 2 or 5 × 10ⁿ m) close to a quarter of the plot width.
        let m_per_px = M_PER_DEG / scale;
        let target = a.w() * 0.25 * m_per_px;
        let p = 10f64.powi(target.log10().floor() as i32);
        let d = p * [5.0, 2.0].into_iter().find(|&m| target / p >= m).unwrap_or(1.0);
        let len = d / m_per_px;
        let (v, unit) = if d >= 1000.0 { (d / 1000.0, "km") } else { (d, "m") };
        let label = format!("{} {unit}", num(v));
        let (x1, x2) = (fmt_coord(a.l), fmt_coord(a.l + len));
        let (y, yt) = (fmt_coord(h - 10.0), fmt_coord(h - 15.0));
        path(&mut s, "k-axis", &format!("M{x1} {yt}V{y}H{x2}V{yt}"), AXIS_STYLE, "");
        text(&mut s, (a.l + len + 6.0, h - 10.0), "start", &label);
        let (nx, ny) = (w - 16.0, a.t);
        let c = |dx: f64, dy: f64| format!("{} {}", fmt_coord(nx + dx), fmt_coord(ny + dy));
        let d = format!("M{}L{}L{}L{}Z", c(0.0, 0.0), c(5.0, 14.0), c(0.0, 10.0), c(-5.0, 14.0));
        path(&mut s, "k-axis", &d, &format!(r#"fill="{AXIS_COLOR}""#), "");
        text(&mut s, (nx, ny + 26.0), "middle", "N");
    }
    s + "</svg>"
}

/// Groups valid points (see [`map`]) into clusters on a `cells` × `cells` grid over their
/// bounding box; each non-empty cell gives one [`Shape::Point`] at the mean position of its
/// points, with their `count` and no label. Order: by grid row (south to north), then column
/// (west to east), so the result is deterministic. `cells` = 0 is treated as 1.
pub fn cluster(points: &[(f64, f64)], cells: u32) -> Vec<Shape> {
    let pts: Ring = points.iter().copied().filter(valid).collect();
    let ((x0, x1), (y0, y1)) = (min_max(pts.iter().map(|p| p.0)), min_max(pts.iter().map(|p| p.1)));
    let cells = f64::from(cells.max(1));
    let idx = |v: f64, lo: f64, hi: f64| match hi > lo {
        true => ((v - lo) / (hi - lo) * cells).floor().min(cells - 1.0) as u32,
        false => 0,
    };
    let mut grid: BTreeMap<(u32, u32), (u64, f64, f64)> = BTreeMap::new();
    for (lon, lat) in pts {
        let e = grid.entry((idx(lat, y0, y1), idx(lon, x0, x1))).or_default();
        *e = (e.0 + 1, e.1 + lon, e.2 + lat);
    }
    let point =
        |(n, sx, sy): (u64, f64, f64)| Shape::Point { lon: sx / n as f64, lat: sy / n as f64, count: n, label: None };
    grid.into_values().map(point).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn coordinates_are_formatted_as_the_formatter_rounds_them() {
        let mut values = vec![0.0, -0.0, 0.005, -0.005, 0.015, 0.125, -0.125, 1.005, 2.675, 1e7, -1e7, 2e7, 0.1 + 0.2];
        values.extend([99.995, 99.994999, 12345.675, -0.0049, 0.0049, 5e-324, 1234567.894999]);
        // A deterministic spread over every magnitude, and values near ties.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let magnitude = 10f64.powi((state % 11) as i32 - 3);
            let x = (unit - 0.5) * 2.0 * magnitude;
            values.push(x);
            values.push((x * 200.0).round() / 200.0);
            values.push((x * 1000.0).round() / 1000.0);
        }
        let exact = |x: f64| crate::util::fixed_trimmed(x, 2);
        for x in values {
            assert_eq!(super::fmt_coord(x), exact(x.clamp(-1e7, 1e7)), "{x:e}");
            // Numbers for people: the formatter's own rounding, trimmed.
            let a = x.abs();
            if a >= 1.0 && a.fract() != 0.0 && a < 1e15 {
                assert_eq!(super::format_number(a, Lang::En).replace(',', ""), exact(a), "{x:e}");
            }
        }
        for a in [1.005, 2.675, 99.995, 1e7 - 0.005, 1e7 + 0.25, 12345.675, 1.0 + f64::EPSILON] {
            assert_eq!(super::format_number(a, Lang::En).replace(',', ""), exact(a), "{a:e}");
        }
    }

    use super::*;

    const EVIL: &str = "<script>alert(1)</script> & co";
    const NB: char = '\u{202F}';

    /// Parses `s`, checks the accessibility skeleton and returns the desc text.
    fn check(s: &str) -> String {
        let doc = roxmltree::Document::parse(s).unwrap_or_else(|e| panic!("{e}: {s}"));
        let root = doc.root_element();
        let name = (root.tag_name().name(), root.tag_name().namespace());
        assert_eq!(name, ("svg", Some("http://www.w3.org/2000/svg")));
        assert_eq!(root.attribute("role"), Some("img"));
        let kids: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        let ids: Vec<_> = kids[..2].iter().map(|k| (k.tag_name().name(), k.attribute("id").unwrap())).collect();
        assert_eq!((ids[0].0, ids[1].0), ("title", "desc"));
        assert_eq!(root.attribute("aria-labelledby"), Some(format!("{} {}", ids[0].1, ids[1].1).as_str()));
        assert!(doc.descendants().all(|n| n.tag_name().name() != "script"));
        assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
        kids[1].text().unwrap_or("").to_string()
    }

    fn items(v: &[(&str, f64)]) -> Vec<(String, f64)> {
        v.iter().map(|(l, x)| (l.to_string(), *x)).collect()
    }

    fn frames() -> Vec<Frame<'static>> {
        let tiny = |lang| Frame { width: 10, height: 5, ..Frame::new("", "", lang) };
        let all = [Lang::Fr, Lang::En].map(|l| [Frame::new("t 1<>", EVIL, l), Frame::small("s", "", l), tiny(l)]);
        all.concat()
    }

    fn value_sets() -> Vec<Vec<f64>> {
        let big: Vec<f64> = (0..10_000).map(|i| ((i * 7919) % 1000) as f64 / 3.0).collect();
        let huge = vec![1e15, 2e15, 3.5e15, f64::NAN, f64::INFINITY];
        let (neg, tiny) = (vec![-3.0, -1.5, 0.0, 2.0, 7.25], vec![0.001, 0.002, 0.0015]);
        vec![vec![], vec![f64::NAN], vec![42.0], vec![5.0; 10], neg, huge, vec![f64::MAX, -f64::MAX], tiny, big]
    }

    #[test]
    fn every_chart_is_valid_svg() {
        let count = |v: &f64| ("2024-01".to_string(), v.abs().min(1e18) as u64);
        for f in frames() {
            for vals in value_sets() {
                assert!(check(&histogram(&f, &vals, true)).len() > 10);
                let labelled: Vec<_> = vals.iter().map(|v| (EVIL.to_string(), *v)).collect();
                check(&bars(&f, &labelled));
                check(&line(&f, &labelled, EVIL));
                check(&pie(&f, &labelled));
                check(&timeline(&f, &vals.iter().map(count).collect::<Vec<_>>()));
            }
        }
    }

    #[test]
    fn escaping_and_truncation() {
        let f = Frame::new("x", EVIL, Lang::Fr);
        let evil = items(&[(EVIL, 3.0), ("b", 1.0)]);
        let point = Shape::Point { lon: 2.0, lat: 48.0, count: 3, label: Some(EVIL.into()) };
        for s in [bars(&f, &evil), pie(&f, &evil), line(&f, &evil, EVIL), map(&f, &[point])] {
            check(&s);
            assert!(!s.contains("<script") && s.contains("&lt;script&gt;") && s.contains("&amp; co"));
        }
        let s = histogram(&Frame::new("a\"b<c", "", Lang::En), &[1.0], false);
        assert!(s.contains(r#"id="abc-title""#));
        let long = "Une catégorie au nom vraiment très long";
        let s = bars(&Frame::new("b", "", Lang::Fr), &items(&[(long, 12.0)]));
        assert!(s.contains(">Une catégorie au nom vr…<") && s.contains(&format!("<title>{long} : 12</title>")));
    }

    #[test]
    fn deterministic() {
        let f = Frame::new("d", "T", Lang::En);
        let vals: Vec<f64> = (0..500).map(|i| (i as f64 * 1.37).sin() * 100.0).collect();
        let its: Vec<_> = (0..20).map(|i| (format!("c{i}"), vals[i])).collect();
        let counts: Vec<_> = (0..30).map(|i| (format!("{}", 1990 + i), i * 3)).collect();
        let pts: Vec<_> = vals.chunks(2).map(|c| (c[0], c[1] / 2.0)).collect();
        let run = || {
            let charts = [histogram(&f, &vals, false), bars(&f, &its), line(&f, &its, "y"), pie(&f, &its)];
            (charts, timeline(&f, &counts), map(&f, &cluster(&pts, 8)))
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn numbers() {
        let fr = [1234.5, -0.25, 1e6, 0.0012, -0.0].map(|x| format_number(x, Lang::Fr));
        let want = [format!("1{NB}234,5"), "-0,25".into(), format!("1{NB}000{NB}000"), "0,0012".into(), "0".into()];
        assert_eq!(fr, want);
        let en = [1234.5, -1234.567, 1e15, f64::NAN].map(|x| format_number(x, Lang::En));
        assert_eq!(en, ["1,234.5", "-1,234.57", "1,000,000,000,000,000", "–"]);
        let compacts = [compact(1_234_567.0, Lang::Fr, 1e6), compact(1_234_567.0, Lang::En, 1e6)];
        assert_eq!(compacts, [format!("1,2{NB}M"), "1.2M".into()]);
        assert_eq!(compact(12_345.0, Lang::En, 1e6), "12,345");
        let coords = [1.005, 2.5, -0.001, 12.34567, f64::NAN, f64::INFINITY].map(fmt_coord);
        assert_eq!(coords, ["1", "2.5", "0", "12.35", "0", "0"]);
    }

    fn histogram_bins(values: &[f64]) -> (Vec<f64>, Vec<u64>) {
        let bins = histogram::bins(values.iter().map(|&x| (x, 1)).collect());
        (bins.edges, bins.counts)
    }

    #[test]
    fn histogram_bins_count_every_finite_value() {
        for vals in value_sets() {
            let (edges, counts) = histogram_bins(&vals);
            let finite = vals.iter().filter(|v| v.is_finite()).count() as u64;
            assert_eq!(counts.iter().sum::<u64>(), finite);
            assert_eq!(edges.len(), counts.len() + usize::from(!counts.is_empty()));
            assert!(edges.windows(2).all(|w| w[0] <= w[1]));
        }
        let vals: Vec<f64> = (0..1234).map(|i| (i % 100) as f64 + 0.5).collect();
        let (edges, counts) = histogram_bins(&vals);
        assert!((5..=20).contains(&counts.len()), "{edges:?}");
        assert!(edges.iter().all(|e| (e * 4.0).fract() == 0.0), "round edges: {edges:?}");
        let fr = check(&histogram(&Frame::new("h", "", Lang::Fr), &vals, true));
        let want = format!("Histogramme de 1{NB}234 valeurs (échantillon), de 0,5 à 99,5 ; ");
        assert!(fr.starts_with(&want), "{fr}");
        let en = check(&histogram(&Frame::new("h", "", Lang::En), &vals, false));
        let want = "Histogram of 1,234 values, from 0.5 to 99.5; the most frequent bin: ";
        assert!(en.starts_with(want), "{en}");
        assert_eq!(histogram_bins(&[7.0, 7.0]).1, vec![2]);
    }

    #[test]
    fn pie_groups_and_ignores() {
        let its: Vec<_> = (0..12).map(|i| (format!("p{i}"), i as f64 - 1.0)).collect();
        let s = pie(&Frame::new("p", "", Lang::Fr), &its);
        let desc = check(&s);
        assert!(desc.contains("8 parts") && desc.contains("2 valeurs nulles, négatives ou manquantes ignorées"));
        assert!(s.contains("Autres") && s.contains("k-slice-7") && !s.contains("k-slice-8"));
        assert!(check(&pie(&Frame::new("p", "", Lang::En), &items(&[("all", 5.0)]))).contains("(100%)"));
        let none = pie(&Frame::new("p", "", Lang::En), &items(&[("neg", -5.0)]));
        assert!(check(&none).contains("1 zero, negative or missing value ignored"));
    }

    #[test]
    fn bars_have_a_zero_baseline() {
        let s = bars(&Frame::new("b", "", Lang::En), &items(&[("up", 10.0), ("down", -5.0)]));
        let want = "Bar chart of 2 categories; the largest value: up (10), the smallest: down (-5).";
        assert_eq!(check(&s), want);
        let doc = roxmltree::Document::parse(&s).unwrap();
        let class = |c: &str| doc.descendants().filter(|n| n.attribute("class") == Some(c)).collect::<Vec<_>>();
        let d = class("k-axis")[0].attribute("d").unwrap();
        let zero: f64 = d[1..d.find(' ').unwrap()].parse().unwrap();
        let rects = class("k-bar");
        let x = |i: usize, a: &str| rects[i].attribute(a).unwrap().parse::<f64>().unwrap();
        assert!((x(0, "x") - zero).abs() < 0.01 && (x(1, "x") + x(1, "width") - zero).abs() < 0.02);
    }

    #[test]
    fn timeline_and_line_descriptions() {
        let pts = vec![("2023".to_string(), 4), ("2024".to_string(), 1234)];
        let d = check(&timeline(&Frame::new("t", "", Lang::Fr), &pts));
        let want = "Chronologie de 2 périodes, de 2023 à 2024 : 1 238 au total ; maximum 1 234 en 2024.";
        assert_eq!(d, want.replace("1 2", &format!("1{NB}2")));
        let many: Vec<_> = (0..1000).map(|i| (format!("d{i}"), i % 17)).collect();
        assert!(timeline(&Frame::new("t", "", Lang::En), &many).contains("k-line"));
        let pts = items(&[("a", 1.0), ("b", f64::NAN), ("c", -2.0)]);
        let l = line(&Frame::new("l", "", Lang::En), &pts, "kg");
        let want = "Line chart of 2 points (kg), from a to c; minimum -2 (c), maximum 1 (a).";
        assert_eq!(check(&l), want);
        let broken = l.contains(r#"class="k-line" d="M"#) && l.matches('M').count() >= 2;
        assert!(broken, "NaN breaks the line");
    }

    #[test]
    fn maps() {
        let grid = |i: i32| (f64::from(i % 100) * 0.01, f64::from(i / 100) * 0.01);
        let dense: Vec<_> = (0..10_000).map(grid).collect();
        let outer = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let rings = vec![outer, vec![(2.0, 2.0), (4.0, 2.0), (4.0, 4.0)], vec![(f64::NAN, 1.0)]];
        let shapes = vec![
            Shape::Polygon(rings),
            Shape::Line(vec![(-5.0, -5.0), (200.0, 0.0), (15.0, 12.0), (f64::INFINITY, 0.0)]),
            Shape::Line(vec![(1.0, 1.0)]),
            Shape::Point { lon: 5.0, lat: 5.0, count: 12_345, label: Some(EVIL.into()) },
            Shape::Point { lon: 0.0, lat: 95.0, count: 1, label: None },
        ];
        let paris = cluster(&[(2.35, 48.85)], 1);
        let (fr, en) = ("4 coordonnées invalides ignorées", "4 invalid coordinates skipped");
        for f in frames() {
            assert!(check(&map(&f, &[])).contains(f.lang.pick("Aucune géométrie", "No geometry")));
            let single = map(&f, &paris);
            check(&single);
            assert!(f.small || f.width < 100 || single.contains(">500 m<"), "1 km: {single}");
            let m = map(&f, &shapes);
            assert!(check(&m).contains(f.lang.pick(fr, en)));
            assert!(m.contains("evenodd") && m.contains("k-count"));
            check(&map(&f, &cluster(&dense, 10)));
            check(&map(&f, &[Shape::Line(dense.clone())]));
        }
    }

    #[test]
    fn clusters_count_every_valid_point() {
        let wave = |i: i32| ((f64::from(i) * 0.37).sin() * 10.0, (f64::from(i) * 0.11).cos());
        let mut pts: Vec<_> = (0..1000).map(wave).collect();
        pts.extend([(f64::NAN, 0.0), (181.0, 0.0), (0.0, -91.0)]);
        let count = |s: &Shape| if let Shape::Point { count, .. } = s { *count } else { 0 };
        for cells in [0, 1, 3, 50, 1000] {
            let c = cluster(&pts, cells);
            assert_eq!(c.iter().map(count).sum::<u64>(), 1000);
            assert_eq!(c, cluster(&pts, cells));
            assert!(c.len() <= (cells.max(1) as usize).pow(2));
        }
        assert!(cluster(&[], 5).is_empty());
        assert_eq!(cluster(&[(1.0, 1.0), (1.0, 1.0)], 5).len(), 1);
    }

    #[test]
    fn colours_meet_contrast() {
        let channel = |hex: &str, i: usize| {
            let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        let lum = |h: &str| 0.2126 * channel(h, 1) + 0.7152 * channel(h, 3) + 0.0722 * channel(h, 5);
        let ratio = |hex: &str| 1.05 / (lum(hex) + 0.05);
        assert!(ratio(TEXT_COLOR) >= 4.5);
        let mut graphics = PALETTE.iter().chain([&MAIN_COLOR, &AXIS_COLOR]);
        assert!(graphics.all(|c| ratio(c) >= 3.0));
    }
}
