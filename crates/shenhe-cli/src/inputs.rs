//! The documents of a batch: files given by name, and the `.txt`, `.pdf` and `.json` files in
//! folders (recursively, in name order; symbolic links to folders are not followed). A name
//! that cannot be read becomes an entry with the reason, so that the batch goes on.

use std::path::{Path, PathBuf};

/// One entry of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file to read.
    File(PathBuf),
    /// A name that cannot be read as a document, and why (Chinese).
    Problem { path: PathBuf, reason: String },
}

impl Input {
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Problem { path: p, .. } => p,
        }
    }
}

/// Extensions searched for in folders.
pub const EXTENSIONS: [&str; 3] = ["txt", "pdf", "json"];

fn wanted(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Input::Problem {
                path: dir.to_path_buf(),
                reason: format!("无法读取目录：{}", crate::load::io_reason(&e)),
            });
            return;
        }
    };
    let mut items: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => {
                let path = e.path();
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                items.push((path, is_dir));
            }
            Err(e) => out.push(Input::Problem {
                path: dir.to_path_buf(),
                reason: format!("无法列出目录内容：{}", crate::load::io_reason(&e)),
            }),
        }
    }
    items.sort();
    for (path, is_dir) in items {
        if is_dir {
            walk(&path, out);
        } else if wanted(&path) && path.is_file() {
            out.push(Input::File(path));
        }
    }
}

/// Expands the names given on the command line, in order.
pub fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let before = out.len();
                walk(p, &mut out);
                if out.len() == before {
                    out.push(Input::Problem {
                        path: p.clone(),
                        reason: "目录中没有 .txt、.pdf 或 .json 文件".into(),
                    });
                }
            }
            Ok(_) => out.push(Input::File(p.clone())),
            Err(e) => out.push(Input::Problem {
                path: p.clone(),
                reason: crate::load::io_reason(&e),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_name_order() {
        let dir = std::env::temp_dir().join(format!("shenhe-inputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b/c")).unwrap();
        for f in ["b/c/3.TXT", "b/2.pdf", "1.json", "b/skip.md", "0.txt"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        let got = expand(&[dir.clone(), dir.join("missing.txt"), dir.join("empty")]);
        let names: Vec<String> = got
            .iter()
            .map(|i| {
                let rel = i.path().strip_prefix(&dir).unwrap().display().to_string();
                match i {
                    Input::File(_) => rel,
                    Input::Problem { reason, .. } => format!("{rel}: {reason}"),
                }
            })
            .collect();
        assert_eq!(
            names,
            [
                "0.txt",
                "1.json",
                "b/2.pdf",
                "b/c/3.TXT",
                "missing.txt: 文件或目录不存在",
                "empty: 目录中没有 .txt、.pdf 或 .json 文件",
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
