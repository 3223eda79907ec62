//! An owner's tasks in headless Chromium: who answers most this month on
//! the dashboard; the out-of-hours reply set on the settings page with the
//! sentence a lead reads, then read by a 2 am lead; a member added as
//! `(780) 555-0142`, made texts-only and deactivated after a confirmation;
//! a webhook added with its secret shown once. Refused forms focus their
//! first problem.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};
use crate::page_kit::{chromium_or_skip, screenshot, sign_in};
use crate::webdriver::Browser;

const HOT: &str = "Water pouring through the ceiling, can someone come today?";

async fn client_id(app: &TestApp) -> String {
    let (_, clients) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    clients[0]["id"].as_str().unwrap_or_default().to_owned()
}

/// A hot SMS from `lead`, accepted by the member with `phone`.
async fn accepted_by(app: &TestApp, sid: &str, lead: &str, phone: &str) {
    let before = app.twilio.count("/Calls.json");
    assert_eq!(app.sms(sid, lead, HOT).await.status(), 200);
    app.twilio
        .wait_for("/Calls.json", before + app.members.len())
        .await;
    let received = app.twilio.received();
    let (index, call) = received
        .iter()
        .enumerate()
        .rev()
        .find(|(_, r)| r.path.ends_with("/Calls.json") && r.get("To") == Some(phone))
        .unwrap_or_else(|| panic!("no call to {phone}"));
    // The fake Twilio numbers its answers by arrival.
    let call_sid = format!("CA{:032}", index + 1);
    let dial = app.answer_and_press_1(call, &call_sid).await;
    assert!(dial.contains("<Dial"), "{dial}");
}

/// A team member as the API answers it.
async fn member(app: &TestApp, client: &str, id: &str) -> Value {
    let (_, members) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/team-members"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    members
        .as_array()
        .and_then(|m| m.iter().find(|m| m["id"] == id))
        .cloned()
        .unwrap_or_default()
}

