//! The command line: every command, flag and help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use frontegg_identity_ureq::{SortBy, SortOrder};

/// An `after_help` of `Examples:` and these `frontegg-identity` command lines.
macro_rules! examples {
    ($($line:literal),+ $(,)?) => {
        concat!("Examples:", $("\n  frontegg-identity ", $line),+)
    };
}

const ABOUT: &str = "Manage Frontegg phone numbers, SMS settings and MFA devices from the command line";

const LONG_ABOUT: &str = "\
Manage an environment's phone numbers, SMS provider configuration, SMS
templates and users' MFA devices through Frontegg's management (vendor) API.

Credentials come only from the environment, never from an argument that would
land in shell history:

  FRONTEGG_CLIENT_ID    the environment's client id (required)
  FRONTEGG_API_KEY      its API key (required, unless --api-key-stdin)
  FRONTEGG_REGION       eu (default), us, ca or au
  FRONTEGG_BASE_URL     a gateway root instead of the region's (staging, a proxy,
                        the emulator); --base-url overrides it
  FRONTEGG_TENANT_ID    sent as frontegg-tenant-id
  FRONTEGG_USER_ID      sent as frontegg-user-id

Phone numbers are personal data: every output masks them (+*********00) unless
--show-numbers is given.";

const AFTER_HELP: &str = "\
Examples:
  export FRONTEGG_CLIENT_ID=... FRONTEGG_API_KEY=...
  frontegg-identity phones list --user USER_ID
  frontegg-identity phones list --json --show-numbers > numbers.jsonl
  printf '%s\\n' \"$API_KEY\" | frontegg-identity --api-key-stdin sms-config show
  frontegg-identity sms-templates set OTC --file otc.json

Exit codes:
  0  success
  1  nothing done: the confirmation was declined, what was asked for does not
     exist, or the output could not be written
  2  usage error: bad arguments, invalid input, or a destructive command without
     --yes when standard input is not a terminal
  3  Frontegg answered with an error (its error code and trace id are printed)
  4  connection failure: Frontegg could not be reached, or did not answer in time
  5  configuration error: missing or invalid FRONTEGG_* variables or --base-url";

/// The help heading of the flags every command takes.
const GLOBAL: &str = "Global options";

