//! Fuzz target: see `kiosque::fuzzing::workbook` for the code path it drives.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kiosque::fuzzing::workbook(data));
