//! The `frontegg-identity` binary: see the library for what it does.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(frontegg_identity_cli::run_with_process_io(std::env::args_os()))
}
