//! Geography for map previews: which columns of a table hold coordinates,
//! points gathered into a bounded grid of clusters during the single pass,
//! and GeoJSON files read into shapes, with their invalid geometries noted.
//! Coordinates are WGS 84 longitude/latitude in degrees.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

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

    /// Adds the points of `other`: the same cells as if they had been
    /// added one by one (their sums but rounded otherwise), since whatever
    /// the order of the points the cell size comes out the smallest that
    /// holds them all in at most [`MAX_CELLS`] cells.
    fn merge(&mut self, mut other: PointGrid) {
        while self.size < other.size {
            self.coarsen();
        }
        while other.size < self.size {
            other.coarsen();
        }
        self.points += other.points;
        for (key, (n, sx, sy)) in other.cells {
            let cell = self.cells.entry(key).or_insert((0, 0.0, 0.0));
            *cell = (cell.0 + n, cell.1 + sx, cell.2 + sy);
        }
        while self.cells.len() > MAX_CELLS {
            self.coarsen();
        }
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
    /// `[west, south, east, north]` of the points drawn as clusters (past
    /// [`MAX_CELLS`] points), whose shapes stand at their centroids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clustered: Option<[f64; 4]>,
}

impl Layer {
    /// `[west, south, east, north]` of every shape drawn (of every point
    /// a cluster stands for); `None` without one.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let mut bbox: Option<[f64; 4]> = self.clustered;
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
/// No JSON tree is built, so that memory stays bounded whatever the file:
/// the features of a collection are taken one at a time from the text.
/// Each is first read through without keeping anything, for what a JSON
/// reader refuses (nested too deep, a number too large), so that such a
/// feature is reported with its number and line while the others are
/// drawn. Then its geometry's type is read, and its coordinates straight
/// into shapes; its properties are read only while the table needs them.
/// Past [`MAX_CELLS`] points, the layer's points are gathered into a
/// [`PointGrid`] and drawn as its clusters.
pub fn read_geojson(text: &str) -> Result<Layer, String> {
    const NO_FEATURES: &str = "FeatureCollection without a \"features\" array";
    let top: Members = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let kind: Option<String> = top.kind.and_then(|t| serde_json::from_str(t.get()).ok());
    let mut features = Features::new(text);
    match kind.as_deref() {
        Some("FeatureCollection") => {
            let list = top.features.filter(|f| f.get().starts_with('[')).ok_or(NO_FEATURES)?;
            each_element(list, &mut |f| {
                features.feature(f);
                Ok(())
            })
            .map_err(|_| NO_FEATURES)?;
        }
        Some(_) => features.feature(serde_json::from_str(text).map_err(|e| e.to_string())?),
        None => return Err("no \"type\" member: not GeoJSON".into()),
    }
    Ok(features.finish())
}

/// A GeoJSON layer while its features are read.
struct Features<'a> {
    text: &'a str,
    layer: Layer,
    drawn: Drawn,
    /// The properties of the first [`TABLE_ROWS`] features (`None`
    /// without), unread: the table's rows once its columns are known.
    properties: Vec<Option<&'a RawValue>>,
    /// Byte offset and line of the last feature met.
    offset: usize,
    line: usize,
}

impl<'a> Features<'a> {
    fn new(text: &'a str) -> Self {
        Features { text, layer: Layer::default(), drawn: Drawn::default(), properties: Vec::new(), offset: 0, line: 1 }
    }

    fn feature(&mut self, raw: &'a RawValue) {
        self.layer.features += 1;
        let at = raw.get().as_ptr() as usize - self.text.as_ptr() as usize;
        self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.offset..at]).count();
        self.offset = at;
        let result = match check(raw.get()) {
            Err(e) => {
                self.row(None);
                Err(unreadable(e))
            }
            Ok(()) if !is_object(raw) => Err(Problem::NotAnObject),
            Ok(()) => {
                let f = members(raw);
                let props = f.properties.filter(|p| !is_null(p));
                if let Some(object) = props.filter(|p| is_object(p))
                    && self.layer.columns.len() < TABLE_COLUMNS
                {
                    add_columns(object, &mut self.layer.columns);
                }
                self.row(props);
                // A feature's shapes are drawn all or none.
                let mut shapes = Drawn::default();
                let result = if f.kind.and_then(string).as_deref() == Some("Feature") {
                    geometry(f.geometry, &mut shapes)
                } else {
                    geometry_shapes(&f, &mut shapes)
                };
                result.map(|()| self.drawn.append(shapes))
            }
        };
        if let Err(problem) = result {
            self.layer.invalid_count += 1;
            if self.layer.invalid.len() < INVALID_LISTED {
                self.layer.invalid.push(InvalidFeature { number: self.layer.features, line: self.line, problem });
            }
        }
    }

    /// Keeps a feature's properties for the table, while it needs rows.
    fn row(&mut self, properties: Option<&'a RawValue>) {
        if self.properties.len() < TABLE_ROWS {
            self.properties.push(properties);
        }
    }

    fn finish(self) -> Layer {
        let mut layer = self.layer;
        layer.rows = self.properties.iter().map(|p| row_of(*p, &layer.columns)).collect();
        (layer.shapes, layer.clustered) = self.drawn.finish();
        thin(&mut layer.shapes);
        layer
    }
}

/// The first problem a JSON reader meets in `json` (a `serde_json::Value`
/// meets the same ones, at the same place), nothing kept.
fn check(json: &str) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    Check.deserialize(&mut de)?;
    de.end()
}

