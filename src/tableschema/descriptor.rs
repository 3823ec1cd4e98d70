//! Reading a Table Schema descriptor (`schema.json`) tolerantly.
//!
//! Only a descriptor that cannot describe a table is refused ([`DescriptorError`]):
//! text that is not JSON, a root that is not an object, `fields` missing or not an
//! array, a field that is not an object with a string `name`. Everything else that
//! frictionless-py would reject (a `name` outside the spec's pattern, an unknown type
//! or format, a constraint the type does not support, an invalid regex...) is kept
//! as a warning ([`DescriptorIssue`]) and the schema is still used. Unknown keys
//! (`custom_checks`, `examples`...) are ignored.

use serde::Serialize;
use serde_json::{Map, Value};

/// The pattern the Table Schema spec gives for a schema `name`.
const NAME_PATTERN: &str = r"^([-a-z0-9._/])+$";

/// A descriptor that cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DescriptorError {
    /// JSON Pointer to the offending value (`""` for the whole document).
    pub path: String,
    /// What is wrong, in English.
    pub message: String,
    /// 1-based line and column of a JSON syntax error.
    pub line: Option<usize>,
    /// See `line`.
    pub column: Option<usize>,
}

impl std::fmt::Display for DescriptorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() { "/".to_owned() } else { self.path.clone() };
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "schema: {} (line {l}, column {c})", self.message),
            _ => write!(f, "schema at {at}: {}", self.message),
        }
    }
}

impl std::error::Error for DescriptorError {}

/// A problem in a descriptor that is still usable (warn, don't fail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DescriptorIssue {
    /// JSON Pointer to the offending value.
    pub path: String,
    /// What is wrong and what was done about it, in English.
    pub message: String,
}

/// A field's type, as named in the descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Text.
    String,
    /// Whole number (`int()`).
    Integer,
    /// Exact decimal number (`Decimal()`).
    Number,
    /// `trueValues` / `falseValues`.
    Boolean,
    /// Calendar date.
    Date,
    /// Date and time.
    Datetime,
    /// Time of day.
    Time,
    /// Four-digit year.
    Year,
    /// `YYYY-MM`.
    Yearmonth,
    /// ISO 8601 duration.
    Duration,
    /// `lon, lat` (or array / object formats).
    Geopoint,
    /// GeoJSON object.
    Geojson,
    /// JSON object.
    Object,
    /// JSON array.
    Array,
    /// Anything.
    Any,
}

impl FieldType {
    /// Every type, for lookups by name.
    const ALL: [FieldType; 15] = [
        FieldType::String,
        FieldType::Integer,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Time,
        FieldType::Year,
        FieldType::Yearmonth,
        FieldType::Duration,
        FieldType::Geopoint,
        FieldType::Geojson,
        FieldType::Object,
        FieldType::Array,
        FieldType::Any,
    ];

    /// The type's name in descriptors.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Time => "time",
            FieldType::Year => "year",
            FieldType::Yearmonth => "yearmonth",
            FieldType::Duration => "duration",
            FieldType::Geopoint => "geopoint",
            FieldType::Geojson => "geojson",
            FieldType::Object => "object",
            FieldType::Array => "array",
            FieldType::Any => "any",
        }
    }

    /// The type named `name`, if the spec has it.
    pub fn from_name(name: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The constraints frictionless-py checks for this type, in its checking order
    /// (`unique` is handled across rows and allowed for every type).
    pub fn supported_constraints(self) -> &'static [&'static str] {
        const ORDERED: &[&str] = &["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"];
        match self {
            FieldType::String => &["required", "minLength", "maxLength", "pattern", "enum"],
            FieldType::Object | FieldType::Array => &["required", "minLength", "maxLength", "enum"],
            FieldType::Integer
            | FieldType::Number
            | FieldType::Date
            | FieldType::Datetime
            | FieldType::Time
            | FieldType::Year
            | FieldType::Yearmonth => ORDERED,
            FieldType::Boolean | FieldType::Duration | FieldType::Geopoint | FieldType::Geojson | FieldType::Any => {
                &["required", "enum"]
            }
        }
    }
}

