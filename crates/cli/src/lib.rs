//! `frontegg-identity`, the command-line tool of the frontegg-identity SDK:
//! an environment's phone numbers, SMS provider configuration, SMS templates
//! and users' MFA devices, over the blocking (ureq) client.
//!
//! The binary is a thin shell around [`run`], which takes the arguments and
//! an [`Io`] (standard streams, whether they are terminals, the environment),
//! so that the same code runs as the Rust binary, as the Python package's
//! console script ([`main_from_args`]) and in tests.
//!
//! Exit codes are the constants of [`exit`]; `frontegg-identity --help`
//! prints them.

use std::ffi::OsString;
use std::io::{self, BufRead, IsTerminal, Write};

use clap::Parser;
use frontegg_identity_ureq::{
    ClientBuilder, Credentials, EnvOverrides, Error, Route, UreqBuild, UreqClient, VendorSecret,
};

mod args;
mod commands;
mod output;

use args::Cli;
use output::Output;

/// The exit codes, as `frontegg-identity --help` documents them.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Nothing done: the confirmation was declined, what was asked for does
    /// not exist, or the output could not be written.
    pub const NOT_DONE: u8 = 1;
    /// Usage error: bad arguments (clap's own code), invalid input, or a
    /// destructive command without `--yes` when standard input is not a terminal.
    pub const USAGE: u8 = 2;
    /// Frontegg answered with an error; its error code and trace id are printed.
    pub const API: u8 = 3;
    /// Frontegg could not be reached, or did not answer in time.
    pub const CONNECTION: u8 = 4;
    /// Missing or invalid `FRONTEGG_*` variables or `--base-url`.
    pub const CONFIG: u8 = 5;
}

/// What a run reads and writes: the standard streams, whether standard input
/// and standard error are terminals, and the environment.
pub struct Io<'a> {
    /// Standard input: the API key (`--api-key-stdin`), the provider token
    /// (`--token-stdin`), a template (`--file -`) and confirmations, in that order.
    pub stdin: &'a mut dyn BufRead,
    /// Standard output: tables and JSON lines.
    pub stdout: &'a mut dyn Write,
    /// Standard error: errors, prompts, progress and summaries.
    pub stderr: &'a mut dyn Write,
    /// Whether standard input is a terminal: destructive commands ask for
    /// confirmation there, and refuse without `--yes` elsewhere.
    pub stdin_is_terminal: bool,
    /// Whether standard error is a terminal: listings show progress there.
    pub stderr_is_terminal: bool,
    /// Looks up an environment variable (`FRONTEGG_*`).
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// Runs the command line `args` (the program name first) and returns the
/// exit code (see [`exit`]).
///
/// ```
/// use frontegg_identity_cli::{Io, exit, run};
///
/// let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
/// let env = |_: &str| None; // no FRONTEGG_* variables
/// let mut io = Io {
///     stdin: &mut &b""[..],
///     stdout: &mut stdout,
///     stderr: &mut stderr,
///     stdin_is_terminal: false,
///     stderr_is_terminal: false,
///     env: &env,
/// };
/// assert_eq!(run(["frontegg-identity", "phones", "list"], &mut io), exit::CONFIG);
/// assert!(String::from_utf8(stderr).unwrap().contains("FRONTEGG_CLIENT_ID is not set"));
/// ```
pub fn run<I, T>(args: I, io: &mut Io<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => return print_clap_error(&error, io),
    };
    match commands::execute(cli, io) {
        Ok(code) => code,
        Err(failure) => failure.report(io.stderr),
    }
}

/// Runs the command line with the process's real standard streams and
/// environment; `argv` starts with the program name. For the Python
/// package's console script.
#[must_use]
pub fn main_from_args(argv: Vec<String>) -> i32 {
    i32::from(run_with_process_io(argv))
}

/// [`run`] with the process's real standard streams and environment.
pub fn run_with_process_io<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdin = io::stdin();
    let stdin_is_terminal = stdin.is_terminal();
    let stderr_is_terminal = io::stderr().is_terminal();
    let mut stdin = stdin.lock();
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let env = |name: &str| std::env::var(name).ok();
    let mut io = Io {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin_is_terminal,
        stderr_is_terminal,
        env: &env,
    };
    run(args, &mut io)
}

