//! Fuzz target `requirement`: see leimu-invariants for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        leimu_invariants::requirement(text);
    }
});
