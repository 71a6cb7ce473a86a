//! `cargo run -p local`: runs the whole system. `cargo run -p local -- call [--from N]
//! [--to N] "utterance" …` plays a phone call through the webhooks.

use anyhow::Result;
use local::{phone, seed, Options, Stack};

fn usage() -> ! {
    eprintln!("usage: local                              run the whole system on FRONTLINE_PORT (default 3000)");
    eprintln!("       local setup                        install the pinned moto server into .tools/ (tests run it first)");
    eprintln!("       local call [--from +1…] [--to +1…] \"utterance\" …   play a call through the running stack (a line of only digits, * and # is pressed on the keypad)");
    eprintln!("       local text [--from +1…] [--to +1…] \"body\"   send a text through the running stack's SMS webhook");
    eprintln!("       local sign events/x.json [--base URL] [--token T]   the Twilio sample event signed, on stdout (for cargo lambda invoke --data-file)");
    eprintln!("       local alert-latency [N]                emergency alert: outbox write → Twilio request, p50/p99 over N (default 100) alerts");
    eprintln!("       local soak [--minutes N] [--callers C]   C callers for N minutes on a stack of its own; fails if anything was lost or memory grew over 20 %");
    eprintln!("       local chat-latency [N]                 website chat through the widget's API: session open and message turn, p50/p99 over N (default 50) chats played to a booking");
    eprintln!("       local bench [--callers N] [--calls M] [--runs R] [--flood F]   N concurrent callers × M calls through the webhooks (own stack), R runs and their median; with F, each run also with F callers flooding the other tenant");
    eprintln!("       local cold-start [--bin target/release/call-turn] [--turns 1000] [--runs 5]   a release binary under a Lambda Runtime API stand-in: init, first event, turns, peak RSS");
    eprintln!("       local triage                       JSON Lines {{\"text\": …}} on stdin → one triage JSON line each on stdout");
    eprintln!("       local eval [--triage-only] [--dev-only | --set NAME …] [--write docs/EVAL.md]   score triage and the call scenarios on the dev set (../shared/eval), the tuning sets (tests/eval/tune*) and the sealed sets (tests/eval/sealed*), side by side");
    eprintln!("       local openapi                      the OpenAPI document on stdout (scripts/api-types.sh turns it into the dashboard's types)");
    eprintln!("       local train-triage [--check | --cross]   train the triage model on shared/triage-train/ (writes shared/src/triage/model.bin); --check verifies it, --cross scores each corpus part with a model trained on the others");
    eprintln!("       local invoke <job> [--time RFC3339]   run a scheduled job now (calendar-import, reminders, campaigns, retention-purge, backup)");
    eprintln!("       local restore-drill                back up the table, restore the newest backup into a new table, compare counts, delete it");
    std::process::exit(2)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port: u16 = std::env::var("FRONTLINE_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    match args.first().map(String::as_str) {
        None | Some("run") => run(port).await,
        Some("call") => call(port, &args[1..]).await,
        Some("text") => text(port, &args[1..]).await,
        Some("sign") => sign(&args[1..]),
        Some("triage") => {
            let stdin = std::io::stdin();
            local::eval::triage_stream(stdin.lock(), std::io::stdout().lock())
        }
        Some("eval") => eval(port, &args[1..]).await,
        Some("train-triage") => local::train::run(&args[1..]),
        Some("openapi") => {
            // The document as `GET /v1/openapi.json` serves it, for the dashboard's types.
            println!(
                "{}",
                serde_json::to_string_pretty(&frontline::http::openapi::document())?
            );
            Ok(())
        }
        Some("invoke") => invoke(port, &args[1..]).await,
        Some("restore-drill") => restore_drill(port).await,
        Some("alert-latency") => {
            let n = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100);
            alert_latency(port, n).await
        }
        Some("bench") => bench(&args[1..]).await,
        Some("chat-latency") => {
            let n = args
                .get(1)
                .map_or(Ok(50), |v| v.parse())
                .unwrap_or_else(|_| usage());
            chat_latency(port, n).await
        }
        Some("soak") => soak(&args[1..]).await,
        Some("cold-start") => cold_start(&args[1..]).await,
        Some("setup") => {
            let bin = local::moto::ensure_installed().await?;
            println!(
                "moto {} ready at {}",
                local::moto::MOTO_VERSION,
                bin.display()
            );
            Ok(())
        }
        _ => usage(),
    }
}

