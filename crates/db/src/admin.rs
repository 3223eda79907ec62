//! Queries of the admin API: clients, team members and admins.

use chrono::{DateTime, Utc};
use hotline_domain::admin::ports::{AdminAccount, AdminGrants};
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::routing::ports::StoreError;
use hotline_domain::{ClientId, Timestamp};
use uuid::Uuid;

use crate::codec::{from_db_time, to_db_time};
use crate::db::{Db, exec, get, query_all, query_one};
use crate::stores::{CLIENT_COLUMNS, MEMBER_COLUMNS, client_row, client_values, member_row};

impl Db {
    /// Every client, or only those with `ids`, by name.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn list_clients(&self, only: Option<&[ClientId]>) -> Result<Vec<Client>, StoreError> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients ORDER BY name, id");
        let clients = query_all(&self.conn, &sql, vec![])
            .await?
            .iter()
            .map(client_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(clients
            .into_iter()
            .filter(|c| only.is_none_or(|allowed| allowed.contains(&c.id)))
            .collect())
    }

    /// Saves a client's changed settings. MUST return `NotFound` for an
    /// unknown client and `Conflict` when the Twilio number is taken.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn update_client(&self, client: &Client, now: Timestamp) -> Result<(), StoreError> {
        let changed = exec(
            &self.conn,
            "UPDATE clients SET name = $2, twilio_number = $3, timezone = $4, out_of_hours_reply = $5, record_calls = $6, updated_at = $7, \
             ring_strategy = $8, tier_delay_seconds = $9, lead_ack_reply = $10, lead_missed_text = $11, \
             escalation_reminder_seconds = $12, escalation_manager_phone = $13, \
             escalation_manager_after_seconds = $14 WHERE id = $1",
            client_values(client, now),
        )
        .await;
        self.cache.forget();
        if changed? == 0 {
            Err(StoreError::NotFound(format!("client {}", client.id)))
        } else {
            Ok(())
        }
    }

    /// Every team member of a client, active or not.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn list_team(&self, client: ClientId) -> Result<Vec<TeamMember>, StoreError> {
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM team_members WHERE client_id = $1 ORDER BY created_at, id"
        );
        query_all(&self.conn, &sql, vec![client.as_uuid().into()])
            .await?
            .iter()
            .map(member_row)
            .collect()
    }

    /// Saves a member's changed settings. MUST return `NotFound` for an
    /// unknown member and `Conflict` when the phone is taken in the client.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn update_team_member(
        &self,
        member: &TeamMember,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let changed = exec(
            &self.conn,
            "UPDATE team_members SET name = $2, phone = $3, receives_hot_transfers = $4, active = $5, updated_at = $6, \
             priority = $7, available = $8 WHERE id = $1",
            vec![
                member.id.as_uuid().into(),
                member.name.clone().into(),
                member.phone.to_string().into(),
                member.receives_hot_transfers.into(),
                member.active.into(),
                to_db_time(now).into(),
                i32::try_from(member.priority).unwrap_or(i32::MAX).into(),
                member.available.into(),
            ],
        )
        .await;
        self.cache.forget();
        if changed? == 0 {
            Err(StoreError::NotFound(format!("team member {}", member.id)))
        } else {
            Ok(())
        }
    }

    /// Stores an admin with the hash of their token, its expiry and their
    /// grants. MUST return `Conflict` when the email is taken.
    ///
    /// # Errors
    ///
    /// [`StoreError`]; `NotFound` when a granted client does not exist.
    pub async fn insert_admin(
        &self,
        email: &str,
        token_hash: &str,
        clients: &[ClientId],
        now: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> Result<Uuid, StoreError> {
        use sea_orm::TransactionTrait;
        let id = Uuid::now_v7();
        let txn = self.conn.begin().await.map_err(crate::error::store_error)?;
        exec(
            &txn,
            "INSERT INTO admins (id, email, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            vec![
                id.into(),
                email.to_owned().into(),
                token_hash.to_owned().into(),
                to_db_time(now).into(),
                expires_at.map(to_db_time).into(),
            ],
        )
        .await?;
        for client in clients {
            exec(
                &txn,
                "INSERT INTO admin_clients (admin_id, client_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                vec![id.into(), client.as_uuid().into()],
            )
            .await?;
        }
        txn.commit().await.map_err(crate::error::store_error)?;
        Ok(id)
    }

    /// The admin whose token hashes to `token_hash`, with their grants.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn admin_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<AdminGrants>, StoreError> {
        let Some(row) = query_one(
            &self.conn,
            "SELECT id, expires_at FROM admins WHERE token_hash = $1",
            vec![token_hash.to_owned().into()],
        )
        .await?
        else {
            return Ok(None);
        };
        let admin_id: Uuid = get(&row, "id")?;
        let expires_at = get::<Option<DateTime<Utc>>>(&row, "expires_at")?.map(from_db_time);
        self.grants_of(admin_id, expires_at).await.map(Some)
    }

    /// Every admin with their grants, oldest first.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn list_admins(&self) -> Result<Vec<AdminAccount>, StoreError> {
        let rows = query_all(
            &self.conn,
            "SELECT id, email, created_at, expires_at FROM admins ORDER BY created_at, id",
            vec![],
        )
        .await?;
        let grants = query_all(
            &self.conn,
            "SELECT admin_id, client_id FROM admin_clients ORDER BY client_id",
            vec![],
        )
        .await?;
        let mut admins = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: Uuid = get(row, "id")?;
            let mut client_ids = Vec::new();
            for grant in &grants {
                if get::<Uuid>(grant, "admin_id")? == id {
                    client_ids.push(ClientId::from_uuid(get(grant, "client_id")?));
                }
            }
            admins.push(AdminAccount {
                id,
                email: get(row, "email")?,
                client_ids,
                created_at: from_db_time(get::<DateTime<Utc>>(row, "created_at")?),
                expires_at: get::<Option<DateTime<Utc>>>(row, "expires_at")?.map(from_db_time),
            });
        }
        Ok(admins)
    }

    /// Removes an admin, their grants and their web sessions; whether one
    /// was removed.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn delete_admin(&self, admin_id: Uuid) -> Result<bool, StoreError> {
        use sea_orm::TransactionTrait;
        let txn = self.conn.begin().await.map_err(crate::error::store_error)?;
        exec(
            &txn,
            "DELETE FROM admin_clients WHERE admin_id = $1",
            vec![admin_id.into()],
        )
        .await?;
        exec(
            &txn,
            "DELETE FROM web_sessions WHERE admin_id = $1",
            vec![admin_id.into()],
        )
        .await?;
        let deleted = exec(
            &txn,
            "DELETE FROM admins WHERE id = $1",
            vec![admin_id.into()],
        )
        .await?;
        txn.commit().await.map_err(crate::error::store_error)?;
        Ok(deleted == 1)
    }

    /// The admin with `admin_id` and their grants, `None` once removed.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn admin_grants(&self, admin_id: Uuid) -> Result<Option<AdminGrants>, StoreError> {
        let Some(row) = query_one(
            &self.conn,
            "SELECT expires_at FROM admins WHERE id = $1",
            vec![admin_id.into()],
        )
        .await?
        else {
            return Ok(None);
        };
        let expires_at = get::<Option<DateTime<Utc>>>(&row, "expires_at")?.map(from_db_time);
        self.grants_of(admin_id, expires_at).await.map(Some)
    }

    async fn grants_of(
        &self,
        admin_id: Uuid,
        expires_at: Option<Timestamp>,
    ) -> Result<AdminGrants, StoreError> {
        let grants = query_all(
            &self.conn,
            "SELECT client_id FROM admin_clients WHERE admin_id = $1",
            vec![admin_id.into()],
        )
        .await?;
        let client_ids = grants
            .iter()
            .map(|r| get::<Uuid>(r, "client_id").map(ClientId::from_uuid))
            .collect::<Result<_, _>>()?;
        Ok(AdminGrants {
            admin_id,
            client_ids,
            expires_at,
        })
    }
}
