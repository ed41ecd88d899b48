//! What each command does.

use std::path::Path;

use frontegg_identity_ureq::{
    Error, ListQuery, PhoneNumber, PhoneNumberId, PhoneNumberRecord, ProviderToken, SmsConfig, SmsTemplate,
    TemplateType, UserId,
};
use serde_json::{Value, json};

use crate::args::{
    Cli, Command, MfaCommand, PhonesCommand, SmsConfigCommand, SmsConfigFields, TemplatesCommand,
};
use crate::output::{Output, Progress, Table, count, json_line, opt, or_dash};
use crate::{Context, Failure, Io, client_from_env, exit, read_stdin_to_end};

/// Runs a parsed command line.
pub(crate) fn execute(cli: Cli, io: &mut Io<'_>) -> Result<u8, Failure> {
    let client = client_from_env(io, &cli)?;
    let out = Output {
        json: cli.global.json,
        show_numbers: cli.global.show_numbers,
    };
    let mut ctx = Context { io, out, client };
    match cli.command {
        Command::Phones(command) => phones(&mut ctx, command),
        Command::SmsConfig(command) => sms_config(&mut ctx, command),
        Command::SmsTemplates(command) => templates(&mut ctx, command),
        Command::Mfa(MfaCommand::Devices { user }) => mfa_devices(&mut ctx, &user),
    }?;
    Ok(exit::OK)
}

impl Context<'_, '_> {
    /// Prints a message for people on standard output, or a JSON line for scripts.
    fn done(&mut self, message: &str, value: &Value) -> Result<(), Failure> {
        if self.out.json {
            json_line(self.io.stdout, value)?;
        } else {
            writeln!(self.io.stdout, "{message}")?;
        }
        Ok(())
    }