/// A feature that cannot be read, by what the JSON reader says.
fn unreadable(e: serde_json::Error) -> Problem {
    let message = e.to_string();
    if message.contains("recursion limit exceeded") {
        Problem::TooDeep
    } else if message.contains("number out of range") {
        Problem::NumberTooLarge
    } else {
        Problem::Unreadable(message)
    }
}

fn is_object(raw: &RawValue) -> bool {
    raw.get().starts_with('{')
}

fn is_null(raw: &RawValue) -> bool {
    raw.get() == "null"
}

/// The text of a JSON string; `None` for another value.
fn string(raw: &RawValue) -> Option<String> {
    raw.get().starts_with('"').then(|| serde_json::from_str(raw.get()).ok()).flatten()
}

/// The members of an object that reading GeoJSON needs, unread (of a
/// repeated name, the last one, as a parsed object keeps).
#[derive(Default)]
struct Members<'a> {
    kind: Option<&'a RawValue>,
    features: Option<&'a RawValue>,
    properties: Option<&'a RawValue>,
    geometry: Option<&'a RawValue>,
    coordinates: Option<&'a RawValue>,
    geometries: Option<&'a RawValue>,
}

/// The members of an object read before (`check`).
fn members(raw: &RawValue) -> Members<'_> {
    serde_json::from_str(raw.get()).unwrap_or_default()
}

impl<'de> serde::Deserialize<'de> for Members<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // As a map says, for a file that is not an object.
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        let mut m = Members::default();
        while let Some(name) = map.next_key::<String>()? {
            let member = match name.as_str() {
                "type" => &mut m.kind,
                "features" => &mut m.features,
                "properties" => &mut m.properties,
                "geometry" => &mut m.geometry,
                "coordinates" => &mut m.coordinates,
                "geometries" => &mut m.geometries,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *member = Some(map.next_value()?);
        }
        Ok(m)
    }
}

/// Calls `f` on each element of a JSON array in turn, unread, until it
/// finds a problem.
fn each_element<'a>(
    array: &'a RawValue,
    f: &mut dyn FnMut(&'a RawValue) -> Result<(), Problem>,
) -> Result<(), Problem> {
    struct Elements<'f, 'a> {
        f: &'f mut dyn FnMut(&'a RawValue) -> Result<(), Problem>,
        problem: Option<Problem>,
    }
    impl<'a> Visitor<'a> for &mut Elements<'_, 'a> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(element) = seq.next_element::<&'a RawValue>()? {
                if let Err(problem) = (self.f)(element) {
                    self.problem = Some(problem);
                    return Err(de::Error::custom("stopped"));
                }
            }
            Ok(())
        }
    }
    let mut elements = Elements { f, problem: None };
    let mut de = serde_json::Deserializer::from_str(array.get());
    match (&mut de).deserialize_seq(&mut elements) {
        Ok(()) => Ok(()),
        Err(e) => Err(elements.problem.take().unwrap_or_else(|| unreadable(e))),
    }
}

/// Geometry types drawn.
const KINDS: [&str; 6] = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"];

/// Adds the shapes of a feature's `geometry` member to `out` (none when
/// it is missing or null).
fn geometry(g: Option<&RawValue>, out: &mut Drawn) -> Result<(), Problem> {
    match g {
        None => Ok(()),
        Some(g) if is_null(g) => Ok(()), // A feature without geometry is allowed.
        Some(g) if !is_object(g) => Err(Problem::NoType),
        Some(g) => geometry_shapes(&members(g), out),
    }
}

/// Adds the shapes of the geometry object `g` to `out`.
fn geometry_shapes(g: &Members, out: &mut Drawn) -> Result<(), Problem> {
    let kind = g.kind.and_then(string).ok_or(Problem::NoType)?;
    if kind == "GeometryCollection" {
        let list = g.geometries.filter(|l| l.get().starts_with('[')).ok_or(Problem::NoCoordinates)?;
        return each_element(list, &mut |g| geometry(Some(g), out));
    }
    let Some(kind) = KINDS.into_iter().find(|k| *k == kind) else {
        return Err(Problem::UnknownType(kind));
    };
    let c = g.coordinates.filter(|c| !is_null(c)).ok_or(Problem::NoCoordinates)?;
    out.append(coordinates_shapes(c, kind)?);
    Ok(())
}

/// The shapes of coordinates `c` of a geometry of type `kind`, read from
/// the text with the nesting the type needs, each position checked as it
/// comes.
fn coordinates_shapes(c: &RawValue, kind: &'static str) -> Result<Drawn, Problem> {
    let r = Reading { kind, problem: Cell::new(None), out: RefCell::new(Drawn::default()) };
    let mut de = serde_json::Deserializer::from_str(c.get());
    let read = match kind {
        "Point" => Position(&r).deserialize(&mut de).map(|(lon, lat)| r.out.borrow_mut().point(lon, lat)),
        "MultiPoint" => Positions { r: &r, min: 0, points: true }.deserialize(&mut de).map(drop),
        "LineString" => Positions { r: &r, min: 2, points: false }
            .deserialize(&mut de)
            .map(|line| r.out.borrow_mut().shapes.push(Shape::Line(line))),
        "MultiLineString" => Many { r: &r, polygons: false }.deserialize(&mut de),
        "Polygon" => Rings(&r).deserialize(&mut de).map(|rings| r.out.borrow_mut().shapes.push(Shape::Polygon(rings))),
        _ => Many { r: &r, polygons: true }.deserialize(&mut de),
    };
    match read {
        Ok(()) => Ok(r.out.into_inner()),
        Err(e) => Err(r.problem.take().unwrap_or_else(|| unreadable(e))),
    }
}

