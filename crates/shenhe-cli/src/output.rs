//! Writing a command's text to standard output.

use std::io::Write;
use std::process::ExitCode;

/// Writes `text` to standard output; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：无法写出结果：{e}");
            ExitCode::FAILURE
        }
    }
}
