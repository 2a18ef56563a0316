//! The rule parser and compiler on arbitrary text (seed with rules/**/*.rule and tests/lang);
//! a file that compiles is also checked on the example document (bounded by the step limit).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use shenhe_eval::Engine;
use shenhe_model::Document;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);
static DOC: LazyLock<Option<Document>> = LazyLock::new(|| {
    let text = include_bytes!("../../examples/000_69e425832d03fcc4.txt");
    shenhe_ingest::read_text("example.txt", text, &shenhe_ingest::Options::default()).ok()
});

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let _ = shenhe_lang::parse("fuzz.rule", &source);
    if let Ok(set) = ENGINE.compile(&[("fuzz.rule", source.as_ref())])
        && let Some(doc) = DOC.as_ref()
    {
        let _ = set.check(doc);
    }
});
