//! Geography for map previews: which columns of a table hold coordinates,
//! points gathered into a bounded grid of clusters during the single pass,
//! and GeoJSON files read into shapes, with their invalid geometries noted.
//! Coordinates are WGS 84 longitude/latitude in degrees.

use std::collections::BTreeMap;

/// A shape to draw (see [`crate::svg::map`]), in WGS 84 (longitude,
/// latitude) degrees.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Shape {
    /// One point, or a cluster of `count` points around it (a bigger
    /// circle, the count written inside); `label` is its tooltip.
    Point { lon: f64, lat: f64, count: u64, label: Option<String> },
    /// A polyline.
    Line(Vec<(f64, f64)>),
    /// Rings, the first one outer; holes are drawn with `fill-rule="evenodd"`.
    Polygon(Vec<Vec<(f64, f64)>>),
}

/// Whether a column name says latitude (`lat`, `latitude`, `EQUIP_LAT`…).
pub fn is_latitude(name: &str) -> bool {
    let n = crate::util::slugify(name).replace('-', "_");
    n == "lat" || n == "y" || n.ends_with("latitude") || n.ends_with("_lat") || n.starts_with("lat_")
}

/// Whether a column name says longitude (`lon`, `lng`, `long`, `longitude`…).
pub fn is_longitude(name: &str) -> bool {
    let n = crate::util::slugify(name).replace('-', "_");
    ["lon", "lng", "long", "x"].contains(&n.as_str())
        || n.ends_with("longitude")
        || ["_lon", "_lng", "_long"].iter().any(|s| n.ends_with(s))
        || ["lon_", "lng_", "long_"].iter().any(|s| n.starts_with(s))
}

/// Whether a column holds `"lat,lon"` pairs (`geo_point_2d`, `coordonnees`).
pub fn is_geo_point(name: &str) -> bool {
    let n = crate::util::slugify(name).replace('-', "_");
    n.starts_with("geo_point") || n == "geopoint" || n == "coordonnees" || n == "coordinates" || n == "geoloc"
}

/// Where a table's coordinates are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coordinates {
    /// Column indexes of latitude and longitude.
    Pair { lat: usize, lon: usize },
    /// Column index of `"lat,lon"` cells.
    GeoPoint(usize),
}

/// Finds the coordinate columns of a header, if any.
pub fn coordinates(names: &[String]) -> Option<Coordinates> {
    let lat = names.iter().position(|n| is_latitude(n));
    let lon = names.iter().position(|n| is_longitude(n));
    match (lat, lon) {
        (Some(lat), Some(lon)) if lat != lon => Some(Coordinates::Pair { lat, lon }),
        _ => names.iter().position(|n| is_geo_point(n)).map(Coordinates::GeoPoint),
    }
}

/// The columns a sidecar names (see [`crate::model::CoordinateColumns`]),
/// when the table has them (exact name, else ignoring case).
pub fn named_coordinates(names: &[String], named: &crate::model::CoordinateColumns) -> Option<Coordinates> {
    let find = |want: &str| crate::util::find_column(names, want);
    match named {
        crate::model::CoordinateColumns::Pair { lat, lon } => {
            Some(Coordinates::Pair { lat: find(&lat.value)?, lon: find(&lon.value)? })
        }
        crate::model::CoordinateColumns::Point(p) => find(&p.value).map(Coordinates::GeoPoint),
    }
}

/// A decimal degree written with `.` or `,`.
fn degrees(cell: &str) -> Option<f64> {
    let v: f64 = cell.trim().replace(',', ".").parse().ok()?;
    v.is_finite().then_some(v)
}

/// The point of a row, when its coordinates are valid WGS 84.
pub fn point(coords: Coordinates, cells: &[&str]) -> Option<(f64, f64)> {
    let (lat, lon) = match coords {
        Coordinates::Pair { lat, lon } => (degrees(cells.get(lat)?)?, degrees(cells.get(lon)?)?),
        Coordinates::GeoPoint(i) => {
            let (lat, lon) = cells.get(i)?.split_once([',', ';'])?;
            (degrees(lat)?, degrees(lon)?)
        }
    };
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && (lat, lon) != (0.0, 0.0)).then_some((lon, lat))
}

