//! Typed cell values, and how frictionless-py reads a text (or a JSON value from the
//! descriptor, for `enum`/`minimum`/`maximum`) into one.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use jiff::civil::{Date, Time};
use serde_json::Value;

use super::decimal::{Decimal, digit_value};
use super::descriptor::{Field, FieldType};
use super::formats;
use super::temporal::{self, IsoDuration, Stamp, Strptime};

/// A value read from a cell.
#[derive(Debug, Clone)]
pub(super) enum Cell {
    /// `string`, `any`.
    Str(String),
    /// `integer`, `number`, `year`.
    Num(Decimal),
    /// `boolean`.
    Bool(bool),
    /// `date`.
    Date(Date),
    /// `datetime`.
    DateTime(Stamp),
    /// `time`, with its UTC offset in seconds when aware.
    Time(Time, Option<i32>),
    /// `yearmonth`.
    YearMonth(i64, i64),
    /// `duration`.
    Duration(IsoDuration),
    /// `geopoint` (lon, lat).
    GeoPoint(Decimal, Decimal),
    /// `object`, `array`, `geojson`.
    Json(Value),
}

impl Cell {
    /// Python's `==` between two values of one field.
    pub(super) fn py_eq(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Num(a), Cell::Num(b)) => a.py_eq(b),
            (Cell::GeoPoint(a, b), Cell::GeoPoint(c, d)) => a.py_eq(c) && b.py_eq(d),
            (Cell::Json(a), Cell::Json(b)) => json_eq(a, b),
            (Cell::DateTime(a), Cell::DateTime(b)) => {
                a.offset.is_some() == b.offset.is_some() && a.normalized() == b.normalized()
            }
            (Cell::Time(a, oa), Cell::Time(b, ob)) => {
                oa.is_some() == ob.is_some() && time_key(a, oa) == time_key(b, ob)
            }
            _ => self.py_cmp(other) == Some(Ordering::Equal),
        }
    }

    /// Python's ordering between two values of one field; `None` when Python would
    /// raise (NaN, naive vs aware, unordered types).
    pub(super) fn py_cmp(&self, other: &Cell) -> Option<Ordering> {
        match (self, other) {
            (Cell::Str(a), Cell::Str(b)) => Some(a.cmp(b)),
            (Cell::Num(a), Cell::Num(b)) => a.py_cmp(b),
            (Cell::Bool(a), Cell::Bool(b)) => Some(a.cmp(b)),
            (Cell::Date(a), Cell::Date(b)) => Some(a.cmp(b)),
            (Cell::DateTime(a), Cell::DateTime(b)) if a.offset.is_some() == b.offset.is_some() => {
                Some(a.normalized().cmp(&b.normalized()))
            }
            (Cell::Time(a, oa), Cell::Time(b, ob)) if oa.is_some() == ob.is_some() => {
                Some(time_key(a, oa).cmp(&time_key(b, ob)))
            }
            (Cell::YearMonth(y1, m1), Cell::YearMonth(y2, m2)) => Some((y1, m1).cmp(&(y2, m2))),
            (Cell::Duration(a), Cell::Duration(b)) => (a == b).then_some(Ordering::Equal),
            _ => None,
        }
    }

    /// A 64-bit hash of the value such that Python-equal values hash alike; `None`
    /// for NaN, which is never equal to anything.
    pub(super) fn key_hash(&self) -> Option<u64> {
        let mut h = std::hash::DefaultHasher::new();
        std::mem::discriminant(self).hash(&mut h);
        match self {
            Cell::Str(s) => s.hash(&mut h),
            Cell::Num(Decimal::NaN) => return None,
            Cell::Num(d) => d.hash(&mut h),
            Cell::Bool(b) => b.hash(&mut h),
            Cell::Date(d) => d.hash(&mut h),
            Cell::DateTime(s) => (s.offset.is_some(), s.normalized()).hash(&mut h),
            Cell::Time(t, o) => (o.is_some(), time_key(t, o)).hash(&mut h),
            Cell::YearMonth(y, m) => (y, m).hash(&mut h),
            Cell::Duration(d) => d.hash(&mut h),
            Cell::GeoPoint(a, b) => (a, b).hash(&mut h),
            Cell::Json(v) => canonical_json(v).hash(&mut h),
        }
        Some(h.finish())
    }

    /// `len()` of the value, for `minLength`/`maxLength`.
    pub(super) fn py_len(&self) -> Option<usize> {
        match self {
            Cell::Str(s) => Some(s.chars().count()),
            Cell::Json(Value::Array(a)) => Some(a.len()),
            Cell::Json(Value::Object(o)) => Some(o.len()),
            _ => None,
        }
    }
}

