//! The whole `shenhe check` path on arbitrary text: the text reader, then, for whatever it reads
//! into a model, the bundled rule pack (every rule's evaluation on a model no test wrote). Seed
//! with `examples/` and the three text forms of the corpus (`tests/corpus/{layout,raw,plain}`).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use shenhe_eval::{Engine, RuleSet};

static PACK: LazyLock<Option<RuleSet>> = LazyLock::new(|| Engine::new().compile_builtin().ok());

fuzz_target!(|data: &[u8]| {
    let opts = shenhe_ingest::Options::default();
    if let Ok(doc) = shenhe_ingest::read_text("fuzz.txt", data, &opts)
        && let Some(pack) = PACK.as_ref()
    {
        let _ = pack.check(&doc);
    }
});