/// Most grid cells kept: past it, cells double in size.
const MAX_CELLS: usize = 4_000;

/// Points gathered into square grid cells, with their count and centroid:
/// memory is bounded by [`MAX_CELLS`] whatever the number of points; the
/// cell size starts at about 10 m and doubles when needed.
#[derive(Clone, Debug)]
pub struct PointGrid {
    /// Cell size in degrees.
    size: f64,
    cells: BTreeMap<(i64, i64), (u64, f64, f64)>,
    pub points: u64,
}

impl Default for PointGrid {
    fn default() -> Self {
        PointGrid { size: 1e-4, cells: BTreeMap::new(), points: 0 }
    }
}

impl PointGrid {
    pub fn add(&mut self, lon: f64, lat: f64) {
        self.points += 1;
        let key = ((lon / self.size).floor() as i64, (lat / self.size).floor() as i64);
        let cell = self.cells.entry(key).or_insert((0, 0.0, 0.0));
        *cell = (cell.0 + 1, cell.1 + lon, cell.2 + lat);
        while self.cells.len() > MAX_CELLS {
            self.coarsen();
        }
    }

    fn coarsen(&mut self) {
        self.size *= 2.0;
        let mut merged: BTreeMap<(i64, i64), (u64, f64, f64)> = BTreeMap::new();
        for ((x, y), (n, sx, sy)) in std::mem::take(&mut self.cells) {
            let cell = merged.entry((x.div_euclid(2), y.div_euclid(2))).or_insert((0, 0.0, 0.0));
            *cell = (cell.0 + n, cell.1 + sx, cell.2 + sy);
        }
        self.cells = merged;
    }

    /// The grid once every point is in: a centroid per cell.
    pub fn finish(self) -> Points {
        let clusters = self.cells.into_values().map(|(n, sx, sy)| (sx / n as f64, sy / n as f64, n)).collect();
        Points { points: self.points, clusters }
    }
}

/// The points of a table, as the clusters of a [`PointGrid`]: kept until
/// the table's page and map are made (a third of 10,000 tables may have
/// points, so 24 bytes a cluster rather than a tree's 60 or so).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Points {
    /// Points in all.
    pub points: u64,
    /// Longitude, latitude and number of points of each cluster, in cell
    /// order.
    clusters: Vec<(f64, f64, u64)>,
}

impl Points {
    /// One point per cluster, at the centroid of its points, in cell order.
    pub fn shapes(&self) -> Vec<Shape> {
        self.clusters.iter().map(|&(lon, lat, count)| Shape::Point { lon, lat, count, label: None }).collect()
    }
}

/// The grid's clusters as a GeoJSON FeatureCollection of points, each with
/// its `count`, for interactive maps.
pub fn points_geojson(points: &Points) -> String {
    let features: Vec<serde_json::Value> = points
        .shapes()
        .iter()
        .filter_map(|s| match s {
            Shape::Point { lon, lat, count, .. } => Some(serde_json::json!({
                "type": "Feature",
                "properties": {"count": count},
                "geometry": {"type": "Point", "coordinates": [(lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6]},
            })),
            _ => None,
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// A GeoJSON file, read for its preview.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Layer {
    pub shapes: Vec<Shape>,
    /// Features (or 1 for a bare geometry).
    pub features: usize,
    /// The properties of the first features, for a table: column names,
    /// then rows of text.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Features whose geometry is not drawn, the first ones only;
    /// `invalid_count` counts them all.
    pub invalid: Vec<InvalidFeature>,
    pub invalid_count: usize,
}

impl Layer {
    /// `[west, south, east, north]` of every shape drawn; `None` without one.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let mut bbox: Option<[f64; 4]> = None;
        let mut add = |(lon, lat): (f64, f64)| {
            let [w, s, e, n] = bbox.unwrap_or([lon, lat, lon, lat]);
            bbox = Some([w.min(lon), s.min(lat), e.max(lon), n.max(lat)]);
        };
        for shape in &self.shapes {
            match shape {
                Shape::Point { lon, lat, .. } => add((*lon, *lat)),
                Shape::Line(line) => line.iter().copied().for_each(&mut add),
                Shape::Polygon(rings) => rings.iter().flatten().copied().for_each(&mut add),
            }
        }
        bbox
    }
}

/// A feature whose geometry is invalid.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InvalidFeature {
    /// 1-based number of the feature in the file.
    pub number: usize,
    /// 1-based line of the file where the feature starts.
    pub line: usize,
    pub problem: Problem,
}

/// What is wrong with a feature's geometry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    /// Arrays or objects nested deeper than the JSON reader allows
    /// ([`crate::limits::MAX_JSON_DEPTH`]).
    TooDeep,
    /// A number too large to be a number at all (`1e999`).
    NumberTooLarge,
    /// Another JSON error inside the feature (the reader's words).
    Unreadable(String),
    /// The feature is not a JSON object.
    NotAnObject,
    /// A geometry without `type`.
    NoType,
    UnknownType(String),
    /// No `coordinates` (or `geometries` for a GeometryCollection).
    NoCoordinates,
    /// Coordinates not nested as the geometry type needs (a Polygon is a
    /// list of rings, each a list of positions).
    WrongNesting(String),
    /// A position that is not `[longitude, latitude]` numbers.
    NotAPosition,
    /// A position outside WGS 84 longitude/latitude degrees.
    OutOfRange {
        lon: f64,
        lat: f64,
    },
    TooFewPositions {
        found: usize,
        min: usize,
    },
    RingNotClosed,
    NoRings,
}