/// How header labels are paired with fields (`fieldsMatch`, Data Package v2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldsMatch {
    /// By position; every mismatch is reported (the v1 behaviour and the default).
    #[default]
    Exact,
    /// By name; same set of names in any order.
    Equal,
    /// By name; the data may have extra columns.
    Subset,
    /// By name; the data may lack optional fields.
    Superset,
    /// By name; both tolerances, but at least one field must be present.
    Partial,
}

/// A field's constraints, as declared (values still untyped where they depend on
/// the field type).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Constraints {
    /// `required`: the cell may not be a missing value.
    pub required: bool,
    /// `unique`: no two rows may have the same value.
    pub unique: bool,
    /// `pattern`: regex the whole value must match (string fields).
    pub pattern: Option<String>,
    /// `enum`: allowed values, read with the field type.
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    /// `minimum`, read with the field type.
    pub minimum: Option<Value>,
    /// `maximum`, read with the field type.
    pub maximum: Option<Value>,
    /// `exclusiveMinimum`, read with the field type.
    pub exclusive_minimum: Option<Value>,
    /// `exclusiveMaximum`, read with the field type.
    pub exclusive_maximum: Option<Value>,
    /// `minLength`: in characters (string) or items (array, object).
    pub min_length: Option<Value>,
    /// `maxLength`: in characters (string) or items (array, object).
    pub max_length: Option<Value>,
}

impl Constraints {
    /// The declared value of a constraint, by its descriptor name.
    pub fn get(&self, name: &str) -> Option<Value> {
        match name {
            "required" => self.required.then_some(Value::Bool(true)),
            "unique" => self.unique.then_some(Value::Bool(true)),
            "pattern" => self.pattern.clone().map(Value::String),
            "enum" => self.enum_values.clone().map(Value::Array),
            "minimum" => self.minimum.clone(),
            "maximum" => self.maximum.clone(),
            "exclusiveMinimum" => self.exclusive_minimum.clone(),
            "exclusiveMaximum" => self.exclusive_maximum.clone(),
            "minLength" => self.min_length.clone(),
            "maxLength" => self.max_length.clone(),
            _ => None,
        }
    }
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// Column name, compared to the header label.
    pub name: String,
    /// Value type.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Type format: `default`, `email`, `uri`, `uuid`, `binary`, `any`, a strptime
    /// pattern such as `%d/%m/%Y`...
    pub format: String,
    /// Human title.
    pub title: Option<String>,
    /// Human description.
    pub description: Option<String>,
    /// Declared constraints.
    pub constraints: Constraints,
    /// Field-level `missingValues` (overrides the schema's).
    pub missing_values: Option<Vec<String>>,
    /// Number option `decimalChar` (default `.`).
    pub decimal_char: Option<String>,
    /// Number option `groupChar` (default none).
    pub group_char: Option<String>,
    /// Number/integer option `bareNumber` (default true).
    pub bare_number: Option<bool>,
    /// Boolean `trueValues`.
    pub true_values: Vec<String>,
    /// Boolean `falseValues`.
    pub false_values: Vec<String>,
    /// Array `arrayItem`: the field every item is read with.
    pub array_item: Option<Box<Field>>,
}

impl Field {
    /// A field of the given type with every option at its default.
    pub fn new(name: &str, field_type: FieldType) -> Field {
        Field {
            name: name.to_owned(),
            field_type,
            format: "default".to_owned(),
            title: None,
            description: None,
            constraints: Constraints::default(),
            missing_values: None,
            decimal_char: None,
            group_char: None,
            bare_number: None,
            true_values: ["true", "True", "TRUE", "1"].map(String::from).to_vec(),
            false_values: ["false", "False", "FALSE", "0"].map(String::from).to_vec(),
            array_item: None,
        }
    }
}

