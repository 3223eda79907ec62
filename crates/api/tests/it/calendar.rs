//! Holidays and special hours through the admin API, stored on both
//! databases, and the business-hours preview (CONTRACT section 8).

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, spawn_app_on};

fn season() -> Value {
    json!({
        "timezone": "America/Toronto",
        "hours": [{"day_of_week": 4, "start_time": "09:00", "end_time": "17:00"}],
        "closures": [{"date": "2026-12-31", "reason": "Inventory"}],
        "holidays": [
            {"name": "Christmas Day", "rule": "date", "month": 12, "day": 25, "observed": "nearest_weekday"},
            {"name": "Thanksgiving", "rule": "nth_weekday", "month": 10, "weekday": 1, "nth": 2},
            {"name": "Victoria Day", "rule": "weekday_on_or_before", "month": 5, "day": 24, "weekday": 1},
            {"name": "Good Friday", "rule": "easter", "offset_days": -2}
        ],
        "special_hours": [
            {"date": "2026-12-24", "hours": [{"start_time": "09:00", "end_time": "13:00"}], "reason": "Christmas Eve"},
            {"date": "2027-01-01", "hours": []}
        ]
    })
}

async fn holidays_are_stored_and_previewed(backend: Backend) {
    let app = spawn_app_on(backend, "2026-11-23T10:00:00-07:00", 1).await;
    let (_, clients) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    let client = clients[0]["id"].as_str().unwrap_or_default().to_owned();
    let hours = format!("/api/clients/{client}/business-hours");
    let (status, saved) = app
        .api(Method::PUT, &hours, ADMIN_TOKEN, Some(season()))
        .await;
    assert_eq!(status, 200, "{saved}");
    let (status, read) = app.api(Method::GET, &hours, ADMIN_TOKEN, None).await;
    assert_eq!(status, 200);
    assert_eq!(read["holidays"], season()["holidays"], "{read}");
    assert_eq!(read["special_hours"], season()["special_hours"], "{read}");

    let (status, preview) = app
        .api(
            Method::GET,
            &format!("{hours}/preview?from=2026-12-24&days=9"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["timezone"], "America/Toronto");
    let notes: Vec<Value> = preview["days"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|day| {
            json!([
                day["date"],
                day["open"].as_array().map(Vec::len),
                day["note"]
            ])
        })
        .collect();
    assert_eq!(
        notes,
        [
            json!(["2026-12-24", 1, "Christmas Eve"]),
            json!(["2026-12-25", 0, "Christmas Day"]),
            json!(["2026-12-26", 0, null]),
            json!(["2026-12-27", 0, null]),
            json!(["2026-12-28", 0, null]),
            json!(["2026-12-29", 0, null]),
            json!(["2026-12-30", 0, null]),
            json!(["2026-12-31", 0, "Inventory"]),
            json!(["2027-01-01", 0, null]),
        ]
    );
    assert_eq!(
        preview["days"][0]["open"],
        json!([{"start": "2026-12-24T14:00:00Z", "end": "2026-12-24T18:00:00Z"}])
    );
    // Today (the client's zone) and 14 days by default.
    let (status, default) = app
        .api(Method::GET, &format!("{hours}/preview"), ADMIN_TOKEN, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(default["days"].as_array().map(Vec::len), Some(14));
    assert_eq!(default["days"][0]["date"], "2026-11-23");

    for (query, status, field) in [
        ("days=0", 422, "days"),
        ("days=401", 422, "days"),
        ("days=many", 400, "days"),
        ("from=24/12/2026", 400, "from"),
    ] {
        let (got, body) = app
            .api(
                Method::GET,
                &format!("{hours}/preview?{query}"),
                ADMIN_TOKEN,
                None,
            )
            .await;
        assert_eq!(
            (got, body["error"]["field"].as_str()),
            (status, Some(field)),
            "{query}: {body}"
        );
    }
    let mut bad = season();
    bad["holidays"][1]["nth"] = json!(6);
    let (status, body) = app.api(Method::PUT, &hours, ADMIN_TOKEN, Some(bad)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "holidays[1].nth");
    // Refused: nothing of the stored schedule changed.
    let (_, again) = app.api(Method::GET, &hours, ADMIN_TOKEN, None).await;
    assert_eq!(again, read);
}

#[tokio::test]
async fn holidays_are_stored_and_previewed_on_sqlite() {
    holidays_are_stored_and_previewed(Backend::Sqlite).await;
}

#[tokio::test]
async fn holidays_are_stored_and_previewed_on_postgres() {
    holidays_are_stored_and_previewed(Backend::Postgres).await;
}
