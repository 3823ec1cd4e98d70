//! A field compiled for reading cells: missing values, type cast and constraint
//! checks, in the order and with the notes of frictionless-py's `Field.create_cell_reader`.

use std::cmp::Ordering;

use regex::Regex;
use serde_json::Value;

use super::descriptor::{DescriptorIssue, Field};
use super::pyfmt::py_str;
use super::value::{Caster, Cell};

/// One compiled constraint check.
#[derive(Debug, Clone)]
enum Check {
    /// `required`.
    Required,
    /// `minLength` / `maxLength`.
    Length { min: bool, bound: f64 },
    /// `pattern`, compiled as Python's `re.match("^{pattern}$")`.
    Pattern(Regex),
    /// `enum`: the allowed values read with the field type (unreadable ones never match).
    Enum(Vec<Option<Cell>>),
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`.
    Bound { bound: Cell, accept: fn(Ordering) -> bool },
}

/// A constraint with its name and the note frictionless writes when it fails.
#[derive(Debug, Clone)]
struct Constraint {
    name: &'static str,
    note: String,
    check: Check,
}

/// The outcome of reading one cell.
#[derive(Debug, Clone)]
pub(super) struct Read {
    /// The typed value; `None` for a missing value, an absent cell or a type error.
    pub value: Option<Cell>,
    /// The type note (`type is "date/%Y-%m-%d"`) when the cell could not be read.
    pub type_error: Option<String>,
    /// `(constraint name, note)` of each failed constraint.
    pub failures: Vec<(&'static str, String)>,
}

impl Read {
    /// Frictionless' "blank cell": no value and no type error.
    pub fn is_blank(&self) -> bool {
        self.value.is_none() && self.type_error.is_none()
    }
}

/// A field ready to read cells.
#[derive(Debug, Clone)]
pub(super) struct FieldReader {
    caster: Caster,
    missing_values: Vec<String>,
    constraints: Vec<Constraint>,
    type_note: String,
    item: Option<Box<FieldReader>>,
}

impl FieldReader {
    /// Compiles a field; `schema_missing` applies unless the field has its own
    /// `missingValues`. Constraint values that cannot be used are reported in `issues`.
    pub(super) fn new(field: &Field, schema_missing: &[String], path: &str, issues: &mut Vec<DescriptorIssue>) -> Self {
        let caster = Caster::new(field);
        if let Some(e) = caster.format_error() {
            let message =
                format!("format \"{}\" is not a valid pattern: {e} (every cell will be a type error)", field.format);
            issues.push(DescriptorIssue { path: format!("{path}/format"), message });
        }
        let constraints = compile_constraints(field, &caster, path, issues);
        let item = field.array_item.as_ref().map(|f| Box::new(FieldReader::new(f, &[String::new()], path, issues)));
        FieldReader {
            missing_values: field.missing_values.clone().unwrap_or_else(|| schema_missing.to_vec()),
            type_note: format!("type is \"{}/{}\"", field.field_type.as_str(), field.format),
            caster,
            constraints,
            item,
        }
    }

    /// Reads a cell's text (`None` for a cell absent from a short row).
    pub(super) fn read(&self, text: Option<&str>) -> Read {
        let value = match text {
            Some(t) if !self.missing_values.iter().any(|m| m == t) => match self.caster.cast_str(t) {
                Some(v) => Some(v),
                None => return self.type_error(),
            },
            _ => None,
        };
        self.finish(value)
    }

    /// Reads an array item (a JSON value): `str(item)` against the missing values,
    /// `null` as no value, then the type's reading of non-string values.
    fn read_json(&self, item: &Value) -> Read {
        let value = if item.is_null() || self.missing_values.contains(&py_str(item)) {
            None
        } else {
            match self.caster.cast_json(item) {
                Some(v) => Some(v),
                None => return self.type_error(),
            }
        };
        self.finish(value)
    }

    /// A read that failed on the type.
    fn type_error(&self) -> Read {
        Read { value: None, type_error: Some(self.type_note.clone()), failures: Vec::new() }
    }

    /// Runs the constraints, then the `arrayItem` field over each item.
    fn finish(&self, value: Option<Cell>) -> Read {
        let failures: Vec<(&'static str, String)> = self
            .constraints
            .iter()
            .filter(|c| !passes(&c.check, value.as_ref()))
            .map(|c| (c.name, c.note.clone()))
            .collect();
        let mut read = Read { value, type_error: None, failures };
        if read.failures.is_empty() {
            self.read_items(&mut read);
        }
        read
    }

    /// `arrayItem`: each item's type and constraint notes, prefixed `array item `,
    /// one per name (the last item's note wins, as in frictionless' dict of notes).
    fn read_items(&self, read: &mut Read) {
        let (Some(item), Some(Cell::Json(Value::Array(items)))) = (&self.item, &read.value) else { return };
        let mut notes: Vec<(&'static str, String)> = Vec::new();
        for value in items {
            let r = item.read_json(value);
            let type_note = r.type_error.map(|n| ("type", n));
            for (name, note) in type_note.into_iter().chain(r.failures) {
                let note = format!("array item {note}");
                match notes.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = note,
                    None => notes.push((name, note)),
                }
            }
        }
        if let Some(i) = notes.iter().position(|(n, _)| *n == "type") {
            read.type_error = Some(notes.remove(i).1);
        }
        read.failures = notes;
    }
}

/// Whether a value passes a check (an absent value passes all but `required`).
fn passes(check: &Check, value: Option<&Cell>) -> bool {
    let Some(value) = value else { return !matches!(check, Check::Required) };
    match check {
        Check::Required => true,
        Check::Length { min, bound } => value.py_len().is_none_or(|len| {
            let len = len as f64;
            if *min { len >= *bound } else { len <= *bound }
        }),
        Check::Pattern(re) => matches!(value, Cell::Str(s) if re.is_match(s)),
        Check::Enum(allowed) => allowed.iter().flatten().any(|a| value.py_eq(a)),
        Check::Bound { bound, accept } => value.py_cmp(bound).is_some_and(accept),
    }
}

/// Compiles the declared constraints the type supports, in frictionless' order.
fn compile_constraints(
    field: &Field,
    caster: &Caster,
    path: &str,
    issues: &mut Vec<DescriptorIssue>,
) -> Vec<Constraint> {
    let mut out = Vec::new();
    for &name in field.field_type.supported_constraints() {
        let Some(raw) = field.constraints.get(name) else { continue };
        let at = format!("{path}/constraints/{name}");
        match compile_check(name, &raw, caster) {
            Ok(check) => out.push(Constraint {
                name,
                note: format!("constraint \"{name}\" is \"{}\"", py_note(name, &raw)),
                check,
            }),
            Err(message) => issues.push(DescriptorIssue { path: at, message }),
        }
    }
    out
}

/// How the constraint value prints in notes (`required` prints as Python's `True`).
fn py_note(name: &str, raw: &Value) -> String {
    if name == "required" { "True".to_owned() } else { py_str(raw) }
}

/// One constraint value turned into a check, or why it cannot be.
fn compile_check(name: &str, raw: &Value, caster: &Caster) -> Result<Check, String> {
    let bound = |accept: fn(Ordering) -> bool| -> Result<Check, String> {
        let bound =
            caster.cast_json(raw).ok_or_else(|| format!("{name} {raw} cannot be read as the field type (ignored)"))?;
        Ok(Check::Bound { bound, accept })
    };
    match name {
        "required" => Ok(Check::Required),
        "minLength" | "maxLength" => {
            let bound = raw.as_f64().ok_or_else(|| format!("{name} must be a number (ignored)"))?;
            Ok(Check::Length { min: name == "minLength", bound })
        }
        "pattern" => compile_pattern(raw.as_str().unwrap_or_default()).map(Check::Pattern),
        "enum" => Ok(Check::Enum(raw.as_array().into_iter().flatten().map(|v| caster.cast_json(v)).collect())),
        "minimum" => bound(|o| o != Ordering::Less),
        "maximum" => bound(|o| o != Ordering::Greater),
        "exclusiveMinimum" => bound(|o| o == Ordering::Greater),
        "exclusiveMaximum" => bound(|o| o == Ordering::Less),
        other => Err(format!("constraint \"{other}\" is not checked (ignored)")),
    }
}

/// Frictionless compiles `"^{pattern}$"` and uses `re.match`, so the value must match
/// from its start; the `$` only binds the last alternative of a top-level `a|b`, as
/// in Python. Patterns Rust's `regex` cannot compile (look-around, backreferences)
/// are reported and ignored.
pub(super) fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    Regex::new(&format!(r"\A(?:^{pattern}$)")).map_err(|e| {
        let first = e.to_string().lines().last().unwrap_or_default().to_owned();
        format!("pattern cannot be compiled ({first}) (ignored)")
    })
}

#[cfg(test)]
mod tests {
    use super::super::descriptor::Schema;
    use super::*;

    fn reader(field_json: &str) -> FieldReader {
        let schema = Schema::parse(&format!("{{\"fields\": [{field_json}]}}")).unwrap();
        let mut issues = Vec::new();
        let r = FieldReader::new(&schema.fields[0], &schema.missing_values, "/fields/0", &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        r
    }

    fn failures(r: &FieldReader, text: &str) -> Vec<String> {
        let read = r.read(Some(text));
        read.type_error.into_iter().chain(read.failures.into_iter().map(|(_, n)| n)).collect()
    }

    #[test]
    fn pattern_is_anchored_like_frictionless() {
        let r = reader(r#"{"name": "siren", "constraints": {"pattern": "\\d{9}"}}"#);
        assert!(failures(&r, "123456789").is_empty());
        assert_eq!(failures(&r, "1234567890"), [r#"constraint "pattern" is "\d{9}""#]);
        assert_eq!(failures(&r, "x123456789").len(), 1);
        let alt = reader(r#"{"name": "a", "constraints": {"pattern": "a|b"}}"#);
        assert!(failures(&alt, "abc").is_empty(), "Python's ^a|b$ accepts any text starting with a");
        assert_eq!(failures(&alt, "xb").len(), 1);
    }

    #[test]
    fn each_constraint_has_its_note() {
        let r = reader(
            r#"{"name": "n", "type": "number", "constraints": {"required": true, "minimum": 0.01, "maximum": 1}}"#,
        );
        assert_eq!(failures(&r, "100"), [r#"constraint "maximum" is "1""#]);
        assert_eq!(failures(&r, "0.001"), [r#"constraint "minimum" is "0.01""#]);
        assert_eq!(failures(&r, ""), [r#"constraint "required" is "True""#]);
        assert_eq!(failures(&r, "0,5"), [r#"type is "number/default""#]);
        let s = reader(r#"{"name": "s", "constraints": {"minLength": 2, "maxLength": 3, "enum": ["ab", "abcd"]}}"#);
        assert_eq!(failures(&s, "abcd"), [r#"constraint "maxLength" is "3""#]);
        assert_eq!(failures(&s, "a"), [r#"constraint "minLength" is "2""#, r#"constraint "enum" is "['ab', 'abcd']""#]);
        assert!(failures(&s, "").is_empty(), "a missing value passes every constraint but required");
    }

    #[test]
    fn exclusive_bounds_and_typed_enums() {
        let r = reader(
            r#"{"name": "i", "type": "integer", "constraints": {"exclusiveMinimum": 0, "enum": ["1", 2, 3.0]}}"#,
        );
        assert_eq!(failures(&r, "0").len(), 2);
        assert!(failures(&r, "01").is_empty() && failures(&r, "3").is_empty());
        let d = reader(r#"{"name": "d", "type": "date", "constraints": {"minimum": "2020-01-01"}}"#);
        assert_eq!(failures(&d, "2019-12-31"), [r#"constraint "minimum" is "2020-01-01""#]);
    }

    #[test]
    fn array_items_are_checked() {
        let r = reader(
            r#"{"name": "a", "type": "array", "arrayItem": {"type": "string", "constraints": {"enum": ["x", "y"]}}}"#,
        );
        assert!(failures(&r, r#"["x", "y"]"#).is_empty());
        assert_eq!(failures(&r, r#"["x", "z"]"#), [r#"array item constraint "enum" is "['x', 'y']""#]);
        assert_eq!(failures(&r, "[1]"), [r#"array item type is "string/default""#]);
    }

    #[test]
    fn missing_values_are_per_field_or_schema() {
        let schema = Schema::parse(
            r#"{"missingValues": ["", "NA"], "fields": [{"name": "a", "type": "integer", "constraints": {"required": true}},
                {"name": "b", "type": "integer", "missingValues": ["-"]}]}"#,
        )
        .unwrap();
        let mut issues = Vec::new();
        let a = FieldReader::new(&schema.fields[0], &schema.missing_values, "", &mut issues);
        let b = FieldReader::new(&schema.fields[1], &schema.missing_values, "", &mut issues);
        assert_eq!(failures(&a, "NA"), [r#"constraint "required" is "True""#]);
        assert!(b.read(Some("-")).is_blank());
        assert_eq!(failures(&b, "NA"), [r#"type is "integer/default""#]);
    }
}