impl Problem {
    /// The problem in words, in the site's language.
    pub fn describe(&self, lang: crate::lang::Lang) -> String {
        use crate::tr;
        match self {
            Problem::TooDeep => tr!(
                lang,
                "tableaux imbriqués sur plus de {} niveaux",
                "arrays nested more than {} levels deep",
                crate::limits::MAX_JSON_DEPTH
            ),
            Problem::NumberTooLarge => {
                tr!(lang, "un nombre démesuré (ex. 1e999)", "a number far too large (e.g. 1e999)")
            }
            Problem::Unreadable(e) => tr!(lang, "JSON illisible ({e})", "unreadable JSON ({e})"),
            Problem::NotAnObject => {
                tr!(lang, "l'objet n'est pas un objet JSON {{…}}", "the feature is not a JSON object {{…}}")
            }
            Problem::NoType => tr!(lang, "géométrie sans « type »", "geometry without “type”"),
            Problem::UnknownType(t) => {
                let t = crate::limits::cut_chars(t, 40);
                tr!(lang, "type de géométrie « {t} » inconnu", "unknown geometry type “{t}”")
            }
            Problem::NoCoordinates => tr!(lang, "pas de « coordinates »", "no “coordinates”"),
            Problem::WrongNesting(t) => tr!(
                lang,
                "les coordonnées ne sont pas imbriquées comme le demande un « {t} »",
                "the coordinates are not nested as a “{t}” needs"
            ),
            Problem::NotAPosition => tr!(
                lang,
                "une position n'est pas de la forme [longitude, latitude] en nombres",
                "a position is not [longitude, latitude] numbers"
            ),
            Problem::OutOfRange { lon, lat } => tr!(
                lang,
                "coordonnées hors limites [{}, {}] : la longitude doit être entre -180 et 180, la latitude entre -90 et 90 (degrés WGS 84)",
                "coordinates out of range [{}, {}]: longitude must be within -180 and 180, latitude within -90 and 90 (WGS 84 degrees)",
                short_number(*lon),
                short_number(*lat)
            ),
            Problem::TooFewPositions { found, min } => tr!(
                lang,
                "{found} position(s) là où il en faut au moins {min}",
                "{found} position(s) where at least {min} are needed"
            ),
            Problem::RingNotClosed => tr!(
                lang,
                "un contour de polygone n'est pas fermé (sa dernière position diffère de la première)",
                "a polygon ring is not closed (its last position differs from its first)"
            ),
            Problem::NoRings => tr!(lang, "un polygone sans contour", "a polygon without rings"),
        }
    }
}

/// A number for a message: plain when reasonable, else in exponent form.
fn short_number(v: f64) -> String {
    if v.abs() < 1e7 { format!("{v}") } else { format!("{v:e}") }
}

