//! `shenhe extract DOC [--format json|text]`: the document model of a disclosure.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

/// Output formats of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 文档模型的 JSON（格式见 docs/model.md）
    Json,
    /// 便于与原文逐行核对的文本：章节树、每张表（对齐的列、空白单元格、推断的放置）
    Text,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 要读取的文件：PDF，或提取出的文本（UTF-8 或 GBK）
    pub doc: PathBuf,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// Exit status for input that cannot be read.
const UNREADABLE: u8 = 2;

pub fn run(args: &Args) -> ExitCode {
    let name = args.doc.display().to_string();
    let bytes = match std::fs::read(&args.doc) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：无法读取文件 {name}：{}", io_reason(&e));
            return ExitCode::from(UNREADABLE);
        }
    };
    let source_name = args
        .doc
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.clone());
    let doc =
        // PDF by its signature, anything else as extracted text.
        match shenhe_ingest::read_bytes(&source_name, &bytes, &shenhe_ingest::Options::default()) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("错误：{e}");
                return ExitCode::from(UNREADABLE);
            }
        };
    let text = match args.format {
        Format::Json => match serde_json::to_string_pretty(&doc) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("错误：无法生成 JSON：{e}");
                return ExitCode::FAILURE;
            }
        },
        Format::Text => shenhe_ingest::render::render_text(&doc),
    };
    let mut out = std::io::stdout().lock();
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：无法写出结果：{e}");
            ExitCode::FAILURE
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".into(),
        _ => e.to_string(),
    }
}