/// Nanoseconds since midnight in UTC (aware) or wall clock (naive).
fn time_key(t: &Time, offset: &Option<i32>) -> i64 {
    let nanos = (t.hour() as i64 * 3600 + t.minute() as i64 * 60 + t.second() as i64) * 1_000_000_000
        + t.subsec_nanosecond() as i64;
    nanos - offset.unwrap_or(0) as i64 * 1_000_000_000
}

/// Python's equality of the objects `json.loads` makes (`1 == 1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A text form of a JSON value with sorted keys and numbers as floats.
fn canonical_json(v: &Value) -> String {
    match v {
        Value::Number(n) => format!("{:?}", n.as_f64().unwrap_or(0.0)),
        Value::Array(a) => format!("[{}]", a.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        Value::Object(o) => {
            let mut items: Vec<String> = o.iter().map(|(k, v)| format!("{k:?}:{}", canonical_json(v))).collect();
            items.sort();
            format!("{{{}}}", items.join(","))
        }
        other => other.to_string(),
    }
}

/// How one field turns text into a [`Cell`]: its type, format and options, compiled.
#[derive(Debug, Clone)]
pub(super) struct Caster {
    field_type: FieldType,
    format: String,
    strptime: Option<Result<Strptime, String>>,
    number: NumberOptions,
    true_values: Vec<String>,
    false_values: Vec<String>,
}

/// `decimalChar`, `groupChar`, `bareNumber` and whether any was declared.
#[derive(Debug, Clone)]
struct NumberOptions {
    declared: bool,
    decimal_char: String,
    group_char: String,
    bare_number: bool,
}

impl Caster {
    /// Compiles the reading rules of a field.
    pub(super) fn new(field: &Field) -> Caster {
        let temporal = matches!(field.field_type, FieldType::Date | FieldType::Datetime | FieldType::Time);
        let custom = !matches!(field.format.as_str(), "default" | "any");
        Caster {
            field_type: field.field_type,
            format: field.format.clone(),
            strptime: (temporal && custom).then(|| Strptime::new(&field.format)),
            number: NumberOptions {
                declared: field.decimal_char.is_some() || field.group_char.is_some() || field.bare_number.is_some(),
                decimal_char: field.decimal_char.clone().unwrap_or_else(|| ".".to_owned()),
                group_char: field.group_char.clone().unwrap_or_default(),
                bare_number: field.bare_number.unwrap_or(true),
            },
            true_values: field.true_values.clone(),
            false_values: field.false_values.clone(),
        }
    }

    /// The strptime pattern error, if the field's format is not a valid pattern.
    pub(super) fn format_error(&self) -> Option<&str> {
        self.strptime.as_ref()?.as_ref().err().map(String::as_str)
    }

    /// Reads a cell's text; `None` is a type error.
    pub(super) fn cast_str(&self, text: &str) -> Option<Cell> {
        match self.field_type {
            FieldType::String => self.cast_string(text),
            FieldType::Any => Some(Cell::Str(text.to_owned())),
            FieldType::Integer => self.cast_integer(text).map(Cell::Num),
            FieldType::Number => self.cast_number(text).map(Cell::Num),
            FieldType::Boolean => self.cast_boolean(text).map(Cell::Bool),
            FieldType::Date => self.cast_date(text).map(Cell::Date),
            FieldType::Datetime => self.cast_datetime(text).map(Cell::DateTime),
            FieldType::Time => self.cast_time(text).map(|(t, o)| Cell::Time(t, o)),
            FieldType::Year => cast_year(text).map(Cell::Num),
            FieldType::Yearmonth => cast_yearmonth(text),
            FieldType::Duration => temporal::iso_duration(text).map(Cell::Duration),
            FieldType::Geopoint => self.cast_geopoint(text),
            FieldType::Geojson => self.cast_geojson(serde_json::from_str(text).ok()?),
            FieldType::Object => serde_json::from_str::<Value>(text).ok().filter(Value::is_object).map(Cell::Json),
            FieldType::Array => serde_json::from_str::<Value>(text).ok().filter(Value::is_array).map(Cell::Json),
        }
    }

    /// Reads a JSON value (a constraint from the descriptor, or an array item) the
    /// way frictionless' value readers treat non-string Python objects.
    pub(super) fn cast_json(&self, value: &Value) -> Option<Cell> {
        if let Value::String(s) = value {
            return self.cast_str(s);
        }
        match (self.field_type, value) {
            (FieldType::Any, v) => Some(Cell::Json(v.clone())),
            (FieldType::Integer, Value::Number(n)) => json_number(n).filter(Decimal::is_integral).map(Cell::Num),
            (FieldType::Number, Value::Number(n)) => json_number(n).map(Cell::Num),
            (FieldType::Year, Value::Number(n)) => n
                .as_i64()
                .filter(|y| (0..=9999).contains(y))
                .and_then(|y| Decimal::parse_int(&y.to_string()))
                .map(Cell::Num),
            (FieldType::Boolean, Value::Bool(b)) => Some(Cell::Bool(*b)),
            (FieldType::Object, v @ Value::Object(_)) | (FieldType::Array, v @ Value::Array(_)) => {
                Some(Cell::Json(v.clone()))
            }
            (FieldType::Geojson, v) => self.cast_geojson(v.clone()),
            (FieldType::Yearmonth, Value::Array(a)) if a.len() == 2 => {
                Some(Cell::YearMonth(a[0].as_i64()?, a[1].as_i64()?))
            }
            (FieldType::Geopoint, Value::Array(a)) if a.len() == 2 => {
                geopoint(json_decimal(&a[0])?, json_decimal(&a[1])?)
            }
            _ => None,
        }
    }

    /// `string`: the text, checked against the `email`/`uri`/`uuid`/`binary` format.
    fn cast_string(&self, text: &str) -> Option<Cell> {
        let ok = match self.format.as_str() {
            "email" => formats::is_email(text),
            "uri" => formats::is_uri(text),
            "uuid" => formats::is_uuid(text),
            "binary" => formats::is_base64(text),
            _ => true,
        };
        ok.then(|| Cell::Str(text.to_owned()))
    }

    /// `integer`: `int(text.strip())`, after stripping currency-like text when
    /// `bareNumber` is false.
    fn cast_integer(&self, text: &str) -> Option<Decimal> {
        let text = text.trim();
        if self.number.bare_number {
            return Decimal::parse_int(text);
        }
        Decimal::parse_int(&strip_non_bare(text))
    }

    /// `number`: `Decimal(text.strip())` after the `groupChar`/`decimalChar`/
    /// `bareNumber` processing frictionless applies when one of them is declared.
    fn cast_number(&self, text: &str) -> Option<Decimal> {
        let mut text = text.trim().to_owned();
        if self.number.declared {
            if !self.number.bare_number {
                text = strip_non_bare(&text);
            }
            if !self.number.group_char.is_empty() {
                text = text.replace(&self.number.group_char, "");
            }
            if self.number.decimal_char != "." && text.contains('.') {
                return None;
            }
            if !self.number.decimal_char.is_empty() {
                text = text.replace(&self.number.decimal_char, ".");
            }
        }
        Decimal::parse(&text)
    }

    /// `boolean`: exact match against `trueValues` then `falseValues` (later wins,
    /// as in frictionless' mapping).
    fn cast_boolean(&self, text: &str) -> Option<bool> {
        if self.false_values.iter().any(|v| v == text) {
            return Some(false);
        }
        self.true_values.iter().any(|v| v == text).then_some(true)
    }

    /// `date`: `%Y-%m-%d` by default, any strptime pattern, or `any` (see [`loose_datetime`]).
    fn cast_date(&self, text: &str) -> Option<Date> {
        match self.format.as_str() {
            "default" => default_date_pattern().date(text),
            "any" => loose_datetime(text).map(|s| s.civil.date()),
            _ => self.strptime.as_ref()?.as_ref().ok()?.date(text),
        }
    }

    /// `datetime`: ISO 8601 by default, a strptime pattern, or `any`.
    fn cast_datetime(&self, text: &str) -> Option<Stamp> {
        match self.format.as_str() {
            "default" => temporal::iso_datetime(text),
            "any" => loose_datetime(text),
            _ => self.strptime.as_ref()?.as_ref().ok()?.datetime(text),
        }
    }

    /// `time`: ISO 8601 `hh:mm:ss` by default, a strptime pattern, or `any`.
    fn cast_time(&self, text: &str) -> Option<(Time, Option<i32>)> {
        match self.format.as_str() {
            "default" => temporal::iso_time(text),
            "any" => temporal::iso_time(text).or_else(|| loose_datetime(text).map(|s| (s.civil.time(), s.offset))),
            _ => self.strptime.as_ref()?.as_ref().ok()?.time(text),
        }
    }

    /// `geopoint`: `"lon, lat"` (default), `[lon, lat]` (array) or `{"lon", "lat"}` (object).
    fn cast_geopoint(&self, text: &str) -> Option<Cell> {
        match self.format.as_str() {
            "array" => match serde_json::from_str::<Value>(text).ok()? {
                Value::Array(a) if a.len() == 2 => geopoint(json_decimal(&a[0])?, json_decimal(&a[1])?),
                _ => None,
            },
            "object" => {
                let value: Value = serde_json::from_str(text).ok()?;
                let object = value.as_object().filter(|o| o.len() == 2)?;
                geopoint(json_decimal(object.get("lon")?)?, json_decimal(object.get("lat")?)?)
            }
            _ => {
                let (lon, lat) = text.split_once(',').filter(|(_, lat)| !lat.contains(','))?;
                geopoint(Decimal::parse(lon.trim())?, Decimal::parse(lat.trim())?)
            }
        }
    }

    /// `geojson`: a JSON object; the `default` format checks it against the GeoJSON profile.
    fn cast_geojson(&self, value: Value) -> Option<Cell> {
        if !value.is_object() {
            return None;
        }
        let checked = self.format != "default" || formats::is_geojson(&value);
        checked.then_some(Cell::Json(value))
    }
}

/// `%Y-%m-%d`, compiled once.
fn default_date_pattern() -> &'static Strptime {
    static PATTERN: std::sync::OnceLock<Strptime> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| Strptime::new("%Y-%m-%d").expect("valid default date pattern"))
}

