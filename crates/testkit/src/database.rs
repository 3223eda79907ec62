//! Fresh test databases: a temporary SQLite file, or a PostgreSQL database
//! created on the server at `HOTLINE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). PostgreSQL being
//! unreachable fails the test: tests never skip it.

use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, Statement, TransactionTrait,
};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A name no other test uses, starting with `prefix`.
pub fn unique(prefix: &str) -> String {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(
        "{prefix}_{}_{}_{n}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    )
}

/// Which kind of database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh database on the PostgreSQL at `HOTLINE_TEST_POSTGRES_URL`.
    Postgres,
    /// A fresh database on a PostgreSQL of the test's own, on this port.
    PostgresOnPort(u16),
}

/// A fresh, empty database; [`TestDatabase::drop_database`] removes it.
#[derive(Debug)]
pub struct TestDatabase {
    /// Its URL, as `DATABASE_URL` takes it.
    pub url: String,
    /// `sqlite` or `postgres`, for messages.
    pub name: &'static str,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, database: String },
}

/// The PostgreSQL server tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("HOTLINE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

impl TestDatabase {
    /// A fresh database of `backend`.
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{}.db", unique("hotline_test")));
                Self {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    name: "sqlite",
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres => Self::postgres_at(postgres_admin_url()).await,
            Backend::PostgresOnPort(port) => {
                Self::postgres_at(format!("postgres://postgres@127.0.0.1:{port}/postgres")).await
            }
        }
    }

    async fn postgres_at(admin_url: String) -> Self {
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
        Self {
            url: format!("{base}/{database}"),
            name: "postgres",
            cleanup: Cleanup::Postgres {
                admin_url,
                database,
            },
        }
    }

    /// A connection of the test's own, to look inside.
    pub async fn connect(&self) -> DatabaseConnection {
        Database::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", self.name))
    }

    /// `SELECT COUNT(*) FROM {from}` (`from` may carry a `WHERE`); -1 when
    /// it cannot be read.
    pub async fn count(&self, from: &str) -> i64 {
        let connection = self.connect().await;
        let row = connection
            .query_one_raw(Statement::from_string(
                connection.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {from}"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = connection.close().await;
        row.and_then(|r| r.try_get_by::<i64, _>("n").ok())
            .unwrap_or(-1)
    }

    /// The `id` of the first row of `table`, or `""` when it has none.
    pub async fn first_id(&self, table: &str) -> String {
        let connection = self.connect().await;
        let row = connection
            .query_one_raw(Statement::from_string(
                connection.get_database_backend(),
                format!("SELECT id FROM {table}"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = connection.close().await;
        row.and_then(|r| r.try_get_by::<uuid::Uuid, _>("id").ok())
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// Runs `sql` (a `LOCK TABLE …`) in a transaction of its own that holds
    /// what it took until [`HeldLock::release`].
    pub async fn hold(&self, sql: &str) -> HeldLock {
        let transaction = self
            .connect()
            .await
            .begin()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        transaction
            .execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        HeldLock(transaction)
    }

    /// Removes the database (close every connection to it first).
    pub async fn drop_database(&self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres {
                admin_url,
                database,
            } => {
                if let Ok(admin) = Database::connect(admin_url).await {
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

    /// Removes the database from a fresh thread with its own runtime: for
    /// `Drop`, when the test's runtime may be shutting down.
    pub fn drop_database_blocking(&self) {
        std::thread::scope(|scope| {
            scope.spawn(|| {
                if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    runtime.block_on(self.drop_database());
                }
            });
        });
    }
}

/// A transaction holding a lock, from [`TestDatabase::hold`].
pub struct HeldLock(DatabaseTransaction);

impl HeldLock {
    /// Ends the transaction and its lock.
    pub async fn release(self) {
        let _ = self.0.rollback().await;
    }
}
