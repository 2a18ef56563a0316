//! `shenhe`: the command line. A small dispatcher: each subcommand lives in `cmd/<name>.rs`
//! with its own `Args` and `run`.

mod cmd;
mod output;
mod rulefiles;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// shenhe（审核）：预决算公开文件审核工具。
#[derive(Debug, Parser)]
#[command(name = "shenhe", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 读取公开文件，输出文档模型（JSON 或便于人工核对的文本）
    Extract(cmd::extract::Args),
    /// 运行规则用例（带说明头的小文档），逐个报告通过与否；--bless 记录预期报告
    Test(cmd::test::Args),
    /// 列出规则，或显示一条规则的说明、原文和测试用例（shenhe rules show 编号）
    Rules(cmd::rules::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => cmd::extract::run(&args),
        Command::Test(args) => cmd::test::run(&args),
        Command::Rules(args) => cmd::rules::run(&args),
    }
}
