//! Generates the list of bundled rule files: every `rules/**/*.rule` of the repository, embedded
//! with `include_str!` so the binary carries the default pack.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rule") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let rules = manifest.join("../../rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut files = Vec::new();
    collect(&rules, &mut files)?;
    files.sort();
    let root = rules.canonicalize().unwrap_or(rules.clone());
    let mut code = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let abs = f.canonicalize()?;
        let rel = abs.strip_prefix(&root).unwrap_or(&abs);
        let name = format!("rules/{}", rel.to_string_lossy().replace('\\', "/"));
        writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            name,
            abs.to_string_lossy()
        )?;
    }
    code.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("bundled_rules.rs");
    std::fs::write(out, code)?;
    Ok(())
}
