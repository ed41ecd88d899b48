//! The measured flow and its repetitions.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::sdk::{AsyncClient, BlockingClient, Token};
use crate::{BoxError, Common, Variant};

/// The user every request acts as.
const USER: &str = "bench-user";
/// The code the floor server accepts (it accepts anything).
const FLOOR_CODE: &str = "123456";
/// The emulator keeps the last 10 000 SMS.
const MAX_CALLS: usize = 10_000;
/// Numbers the user holds, so that `list_mine` answers five records.
const SEEDED: [&str; 5] = [
    "+442079460950",
    "+442079460951",
    "+442079460952",
    "+442079460953",
    "+442079460954",
];

/// Untimed control of the target: reset, seeding, SMS outbox.
struct Control {
    agent: ureq::Agent,
    base: String,
    floor: bool,
    token: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sms {
    phone_number: String,
    code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Minted {
    access_token: String,
}

impl Control {
    fn new(common: &Common) -> Result<Self, BoxError> {
        if common.calls > MAX_CALLS {
            return Err(format!("--calls is at most {MAX_CALLS} (the emulator's SMS outbox)").into());
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(true)
            .build()
            .new_agent();
        let base = common.base_url.trim_end_matches('/').to_owned();
        let token = if common.floor {
            "floor-user-token".to_owned()
        } else {
            let body = serde_json::to_vec(&serde_json::json!({ "userId": USER }))?;
            let mut response = agent
                .post(&format!("{base}/_emulator/tokens"))
                .header("content-type", "application/json")
                .send(&body[..])?;
            serde_json::from_slice::<Minted>(&response.body_mut().read_to_vec()?)?.access_token
        };
        Ok(Self {
            agent,
            base,
            floor: common.floor,
            token,
        })
    }

    /// Empties the emulator and gives the user five numbers.
    fn reset(&self) -> Result<(), BoxError> {
        if self.floor {
            return Ok(());
        }
        self.agent
            .post(&format!("{}/_emulator/reset", self.base))
            .send_empty()?;
        for number in SEEDED {
            self.agent
                .post(&format!(
                    "{}/identity/resources/users/phone-numbers/v1",
                    self.base
                ))
                .header("authorization", &format!("Bearer {}", self.token))
                .header("content-type", "application/json")
                .send(
                    &serde_json::to_vec(&serde_json::json!({ "phoneNumber": number, "verify": false }))?[..],
                )?;
        }
        Ok(())
    }

    /// The code sent to each of `numbers`, from the outbox in one request.
    fn codes(&self, numbers: &[String]) -> Result<Vec<String>, BoxError> {
        if self.floor {
            return Ok(vec![FLOOR_CODE.to_owned(); numbers.len()]);
        }
        let body = self
            .agent
            .get(&format!("{}/_emulator/sms", self.base))
            .call()?
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()?;
        let sms: Vec<Sms> = serde_json::from_slice(&body)?;
        let by_number: HashMap<String, String> = sms.into_iter().map(|s| (s.phone_number, s.code)).collect();
        numbers
            .iter()
            .map(|n| {
                by_number
                    .get(n)
                    .cloned()
                    .ok_or_else(|| BoxError::from(format!("no SMS for {n}")))
            })
            .collect()
    }
}

/// Distinct numbers, as a user would type them.
fn numbers(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("+1415{:07}", i % 10_000_000)).collect()
}

#[derive(Debug, Default, Clone, Copy)]
struct Timings {
    preverify: Duration,
    verify: Duration,
    list_mine: Duration,
    /// The process's CPU time (user + system, all threads) over the three
    /// timed phases, and over `list_mine` alone.
    cpu: Duration,
    list_mine_cpu: Duration,
}

impl Timings {
    /// From each phase's (wall, CPU) times.
    fn new(
        preverify: (Duration, Duration),
        verify: (Duration, Duration),
        list_mine: (Duration, Duration),
    ) -> Self {
        Self {
            preverify: preverify.0,
            verify: verify.0,
            list_mine: list_mine.0,
            cpu: preverify.1 + verify.1 + list_mine.1,
            list_mine_cpu: list_mine.1,
        }
    }
}

/// The CPU time this process has used so far: user + system, all threads
/// (`CLOCK_PROCESS_CPUTIME_ID`, what `getrusage(RUSAGE_SELF)` adds up, at
/// nanosecond resolution).
#[cfg(unix)]
pub(crate) fn process_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

/// Not measured off Unix.
#[cfg(not(unix))]
pub(crate) fn process_cpu() -> Duration {
    Duration::ZERO
}

#[allow(clippy::cast_precision_loss)]
fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

fn report(bench: &str, common: &Common, variant: Variant, parallelism: usize, rep: usize, t: Timings) {
    let n = common.calls;
    let total = t.preverify + t.verify + t.list_mine;
    let line = serde_json::json!({
        "bench": bench,
        "label": common.label,
        "variant": variant.name(),
        "parallelism": parallelism,
        "floor": common.floor,
        "calls": n,
        "rep": rep,
        "seconds": total.as_secs_f64(),
        "calls_per_s": rate(n, total),
        "requests_per_s": rate(3 * n, total),
        "preverify_per_s": rate(n, t.preverify),
        "verify_per_s": rate(n, t.verify),
        "list_mine_per_s": rate(n, t.list_mine),
        "cpu_us_per_call": per_call_us(n, t.cpu),
        "list_mine_cpu_us": per_call_us(n, t.list_mine_cpu),
    });
    println!("{line}");
}

#[allow(clippy::cast_precision_loss)]
fn per_call_us(n: usize, d: Duration) -> f64 {
    d.as_secs_f64() * 1e6 / n.max(1) as f64
}

/// Warm-up calls per variant before the first repetition (not reported).
fn warmup_calls(common: &Common) -> usize {
    common.calls.min(200)
}

// ------------------------------------------------------------------ async

async fn phase<T, F, Fut>(
    n: usize,
    concurrency: usize,
    f: F,
) -> Result<(Vec<T>, (Duration, Duration)), BoxError>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, BoxError>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let (start, cpu) = (Instant::now(), process_cpu());
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let f = f.clone();
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                out.push((i, f(i).await?));
            }
            Ok::<_, BoxError>(out)
        }));
    }
    let mut all = Vec::with_capacity(n);
    for task in tasks {
        all.extend(task.await??);
    }
    let elapsed = (start.elapsed(), process_cpu().saturating_sub(cpu));
    all.sort_unstable_by_key(|(i, _)| *i);
    Ok((all.into_iter().map(|(_, t)| t).collect(), elapsed))
}