    /// A note for people on standard error (not in JSON mode).
    fn note(&mut self, message: &str) -> Result<(), Failure> {
        if !self.out.json {
            writeln!(self.io.stderr, "{message}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- phones

const PHONE_HEADERS: &[&str] = &["ID", "USER", "NUMBER", "VERIFIED", "CREATED"];

fn phones(ctx: &mut Context<'_, '_>, command: PhonesCommand) -> Result<(), Failure> {
    match command {
        PhonesCommand::List {
            users,
            number,
            sort_by,
            order,
            page_size,
        } => {
            let mut query = ListQuery::new().limit(page_size);
            let users = users
                .into_iter()
                .map(UserId::new)
                .collect::<Result<Vec<_>, _>>()?;
            if !users.is_empty() {
                query = query.user_ids(users);
            }
            if let Some(number) = number {
                query = query.phone_number(parse_number(&number)?);
            }
            if let Some(field) = sort_by {
                query = query.sort_by(field.into());
            }
            if let Some(order) = order {
                query = query.order(order.into());
            }
            list_phones(ctx, &query, page_size)
        }
        PhonesCommand::Add { user, number } => add_phone(ctx, &user, &number),
        PhonesCommand::Delete {
            user,
            phone_id,
            confirm,
        } => {
            let user = UserId::new(user)?;
            let phone_id = PhoneNumberId::new(phone_id)?;
            ctx.confirm(
                confirm.yes,
                &format!("delete phone number {phone_id} of user {user}"),
            )?;
            ctx.client.phone_numbers().vendor_delete(&user, &phone_id)?;
            ctx.done(
                &format!("deleted phone number {phone_id} of user {user}"),
                &json!({"userId": user.as_str(), "phoneId": phone_id.as_str(), "deleted": true}),
            )
        }
    }
}

fn parse_number(number: &str) -> Result<PhoneNumber, Failure> {
    PhoneNumber::parse(number).map_err(|e| Failure::Sdk(Error::from(e)))
}

fn list_phones(ctx: &mut Context<'_, '_>, query: &ListQuery, page_size: u32) -> Result<(), Failure> {
    let page = usize::try_from(page_size).unwrap_or(usize::MAX);
    let mut printer = RecordPrinter::new(ctx.out, ctx.io.stderr_is_terminal);
    let mut batch = Vec::with_capacity(page.min(256));
    let mut failure = None;
    for record in ctx.client.phone_numbers().list_all(query) {
        match record {
            Ok(record) => batch.push(record),
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
        if batch.len() == page {
            printer.page(ctx.io, &mut batch)?;
            let fetched = count(printer.printed, "phone number");
            printer
                .progress
                .show(ctx.io.stderr, &format!("{fetched} so far, fetching more..."))?;
        }
    }
    printer.page(ctx.io, &mut batch)?;
    // What arrived before an error is printed; then the error is reported.
    if let Some(error) = failure {
        return Err(error.into());
    }
    let total = count(printer.printed, "phone number");
    ctx.note(&total)
}

/// Prints phone-number records a page at a time.
struct RecordPrinter {
    out: Output,
    table: Table,
    progress: Progress,
    printed: usize,
}

impl RecordPrinter {
    fn new(out: Output, terminal: bool) -> Self {
        Self {
            out,
            table: Table::new(PHONE_HEADERS),
            progress: Progress::new(terminal),
            printed: 0,
        }
    }

    /// Prints and empties `batch`.
    fn page(&mut self, io: &mut Io<'_>, batch: &mut Vec<PhoneNumberRecord>) -> Result<(), Failure> {
        self.progress.clear(io.stderr)?;
        self.printed += batch.len();
        if self.out.json {
            for record in batch.iter() {
                json_line(io.stdout, &self.record_json(record))?;
            }
        } else {
            let rows: Vec<Vec<String>> = batch.iter().map(|r| self.record_row(r)).collect();
            self.table.write(io.stdout, &rows)?;
        }
        io.stdout.flush()?;
        batch.clear();
        Ok(())
    }

    fn record_row(&self, record: &PhoneNumberRecord) -> Vec<String> {
        vec![
            or_dash(record.id.as_ref().map(PhoneNumberId::as_str)),
            or_dash(record.user_id.as_ref().map(UserId::as_str)),
            self.out.phone(record.phone_number.as_str()),
            if record.verified { "yes" } else { "no" }.to_owned(),
            or_dash(date(record).as_deref()),
        ]
    }

    fn record_json(&self, record: &PhoneNumberRecord) -> Value {
        json!({
            "id": opt(record.id.as_ref().map(PhoneNumberId::as_str)),
            "userId": opt(record.user_id.as_ref().map(UserId::as_str)),
            "phoneNumber": self.out.phone(record.phone_number.as_str()),
            "verified": record.verified,
            "createdAt": opt(date(record).as_deref()),
        })
    }
}

fn date(record: &PhoneNumberRecord) -> Option<String> {
    record
        .created_at
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn add_phone(ctx: &mut Context<'_, '_>, user: &str, number: &str) -> Result<(), Failure> {
    let user = UserId::new(user)?;
    let number = parse_number(number)?;
    ctx.client.phone_numbers().vendor_add(&user, &number)?;
    // Route 9 answers without the new record: look it up to show its id.
    let query = ListQuery::new()
        .user_ids([user.clone()])
        .phone_number(number.clone())
        .limit(1);
    let found = ctx
        .client
        .phone_numbers()
        .list(&query)
        .ok()
        .and_then(|page| page.items.into_iter().next());
    let mut batch = vec![found.unwrap_or_else(|| {
        let mut record = PhoneNumberRecord::default();
        record.user_id = Some(user);
        record.phone_number = number.into();
        record.verified = true;
        record
    })];
    RecordPrinter::new(ctx.out, false).page(ctx.io, &mut batch)
}

// ---------------------------------------------------------------- SMS configuration

fn sms_config(ctx: &mut Context<'_, '_>, command: SmsConfigCommand) -> Result<(), Failure> {
    match command {
        SmsConfigCommand::Show => match ctx.client.sms_settings().get()? {
            Some(config) => print_config(ctx, &config, false),
            None => Err(Failure::NotDone("no SMS configuration is set".to_owned())),
        },
        SmsConfigCommand::Set(fields) => set_config(ctx, fields),
        SmsConfigCommand::Delete { confirm } => {
            ctx.confirm(confirm.yes, "delete the SMS provider configuration")?;
            ctx.client.sms_settings().delete()?;
            ctx.done(
                "deleted the SMS provider configuration",
                &json!({"deleted": true}),
            )
        }
    }
}

fn set_config(ctx: &mut Context<'_, '_>, fields: SmsConfigFields) -> Result<(), Failure> {
    let mut config = SmsConfig::new();
    if fields.token_stdin {
        config.token = Some(ProviderToken::new(ctx.read_stdin_line("provider token")?)?);
    }
    config.sender_name = fields.sender_name;
    config.account_id = fields.account_id;
    config.service_id = fields.service_id;
    config.provider = fields.provider;
    config.channel = fields.channel;
    let saved = ctx.client.sms_settings().set(&config)?;
    print_config(ctx, &saved, config.token.is_some())
}

/// Prints a configuration; the token only as `set` or `unset` (`set` also
/// when it was just sent, as Frontegg may not echo it).
fn print_config(ctx: &mut Context<'_, '_>, config: &SmsConfig, token_sent: bool) -> Result<(), Failure> {
    let token = if token_sent || config.token.is_some() {
        "set"
    } else {
        "unset"
    };
    let fields = [
        ("senderName", "sender name", config.sender_name.as_deref()),
        ("accountId", "account id", config.account_id.as_deref()),
        ("serviceId", "service id", config.service_id.as_deref()),
        ("provider", "provider", config.provider.as_deref()),
        ("channel", "channel", config.channel.as_deref()),
        ("token", "token", Some(token)),
    ];
    if ctx.out.json {
        let object: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(key, _, value)| ((*key).to_owned(), opt(*value)))
            .collect();
        json_line(ctx.io.stdout, &Value::Object(object))?;
    } else {
        for (_, label, value) in fields {
            writeln!(ctx.io.stdout, "{label:<12} {}", or_dash(value))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- SMS templates

fn templates(ctx: &mut Context<'_, '_>, command: TemplatesCommand) -> Result<(), Failure> {
    let client = ctx.client.clone();
    let settings = client.sms_settings();
    match command {
        TemplatesCommand::List => {
            let templates = settings.templates()?;
            print_templates(ctx, &templates, "SMS template")
        }
        TemplatesCommand::Show { template_type } => {
            let kind = TemplateType::new(template_type)?;
            let found = settings.template(&kind)?;
            print_template(ctx, found, &format!("no SMS template of type {kind}"))
        }
        TemplatesCommand::Set { template_type, file } => {
            let kind = TemplateType::new(template_type)?;
            let template = read_template(ctx.io, &file)?;
            let saved = settings.set_template(&kind, &template)?;
            print_template(ctx, Some(saved), "")
        }
        TemplatesCommand::Delete {
            template_type,
            confirm,
        } => {
            let kind = TemplateType::new(template_type)?;
            ctx.confirm(confirm.yes, &format!("delete the SMS template of type {kind}"))?;
            settings.delete_template(&kind)?;
            ctx.done(
                &format!("deleted the SMS template of type {kind}"),
                &json!({"type": kind.as_str(), "deleted": true}),
            )
        }
        TemplatesCommand::Defaults { template_type: None } => {
            let defaults = settings.default_templates()?;
            print_templates(ctx, &defaults, "default SMS template")
        }
        TemplatesCommand::Defaults {
            template_type: Some(template_type),
        } => {
            let kind = TemplateType::new(template_type)?;
            let found = settings.default_template(&kind)?;
            print_template(ctx, found, &format!("no default SMS template of type {kind}"))
        }
    }
}

/// Reads a template: a file, or standard input for `-`.
fn read_template(io: &mut Io<'_>, file: &Path) -> Result<SmsTemplate, Failure> {
    let stdin = file == Path::new("-");
    let shown = if stdin {
        "on standard input".to_owned()
    } else {
        file.display().to_string()
    };
    let bytes = if stdin {
        read_stdin_to_end(io)
    } else {
        std::fs::read(file)
    }
    .map_err(|e| Failure::Usage(format!("cannot read the template {shown}: {e}")))?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Usage(format!("the template {shown} is not JSON: {e}")))?;
    Ok(SmsTemplate::new(value)?)
}

/// A template's fields other than `type`, as compact JSON.
fn template_fields(template: &SmsTemplate) -> String {
    let mut fields = template.as_object().clone();
    fields.remove("type");
    Value::Object(fields).to_string()
}

fn print_templates(ctx: &mut Context<'_, '_>, templates: &[SmsTemplate], what: &str) -> Result<(), Failure> {
    if ctx.out.json {
        for template in templates {
            json_line(ctx.io.stdout, &template.clone().into_value())?;
        }
        return Ok(());
    }
    let rows: Vec<Vec<String>> = templates
        .iter()
        .map(|t| vec![or_dash(t.template_type()), template_fields(t)])
        .collect();
    Table::new(&["TYPE", "TEMPLATE"]).write(ctx.io.stdout, &rows)?;
    ctx.note(&count(templates.len(), what))
}

/// Prints one template (pretty JSON for people), or fails with `missing`.
fn print_template(
    ctx: &mut Context<'_, '_>,
    template: Option<SmsTemplate>,
    missing: &str,
) -> Result<(), Failure> {
    let value = template
        .ok_or_else(|| Failure::NotDone(missing.to_owned()))?
        .into_value();
    if ctx.out.json {
        json_line(ctx.io.stdout, &value)?;
    } else {
        let pretty = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
        writeln!(ctx.io.stdout, "{pretty}")?;
    }
    Ok(())
}

// ---------------------------------------------------------------- MFA devices

fn mfa_devices(ctx: &mut Context<'_, '_>, user: &str) -> Result<(), Failure> {
    let user = UserId::new(user)?;
    let devices = ctx.client.mfa().list_devices(Some(&user))?;
    let out = ctx.out;
    let mut rows: Vec<(Vec<String>, Value)> = Vec::new();
    for phone in &devices.phones {
        let number = out.phone(phone.phone_number.as_str());
        let value = json!({"kind": "sms", "id": phone.id.as_str(), "phoneNumber": number});
        rows.push((vec!["sms".into(), phone.id.to_string(), number], value));
    }
    for key in &devices.webauthn {
        let detail = match (&key.name, &key.device_type) {
            (Some(name), Some(kind)) => format!("{name} ({kind})"),
            (name, kind) => or_dash(name.as_deref().or(kind.as_deref())),
        };
        let value = json!({"kind": "webauthn", "id": opt(key.id.as_deref()),
                           "name": opt(key.name.as_deref()), "deviceType": opt(key.device_type.as_deref())});
        rows.push((vec!["webauthn".into(), or_dash(key.id.as_deref()), detail], value));
    }
    for id in &devices.authenticators {
        let value = json!({"kind": "authenticator", "id": id});
        rows.push((vec!["authenticator".into(), id.clone(), "-".into()], value));
    }
    for email in &devices.emails {
        let address = out.email(&email.0);
        let value = json!({"kind": "email", "email": address});
        rows.push((vec!["email".into(), "-".into(), address], value));
    }
    if out.json {
        for (_, value) in &rows {
            json_line(ctx.io.stdout, value)?;
        }
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows.into_iter().map(|(row, _)| row).collect();
    Table::new(&["KIND", "ID", "DETAIL"]).write(ctx.io.stdout, &table)?;
    ctx.note(&format!("{} of user {user}", count(table.len(), "MFA device")))
}
