//! Fresh databases for tests: a temporary SQLite file, and a PostgreSQL
//! database created on the server at `HOTLINE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and dropped afterwards.
//! PostgreSQL being unreachable fails the tests: they never skip.

use hotline_db::Db;
use hotline_domain::admin::ports::AdminStore;
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::{ClientId, PhoneNumber, TeamMemberId, TimeZoneName, Timestamp};
use hotline_testkit::database::{Backend, TestDatabase};

/// A migrated database that is removed by [`TestDb::drop_database`].
pub struct TestDb {
    pub db: Db,
    pub name: &'static str,
    /// The database's URL, for a second connection pool.
    pub url: String,
    database: TestDatabase,
}

impl TestDb {
    async fn open(backend: Backend) -> Self {
        let database = TestDatabase::create(backend).await;
        let db = Db::connect(&database.url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", database.name));
        db.migrate()
            .await
            .unwrap_or_else(|e| panic!("cannot migrate {}: {e}", database.name));
        Self {
            db,
            name: database.name,
            url: database.url.clone(),
            database,
        }
    }

    pub async fn sqlite() -> Self {
        Self::open(Backend::Sqlite).await
    }

    pub async fn postgres() -> Self {
        Self::open(Backend::Postgres).await
    }

    /// Both backends, SQLite first.
    pub async fn both() -> Vec<Self> {
        vec![Self::sqlite().await, Self::postgres().await]
    }

    /// Removes the database.
    pub async fn drop_database(self) {
        let _ = self.db.connection().clone().close().await;
        self.database.drop_database().await;
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
        ring_strategy: Default::default(),
        tier_delay_seconds: 15,
        follow_through: Default::default(),
        has_webhooks: false,
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
            priority: 100,
            available: true,
        };
        db.insert_team_member(&member, now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        members.push(member);
    }
    (client, members)
}
