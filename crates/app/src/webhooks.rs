//! Outbound webhooks over HTTP: each event posted as the Standard Webhooks
//! specification says (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
//! keyed with the base64-decoded `whsec_` secret), and no request to a
//! loopback, private, link-local or unspecified address unless allowed:
//! checked when an endpoint is created and again on every address a
//! delivery actually connects to (DNS can change).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use hotline_domain::webhooks::{
    AddressGuard, DeliveryError, Event, WebhookEndpoint, WebhookSender,
};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use sha2::Sha256;

/// How long a receiver has to answer.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether Hotline must not call `ip` (unless private addresses are allowed).
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                // Carrier-grade NAT, 100.64.0.0/10.
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local fc00::/7 and link-local fe80::/10.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Resolves names for deliveries, keeping only addresses Hotline may call.
#[derive(Debug, Clone, Copy)]
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || !is_private(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{host} resolves to no address Hotline may call").into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// The `v1,` signature of one delivery.
///
/// # Errors
///
/// When the secret is not `whsec_` and base64.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, String> {
    let key = BASE64_STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|e| format!("secret is not base64: {e}"))?;
    let mut mac =
        Hmac::<Sha256>::new_from_slice(&key).map_err(|e| format!("unusable secret: {e}"))?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Ok(format!(
        "v1,{}",
        BASE64_STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The JSON body of an event: `{"type", "timestamp", "data"}`, the data
/// carrying `client_id` and `lead_id`.
pub fn body(event: &Event) -> String {
    let mut tagged = serde_json::to_value(&event.data).unwrap_or_default();
    let mut data = tagged
        .get_mut("data")
        .map(serde_json::Value::take)
        .unwrap_or_else(|| serde_json::json!({}));
    if let Some(fields) = data.as_object_mut() {
        fields.insert("client_id".into(), event.client_id.to_string().into());
        fields.insert("lead_id".into(), event.lead_id.to_string().into());
    }
    serde_json::json!({
        "type": event.data.type_name(),
        "timestamp": event.timestamp,
        "data": data,
    })
    .to_string()
}

/// Posts signed events to endpoints.
#[derive(Debug, Clone)]
pub struct HttpWebhookSender {
    http: reqwest::Client,
    allow_private: bool,
}

impl HttpWebhookSender {
    /// A sender; `allow_private` lets deliveries reach private addresses.
    ///
    /// # Errors
    ///
    /// When the HTTP client cannot be built.
    pub fn new(allow_private: bool) -> Result<Self, reqwest::Error> {
        // One TLS crypto provider for the process (ring, as sqlx uses);
        // already installed is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(DELIVERY_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .user_agent(concat!("hotline-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            allow_private,
        })
    }
}

/// The host of `url` as an address, when it is one.
fn literal_address(url: &reqwest::Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

#[async_trait]
impl WebhookSender for HttpWebhookSender {
    async fn deliver(
        &self,
        endpoint: &WebhookEndpoint,
        event: &Event,
        _attempt: u32,
    ) -> Result<u16, DeliveryError> {
        let url = reqwest::Url::parse(&endpoint.url)
            .map_err(|e| DeliveryError::Unreachable(format!("bad URL: {e}")))?;
        // A name goes through the guarded resolver; an address is checked here.
        if let Some(ip) = literal_address(&url)
            && !self.allow_private
            && is_private(ip)
        {
            return Err(DeliveryError::Unreachable(format!(
                "{ip} is not an address Hotline may call"
            )));
        }
        let body = body(event);
        let id = event.id.to_string();
        let timestamp = jiff::Timestamp::now().as_second();
        let signature =
            sign(&endpoint.secret, &id, timestamp, &body).map_err(DeliveryError::Unreachable)?;
        let answer = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::Unreachable(e.to_string()))?;
        let status = answer.status().as_u16();
        if answer.status().is_success() {
            Ok(status)
        } else {
            Err(DeliveryError::Status(status))
        }
    }
}

