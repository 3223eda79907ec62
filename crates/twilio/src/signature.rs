//! Validation of Twilio's `X-Twilio-Signature` webhook header.
//!
//! Twilio signs each webhook with HMAC-SHA1, keyed with the account's auth
//! token, over the full URL it called (query included) followed by every POST
//! parameter as key then value, keys sorted (repeated keys contribute each
//! distinct value, sorted), and sends the base64 of the digest. A signature
//! over the same URL with or without the default port (`:443` for https,
//! `:80` for http) is accepted, as Twilio's own libraries do. Comparison is
//! constant-time.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

type HmacSha1 = Hmac<Sha1>;

/// The string Twilio signs: the URL, then each sorted key and its values.
fn signed_payload(url: &str, params: &[(String, String)]) -> String {
    let mut keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut payload = url.to_owned();
    for key in keys {
        let mut values: Vec<&str> = params
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect();
        values.sort_unstable();
        values.dedup();
        for value in values {
            payload.push_str(key);
            payload.push_str(value);
        }
    }
    payload
}

fn mac(auth_token: &str, payload: &str) -> Option<HmacSha1> {
    let mut mac = HmacSha1::new_from_slice(auth_token.as_bytes()).ok()?;
    mac.update(payload.as_bytes());
    Some(mac)
}

/// The signature Twilio would send for `url` and `params`.
pub fn expected_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    mac(auth_token, &signed_payload(url, params))
        .map(|mac| STANDARD.encode(mac.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `header` is a valid signature of `url` and `params`, also
/// accepting the URL with its default port added or removed. A missing,
/// empty or non-base64 header is invalid.
pub fn is_valid(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    header: Option<&str>,
) -> bool {
    let Some(given) = header.map(str::trim).filter(|h| !h.is_empty()) else {
        return false;
    };
    let Ok(given) = STANDARD.decode(given) else {
        return false;
    };
    url_variants(url).iter().any(|candidate| {
        mac(auth_token, &signed_payload(candidate, params))
            .is_some_and(|mac| mac.verify_slice(&given).is_ok())
    })
}

/// `url` as given, plus the same URL with the default port toggled.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_owned()];
    let (scheme, default_port) = if url.starts_with("https://") {
        ("https://", ":443")
    } else if url.starts_with("http://") {
        ("http://", ":80")
    } else {
        return variants;
    };
    let rest = &url[scheme.len()..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let toggled = match authority.strip_suffix(default_port) {
        Some(host) => format!("{scheme}{host}{tail}"),
        None if !authority.contains(':') || authority.ends_with(']') => {
            format!("{scheme}{authority}{default_port}{tail}")
        }
        None => return variants,
    };
    variants.push(toggled);
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Twilio's published example.
    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const SIGNATURE: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    fn published_params() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    #[test]
    fn twilios_published_vector() {
        assert_eq!(
            expected_signature(TOKEN, URL, &published_params()),
            SIGNATURE
        );
        assert!(is_valid(TOKEN, URL, &published_params(), Some(SIGNATURE)));
    }

    #[test]
    fn parameter_order_does_not_matter() {
        let mut reversed = published_params();
        reversed.reverse();
        assert!(is_valid(TOKEN, URL, &reversed, Some(SIGNATURE)));
    }

    #[test]
    fn tampering_a_wrong_token_or_a_missing_header_fail() {
        let mut tampered = published_params();
        tampered[2].1 = "1235".to_owned();
        assert!(!is_valid(TOKEN, URL, &tampered, Some(SIGNATURE)));
        let mut extra = published_params();
        extra.push(("Body".to_owned(), "hi".to_owned()));
        assert!(!is_valid(TOKEN, URL, &extra, Some(SIGNATURE)));
        assert!(!is_valid(
            "54321",
            URL,
            &published_params(),
            Some(SIGNATURE)
        ));
        assert!(!is_valid(
            TOKEN,
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            &published_params(),
            Some(SIGNATURE)
        ));
        assert!(!is_valid(TOKEN, URL, &published_params(), None));
        assert!(!is_valid(TOKEN, URL, &published_params(), Some("")));
        assert!(!is_valid(
            TOKEN,
            URL,
            &published_params(),
            Some("not base64!")
        ));
    }

    #[test]
    fn default_port_variants_are_accepted_both_ways() {
        let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        let signed_with_port = expected_signature(TOKEN, with_port, &published_params());
        assert!(is_valid(
            TOKEN,
            URL,
            &published_params(),
            Some(&signed_with_port)
        ));
        assert!(is_valid(
            TOKEN,
            with_port,
            &published_params(),
            Some(SIGNATURE)
        ));
        let http = "http://example.com/hook";
        let signed_http_80 = expected_signature(TOKEN, "http://example.com:80/hook", &[]);
        assert!(is_valid(TOKEN, http, &[], Some(&signed_http_80)));
        let other_port = expected_signature(
            TOKEN,
            "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
            &published_params(),
        );
        assert!(!is_valid(
            TOKEN,
            URL,
            &published_params(),
            Some(&other_port)
        ));
    }

    #[test]
    fn repeated_keys_are_all_signed() {
        let once = pairs(&[("StatusCallbackEvent", "ringing")]);
        let twice = pairs(&[
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
        ]);
        let signature = expected_signature(TOKEN, URL, &twice);
        assert!(is_valid(TOKEN, URL, &twice, Some(&signature)));
        assert!(!is_valid(TOKEN, URL, &once, Some(&signature)));
    }
}
