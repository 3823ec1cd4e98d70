//! Histogram bins of a numeric column, computed once when the column is
//! profiled: a page draws them, and they take a few hundred bytes where the
//! values they count took up to 32 KB per column.

use serde::{Deserialize, Serialize};

/// A histogram: `edges.len() == counts.len() + 1` (both empty without
/// values), and the smallest and largest value counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bins {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    pub min: f64,
    pub max: f64,
}

/// Histogram bins of the finite `values`, each counting `count` times.
/// Bins are `[a, b)`, the last one closed. The target count comes from
/// Freedman–Diaconis (Sturges when the IQR is 0), clamped to 5–20; the width
/// is the round step (1, 2, 2.5 or 5 × 10ⁿ) whose bin count is within 5–20
/// and closest to the target. Equal values give one bin.
pub fn bins(mut v: Vec<(f64, u64)>) -> Bins {
    v.retain(|(x, n)| x.is_finite() && *n > 0);
    if v.is_empty() {
        return Bins { edges: Vec::new(), counts: Vec::new(), min: 0.0, max: 0.0 };
    }
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: u64 = v.iter().map(|(_, c)| c).sum();
    let (min, max) = (v[0].0, v[v.len() - 1].0);
    let range = max - min;
    if !range.is_finite() {
        return Bins { edges: vec![min, max], counts: vec![n], min, max };
    }
    let layout = |step: f64| {
        let lo = (min / step).floor() * step;
        (lo, step, ((max - lo) / step).ceil().max(1.0))
    };
    let (lo, step, nb) = if range == 0.0 {
        let (lo, step, _) = layout(nice_step(min.abs().max(1.0) / 10.0));
        (lo, step, 1.0)
    } else {
        // The value at rank p × (n − 1), counting each value `count` times.
        let q = |p: f64| {
            let rank = ((n - 1) as f64 * p).round() as u64;
            let mut seen = 0;
            v.iter()
                .find(|(_, c)| {
                    seen += c;
                    seen > rank
                })
                .map_or(max, |(x, _)| *x)
        };
        let iqr = q(0.75) - q(0.25);
        let fd = range / (2.0 * iqr / (n as f64).cbrt());
        let sturges = (n as f64).log2().ceil() + 1.0;
        let target = if iqr > 0.0 && fd.is_finite() { fd } else { sturges }.clamp(5.0, 20.0);
        let e = (range / target).log10().floor() as i32;
        let steps = (e - 1..=e + 1).flat_map(|k| [1.0, 2.0, 2.5, 5.0].map(|m| m * 10f64.powi(k)));
        let layouts = steps.map(layout);
        let ok = layouts.filter(|&(lo, _, nb)| lo.is_finite() && (5.0..=20.0).contains(&nb));
        let best = ok.fold(None, |best: Option<(f64, f64, f64)>, c| match best {
            Some(b) if (b.2 - target).abs() <= (c.2 - target).abs() => Some(b),
            _ => Some(c),
        });
        best.unwrap_or((min, range / target, target.round()))
    };
    let nb = nb as usize;
    let edges: Vec<f64> = (0..=nb).map(|i| lo + i as f64 * step).collect();
    let mut counts = vec![0u64; nb];
    for (x, c) in v {
        counts[(((x - lo) / step).floor() as usize).min(nb - 1)] += c;
    }
    Bins { edges, counts, min, max }
}

/// The round step (1, 2, 2.5 or 5 × 10ⁿ) at or above `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powi(raw.log10().floor() as i32);
    p * [1.0, 2.0, 2.5, 5.0].into_iter().find(|&m| raw / p <= m).unwrap_or(10.0)
}
