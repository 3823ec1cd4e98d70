//! Fuzz target: see `kiosque::fuzzing::table_schema` for the code path it drives.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kiosque::fuzzing::table_schema(data));