fn print_clap_error(error: &clap::Error, io: &mut Io<'_>) -> u8 {
    let text = error.render().to_string();
    let (stream, code) = if error.use_stderr() {
        (&mut *io.stderr, exit::USAGE)
    } else {
        (&mut *io.stdout, exit::OK)
    };
    // Nothing better to do if the help cannot be written.
    let _ = stream.write_all(text.as_bytes()).and_then(|()| stream.flush());
    code
}

/// Why a command stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A usage error, with what to do about it.
    Usage(String),
    /// Nothing was done (declined, or not found).
    NotDone(String),
    /// A configuration error.
    Config(String),
    /// The SDK's error.
    Sdk(Error),
    /// Writing the output failed.
    Output(io::Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self::Sdk(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Self::Output(error)
    }
}

impl Failure {
    /// Prints the failure on `stderr` and returns its exit code.
    fn report(self, stderr: &mut dyn Write) -> u8 {
        let (code, lines) = match self {
            Self::Usage(message) => (exit::USAGE, vec![format!("error: {message}")]),
            Self::NotDone(message) => (exit::NOT_DONE, vec![message]),
            Self::Config(message) => (exit::CONFIG, vec![format!("configuration error: {message}")]),
            // A closed pipe (`| head`) is how a reader says it has seen enough.
            Self::Output(error) if error.kind() == io::ErrorKind::BrokenPipe => (exit::OK, Vec::new()),
            Self::Output(error) => (
                exit::NOT_DONE,
                vec![format!("error: cannot write the output: {error}")],
            ),
            Self::Sdk(error) => sdk_error(&error),
        };
        for line in lines {
            // Standard error is the last resort: nothing to do if it fails.
            let _ = writeln!(stderr, "{line}");
        }
        let _ = stderr.flush();
        code
    }
}

/// The exit code and the lines printed for an SDK error.
fn sdk_error(error: &Error) -> (u8, Vec<String>) {
    match error {
        Error::InvalidPhoneNumber(_) | Error::InvalidInput(_) => {
            (exit::USAGE, vec![format!("error: {error}")])
        }
        Error::Configuration(_) | Error::Credentials { .. } => {
            (exit::CONFIG, vec![format!("error: {error}")])
        }
        Error::Transport(_) => {
            let mut first = format!("error: {error}");
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                first.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            let hint = "hint: check FRONTEGG_REGION, FRONTEGG_BASE_URL or --base-url, and the network";
            (exit::CONNECTION, vec![first, hint.to_owned()])
        }
        _ => {
            let mut lines = vec![match error.api_error() {
                Some(api) if api.messages.is_empty() => {
                    format!("error: Frontegg answered {} on {}", api.status, api.route)
                }
                Some(api) => format!(
                    "error: Frontegg answered {} on {}: {}",
                    api.status,
                    api.route,
                    api.messages.join("; ")
                ),
                None => format!("error: {error}"),
            }];
            if let Some(wait) = error.retry_after() {
                lines.push(format!("retry after: {:.0}s", wait.as_secs_f64().ceil()));
            }
            lines.push(format!("error code: {}", error.error_code().unwrap_or("none")));
            lines.push(format!("trace id: {}", error.trace_id().unwrap_or("none")));
            if error
                .api_error()
                .is_some_and(|api| api.route == Route::VendorAuth)
            {
                lines.push("hint: check FRONTEGG_CLIENT_ID and the API key".to_owned());
            }
            (exit::API, lines)
        }
    }
}

/// What every command needs: the streams, the output settings, the client.
pub(crate) struct Context<'io, 'a> {
    pub(crate) io: &'io mut Io<'a>,
    pub(crate) out: Output,
    pub(crate) client: UreqClient,
}

impl Context<'_, '_> {
    /// Reads one line of standard input, trimmed; `what` names it in errors.
    pub(crate) fn read_stdin_line(&mut self, what: &str) -> Result<String, Failure> {
        read_line(self.io, what)
    }

