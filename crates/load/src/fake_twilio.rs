//! The test kit's stand-in for Twilio's REST API, with each `Calls.json`
//! arrival (when, and the caller ID) streamed to the harness.

use std::time::Instant;

use hotline_testkit::twilio::FakeTwilio;
use tokio::sync::mpsc;

/// A call creation seen by the fake.
#[derive(Debug, Clone)]
pub struct CallCreated {
    /// When it arrived.
    pub at: Instant,
    /// The `From` of the call: the client's number.
    pub from: String,
    /// The call attempt it is for (the last part of its answer `Url`).
    pub attempt: String,
}

/// Starts the test kit's fake of Twilio on a free port: the fake (for its
/// URL and counts) and a stream of call creations.
pub async fn start() -> (FakeTwilio, mpsc::UnboundedReceiver<CallCreated>) {
    let fake = FakeTwilio::start().await;
    let mut requests = fake.subscribe();
    let (sender, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(request) = requests.recv().await {
            if request.path.ends_with("/Calls.json") {
                let from = request.get("From").unwrap_or_default().to_owned();
                let attempt = request
                    .get("Url")
                    .and_then(|url| url.rsplit('/').next())
                    .unwrap_or_default()
                    .to_owned();
                if sender
                    .send(CallCreated {
                        at: request.at,
                        from,
                        attempt,
                    })
                    .is_err()
                {
                    break;
                }
            }
        }
    });
    (fake, receiver)
}
