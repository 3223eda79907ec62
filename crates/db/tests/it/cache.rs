//! The configuration cache: a process sees its own writes at once, and
//! another process sharing the database sees them within the TTL.

use hotline_db::{CONFIG_TTL, Db};
use hotline_domain::routing::ports::ClientStore;

use crate::helpers::{TestDb, client_with_team, now, phone};

#[tokio::test]
async fn configuration_changes_reach_this_process_at_once_and_others_within_the_ttl() {
    let test = TestDb::postgres().await;
    let other = Db::connect(&test.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (client, members) = client_with_team(&test.db, "+15875550100", 2).await;
    let number = phone("+15875550100");

    // Both processes read (and cache) the team and the client.
    assert_eq!(test.db.active_team(client.id).await.map(|t| t.len()), Ok(2));
    assert_eq!(other.active_team(client.id).await.map(|t| t.len()), Ok(2));
    assert!(matches!(other.client_by_number(&number).await, Ok(Some(_))));

    // This process deactivates a member and renames the client.
    let mut member = members[0].clone();
    member.active = false;
    test.db
        .update_team_member(&member, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut renamed = client.clone();
    renamed.name = "Acme Roofing & Gutters".to_owned();
    test.db
        .update_client(&renamed, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(test.db.active_team(client.id).await.map(|t| t.len()), Ok(1));
    assert_eq!(
        test.db.team_member_by_phone(client.id, &member.phone).await,
        Ok(None)
    );

    // The other process sees both once its copies expire.
    tokio::time::sleep(CONFIG_TTL + std::time::Duration::from_millis(200)).await;
    assert_eq!(other.active_team(client.id).await.map(|t| t.len()), Ok(1));
    assert_eq!(
        other
            .client_by_number(&number)
            .await
            .ok()
            .flatten()
            .map(|c| c.name),
        Some("Acme Roofing & Gutters".to_owned())
    );
    let _ = other.connection().clone().close().await;
    test.drop_database().await;
}
