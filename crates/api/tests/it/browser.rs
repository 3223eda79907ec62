//! The admin pages in headless Chromium, driven over WebDriver: sign-in,
//! business hours, "test a time", the dashboard against the stats API, the
//! team page, and one admin never seeing another's client.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs
//! them and sets `HOTLINE_CI=1`, so CI cannot skip this).
//! Without them, and without that variable, the test says so and returns.
//! `HOTLINE_SCREENSHOTS=DIR` saves the settings page and the dashboard.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, LEAD_PHONE, TestApp, spawn_app};
use crate::page_kit::sign_in;
use crate::webdriver::{Browser, ConsoleEntry};

const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";
const DAY: &str = "2026-11-23";
const HOT: &str = "Water pouring through the ceiling, can someone come today?";

/// Two hot leads: one accepted by the first agent, one still ringing.
async fn some_activity(app: &TestApp) {
    assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
    let calls = app.twilio.wait_for("/Calls.json", 2).await;
    let first = &calls[0];
    let sid = format!("CA{:032}", 1);
    let dial = app.answer_and_press_1(first, &sid).await;
    assert!(dial.contains("<Dial"), "{dial}");
    assert_eq!(app.sms("SM2", "+14035550143", HOT).await.status(), 200);
    app.twilio.wait_for("/Calls.json", 4).await;
}