/// Feature rows kept for the table.
const TABLE_ROWS: usize = 50;
/// Columns kept for the table.
const TABLE_COLUMNS: usize = 30;
/// Invalid features listed (all are counted).
const INVALID_LISTED: usize = 10;
/// Vertices drawn at most; longer geometries are thinned.
const MAX_VERTICES: usize = 50_000;

/// Reads GeoJSON text (a FeatureCollection, a Feature or a geometry).
/// `Err` when it is not JSON or not GeoJSON at all; invalid geometries
/// inside a valid file are listed in [`Layer::invalid`].
///
/// The features of a collection are read one at a time, so that one
/// feature that cannot be read (nested too deep, a number too large) is
/// reported with its number and line while the others are drawn, and so
/// that only one feature is held as a JSON tree at a time.
pub fn read_geojson(text: &str) -> Result<Layer, String> {
    use serde_json::value::RawValue;
    let top: std::collections::HashMap<String, &RawValue> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let kind: Option<String> = top.get("type").and_then(|t| serde_json::from_str(t.get()).ok());
    let features: Vec<&RawValue> = match kind.as_deref() {
        Some("FeatureCollection") => top
            .get("features")
            .and_then(|f| serde_json::from_str(f.get()).ok())
            .ok_or("FeatureCollection without a \"features\" array")?,
        Some(_) => vec![serde_json::from_str(text).map_err(|e| e.to_string())?],
        None => return Err("no \"type\" member: not GeoJSON".into()),
    };
    let mut layer = Layer { features: features.len(), ..Layer::default() };
    let mut properties: Vec<Option<serde_json::Value>> = Vec::new();
    let (mut offset, mut line) = (0, 1);
    for (i, raw) in features.iter().enumerate() {
        let at = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[offset..at]).count();
        offset = at;
        let result = match serde_json::from_str::<serde_json::Value>(raw.get()) {
            Ok(f) if !f.is_object() => Err(Problem::NotAnObject),
            Ok(f) => {
                let props = f.get("properties").filter(|p| !p.is_null());
                if let Some(object) = props.and_then(|p| p.as_object()) {
                    for k in object.keys() {
                        if !layer.columns.contains(k) && layer.columns.len() < TABLE_COLUMNS {
                            layer.columns.push(k.clone());
                        }
                    }
                }
                if properties.len() < TABLE_ROWS {
                    properties.push(props.cloned());
                }
                let geometry = if f["type"] == "Feature" { &f["geometry"] } else { &f };
                add_geometry(geometry, &mut layer.shapes)
            }
            Err(e) => {
                if properties.len() < TABLE_ROWS {
                    properties.push(None);
                }
                let message = e.to_string();
                Err(if message.contains("recursion limit exceeded") {
                    Problem::TooDeep
                } else if message.contains("number out of range") {
                    Problem::NumberTooLarge
                } else {
                    Problem::Unreadable(message)
                })
            }
        };
        if let Err(problem) = result {
            layer.invalid_count += 1;
            if layer.invalid.len() < INVALID_LISTED {
                layer.invalid.push(InvalidFeature { number: i + 1, line, problem });
            }
        }
    }
    layer.rows = properties.iter().map(|p| row_of(p.as_ref(), &layer.columns)).collect();
    thin(&mut layer.shapes);
    Ok(layer)
}

/// One object as a row of text, by column (nested values as JSON).
fn row_of(item: Option<&serde_json::Value>, columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .map(|c| match item.and_then(|p| p.get(c)) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        })
        .collect()
}

/// A table of JSON objects: the keys met (in order, at most 30) and the
/// first rows as text (nested values as JSON).
pub fn records_table(items: &[Option<&serde_json::Value>]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns: Vec<String> = Vec::new();
    for item in items.iter().flatten() {
        if let Some(object) = item.as_object() {
            for k in object.keys() {
                if !columns.contains(k) && columns.len() < TABLE_COLUMNS {
                    columns.push(k.clone());
                }
            }
        }
    }
    let rows = items.iter().take(TABLE_ROWS).map(|item| row_of(*item, &columns)).collect();
    (columns, rows)
}

/// The table of a JSON file that is an array of objects (the most common
/// JSON export of a table): columns, first rows, and how many objects.
pub fn json_records(text: &str) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let items = value.as_array()?;
    if items.is_empty() || !items.iter().all(|v| v.is_object()) {
        return None;
    }
    let refs: Vec<Option<&serde_json::Value>> = items.iter().map(Some).collect();
    let (columns, rows) = records_table(&refs);
    Some((columns, rows, items.len()))
}