async fn async_rep(
    control: &Control,
    client: &AsyncClient,
    numbers: &Arc<Vec<String>>,
    concurrency: usize,
) -> Result<Timings, BoxError> {
    let n = numbers.len();
    control.reset()?;
    let (c, nums) = (client.clone(), Arc::clone(numbers));
    let (tokens, preverify) = phase(n, concurrency, move |i| {
        let (c, nums) = (c.clone(), Arc::clone(&nums));
        async move { c.preverify(&nums[i]).await }
    })
    .await?;
    let codes = Arc::new(control.codes(numbers)?);
    let tokens: Arc<Vec<Token>> = Arc::new(tokens);
    let c = client.clone();
    let (_, verify) = phase(n, concurrency, move |i| {
        let (c, tokens, codes) = (c.clone(), Arc::clone(&tokens), Arc::clone(&codes));
        async move { c.verify(&tokens[i], &codes[i]).await }
    })
    .await?;
    let c = client.clone();
    let floor = control.floor;
    let (counts, list_mine) = phase(n, concurrency, move |_| {
        let c = c.clone();
        async move { c.list_mine().await }
    })
    .await?;
    if !floor && counts.iter().any(|&k| k != SEEDED.len()) {
        return Err("list_mine did not return the five seeded numbers".into());
    }
    Ok(Timings::new(preverify, verify, list_mine))
}