/// A Table Schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// Optional `name` (kept even when it does not match the spec's pattern).
    pub name: Option<String>,
    /// Optional `title`.
    pub title: Option<String>,
    /// The columns, in order.
    pub fields: Vec<Field>,
    /// `primaryKey` field names (a single string is read as a one-item list).
    pub primary_key: Vec<String>,
    /// `missingValues` (default `[""]`).
    pub missing_values: Vec<String>,
    /// `fieldsMatch` (default `exact`).
    pub fields_match: FieldsMatch,
    /// Validata's `custom_checks` that kiosque applies (the official SCDL
    /// schemas declare their SIRET checks there).
    #[serde(skip)]
    pub checks: Vec<CustomCheck>,
    /// The names of the `custom_checks` it does not apply.
    #[serde(skip)]
    pub unsupported_checks: Vec<String>,
    /// Warnings found while reading the descriptor.
    pub issues: Vec<DescriptorIssue>,
}

/// A check of Validata, the validator of schema.data.gouv.fr, declared in a
/// schema's `custom_checks` (frictionless ignores them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomCheck {
    /// `french-siret-value`: a non-empty cell of `column` is a SIRET number
    /// (14 digits whose SIREN and SIRET pass the Luhn check; La Poste's
    /// establishments, SIREN 356000000, a digit sum multiple of 5).
    FrenchSiret { column: String },
    /// `one-of-required`: in each row, `column1` or `column2` has a value.
    OneOfRequired { column1: String, column2: String },
}

/// Reads `custom_checks`: the checks kiosque applies, and the names of the
/// others.
fn read_custom_checks(root: &serde_json::Map<String, Value>) -> (Vec<CustomCheck>, Vec<String>) {
    let (mut checks, mut unsupported) = (Vec::new(), Vec::new());
    for item in root.get("custom_checks").and_then(Value::as_array).into_iter().flatten() {
        let Some(name) = item.get("name").and_then(Value::as_str) else { continue };
        let param = |key: &str| item.get("params")?.get(key)?.as_str().map(str::to_owned);
        let check = match name {
            "french-siret-value" => param("column").map(|column| CustomCheck::FrenchSiret { column }),
            "one-of-required" => param("column1")
                .zip(param("column2"))
                .map(|(column1, column2)| CustomCheck::OneOfRequired { column1, column2 }),
            _ => None,
        };
        match check {
            Some(check) => checks.push(check),
            None => unsupported.push(name.to_owned()),
        }
    }
    (checks, unsupported)
}

impl Schema {
    /// Parses a `schema.json` text.
    pub fn parse(text: &str) -> Result<Schema, DescriptorError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            // serde_json counts columns from 0 at the start of a line (an
            // empty file, a file cut after a newline) and writes the
            // position in its message: we show it once, 1-based.
            let (line, column) = (e.line(), e.column());
            let message = e.to_string();
            let message = message.strip_suffix(&format!(" at line {line} column {column}")).unwrap_or(&message);
            DescriptorError {
                path: String::new(),
                message: format!("not valid JSON: {message}"),
                line: (line > 0).then_some(line),
                column: (line > 0).then_some(column.max(1)),
            }
        })?;
        Schema::from_value(&value)
    }

    /// Reads a descriptor already parsed as JSON.
    pub fn from_value(value: &Value) -> Result<Schema, DescriptorError> {
        let root = value.as_object().ok_or_else(|| error("", "a Table Schema must be a JSON object"))?;
        let mut issues = Vec::new();
        let fields_value = root.get("fields").ok_or_else(|| error("/fields", "a Table Schema must have \"fields\""))?;
        let list = fields_value.as_array().ok_or_else(|| error("/fields", "\"fields\" must be an array"))?;
        let mut fields = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            fields.push(read_field(item, &format!("/fields/{i}"), &mut issues)?);
        }
        let (checks, unsupported_checks) = read_custom_checks(root);
        let schema = Schema {
            name: read_name(root, &mut issues),
            title: root.get("title").and_then(Value::as_str).map(str::to_owned),
            primary_key: read_primary_key(root, &fields, &mut issues),
            missing_values: read_missing_values(root.get("missingValues"), "/missingValues", &mut issues)
                .unwrap_or_else(|| vec![String::new()]),
            fields_match: read_fields_match(root, &mut issues),
            fields,
            checks,
            unsupported_checks,
            issues,
        };
        Ok(schema.with_duplicate_names_checked().with_reader_issues())
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Adds the warnings found when compiling the fields for reading (a constraint
    /// value the type cannot read, a regex that does not compile, a bad date pattern).
    fn with_reader_issues(mut self) -> Schema {
        let mut issues = Vec::new();
        for (i, field) in self.fields.iter().enumerate() {
            super::reader::FieldReader::new(field, &self.missing_values, &format!("/fields/{i}"), &mut issues);
        }
        self.issues.extend(issues);
        self
    }

    /// Adds a warning per field name used twice.
    fn with_duplicate_names_checked(mut self) -> Schema {
        for (i, field) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|f| f.name == field.name) {
                self.issues
                    .push(issue(&format!("/fields/{i}/name"), &format!("field name \"{}\" is used twice", field.name)));
            }
        }
        self
    }
}

