//! `--cockpit`: the owner's pages at scale. One client with a year of
//! history (by default 100,000 leads and 1,000,000 messages, seeded
//! straight into PostgreSQL), then each page an owner opens, signed in as
//! the super-admin, requested one at a time: the dashboard, the leads
//! inbox and its filters, the inbox's second page, a lead's story, and two
//! admin API reads. Prints the latency percentiles of each as a Markdown
//! table against a p95 target of 150 ms.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, SET_COOKIE};

use crate::cockpit_seed::{self, Shape};
use crate::fake_twilio;
use crate::server::{ADMIN_TOKEN, Database, Hotline};
use crate::stats::{Percentiles, ms};

/// The p95 every page should stay under.
const TARGET: Duration = Duration::from_millis(150);
/// Requests of each page before the measured ones.
const WARM_UP: usize = 10;
/// Different leads whose page is requested.
const STORIED_LEADS: u32 = 200;
/// Team members of the seeded client.
const MEMBERS: u32 = 5;
/// The seeded client's Twilio number.
const NUMBER: &str = "+15875559300";
/// The web pages' sign-in guard cookie.
const SIGN_IN_COOKIE: &str = "hotline_sign_in";
/// The web pages' session cookie.
const SESSION_COOKIE: &str = "hotline_session";

/// The size of a run.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// The client's history.
    pub shape: Shape,
    /// Measured requests per page.
    pub samples: u32,
}

/// How a page is requested.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// A web page, with the session cookie.
    Page,
    /// The admin API, with the super-admin's bearer token.
    Api,
}

/// One page to measure: requests go to its paths in turn.
struct Target {
    /// Its name in the table.
    name: String,
    /// Paths (with query) requested round-robin.
    paths: Vec<String>,
    /// How it is requested.
    access: Access,
}

/// One page's latencies.
struct Measured {
    /// Its name in the table.
    name: String,
    /// The measured requests.
    latency: Percentiles,
    /// Requests answered other than 200 with a body, or not at all.
    failures: u32,
}

/// Seeds, signs in and measures every page; whether a request failed.
pub async fn report(scale: Scale, binary: &Path, database: &Database) -> anyhow::Result<bool> {
    let (twilio, _calls) = fake_twilio::start().await;
    let hotline = Hotline::start(binary, &database.url, &twilio.base_url, "0", None).await?;
    let outcome = run(scale, &hotline, database).await;
    hotline.stop();
    outcome
}

/// The run, on a started server.
async fn run(scale: Scale, hotline: &Hotline, database: &Database) -> anyhow::Result<bool> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let client = hotline
        .seed_client(&http, "Cockpit Heating & Plumbing", NUMBER, MEMBERS, 70)
        .await?;
    hotline
        .set_business_hours(&http, &client, weekday_hours())
        .await?;
    let db = sea_orm::Database::connect(&database.url).await?;
    println!("# The owner's pages at scale\n");
    let seeded = cockpit_seed::seed(&db, &client, MEMBERS, scale.shape).await?;
    print_seeded(scale, &seeded);
    let leads = cockpit_seed::storied_leads(&db, &client, STORIED_LEADS).await?;
    let (since, today) = cockpit_seed::last_30_days(&db).await?;
    let _ = db.close().await;
    let base = &hotline.base_url;
    let session = sign_in(&http, base).await?;
    let second = second_page(&http, base, &session, &client).await?;
    let targets = targets(&client, &since, &today, &leads, second);
    let mut results = Vec::with_capacity(targets.len());
    for target in &targets {
        results.push(measure(&http, base, &session, target, scale.samples).await);
    }
    print_table(scale.samples, &results);
    Ok(results.iter().any(|r| r.failures > 0))
}

/// Open Monday to Friday, 08:00 to 18:00 UTC.
fn weekday_hours() -> serde_json::Value {
    let hours: Vec<serde_json::Value> = (1..=5)
        .map(|day| serde_json::json!({"day_of_week": day, "start_time": "08:00", "end_time": "18:00"}))
        .collect();
    serde_json::json!({"timezone": "UTC", "hours": hours, "closures": []})
}

/// The seeding's shape, time and row counts, as Markdown.
fn print_seeded(scale: Scale, seeded: &cockpit_seed::Seeded) {
    println!(
        "- machine: {} cores; server, PostgreSQL and this harness share it",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "- seeded {} leads and {} messages for one client ({MEMBERS} team members) in {:.1} s (seeding and `VACUUM ANALYZE`)",
        scale.shape.leads,
        scale.shape.messages,
        seeded.elapsed.as_secs_f64()
    );
    println!("- seeding steps:");
    for (step, took) in &seeded.steps {
        println!("  - {step}: {:.1} s", took.as_secs_f64());
    }
    let counts: Vec<String> = seeded
        .counts
        .iter()
        .map(|(table, n)| format!("{table} {n}"))
        .collect();
    println!("- rows: {}\n", counts.join(", "));
}

/// Signs in to the web pages as the super-admin: the session cookie's
/// value.
async fn sign_in(http: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let form = http.get(format!("{base}/login")).send().await?;
    let guard = cookie(form.headers(), SIGN_IN_COOKIE).context("GET /login set no guard")?;
    let html = form.text().await?;
    let csrf = attribute_after(&html, "name=\"csrf\"", "value").context("no csrf input")?;
    if csrf != guard {
        bail!("the sign-in form's csrf is not its cookie's");
    }
    let answer = http
        .post(format!("{base}/login"))
        .header(COOKIE, format!("{SIGN_IN_COOKIE}={guard}"))
        .form(&[("csrf", csrf.as_str()), ("token", ADMIN_TOKEN)])
        .send()
        .await?;
    if answer.status() != StatusCode::SEE_OTHER {
        bail!("POST /login answered {}", answer.status());
    }
    cookie(answer.headers(), SESSION_COOKIE)
        .filter(|v| !v.is_empty())
        .context("POST /login set no session")
}

