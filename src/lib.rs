//! kiosque turns a folder of open datasets into a complete, fully static
//! open data portal.
//!
//! The build is a pipeline of stages, each a module with one job, data
//! flowing one way:
//! [`load`] → [`validate`] → [`profile`] → [`render`] → [`export`] →
//! [`write`]. `check` runs the same pipeline without the write. The CLI
//! ([`cli`]) only wires stages.

pub mod i18n;

pub mod harvest;

pub mod add;
pub mod cache;
pub mod charts;
pub mod cli;
pub mod color;
pub mod dcat;
pub mod derive;
pub mod diag;
pub mod excel;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod geo;
pub mod lang;
pub mod limits;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod personal;
pub mod pipeline;
pub mod profile;
pub mod quality;
pub mod render;
pub mod reuse;
pub mod rows;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod svg;
pub mod tableschema;
pub mod tabular;
pub mod taxonomy;
pub mod theme;
pub mod util;
pub mod validate;
pub mod vocab;
pub mod write;
pub mod yaml;
