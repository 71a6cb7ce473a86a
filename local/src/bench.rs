//! `local bench`: a load driver. N concurrent callers each place calls through the local
//! stack's Twilio webhooks (signed, as Twilio sends them) and the driver reports per-turn
//! latency percentiles, turns per second, errors, and the DynamoDB requests `call-turn`
//! sent per turn, counted by the SDK interceptor (`aws_usage`). Calls are a mix of the
//! three common kinds: a booking, a question, and a message for the owner.
//!
//! With `flood`, that many more callers dial another tenant's number over and over for
//! the whole run (dial, then hang up, as a robocaller does), so the figures show what an
//! abusive tenant's traffic does to the measured tenant's callers.

use crate::{phone, Stack};
use anyhow::Result;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    /// Concurrent callers.
    pub callers: usize,
    /// Calls each caller places, one after another.
    pub calls_per_caller: usize,
    /// Concurrent flooding callers on the other tenant's number (0: none).
    pub flood: usize,
    /// Keep calling until this long has passed (a soak), instead of `calls_per_caller`.
    pub duration: Option<Duration>,
}

/// The figures of one run.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub callers: usize,
    pub calls: usize,
    pub turns: usize,
    pub errors: usize,
    /// Calls that ended before the caller's last line: turned away by a limit, or the
    /// graceful fallback. The figures only measure the call path when this is 0.
    pub cut_short: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub turns_per_s: f64,
    /// DynamoDB requests `call-turn` sent, per turn.
    pub call_turn_ddb_per_turn: f64,
    /// DynamoDB requests of every function (call-turn, twilio-status, fanout, notify), per turn.
    pub all_ddb_per_turn: f64,
    /// Flood calls placed on the other tenant, and how many its call limit turned away.
    pub flood_calls: usize,
    pub flood_turned_away: usize,
    /// CPU the Frontline process spent per turn over the run, milliseconds (the load
    /// driver's thread taken out), and the part of it its background pollers spend anyway
    /// (its idle rate over the same wall time).
    pub app_cpu_ms_per_turn: f64,
    /// CPU of the load driver's own thread per turn (in the same process), ms.
    pub driver_cpu_ms_per_turn: Option<f64>,
    pub app_idle_cpu_ms_per_turn: f64,
    /// The same for the storage emulator (moto), when this stack started it.
    pub emulator_cpu_ms_per_turn: Option<f64>,
    pub emulator_idle_cpu_ms_per_turn: Option<f64>,
    /// Peak resident memory (VmHWM), MiB.
    pub app_peak_rss_mib: f64,
    pub emulator_peak_rss_mib: Option<f64>,
    /// What the run lost (checked after it).
    pub losses: Losses,
}

/// What a run lost: calls left without an outcome, texts Twilio was asked to send more
/// than once, and messages left in a dead-letter queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Losses {
    pub calls: usize,
    pub unfinished_calls: usize,
    pub texts: usize,
    pub duplicate_texts: usize,
    pub dead_letters: usize,
}

impl Losses {
    pub fn nothing_lost(&self) -> bool {
        self.unfinished_calls == 0 && self.duplicate_texts == 0 && self.dead_letters == 0
    }
}

impl std::fmt::Display for Losses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} calls without an outcome, {} of {} texts sent twice, {} dead letters",
            self.unfinished_calls, self.calls, self.duplicate_texts, self.texts, self.dead_letters
        )
    }
}

