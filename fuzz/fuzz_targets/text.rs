//! The text reader on arbitrary bytes (any encoding, as `shenhe check` hands it a .txt file).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = shenhe_ingest::Options::default();
    let _ = shenhe_ingest::ingest_text("fuzz.txt", data, &opts);
});