/// Builds a [`DescriptorError`] without position.
fn error(path: &str, message: &str) -> DescriptorError {
    DescriptorError { path: path.to_owned(), message: message.to_owned(), line: None, column: None }
}

/// Builds a [`DescriptorIssue`].
fn issue(path: &str, message: &str) -> DescriptorIssue {
    DescriptorIssue { path: path.to_owned(), message: message.to_owned() }
}

/// `name`, with a warning when it does not match the spec's pattern.
fn read_name(root: &Map<String, Value>, issues: &mut Vec<DescriptorIssue>) -> Option<String> {
    let name = root.get("name")?.as_str()?.to_owned();
    let pattern = regex::Regex::new(NAME_PATTERN).expect("valid name pattern");
    if !pattern.is_match(&name) {
        issues.push(issue("/name", &format!("name \"{name}\" does not match \"{NAME_PATTERN}\" (kept as is)")));
    }
    Some(name)
}

/// `primaryKey` as a list; names that are not fields are dropped with a warning.
fn read_primary_key(root: &Map<String, Value>, fields: &[Field], issues: &mut Vec<DescriptorIssue>) -> Vec<String> {
    let names: Vec<String> = match root.get("primaryKey") {
        None => return Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(_) => {
            issues.push(issue("/primaryKey", "primaryKey must be a string or a list of strings (ignored)"));
            return Vec::new();
        }
    };
    if let Some(missing) = names.iter().find(|n| !fields.iter().any(|f| &f.name == *n)) {
        issues.push(issue("/primaryKey", &format!("primary key field \"{missing}\" is not a field (key ignored)")));
        return Vec::new();
    }
    names
}

/// `missingValues`: strings, or `{value, label}` objects (Data Package v2).
fn read_missing_values(value: Option<&Value>, path: &str, issues: &mut Vec<DescriptorIssue>) -> Option<Vec<String>> {
    let Some(items) = value?.as_array() else {
        issues.push(issue(path, "missingValues must be an array (ignored)"));
        return None;
    };
    let values = items
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("value").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        })
        .collect();
    Some(values)
}

/// `fieldsMatch`, defaulting to `exact`.
fn read_fields_match(root: &Map<String, Value>, issues: &mut Vec<DescriptorIssue>) -> FieldsMatch {
    match root.get("fieldsMatch").and_then(Value::as_str) {
        None => FieldsMatch::Exact,
        Some("exact") => FieldsMatch::Exact,
        Some("equal") => FieldsMatch::Equal,
        Some("subset") => FieldsMatch::Subset,
        Some("superset") => FieldsMatch::Superset,
        Some("partial") => FieldsMatch::Partial,
        Some(other) => {
            issues.push(issue("/fieldsMatch", &format!("unknown fieldsMatch \"{other}\" (exact used)")));
            FieldsMatch::Exact
        }
    }
}

