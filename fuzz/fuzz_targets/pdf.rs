//! The PDF reader on arbitrary bytes (seed with tests/corpus/*.pdf).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = shenhe_ingest::Options::default();
    let _ = shenhe_ingest::ingest_pdf("fuzz.pdf", data, &opts);
});