impl std::fmt::Display for BenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} callers, {} calls, {} turns, {} errors, {} cut short: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.0} turns/s; DynamoDB requests per turn: call-turn {:.2}, all functions {:.2}",
            self.callers,
            self.calls,
            self.turns,
            self.errors,
            self.cut_short,
            self.p50_ms,
            self.p95_ms,
            self.p99_ms,
            self.max_ms,
            self.turns_per_s,
            self.call_turn_ddb_per_turn,
            self.all_ddb_per_turn
        )?;
        write!(
            f,
            "; CPU per turn: Frontline {:.2} ms ({:.2} ms of it idle pollers)",
            self.app_cpu_ms_per_turn, self.app_idle_cpu_ms_per_turn
        )?;
        if let Some(d) = self.driver_cpu_ms_per_turn {
            write!(f, ", load driver {d:.2} ms (not counted)")?;
        }
        if let (Some(e), Some(i)) = (
            self.emulator_cpu_ms_per_turn,
            self.emulator_idle_cpu_ms_per_turn,
        ) {
            write!(f, ", emulator {e:.2} ms ({i:.2} ms idle)")?;
        }
        write!(f, "; peak RSS: Frontline {:.0} MiB", self.app_peak_rss_mib)?;
        if let Some(m) = self.emulator_peak_rss_mib {
            write!(f, ", emulator {m:.0} MiB")?;
        }
        write!(f, "; lost: {}", self.losses)?;
        if self.flood_calls > 0 {
            write!(
                f,
                "; flood on the other tenant: {} calls, {} turned away (its DynamoDB requests are in the per-turn figures)",
                self.flood_calls, self.flood_turned_away
            )?;
        }
        Ok(())
    }
}

/// The caller's lines for call `n`: a booking, a question, or a message, in turn.
fn script(n: usize) -> &'static [&'static str] {
    const BOOKING: &[&str] = &[
        "hi my kitchen faucet is leaking",
        "jane doe",
        "123 main street merriam",
        "next week any morning",
        "yes",
    ];
    const QUESTION: &[&str] = &["what are your hours", "no that's all thanks"];
    const MESSAGE: &[&str] = &[
        "can you have mike call me back about a quote for a new water heater",
        "bob smith",
        "no that's it",
    ];
    match n % 3 {
        0 => BOOKING,
        1 => QUESTION,
        _ => MESSAGE,
    }
}

/// CPU seconds (user + system) process `pid` has used, from `/proc/<pid>/stat` (fields 14
/// and 15, in clock ticks of `USER_HZ`, which Linux fixes at 100 for this interface; see
/// proc(5)). Threads are included. `None` off Linux or when the process is gone.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    stat_cpu_seconds(&format!("/proc/{pid}/stat"))
}

