//! The charts a publisher declares in a sidecar (`charts:`): a table's rows
//! grouped by column `x`, column `y` aggregated per group, in the same
//! single pass that profiles the table, with memory bounded by the number
//! of groups kept ([`MAX_GROUPS`]).

use std::collections::BTreeMap;

use crate::model::{Aggregation, ChartKind, ChartSpec};

/// Groups kept per chart; rows of further groups are left out (a warning).
pub const MAX_GROUPS: usize = 2_000;
/// Bars drawn at most (the largest groups).
pub const MAX_BARS: usize = 20;

/// What went wrong with a chart once its table was read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ChartProblem {
    /// `x` or `y` names no column of the table: the key (`x` or `y`), the name, the
    /// nearest column name.
    UnknownColumn { key: char, name: String, nearest: Option<String> },
}

/// A chart's data: (label, value) in drawing order, and whether groups
/// were left out.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartData {
    /// Index of the chart in its dataset's `charts`.
    pub index: usize,
    pub result: Result<(Vec<(String, f64)>, bool), ChartProblem>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Acc {
    rows: u64,
    numbers: u64,
    sum: f64,
    min: f64,
    max: f64,
}

/// One chart being aggregated.
pub struct Aggregator {
    index: usize,
    kind: ChartKind,
    aggregation: Aggregation,
    columns: Result<(usize, Option<usize>), ChartProblem>,
    decimal: u8,
    groups: BTreeMap<String, Acc>,
    overflow: bool,
}

impl Aggregator {
    pub fn new(index: usize, spec: &ChartSpec, names: &[String], decimal: u8) -> Self {
        let missing = |key: char, name: &str| ChartProblem::UnknownColumn {
            key,
            name: name.to_string(),
            nearest: crate::util::nearest(name, names.iter().map(String::as_str)).map(str::to_string),
        };
        let columns = match (crate::util::find_column(names, &spec.x.value), spec.y.as_ref()) {
            (None, _) => Err(missing('x', &spec.x.value)),
            (Some(x), None) => Ok((x, None)),
            (Some(x), Some(y)) => match crate::util::find_column(names, &y.value) {
                Some(y) => Ok((x, Some(y))),
                None => Err(missing('y', &y.value)),
            },
        };
        Aggregator {
            index,
            kind: spec.kind,
            aggregation: spec.aggregation,
            columns,
            decimal,
            groups: BTreeMap::new(),
            overflow: false,
        }
    }

    pub fn row(&mut self, cells: &[&str]) {
        let Ok((x, y)) = self.columns else { return };
        let key = cells.get(x).map(|c| c.trim()).unwrap_or("");
        let value = y.and_then(|y| cells.get(y)).and_then(|c| crate::tabular::plain_number(c, self.decimal));
        let value = value.and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite());
        if !self.groups.contains_key(key) {
            if self.groups.len() >= MAX_GROUPS {
                self.overflow = true;
                return;
            }
            self.groups.insert(key.to_string(), Acc::default());
        }
        let Some(acc) = self.groups.get_mut(key) else { return };
        acc.rows += 1;
        if let Some(v) = value {
            acc.min = if acc.numbers == 0 { v } else { acc.min.min(v) };
            acc.max = if acc.numbers == 0 { v } else { acc.max.max(v) };
            acc.numbers += 1;
            acc.sum += v;
        }
    }

    pub fn finish(self) -> ChartData {
        let result = self.columns.clone().map(|_| {
            let aggregation = self.aggregation;
            let mut items: Vec<(String, f64)> = self
                .groups
                .into_iter()
                .filter(|(_, a)| aggregation == Aggregation::Count || a.numbers > 0)
                .map(|(k, a)| {
                    let v = match aggregation {
                        Aggregation::Count => a.rows as f64,
                        Aggregation::Sum => a.sum,
                        Aggregation::Mean => a.sum / a.numbers as f64,
                        Aggregation::Min => a.min,
                        Aggregation::Max => a.max,
                    };
                    (k, v)
                })
                .collect();
            match self.kind {
                ChartKind::Line => sort_along_x(&mut items),
                ChartKind::Bar | ChartKind::Pie => {
                    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    if self.kind == ChartKind::Bar {
                        items.truncate(MAX_BARS);
                    }
                }
            }
            (items, self.overflow)
        });
        ChartData { index: self.index, result }
    }
}