async fn run(port: u16) -> Result<()> {
    if std::env::var("RUST_LOG").is_err() {
        std::env::set_var("RUST_LOG", "warn");
    }
    frontline::telemetry::init();
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty());
    if let Err(e) = local::dashboard::ensure_built(|m| println!("[local] {m}")) {
        eprintln!("[local] the dashboard could not be built, so / serves nothing: {e:#}");
    }
    let now = local::start_instant_from_env()?;
    let stack = Stack::start(Options {
        port,
        endpoint,
        prefix: String::new(),
        verbose: true,
        llm_base_url: std::env::var("LLM_BASE_URL").ok().filter(|v| !v.is_empty()),
        limits: None,
        now,
    })
    .await?;
    println!();
    println!("Frontline is running at {}", stack.base_url);
    println!("  AWS endpoint:     {}", stack.endpoint);
    println!(
        "  Owner dashboard:       {}/ (sign in with an owner login below)",
        stack.base_url
    );
    println!(
        "  Website chat demo:     {}/_local/widget-demo.html (Bristol's site with the chat widget)",
        stack.base_url
    );
    println!("  Bristol Plumbing:      Twilio number {}  owner cell {}  login owner@bristol.example / bristol-demo", seed::BRISTOL_NUMBER, seed::BRISTOL_OWNER_CELL);
    println!("  Prairie Home Services: Twilio number {}  owner cell {}  login owner@prairie.example / prairie-demo", seed::PRAIRIE_NUMBER, seed::PRAIRIE_OWNER_CELL);
    println!("  Platform admin:        admin@frontline.example / frontline-admin");
    println!(
        "  Twilio:                account {}  auth token {}",
        phone::ACCOUNT_SID,
        phone::AUTH_TOKEN
    );
    println!(
        "  Texts sent:            GET {}/_local/twilio/messages",
        stack.base_url
    );
    if let Some(t) = now {
        println!(
            "  Clock:                 started at {} (FRONTLINE_NOW); GET/POST {}/_local/clock reads or moves it",
            t.to_rfc3339(),
            stack.base_url
        );
    }
    println!("Place a call:  cargo run -p local -- call \"my kitchen faucet is leaking\" \"jane doe\" \"123 main street merriam\" \"tuesday morning\" \"yes\"");
    println!("Ctrl-C stops everything.");
    // Ctrl-C or SIGTERM: either way the children (moto) are stopped on the way out.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r?,
        _ = term.recv() => {}
    }
    println!("stopping");
    drop(stack);
    Ok(())
}

/// Runs a scheduled job in the running stack (or one started here) and prints its summary.
async fn invoke(port: u16, args: &[String]) -> Result<()> {
    let Some(job) = args.first() else { usage() };
    let time = match args.get(1).map(String::as_str) {
        Some("--time") => Some(args.get(2).cloned().unwrap_or_else(|| usage())),
        Some(_) => usage(),
        None => None,
    };
    let (base, _stack) = running_or_own_stack(port, "invoke", None).await?;
    let mut url = format!("{base}/_local/schedules/{job}");
    if let Some(t) = time {
        url.push_str(&format!("?time={}", t.replace('+', "%2B")));
    }
    let r = reqwest::Client::new().post(&url).send().await?;
    let status = r.status();
    let body = r.text().await?;
    if !status.is_success() {
        anyhow::bail!("{job}: HTTP {status}: {body}");
    }
    println!("{body}");
    Ok(())
}

/// The restore drill against the running stack (or one started here); fails when a count
/// differs.
async fn restore_drill(port: u16) -> Result<()> {
    let (base, _stack) = running_or_own_stack(port, "drill", None).await?;
    let r = reqwest::Client::new()
        .post(format!("{base}/_local/restore-drill"))
        .send()
        .await?;
    let status = r.status();
    let report: serde_json::Value = r.json().await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    if !status.is_success() || report["equal"] != true {
        anyhow::bail!("restore drill failed");
    }
    println!(
        "restore drill passed: recovery point {}, restored in {:.1} s, {} item types equal",
        report["recovery_point"].as_str().unwrap_or("?"),
        report["restore_seconds"].as_f64().unwrap_or(0.0),
        report["source"].as_object().map(|o| o.len()).unwrap_or(0)
    );
    Ok(())
}

