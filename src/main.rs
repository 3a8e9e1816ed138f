//! The `metroportal` binary: parses the command line and exits with the code the command
//! returns (0 success, 1 content errors, 2 usage or internal error).

use clap::Parser;

fn main() {
    let cli = match metroportal::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            std::process::exit(code);
        }
    };
    std::process::exit(metroportal::cli::run(cli));
}