/// A new admin granted `clients`; their one-time token.
async fn new_admin(app: &TestApp, email: &str, clients: &[&str]) -> String {
    let (status, body) = app
        .api(
            Method::POST,
            "/api/admins",
            ADMIN_TOKEN,
            Some(json!({ "email": email, "client_ids": clients })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["token"].as_str().unwrap_or_default().to_owned()
}

fn assert_quiet(step: &str, entries: &[ConsoleEntry]) {
    let errors: Vec<String> = entries
        .iter()
        .filter(|e| e.level == "SEVERE" || e.level == "WARNING")
        .map(|e| format!("{}: {}", e.level, e.message))
        .collect();
    assert!(errors.is_empty(), "{step}: console errors {errors:?}");
}

async fn save_screenshot(browser: &Browser, name: &str, height: u32) {
    let Ok(dir) = std::env::var("HOTLINE_SCREENSHOTS") else {
        return;
    };
    browser.resize(1280, height).await;
    let png = browser.screenshot().await;
    std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap_or_else(|e| panic!("{e}"));
    browser.resize(1280, 1000).await;
}

async fn client_options(browser: &Browser) -> Vec<String> {
    let mut names = Vec::new();
    for option in browser.find_all("#client-select option").await {
        names.push(browser.text(&option).await);
    }
    names
}

async fn shift_value(browser: &Browser, day: u8, part: &str) -> String {
    let input = browser
        .find(&format!(
            ".day[data-day=\"{day}\"] input[name$=\"_{part}\"]"
        ))
        .await;
    browser.attribute(&input, "value").await.unwrap_or_default()
}

async fn set_shift(browser: &Browser, day: u8, start: &str, end: &str) {
    let start_input = browser
        .find(&format!(".day[data-day=\"{day}\"] input[name$=\"_start\"]"))
        .await;
    browser.fill(&start_input, start).await;
    let end_input = browser
        .find(&format!(".day[data-day=\"{day}\"] input[name$=\"_end\"]"))
        .await;
    browser.fill(&end_input, end).await;
}

async fn test_time(browser: &Browser, app: &TestApp, client: &str, at: &str) -> String {
    browser
        .goto(&format!("{}/clients/{client}/hours", app.base_url))
        .await;
    let (date, time) = at.split_once(' ').unwrap_or((at, ""));
    // Date and time inputs take their values in ISO form whatever the locale.
    browser
        .eval(&format!(
            "document.querySelector('#test-date').value = '{date}'; \
             document.querySelector('#test-time-of-day').value = '{time}'; return true;"
        ))
        .await;
    let button = browser
        .find("section[aria-labelledby=test-time] button")
        .await;
    browser.click_and_wait(&button).await;
    let answer = browser.find("#test-answer").await;
    browser.text(&answer).await
}

#[tokio::test]
async fn admins_sign_in_set_hours_test_times_and_read_the_dashboard_in_chromium() {
    if !Browser::available() {
        assert!(
            std::env::var_os("HOTLINE_CI").is_none(),
            "HOTLINE_CI is set but chromium/chromedriver are not installed"
        );
        eprintln!("skipped: install Debian's chromium and chromium-driver to run the browser test");
        return;
    }
    let app = spawn_app(MONDAY_14, 2).await;
    some_activity(&app).await;
    let (_, clients) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    let client_a = clients[0]["id"].as_str().unwrap_or_default().to_owned();
    let (status, client_b) = app
        .api(
            Method::POST,
            "/api/clients",
            ADMIN_TOKEN,
            Some(json!({"name": "Bow River Clinic", "twilio_number": "+15875550202", "timezone": "America/Toronto"})),
        )
        .await;
    assert_eq!(status, 201, "{client_b}");
    let client_b = client_b["id"].as_str().unwrap_or_default().to_owned();
    let token_a = new_admin(&app, "a@example.com", &[&client_a]).await;
    let token_b = new_admin(&app, "b@example.com", &[&client_b]).await;
    let hours_path = format!("/api/clients/{client_a}/business-hours");
    let (status, _) = app
        .api(
            Method::PUT,
            &hours_path,
            ADMIN_TOKEN,
            Some(json!({"timezone": "America/Edmonton", "hours": [], "closures": []})),
        )
        .await;
    assert_eq!(status, 200);

    let browser = Browser::start().await;

    // Sign in: admin A lands on their client's dashboard and sees only it.
    sign_in(&browser, &app, &token_a).await;
    assert!(
        browser
            .url()
            .await
            .ends_with(&format!("/clients/{client_a}/dashboard")),
        "{} vs {client_a}",
        browser.url().await
    );
    assert_eq!(client_options(&browser).await, ["Acme Roofing"]);
    assert_quiet("dashboard", &browser.console().await);

    // The dashboard shows the stats API's figures for the same day.
    browser
        .goto(&format!(
            "{}/clients/{client_a}/dashboard?from={DAY}&to={DAY}",
            app.base_url
        ))
        .await;
    let (status, stats) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client_a}/stats?from={DAY}&to={DAY}"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(stats["ring_groups"], 2, "{stats}");
    assert_eq!(stats["answered"], 1, "{stats}");
    let figures = browser.find_all("dd[data-stat]").await;
    assert_eq!(figures.len(), 13);
    for figure in &figures {
        let key = browser
            .attribute(figure, "data-stat")
            .await
            .unwrap_or_default();
        assert!(stats.get(&key).is_some(), "{key} not in {stats}");
        // A figure without a value (no acceptance, no claim) is null in
        // the API and shown as a dash.
        let Some(raw) = browser.attribute(figure, "data-value").await else {
            let null_or_unanswered = stats[&key].is_null() || stats["answered"] == 0;
            assert!(null_or_unanswered, "{key}: no value on the page, {stats}");
            assert_eq!(browser.text(figure).await, "–", "{key}");
            continue;
        };
        let shown: f64 = raw.parse().unwrap_or_else(|e| panic!("{key}: {e}"));
        let expected = stats[&key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} not in {stats}"));
        assert!(
            (shown - expected).abs() < 1e-9,
            "{key}: page {shown}, API {expected}"
        );
    }
    let answer_rate = browser.find("dd[data-stat=answer_rate]").await;
    assert_eq!(browser.text(&answer_rate).await, "50%");
    // One row per hot lead rung in the period, each linking to its story.
    let calls = browser.find_all("#calls tbody tr a").await;
    assert_eq!(calls.len(), 2);
    // The per-agent figures are the API's, one row per agent rung.
    let agents = stats["agents"].as_array().cloned().unwrap_or_default();
    assert!(!agents.is_empty(), "{stats}");
    let rows = browser.find_all("#agents tbody tr").await;
    assert_eq!(rows.len(), agents.len(), "{stats}");
    for agent in &agents {
        let id = agent["team_member_id"].as_str().unwrap_or_default();
        let rung = browser
            .find(&format!(
                "#agents tr[data-team-member='{id}'] td:nth-child(2)"
            ))
            .await;
        assert_eq!(
            browser.text(&rung).await,
            agent["rung"].to_string(),
            "{agent}"
        );
    }
    assert_quiet("dashboard for a day", &browser.console().await);

    // Business hours: Monday 09:00-17:00 and Friday 20:00 to Saturday 08:00.
    let hours_page = format!("{}/clients/{client_a}/hours", app.base_url);
    browser.goto(&hours_page).await;
    set_shift(&browser, 1, "09:00", "17:00").await;
    set_shift(&browser, 5, "20:00", "08:00").await;
    let save = browser.find("button.primary").await;
    browser.click_and_wait(&save).await;
    assert!(browser.body_text().await.contains("Saved."));
    browser.goto(&hours_page).await;
    assert_eq!(shift_value(&browser, 1, "start").await, "09:00");
    assert_eq!(shift_value(&browser, 1, "end").await, "17:00");
    assert_eq!(shift_value(&browser, 5, "start").await, "20:00");
    assert_eq!(shift_value(&browser, 5, "end").await, "08:00");
    let summary = browser.find("#open-hours").await;
    let summary = browser.text(&summary).await;
    assert!(summary.contains("Mon 09:00 to 17:00"), "{summary}");
    assert!(summary.contains("Fri 20:00 to Sat 08:00"), "{summary}");
    let (_, stored) = app.api(Method::GET, &hours_path, ADMIN_TOKEN, None).await;
    assert_eq!(
        stored["hours"],
        json!([
            {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00", "is_active": true},
            {"day_of_week": 5, "start_time": "20:00", "end_time": "08:00", "is_active": true}
        ]),
        "{stored}"
    );
    assert_quiet("hours", &browser.console().await);
    save_screenshot(&browser, "business-hours.png", 1900).await;

    // On a phone-sized screen nothing scrolls sideways.
    for page in ["hours", "dashboard", "team"] {
        browser.resize(390, 844).await;
        browser
            .goto(&format!("{}/clients/{client_a}/{page}", app.base_url))
            .await;
        let overflow = browser
            .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            .await;
        assert!(
            overflow.as_i64().is_some_and(|o| o <= 0),
            "{page} overflows by {overflow}px on a phone"
        );
    }
    browser.resize(1280, 1000).await;
    browser.goto(&hours_page).await;

    // An invalid time is named next to its field, and nothing is saved.
    let monday_end = browser
        .find(".day[data-day=\"1\"] input[name$=\"_end\"]")
        .await;
    browser.fill(&monday_end, "25:00").await;
    let save = browser.find("button.primary").await;
    browser.click_and_wait(&save).await;
    let alert = browser.find(".alert").await;
    let alert = browser.text(&alert).await;
    assert!(alert.contains("Nothing was saved"), "{alert}");
    assert!(alert.contains("Monday, end time"), "{alert}");
    let flagged = browser.find("input[aria-invalid=true]").await;
    assert_eq!(
        browser.attribute(&flagged, "value").await.as_deref(),
        Some("25:00")
    );
    let error = browser.find(".day[data-day=\"1\"] .field-error").await;
    assert_eq!(
        browser.attribute(&error, "data-field").await.as_deref(),
        Some("end_time")
    );
    let (_, unchanged) = app.api(Method::GET, &hours_path, ADMIN_TOKEN, None).await;
    assert_eq!(unchanged["hours"][0]["end_time"], "17:00");
    assert_quiet("invalid hours", &browser.console().await);

    // Testing a time answers in the client's zone with the next change.
    let open = test_time(&browser, &app, &client_a, "2026-11-30 14:00").await;
    assert!(open.contains("Open"), "{open}");
    assert!(open.contains("Closes Mon 30 Nov 2026 17:00"), "{open}");
    let closed = test_time(&browser, &app, &client_a, "2026-11-30 18:00").await;
    assert!(closed.contains("Closed"), "{closed}");
    assert!(
        closed.contains("Next opening: Fri 04 Dec 2026 20:00"),
        "{closed}"
    );
    let overnight = test_time(&browser, &app, &client_a, "2026-12-05 07:30").await;
    assert!(overnight.contains("Open"), "{overnight}");
    assert!(
        overnight.contains("Closes Sat 05 Dec 2026 08:00"),
        "{overnight}"
    );
    assert_quiet("test a time", &browser.console().await);

    // The team page adds a member, and refuses a bad phone by name.
    browser
        .goto(&format!("{}/clients/{client_a}/team", app.base_url))
        .await;
    let name = browser.find("#new-name").await;
    browser.fill(&name, "Dana Field").await;
    let phone = browser.find("#new-phone").await;
    browser.fill(&phone, "555-0199").await;
    let add = browser
        .find("form[aria-labelledby=add-member] button")
        .await;
    browser.click_and_wait(&add).await;
    let refused = browser.find(".field-error").await;
    assert!(browser.text(&refused).await.starts_with("Phone:"));
    let phone = browser.find("#new-phone").await;
    browser.fill(&phone, "+15875550199").await;
    let add = browser
        .find("form[aria-labelledby=add-member] button")
        .await;
    browser.click_and_wait(&add).await;
    let (_, team) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client_a}/team-members"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert!(
        team.as_array().is_some_and(|t| t
            .iter()
            .any(|m| m["name"] == "Dana Field" && m["phone"] == "+15875550199")),
        "{team}"
    );
    assert_quiet("team", &browser.console().await);

    // Signing out ends the session; admin B never sees client A.
    let sign_out = browser.find("form.signout button").await;
    browser.click_and_wait(&sign_out).await;
    assert!(browser.url().await.ends_with("/login"));
    browser
        .goto(&format!("{}/clients/{client_a}/hours", app.base_url))
        .await;
    assert!(
        browser.url().await.ends_with("/login"),
        "signed out, yet {}",
        browser.url().await
    );
    sign_in(&browser, &app, &token_b).await;
    assert_eq!(client_options(&browser).await, ["Bow River Clinic"]);
    assert!(!browser.body_text().await.contains("Acme Roofing"));
    assert_quiet("second admin", &browser.console().await);
    browser
        .goto(&format!("{}/clients/{client_a}/dashboard", app.base_url))
        .await;
    let page = browser.body_text().await;
    assert!(
        page.contains("You do not have access to this client."),
        "{page}"
    );
    assert!(!page.contains("Acme Roofing"), "{page}");
    browser.quit();
}