/// Shapes to draw, points as they come while there are at most
/// [`MAX_CELLS`] of them, then all gathered in a [`PointGrid`]: those of a
/// layer, or of one feature until it is known valid.
#[derive(Default)]
struct Drawn {
    shapes: Vec<Shape>,
    /// Points in `shapes`.
    points: usize,
    grid: Option<PointGrid>,
    /// `[west, south, east, north]` of every point.
    extent: Option<[f64; 4]>,
}

impl Drawn {
    fn point(&mut self, lon: f64, lat: f64) {
        self.extent = union(self.extent, Some([lon, lat, lon, lat]));
        if let Some(grid) = &mut self.grid {
            return grid.add(lon, lat);
        }
        self.shapes.push(Shape::Point { lon, lat, count: 1, label: None });
        self.points += 1;
        if self.points > MAX_CELLS {
            self.grid();
        }
    }

    /// The grid, made with the points so far when there is none yet.
    fn grid(&mut self) -> &mut PointGrid {
        let shapes = &mut self.shapes;
        self.grid.get_or_insert_with(|| {
            let mut grid = PointGrid::default();
            shapes.retain(|s| match *s {
                Shape::Point { lon, lat, .. } => {
                    grid.add(lon, lat);
                    false
                }
                _ => true,
            });
            grid
        })
    }

    /// Adds `other`'s shapes after these.
    fn append(&mut self, other: Drawn) {
        for shape in other.shapes {
            match shape {
                Shape::Point { lon, lat, .. } => self.point(lon, lat),
                shape => self.shapes.push(shape),
            }
        }
        if let Some(grid) = other.grid {
            self.grid().merge(grid);
        }
        self.extent = union(self.extent, other.extent);
    }

    /// The shapes, the grid's clusters last, and the extent of the points
    /// when they are clusters.
    fn finish(self) -> (Vec<Shape>, Option<[f64; 4]>) {
        match self.grid {
            None => (self.shapes, None),
            Some(grid) => {
                let mut shapes = self.shapes;
                shapes.extend(grid.finish().shapes());
                (shapes, self.extent)
            }
        }
    }
}

/// The union of two `[west, south, east, north]` boxes.
fn union(a: Option<[f64; 4]>, b: Option<[f64; 4]>) -> Option<[f64; 4]> {
    match (a, b) {
        (Some(a), Some(b)) => Some([a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]),
        (a, b) => a.or(b),
    }
}

/// A geometry's coordinates while they are read: the geometry's type, the
/// first problem met (reading stops there) and the shapes so far.
struct Reading {
    kind: &'static str,
    problem: Cell<Option<Problem>>,
    out: RefCell<Drawn>,
}

impl Reading {
    /// The error that stops reading at `problem`.
    fn fail<E: de::Error>(&self, problem: Problem) -> E {
        self.note(problem, E::custom("invalid geometry"))
    }

    /// `e`, noting `problem` unless a problem deeper in the coordinates was.
    fn note<E>(&self, problem: Problem, e: E) -> E {
        let first = self.problem.take();
        self.problem.set(first.or(Some(problem)));
        e
    }
}

/// A coordinate (any JSON number).
#[derive(Clone, Copy)]
struct Number<'r>(&'r Reading);

impl<'de> DeserializeSeed<'de> for Number<'_> {
    type Value = f64;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(self).map_err(|e| self.0.note(Problem::NotAPosition, e))
    }
}

impl<'de> Visitor<'de> for Number<'_> {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
}

/// A position, `[longitude, latitude, …]` in WGS 84 degrees.
#[derive(Clone, Copy)]
struct Position<'r>(&'r Reading);

impl<'de> DeserializeSeed<'de> for Position<'_> {
    type Value = (f64, f64);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(f64, f64), D::Error> {
        d.deserialize_any(self).map_err(|e| self.0.note(Problem::NotAPosition, e))
    }
}

impl<'de> Visitor<'de> for Position<'_> {
    type Value = (f64, f64);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a position")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(f64, f64), A::Error> {
        let r = self.0;
        let lon = seq.next_element_seed(Number(r))?.ok_or_else(|| r.fail::<A::Error>(Problem::NotAPosition))?;
        let lat = seq.next_element_seed(Number(r))?.ok_or_else(|| r.fail::<A::Error>(Problem::NotAPosition))?;
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(r.fail(Problem::OutOfRange { lon, lat }));
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((lon, lat))
    }
}

/// A list of positions, at least `min` of them: kept (a line, a ring), or
/// drawn as points as they come.
#[derive(Clone, Copy)]
struct Positions<'r> {
    r: &'r Reading,
    min: usize,
    points: bool,
}

impl<'de> DeserializeSeed<'de> for Positions<'_> {
    type Value = Vec<(f64, f64)>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self).map_err(|e| self.r.note(Problem::WrongNesting(self.r.kind.into()), e))
    }
}