/// One field descriptor.
fn read_field(value: &Value, path: &str, issues: &mut Vec<DescriptorIssue>) -> Result<Field, DescriptorError> {
    let object = value.as_object().ok_or_else(|| error(path, "a field must be a JSON object"))?;
    let name = object
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| error(&format!("{path}/name"), "a field must have a string \"name\""))?;
    let mut field = Field::new(name, read_type(object, path, issues));
    field.format = read_format(object, field.field_type, path, issues);
    field.title = object.get("title").and_then(Value::as_str).map(str::to_owned);
    field.description = object.get("description").and_then(Value::as_str).map(str::to_owned);
    field.missing_values = read_missing_values(object.get("missingValues"), &format!("{path}/missingValues"), issues);
    read_type_options(object, &mut field, path, issues);
    field.constraints = read_constraints(object, field.field_type, path, issues);
    if object.contains_key("required") {
        issues.push(issue(&format!("{path}/required"), "\"required\" belongs in \"constraints\" (ignored here)"));
    }
    if field.field_type == FieldType::Array {
        field.array_item = read_array_item(object, name, path, issues)?;
    }
    Ok(field)
}

/// `type`, `string` when absent; an unknown type is read as `any` with a warning.
fn read_type(object: &Map<String, Value>, path: &str, issues: &mut Vec<DescriptorIssue>) -> FieldType {
    let Some(name) = object.get("type") else { return FieldType::String };
    let found = name.as_str().and_then(FieldType::from_name);
    found.unwrap_or_else(|| {
        issues.push(issue(&format!("{path}/type"), &format!("unknown field type {name} (read as \"any\")")));
        FieldType::Any
    })
}

/// `format` (an `fmt:` prefix is dropped, as frictionless does); string formats
/// outside the spec's list are read as `default` with a warning.
fn read_format(
    object: &Map<String, Value>,
    field_type: FieldType,
    path: &str,
    issues: &mut Vec<DescriptorIssue>,
) -> String {
    let Some(format) = object.get("format").and_then(Value::as_str) else { return "default".to_owned() };
    let format = format.strip_prefix("fmt:").unwrap_or(format);
    let known = ["default", "email", "uri", "binary", "uuid", "wkt"];
    if field_type == FieldType::String && !known.contains(&format) {
        issues.push(issue(&format!("{path}/format"), &format!("unknown string format \"{format}\" (default used)")));
        return "default".to_owned();
    }
    format.to_owned()
}

/// `decimalChar`, `groupChar`, `bareNumber`, `trueValues`, `falseValues`.
fn read_type_options(object: &Map<String, Value>, field: &mut Field, path: &str, issues: &mut Vec<DescriptorIssue>) {
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    field.decimal_char = text("decimalChar");
    field.group_char = text("groupChar");
    field.bare_number = object.get("bareNumber").and_then(Value::as_bool);
    for (key, target) in [("trueValues", &mut field.true_values), ("falseValues", &mut field.false_values)] {
        match object.get(key).map(|v| v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())) {
            None => {}
            Some(Some(values)) => *target = values.into_iter().map(str::to_owned).collect(),
            Some(None) => {
                issues.push(issue(&format!("{path}/{key}"), &format!("{key} must be a list of strings (ignored)")))
            }
        }
    }
}

