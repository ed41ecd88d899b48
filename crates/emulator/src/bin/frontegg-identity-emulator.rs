//! `frontegg-identity-emulator`: runs the emulator until Ctrl-C or SIGTERM
//! (the command line is [`frontegg_identity_emulator::main_from_args`]).

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = frontegg_identity_emulator::main_from_args(std::env::args_os());
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