/// The `frontegg-identity` command line.
#[derive(Debug, Parser)]
#[command(
    name = "frontegg-identity",
    bin_name = "frontegg-identity",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    propagate_version = true,
    disable_help_subcommand = true,
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Gateway root to call instead of the region's (overrides FRONTEGG_BASE_URL)
    #[arg(long, global = true, value_name = "URL", help_heading = GLOBAL)]
    pub(crate) base_url: Option<String>,

    /// Read the API key from the first line of standard input instead of FRONTEGG_API_KEY
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) api_key_stdin: bool,

    /// Print JSON lines (one object per line) instead of a table
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) json: bool,

    /// Show phone numbers and e-mail addresses in full instead of masked
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) show_numbers: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Find, add and remove users' phone numbers
    #[command(
        subcommand,
        long_about = "\
Find, add and remove users' phone numbers with vendor credentials (routes 7, 9
and 10). Numbers added here are stored as verified: no SMS is sent.",
        after_help = examples!(
            "phones list",
            "phones list --user USER_ID --json",
            "phones add USER_ID +14155550100",
            "phones delete USER_ID PHONE_ID --yes",
        )
    )]
    Phones(PhonesCommand),

    /// Show, set or delete the SMS provider configuration
    #[command(
        subcommand,
        name = "sms-config",
        long_about = "\
Show, set or delete the environment's SMS provider configuration (routes 23 to
25). The provider token is a secret: it is read only from standard input
(--token-stdin) and never printed; outputs say `token: set` or `token: unset`.",
        after_help = "\
Examples:
  frontegg-identity sms-config show
  printf '%s\\n' \"$TWILIO_TOKEN\" | frontegg-identity sms-config set \\
      --provider twilio --account-id AC123 --service-id MG456 --token-stdin
  frontegg-identity sms-config delete --yes"
    )]
    SmsConfig(SmsConfigCommand),

    /// List, show, set or delete SMS templates
    #[command(
        subcommand,
        name = "sms-templates",
        long_about = "\
List, show, set or delete the environment's SMS templates, and show Frontegg's
defaults (routes 26 to 31). A template is a JSON object whose fields Frontegg
does not publish; its `type` is a free string.",
        after_help = examples!(
            "sms-templates list",
            "sms-templates show OTC",
            "sms-templates set OTC --file otc.json",
            "sms-templates defaults",
            "sms-templates delete OTC --yes",
        )
    )]
    SmsTemplates(TemplatesCommand),

    /// Inspect users' MFA devices
    #[command(
        subcommand,
        long_about = "Inspect users' multi-factor authentication devices with vendor credentials.",
        after_help = examples!("mfa devices USER_ID", "mfa devices USER_ID --json")
    )]
    Mfa(MfaCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum PhonesCommand {
    /// List phone numbers, every page, streamed as pages arrive
    #[command(
        long_about = "\
List the environment's phone numbers (route 7), optionally only some users' or
one number. Every page is fetched and printed as it arrives; on a terminal a
progress count is shown on standard error once the listing is longer than a
page. The table masks numbers unless --show-numbers is given.",
        after_help = examples!(
            "phones list",
            "phones list --user USER_A --user USER_B",
            "phones list --number '+1 415 555 0100' --show-numbers",
            "phones list --sort-by phone-number --order desc",
            "phones list --json | jq -r .userId",
        )
    )]
    List {
        /// Only this user's numbers (repeat for several users)
        #[arg(long = "user", value_name = "USER_ID")]
        users: Vec<String>,
        /// Only this phone number (international format)
        #[arg(long, value_name = "NUMBER")]
        number: Option<String>,
        /// Sort by this field (Frontegg's default order otherwise)
        #[arg(long, value_enum, value_name = "FIELD")]
        sort_by: Option<SortField>,
        /// Sort order
        #[arg(long, value_enum, value_name = "ORDER")]
        order: Option<Order>,
        /// Records fetched per request, 1 to 250
        #[arg(long, value_name = "N", default_value_t = 100,
              value_parser = clap::value_parser!(u32).range(1..=250))]
        page_size: u32,
    },

    /// Add an already verified phone number to a user
    #[command(
        long_about = "\
Add a phone number to a user as already verified (route 9): no SMS is sent.
The number must be in international format (+ and the country code); it is
normalised to E.164 before anything is sent. The new record is printed.",
        after_help = examples!(
            "phones add USER_ID +14155550100",
            "phones add USER_ID '+44 20 7946 0958' --json",
        )
    )]
    Add {
        /// The user's id
        user: String,
        /// The phone number, in international format
        number: String,
    },

    /// Remove a phone number from a user, without a code
    #[command(
        long_about = "\
Remove a phone number from a user without an SMS code (route 10). Asks for
confirmation on a terminal; with standard input not a terminal it refuses
unless --yes is given.",
        after_help = examples!("phones delete USER_ID PHONE_ID", "phones delete USER_ID PHONE_ID --yes")
    )]
    Delete {
        /// The user's id
        user: String,
        /// The phone-number record's id (see `phones list`)
        phone_id: String,
        #[command(flatten)]
        confirm: Confirm,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SmsConfigCommand {
    /// Show the SMS provider configuration
    #[command(
        long_about = "\
Show the SMS provider configuration (route 23). Exits with 1 when none is set.
The provider token is never printed: `token: set` or `token: unset` (Frontegg
may not return a stored token, so `unset` can also mean `not shown`).",
        after_help = examples!("sms-config show", "sms-config show --json")
    )]
    Show,

    /// Create or replace the SMS provider configuration
    #[command(
        long_about = "\
Create or replace the SMS provider configuration (route 24). The whole
configuration is replaced: fields not given are cleared. The provider token is
read from standard input with --token-stdin (after the API key's line when
--api-key-stdin is given too); there is no flag that takes it.",
        after_help = "\
Examples:
  frontegg-identity sms-config set --sender-name Acme --provider twilio
  printf '%s\\n' \"$TWILIO_TOKEN\" | frontegg-identity sms-config set \\
      --provider twilio --account-id AC123 --service-id MG456 --token-stdin"
    )]
    Set(SmsConfigFields),

    /// Delete the SMS provider configuration
    #[command(
        long_about = "\
Delete the SMS provider configuration (route 25). Asks for confirmation on a
terminal; with standard input not a terminal it refuses unless --yes is given.",
        after_help = examples!("sms-config delete", "sms-config delete --yes")
    )]
    Delete {
        #[command(flatten)]
        confirm: Confirm,
    },
}

