//! The whole phone-number story, step by step.
//!
//! By default it starts the emulator in-process and reads SMS codes from its
//! outbox:
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With Frontegg credentials in the environment it runs against Frontegg and
//! asks for each SMS code on the terminal:
//!
//! - `FRONTEGG_USER_TOKEN` (a user's JWT) and `FRONTEGG_PHONE_NUMBER` (a phone
//!   you can read SMS on) for the self-service steps;
//! - `FRONTEGG_CLIENT_ID` and `FRONTEGG_API_KEY` (and `FRONTEGG_TENANT_ID`) for
//!   the vendor steps, with `FRONTEGG_USER_ID` naming the user to add a number to;
//! - `FRONTEGG_REGION` (`eu`, `us`, `ca`, `au`) or `FRONTEGG_BASE_URL`.

use std::error::Error as StdError;
use std::io::{BufRead, Write};

use frontegg_identity_emulator::{Emulator, EmulatorConfig};
use frontegg_identity_reqwest::{
    AccessToken, ClientBuilder, ListQuery, PhoneNumber, ReqwestBuild, ReqwestClient, SortBy, UserId,
    VendorSecret, VerificationCode,
};
use futures_util::TryStreamExt;

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// Where SMS codes come from.
enum Codes {
    Outbox(Emulator),
    Terminal,
}

impl Codes {
    fn code_for(&self, number: &PhoneNumber) -> Result<VerificationCode> {
        let code = match self {
            Self::Outbox(emulator) => {
                let code = emulator
                    .last_code(number.as_str())
                    .ok_or("no SMS in the emulator's outbox")?;
                println!(
                    "    (the emulator's outbox holds the SMS sent to {})",
                    number.masked()
                );
                code
            }
            Self::Terminal => {
                print!("    enter the code sent to {}: ", number.masked());
                std::io::stdout().flush()?;
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                line
            }
        };
        Ok(VerificationCode::parse(&code)?)
    }
}

struct Setup {
    user: Option<ReqwestClient>,
    vendor: Option<ReqwestClient>,
    numbers: [PhoneNumber; 2],
    vendor_user: UserId,
    page_size: u32,
    codes: Codes,
}

fn live() -> Result<Option<Setup>> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if var("FRONTEGG_USER_TOKEN").is_none() && var("FRONTEGG_CLIENT_ID").is_none() {
        return Ok(None);
    }
    let base = ClientBuilder::from_env()?;
    let user = match var("FRONTEGG_USER_TOKEN") {
        Some(token) => Some(base.clone().user_token(AccessToken::new(token)?).build()?),
        None => None,
    };
    let vendor = match (var("FRONTEGG_CLIENT_ID"), var("FRONTEGG_API_KEY")) {
        (Some(id), Some(key)) => Some(base.vendor_credentials(id, VendorSecret::new(key)?).build()?),
        _ => None,
    };
    let number = PhoneNumber::parse(&var("FRONTEGG_PHONE_NUMBER").unwrap_or_default())
        .map_err(|e| format!("FRONTEGG_PHONE_NUMBER: {e}"))?;
    Ok(Some(Setup {
        user,
        vendor,
        numbers: [number.clone(), number],
        vendor_user: UserId::new(var("FRONTEGG_USER_ID").unwrap_or_else(|| "unknown-user".into()))?,
        page_size: 100,
        codes: Codes::Terminal,
    }))
}

async fn emulated() -> Result<Setup> {
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    println!("emulator listening on {}", emulator.base_url());
    let token = emulator.mint_user_token("user-ada", Some("tenant-acme"));
    let (client_id, secret) = emulator.vendor_credentials();
    let base = ClientBuilder::new().base_url(emulator.base_url());
    let user = base.clone().user_token(AccessToken::new(token)?).build()?;
    let vendor = base
        .vendor_credentials(client_id, VendorSecret::new(secret)?)
        .build()?;
    Ok(Setup {
        user: Some(user),
        vendor: Some(vendor),
        numbers: [
            PhoneNumber::parse("+1 (415) 555-0100")?,
            PhoneNumber::parse("+44 20 7946 0958")?,
        ],
        vendor_user: UserId::new("user-grace")?,
        page_size: 1,
        codes: Codes::Outbox(emulator),
    })
}

#[tokio::main]
async fn main() -> Result<()> {
    let setup = match live()? {
        Some(setup) => {
            println!("running against Frontegg (credentials from the environment)");
            setup
        }
        None => emulated().await?,
    };
    let [first, second] = &setup.numbers;

    if let Some(user) = &setup.user {
        let phones = user.phone_numbers();

        println!("1. assign {} to the user, with an SMS code", first.masked());
        let otc = phones
            .assign(first, true)
            .await?
            .ok_or("Frontegg sent no otcToken")?;
        let code = setup.codes.code_for(first)?;
        phones.verify(&otc, &code).await?;
        println!("   verified");

        println!("2. pre-verify {} before assigning it", second.masked());
        let otc = phones.preverify(second).await?;
        let code = setup.codes.code_for(second)?;
        phones.verify(&otc, &code).await?;
        if second != first {
            phones.assign(second, false).await?;
            println!("   verified, then assigned without a second SMS");
        }

        println!("3. list my numbers");
        let mine = phones.list_mine().await?;
        for record in &mine {
            println!("   {} verified={}", record.phone_number.masked(), record.verified);
        }

        println!("4. delete {} with SMS confirmation", first.masked());
        let record = mine
            .iter()
            .find(|r| r.phone_number.as_str() == first.as_str())
            .and_then(|r| r.id.clone())
            .ok_or("the assigned number is not listed")?;
        let pending = phones.start_delete(&record).await?;
        let code = setup.codes.code_for(first)?;
        phones
            .confirm_delete(&pending.phone_id, &pending.otc_token, &code)
            .await?;
        println!("   deleted; {} number(s) left", phones.list_mine().await?.len());
    }

    if let Some(vendor) = &setup.vendor {
        let phones = vendor.phone_numbers();
        let extra = PhoneNumber::parse("+61 2 9374 4000")?;

        println!(
            "5. as the vendor, add a verified number for {}",
            setup.vendor_user
        );
        phones.vendor_add(&setup.vendor_user, &extra).await?;

        println!(
            "6. as the vendor, list every number, {} per page",
            setup.page_size
        );
        let query = ListQuery::new()
            .limit(setup.page_size)
            .sort_by(SortBy::PhoneNumber);
        let mut page = phones.list(&query).await?;
        loop {
            println!("   page {} of {}:", page.page + 1, page.total_pages);
            for record in &page.items {
                let user = record.user_id.as_ref().map_or("?", |u| u.as_str());
                println!(
                    "     {user}: {} verified={}",
                    record.phone_number.masked(),
                    record.verified
                );
            }
            if !page.has_next() {
                break;
            }
            page = phones.list(&query.clone().page(page.page + 1)).await?;
        }
        // Or let the SDK walk the pages:
        let all: Vec<_> = phones.list_all(&query).try_collect().await?;

        println!("7. as the vendor, delete the number added in step 5");
        let added = all
            .iter()
            .find(|r| r.phone_number.as_str() == extra.as_str())
            .and_then(|r| r.id.clone())
            .ok_or("the vendor-added number is not listed")?;
        phones.vendor_delete(&setup.vendor_user, &added).await?;
        println!("   deleted");
    }

    if let Codes::Outbox(emulator) = setup.codes {
        println!(
            "the emulator saw {} request(s); stopping it",
            emulator.requests().len()
        );
        emulator.shutdown().await;
    }
    println!("done");
    Ok(())
}
