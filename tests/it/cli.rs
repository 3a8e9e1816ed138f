//! CLI transcripts (trycmd): `tests/cmd/*.md` hold `metroportal` command lines with their exact
//! output and exit code: the help of every command, the version, and the usage errors of each
//! command (unknown flag, missing or extra argument, bad value, unknown command, unknown kind).
//! Only commands that touch no files belong there, so a transcript is the same on any machine.
//!
//! To accept a reviewed change of the output, run
//! `TRYCMD=overwrite cargo test --test it cli::` and commit the diff of `tests/cmd/`.

use std::path::PathBuf;

#[test]
fn cli_transcripts_match() {
    trycmd::TestCases::new()
        .register_bin("metroportal", PathBuf::from(env!("CARGO_BIN_EXE_metroportal")))
        // Help wraps at the terminal's width, which clap reads from COLUMNS when the output is
        // not a terminal; no colours whatever the developer's terminal asks for.
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        // `build --help` and `check --help` show this variable's value: empty, as when unset.
        .env("METROPORTAL_BASE_URL", "")
        .case("tests/cmd/*.md");
}