/// `local text [--from +1…] [--to +1…] "body"`: one text through the running stack's
/// signed SMS webhook, and the reply it sends back.
async fn text(port: u16, args: &[String]) -> Result<()> {
    let mut from = "+19135550142".to_string();
    let mut to = seed::BRISTOL_NUMBER.to_string();
    let mut body = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--from" => from = args.get(i + 1).cloned().unwrap_or_else(|| usage()),
            "--to" => to = args.get(i + 1).cloned().unwrap_or_else(|| usage()),
            other => {
                body.push(other.to_string());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    if body.is_empty() {
        usage();
    }
    let body = body.join(" ");
    let base = format!("http://127.0.0.1:{port}");
    let sid = format!("SM{}", uuid::Uuid::new_v4().simple());
    println!("customer:     {body}");
    let (status, replies) =
        phone::text(&reqwest::Client::new(), &base, &from, &to, &body, &sid).await?;
    if status != 200 {
        anyhow::bail!("the SMS webhook answered HTTP {status}");
    }
    for r in replies {
        println!("receptionist: {r}");
    }
    Ok(())
}

/// `local sign events/x.json [--base URL] [--token T]`: the sample event signed as Twilio
/// would sign it, on stdout (for `cargo lambda invoke --data-file`). The base URL is the
/// function's `PUBLIC_BASE_URL` (default: that variable, else `https://` + the event's
/// domain); the token is `TWILIO_AUTH_TOKEN`, else the local stack's.
fn sign(args: &[String]) -> Result<()> {
    let path = args.first().unwrap_or_else(|| usage());
    let mut base = std::env::var("PUBLIC_BASE_URL").ok();
    let mut token =
        std::env::var("TWILIO_AUTH_TOKEN").unwrap_or_else(|_| phone::AUTH_TOKEN.to_string());
    let mut i = 1;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--base", Some(v)) => base = Some(v.trim_end_matches('/').to_string()),
            ("--token", Some(v)) => token = v.clone(),
            _ => usage(),
        }
        i += 2;
    }
    let event: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let base = base.unwrap_or_else(|| {
        format!(
            "https://{}",
            event["requestContext"]["domainName"]
                .as_str()
                .unwrap_or("localhost")
        )
    });
    let signed = local::sign::sign_event(event, &base, &token)?;
    println!("{}", serde_json::to_string_pretty(&signed)?);
    Ok(())
}

async fn call(port: u16, args: &[String]) -> Result<()> {
    let mut from = "+19135550142".to_string();
    let mut to = seed::BRISTOL_NUMBER.to_string();
    let mut lines = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--from" => {
                from = args.get(i + 1).cloned().unwrap_or_else(|| usage());
                i += 2;
            }
            "--to" => {
                to = args.get(i + 1).cloned().unwrap_or_else(|| usage());
                i += 2;
            }
            _ => {
                lines.push(args[i].clone());
                i += 1;
            }
        }
    }
    let base = format!("http://127.0.0.1:{port}");
    let mut c = phone::Call::dial(&base, &from, &to).await?;
    println!("CallSid {}", c.sid);
    for s in &c.last.says {
        println!("receptionist: {s}");
    }
    for line in &lines {
        if !c.listening() {
            break;
        }
        println!("caller:       {line}");
        // Keys only ("*", "2468#"): pressed on the keypad rather than said.
        let keys = !line.is_empty()
            && line
                .chars()
                .all(|ch| ch.is_ascii_digit() || ch == '*' || ch == '#');
        let p = if keys {
            c.press(line).await?
        } else {
            c.say(line).await?
        };
        for s in &p.says {
            println!("receptionist: {s}");
        }
        if let Some(d) = &p.dial {
            println!("(transferring to {d})");
        }
    }
    c.hang_up().await?;
    println!("(call ended)");
    Ok(())
}

/// Measures alert latency through the stack on `port`, or one started here.
async fn alert_latency(port: u16, n: usize) -> Result<()> {
    if std::env::var("RUST_LOG").is_err() {
        std::env::set_var("RUST_LOG", "warn");
    }
    frontline::telemetry::init();
    let (base, _own) =
        running_or_own_stack(port, "lat", Some(frontline::abuse::Limits::unlimited())).await?;
    eprintln!("placing {n} emergency calls to Bristol Plumbing through {base}");
    let r =
        local::latency::measure(&base, seed::BRISTOL_NUMBER, seed::BRISTOL_OWNER_CELL, n).await?;
    println!(
        "emergency alert, outbox write → Twilio Messages request, {} alerts: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms, mean {:.0} ms",
        r.n, r.p50_ms, r.p99_ms, r.max_ms, r.mean_ms
    );
    Ok(())
}

