//! The leads pages in headless Chromium: from the dashboard to the 2 am
//! lead's story in two clicks, then claim it for a member, mark it
//! booked and say whether its message was hot, as an owner would.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{ADMIN_TOKEN, Backend, LEAD_PHONE, spawn_app_on};
use crate::page_kit::{chromium_or_skip, screenshot, sign_in};
use crate::webdriver::Browser;

/// The lead's phone as the pages write it for a Canadian client.
const LEAD_NATIONAL: &str = "(403) 555-0142";

async fn click(browser: &Browser, css: &str) {
    let element = browser.find(css).await;
    browser.click_and_wait(&element).await;
}

#[tokio::test]
async fn an_owner_reads_the_2am_leads_story_and_claims_books_and_labels_it_in_chromium() {
    owner_reads_claims_books_and_labels(Backend::Sqlite, true).await;
}

/// The same on PostgreSQL (the waiting leads are one query on each database).
#[tokio::test]
async fn the_leads_pages_work_on_postgresql() {
    owner_reads_claims_books_and_labels(Backend::Postgres, false).await;
}

async fn owner_reads_claims_books_and_labels(backend: Backend, screenshots: bool) {
    if !chromium_or_skip() {
        return;
    }
    // Monday 02:00 in Edmonton: closed, so a hot lead is escalated by text.
    let app = spawn_app_on(backend, "2026-11-23T02:00:00-07:00", 2).await;
    let sms = app
        .sms(
            "SM2AM",
            LEAD_PHONE,
            "Water pouring through the ceiling, can someone come today?",
        )
        .await;
    assert_eq!(sms.status(), 200);
    let (_, clients) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    let client = clients[0]["id"].as_str().unwrap_or_default().to_owned();

    let (_, waiting) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/leads?status=waiting"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(waiting[0]["phone"], LEAD_PHONE, "{waiting}");

    let browser = Browser::start().await;
    sign_in(&browser, &app, ADMIN_TOKEN).await;
    browser
        .goto(&format!("{}/clients/{client}/dashboard", app.base_url))
        .await;
    // Two clicks: "1 hot lead is waiting", then the lead.
    let waiting = browser.find("#waiting").await;
    let waiting_text = browser.text(&waiting).await;
    assert!(
        waiting_text.contains("1 hot lead is waiting for a callback"),
        "{waiting_text}"
    );
    click(&browser, "#waiting a").await;
    assert!(browser.url().await.ends_with("/leads?status=waiting"));
    let row = browser.find("#leads li").await;
    let row_text = browser.text(&row).await;
    assert!(row_text.contains(LEAD_NATIONAL), "{row_text}");
    assert!(row_text.contains("Waiting for a callback"), "{row_text}");
    assert!(
        row_text.contains("“Water pouring through the ceiling"),
        "the last message: {row_text}"
    );
    click(&browser, "#leads li a").await;
    let story_page = browser.url().await;
    let story = browser.find("#story").await;
    let story_text = browser.text(&story).await;
    assert!(
        story_text.contains("Water pouring through the ceiling"),
        "{story_text}"
    );
    assert!(
        story_text.contains("Hot, outside business hours: texted the team"),
        "{story_text}"
    );
    assert!(story_text.contains("Escalated"), "{story_text}");

    // Claim it for the second agent.
    let agent = app.members[1].id.to_string();
    let chosen = browser
        .eval(&format!(
            "const s = document.querySelector('#claim-member'); s.value = '{agent}'; return s.value;"
        ))
        .await;
    assert_eq!(chosen, Value::from(agent.clone()));
    click(&browser, "button.primary").await;
    assert!(browser.body_text().await.contains("Claimed."));
    let story = browser.find("#story").await;
    let story_text = browser.text(&story).await;
    assert!(story_text.contains("Claimed by Agent 2"), "{story_text}");
    let (_, escalations) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/escalations"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert!(
        escalations
            .as_array()
            .is_some_and(|list| list.iter().any(|e| e["claimed_by"] == agent.as_str())),
        "{escalations}"
    );

    // Mark it booked, and say the message was hot.
    let book = browser.find("form[action$=\"/book\"] button").await;
    browser.click_and_wait(&book).await;
    assert!(browser.body_text().await.contains("Marked booked."));
    let yes = browser.find("form.label button[value=yes]").await;
    browser.click_and_wait(&yes).await;
    let story = browser.find("#story").await;
    let story_text = browser.text(&story).await;
    assert!(story_text.contains("You said: hot."), "{story_text}");
    assert!(story_text.contains("Booked"), "{story_text}");
    let (_, leads) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/leads"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert!(leads[0]["booked_at"].is_string(), "{leads}");
    // The API filters the same way.
    let leads_api = format!("/api/clients/{client}/leads");
    let (_, waiting) = app
        .api(
            Method::GET,
            &format!("{leads_api}?status=waiting"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(waiting.as_array().map(Vec::len), Some(0), "{waiting}");
    let (_, hot) = app
        .api(
            Method::GET,
            &format!("{leads_api}?status=hot"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(hot.as_array().map(Vec::len), Some(1), "{hot}");
    let (status, refused) = app
        .api(
            Method::GET,
            &format!("{leads_api}?status=soon"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["field"], "status", "{refused}");
    // Claimed: nobody waits any more.
    browser
        .goto(&format!("{}/clients/{client}/dashboard", app.base_url))
        .await;
    assert!(browser.find_all("#waiting").await.is_empty());
    browser
        .goto(&format!(
            "{}/clients/{client}/leads?show=waiting",
            app.base_url
        ))
        .await;
    assert!(
        browser
            .body_text()
            .await
            .contains("Nobody is waiting for a callback.")
    );
    // The list says who has it now; a lead that was never hot is in "All
    // leads" only.
    app.sms("SMOK", "+14035550199", "ok thanks, talk later")
        .await;
    browser
        .goto(&format!("{}/clients/{client}/leads", app.base_url))
        .await;
    assert_eq!(browser.find_all("#leads li").await.len(), 2);
    let rows = browser.find_all("#leads li").await;
    let hot_row = browser.text(&rows[1]).await;
    assert!(hot_row.contains("with Agent 2"), "{hot_row}");
    assert!(hot_row.contains("Booked"), "{hot_row}");
    for show in ["hot", "after_hours", "booked"] {
        browser
            .goto(&format!(
                "{}/clients/{client}/leads?status={show}",
                app.base_url
            ))
            .await;
        let rows = browser.find_all("#leads li").await;
        assert_eq!(rows.len(), 1, "{show}");
        let text = browser.text(&rows[0]).await;
        assert!(text.contains(LEAD_NATIONAL), "{show}: {text}");
    }
    browser.goto(&story_page).await;

    // As people see it, on a desktop and on a phone, where nothing
    // scrolls sideways.
    let story_url = browser.url().await;
    if screenshots {
        screenshot(&browser, "lead-story.png", 1280, 1100).await;
        browser.resize(390, 844).await;
        browser.goto(&story_url).await;
        screenshot(&browser, "lead-story-phone.png", 390, 1800).await;
    }
    browser.resize(390, 844).await;
    let overflow = browser
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert!(
        overflow.as_i64().is_some_and(|o| o <= 0),
        "the lead's page overflows by {overflow}px on a phone"
    );
    // The sections fit without scrolling the navigation.
    let nav = browser
        .eval("const n = document.querySelector('nav'); return n.scrollWidth - n.clientWidth")
        .await;
    assert!(
        nav.as_i64().is_some_and(|o| o <= 0),
        "the navigation scrolls by {nav}px at 390 px"
    );
    // The header is one row on a phone.
    let header = browser
        .eval("return document.querySelector('header.top').getBoundingClientRect().height")
        .await;
    assert!(
        header.as_f64().is_some_and(|h| h <= 60.0),
        "the header is {header}px tall at 390 px"
    );
    let errors: Vec<String> = browser
        .console()
        .await
        .iter()
        .filter(|e| e.level == "SEVERE" || e.level == "WARNING")
        .map(|e| e.message.clone())
        .collect();
    assert!(errors.is_empty(), "console errors {errors:?}");
}
