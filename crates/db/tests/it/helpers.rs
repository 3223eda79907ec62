//! Fresh databases for tests: a temporary SQLite file, and a PostgreSQL
//! database created on the server at `HOTLINE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and dropped afterwards.
//! PostgreSQL being unreachable fails the tests: they never skip.

use std::sync::atomic::{AtomicU32, Ordering};

use hotline_db::Db;
use hotline_domain::admin::ports::AdminStore;
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::{ClientId, PhoneNumber, TeamMemberId, TimeZoneName, Timestamp};
use sea_orm::{ConnectionTrait, Database};

static NEXT: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(
        "{prefix}_{}_{}_{n}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    )
}

/// A migrated database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub name: &'static str,
    /// The database's URL, for a second connection pool.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, database: String },
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique("hotline_test")));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Db::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open SQLite: {e}"));
        db.migrate()
            .await
            .unwrap_or_else(|e| panic!("cannot migrate SQLite: {e}"));
        Self {
            db,
            name: "sqlite",
            url,
            cleanup: Cleanup::File(path),
        }
    }

    pub async fn postgres() -> Self {
        let admin_url = std::env::var("HOTLINE_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let database = unique("hotline_test");
        let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin_url} is required for these tests: {e}")
        });
        admin
            .execute_unprepared(&format!("CREATE DATABASE {database}"))
            .await
            .unwrap_or_else(|e| panic!("cannot create {database}: {e}"));
        let _ = admin.close().await;
        let (base, _) = admin_url.rsplit_once('/').unwrap_or((&admin_url, ""));
        let url = format!("{base}/{database}");
        let db = Db::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {database}: {e}"));
        db.migrate()
            .await
            .unwrap_or_else(|e| panic!("cannot migrate PostgreSQL: {e}"));
        Self {
            db,
            name: "postgres",
            url,
            cleanup: Cleanup::Postgres {
                admin_url,
                database,
            },
        }
    }

    /// Both backends, SQLite first.
    pub async fn both() -> Vec<Self> {
        vec![Self::sqlite().await, Self::postgres().await]
    }

    /// Removes the database.
    pub async fn drop_database(self) {
        let _ = self.db.connection().clone().close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres {
                admin_url,
                database,
            } => {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS {database} WITH (FORCE)"
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

pub fn now() -> Timestamp {
    "2026-11-23T21:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn phone(text: &str) -> PhoneNumber {
    PhoneNumber::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Stores a client with `team_size` members and returns them.
pub async fn client_with_team<S: AdminStore + ?Sized>(
    db: &S,
    number: &str,
    team_size: u32,
) -> (Client, Vec<TeamMember>) {
    let client = Client {
        id: ClientId::from_uuid(uuid::Uuid::now_v7()),
        name: "Acme Roofing".to_owned(),
        twilio_number: phone(number),
        timezone: TimeZoneName::parse("America/Edmonton").unwrap_or_else(|e| panic!("{e}")),
        out_of_hours_reply: Some("Closed; open {next_open}.".to_owned()),
        record_calls: false,
    };
    db.insert_client(&client, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut members = Vec::new();
    for n in 1..=team_size {
        let member = TeamMember {
            id: TeamMemberId::from_uuid(uuid::Uuid::now_v7()),
            client_id: client.id,
            name: format!("Agent {n}"),
            phone: phone(&format!("+1780555{n:04}")),
            receives_hot_transfers: true,
            active: true,
        };
        db.insert_team_member(&member, now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        members.push(member);
    }
    (client, members)
}
