//! The business hours editor in headless Chromium, as an office manager
//! uses it: a split week in one save with forgiving times and "copy to",
//! a ready-made holiday set, special hours for Christmas Eve, and "test a
//! time" saying why. Screenshots at 1280 and 390 px with
//! `HOTLINE_SCREENSHOTS=DIR`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, spawn_app};
use crate::page_kit::{chromium_or_skip, screenshot, sign_in};
use crate::webdriver::Browser;

async fn fill(browser: &Browser, css: &str, text: &str) {
    let input = browser.find(css).await;
    browser.fill(&input, text).await;
}

/// Sets a date, select or checkbox the way a person's click would.
async fn set(browser: &Browser, css: &str, script: &str) {
    let done = browser
        .eval(&format!(
            "const el = document.querySelector('{css}'); if (!el) return false; {script}; return true;"
        ))
        .await;
    assert_eq!(done, Value::Bool(true), "no {css}");
}

/// Opens the folded section `id` (holidays, special hours, closures).
async fn unfold(browser: &Browser, id: &str) {
    set(browser, &format!("#{id}"), "el.open = true").await;
}

async fn save(browser: &Browser) {
    let button = browser.find("button.primary").await;
    browser.click_and_wait(&button).await;
}

async fn answer(browser: &Browser, date: &str, time: &str) -> String {
    set(browser, "#test-date", &format!("el.value = '{date}'")).await;
    set(
        browser,
        "#test-time-of-day",
        &format!("el.value = '{time}'"),
    )
    .await;
    let test = browser
        .find("section[aria-labelledby=test-time] button")
        .await;
    browser.click_and_wait(&test).await;
    let answer = browser.find("#test-answer").await;
    browser.text(&answer).await
}

