//! Sign-in sessions of the web pages, stored so that any process behind a
//! load balancer recognises them and signing out ends them everywhere.

use hotline_domain::Timestamp;
use hotline_domain::admin::ports::{SessionOwner, WebSession};
use hotline_domain::routing::ports::StoreError;
use uuid::Uuid;

use crate::codec::to_db_time;
use crate::db::{Db, exec, get, query_one};

impl Db {
    /// Stores a new session under the SHA-256 of its cookie token, and
    /// removes sessions that have expired.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn insert_web_session(
        &self,
        token_hash: &str,
        session: &WebSession,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "DELETE FROM web_sessions WHERE expires_at < $1",
            vec![to_db_time(now).into()],
        )
        .await?;
        let (admin_id, super_hash) = match &session.owner {
            SessionOwner::SuperAdmin { token_digest } => (None, Some(token_digest.clone())),
            SessionOwner::Admin(id) => (Some(*id), None),
        };
        exec(
            &self.conn,
            "INSERT INTO web_sessions (token_hash, admin_id, super_token_hash, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                token_hash.to_owned().into(),
                admin_id.into(),
                super_hash.into(),
                session.csrf_token.clone().into(),
                to_db_time(now).into(),
                to_db_time(expires_at).into(),
            ],
        )
        .await?;
        Ok(())
    }

    /// The unexpired session stored under `token_hash`.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn web_session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<WebSession>, StoreError> {
        let Some(row) = query_one(
            &self.conn,
            "SELECT admin_id, super_token_hash, csrf_token FROM web_sessions WHERE token_hash = $1 AND expires_at > $2",
            vec![token_hash.to_owned().into(), to_db_time(now).into()],
        )
        .await?
        else {
            return Ok(None);
        };
        let admin_id: Option<Uuid> = get(&row, "admin_id")?;
        let super_hash: Option<String> = get(&row, "super_token_hash")?;
        let owner = match (admin_id, super_hash) {
            (Some(id), _) => SessionOwner::Admin(id),
            (None, Some(token_digest)) => SessionOwner::SuperAdmin { token_digest },
            (None, None) => return Ok(None),
        };
        Ok(Some(WebSession {
            owner,
            csrf_token: get(&row, "csrf_token")?,
        }))
    }

    /// Ends the session stored under `token_hash`, if any.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn delete_web_session(&self, token_hash: &str) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "DELETE FROM web_sessions WHERE token_hash = $1",
            vec![token_hash.to_owned().into()],
        )
        .await?;
        Ok(())
    }
}