fn position(v: &serde_json::Value) -> Result<(f64, f64), Problem> {
    let a = v.as_array().ok_or(Problem::NotAPosition)?;
    let lon = a.first().and_then(|x| x.as_f64()).ok_or(Problem::NotAPosition)?;
    let lat = a.get(1).and_then(|x| x.as_f64()).ok_or(Problem::NotAPosition)?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(Problem::OutOfRange { lon, lat });
    }
    Ok((lon, lat))
}

/// A list of positions, at least `min` of them, for a geometry of type `kind`.
fn positions(v: &serde_json::Value, min: usize, kind: &str) -> Result<Vec<(f64, f64)>, Problem> {
    let list = v.as_array().ok_or_else(|| Problem::WrongNesting(kind.into()))?;
    let points: Vec<(f64, f64)> = list.iter().map(position).collect::<Result<_, _>>()?;
    if points.len() < min {
        return Err(Problem::TooFewPositions { found: points.len(), min });
    }
    Ok(points)
}

fn rings(v: &serde_json::Value, kind: &str) -> Result<Vec<Vec<(f64, f64)>>, Problem> {
    let list = v.as_array().ok_or_else(|| Problem::WrongNesting(kind.into()))?;
    let rings: Vec<Vec<(f64, f64)>> = list.iter().map(|r| positions(r, 4, kind)).collect::<Result<_, _>>()?;
    if rings.is_empty() {
        return Err(Problem::NoRings);
    }
    if rings.iter().any(|r| r.first() != r.last()) {
        return Err(Problem::RingNotClosed);
    }
    Ok(rings)
}

/// Adds the shapes of geometry `g` to `out`, all or none of them.
fn add_geometry(g: &serde_json::Value, out: &mut Vec<Shape>) -> Result<(), Problem> {
    let mut shapes = Vec::new();
    geometry_shapes(g, &mut shapes)?;
    out.append(&mut shapes);
    Ok(())
}

fn geometry_shapes(g: &serde_json::Value, out: &mut Vec<Shape>) -> Result<(), Problem> {
    if g.is_null() {
        return Ok(()); // A feature without geometry is allowed.
    }
    let kind = g.get("type").and_then(|t| t.as_str()).ok_or(Problem::NoType)?;
    if kind == "GeometryCollection" {
        for g in g.get("geometries").and_then(|g| g.as_array()).ok_or(Problem::NoCoordinates)? {
            geometry_shapes(g, out)?;
        }
        return Ok(());
    }
    if !["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"].contains(&kind) {
        return Err(Problem::UnknownType(kind.to_string()));
    }
    let c = g.get("coordinates").filter(|c| !c.is_null()).ok_or(Problem::NoCoordinates)?;
    let many = |v: &serde_json::Value| v.as_array().cloned().ok_or_else(|| Problem::WrongNesting(kind.into()));
    match kind {
        "Point" => {
            let (lon, lat) = position(c)?;
            out.push(Shape::Point { lon, lat, count: 1, label: None });
        }
        "MultiPoint" => {
            for (lon, lat) in positions(c, 0, kind)? {
                out.push(Shape::Point { lon, lat, count: 1, label: None });
            }
        }
        "LineString" => out.push(Shape::Line(positions(c, 2, kind)?)),
        "MultiLineString" => {
            for l in many(c)? {
                out.push(Shape::Line(positions(&l, 2, kind)?));
            }
        }
        "Polygon" => out.push(Shape::Polygon(rings(c, kind)?)),
        _ => {
            for p in many(c)? {
                out.push(Shape::Polygon(rings(&p, kind)?));
            }
        }
    }
    Ok(())
}