#[tokio::test]
async fn an_office_manager_sets_a_split_week_holidays_and_special_hours_in_chromium() {
    if !chromium_or_skip() {
        return;
    }
    let app = spawn_app("2026-11-23T14:00:00-07:00", 1).await;
    let (_, clients) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    let client = clients[0]["id"].as_str().unwrap_or_default().to_owned();
    let hours_api = format!("/api/clients/{client}/business-hours");
    app.api(
        Method::PUT,
        &hours_api,
        ADMIN_TOKEN,
        Some(json!({"timezone": "America/Edmonton", "hours": []})),
    )
    .await;
    let browser = Browser::start().await;
    sign_in(&browser, &app, ADMIN_TOKEN).await;
    let page = format!("{}/clients/{client}/hours", app.base_url);
    browser.goto(&page).await;

    // A split Monday typed loosely, copied to Tuesday-Friday: one save.
    let monday = ".day[data-day=\"1\"]";
    let inputs = browser.find_all(&format!("{monday} input.time")).await;
    assert!(inputs.len() >= 4, "two blank shifts on an empty Monday");
    for (input, text) in inputs.iter().zip(["8", "12", "1pm", "5 pm"]) {
        browser.fill(input, text).await;
    }
    set(&browser, "#copy_from", "el.value = '1'").await;
    for day in 2..=5 {
        set(
            &browser,
            &format!("input[name=copy_to_{day}]"),
            "el.checked = true",
        )
        .await;
    }
    save(&browser).await;
    assert!(browser.body_text().await.contains("Saved."));
    let (_, stored) = app.api(Method::GET, &hours_api, ADMIN_TOKEN, None).await;
    let hours = stored["hours"].as_array().cloned().unwrap_or_default();
    assert_eq!(hours.len(), 10, "{stored}");
    for day in 1..=5 {
        for (start, end) in [("08:00", "12:00"), ("13:00", "17:00")] {
            assert!(
                hours.iter().any(|h| h["day_of_week"] == day
                    && h["start_time"] == start
                    && h["end_time"] == end),
                "day {day} {start}-{end}: {stored}"
            );
        }
    }
    let summary = browser.find("#open-hours").await;
    let summary = browser.text(&summary).await;
    assert!(
        summary.contains("Mon–Fri 08:00 to 12:00, 13:00 to 17:00"),
        "{summary}"
    );

    // One click adds the United States' federal holidays as yearly rules.
    unfold(&browser, "holidays-section").await;
    let set_button = browser.find("button[name=holiday_set][value=us]").await;
    browser.click_and_wait(&set_button).await;
    let (_, stored) = app.api(Method::GET, &hours_api, ADMIN_TOKEN, None).await;
    assert_eq!(
        stored["holidays"].as_array().map(Vec::len),
        Some(11),
        "{stored}"
    );
    unfold(&browser, "holidays-section").await;
    let listed = browser.find("ul.holidays").await;
    let listed = browser.text(&listed).await;
    assert!(listed.contains("Thanksgiving Day"), "{listed}");
    assert!(listed.contains("4th Thursday of November"), "{listed}");

    // Christmas Eve closes at 1 pm.
    unfold(&browser, "special-hours-section").await;
    set(&browser, "#special0_date", "el.value = '2026-12-24'").await;
    fill(&browser, "#special0_start1", "9am").await;
    fill(&browser, "#special0_end1", "1pm").await;
    fill(&browser, "#special0_reason", "Christmas Eve").await;
    save(&browser).await;
    let (_, stored) = app.api(Method::GET, &hours_api, ADMIN_TOKEN, None).await;
    assert_eq!(
        stored["special_hours"],
        json!([{"date": "2026-12-24", "hours": [{"start_time": "09:00", "end_time": "13:00"}], "reason": "Christmas Eve"}]),
        "{stored}"
    );
    assert_eq!(
        stored["holidays"].as_array().map(Vec::len),
        Some(11),
        "kept: {stored}"
    );
    let preview = browser.find("#preview").await;
    assert_eq!(
        browser.find_all("#preview li").await.len(),
        14,
        "{}",
        browser.text(&preview).await
    );
    assert!(browser.find_all("#open-now").await.len() == 1);

    // "Test a time" says why.
    let lunch = answer(&browser, "2026-12-01", "12:30").await;
    assert!(lunch.contains("Closed"), "{lunch}");
    assert!(
        lunch.contains("Between shifts: closed from 12:00 until 13:00"),
        "{lunch}"
    );
    let thanksgiving = answer(&browser, "2026-11-26", "10:00").await;
    assert!(
        thanksgiving.contains("Closed all day: Thanksgiving Day"),
        "{thanksgiving}"
    );
    let eve = answer(&browser, "2026-12-24", "12:00").await;
    assert!(eve.contains("Open"), "{eve}");
    assert!(
        eve.contains("Special hours (Christmas Eve): 09:00 to 13:00"),
        "{eve}"
    );
    let afternoon = answer(&browser, "2026-12-24", "14:00").await;
    assert!(
        afternoon.contains("Outside this day's special hours (Christmas Eve)"),
        "{afternoon}"
    );

    // The page as people see it, on a desktop and on a phone.
    browser.goto(&page).await;
    screenshot(&browser, "business-hours-editor.png", 1280, 2400).await;
    browser.resize(390, 844).await;
    browser.goto(&page).await;
    let overflow = browser
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert!(
        overflow.as_i64().is_some_and(|o| o <= 0),
        "the hours page overflows by {overflow}px on a phone"
    );
    let height = browser
        .eval("return document.documentElement.scrollHeight")
        .await;
    eprintln!("the hours page is {height} px tall at 390 px wide");
    screenshot(&browser, "business-hours-editor-phone.png", 390, 3500).await;
    browser.resize(1280, 1000).await;

    // Every problem in one pass, each linked to its field; nothing saved.
    browser.goto(&page).await;
    fill(
        &browser,
        ".day[data-day=\"6\"] input[name$=\"_start\"]",
        "noon",
    )
    .await;
    fill(
        &browser,
        ".day[data-day=\"6\"] input[name$=\"_end\"]",
        "3pm",
    )
    .await;
    unfold(&browser, "closures-section").await;
    unfold(&browser, "special-hours-section").await;
    fill(&browser, "#closure0_reason", "Staff party").await;
    set(&browser, "#special1_date", "el.value = '2026-12-31'").await;
    let (_, before) = app.api(Method::GET, &hours_api, ADMIN_TOKEN, None).await;
    save(&browser).await;
    let alert = browser.find(".alert").await;
    let alert = browser.text(&alert).await;
    assert!(alert.contains("Nothing was saved"), "{alert}");
    assert!(alert.contains("\"noon\" is not a time"), "{alert}");
    assert!(
        alert.contains("the closure \"Staff party\" needs a date"),
        "{alert}"
    );
    assert!(alert.contains("Closed all day"), "{alert}");
    let links = browser.find_all(".alert a").await;
    assert!(links.len() >= 3, "each problem links to its field");
    // The list of problems has the focus, so the page opens on it.
    let focused = browser
        .eval("return document.activeElement ? document.activeElement.id : ''")
        .await;
    assert_eq!(focused, Value::from("problems"));
    let (_, after) = app.api(Method::GET, &hours_api, ADMIN_TOKEN, None).await;
    assert_eq!(after, before);

    // Saved, but worth a second look: overlapping shifts.
    browser.goto(&page).await;
    let monday_new = browser.find_all(".day[data-day=\"1\"] input.time").await;
    browser.fill(&monday_new[4], "11").await;
    browser.fill(&monday_new[5], "13").await;
    save(&browser).await;
    let note = browser.find(".warnings").await;
    let note = browser.text(&note).await;
    assert!(
        note.contains("Monday: the shifts 08:00 to 12:00 and 11:00 to 13:00 overlap"),
        "{note}"
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
