//! `shenhe`: the command line. A small dispatcher: each subcommand lives in `cmd/<name>.rs`
//! with its own `Args` and `run`.

mod cmd;
mod inputs;
mod load;
mod output;
mod pool;
mod rulefiles;

use std::process::ExitCode;

/// mimalloc as the allocator of the binary (not of the library crates): a batch allocates and
/// frees tens of thousands of small blocks per document across worker threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// 计算一个表达式在文件上的值，例如 shenhe eval 文件.txt 'sum(表三.基本支出) == 表七.总计'
    Eval(cmd::eval::Args),
    /// 用规则审核一个或多个文件（默认用内置规则包）
    Check(cmd::check::Args),
    /// 运行规则用例（带说明头的小文档），逐个报告通过与否；--bless 记录预期报告
    Test(cmd::test::Args),
    /// 列出规则，或显示一条规则的说明、原文和测试用例（shenhe rules show 编号）
    Rules(cmd::rules::Args),
    /// 变异测试：逐一改动文件中的每个数，看规则能否发现，列出没有规则检查的数
    Mutate(cmd::mutate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => cmd::extract::run(&args),
        Command::Eval(args) => cmd::eval::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Test(args) => cmd::test::run(&args),
        Command::Rules(args) => cmd::rules::run(&args),
        Command::Mutate(args) => cmd::mutate::run(&args),
    }
}
