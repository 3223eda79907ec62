//! `hotline-load`: starts the real `hotline serve` on a fresh PostgreSQL
//! database with a local fake Twilio, then measures
//!
//! 1. service time: non-hot SMS webhooks one at a time;
//! 2. the database floor: the same lookups and inserts straight to
//!    PostgreSQL, in the same run;
//! 3. speed to lead: a hot SMS to the last `Calls.json` of a 10-member
//!    ring group reaching the fake Twilio (pacing off);
//! 4. throughput: signed webhooks at a fixed rate from distinct leads
//!    across several clients, with latency percentiles and errors.
//!
//! It prints a Markdown report and exits 1 when a request failed or an
//! acknowledged message was not stored. `--pacing-samples` measures speed
//! to lead under Twilio's pacing instead, and `--cockpit` the owner's
//! pages on a client with a year of history (see `cockpit.rs`).

mod cockpit;
mod cockpit_seed;
mod fake_twilio;
mod floor;
mod log_drain;
mod pacing;
mod receiver;
mod requests;
mod server;
mod stats;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use stats::{Percentiles, ms};

use crate::requests::{HOT, NOT_HOT, SignedSms, lead_phone, message_sid, signed_sms};

/// Command-line options.
#[derive(Debug, Parser)]
#[command(
    name = "hotline-load",
    about = "Load, speed-to-lead and floor measurements of Hotline"
)]
struct Options {
    /// Inbound SMS per second in the throughput phase.
    #[arg(long, default_value_t = 1000)]
    rate: u32,
    /// Length of the throughput phase, in seconds.
    #[arg(long, default_value_t = 60)]
    seconds: u32,
    /// Clients the throughput phase writes to.
    #[arg(long, default_value_t = 5)]
    clients: u32,
    /// Team members of each of those clients.
    #[arg(long, default_value_t = 3)]
    members: u32,
    /// Share of hot messages in the throughput phase, in percent.
    #[arg(long, default_value_t = 10)]
    hot_percent: u32,
    /// Webhooks sent one at a time for service time, and floor iterations.
    #[arg(long, default_value_t = 2000)]
    sequential: u32,
    /// Hot SMS to the 10-member client for speed to lead.
    #[arg(long, default_value_t = 300)]
    speed_samples: u32,
    /// PostgreSQL server (a database is created and dropped on it); by
    /// default the local one over its Unix socket.
    #[arg(
        long,
        env = "HOTLINE_LOAD_POSTGRES_URL",
        default_value = "postgres://postgres@localhost/postgres?host=/var/run/postgresql"
    )]
    postgres_url: String,
    /// The `hotline` binary; by default the one beside this program.
    #[arg(long)]
    hotline: Option<std::path::PathBuf>,
    /// Instead of the load: speed to lead for a 10-member team under
    /// Twilio's default pacing (1 call per second), `simultaneous` against
    /// `lead_first`, this many hot SMS each.
    #[arg(long)]
    pacing_samples: Option<u32>,
    /// Subscribe a local receiver to every event of every client, so
    /// webhook deliveries run during the load.
    #[arg(long)]
    webhooks: bool,
    /// Seconds per window in the throughput phase's breakdown.
    #[arg(long, default_value_t = 10)]
    window: u32,
    /// Write the server's log (JSON lines, one per request with its
    /// `elapsed_ms`) to this file; by default it is read from a pipe and
    /// dropped, as a log collector would ship it off the machine.
    #[arg(long)]
    server_log: Option<std::path::PathBuf>,
    /// Instead of the load: seed one client with a year of history and
    /// measure the owner's pages (dashboard, leads, a lead) on it.
    #[arg(long)]
    cockpit: bool,
    /// Leads seeded by `--cockpit`.
    #[arg(long, default_value_t = 100_000)]
    cockpit_leads: u32,
    /// Messages seeded by `--cockpit`, shared out among its leads.
    #[arg(long, default_value_t = 1_000_000)]
    cockpit_messages: u32,
    /// Measured requests per page in `--cockpit`.
    #[arg(long, default_value_t = 200)]
    cockpit_samples: u32,
    /// Keep the run's database (its URL is printed) instead of dropping it.
    #[arg(long)]
    keep_database: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let options = Options::parse();
    let binary = match &options.hotline {
        Some(path) => path.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("no directory")?
            .join("hotline"),
    };
    let database = server::Database::create(&options.postgres_url).await?;
    let outcome = if options.cockpit {
        cockpit::report(cockpit_scale(&options), &binary, &database).await
    } else if let Some(samples) = options.pacing_samples {
        pacing::report(samples, &binary, &database).await
    } else {
        run(&options, &binary, &database).await
    };
    if options.keep_database {
        eprintln!("kept the database: {}", database.url);
    } else {
        database.drop_it().await;
    }
    let failed = outcome?;
    if failed {
        std::process::exit(1);
    }
    Ok(())
}