impl<'de> Visitor<'de> for Positions<'_> {
    type Value = Vec<(f64, f64)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of positions")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (mut line, mut found) = (Vec::new(), 0);
        while let Some((lon, lat)) = seq.next_element_seed(Position(self.r))? {
            found += 1;
            if self.points {
                self.r.out.borrow_mut().point(lon, lat);
            } else {
                line.push((lon, lat));
            }
        }
        if found < self.min {
            return Err(self.r.fail(Problem::TooFewPositions { found, min: self.min }));
        }
        Ok(line)
    }
}

/// A polygon: closed rings of at least 4 positions, at least one.
#[derive(Clone, Copy)]
struct Rings<'r>(&'r Reading);

impl<'de> DeserializeSeed<'de> for Rings<'_> {
    type Value = Vec<Vec<(f64, f64)>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self).map_err(|e| self.0.note(Problem::WrongNesting(self.0.kind.into()), e))
    }
}

impl<'de> Visitor<'de> for Rings<'_> {
    type Value = Vec<Vec<(f64, f64)>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of rings")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rings = Vec::new();
        while let Some(ring) = seq.next_element_seed(Positions { r: self.0, min: 4, points: false })? {
            rings.push(ring);
        }
        if rings.is_empty() {
            return Err(self.0.fail(Problem::NoRings));
        }
        // Checked once every ring is read, as the rings may have another
        // problem.
        if rings.iter().any(|r| r.first() != r.last()) {
            return Err(self.0.fail(Problem::RingNotClosed));
        }
        Ok(rings)
    }
}

/// Lines (a MultiLineString) or polygons (a MultiPolygon), drawn as they
/// come.
#[derive(Clone, Copy)]
struct Many<'r> {
    r: &'r Reading,
    polygons: bool,
}

impl<'de> DeserializeSeed<'de> for Many<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self).map_err(|e| self.r.note(Problem::WrongNesting(self.r.kind.into()), e))
    }
}

impl<'de> Visitor<'de> for Many<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of geometries")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let r = self.r;
        if self.polygons {
            while let Some(rings) = seq.next_element_seed(Rings(r))? {
                r.out.borrow_mut().shapes.push(Shape::Polygon(rings));
            }
        } else {
            while let Some(line) = seq.next_element_seed(Positions { r, min: 2, points: false })? {
                r.out.borrow_mut().shapes.push(Shape::Line(line));
            }
        }
        Ok(())
    }
}

/// Any JSON value, read through and not kept: the same reading as for a
/// `serde_json::Value` (nesting and numbers checked), without building it.
#[derive(Clone, Copy)]
struct Check;

impl<'de> DeserializeSeed<'de> for Check {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Check)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Check)?.is_some() {
            map.next_value_seed(Check)?;
        }
        Ok(())
    }
}

/// Adds the keys of object `raw` to the table's `columns`, while there is
/// room.
fn add_columns(raw: &RawValue, columns: &mut Vec<String>) {
    struct Keys<'c>(&'c mut Vec<String>);
    impl<'de> Visitor<'de> for Keys<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while map.next_key_seed(Column(&mut *self.0))?.is_some() {
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let _ = (&mut de).deserialize_map(Keys(columns));
}

/// A key, as the index of its column among `columns`, added when new
/// while there is room ([`TABLE_COLUMNS`]); `None` past it.
struct Column<'c>(&'c mut Vec<String>);

impl<'de> DeserializeSeed<'de> for Column<'_> {
    type Value = Option<usize>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Column<'_> {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, key: &str) -> Result<Option<usize>, E> {
        let columns = self.0;
        if let Some(i) = columns.iter().position(|c| c == key) {
            return Ok(Some(i));
        }
        if columns.len() >= TABLE_COLUMNS {
            return Ok(None);
        }
        columns.push(key.to_string());
        Ok(Some(columns.len() - 1))
    }
}

/// One object as a row of text, by column (nested values as JSON).
fn row_of(item: Option<&RawValue>, columns: &[String]) -> Vec<String> {
    struct Row<'r> {
        columns: &'r [String],
        cells: &'r mut Vec<String>,
    }
    impl<'de> Visitor<'de> for Row<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                match self.columns.iter().position(|c| *c == key) {
                    // Of a repeated key, the last value, as a parsed object keeps.
                    Some(i) => self.cells[i] = map.next_value_seed(CellText)?,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(())
        }
    }
    let mut cells = vec![String::new(); columns.len()];
    if let Some(item) = item.filter(|i| is_object(i)) {
        let mut de = serde_json::Deserializer::from_str(item.get());
        let _ = (&mut de).deserialize_map(Row { columns, cells: &mut cells });
    }
    cells
}

/// A value as a table cell: a string's text, nothing for null, another
/// value as compact JSON (written as `serde_json::Value::to_string` writes
/// it, without building the value).
struct CellText;

