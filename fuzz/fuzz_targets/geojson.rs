//! Fuzz target: see `kiosque::fuzzing::geojson` for the code path it drives.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kiosque::fuzzing::geojson(data));
