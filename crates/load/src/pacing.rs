//! Speed to lead under Twilio's real call pacing (1 call per second): for
//! a 10-member team, the time from a hot SMS to the last phone ringing,
//! with `simultaneous` (one REST call per member, paced) against
//! `lead_first` (one REST call to the lead, then one `<Dial>` ringing every
//! member at once, which Twilio does not pace). The fake Twilio tells when
//! each leg would ring: a `Calls.json` arrival, or for `lead_first` the
//! moment the lead's `<Dial>` is fetched.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hotline_twilio::signature::expected_signature;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::fake_twilio::CallCreated;
use crate::requests::{HOT, lead_phone, message_sid, signed_sms};
use crate::server::{AUTH_TOKEN, Hotline};
use crate::stats::{Percentiles, ms};
use crate::{fake_twilio, server};

/// What one strategy measured.
pub struct Measured {
    /// SMS to the last phone ringing.
    pub last_phone: Percentiles,
    /// Of which Hotline's own time (the lead's pick-up excluded).
    pub own_time: Percentiles,
}

/// The 10-member client measured.
pub struct Team<'a> {
    /// Its id.
    pub client: &'a str,
    /// Its Twilio number.
    pub number: &'a str,
}

/// Hot SMS to the team, `samples` times (lead phones of `series`), with
/// the client's strategy set to `strategy` first.
pub async fn measure(
    hotline: &Hotline,
    http: &reqwest::Client,
    team: &Team<'_>,
    strategy: &str,
    samples: u32,
    calls: &mut UnboundedReceiver<CallCreated>,
    series: u32,
) -> anyhow::Result<Measured> {
    let Team { client, number } = *team;
    hotline
        .set_strategy(http, client, strategy)
        .await
        .with_context(|| format!("cannot set {strategy}"))?;
    let sms_url = format!("{}/api/webhook/sms", hotline.base_url);
    let mut last_phone = Vec::new();
    let mut own_time = Vec::new();
    for n in 0..samples {
        // A lead arriving while the account is idle: the pacer's last call
        // is more than a second old.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        while calls.try_recv().is_ok() {}
        let sms = signed_sms(
            &sms_url,
            AUTH_TOKEN,
            &message_sid(series, n),
            &lead_phone(series, n),
            number,
            HOT,
        );
        let sent = Instant::now();
        let answer = http
            .post(&sms_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-twilio-signature", sms.signature)
            .body(sms.body)
            .send()
            .await?;
        if !answer.status().is_success() {
            bail!("hot SMS answered {}", answer.status());
        }
        if strategy == "lead_first" {
            let lead_call = next_call(calls, number).await?;
            let created = lead_call.at.duration_since(sent);
            // Act as Twilio: the lead picks up at once; the <Dial> rings
            // every member when its TwiML is fetched.
            let url = format!("{}/api/voice/lead/{}", hotline.base_url, lead_call.attempt);
            let params = vec![
                ("CallSid".to_owned(), format!("CA{n:032}")),
                ("AnsweredBy".to_owned(), "human".to_owned()),
            ];
            let signature = expected_signature(AUTH_TOKEN, &url, &params);
            let fetched = Instant::now();
            let twiml = http
                .post(&url)
                .header("x-twilio-signature", signature)
                .form(&params)
                .send()
                .await?
                .text()
                .await?;
            let dial = fetched.elapsed();
            let numbers = twiml.matches("<Number ").count();
            if numbers != 10 {
                bail!("the lead's <Dial> rings {numbers} phones, not 10: {twiml}");
            }
            last_phone.push(sent.elapsed());
            own_time.push(created + dial);
        } else {
            let mut last = None;
            for _ in 0..10 {
                last = Some(next_call(calls, number).await?.at);
            }
            let at = last.context("no call")?;
            last_phone.push(at.duration_since(sent));
            own_time.push(at.duration_since(sent));
        }
    }
    Ok(Measured {
        last_phone: Percentiles::of(&mut last_phone),
        own_time: Percentiles::of(&mut own_time),
    })
}

async fn next_call(
    calls: &mut UnboundedReceiver<CallCreated>,
    from: &str,
) -> anyhow::Result<CallCreated> {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), calls.recv()).await {
            Ok(Some(call)) if call.from == from => return Ok(call),
            Ok(Some(_)) => {}
            _ => bail!("no call from {from} within 30 s"),
        }
    }
}

/// Speed to lead at 1 call per second: `simultaneous` against `lead_first`.
pub async fn report(
    samples: u32,
    binary: &std::path::Path,
    database: &server::Database,
) -> anyhow::Result<bool> {
    let (twilio, mut calls) = fake_twilio::start().await;
    let hotline =
        server::Hotline::start(binary, &database.url, &twilio.base_url, "1", None).await?;
    let http = reqwest::Client::new();
    let number = "+15875559100";
    let client = hotline
        .seed_client(&http, "Ten phones, paced", number, 10, 98)
        .await?;
    println!("# Speed to lead under Twilio's pacing (1 call per second, 10 phones)\n");
    println!(
        "{samples} hot SMS per strategy; \"last phone\" is the SMS to the tenth phone ringing (a \
         `Calls.json` arrival at the fake Twilio, or for lead_first the lead's `<Dial>` of ten \
         `<Number>`s fetched, the lead answering at once); Hotline's own time leaves out the \
         lead's pick-up.\n"
    );
    println!(
        "| strategy | last phone p50 | p95 | max | Hotline's own time p50 | p95 |\n|---|---|---|---|---|---|"
    );
    for (n, strategy) in ["simultaneous", "lead_first"].into_iter().enumerate() {
        let measured = measure(
            &hotline,
            &http,
            &Team {
                client: &client,
                number,
            },
            strategy,
            samples,
            &mut calls,
            10 + u32::try_from(n).unwrap_or(0),
        )
        .await?;
        println!(
            "| {strategy} | {} | {} | {} | {} | {} |",
            ms(measured.last_phone.p50),
            ms(measured.last_phone.p95),
            ms(measured.last_phone.max),
            ms(measured.own_time.p50),
            ms(measured.own_time.p95)
        );
    }
    hotline.stop();
    Ok(false)
}