/// Keeps every k-th vertex of long geometries so that at most about
/// [`MAX_VERTICES`] are drawn (first and last vertices kept).
fn thin(shapes: &mut [Shape]) {
    let total: usize = shapes
        .iter()
        .map(|s| match s {
            Shape::Point { .. } => 1,
            Shape::Line(l) => l.len(),
            Shape::Polygon(p) => p.iter().map(Vec::len).sum(),
        })
        .sum();
    if total <= MAX_VERTICES {
        return;
    }
    let k = total.div_ceil(MAX_VERTICES);
    let thin_line = |l: &mut Vec<(f64, f64)>, min: usize| {
        if l.len() > min * k {
            let last = *l.last().expect("non-empty");
            let mut kept: Vec<(f64, f64)> = l.iter().step_by(k).copied().collect();
            if kept.last() != Some(&last) {
                kept.push(last);
            }
            *l = kept;
        }
    };
    for s in shapes {
        match s {
            Shape::Point { .. } => {}
            Shape::Line(l) => thin_line(l, 2),
            Shape::Polygon(p) => p.iter_mut().for_each(|r| thin_line(r, 4)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinate_column_names() {
        for lat in ["lat", "Latitude", "EQUIP_LAT", "lat_wgs84", "coordonnees_latitude"] {
            assert!(is_latitude(lat), "{lat}");
        }
        for lon in ["lon", "lng", "Longitude", "EQUIP_LONG", "equip_lon", "long_wgs84"] {
            assert!(is_longitude(lon), "{lon}");
        }
        for other in ["relation", "plateau", "longueur", "salon", "polonais"] {
            assert!(!is_latitude(other) && !is_longitude(other), "{other}");
        }
    }

    #[test]
    fn coordinate_columns() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            coordinates(&names(&["nom", "EQUIP_LAT", "EQUIP_LONG"])),
            Some(Coordinates::Pair { lat: 1, lon: 2 })
        );
        assert_eq!(coordinates(&names(&["Longitude", "Latitude"])), Some(Coordinates::Pair { lat: 1, lon: 0 }));
        assert_eq!(coordinates(&names(&["nom", "geo_point_2d"])), Some(Coordinates::GeoPoint(1)));
        assert_eq!(coordinates(&names(&["nom", "adresse"])), None);
        let pair = Coordinates::Pair { lat: 0, lon: 1 };
        assert_eq!(point(pair, &["48,85", "2,35"]), Some((2.35, 48.85)));
        assert_eq!(point(pair, &["648000", "2"]), None, "Lambert 93 is not WGS 84");
        assert_eq!(point(Coordinates::GeoPoint(0), &["48.85, 2.35"]), Some((2.35, 48.85)));
    }

    #[test]
    fn the_grid_stays_bounded_and_counts_every_point() {
        let mut g = PointGrid::default();
        for i in 0..100_000u64 {
            g.add(2.0 + (i % 1000) as f64 * 1e-3, 48.0 + (i / 1000) as f64 * 1e-3);
        }
        let g = g.finish();
        let shapes = g.shapes();
        assert!(shapes.len() <= MAX_CELLS);
        let total: u64 = shapes.iter().map(|s| if let Shape::Point { count, .. } = s { *count } else { 0 }).sum();
        assert_eq!(total, 100_000);
        assert_eq!(g.points, 100_000);
    }

    #[test]
    fn geojson_features_properties_and_invalid_geometries() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"nom":"Tilleul","hauteur":12},"geometry":{"type":"Point","coordinates":[2.1,48.9]}},
            {"type":"Feature","properties":{"nom":"Haie"},"geometry":{"type":"LineString","coordinates":[[2.1,48.9],[2.2,48.95]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[2,48],[2.1,48],[2.1,48.1],[2,48]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[2,48],[2.1,48],[2.1,48.1],[2.2,48]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[200,48]}}
        ]}"#;
        let layer = read_geojson(text).unwrap();
        assert_eq!(layer.features, 5);
        assert_eq!(layer.shapes.len(), 3);
        assert_eq!(layer.columns, ["nom", "hauteur"]);
        assert_eq!(layer.rows[0], ["Tilleul", "12"]);
        assert_eq!(layer.invalid_count, 2);
        assert_eq!((layer.invalid[0].number, layer.invalid[0].line), (4, 5));
        assert_eq!(layer.invalid[0].problem, Problem::RingNotClosed);
        assert_eq!(layer.invalid[1].problem, Problem::OutOfRange { lon: 200.0, lat: 48.0 });
        assert!(read_geojson("not json").is_err());
        assert!(read_geojson("{\"a\":1}").is_err());
    }
}