/// The `any` format (frictionless uses `dateutil.parser.parse`, which guesses
/// almost anything). Approximation: ISO forms, then common day-first patterns.
fn loose_datetime(text: &str) -> Option<Stamp> {
    let text = text.trim();
    if let Some(stamp) = temporal::iso_datetime(text) {
        return Some(stamp);
    }
    static PATTERNS: std::sync::OnceLock<Vec<Strptime>> = std::sync::OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        let patterns = ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"];
        patterns.iter().map(|p| Strptime::new(p).expect("valid built-in pattern")).collect()
    });
    patterns.iter().find_map(|p| p.datetime(text))
}

/// Frictionless' non-bare-number cleanup: drop leading text up to a digit or `-`,
/// and trailing non-digits (`"€ 12"` → `12`, `"12 %"` → `12`).
fn strip_non_bare(text: &str) -> String {
    let is_digit = |c: char| digit_value(c).is_some();
    let start = text.find(|c: char| c == '-' || is_digit(c)).unwrap_or(text.len());
    let head = &text[start..];
    let end = head.rfind(is_digit).map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    head[..end].to_owned()
}

/// `year`: exactly four characters, `int()` of them, in 0..=9999.
fn cast_year(text: &str) -> Option<Decimal> {
    if text.chars().count() != 4 {
        return None;
    }
    let year = Decimal::parse_int(text.trim())?;
    let zero = Decimal::parse_int("0")?;
    let max = Decimal::parse_int("9999")?;
    let in_range = year.py_cmp(&zero)? != Ordering::Less && year.py_cmp(&max)? != Ordering::Greater;
    in_range.then_some(year)
}