/// The value `name` is set to by a `Set-Cookie` of `headers`.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The value of attribute `name` in the tag of `html` that contains
/// `marker`, `&amp;` read as `&`.
fn attribute_after(html: &str, marker: &str, name: &str) -> Option<String> {
    let at = html.find(marker)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let key = format!("{name}=\"");
    let value = &tag[tag.find(&key)? + key.len()..];
    Some(value[..value.find('"')?].replace("&amp;", "&"))
}

/// The inbox's second page: the `rel="next"` link of its first.
async fn second_page(
    http: &reqwest::Client,
    base: &str,
    session: &str,
    client: &str,
) -> anyhow::Result<String> {
    let first = http
        .get(format!("{base}/clients/{client}/leads"))
        .header(COOKIE, format!("{SESSION_COOKIE}={session}"))
        .send()
        .await?;
    if first.status() != StatusCode::OK {
        bail!("the inbox answered {}", first.status());
    }
    let html = first.text().await?;
    attribute_after(&html, "rel=\"next\"", "href").context("the inbox has no next page")
}

/// The pages measured, in the table's order.
fn targets(
    client: &str,
    since: &str,
    today: &str,
    leads: &[String],
    second: String,
) -> Vec<Target> {
    let page = |name: &str, path: String| Target {
        name: name.to_owned(),
        paths: vec![path],
        access: Access::Page,
    };
    let api = |name: &str, path: String| Target {
        name: name.to_owned(),
        paths: vec![path],
        access: Access::Api,
    };
    let web = format!("/clients/{client}");
    let mut targets = vec![
        page("dashboard, today", format!("{web}/dashboard")),
        page(
            "dashboard, last 30 days",
            format!("{web}/dashboard?from={since}&to={today}"),
        ),
        page("leads inbox, first page", format!("{web}/leads")),
    ];
    for status in ["waiting", "hot", "booked", "after_hours"] {
        targets.push(page(
            &format!("leads `?status={status}`"),
            format!("{web}/leads?status={status}"),
        ));
    }
    targets.push(page("leads inbox, second page (`?before=`)", second));
    targets.push(Target {
        name: format!("a lead's page ({} different leads)", leads.len()),
        paths: leads.iter().map(|id| format!("{web}/leads/{id}")).collect(),
        access: Access::Page,
    });
    targets.push(api(
        "API `stats`, last 30 days",
        format!("/api/clients/{client}/stats?from={since}&to={today}"),
    ));
    targets.push(api("API `leads`", format!("/api/clients/{client}/leads")));
    targets
}

/// Requests `target` `samples` times one at a time, after a warm-up.
async fn measure(
    http: &reqwest::Client,
    base: &str,
    session: &str,
    target: &Target,
    samples: u32,
) -> Measured {
    let mut latencies = Vec::with_capacity(samples as usize);
    let mut failures = 0;
    let paths = target.paths.iter().cycle();
    for (n, path) in paths.take(WARM_UP + samples as usize).enumerate() {
        let started = Instant::now();
        let ok = fetch(http, base, session, path, target.access).await;
        let took = started.elapsed();
        if n < WARM_UP {
            continue;
        }
        match ok {
            Ok(()) => latencies.push(took),
            Err(error) => {
                if failures == 0 {
                    eprintln!("{}: {error:#}", target.name);
                }
                failures += 1;
            }
        }
    }
    Measured {
        name: target.name.clone(),
        latency: Percentiles::of(&mut latencies),
        failures,
    }
}

/// One request, its whole body read: an error unless 200 and non-empty.
async fn fetch(
    http: &reqwest::Client,
    base: &str,
    session: &str,
    path: &str,
    access: Access,
) -> anyhow::Result<()> {
    let request = http.get(format!("{base}{path}"));
    let request = match access {
        Access::Page => request.header(COOKIE, format!("{SESSION_COOKIE}={session}")),
        Access::Api => request.header(AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}")),
    };
    let answer = request.send().await?;
    let status = answer.status();
    let body = answer.bytes().await?;
    if status != StatusCode::OK || body.is_empty() {
        bail!("{path}: {status}, {} bytes", body.len());
    }
    Ok(())
}

/// The results as a Markdown table.
fn print_table(samples: u32, results: &[Measured]) {
    println!(
        "{samples} sequential requests per page after {WARM_UP} warm-up requests, each timed to \
         its last byte.\n"
    );
    println!("| page | p50 | p95 | p99 | max | target (p95 < 150 ms) | met? |");
    println!("|---|---|---|---|---|---|---|");
    for result in results {
        let p = &result.latency;
        let met = if result.failures > 0 {
            format!("FAILED ({} errors)", result.failures)
        } else if p.p95 < TARGET {
            "met".to_owned()
        } else {
            "**missed**".to_owned()
        };
        println!(
            "| {} | {} | {} | {} | {} | < {} ms | {met} |",
            result.name,
            ms(p.p50),
            ms(p.p95),
            ms(p.p99),
            ms(p.max),
            TARGET.as_millis()
        );
    }
    let failures: u32 = results.iter().map(|r| r.failures).sum();
    println!("\nfailed requests: {failures}");
}
