//! What `hotline serve` does as a process: SIGTERM right after a hot
//! after-hours SMS lets the team's texts finish within the grace, then
//! exits 0; agent legs ask for machine detection when configured.

use std::process::Command;
use std::time::{Duration, Instant};

use hotline_testkit::twilio::{Answer, FakeTwilio};

use crate::helpers::Served;

const HOT: &str = "pipe burst, water everywhere, call me asap";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_the_team_texts_already_decided_are_still_sent_then_exit_0() {
    let fake = FakeTwilio::start().await;
    // Each text takes Twilio 1.5 s to answer, so the three are still being
    // sent, one after another, when SIGTERM arrives.
    fake.script((1..=3).map(|n| Answer {
        delay: Duration::from_millis(1500),
        ..Answer::status(201, &format!(r#"{{"sid": "SM{n:032}"}}"#))
    }));
    let mut served =
        Served::start(&fake.base_url, &[("HOTLINE_SHUTDOWN_GRACE_SECONDS", "10")]).await;
    // No business hours: always closed, so a hot lead is texted to the team.
    served.client_with_team(3, false).await;
    assert_eq!(served.sms("SM1", HOT).await, 200);

    // SIGTERM at once, as a deploy would.
    let killed = Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status();
    assert!(killed.is_ok_and(|s| s.success()));
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break status;
        }
        assert!(stopping.elapsed() < Duration::from_secs(20), "did not exit");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    assert_eq!(
        fake.count("/Messages.json"),
        3,
        "every member texted before exit"
    );
    let waited = stopping.elapsed();
    assert!(
        waited >= Duration::from_secs(2),
        "exited after {waited:?} without the texts' time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_legs_ask_for_machine_detection_only_when_configured() {
    for (setting, expected) in [("true", Some("Enable")), ("false", None)] {
        let fake = FakeTwilio::start().await;
        let served = Served::start(
            &fake.base_url,
            &[("HOTLINE_AGENT_MACHINE_DETECTION", setting)],
        )
        .await;
        served.client_with_team(1, true).await;
        assert_eq!(served.sms("SM1", HOT).await, 200);
        let calls = fake.wait_for("/Calls.json", 1).await;
        assert_eq!(calls[0].get("MachineDetection"), expected, "{setting}");
    }
}