/// `constraints`; those the type does not support are dropped with a warning.
fn read_constraints(
    object: &Map<String, Value>,
    field_type: FieldType,
    path: &str,
    issues: &mut Vec<DescriptorIssue>,
) -> Constraints {
    let mut out = Constraints::default();
    let Some(map) = object.get("constraints").and_then(Value::as_object) else { return out };
    for (key, value) in map {
        let at = format!("{path}/constraints/{key}");
        if key != "unique" && !field_type.supported_constraints().contains(&key.as_str()) {
            let known =
                ["minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];
            let why =
                if known.contains(&key.as_str()) { "not supported by type" } else { "unknown constraint for type" };
            issues.push(issue(&at, &format!("constraint \"{key}\" is {why} \"{}\" (ignored)", field_type.as_str())));
            continue;
        }
        store_constraint(&mut out, key, value, &at, issues);
    }
    out
}

/// Stores one supported constraint, checking the shape of its value.
fn store_constraint(out: &mut Constraints, key: &str, value: &Value, at: &str, issues: &mut Vec<DescriptorIssue>) {
    match key {
        "required" => out.required = truthy(value),
        "unique" => out.unique = truthy(value),
        "pattern" => match value.as_str() {
            Some(p) => out.pattern = Some(p.to_owned()),
            None => issues.push(issue(at, "pattern must be a string (ignored)")),
        },
        "enum" => match value.as_array() {
            Some(items) => out.enum_values = Some(items.clone()),
            None => issues.push(issue(at, "enum must be an array (ignored)")),
        },
        "minLength" | "maxLength" => match value.as_f64() {
            Some(_) if key == "minLength" => out.min_length = Some(value.clone()),
            Some(_) => out.max_length = Some(value.clone()),
            None => issues.push(issue(at, &format!("{key} must be a number (ignored)"))),
        },
        "minimum" => out.minimum = Some(value.clone()),
        "maximum" => out.maximum = Some(value.clone()),
        "exclusiveMinimum" => out.exclusive_minimum = Some(value.clone()),
        "exclusiveMaximum" => out.exclusive_maximum = Some(value.clone()),
        _ => {}
    }
}

/// Python truthiness of a JSON value.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// `arrayItem`: a field descriptor whose name defaults to the array's and type to `any`.
fn read_array_item(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
    issues: &mut Vec<DescriptorIssue>,
) -> Result<Option<Box<Field>>, DescriptorError> {
    let Some(item) = object.get("arrayItem").and_then(Value::as_object) else { return Ok(None) };
    let mut item = item.clone();
    item.remove("arrayItem");
    item.entry("name").or_insert_with(|| Value::String(name.to_owned()));
    item.entry("type").or_insert_with(|| Value::String("any".to_owned()));
    let field = read_field(&Value::Object(item), &format!("{path}/arrayItem"), issues)?;
    Ok(Some(Box::new(field)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_cannot_describe_a_table() {
        let e = Schema::parse("{\"fields\": [").unwrap_err();
        assert_eq!(e.path, "");
        assert!(e.line.is_some());
        // Positions are 1-based even where serde_json says column 0, and
        // said once (found by the table_schema fuzz target).
        for (text, line) in [("", 1), ("{\n", 2), ("{\"fields\": []\n\n", 3)] {
            let e = Schema::parse(text).unwrap_err();
            assert_eq!((e.line, e.column), (Some(line), Some(1)), "{text:?}");
            assert_eq!(e.to_string(), format!("schema: {} (line {line}, column 1)", e.message));
            assert!(!e.message.contains(" at line "), "{}", e.message);
        }
        assert_eq!(Schema::parse("[1]").unwrap_err().path, "");
        assert_eq!(Schema::parse("{}").unwrap_err().path, "/fields");
        assert_eq!(Schema::parse(r#"{"fields": [{"type": "string"}]}"#).unwrap_err().path, "/fields/0/name");
    }

    #[test]
    fn tolerates_and_warns() {
        let text = r#"{"name": "Arbres urbains", "custom_checks": [1], "primaryKey": "id",
            "fields": [{"name": "id", "type": "integer", "constraints": {"pattern": "\\d+", "required": true}},
                       {"name": "x", "type": "wkt"}, {"name": "d", "type": "date", "format": "fmt:%d/%m/%Y"}]}"#;
        let schema = Schema::parse(text).unwrap();
        assert_eq!(schema.name.as_deref(), Some("Arbres urbains"));
        assert_eq!(schema.primary_key, vec!["id"]);
        assert_eq!(schema.missing_values, vec![""]);
        assert!(schema.fields[0].constraints.required);
        assert_eq!(schema.fields[0].constraints.pattern, None);
        assert_eq!(schema.fields[1].field_type, FieldType::Any);
        assert_eq!(schema.fields[2].format, "%d/%m/%Y");
        let paths: Vec<&str> = schema.issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["/fields/0/constraints/pattern", "/fields/1/type", "/name"]);
    }
}