/// Orders points by their x: as dates when all are dates, as numbers when
/// all are numbers, else as text (already so).
fn sort_along_x(items: &mut [(String, f64)]) {
    if items.iter().all(|(k, _)| crate::tabular::iso_temporal(k).is_some()) {
        items.sort_by_cached_key(|(k, _)| crate::tabular::iso_temporal(k));
    } else if let Some(keys) = items
        .iter()
        .map(|(k, _)| crate::tabular::plain_number(k, b'.').and_then(|n| n.parse::<f64>().ok()))
        .collect::<Option<Vec<f64>>>()
    {
        let mut keyed: Vec<(f64, (String, f64))> = keys.into_iter().zip(items.iter().cloned()).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (slot, (_, item)) in items.iter_mut().zip(keyed) {
            *slot = item;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Located;

    fn spec(kind: ChartKind, x: &str, y: Option<&str>, aggregation: Aggregation) -> ChartSpec {
        let at = |s: &str| Located::new(s.to_string(), Default::default());
        ChartSpec { title: None, kind, resource: None, x: at(x), y: y.map(at), aggregation }
    }

    fn run(spec: &ChartSpec, rows: &[&[&str]]) -> ChartData {
        let names: Vec<String> = ["date", "service", "montant"].iter().map(|s| s.to_string()).collect();
        let mut a = Aggregator::new(0, spec, &names, b',');
        for r in rows {
            a.row(r);
        }
        a.finish()
    }

    const ROWS: &[&[&str]] = &[
        &["02/03/2026", "Eau", "10,5"],
        &["01/03/2026", "Eau", "1 000"],
        &["01/03/2026", "Voirie", "4"],
        &["15/02/2026", "Voirie", "n.c."],
    ];

    #[test]
    fn sums_counts_and_orders() {
        let bar = run(&spec(ChartKind::Bar, "service", Some("montant"), Aggregation::Sum), ROWS);
        assert_eq!(bar.result, Ok((vec![("Eau".into(), 1010.5), ("Voirie".into(), 4.0)], false)));
        let count = run(&spec(ChartKind::Pie, "service", None, Aggregation::Count), ROWS);
        assert_eq!(count.result, Ok((vec![("Eau".into(), 2.0), ("Voirie".into(), 2.0)], false)));
        let line = run(&spec(ChartKind::Line, "date", Some("montant"), Aggregation::Max), ROWS);
        let (points, _) = line.result.unwrap();
        let labels: Vec<&str> = points.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(labels, ["01/03/2026", "02/03/2026"], "dates in order; a group without numbers is left out");
    }

    #[test]
    fn unknown_columns_name_the_nearest() {
        let bad = run(&spec(ChartKind::Bar, "servise", Some("montant"), Aggregation::Sum), ROWS);
        assert_eq!(
            bad.result,
            Err(ChartProblem::UnknownColumn { key: 'x', name: "servise".into(), nearest: Some("service".into()) })
        );
    }

    #[test]
    fn groups_are_bounded() {
        let names: Vec<String> = vec!["id".into()];
        let mut a = Aggregator::new(0, &spec(ChartKind::Pie, "id", None, Aggregation::Count), &names, b'.');
        for i in 0..(MAX_GROUPS + 10) {
            a.row(&[&i.to_string()]);
        }
        let (items, overflow) = a.finish().result.unwrap();
        assert!(overflow);
        assert_eq!(items.len(), MAX_GROUPS);
    }
}
