//! The web pages' sign-in, cookies and CSRF checks, over plain HTTP.

use reqwest::Method;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};

const MONDAY_18: &str = "2026-11-23T18:00:00-07:00";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The `Set-Cookie` header for `name`.
fn set_cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

fn cookie_value(header: &str) -> String {
    header
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

/// The value of the hidden `csrf` field in a page.
fn csrf_field(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("no csrf in {html}"));
    let rest = &html[at + 19..];
    rest[..rest.find('"').unwrap_or(0)].to_owned()
}

/// Signs in with `token`: the session cookie header as sent back.
async fn signed_in(app: &TestApp, http: &reqwest::Client, token: &str) -> reqwest::Response {
    let page = http
        .get(format!("{}/login", app.base_url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let guard = cookie_value(&set_cookie(&page, "hotline_sign_in"));
    let html = page.text().await.unwrap_or_default();
    http.post(format!("{}/login", app.base_url))
        .header(COOKIE, format!("hotline_sign_in={guard}"))
        .form(&[("csrf", csrf_field(&html).as_str()), ("token", token)])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_forms_need_the_csrf_token() {
    let app = spawn_app(MONDAY_18, 1).await;
    let http = no_redirects();
    let (_, clients) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    let client = clients[0]["id"].as_str().unwrap_or_default().to_owned();
    let hours = format!("{}/clients/{client}/hours", app.base_url);

    let anonymous = http
        .get(&hours)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()[LOCATION], "/login");

    let refused = signed_in(&app, &http, "not-a-token").await;
    assert_eq!(refused.status(), 401);
    assert!(refused.headers().get_all(SET_COOKIE).iter().all(|v| {
        !v.to_str()
            .unwrap_or_default()
            .starts_with("hotline_session=")
    }));

    let forged = http
        .post(format!("{}/login", app.base_url))
        .form(&[("csrf", "guess"), ("token", ADMIN_TOKEN)])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(forged.status(), 403);

    let accepted = signed_in(&app, &http, ADMIN_TOKEN).await;
    assert_eq!(accepted.status(), 303);
    let session = set_cookie(&accepted, "hotline_session");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Strict"), "{session}");
    assert!(!session.contains("Secure"), "plain http: {session}");
    let cookie = format!("hotline_session={}", cookie_value(&session));

    let page = http
        .get(&hours)
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    let html = page.text().await.unwrap_or_default();
    let csrf = csrf_field(&html);

    // Without the token, a save is refused and the stored hours stay.
    let forged_save = http
        .post(&hours)
        .header(COOKIE, &cookie)
        .form(&[
            ("timezone", "UTC"),
            ("shift0_day", "2"),
            ("shift0_start", "10:00"),
            ("shift0_end", "11:00"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(forged_save.status(), 403);
    let (_, stored) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/business-hours"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(stored["timezone"], "America/Edmonton");
    assert_eq!(stored["hours"][0]["day_of_week"], 1);

    // A shift posted for a day that does not exist is refused next to its
    // row, never read as another day; nothing is saved.
    let day_nine = http
        .post(&hours)
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("timezone", "America/Edmonton"),
            ("shift0_day", "9"),
            ("shift0_start", "10:00"),
            ("shift0_end", "11:00"),
            ("shift0_active", "on"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(day_nine.status(), 200);
    let refused = day_nine.text().await.unwrap_or_default();
    assert!(refused.contains("data-field=\"day_of_week\""), "{refused}");
    assert!(refused.contains("got 9"), "{refused}");
    let (_, stored) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/business-hours"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(
        stored["hours"].as_array().map(Vec::len),
        Some(1),
        "{stored}"
    );
    assert_eq!(stored["hours"][0]["day_of_week"], 1);

    // With it, the save lands.
    let saved = http
        .post(&hours)
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("timezone", "America/Regina"),
            ("shift0_day", "2"),
            ("shift0_start", "10:00"),
            ("shift0_end", "24:00"),
            ("shift0_active", "on"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved.status(), 303);
    let (_, stored) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/business-hours"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(stored["timezone"], "America/Regina");
    assert_eq!(stored["hours"][0]["end_time"], "24:00");

    // Signing out ends the session on the server.
    let out = http
        .post(format!("{}/logout", app.base_url))
        .header(COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status(), 303);
    assert!(set_cookie(&out, "hotline_session").contains("Max-Age=0"));
    let after = http
        .get(&hours)
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after.status(), 303, "the old cookie still works");
}