/// utime + stime of a `stat` file (a process's or a thread's), seconds.
fn stat_cpu_seconds(path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // The command name (field 2) may hold spaces; the fields after its ')' are plain.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Peak resident memory of `pid` (`VmHWM` in `/proc/<pid>/status`), MiB.
pub fn peak_rss_mib(pid: u32) -> Option<f64> {
    status_mib(pid, "VmHWM:")
}

/// A memory field (`VmHWM:`, `VmRSS:`, in KiB) of `/proc/<pid>/status`, MiB.
fn status_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// How long the pollers' idle CPU is sampled before a run.
const IDLE_SAMPLE: Duration = Duration::from_secs(3);

/// A turn slower than this is printed with the line it answered.
const SLOW_TURN_MS: f64 = 500.0;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[derive(Default)]
struct Samples {
    turns_ms: Vec<f64>,
    errors: usize,
    cut_short: usize,
    calls: usize,
}

/// One call: dial, the script's lines while the receptionist listens, hang up. Each
/// `call-turn` round trip (the answer and every `<Gather>` result) is one sample.
async fn place_call(base: &str, from: &str, to: &str, lines: &[&str], out: &Mutex<Samples>) {
    let mut local = Samples::default();
    let t = Instant::now();
    match phone::Call::dial(base, from, to).await {
        Ok(mut c) => {
            local.turns_ms.push(t.elapsed().as_secs_f64() * 1e3);
            for l in lines {
                if !c.listening() {
                    local.cut_short += 1;
                    break;
                }
                let t = Instant::now();
                match c.say(l).await {
                    Ok(heard) => {
                        let ms = t.elapsed().as_secs_f64() * 1e3;
                        if ms > SLOW_TURN_MS {
                            // Named, so a stall can be traced to the line that caused it.
                            eprintln!(
                                "slow turn: {ms:.0} ms answering {l:?} ({from}): {}",
                                heard.says.join(" ")
                            );
                        }
                        local.turns_ms.push(ms)
                    }
                    Err(_) => {
                        local.errors += 1;
                        break;
                    }
                }
            }
            // The status callback goes to twilio-status: an error counts, its time does not.
            if !matches!(c.hang_up().await, Ok(200..=299)) {
                local.errors += 1;
            }
        }
        Err(_) => local.errors += 1,
    }
    let mut o = out.lock().await;
    o.turns_ms.extend(local.turns_ms);
    o.errors += local.errors;
    o.cut_short += local.cut_short;
    o.calls += 1;
}

/// Dials `to` from ever new numbers until `stop`, hanging up at once: returns the calls
/// placed and how many were turned away (answered without listening).
async fn flood(base: String, to: String, id: usize, stop: Arc<AtomicBool>) -> (usize, usize) {
    let (mut placed, mut turned_away) = (0, 0);
    while !stop.load(Ordering::Relaxed) {
        let from = format!("+1785{id:02}{:05}", placed % 100_000);
        if let Ok(c) = phone::Call::dial(&base, &from, &to).await {
            placed += 1;
            if !c.listening() {
                turned_away += 1;
            }
            let _ = c.hang_up().await;
        }
    }
    (placed, turned_away)
}

/// Runs the load against `stack` (its interceptor counts are reset first): callers on
/// `to`, and `opts.flood` flooding callers on `flood_to`.
pub async fn run(
    stack: &Stack,
    to: &str,
    flood_to: &str,
    opts: BenchOptions,
) -> Result<BenchReport> {
    // Warm the route and secret caches, as warm Lambdas have them.
    place_call(
        &stack.base_url,
        "+19135559999",
        to,
        script(1),
        &Mutex::default(),
    )
    .await;
    // The CPU the process and the emulator spend with nobody calling (the pollers), as a
    // rate, so the run's share of it can be told apart from the call path's.
    let me = std::process::id();
    let emulator = stack.emulator_pid();
    let cpu = |pid: Option<u32>| pid.and_then(cpu_seconds);
    let (app0, emu0) = (cpu(Some(me)), cpu(emulator));
    tokio::time::sleep(IDLE_SAMPLE).await;
    let idle_rate = |before: Option<f64>, pid: Option<u32>| {
        Some((cpu(pid)? - before?) / IDLE_SAMPLE.as_secs_f64())
    };
    let (app_idle, emu_idle) = (idle_rate(app0, Some(me)), idle_rate(emu0, emulator));
    stack.usage.reset();
    let samples = Arc::new(Mutex::new(Samples::default()));
    let (app_start, emu_start) = (cpu(Some(me)), cpu(emulator));
    let stop = Arc::new(AtomicBool::new(false));
    let flooders: Vec<_> = (0..opts.flood)
        .map(|id| {
            tokio::spawn(flood(
                stack.base_url.clone(),
                flood_to.to_string(),
                id,
                stop.clone(),
            ))
        })
        .collect();
    let start = Instant::now();
    let started_at = chrono::Utc::now() - chrono::Duration::minutes(1);
    // The callers run on a thread of their own (one current-thread runtime), so the CPU
    // the load driver spends (its HTTP client, the webhook signatures) is read from that
    // thread and taken out of the Frontline figure.
    let base = stack.base_url.clone();
    let to_number = to.to_string();
    let driver_samples = samples.clone();
    let driver = std::thread::spawn(move || -> Result<Option<f64>> {
        let tid = current_thread_id();
        let cpu0 = tid.and_then(thread_cpu_seconds);
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(callers(base, to_number, opts, start, driver_samples))?;
        Ok(tid
            .and_then(thread_cpu_seconds)
            .zip(cpu0)
            .map(|(b, a)| b - a))
    });
    let driver_cpu = tokio::task::spawn_blocking(move || driver.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the load driver's thread panicked"))??;
    let elapsed = start.elapsed();
    let (app_end, emu_end) = (cpu(Some(me)), cpu(emulator));
    stop.store(true, Ordering::Relaxed);
    let (mut flood_calls, mut flood_turned_away) = (0, 0);
    for f in flooders {
        let (placed, turned_away) = f.await?;
        flood_calls += placed;
        flood_turned_away += turned_away;
    }
    // Let the follow-on work (fanout, notify) finish before counting every function.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let losses = audit(stack, to, started_at).await?;
    let s = samples.lock().await;
    let mut sorted = s.turns_ms.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let turns = sorted.len();
    let per_turn = |n: u64| n as f64 / turns.max(1) as f64;
    let all: u64 = stack
        .usage
        .counts()
        .keys()
        .map(|f| stack.usage.dynamodb_requests(f))
        .sum();
    Ok(BenchReport {
        callers: opts.callers,
        calls: s.calls,
        turns,
        errors: s.errors,
        cut_short: s.cut_short,
        p50_ms: percentile(&sorted, 0.50),
        p95_ms: percentile(&sorted, 0.95),
        p99_ms: percentile(&sorted, 0.99),
        max_ms: sorted.last().copied().unwrap_or(0.0),
        turns_per_s: turns as f64 / elapsed.as_secs_f64(),
        call_turn_ddb_per_turn: per_turn(stack.usage.dynamodb_requests("call-turn")),
        all_ddb_per_turn: per_turn(all),
        flood_calls,
        flood_turned_away,
        app_cpu_ms_per_turn: app_end.zip(app_start).map_or(0.0, |(b, a)| {
            (b - a - driver_cpu.unwrap_or(0.0)) * 1e3 / turns.max(1) as f64
        }),
        driver_cpu_ms_per_turn: driver_cpu.map(|c| c * 1e3 / turns.max(1) as f64),
        app_idle_cpu_ms_per_turn: app_idle.map_or(0.0, |r| {
            r * elapsed.as_secs_f64() * 1e3 / turns.max(1) as f64
        }),
        emulator_cpu_ms_per_turn: emu_end
            .zip(emu_start)
            .map(|(b, a)| (b - a) * 1e3 / turns.max(1) as f64),
        emulator_idle_cpu_ms_per_turn: emu_idle
            .map(|r| r * elapsed.as_secs_f64() * 1e3 / turns.max(1) as f64),
        app_peak_rss_mib: peak_rss_mib(me).unwrap_or(0.0),
        emulator_peak_rss_mib: emulator.and_then(peak_rss_mib),
        losses,
    })
}

/// The measured callers: each places calls one after another until it has placed
/// `calls_per_caller` or, in a soak, until `duration` has passed since `start`.
async fn callers(
    base: String,
    to: String,
    opts: BenchOptions,
    start: Instant,
    samples: Arc<Mutex<Samples>>,
) -> Result<()> {
    let mut tasks = Vec::new();
    for caller in 0..opts.callers {
        let base = base.clone();
        let to = to.clone();
        let samples = samples.clone();
        tasks.push(tokio::spawn(async move {
            for call in 0.. {
                let done = match opts.duration {
                    Some(d) => start.elapsed() >= d,
                    None => call >= opts.calls_per_caller,
                };
                if done {
                    break;
                }
                // A number of its own for every call, so each text's recipient is unique.
                let n = caller * 100_000 + call;
                let from = format!("+1816{:07}", n % 10_000_000);
                place_call(&base, &from, &to, script(n), &samples).await;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    Ok(())
}

/// This thread's id (`/proc/thread-self` links to `<pid>/task/<tid>`).
fn current_thread_id() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// CPU seconds thread `tid` of this process has used (`/proc/self/task/<tid>/stat`,
/// fields 14 and 15 as in [`cpu_seconds`]).
fn thread_cpu_seconds(tid: u32) -> Option<f64> {
    stat_cpu_seconds(&format!("/proc/self/task/{tid}/stat"))
}

/// Checks what the run to `to` since `since` lost: every call item has an outcome, no
/// text went to Twilio twice (the stand-in's record: one recipient, one body, once; each
/// call has a number of its own), and both dead-letter queues are empty.
pub async fn audit(
    stack: &Stack,
    to: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<Losses> {
    let svc = &stack.svc;
    let (_, tenant) = svc
        .store
        .route(to)
        .await?
        .ok_or_else(|| anyhow::anyhow!("{to} is not routed"))?;
    // The stack's clock may be pinned to another day (FRONTLINE_NOW): read every call.
    let calls = svc
        .store
        .calls_between(
            &tenant.id,
            since - chrono::Duration::days(3650),
            since + chrono::Duration::days(3650),
        )
        .await?;
    let unfinished_calls = calls.iter().filter(|c| c.outcome == "in_progress").count();
    let mut seen = std::collections::HashMap::<(String, String), usize>::new();
    let texts = stack.twilio.messages();
    for m in &texts {
        *seen.entry((m.to.clone(), m.body.clone())).or_default() += 1;
    }
    let duplicate_texts = seen.values().map(|n| n.saturating_sub(1)).sum();
    let mut dead_letters = 0;
    for queue in [
        &svc.config.notifications_queue_url,
        &svc.config.integrations_queue_url,
    ] {
        if queue.is_empty() {
            continue;
        }
        let attrs = svc
            .sqs
            .get_queue_attributes()
            .queue_url(format!("{queue}-dlq"))
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
            .send()
            .await?;
        dead_letters += attrs
            .attributes()
            .and_then(|a| {
                a.get(&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
            })
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
    }
    Ok(Losses {
        calls: calls.len(),
        unfinished_calls,
        texts: texts.len(),
        duplicate_texts,
        dead_letters,
    })
}

/// Resident memory now (`VmRSS`), MiB.
pub fn rss_mib(pid: u32) -> Option<f64> {
    status_mib(pid, "VmRSS:")
}

/// A soak's verdict: the run's figures, and the process's resident memory after the
/// first fifth of the run (when caches and pools are full) and at the end.
#[derive(Debug, Clone)]
pub struct SoakReport {
    pub run: BenchReport,
    pub rss_warm_mib: f64,
    pub rss_end_mib: f64,
}

impl SoakReport {
    /// Memory growth from the warm sample to the end, as a fraction (0.2 = 20 %).
    pub fn rss_growth(&self) -> f64 {
        self.rss_end_mib / self.rss_warm_mib.max(1.0) - 1.0
    }

    /// Nothing lost, no errors, and memory grew less than 20 %.
    pub fn passed(&self) -> bool {
        self.run.losses.nothing_lost() && self.run.errors == 0 && self.rss_growth() <= 0.20
    }
}

/// `callers` callers calling for `minutes`, then the run's figures, what it lost and how
/// the process's memory moved.
pub async fn soak(stack: &Stack, to: &str, minutes: u64, callers: usize) -> Result<SoakReport> {
    let duration = Duration::from_secs(minutes * 60);
    let me = std::process::id();
    let warm_after = duration / 5;
    let sampler = tokio::spawn(async move {
        tokio::time::sleep(warm_after + IDLE_SAMPLE).await;
        rss_mib(me)
    });
    let run = run(
        stack,
        to,
        to,
        BenchOptions {
            callers,
            calls_per_caller: 0,
            flood: 0,
            duration: Some(duration),
        },
    )
    .await?;
    let rss_warm_mib = sampler.await?.unwrap_or(0.0);
    Ok(SoakReport {
        run,
        rss_warm_mib,
        rss_end_mib: rss_mib(me).unwrap_or(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }

    #[test]
    fn this_process_has_cpu_time_and_a_peak_rss() {
        let me = std::process::id();
        assert!(cpu_seconds(me).is_some_and(|s| s >= 0.0));
        assert!(peak_rss_mib(me).is_some_and(|m| m > 1.0));
        assert_eq!(cpu_seconds(u32::MAX), None);
    }

    #[test]
    fn the_mix_cycles_booking_question_message() {
        assert!(script(0)[0].contains("faucet"));
        assert!(script(1)[0].contains("hours"));
        assert!(script(2)[0].contains("call me back"));
    }
}