/// `yearmonth`: `YYYY-MM` split on the single `-`, month 1–12.
fn cast_yearmonth(text: &str) -> Option<Cell> {
    let (year, month) = text.split_once('-').filter(|(_, m)| !m.contains('-'))?;
    let year: i64 = Decimal::parse_int(year.trim())?.to_string().parse().ok()?;
    let month: i64 = Decimal::parse_int(month.trim())?.to_string().parse().ok()?;
    (1..=12).contains(&month).then_some(Cell::YearMonth(year, month))
}

/// A geopoint within [-180, 180] × [-90, 90].
fn geopoint(lon: Decimal, lat: Decimal) -> Option<Cell> {
    let within = |d: &Decimal, bound: &str| {
        let b = Decimal::parse(bound).expect("bound");
        let nb = Decimal::parse(&format!("-{bound}")).expect("bound");
        d.py_cmp(&b).is_some_and(|o| o != Ordering::Greater) && d.py_cmp(&nb).is_some_and(|o| o != Ordering::Less)
    };
    (within(&lon, "180") && within(&lat, "90")).then_some(Cell::GeoPoint(lon, lat))
}

/// `Decimal(x)` of a JSON number or numeric string.
fn json_decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => json_number(n),
        Value::String(s) => Decimal::parse(s),
        _ => None,
    }
}