impl<'de> DeserializeSeed<'de> for CellText {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl CellText {
    fn json<E>(write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>) -> Result<String, E> {
        let mut out = Vec::new();
        write(&mut out)?;
        Ok(String::from_utf8(out).expect("JSON is UTF-8"))
    }
}

impl<'de> Visitor<'de> for CellText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        CellText::json(|out| Compact(out).visit_bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        CellText::json(|out| Compact(out).visit_i64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        CellText::json(|out| Compact(out).visit_u64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        CellText::json(|out| Compact(out).visit_f64(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        CellText::json(|out| Compact(out).visit_seq(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        CellText::json(|out| Compact(out).visit_map(map))
    }
}

/// Any JSON value written to the end of a buffer as compact JSON, as
/// `serde_json::Value::to_string` writes it: numbers as the parsed value
/// writes them, strings escaped the same way, and of an object's repeated
/// key, the last value in the key's first place.
struct Compact<'o>(&'o mut Vec<u8>);

impl Compact<'_> {
    fn write<T: serde::Serialize + ?Sized, E: de::Error>(&mut self, v: &T) -> Result<(), E> {
        serde_json::to_writer(&mut *self.0, v).map_err(E::custom)
    }
}

impl<'de> DeserializeSeed<'de> for Compact<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Compact<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }
    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<(), E> {
        self.write(&v)
    }
    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<(), E> {
        self.write(&v)
    }
    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<(), E> {
        self.write(&v)
    }
    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<(), E> {
        self.write(&v)
    }
    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<(), E> {
        self.write(v)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        /// An element, after a comma unless it is the first.
        struct Element<'o>(&'o mut Vec<u8>, bool);
        impl<'de> DeserializeSeed<'de> for Element<'_> {
            type Value = ();
            fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                if !self.1 {
                    self.0.push(b',');
                }
                Compact(self.0).deserialize(d)
            }
        }
        self.0.push(b'[');
        let mut first = true;
        while seq.next_element_seed(Element(&mut *self.0, first))?.is_some() {
            first = false;
        }
        self.0.push(b']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let start = self.0.len();
        self.0.push(b'{');
        // Each key's place in the object (its first), and the written key
        // and value of that place: the last value met.
        let mut places: HashMap<String, usize> = HashMap::new();
        let mut members: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        let mut repeated = false;
        while let Some(key) = map.next_key::<String>()? {
            if self.0.len() > start + 1 {
                self.0.push(b',');
            }
            let k = self.0.len();
            self.write(&key)?;
            let k = k..self.0.len();
            self.0.push(b':');
            let v = self.0.len();
            map.next_value_seed(Compact(&mut *self.0))?;
            let v = v..self.0.len();
            match places.get(&key) {
                Some(&i) => {
                    members[i].1 = v;
                    repeated = true;
                }
                None => {
                    places.insert(key, members.len());
                    members.push((k, v));
                }
            }
        }
        self.0.push(b'}');
        if repeated {
            let mut object = vec![b'{'];
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    object.push(b',');
                }
                object.extend_from_slice(&self.0[k]);
                object.push(b':');
                object.extend_from_slice(&self.0[v]);
            }
            object.push(b'}');
            self.0.truncate(start);
            self.0.extend_from_slice(&object);
        }
        Ok(())
    }
}

/// The table of a JSON file that is an array of objects (the most common
/// JSON export of a table): columns, first rows, and how many objects.
///
/// The array is read one element at a time, and none is kept: reading
/// stops at the first element that is not an object; the keys of every
/// object give the columns ([`TABLE_COLUMNS`] at most, in the order met),
/// and the values of the first [`TABLE_ROWS`] objects the rows.
pub fn json_records(text: &str) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
    let mut records = Records::default();
    let mut de = serde_json::Deserializer::from_str(text);
    (&mut de).deserialize_seq(&mut records).ok()?;
    de.end().ok()?;
    if records.count == 0 {
        return None;
    }
    let Records { columns, mut rows, count } = records;
    // An object's row has its cells for the columns known after it: a
    // column added later is not one of its keys.
    for row in &mut rows {
        row.resize(columns.len(), String::new());
    }
    Some((columns, rows, count))
}

/// An array of objects as a table, while it is read.
#[derive(Default)]
struct Records {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    count: usize,
}

impl<'de> Visitor<'de> for &mut Records {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Record(&mut *self))?.is_some() {}
        Ok(())
    }
}

/// One element of an array of objects: refused (the whole array is then)
/// when it is not an object.
struct Record<'t>(&'t mut Records);