/// Checks endpoint URLs when they are created.
#[derive(Debug, Clone, Copy)]
pub struct ResolvingGuard {
    /// Private addresses allowed (`HOTLINE_WEBHOOK_ALLOW_PRIVATE`).
    pub allow_private: bool,
}

#[async_trait]
impl AddressGuard for ResolvingGuard {
    async fn check(&self, url: &str) -> Result<(), String> {
        let url = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("must be http or https".to_owned());
        }
        if self.allow_private {
            return Ok(());
        }
        let addresses: Vec<IpAddr> = match literal_address(&url) {
            Some(ip) => vec![ip],
            None => {
                let host = url.host_str().ok_or("no host")?;
                let port = url.port_or_known_default().unwrap_or(443);
                tokio::net::lookup_host((host, port))
                    .await
                    .map_err(|e| format!("cannot resolve {host}: {e}"))?
                    .map(|a| a.ip())
                    .collect()
            }
        };
        match addresses.iter().find(|ip| is_private(**ip)) {
            Some(ip) => Err(format!(
                "{ip} is a loopback, private, link-local or unspecified address"
            )),
            None if addresses.is_empty() => Err("resolves to no address".to_owned()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_standard_webhooks_example() {
        // The specification's published example, also what the official
        // Python library (`standardwebhooks`) signs for these inputs.
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            signature.as_deref(),
            Ok("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[tokio::test]
    async fn endpoints_on_private_addresses_or_names_resolving_to_them_are_refused() {
        let guard = ResolvingGuard {
            allow_private: false,
        };
        for url in [
            "http://localhost:8080/hooks",
            "http://127.0.0.1/hooks",
            "https://[::1]/hooks",
            "http://10.0.0.7/hooks",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert!(guard.check(url).await.is_err(), "{url}");
        }
        assert!(guard.check("https://93.184.215.14/hooks").await.is_ok());
        let allowed = ResolvingGuard {
            allow_private: true,
        };
        assert!(allowed.check("http://localhost:8080/hooks").await.is_ok());
    }

    #[tokio::test]
    async fn a_delivery_never_connects_to_a_private_address() {
        let sender = HttpWebhookSender::new(false).unwrap_or_else(|e| panic!("{e}"));
        let event = Event {
            id: uuid::Uuid::from_u128(1),
            client_id: hotline_domain::ClientId::from_uuid(uuid::Uuid::from_u128(2)),
            lead_id: hotline_domain::LeadId::from_uuid(uuid::Uuid::from_u128(3)),
            timestamp: "2026-11-30T12:00:00Z".to_owned(),
            data: hotline_domain::webhooks::EventData::LeadBooked {},
        };
        // A receiver that would answer, on loopback: it must see nothing.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(9);
        for url in [
            format!("http://127.0.0.1:{port}/hooks"),
            format!("http://localhost:{port}/hooks"),
        ] {
            let endpoint = WebhookEndpoint {
                id: hotline_domain::webhooks::EndpointId(uuid::Uuid::from_u128(4)),
                client_id: event.client_id,
                url: url.clone(),
                events: Vec::new(),
                description: None,
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned(),
                created_at: jiff::Timestamp::UNIX_EPOCH,
            };
            let sent = sender.deliver(&endpoint, &event, 1).await;
            assert!(
                matches!(&sent, Err(DeliveryError::Unreachable(_))),
                "{url}: {sent:?}"
            );
        }
        let connected = tokio::time::timeout(Duration::from_millis(200), listener.accept()).await;
        assert!(connected.is_err(), "a private address was connected to");
    }

    #[test]
    fn private_loopback_link_local_and_unspecified_addresses_are_refused() {
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            let ip: IpAddr = refused.parse().unwrap_or_else(|e| panic!("{e}"));
            assert!(is_private(ip), "{refused}");
        }
        for allowed in ["8.8.8.8", "2606:4700::1111", "172.32.0.1"] {
            let ip: IpAddr = allowed.parse().unwrap_or_else(|e| panic!("{e}"));
            assert!(!is_private(ip), "{allowed}");
        }
    }
}