/// A JSON number as Python holds it: an exact int, or `Decimal(str(float))`.
fn json_number(n: &serde_json::Number) -> Option<Decimal> {
    if n.is_f64() { Decimal::from_f64(n.as_f64()?) } else { Decimal::parse_int(&n.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caster(field_type: FieldType, edit: impl FnOnce(&mut Field)) -> Caster {
        let mut field = Field::new("f", field_type);
        edit(&mut field);
        Caster::new(&field)
    }

    #[test]
    fn numbers_follow_decimal_options() {
        let plain = caster(FieldType::Number, |_| {});
        assert!(plain.cast_str("1.5").is_some() && plain.cast_str("0,5").is_none() && plain.cast_str("1e3").is_some());
        let french = caster(FieldType::Number, |f| f.decimal_char = Some(",".into()));
        assert!(french.cast_str("0,5").is_some());
        assert!(french.cast_str("0.5").is_none(), "a dot is refused once decimalChar is ','");
        let grouped = caster(FieldType::Number, |f| {
            f.decimal_char = Some(",".into());
            f.group_char = Some(" ".into());
        });
        assert!(grouped.cast_str("17 142,08").unwrap().py_eq(&Cell::Num(Decimal::parse("17142.08").unwrap())));
        let bare = caster(FieldType::Number, |f| f.bare_number = Some(false));
        assert!(bare.cast_str("€ 12.5").unwrap().py_eq(&Cell::Num(Decimal::parse("12.5").unwrap())));
        assert!(bare.cast_str("95%").is_some());
    }

    #[test]
    fn integers_years_booleans() {
        let int = caster(FieldType::Integer, |_| {});
        assert!(int.cast_str(" 42 ").is_some() && int.cast_str("4.0").is_none() && int.cast_str("-7").is_some());
        let year = caster(FieldType::Year, |_| {});
        assert!(year.cast_str("2024").is_some() && year.cast_str("24").is_none() && year.cast_str("-999").is_none());
        let boolean = caster(FieldType::Boolean, |f| f.true_values = vec!["oui".into()]);
        assert!(matches!(boolean.cast_str("oui"), Some(Cell::Bool(true))));
        assert!(boolean.cast_str("true").is_none() && matches!(boolean.cast_str("false"), Some(Cell::Bool(false))));
    }

    #[test]
    fn temporal_types_and_json_types() {
        let date = caster(FieldType::Date, |_| {});
        assert!(date.cast_str("2024-02-29").is_some() && date.cast_str("2023-02-29").is_none());
        let fr = caster(FieldType::Date, |f| f.format = "%d/%m/%Y".into());
        assert!(fr.cast_str("29/02/2024").is_some() && fr.cast_str("2024-02-29").is_none());
        let ym = caster(FieldType::Yearmonth, |_| {});
        assert!(ym.cast_str("2024-02").is_some() && ym.cast_str("2024-13").is_none());
        let gp = caster(FieldType::Geopoint, |_| {});
        assert!(gp.cast_str("2.35, 48.85").is_some() && gp.cast_str("200, 48").is_none());
        let obj = caster(FieldType::Object, |_| {});
        assert!(obj.cast_str(r#"{"a": 1}"#).is_some() && obj.cast_str("[1]").is_none());
        let arr = caster(FieldType::Array, |_| {});
        assert!(arr.cast_str("[1]").is_some() && arr.cast_str("1").is_none());
        let dur = caster(FieldType::Duration, |_| {});
        assert!(dur.cast_str("P1Y2M").is_some() && dur.cast_str("1 an").is_none());
        let time = caster(FieldType::Time, |_| {});
        assert!(time.cast_str("08:30:00").is_some() && time.cast_str("8h30").is_none());
        let dt = caster(FieldType::Datetime, |_| {});
        assert!(dt.cast_str("2020-05-11T14:08:32Z").is_some() && dt.cast_str("2020-05-11").is_none());
    }

    #[test]
    fn strip_non_bare_numbers() {
        assert_eq!(strip_non_bare("€ 1 000 €"), "1 000");
        assert_eq!(strip_non_bare("-12,5 %"), "-12,5");
        assert_eq!(strip_non_bare("abc"), "");
    }
}