    /// Asks before a destructive `action` ("delete ..."): `--yes` skips the
    /// question; off a terminal, without `--yes`, the command is refused
    /// rather than left waiting for an answer.
    pub(crate) fn confirm(&mut self, yes: bool, action: &str) -> Result<(), Failure> {
        if yes {
            return Ok(());
        }
        if !self.io.stdin_is_terminal {
            return Err(Failure::Usage(format!(
                "refusing to {action}: standard input is not a terminal; pass --yes to confirm"
            )));
        }
        let mut question = action.to_owned();
        if let Some(first) = question.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        write!(self.io.stderr, "{question}? [y/N] ")?;
        self.io.stderr.flush()?;
        let mut answer = String::new();
        self.io
            .stdin
            .read_line(&mut answer)
            .map_err(|e| Failure::Usage(format!("cannot read the answer from standard input: {e}")))?;
        match answer.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => Ok(()),
            _ => Err(Failure::NotDone("aborted: nothing was changed".to_owned())),
        }
    }
}

/// Reads one line of standard input, trimmed; on a terminal it asks for it
/// first, so that nobody is left facing a silent wait.
fn read_line(io: &mut Io<'_>, what: &str) -> Result<String, Failure> {
    if io.stdin_is_terminal {
        write!(io.stderr, "{what}: ")?;
        io.stderr.flush()?;
    }
    let mut line = String::new();
    io.stdin
        .read_line(&mut line)
        .map_err(|e| Failure::Usage(format!("cannot read the {what} from standard input: {e}")))?;
    let line = line.trim();
    if line.is_empty() {
        return Err(Failure::Usage(format!(
            "the {what} was expected on standard input, which gave an empty line"
        )));
    }
    Ok(line.to_owned())
}

/// Builds the client from the environment with core's rules
/// (`ClientBuilder::from_lookup_with`: the same variables and precedence as
/// every other binding), `--base-url` layered over it, and the API key from
/// standard input with `--api-key-stdin`. Vendor credentials are required.
pub(crate) fn client_from_env(io: &mut Io<'_>, cli: &Cli) -> Result<UreqClient, Failure> {
    let config = |what: &'static str| move |e: Error| Failure::Config(format!("{what}: {e}"));
    let has = |io: &Io<'_>, name: &str| (io.env)(name).is_some_and(|v| !v.trim().is_empty());
    if !has(io, "FRONTEGG_CLIENT_ID") {
        return Err(Failure::Config(
            "FRONTEGG_CLIENT_ID is not set: the environment's client id is required".into(),
        ));
    }
    let mut explicit = EnvOverrides::default();
    explicit.base_url.clone_from(&cli.global.base_url);
    if cli.global.api_key_stdin {
        let secret = VendorSecret::new(read_line(io, "API key")?).map_err(config("the API key"))?;
        let client_id = (io.env)("FRONTEGG_CLIENT_ID").unwrap_or_default();
        explicit.credentials = Some(Credentials::Vendor { client_id, secret });
    } else if !has(io, "FRONTEGG_API_KEY") {
        return Err(Failure::Config(
            "FRONTEGG_API_KEY is not set (or pass --api-key-stdin and pipe the key)".into(),
        ));
    }
    let builder = ClientBuilder::from_lookup_with(|name| (io.env)(name), explicit)
        .map_err(|e| match e {
            Error::Configuration(message) => Failure::Config(message),
            other => Failure::Config(format!("the FRONTEGG_* variables: {other}")),
        })?
        .user_agent(concat!("frontegg-identity-cli/", env!("CARGO_PKG_VERSION")));
    builder.build().map_err(|e| match e {
        Error::Configuration(message) => Failure::Config(message),
        other => Failure::Sdk(other),
    })
}

/// Reads the whole of standard input (a template given as `--file -`).
pub(crate) fn read_stdin_to_end(io: &mut Io<'_>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io.stdin.read_to_end(&mut bytes)?;
    Ok(bytes)
}