/// One client per variant asked for, in the order asked.
fn clients<C>(
    common: &Common,
    make: impl Fn(Variant) -> Result<C, BoxError>,
) -> Result<Vec<(Variant, C)>, BoxError> {
    common.variants.iter().map(|&v| Ok((v, make(v)?))).collect()
}

/// Runs the async comparison.
pub(crate) fn run_async(common: &Common, concurrency: usize) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let control = Control::new(common)?;
    runtime.block_on(async {
        let clients = clients(common, |v| match v {
            Variant::Sdk => AsyncClient::sdk(&control.base, &control.token),
            Variant::SdkHyper => AsyncClient::sdk_hyper(&control.base, &control.token),
            Variant::Raw => AsyncClient::raw(&control.base, &control.token),
            Variant::Hyper => AsyncClient::hyper(&control.base, &control.token),
        })?;
        let warm = Arc::new(numbers(warmup_calls(common)));
        for (_, client) in &clients {
            async_rep(&control, client, &warm, concurrency).await?;
        }
        let nums = Arc::new(numbers(common.calls));
        for rep in 0..common.reps {
            for (variant, client) in &clients {
                let t = async_rep(&control, client, &nums, concurrency).await?;
                report("async", common, *variant, concurrency, rep, t);
            }
        }
        Ok(())
    })
}

// ------------------------------------------------------------------ blocking

fn blocking_phase<T, F>(n: usize, threads: usize, f: F) -> Result<(Vec<T>, (Duration, Duration)), BoxError>
where
    T: Send,
    F: Fn(usize) -> Result<T, BoxError> + Sync,
{
    let next = AtomicUsize::new(0);
    let (start, cpu) = (Instant::now(), process_cpu());
    let results: Vec<Result<Vec<(usize, T)>, BoxError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        out.push((i, f(i)?));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a thread panicked".into())))
            .collect()
    });
    let elapsed = (start.elapsed(), process_cpu().saturating_sub(cpu));
    let mut all = Vec::with_capacity(n);
    for r in results {
        all.extend(r?);
    }
    all.sort_unstable_by_key(|(i, _)| *i);
    Ok((all.into_iter().map(|(_, t)| t).collect(), elapsed))
}

fn blocking_rep(
    control: &Control,
    client: &BlockingClient,
    numbers: &[String],
    threads: usize,
) -> Result<Timings, BoxError> {
    let n = numbers.len();
    control.reset()?;
    let (tokens, preverify) = blocking_phase(n, threads, |i| client.preverify(&numbers[i]))?;
    let codes = control.codes(numbers)?;
    let (_, verify) = blocking_phase(n, threads, |i| client.verify(&tokens[i], &codes[i]))?;
    let (counts, list_mine) = blocking_phase(n, threads, |_| client.list_mine())?;
    if !control.floor && counts.iter().any(|&k| k != SEEDED.len()) {
        return Err("list_mine did not return the five seeded numbers".into());
    }
    Ok(Timings::new(preverify, verify, list_mine))
}

/// Runs the blocking comparison.
pub(crate) fn run_blocking(common: &Common, threads: usize) -> Result<(), BoxError> {
    let control = Control::new(common)?;
    let clients = clients(common, |v| match v {
        Variant::Sdk => BlockingClient::sdk(&control.base, &control.token),
        Variant::Raw => Ok(BlockingClient::raw(&control.base, &control.token)),
        Variant::Hyper | Variant::SdkHyper => Err("the hyper variants are async only".into()),
    })?;
    let warm = numbers(warmup_calls(common));
    for (_, client) in &clients {
        blocking_rep(&control, client, &warm, threads)?;
    }
    let nums = numbers(common.calls);
    for rep in 0..common.reps {
        for (variant, client) in &clients {
            let t = blocking_rep(&control, client, &nums, threads)?;
            report("blocking", common, *variant, threads, rep, t);
        }
    }
    Ok(())
}
