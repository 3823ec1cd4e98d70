//! String formats (`email`, `uri`, `uuid`, `binary`) and the GeoJSON check, as the
//! libraries frictionless-py relies on accept them (`validators`, `rfc3986`, Python's
//! `uuid` and `base64`, and the GeoJSON JSON Schema profile frictionless ships).

use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// Compiles a constant regex once.
fn cached(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

/// `rfc3986` with a required scheme: the text starts with `scheme ":"`.
pub fn is_uri(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    cached(&RE, r"\A[a-zA-Z][a-zA-Z0-9+.\-]*:").is_match(text)
}

/// `validators.email` with its defaults: one `@`, a dot-atom or quoted local part of at
/// most 64 characters, and a domain name (no IP literal) of at most 253 characters.
pub fn is_email(text: &str) -> bool {
    static LOCAL: OnceLock<Regex> = OnceLock::new();
    let local_re = cached(
        &LOCAL,
        concat!(
            r"(?i)\A(?:[\x{0100}-\x{017F}\x{0180}-\x{024F}\x{00A0}-\x{00FF}]",
            r"|[\x{0100}-\x{017F}\x{0180}-\x{024F}\x{00A0}-\x{00FF}0-9a-z!#$%&'*+/=?^_`{}|~\-]+",
            r"(?:\.[\x{0100}-\x{017F}\x{0180}-\x{024F}\x{00A0}-\x{00FF}0-9a-z!#$%&'*+/=?^_`{}|~\-]+)*",
            r#"|"(?:[\x{0100}-\x{017F}\x{0180}-\x{024F}\x{00A0}-\x{00FF}\x01-\x08\x0B\x0C\x0E-\x1F!#-\[\]-\x7F]|\\[\x09.])*")\z"#
        ),
    );
    if text.matches('@').count() != 1 {
        return false;
    }
    let Some((local, domain)) = text.rsplit_once('@') else { return false };
    local.chars().count() <= 64 && domain.chars().count() <= 253 && local_re.is_match(local) && is_domain(domain)
}

/// `validators.domain` with its defaults (no trailing dot, no underscore labels).
/// Non-ASCII labels are checked as their letters would be once IDNA-encoded
/// (approximation: Python encodes them to punycode first).
fn is_domain(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = cached(
        &RE,
        r"(?i)\A(?:[a-z0-9\P{ascii}](?:[a-z0-9\-\P{ascii}]{0,61}[a-z0-9\P{ascii}])?\.)+[a-z0-9\P{ascii}][a-z0-9\-\P{ascii}]{0,61}[a-z\P{ascii}]\z",
    );
    if text.is_empty() || text.chars().any(char::is_whitespace) || text.contains("__") {
        return false;
    }
    text.trim_end_matches('.').len() <= 253 && re.is_match(text)
}

/// Python's `uuid.UUID(text)`: optional `urn:`/`uuid:` prefix and braces, hyphens
/// anywhere, then exactly 32 hexadecimal digits.
pub fn is_uuid(text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    let hex = text.replace("urn:", "").replace("uuid:", "");
    let hex = hex.trim_matches(|c| c == '{' || c == '}').replace('-', "");
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// Python's lenient `base64.b64decode(text)`: characters outside the alphabet are
/// dropped, then the data must be correctly padded; non-ASCII text is refused.
pub fn is_base64(text: &str) -> bool {
    if !text.is_ascii() {
        return false; // Python refuses to decode a non-ASCII str
    }
    let kept: Vec<char> = text.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')).collect();
    let data = kept.iter().take_while(|&&c| c != '=').count();
    let pads = kept[data..].iter().take_while(|&&c| c == '=').count();
    match data % 4 {
        0 => true,
        1 => false,
        r => pads >= 4 - r,
    }
}

/// The GeoJSON JSON Schema profile frictionless validates `geojson/default` with:
/// exactly one of geometry, geometry collection, feature or feature collection, with
/// optional `bbox` (numbers) and `crs`. Positions are exactly two numbers.
pub fn is_geojson(value: &Value) -> bool {
    let Some(object) = value.as_object() else { return false };
    if !object.contains_key("type") {
        return false;
    }
    if object.get("bbox").is_some_and(|b| !is_bbox(b)) || object.get("crs").is_some_and(|c| !is_crs(c)) {
        return false;
    }
    let matches = [is_geometry(value), is_geometry_collection(value), is_feature(value), is_feature_collection(value)];
    matches.iter().filter(|&&m| m).count() == 1
}

/// `#/definitions/bbox`: an array of numbers.
fn is_bbox(value: &Value) -> bool {
    value.as_array().is_some_and(|items| items.iter().all(Value::is_number))
}

/// `#/definitions/crs`: null, or a named or linked CRS object.
fn is_crs(value: &Value) -> bool {
    let Some(object) = value.as_object() else { return value.is_null() };
    let (Some(kind), Some(props)) = (object.get("type"), object.get("properties").and_then(Value::as_object)) else {
        return false;
    };
    if object.len() != 2 {
        return false;
    }
    match kind.as_str() {
        Some("name") => props.len() == 1 && props.get("name").is_some_and(Value::is_string),
        Some("link") => props.get("href").is_some_and(Value::is_string),
        _ => false,
    }
}

/// Whether a `type` member, when present, is `expected` (JSON Schema `enum`).
fn type_is(value: &Value, expected: &str) -> bool {
    value.get("type").is_none_or(|t| t.as_str() == Some(expected))
}

/// `#/definitions/geometry`: an object with `type` and matching `coordinates`.
fn is_geometry(value: &Value) -> bool {
    let (Some(kind), Some(coords)) = (value.get("type").and_then(Value::as_str), value.get("coordinates")) else {
        return false;
    };
    match kind {
        "Point" => is_position(coords),
        "MultiPoint" => is_array_of(coords, is_position),
        "LineString" => is_line_string(coords),
        "MultiLineString" => is_array_of(coords, is_line_string),
        "Polygon" => is_polygon(coords),
        "MultiPolygon" => is_array_of(coords, is_polygon),
        _ => false,
    }
}

/// An array whose every item passes `check`.
fn is_array_of(value: &Value, check: fn(&Value) -> bool) -> bool {
    value.as_array().is_some_and(|items| items.iter().all(check))
}

/// A position: exactly two numbers (the profile's `additionalItems: false`).
fn is_position(value: &Value) -> bool {
    value.as_array().is_some_and(|p| p.len() == 2 && p.iter().all(Value::is_number))
}

/// Two or more positions.
fn is_line_string(value: &Value) -> bool {
    is_array_of(value, is_position) && value.as_array().is_some_and(|a| a.len() >= 2)
}

/// An array of linear rings (four or more positions each).
fn is_polygon(value: &Value) -> bool {
    is_array_of(value, |ring| is_array_of(ring, is_position) && ring.as_array().is_some_and(|a| a.len() >= 4))
}

/// `#/definitions/geometryCollection` (constraints apply to objects only).
fn is_geometry_collection(value: &Value) -> bool {
    let Some(object) = value.as_object() else { return true };
    type_is(value, "GeometryCollection") && object.get("geometries").is_some_and(|g| is_array_of(g, is_geometry))
}

/// `#/definitions/feature` (constraints apply to objects only).
fn is_feature(value: &Value) -> bool {
    let Some(object) = value.as_object() else { return true };
    let geometry_ok = object.get("geometry").is_some_and(|g| g.is_null() || is_geometry(g));
    let properties_ok = object.get("properties").is_some_and(|p| p.is_null() || p.is_object());
    type_is(value, "Feature") && geometry_ok && properties_ok
}

/// `#/definitions/featureCollection` (constraints apply to objects only).
fn is_feature_collection(value: &Value) -> bool {
    let Some(object) = value.as_object() else { return true };
    type_is(value, "FeatureCollection") && object.get("features").is_some_and(|f| is_array_of(f, is_feature))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emails() {
        for ok in ["contact@mairie-exemple.fr", "a.b+c@x.co", "élu@commune.fr"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["contact", "a@b", "a@@b.fr", "a b@c.fr", "a@b_c.fr", "a@-b.fr", "a..b@c.fr", "a@b.fr."] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn uris_uuids_base64() {
        assert!(is_uri("https://example.org/x") && is_uri("mailto:a@b.fr") && is_uri("urn:isbn:1"));
        assert!(!is_uri("www.example.org") && !is_uri("/path") && !is_uri("1http://x"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000") && is_uuid("{123e4567e89b12d3a456426614174000}"));
        assert!(!is_uuid("123e4567-e89b-12d3-a456-42661417400") && !is_uuid("zzze4567-e89b-12d3-a456-426614174000"));
        assert!(is_base64("aGVsbG8=") && !is_base64("aGVsbG8") && is_base64(""));
    }

    #[test]
    fn geojson_profile() {
        assert!(is_geojson(&json!({"type": "Point", "coordinates": [4.8, 50.4]})));
        assert!(is_geojson(&json!({"type": "Feature", "geometry": null, "properties": {}})));
        assert!(!is_geojson(&json!({"type": "Point", "coordinates": [4.8, 50.4, 10]})));
        assert!(!is_geojson(&json!({"type": "Point"})));
        assert!(!is_geojson(&json!({"type": "Nope", "coordinates": [1, 2]})));
        assert!(!is_geojson(&json!([1, 2])));
    }
}