/// Measures website chat latency through the stack on `port`, or one started here.
async fn chat_latency(port: u16, n: usize) -> Result<()> {
    quiet_logs();
    let (base, _own) =
        running_or_own_stack(port, "chat", Some(frontline::abuse::Limits::unlimited())).await?;
    eprintln!("playing {n} website chats to a booking with Bristol Plumbing through {base}");
    let (open, turn) = local::chat_latency::measure(&base, n).await?;
    for (what, r) in [
        ("chat opened (session + greeting)", open),
        ("chat message turn", turn),
    ] {
        println!(
            "{what}, {} requests: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, mean {:.1} ms",
            r.n, r.p50_ms, r.p99_ms, r.max_ms, r.mean_ms
        );
    }
    Ok(())
}

/// `local cold-start`: its own stack, the binary started afresh for every run.
async fn cold_start(args: &[String]) -> Result<()> {
    let mut bin = std::path::PathBuf::from("target/release/call-turn");
    let (mut turns, mut runs) = (1000usize, 5usize);
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--bin", Some(v)) => bin = v.into(),
            ("--turns", Some(v)) => turns = v.parse().unwrap_or_else(|_| usage()),
            ("--runs", Some(v)) => runs = v.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
        i += 2;
    }
    quiet_logs();
    // Measures the binary, not the flood guard.
    let stack = own_stack("cold", Some(frontline::abuse::Limits::unlimited())).await?;
    eprintln!(
        "{} under a Lambda Runtime API stand-in, {runs} runs of {turns} turns, {} cores",
        bin.display(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut reports = Vec::new();
    for r in 1..=runs.max(1) {
        let report = local::coldstart::run(&stack, &bin, seed::BRISTOL_NUMBER, turns).await?;
        println!("run {r}: {report}");
        reports.push(report);
    }
    reports.sort_by(|a, b| a.init_ms.total_cmp(&b.init_ms));
    println!("median run (by init): {}", reports[reports.len() / 2]);
    Ok(())
}

/// `local bench`: a fresh stack of its own for every run, whose interceptors it reads.
/// Without `--flood` the callers call Bristol under limits far above the load (the call
/// path, not the flood guard, is measured). With `--flood F` the callers call Prairie,
/// R runs quiet and then R runs with F callers flooding Bristol, all under the default
/// limits (the call burst raised to fit the measured calls): the two sets show what one
/// tenant's flood does to another tenant's callers.
async fn bench(args: &[String]) -> Result<()> {
    let mut opts = local::bench::BenchOptions {
        callers: 20,
        calls_per_caller: 5,
        flood: 0,
        duration: None,
    };
    let mut runs = 3;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<usize>().ok());
        match (args[i].as_str(), value) {
            ("--callers", Some(v)) => opts.callers = v.max(1),
            ("--calls", Some(v)) => opts.calls_per_caller = v.max(1),
            ("--runs", Some(v)) => runs = v.max(1),
            ("--flood", Some(v)) => opts.flood = v,
            _ => usage(),
        }
        i += 2;
    }
    quiet_logs();
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    eprintln!(
        "load: {} callers × {} calls, {runs} runs, {} flooding callers, {build} build, {} cores",
        opts.callers,
        opts.calls_per_caller,
        opts.flood,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let (to, flood_to, limits) = if opts.flood == 0 {
        (
            seed::BRISTOL_NUMBER,
            seed::PRAIRIE_NUMBER,
            frontline::abuse::Limits::unlimited(),
        )
    } else {
        let mut limits = frontline::abuse::Limits::default();
        // The measured callers' calls (and the warm-up call) all fit in the burst.
        let measured = u32::try_from(opts.callers * opts.calls_per_caller + 1)?;
        limits.calls = frontline::store::Rate::per_minute(60, measured.max(60));
        (seed::PRAIRIE_NUMBER, seed::BRISTOL_NUMBER, limits)
    };
    let variants: &[(&str, usize)] = if opts.flood == 0 {
        &[("", 0)]
    } else {
        &[("quiet ", 0), ("flood ", opts.flood)]
    };
    for (name, flood) in variants {
        let opts = local::bench::BenchOptions {
            flood: *flood,
            ..opts
        };
        let mut reports = Vec::new();
        for r in 1..=runs {
            // Each run on a fresh stack (its own moto), so runs are repeats of one
            // another, not a calendar that fills up and callers known by the third run.
            let stack = own_stack("bench", Some(limits)).await?;
            let report = local::bench::run(&stack, to, flood_to, opts).await?;
            println!("{name}run {r}: {report}");
            reports.push(report);
        }
        reports.sort_by(|a, b| a.p50_ms.total_cmp(&b.p50_ms));
        println!("{name}median run (by p50): {}", reports[reports.len() / 2]);
    }
    Ok(())
}

