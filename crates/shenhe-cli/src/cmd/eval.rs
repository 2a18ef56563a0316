//! `shenhe eval DOC EXPR [--explain]`: the value of one expression on a document.
//!
//! Prints the value as printed (`821.07`, `82.93%`, `true`) and exits 0; when the expression
//! does not parse or cannot be evaluated on the document, prints a diagnostic pointing into
//! EXPR and exits 2 (also when DOC cannot be read).

use std::path::PathBuf;
use std::process::ExitCode;

use std::io::IsTerminal;

use shenhe_eval::{Diagnostic, Engine};

use super::check::read_document;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 公开文件（提取出的文本或 PDF）
    pub doc: PathBuf,
    /// 要计算的表达式，例如 'sum(表三.基本支出) == 表七.总计'
    pub expr: String,
    /// 同时给出单位、舍入区间和每个数值在文件中的位置
    #[arg(long)]
    pub explain: bool,
}

const FAILED: u8 = 2;

pub fn run(args: &Args) -> ExitCode {
    let doc = match read_document(&args.doc) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(FAILED);
        }
    };
    match Engine::new().eval_str(&doc, &args.expr) {
        Ok(v) => {
            println!("{}", v.printed);
            if args.explain {
                println!("类型：{}", v.kind);
                if let Some(n) = &v.value {
                    match (&n.low, &n.high) {
                        (Some(lo), Some(hi)) => {
                            println!("数值：{}（舍入区间 [{lo}, {hi}]）", n.printed)
                        }
                        _ => println!("数值：{}（精确）", n.printed),
                    }
                }
                for l in &v.locations {
                    let place = match l.loc {
                        Some(loc) => match loc.page {
                            Some(p) => {
                                format!("第 {} 行第 {} 列（第 {p} 页）", loc.line, loc.column)
                            }
                            None => format!("第 {} 行第 {} 列", loc.line, loc.column),
                        },
                        None => "位置不详".into(),
                    };
                    let what: Vec<&str> =
                        [&l.table, &l.section, &l.row, &l.column, &l.value, &l.text]
                            .into_iter()
                            .filter_map(|x| x.as_deref())
                            .collect();
                    println!("  {}：{place}  {}", l.role, what.join(" · "));
                }
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for d in diagnostics {
                eprintln!("{}", render_one(d, &args.expr));
            }
            ExitCode::from(FAILED)
        }
    }
}

/// One diagnostic with an excerpt of the expression (no colour unless stderr is a terminal).
fn render_one(d: Diagnostic, expr: &str) -> String {
    let message = d.message.clone();
    let report = miette::Report::new(d)
        .with_source_code(miette::NamedSource::new("表达式", expr.to_string()));
    let theme = if std::io::stderr().is_terminal() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    match miette::GraphicalReportHandler::new_themed(theme)
        .with_width(80)
        .render_report(&mut out, report.as_ref())
    {
        Ok(()) => out,
        Err(_) => format!("错误：{message}"),
    }
}