async fn focused_id(browser: &Browser) -> String {
    browser
        .eval("return document.activeElement ? document.activeElement.id : ''")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn no_sideways_scroll(browser: &Browser, page: &str) {
    browser.resize(390, 844).await;
    let overflow = browser
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert!(
        overflow.as_i64().is_some_and(|o| o <= 0),
        "{page} overflows by {overflow}px at 390 px"
    );
    browser.resize(1280, 1000).await;
}

#[tokio::test]
async fn who_answers_most_this_month_is_on_the_dashboard_in_chromium() {
    if !chromium_or_skip() {
        return;
    }
    // Monday 14:00 in Edmonton: open; three hot leads, Agent 2 takes two.
    let app = spawn_app("2026-11-23T14:00:00-07:00", 2).await;
    let one = app.members[0].phone.to_string();
    let two = app.members[1].phone.to_string();
    accepted_by(&app, "SMA", "+14035550161", &two).await;
    accepted_by(&app, "SMB", "+14035550162", &one).await;
    accepted_by(&app, "SMC", "+14035550163", &two).await;
    let client = client_id(&app).await;

    let browser = Browser::start().await;
    sign_in(&browser, &app, ADMIN_TOKEN).await;
    browser
        .goto(&format!(
            "{}/clients/{client}/dashboard?from=2026-11-01&to=2026-11-30",
            app.base_url
        ))
        .await;
    let first = browser.find("#agents tbody tr:first-child").await;
    let first = browser.text(&first).await;
    assert!(first.starts_with("Agent 2"), "{first}");
    let accepted = browser
        .find("#agents tbody tr:first-child td:nth-child(3)")
        .await;
    assert_eq!(browser.text(&accepted).await, "2");
    // Speed to lead, honestly: two spans, both measured.
    for key in ["first_ring_p50_seconds", "speed_to_lead_p50_seconds"] {
        let figure = browser.find(&format!("dd[data-stat={key}]")).await;
        assert!(
            browser.attribute(&figure, "data-value").await.is_some(),
            "{key} has a value"
        );
    }
    // The period's calls, one row per lead, each linking to its story.
    let calls = browser.find_all("#calls tbody tr").await;
    assert_eq!(calls.len(), 3);
    let row = browser.text(&calls[0]).await;
    assert!(row.contains("Answered by Agent 2"), "{row}");
    screenshot(&browser, "dashboard.png", 1280, 1500).await;
    browser.resize(390, 844).await;
    browser.goto(&browser.url().await).await;
    screenshot(&browser, "dashboard-phone.png", 390, 2400).await;
    no_sideways_scroll(&browser, "the dashboard").await;
}

#[tokio::test]
async fn the_out_of_hours_reply_is_on_by_default_set_on_the_settings_page_and_read_at_2am() {
    if !chromium_or_skip() {
        return;
    }
    // Monday 02:00 in Edmonton; the client opens Monday at 09:00.
    let app = spawn_app("2026-11-23T02:00:00-07:00", 2).await;
    // A client created through the API without a reply replies anyway.
    let (status, created) = app
        .api(
            Method::POST,
            "/api/clients",
            ADMIN_TOKEN,
            Some(json!({"name": "Bow River Clinic", "twilio_number": "+15875550202", "timezone": "America/Toronto"})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert!(
        created["out_of_hours_reply"]
            .as_str()
            .is_some_and(|r| r.contains("{next_open}")),
        "{created}"
    );
    let (status, silent) = app
        .api(
            Method::POST,
            "/api/clients",
            ADMIN_TOKEN,
            Some(json!({"name": "Quiet Co", "twilio_number": "+15875550203", "out_of_hours_reply": null})),
        )
        .await;
    assert_eq!(status, 201, "{silent}");
    assert_eq!(silent["out_of_hours_reply"], Value::Null, "{silent}");

    let client = client_id(&app).await;
    let browser = Browser::start().await;
    sign_in(&browser, &app, ADMIN_TOKEN).await;
    let settings = format!("{}/clients/{client}/settings", app.base_url);
    browser.goto(&settings).await;
    let reply = browser.find("#reply").await;
    browser
        .fill(
            &reply,
            "Thanks! We open {next_open} and will call you then.",
        )
        .await;
    // A problem elsewhere in the same save: nothing is stored, the typed
    // reply is kept, and the problem is focused.
    let reminder = browser.find("#reminder_minutes").await;
    browser.fill(&reminder, "soon").await;
    let save = browser.find("#settings button.primary").await;
    browser.click_and_wait(&save).await;
    let alert = browser.find("#problems").await;
    let alert = browser.text(&alert).await;
    assert!(alert.contains("Remind the team after"), "{alert}");
    assert_eq!(focused_id(&browser).await, "reminder_minutes");
    let kept = browser.find("#reply").await;
    assert_eq!(
        browser.attribute(&kept, "value").await.as_deref(),
        Some("Thanks! We open {next_open} and will call you then.")
    );
    let (_, stored) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(
        stored["out_of_hours_reply"], "We're closed now and open {next_open}.",
        "{stored}"
    );
    let reminder = browser.find("#reminder_minutes").await;
    browser.fill(&reminder, "15").await;
    let save = browser.find("#settings button.primary").await;
    browser.click_and_wait(&save).await;
    assert!(browser.body_text().await.contains("Settings saved."));
    let preview = browser.find("#reply-preview .sms").await;
    let preview = browser.text(&preview).await;
    assert!(
        preview.starts_with("Thanks! We open ") && !preview.contains('{'),
        "the preview fills in the opening: {preview}"
    );
    let (_, stored) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(stored["escalation_reminder_seconds"], 900, "{stored}");
    // The 2 am lead reads it.
    let twiml = app
        .sms("SM2AM", "+14035550199", HOT)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        twiml.contains("Thanks! We open today at 9:00 AM and will call you then."),
        "{twiml}"
    );
    // The ring plan and a webhook, its secret shown once.
    let plan = browser.find("#ring-plan").await;
    assert!(browser.text(&plan).await.contains("Agent 1"));
    let url = browser.find("#webhook-url").await;
    browser.fill(&url, "http://127.0.0.1:9/hotline").await;
    let add = browser.find("#add-webhook button").await;
    browser.click_and_wait(&add).await;
    let secret = browser.find("#secret").await;
    let secret = browser
        .attribute(&secret, "value")
        .await
        .unwrap_or_default();
    assert!(secret.starts_with("whsec_"), "{secret}");
    screenshot(&browser, "settings.png", 1280, 2600).await;
    browser.goto(&settings).await;
    assert!(!browser.body_text().await.contains(&secret), "shown once");
    assert_eq!(browser.find_all("article.endpoint").await.len(), 1);
    browser.resize(390, 844).await;
    browser.goto(&settings).await;
    screenshot(&browser, "settings-phone.png", 390, 3600).await;
    no_sideways_scroll(&browser, "settings").await;
}

#[tokio::test]
async fn a_member_typed_as_780_555_0142_is_stored_in_e164_and_deactivated_after_asking() {
    if !chromium_or_skip() {
        return;
    }
    let app = spawn_app("2026-11-23T14:00:00-07:00", 2).await;
    let client = client_id(&app).await;
    let browser = Browser::start().await;
    sign_in(&browser, &app, ADMIN_TOKEN).await;
    let team = format!("{}/clients/{client}/team", app.base_url);
    browser.goto(&team).await;
    // Too short for a North American number: refused, focused, kept.
    let name = browser.find("#new-name").await;
    browser.fill(&name, "Dana Field").await;
    let phone = browser.find("#new-phone").await;
    browser.fill(&phone, "555-0142").await;
    let add = browser.find("#add button.primary").await;
    browser.click_and_wait(&add).await;
    let refused = browser.find("#add .field-error").await;
    assert!(browser.text(&refused).await.starts_with("Phone:"));
    assert_eq!(focused_id(&browser).await, "new-phone");
    let phone = browser.find("#new-phone").await;
    browser.fill(&phone, "(780) 555-0142").await;
    let add = browser.find("#add button.primary").await;
    browser.click_and_wait(&add).await;
    assert!(browser.body_text().await.contains("Saved Dana Field."));
    let (_, members) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/team-members"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    let dana = members
        .as_array()
        .and_then(|m| m.iter().find(|m| m["name"] == "Dana Field"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(dana["phone"], "+17805550142", "{members}");
    let id = dana["id"].as_str().unwrap_or_default().to_owned();
    let row = format!("#member-{id}");
    let text = browser.text(&browser.find(&row).await).await;
    assert!(
        text.contains("(780) 555-0142") && text.contains("Rings"),
        "{text}"
    );

    // Texts only: not rung, still texted, and the list says so.
    let edit = browser.find(&format!("{row} a.edit")).await;
    browser.click_and_wait(&edit).await;
    let receives = browser.find("#edit-receives").await;
    browser.click(&receives).await;
    let save = browser.find("#edit button.primary").await;
    browser.click_and_wait(&save).await;
    let text = browser.text(&browser.find(&row).await).await;
    assert!(
        text.contains("Texts only") && text.contains("Saved"),
        "{text}"
    );

    // Deactivating asks first; Cancel changes nothing.
    let edit = browser.find(&format!("{row} a.edit")).await;
    browser.click_and_wait(&edit).await;
    let deactivate = browser.find("#edit button.danger").await;
    browser.click_and_wait(&deactivate).await;
    let confirm = browser.find("#confirm").await;
    assert!(
        browser
            .text(&confirm)
            .await
            .contains("Deactivate Dana Field?")
    );
    let before = member(&app, &client, &id).await;
    assert_eq!(before["active"], true, "{before}");
    screenshot(&browser, "team.png", 1280, 1100).await;
    let yes = browser.find("#confirm button.danger").await;
    browser.click_and_wait(&yes).await;
    let text = browser.text(&browser.find(&row).await).await;
    assert!(text.contains("Inactive"), "{text}");
    let after = member(&app, &client, &id).await;
    assert_eq!(after["active"], false, "{after}");
    browser.resize(390, 844).await;
    browser.goto(&team).await;
    screenshot(&browser, "team-phone.png", 390, 1400).await;
    no_sideways_scroll(&browser, "the team page").await;
}