/// `local soak --minutes N --callers C`: C callers for N minutes (1–120, 1–64) on a stack
/// of its own; fails when a call was left without an outcome, a text went out twice, a
/// message reached a dead-letter queue, a call failed, or memory grew more than 20 %.
async fn soak(args: &[String]) -> Result<()> {
    let (mut minutes, mut callers) = (10u64, 4usize);
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("--minutes", Some(v)) if (1..=120).contains(&v) => minutes = v,
            ("--callers", Some(v)) if (1..=64).contains(&v) => callers = v as usize,
            _ => usage(),
        }
        i += 2;
    }
    quiet_logs();
    eprintln!("soak: {callers} callers for {minutes} min on a stack of its own");
    let stack = own_stack("soak", Some(frontline::abuse::Limits::unlimited())).await?;
    let r = local::bench::soak(&stack, seed::BRISTOL_NUMBER, minutes, callers).await?;
    println!("soak: {}", r.run);
    println!(
        "memory: {:.1} MiB after the first fifth, {:.1} MiB at the end ({:+.1} %)",
        r.rss_warm_mib,
        r.rss_end_mib,
        r.rss_growth() * 100.0
    );
    if !r.passed() {
        anyhow::bail!(
            "the soak failed: {} errors; lost: {}; memory {:+.1} % (limit +20 %)",
            r.run.errors,
            r.run.losses,
            r.rss_growth() * 100.0
        );
    }
    println!("soak passed: nothing lost");
    Ok(())
}

/// Only errors on stderr, unless `RUST_LOG` says otherwise: the measuring commands print
/// their own figures.
fn quiet_logs() {
    if std::env::var("RUST_LOG").is_err() {
        std::env::set_var("RUST_LOG", "error");
    }
    frontline::telemetry::init();
}

/// A stack started here: its own moto (or `AWS_ENDPOINT_URL`), a free port, names
/// prefixed `{prefix}-{pid}-`, and `limits` (`None`: the `LIMIT_*` defaults).
async fn own_stack(prefix: &str, limits: Option<frontline::abuse::Limits>) -> Result<Stack> {
    own_stack_at(prefix, limits, None).await
}

/// As [`own_stack`], its clock starting at `FRONTLINE_NOW` when set, else at `default_now`
/// (`None`: the system time).
async fn own_stack_at(
    prefix: &str,
    limits: Option<frontline::abuse::Limits>,
    default_now: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Stack> {
    Stack::start(Options {
        port: 0,
        endpoint: std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|e| !e.is_empty()),
        prefix: format!("{prefix}-{}-", std::process::id()),
        verbose: false,
        llm_base_url: None,
        limits,
        now: local::start_instant_from_env()?.or(default_now),
    })
    .await
}

/// The base URL of the stack on `port`, or of one started here (its own moto, a free port,
/// tables named `{prefix}-{pid}-…`); keep the returned stack alive while using it.
/// `limits` applies to a stack started here (`None`: the `LIMIT_*` defaults).
async fn running_or_own_stack(
    port: u16,
    prefix: &str,
    limits: Option<frontline::abuse::Limits>,
) -> Result<(String, Option<Stack>)> {
    let base = format!("http://127.0.0.1:{port}");
    if reqwest::get(format!("{base}/_local/twilio/messages"))
        .await
        .is_ok()
    {
        return Ok((base, None));
    }
    eprintln!("no stack on {base}; starting one (moto, free port)");
    let stack = own_stack(prefix, limits).await?;
    Ok((stack.base_url.clone(), Some(stack)))
}

/// Everything in docs/EVAL.md from this line on is kept by `eval --write`.
const HAND_WRITTEN: &str = "<!-- hand-written below: kept by `eval --write` -->";

