//! The admin API over HTTP: authentication, per-client access, validation
//! naming the field, and the claim race answered with 409.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, LEAD_PHONE, TestApp, spawn_app};

const MONDAY_18: &str = "2026-11-23T18:00:00-07:00";

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", app.base_url);
    let mut request = match method {
        "GET" => app.http.get(&url),
        "POST" => app.http.post(&url),
        "PUT" => app.http.put(&url),
        "PATCH" => app.http.patch(&url),
        _ => app.http.delete(&url),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

async fn new_client(app: &TestApp, number: &str) -> String {
    let (status, body) = call(
        app,
        "POST",
        "/api/clients",
        Some(ADMIN_TOKEN),
        Some(json!({"name": "Client", "twilio_number": number, "timezone": "America/Edmonton"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn tokens_are_required_and_admins_see_only_their_clients() {
    let app = spawn_app(MONDAY_18, 0).await;
    assert_eq!(call(&app, "GET", "/api/clients", None, None).await.0, 401);
    assert_eq!(
        call(&app, "GET", "/api/clients", Some("wrong"), None)
            .await
            .0,
        401
    );
    let a = new_client(&app, "+15875550201").await;
    let b = new_client(&app, "+15875550202").await;

    let (status, admin) = call(
        &app,
        "POST",
        "/api/admins",
        Some(ADMIN_TOKEN),
        Some(json!({"email": "a@example.com", "client_ids": [a]})),
    )
    .await;
    assert_eq!(status, 201, "{admin}");
    let token = admin["token"].as_str().unwrap_or_default().to_owned();
    assert!(token.len() >= 32);

    assert_eq!(
        call(
            &app,
            "GET",
            &format!("/api/clients/{a}"),
            Some(&token),
            None
        )
        .await
        .0,
        200
    );
    let (forbidden, error) = call(
        &app,
        "GET",
        &format!("/api/clients/{b}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(forbidden, 403);
    assert_eq!(error["error"]["code"], "forbidden");
    assert_eq!(
        call(
            &app,
            "GET",
            &format!("/api/clients/{b}/team-members"),
            Some(&token),
            None
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(
            &app,
            "PUT",
            &format!("/api/clients/{b}/business-hours"),
            Some(&token),
            Some(json!({"timezone": "UTC"}))
        )
        .await
        .0,
        403
    );
    let (_, listed) = call(&app, "GET", "/api/clients", Some(&token), None).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], Value::String(a.clone()));
    let (status, _) = call(
        &app,
        "POST",
        "/api/clients",
        Some(&token),
        Some(json!({"name": "x", "twilio_number": "+15875550203"})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &app,
        "POST",
        "/api/admins",
        Some(&token),
        Some(json!({"email": "b@example.com"})),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn validation_names_the_field() {
    let app = spawn_app(MONDAY_18, 0).await;
    let (status, body) = call(
        &app,
        "POST",
        "/api/clients",
        Some(ADMIN_TOKEN),
        Some(json!({"name": "x", "twilio_number": "555-0100"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("twilio_number"))
    );
    let (status, body) = call(
        &app,
        "POST",
        "/api/clients",
        Some(ADMIN_TOKEN),
        Some(json!({"name": "x"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (400, json!("twilio_number"))
    );
    let id = new_client(&app, "+15875550201").await;
    let (status, body) = call(
        &app,
        "POST",
        "/api/clients",
        Some(ADMIN_TOKEN),
        Some(json!({"name": "dup", "twilio_number": "+15875550201"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");

    let members = format!("/api/clients/{id}/team-members");
    let (status, body) = call(
        &app,
        "POST",
        &members,
        Some(ADMIN_TOKEN),
        Some(json!({"name": "Ann", "phone": "7805550101"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("phone"))
    );
    let (status, member) = call(
        &app,
        "POST",
        &members,
        Some(ADMIN_TOKEN),
        Some(json!({"name": "Ann", "phone": "+17805550101"})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(member["receives_hot_transfers"], true);
    let member_path = format!("{members}/{}", member["id"].as_str().unwrap_or_default());
    let (status, patched) = call(
        &app,
        "PATCH",
        &member_path,
        Some(ADMIN_TOKEN),
        Some(json!({"receives_hot_transfers": false})),
    )
    .await;
    assert_eq!(
        (status, patched["receives_hot_transfers"].clone()),
        (200, json!(false))
    );
    assert_eq!(
        call(&app, "DELETE", &member_path, Some(ADMIN_TOKEN), None)
            .await
            .0,
        204
    );
    let (_, listed) = call(&app, "GET", &members, Some(ADMIN_TOKEN), None).await;
    assert_eq!(listed[0]["active"], false);

    let hours = format!("/api/clients/{id}/business-hours");
    let schedule = json!({"timezone": "America/Edmonton",
        "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00", "is_active": true},
                  {"day_of_week": 5, "start_time": "20:00", "end_time": "08:00", "is_active": true}],
        "closures": [{"date": "2026-12-25", "reason": "Christmas Day"}]});
    let (status, saved) = call(
        &app,
        "PUT",
        &hours,
        Some(ADMIN_TOKEN),
        Some(schedule.clone()),
    )
    .await;
    assert_eq!((status, saved.clone()), (200, schedule.clone()));
    assert_eq!(
        call(&app, "GET", &hours, Some(ADMIN_TOKEN), None).await,
        (200, schedule)
    );
    let bad = json!({"timezone": "America/Edmonton", "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "25:00"}]});
    let (status, body) = call(&app, "PUT", &hours, Some(ADMIN_TOKEN), Some(bad)).await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("hours[0].end_time"))
    );
    let (status, body) = call(
        &app,
        "PUT",
        &hours,
        Some(ADMIN_TOKEN),
        Some(json!({"timezone": "Mars/Base"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (422, json!("unknown_timezone"))
    );
}

#[tokio::test]
async fn a_second_claim_through_the_api_gets_409() {
    let app = spawn_app(MONDAY_18, 2).await;
    app.sms(
        "SM1",
        LEAD_PHONE,
        "Water pouring through the ceiling, call me asap",
    )
    .await;
    let escalation = app.first_id("escalations").await;
    let claim = format!("/api/escalations/{escalation}/claim");
    let (first, _) = call(
        &app,
        "POST",
        &claim,
        Some(ADMIN_TOKEN),
        Some(json!({"team_member_id": app.members[0].id.to_string()})),
    )
    .await;
    let (second, body) = call(
        &app,
        "POST",
        &claim,
        Some(ADMIN_TOKEN),
        Some(json!({"team_member_id": app.members[1].id.to_string()})),
    )
    .await;
    assert_eq!((first, second), (200, 409), "{body}");
    assert_eq!(body["error"]["code"], "conflict");
}