/// The fields of `sms-config set`.
#[derive(Debug, Args)]
#[group(id = "fields", required = true, multiple = true)]
pub(crate) struct SmsConfigFields {
    /// Alphanumeric sender name, where the provider supports one
    #[arg(long, value_name = "NAME")]
    pub(crate) sender_name: Option<String>,
    /// The provider account id
    #[arg(long, value_name = "ID")]
    pub(crate) account_id: Option<String>,
    /// The provider's service id
    #[arg(long, value_name = "ID")]
    pub(crate) service_id: Option<String>,
    /// The SMS provider (a free string)
    #[arg(long, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// The channel (a free string)
    #[arg(long, value_name = "NAME")]
    pub(crate) channel: Option<String>,
    /// Read the provider token from a line of standard input
    #[arg(long)]
    pub(crate) token_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TemplatesCommand {
    /// List the environment's SMS templates
    #[command(
        long_about = "List the environment's custom SMS templates (route 26).",
        after_help = examples!("sms-templates list", "sms-templates list --json")
    )]
    List,

    /// Show the SMS template of one type
    #[command(
        long_about = "\
Show the environment's SMS template of one type (route 27), as JSON. Exits
with 1 when there is none.",
        after_help = examples!("sms-templates show OTC")
    )]
    Show {
        /// The template type
        #[arg(value_name = "TYPE")]
        template_type: String,
    },

    /// Create or replace the SMS template of one type
    #[command(
        long_about = "\
Create or replace the SMS template of one type (route 28) from a file holding
one JSON object (`-` reads it from standard input, after any line that
--api-key-stdin reads). Its `type` is taken from TYPE.",
        after_help = "\
Examples:
  frontegg-identity sms-templates set OTC --file otc.json
  echo '{\"body\": \"Your code is {{code}}\"}' | frontegg-identity sms-templates set OTC --file -"
    )]
    Set {
        /// The template type
        #[arg(value_name = "TYPE")]
        template_type: String,
        /// A file holding the template as a JSON object, or `-` for standard input
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },

    /// Delete the SMS template of one type
    #[command(
        long_about = "\
Delete the SMS template of one type (route 29); Frontegg's default applies
again. Asks for confirmation on a terminal; with standard input not a terminal
it refuses unless --yes is given.",
        after_help = examples!("sms-templates delete OTC --yes")
    )]
    Delete {
        /// The template type
        #[arg(value_name = "TYPE")]
        template_type: String,
        #[command(flatten)]
        confirm: Confirm,
    },

    /// Show Frontegg's default SMS templates, or the default of one type
    #[command(
        long_about = "\
Show Frontegg's default SMS templates (route 31), or with TYPE the default of
that type (route 30; exits with 1 when there is none).",
        after_help = examples!("sms-templates defaults", "sms-templates defaults OTC")
    )]
    Defaults {
        /// Only the default of this type
        #[arg(value_name = "TYPE")]
        template_type: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MfaCommand {
    /// List a user's MFA devices (unstable: an undocumented Frontegg route)
    #[command(
        long_about = "\
List a user's MFA devices: SMS phones, WebAuthn keys, authenticator apps and
e-mail factors (route 32, with vendor credentials and frontegg-user-id).

UNSTABLE: Frontegg does not publish this route; it may change or disappear.",
        after_help = examples!("mfa devices USER_ID", "mfa devices USER_ID --json --show-numbers")
    )]
    Devices {
        /// The user's id
        user: String,
    },
}

/// The confirmation flag of destructive commands.
#[derive(Debug, Args)]
pub(crate) struct Confirm {
    /// Do not ask for confirmation (required when standard input is not a terminal)
    #[arg(long, short = 'y')]
    pub(crate) yes: bool,
}

/// What `phones list --sort-by` takes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SortField {
    /// By user id
    UserId,
    /// By phone number
    PhoneNumber,
}

impl From<SortField> for SortBy {
    fn from(field: SortField) -> Self {
        match field {
            SortField::UserId => Self::UserId,
            SortField::PhoneNumber => Self::PhoneNumber,
        }
    }
}

/// What `phones list --order` takes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Order {
    /// Ascending
    Asc,
    /// Descending
    Desc,
}

impl From<Order> for SortOrder {
    fn from(order: Order) -> Self {
        match order {
            Order::Asc => Self::Asc,
            Order::Desc => Self::Desc,
        }
    }
}