/// Scores triage in process and plays the scenarios through the stack on `port`, or through
/// a stack started here (its own moto) when none is running.
async fn eval(port: u16, args: &[String]) -> Result<()> {
    let mut write = None;
    let mut triage_only = false;
    let mut dev_only = false;
    let mut only_sets: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--write" => {
                write = Some(args.get(i + 1).cloned().unwrap_or_else(|| usage()));
                i += 2;
            }
            "--triage-only" => {
                triage_only = true;
                i += 1;
            }
            "--dev-only" => {
                dev_only = true;
                i += 1;
            }
            "--set" => {
                only_sets.push(args.get(i + 1).cloned().unwrap_or_else(|| usage()));
                i += 2;
            }
            _ => usage(),
        }
    }
    let mut sets = vec![local::eval::EvalSet::dev()];
    if !only_sets.is_empty() {
        sets.extend(local::eval::EvalSet::tuning());
        sets.extend(local::eval::EvalSet::sealed());
        sets.retain(|s| only_sets.contains(&s.name));
    } else if !dev_only {
        sets.extend(local::eval::EvalSet::tuning());
        sets.extend(local::eval::EvalSet::sealed());
    }
    // A stack already running is used as it is; otherwise each set is played on a fresh
    // stack of its own, so one set's bookings do not fill the calendar another set's calls
    // are offered (the scores would then depend on which sets ran before).
    let running = format!("http://127.0.0.1:{port}");
    let shared = !triage_only
        && reqwest::get(format!("{running}/_local/clock"))
            .await
            .is_ok();
    let mut scored = Vec::new();
    for set in &sets {
        let utterances = local::eval::load_utterances_from(&set.utterances)?;
        eprintln!(
            "scoring triage on {} {} utterances from {}",
            utterances.len(),
            set.name,
            set.utterances.display()
        );
        let score = local::eval::score_triage(&utterances);
        let scenarios = if triage_only {
            Vec::new()
        } else if shared {
            eprintln!("playing the {} call scenarios through {running}", set.name);
            local::eval::play_scenarios_from(&running, &set.scenarios).await?
        } else {
            // The scenarios name weekdays ("friday morning"): played as of an ordinary week,
            // the table means the same whatever day it is made. Scenarios are played back
            // to back, faster than any shop is called: the per-tenant call limit would turn
            // the later ones into "we're busy" messages.
            let at = local::eval::scenario_instant();
            let unlimited = Some(frontline::abuse::Limits::unlimited());
            let stack = own_stack_at(&format!("eval-{}", set.name), unlimited, Some(at)).await?;
            eprintln!(
                "playing the {} call scenarios on a fresh stack as of {} ({})",
                set.name,
                local::eval::SCENARIO_INSTANT,
                stack.base_url
            );
            local::eval::play_scenarios_from(&stack.base_url, &set.scenarios).await?
        };
        scored.push((set.name.clone(), score, scenarios));
    }
    let views: Vec<local::eval::Scored<'_>> = scored
        .iter()
        .map(|(name, t, sc)| local::eval::Scored {
            name,
            triage: t,
            scenarios: sc,
            show_text: !name.starts_with("sealed"),
        })
        .collect();
    let report = local::eval::report_sets(&views);
    println!("{report}");
    if let Some(path) = write {
        let body = format!(
            "# Evaluation\n\nProduced by `cargo run -p local -- eval --write docs/EVAL.md`: triage \
             scored in process, call scenarios played through the local stack's signed webhooks \
             (as of {}) and read back through `GET /v1/crm/calls/{{sid}}`, on the dev set \
             (`../shared/eval/`, the one rules are tuned on) and the sealed set \
             (`tests/eval/sealed/`, written by a session that never read the rules; scored, \
             never tuned on; its misses are listed by id only). Names and addresses compare \
             without case or accents.\n\n{report}",
            local::eval::SCENARIO_INSTANT
        );
        if let Some(dir) = std::path::Path::new(&path).parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Keep the hand-written part (known failure classes) below the marker.
        let kept = std::fs::read_to_string(&path)
            .ok()
            .and_then(|old| old.find(HAND_WRITTEN).map(|i| old[i..].to_string()))
            .unwrap_or_else(|| format!("{HAND_WRITTEN}\n"));
        std::fs::write(&path, format!("{body}\n{kept}"))?;
        eprintln!("wrote {path}");
    }
    Ok(())
}