impl<'de> DeserializeSeed<'de> for Record<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Record<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let t = self.0;
        let row = t.count < TABLE_ROWS;
        t.count += 1;
        if row {
            t.rows.push(Vec::new());
        }
        loop {
            if !row && t.columns.len() >= TABLE_COLUMNS {
                // Nothing more to take from this object: read through.
                if map.next_key_seed(Check)?.is_none() {
                    break;
                }
                map.next_value_seed(Check)?;
                continue;
            }
            let Some(column) = map.next_key_seed(Column(&mut t.columns))? else {
                break;
            };
            match (column, t.rows.last_mut().filter(|_| row)) {
                (Some(i), Some(cells)) => {
                    if cells.len() <= i {
                        cells.resize(i + 1, String::new());
                    }
                    // Of a repeated key, the last value, as a parsed object keeps.
                    cells[i] = map.next_value_seed(CellText)?;
                }
                _ => map.next_value_seed(Check)?,
            }
        }
        Ok(())
    }
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

    /// The reading before issue 23 (item 5), through `serde_json::Value`
    /// trees: the oracle the streaming reading must agree with.
    mod old {
        use super::super::*;

        pub(super) fn read_geojson(text: &str) -> Result<Layer, String> {
            use serde_json::value::RawValue;
            let top: std::collections::HashMap<String, &RawValue> =
                serde_json::from_str(text).map_err(|e| e.to_string())?;
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

        fn records_table(items: &[Option<&serde_json::Value>]) -> (Vec<String>, Vec<Vec<String>>) {
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

        pub(super) fn json_records(text: &str) -> Option<(Vec<String>, Vec<Vec<String>>, usize)> {
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
    }

    /// A small deterministic source of test inputs (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
        fn space(&mut self) -> &'static str {
            self.pick(&["", "", " ", "\n", "\n  "])
        }
        fn number(&mut self) -> String {
            let n = self.pick(&[
                "0",
                "-0",
                "1",
                "-1",
                "12.5",
                "-3.25",
                "1e3",
                "1E-5",
                "2.0",
                "0.1",
                "1.5e300",
                "100.000",
                "18446744073709551615",
                "18446744073709551616",
                "-9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890",
                "5e-324",
                "1.7976931348623157e308",
                "0.30000000000000004",
            ]);
            if self.below(300) == 0 { "1e999".into() } else { n.into() }
        }
        fn string(&mut self) -> String {
            let s = self.pick(&[
                r#""""#,
                r#""a""#,
                r#""é\u00e9""#,
                r#""line\nbreak""#,
                r#""quote\"""#,
                r#""\ud83d\ude00""#,
                r#""tab\t\u0000""#,
                r#""\/slash""#,
                r#""k1""#,
                "\"\u{7f}\u{2028}\"",
            ]);
            if self.below(500) == 0 { r#""\ud800""#.into() } else { s.into() }
        }
        fn key(&mut self) -> String {
            match self.below(12) {
                0 => r#""a\u0062""#.into(),
                1 => r#""ab""#.into(),
                2 => r#""type""#.into(),
                _ => format!("\"k{}\"", self.below(40)),
            }
        }
        fn value(&mut self, depth: usize) -> String {
            match self.below(if depth > 3 { 6 } else { 9 }) {
                0 => "null".into(),
                1 => self.pick(&["true", "false"]).into(),
                2 | 3 => self.number(),
                4 | 5 => self.string(),
                6 => {
                    let items: Vec<String> = (0..self.below(4)).map(|_| self.value(depth + 1)).collect();
                    format!("[{}]", items.join(&format!(",{}", self.space())))
                }
                _ => self.object(depth + 1, 4),
            }
        }
        fn object(&mut self, depth: usize, members: usize) -> String {
            let members: Vec<String> = (0..self.below(members + 1))
                .map(|_| format!("{}{}:{}{}", self.space(), self.key(), self.space(), self.value(depth)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        fn nested(&mut self) -> String {
            let levels = 124 + self.below(8);
            if self.below(2) == 0 {
                format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
            } else {
                format!("{}1{}", r#"{"a":"#.repeat(levels), "}".repeat(levels))
            }
        }
    }

    #[test]
    fn json_records_read_as_the_json_tree_did() {
        let mut fixed: Vec<String> = [
            "[]",
            "[{}]",
            "[1]",
            "[1,2,3]",
            "[{\"a\":1},2]",
            "[2,{\"a\":1}]",
            "{}",
            "{\"a\":1}",
            "not json",
            "",
            "[{\"a\":1}] x",
            "[{\"a\":1},]",
            "[{\"a\":1}",
            " [ { \"a\" : [1, {\"b\":null}] } ] ",
            "null",
            "\"x\"",
            "[{\"a\":1,\"a\":2,\"b\":3}]",
            "[{\"o\":{\"x\":1,\"y\":2,\"x\":{\"z\":3,\"z\":4}}}]",
            "[{\"a\":1e999}]",
            "[{\"a\":1},{\"b\":1e999}]",
            "[{\"a\":\"\\ud800\"}]",
            "[{\"a\\u0062\":1,\"ab\":2}]",
            "[{\"a\":1.0,\"b\":-0,\"c\":-0.0,\"d\":1e2,\"e\":[1.5e300,18446744073709551616]}]",
        ]
        .map(String::from)
        .to_vec();
        let wide: Vec<String> = (0..70).map(|i| format!("{{\"c{i}\":{i},\"c{}\":\"v\"}}", 69 - i)).collect();
        fixed.push(format!("[{}]", wide.join(",")));
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        for _ in 0..20 {
            fixed.push(format!("[{}]", rng.nested()));
            fixed.push(format!("[{{\"k\":{}}}]", rng.nested()));
        }
        for _ in 0..3_000 {
            let items: Vec<String> = (0..rng.below(80))
                .map(|i| match rng.below(300) {
                    0 if i > 0 => rng.value(1),
                    1 => format!("{{\"n\":{}}}", rng.nested()),
                    _ => rng.object(1, 8),
                })
                .collect();
            let mut text = format!("{}[{}]{}", rng.space(), items.join(&format!(",{}", rng.space())), rng.space());
            if rng.below(40) == 0 {
                text.push_str(rng.pick(&["x", ",", "]", "[]"]));
            }
            fixed.push(text);
        }
        let (mut some, mut none) = (0, 0);
        for text in &fixed {
            let new = json_records(text);
            assert_eq!(new, old::json_records(text), "{text}");
            if new.is_some() { some += 1 } else { none += 1 }
        }
        assert!(some > 1_000 && none > 100, "{some} tables, {none} refused");
    }

    /// A random geometry, valid or not.
    fn random_geometry(rng: &mut Rng, depth: usize) -> String {
        fn position(rng: &mut Rng) -> String {
            match rng.below(30) {
                0 => "[200,48]".into(),
                1 => "[2.3,-91]".into(),
                2 => "[1]".into(),
                3 => "[\"2\",48]".into(),
                4 => "5".into(),
                5 => "[]".into(),
                6 => "[[2,48]]".into(),
                7 => "null".into(),
                8 => format!("[{},{},{}]", rng.below(10), rng.below(10), rng.value(2)),
                _ => format!("[{}.{},{}{}]", rng.below(360) as i64 - 180, rng.below(100), rng.below(90), rng.space()),
            }
        }
        fn positions(rng: &mut Rng, n: usize, closed: bool) -> String {
            if rng.below(25) == 0 {
                return rng.pick(&["5", "{}", "\"x\"", "[5]"]).into();
            }
            let mut list: Vec<String> = (0..n).map(|_| position(rng)).collect();
            if closed && !list.is_empty() && rng.below(6) != 0 {
                let first = list[0].clone();
                list.push(first);
            }
            format!("[{}]", list.join(","))
        }
        fn list(rng: &mut Rng, n: usize, item: impl Fn(&mut Rng) -> String) -> String {
            if rng.below(25) == 0 {
                return rng.pick(&["5", "{}", "[]", "[5]"]).into();
            }
            let items: Vec<String> = (0..n).map(|_| item(rng)).collect();
            format!("[{}]", items.join(","))
        }
        let ring = |rng: &mut Rng| {
            let n = 2 + rng.below(4);
            positions(rng, n, true)
        };
        let polygon = |rng: &mut Rng| {
            let n = rng.below(3);
            list(rng, n, ring)
        };
        let kind = rng.pick(&[
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "Point",
            "Polygon",
            "GeometryCollection",
            "Cercle",
            "",
        ]);
        let coordinates = match kind {
            "Point" => position(rng),
            "MultiPoint" | "" | "Cercle" => {
                let n = rng.below(6);
                positions(rng, n, false)
            }
            "LineString" => {
                let n = rng.below(5);
                positions(rng, n, false)
            }
            "MultiLineString" => {
                let n = rng.below(4);
                list(rng, n, |rng| {
                    let n = rng.below(4);
                    positions(rng, n, false)
                })
            }
            "Polygon" => polygon(rng),
            _ => {
                let n = rng.below(3);
                list(rng, n, polygon)
            }
        };
        let mut members: Vec<String> = Vec::new();
        match (kind, rng.below(20)) {
            ("", _) => {}
            (_, 0) => members.push("\"type\":5".into()),
            (_, 1) => members.push(format!("\"typ\\u0065\":\"{kind}\"")),
            _ => members.push(format!("\"type\":\"{kind}\"")),
        }
        if kind == "GeometryCollection" {
            let n = if depth > 2 { 0 } else { rng.below(4) };
            let list: Vec<String> = (0..n)
                .map(|_| if rng.below(8) == 0 { "null".into() } else { random_geometry(rng, depth + 1) })
                .collect();
            match rng.below(12) {
                0 => {}
                1 => members.push("\"geometries\":{}".into()),
                _ => members.push(format!("\"geometries\":[{}]", list.join(","))),
            }
        } else {
            match rng.below(15) {
                0 => {}
                1 => members.push("\"coordinates\":null".into()),
                _ => members.push(format!("\"coordinates\":{coordinates}")),
            }
        }
        if rng.below(10) == 0 {
            members.push(format!("\"bbox\":{}", rng.value(1)));
        }
        if rng.below(15) == 0 {
            members.push("\"type\":\"Point\"".into());
        }
        if rng.below(2) == 0 {
            members.reverse();
        }
        format!("{{{}}}", members.join(&format!(",{}", rng.space())))
    }

    /// A random feature, valid or not.
    fn random_feature(rng: &mut Rng) -> String {
        match rng.below(40) {
            0 => return rng.pick(&["5", "\"x\"", "[1,2]", "null", "[]"]).into(),
            1 => return random_geometry(rng, 0),
            2 => return format!("{{\"type\":\"Feature\",\"properties\":{{\"deep\":{}}}}}", rng.nested()),
            3 => {
                return format!(
                    "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":{}}}}}",
                    rng.nested()
                );
            }
            _ => {}
        }
        let mut members = vec!["\"type\":\"Feature\"".to_string()];
        match rng.below(12) {
            0 => {}
            1 => members.push("\"properties\":null".into()),
            2 => members.push(format!("\"properties\":{}", rng.value(2))),
            _ => members.push(format!("\"properties\":{}", rng.object(1, 6))),
        }
        match rng.below(12) {
            0 => {}
            1 => members.push("\"geometry\":null".into()),
            2 => members.push(format!("\"geometry\":{}", rng.pick(&["5", "[]", "\"Point\""]))),
            _ => members.push(format!("\"geometry\":{}", random_geometry(rng, 0))),
        }
        if rng.below(10) == 0 {
            members.push(format!("\"id\":{}", rng.value(1)));
        }
        if rng.below(20) == 0 {
            members.push("\"properties\":{\"again\":1}".into());
        }
        if rng.below(3) == 0 {
            members.reverse();
        }
        format!("{{{}}}", members.join(&format!(",{}", rng.space())))
    }

    #[test]
    fn geojson_read_as_the_json_tree_did() {
        let mut texts: Vec<String> = [
            "", "5", "[]", "{}", "{\"type\":5}", "{\"type\":\"FeatureCollection\"}",
            "{\"type\":\"FeatureCollection\",\"features\":{}}", "{\"type\":\"FeatureCollection\",\"features\":[]}",
            "{\"type\":\"FeatureCollection\",\"features\":[1,{}]} x", "{\"type\":\"Point\",\"coordinates\":[2,48]}",
            "{\"type\":\"Point\",\"coordinates\":[2,48],\"type\":\"LineString\"}", "{\"features\":[{}],\"type\":\"FeatureCollection\"}",
            "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[2,48]},\"properties\":{\"a\":1,\"a\":[1,{\"b\":2,\"b\":3}]}}",
        ]
        .map(String::from)
        .to_vec();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200 {
            texts.push(random_geometry(&mut rng, 0));
            texts.push(random_feature(&mut rng));
        }
        for _ in 0..800 {
            let features: Vec<String> = (0..rng.below(70)).map(|_| random_feature(&mut rng)).collect();
            let mut members = vec![
                "\"type\":\"FeatureCollection\"".to_string(),
                format!("\"features\":[{}{}{}]", rng.space(), features.join(&format!(",{}", rng.space())), rng.space()),
            ];
            if rng.below(5) == 0 {
                members.push(format!("\"name\":{}", rng.value(1)));
            }
            if rng.below(2) == 0 {
                members.reverse();
            }
            texts.push(format!("{}{{{}}}\n", rng.space(), members.join(",\n")));
        }
        let (mut layers, mut invalid) = (0, 0);
        for text in &texts {
            let new = read_geojson(text);
            assert_eq!(new, old::read_geojson(text), "{text}");
            if let Ok(layer) = new {
                layers += 1;
                invalid += layer.invalid_count;
            }
        }
        assert!(layers > 900 && invalid > 1_000, "{layers} layers, {invalid} invalid features");
    }

    /// `(point shapes, points they stand for)` of a layer.
    fn points_of(layer: &Layer) -> (usize, u64) {
        let counts: Vec<u64> = layer
            .shapes
            .iter()
            .filter_map(|s| if let Shape::Point { count, .. } = s { Some(*count) } else { None })
            .collect();
        (counts.len(), counts.iter().sum())
    }

    fn collection(features: &[String]) -> String {
        format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}", features.join(",\n"))
    }

    fn point_feature(i: usize) -> String {
        let (lon, lat) = (2.0 + (i % 100) as f64 * 1e-3, 48.0 + (i / 100) as f64 * 1e-3);
        format!(
            r#"{{"type":"Feature","properties":{{"n":{i}}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
        )
    }

    #[test]
    fn many_points_are_drawn_as_clusters() {
        let line =
            r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[2,48],[2.1,48.1]]}}"#;
        // Up to the limit, each point is drawn as before.
        let features: Vec<String> = (0..MAX_CELLS).map(point_feature).chain([line.to_string()]).collect();
        let text = collection(&features);
        let layer = read_geojson(&text).unwrap();
        assert_eq!(layer, old::read_geojson(&text).unwrap());
        assert_eq!(points_of(&layer), (MAX_CELLS, MAX_CELLS as u64));
        // Past it, clusters.
        let features: Vec<String> = (0..10_000).map(point_feature).chain([line.to_string()]).collect();
        let layer = read_geojson(&collection(&features)).unwrap();
        let (shapes, points) = points_of(&layer);
        assert!(shapes <= MAX_CELLS, "{shapes} point shapes");
        assert_eq!(points, 10_000);
        assert_eq!((layer.features, layer.rows.len(), layer.invalid_count), (10_001, TABLE_ROWS, 0));
        assert!(layer.shapes.iter().any(|s| matches!(s, Shape::Line(_))));
        assert_eq!(layer.bbox(), Some([2.0, 48.0, 2.1, 48.1]));
    }

    #[test]
    fn a_multipoint_of_many_positions_is_drawn_as_clusters_or_not_at_all() {
        let positions: Vec<String> = (0..100_000)
            .map(|i| format!("[{},{}]", 2.0 + (i % 300) as f64 * 1e-4, 48.0 + (i / 300) as f64 * 1e-4))
            .collect();
        let multipoint =
            |positions: &[String]| format!(r#"{{"type":"MultiPoint","coordinates":[{}]}}"#, positions.join(","));
        let layer = read_geojson(&multipoint(&positions)).unwrap();
        let (shapes, points) = points_of(&layer);
        assert!(shapes <= MAX_CELLS, "{shapes} point shapes");
        assert_eq!((points, layer.features, layer.invalid_count), (100_000, 1, 0));
        // The box is that of the points, not of the clusters' centroids.
        assert_eq!(layer.bbox(), Some([2.0, 48.0, 2.0 + 299.0 * 1e-4, 48.0 + 333.0 * 1e-4]));
        // Beside other points, and a feature's points are drawn all or none.
        let mut broken = positions[..5_000].to_vec();
        broken.push("[2,95]".into());
        let features: Vec<String> = (0..3)
            .map(point_feature)
            .chain([
                format!(r#"{{"type":"Feature","geometry":{}}}"#, multipoint(&positions)),
                format!(r#"{{"type":"Feature","geometry":{}}}"#, multipoint(&broken)),
            ])
            .collect();
        let layer = read_geojson(&collection(&features)).unwrap();
        let (shapes, points) = points_of(&layer);
        assert!(shapes <= MAX_CELLS, "{shapes} point shapes");
        assert_eq!(points, 100_003);
        assert_eq!(layer.invalid_count, 1);
        assert_eq!((layer.invalid[0].number, layer.invalid[0].line), (5, 6));
        assert_eq!(layer.invalid[0].problem, Problem::OutOfRange { lon: 2.0, lat: 95.0 });
    }
}