/// The size of a `--cockpit` run.
fn cockpit_scale(options: &Options) -> cockpit::Scale {
    cockpit::Scale {
        shape: cockpit_seed::Shape {
            leads: options.cockpit_leads,
            messages: options.cockpit_messages,
        },
        samples: options.cockpit_samples,
    }
}

/// One run: seeds the clients, then the four phases in order.
// Longer than most functions by choice: the phases share the server, the
// seeded clients and the stream of calls, and read best in sequence, each
// under its numbered comment.
async fn run(
    options: &Options,
    binary: &std::path::Path,
    database: &server::Database,
) -> anyhow::Result<bool> {
    let (twilio, mut calls) = fake_twilio::start().await;
    let twilio_url = twilio.base_url.clone();
    let hotline = server::Hotline::start(
        binary,
        &database.url,
        &twilio_url,
        "0",
        options.server_log.as_deref(),
    )
    .await?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(4096)
        .tcp_nodelay(true)
        .build()?;
    let sms_url: Arc<str> = format!("{}/api/webhook/sms", hotline.base_url).into();

    // Clients: several 24/7 clients with small teams for throughput, and one
    // with ten members for speed to lead.
    let receiver = if options.webhooks {
        Some(receiver::start().await?)
    } else {
        None
    };
    let mut numbers = Vec::new();
    for c in 0..options.clients {
        let number = format!("+1587555{:04}", 100 + c);
        let client = hotline
            .seed_client(
                &http,
                &format!("Load client {c}"),
                &number,
                options.members,
                c,
            )
            .await?;
        if let Some(receiver) = &receiver {
            hotline.subscribe(&http, &client, &receiver.url).await?;
        }
        numbers.push(number);
    }
    let ten_number = "+15875559000".to_owned();
    hotline
        .seed_client(&http, "Ten phones", &ten_number, 10, 99)
        .await?;

    let mut failed = false;
    let send = |sms: SignedSms| post_sms(http.clone(), sms_url.clone(), sms);

    // Warm-up: connections, caches, the planner.
    for n in 0..500 {
        let sms = signed_sms(
            &sms_url,
            server::AUTH_TOKEN,
            &message_sid(1, n),
            &lead_phone(1, n),
            &numbers[0],
            NOT_HOT[1],
        );
        send(sms).await;
    }

    // 1. Service time, one request at a time.
    let mut service = Vec::with_capacity(options.sequential as usize);
    let mut service_errors = 0;
    for n in 0..options.sequential {
        let sms = signed_sms(
            &sms_url,
            server::AUTH_TOKEN,
            &message_sid(2, n),
            &lead_phone(2, n),
            &numbers[0],
            NOT_HOT[0],
        );
        let started = Instant::now();
        if send(sms).await != Answer::Ok {
            service_errors += 1;
        }
        service.push(started.elapsed());
    }
    let service = Percentiles::of(&mut service);

    // 2. The database floor, in the same run, on the same database.
    let db = hotline_db::Db::connect(&database.url).await?;
    let mut floor_samples = floor::measure(&db, &numbers[0], options.sequential).await?;
    let floor = Percentiles::of(&mut floor_samples);

    // 3. Speed to lead: one hot SMS at a time, until its tenth call arrives.
    while calls.try_recv().is_ok() {}
    let mut speed = Vec::with_capacity(options.speed_samples as usize);
    let mut speed_errors = 0;
    for n in 0..options.speed_samples {
        let sms = signed_sms(
            &sms_url,
            server::AUTH_TOKEN,
            &message_sid(3, n),
            &lead_phone(3, n),
            &ten_number,
            HOT,
        );
        let started = Instant::now();
        if send(sms).await != Answer::Ok {
            speed_errors += 1;
            continue;
        }
        let mut seen = 0;
        let mut last = None;
        while seen < 10 {
            match tokio::time::timeout(Duration::from_secs(5), calls.recv()).await {
                Ok(Some(call)) if call.from == ten_number => {
                    seen += 1;
                    last = Some(call.at);
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        match last {
            Some(at) if seen == 10 => speed.push(at.duration_since(started)),
            _ => speed_errors += 1,
        }
    }
    let speed = Percentiles::of(&mut speed);

    // 4. Throughput at a fixed rate, open loop: latency counts from when
    //    each request was due, so a stall shows up in every request it delays.
    let total = options.rate * options.seconds;
    let hot_every = if options.hot_percent == 0 {
        u32::MAX
    } else {
        100 / options.hot_percent.min(100)
    };
    let prepared: Vec<SignedSms> = (0..total)
        .map(|n| {
            let text = if n % hot_every == 0 {
                HOT
            } else {
                NOT_HOT[(n % 4) as usize]
            };
            let to = &numbers[(n % options.clients) as usize];
            signed_sms(
                &sms_url,
                server::AUTH_TOKEN,
                &message_sid(4, n),
                &lead_phone(4, n),
                to,
                text,
            )
        })
        .collect();
    let hot_sent = prepared.iter().filter(|s| s.hot).count();
    while calls.try_recv().is_ok() {}
    // The wall clock beside the monotonic one, to place the fake's call
    // arrivals on the database's time line (one machine, one clock).
    let anchor = (Instant::now(), std::time::SystemTime::now());
    let calls_before = twilio.count("/Calls.json") as u64;
    let messages_before = hotline.count(&db, "messages").await?;
    let interval = Duration::from_secs(1) / options.rate;
    let start = Instant::now() + Duration::from_millis(200);
    let mut tasks = Vec::with_capacity(total as usize);
    for (n, sms) in prepared.into_iter().enumerate() {
        let due = start + interval * u32::try_from(n).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due.into()).await;
        let request = post_sms(http.clone(), sms_url.clone(), sms);
        tasks.push(tokio::spawn(async move {
            let answer = request.await;
            (due.elapsed(), answer, due.duration_since(start))
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut windows: Vec<Vec<Duration>> = Vec::new();
    let mut acknowledged = 0u64;
    let mut errors = 0u64;
    let mut refused = 0u64;
    for task in tasks {
        let (latency, answer, offset) = task.await?;
        // A request refused at once says nothing of how long the accepted
        // ones waited; it is counted on its own.
        if answer == Answer::Refused {
            refused += 1;
            errors += 1;
            continue;
        }
        latencies.push(latency);
        let window =
            usize::try_from(offset.as_secs() / u64::from(options.window.max(1))).unwrap_or(0);
        if windows.len() <= window {
            windows.resize_with(window + 1, Vec::new);
        }
        windows[window].push(latency);
        if answer == Answer::Ok {
            acknowledged += 1;
        } else {
            errors += 1;
        }
    }
    let elapsed = start.elapsed();
    let throughput = Percentiles::of(&mut latencies);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let stored = hotline.count(&db, "messages").await? - messages_before;
    let calls_made = twilio.count("/Calls.json") as u64 - calls_before;
    let lost = i64::try_from(acknowledged).unwrap_or(i64::MAX) - stored;
    let mut arrivals = Vec::new();
    while let Ok(call) = calls.try_recv() {
        arrivals.push(call);
    }
    let mut decision_to_call = decision_to_first_call(&db, anchor, &arrivals).await?;
    let decision_to_call_count = decision_to_call.len();
    let decision_to_call = Percentiles::of(&mut decision_to_call);
    let rss = hotline.rss_kib();
    let delivered = receiver.as_ref().map(receiver::Receiver::count);
    let logged = hotline.stop();

    let ratio = service.p50.as_secs_f64() / floor.p50.as_secs_f64().max(1e-9);
    let mean_ratio = service.mean.as_secs_f64() / floor.mean.as_secs_f64().max(1e-9);
    let achieved = acknowledged as f64 / elapsed.as_secs_f64();
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!("# Hotline load report\n");
    println!(
        "- machine: {} cores; server, PostgreSQL and this harness share it",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("- options: {options:?}\n");
    println!(
        "## Service time vs database floor ({} sequential non-hot SMS)\n",
        options.sequential
    );
    println!("| | p50 | p95 | p99 | mean |\n|---|---|---|---|---|");
    println!(
        "| webhook over HTTP | {} | {} | {} | {} |",
        ms(service.p50),
        ms(service.p95),
        ms(service.p99),
        ms(service.mean)
    );
    println!(
        "| database floor | {} | {} | {} | {} |",
        ms(floor.p50),
        ms(floor.p95),
        ms(floor.p99),
        ms(floor.mean)
    );
    println!(
        "\nservice / floor: {ratio:.2}x at p50, {mean_ratio:.2}x on the mean (target within 3x: {}); errors {service_errors}\n",
        verdict(ratio <= 3.0)
    );
    println!("## Speed to lead (hot SMS to the 10th Calls.json, pacing off)\n");
    println!(
        "{}; failures {speed_errors} (target p99 under 50 ms: {})\n",
        speed.line(),
        verdict(speed.p99 < Duration::from_millis(50) && speed_errors == 0)
    );
    println!(
        "## Throughput ({} SMS/s for {} s, {} clients, {}% hot)\n",
        options.rate, options.seconds, options.clients, options.hot_percent
    );
    println!(
        "- sent {total}, acknowledged {acknowledged}, errors {errors} (of which refused at once with 503: {refused}), achieved {achieved:.0}/s over {:.1} s",
        elapsed.as_secs_f64()
    );
    println!(
        "- latency from due time (every answer but a 503): {}",
        throughput.line()
    );
    println!(
        "- hot messages {hot_sent}, Calls.json received {calls_made}; messages stored {stored}, acknowledged but not stored {lost}"
    );
    println!(
        "- hot decision (its ring group's start, stored in the same commit as its jobs) to its first Calls.json, under this load, {decision_to_call_count} groups: {}",
        decision_to_call.line()
    );
    for (n, window) in windows.iter_mut().enumerate() {
        let p = Percentiles::of(window);
        let width = options.window.max(1) as usize;
        println!(
            "  - seconds {}-{}: p50 {}, p99 {}, max {}",
            n * width,
            (n + 1) * width,
            ms(p.p50),
            ms(p.p99),
            ms(p.max)
        );
    }
    if let Some(delivered) = delivered {
        println!(
            "- outbound webhooks: a local receiver subscribed to every event of every client got {delivered} signed deliveries by the end"
        );
    }
    if let Some(rss) = rss {
        println!("- server resident memory at the end: {} MiB", rss / 1024);
    }
    println!(
        "- server log: {:.1} MiB over the whole run, read through a pipe{}",
        logged as f64 / (1024.0 * 1024.0),
        match &options.server_log {
            Some(path) => format!(" and written to {}", path.display()),
            None => " and dropped (--server-log keeps it)".to_owned(),
        }
    );
    let target_load = options.rate >= 1000 && options.seconds >= 60 && options.hot_percent >= 10;
    println!(
        "- target 1000/s for 60 s (10% hot) with p99 under 25 ms and zero errors: {}",
        if target_load {
            verdict(
                errors == 0
                    && throughput.p99 < Duration::from_millis(25)
                    && achieved >= 0.99 * f64::from(options.rate),
            )
        } else {
            "not judged (this run's load is lighter)"
        }
    );
    if errors > 0 || service_errors > 0 || lost > 0 {
        failed = true;
    }
    Ok(failed)
}

/// For each ring group whose calls arrived in `arrivals`: the time from
/// its start (the decision's instant, written in the commit that stores its
/// jobs) to the first of its calls reaching the fake Twilio.
async fn decision_to_first_call(
    db: &hotline_db::Db,
    anchor: (Instant, std::time::SystemTime),
    arrivals: &[fake_twilio::CallCreated],
) -> anyhow::Result<Vec<Duration>> {
    use sea_orm::ConnectionTrait;
    let epoch = |at: Instant| -> f64 {
        let wall = if at >= anchor.0 {
            anchor.1 + at.duration_since(anchor.0)
        } else {
            anchor.1 - anchor.0.duration_since(at)
        };
        wall.duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    };
    let mut first_call: std::collections::HashMap<&str, f64> = std::collections::HashMap::new();
    for call in arrivals {
        let at = epoch(call.at);
        first_call
            .entry(call.attempt.as_str())
            .and_modify(|seen| *seen = seen.min(at))
            .or_insert(at);
    }
    let rows = db
        .connection()
        .query_all_raw(sea_orm::Statement::from_string(
            db.backend(),
            "SELECT ca.id::text AS attempt, ca.ring_group_id::text AS grp,              EXTRACT(EPOCH FROM rg.started_at)::float8 AS started              FROM call_attempts ca JOIN ring_groups rg ON rg.id = ca.ring_group_id",
        ))
        .await?;
    let mut groups: std::collections::HashMap<String, (f64, f64)> =
        std::collections::HashMap::new();
    for row in rows {
        let attempt: String = row.try_get("", "attempt")?;
        let Some(&called) = first_call.get(attempt.as_str()) else {
            continue;
        };
        let group: String = row.try_get("", "grp")?;
        let started: f64 = row.try_get("", "started")?;
        groups
            .entry(group)
            .and_modify(|(_, first)| *first = first.min(called))
            .or_insert((started, called));
    }
    Ok(groups
        .values()
        .map(|(started, called)| Duration::from_secs_f64((called - started).max(0.0)))
        .collect())
}

/// How a webhook was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// 200: stored and decided.
    Ok,
    /// 503 at once: the server's bound on requests in flight was reached.
    Refused,
    /// Anything else, or no answer.
    Failed,
}

/// Posts one signed webhook.
async fn post_sms(http: reqwest::Client, url: Arc<str>, sms: SignedSms) -> Answer {
    let sent = http
        .post(&*url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", sms.signature)
        .body(sms.body)
        .send()
        .await;
    match sent {
        Ok(answer) => {
            let status = answer.status();
            let _ = answer.bytes().await;
            match status {
                reqwest::StatusCode::OK => Answer::Ok,
                reqwest::StatusCode::SERVICE_UNAVAILABLE => Answer::Refused,
                _ => Answer::Failed,
            }
        }
        Err(_) => Answer::Failed,
    }
}
