//! Queries of the admin API: clients, team members and admins.

use hotline_domain::admin::ports::AdminGrants;
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::routing::ports::StoreError;
use hotline_domain::{ClientId, Timestamp};
use uuid::Uuid;

use crate::codec::to_db_time;
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

    /// Stores an admin with the hash of their token and their grants.
    /// MUST return `Conflict` when the email is taken.
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
    ) -> Result<Uuid, StoreError> {
        use sea_orm::TransactionTrait;
        let id = Uuid::now_v7();
        let txn = self.conn.begin().await.map_err(crate::error::store_error)?;
        exec(
            &txn,
            "INSERT INTO admins (id, email, token_hash, created_at) VALUES ($1, $2, $3, $4)",
            vec![
                id.into(),
                email.to_owned().into(),
                token_hash.to_owned().into(),
                to_db_time(now).into(),
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
            "SELECT id FROM admins WHERE token_hash = $1",
            vec![token_hash.to_owned().into()],
        )
        .await?
        else {
            return Ok(None);
        };
        let admin_id: Uuid = get(&row, "id")?;
        self.grants_of(admin_id).await.map(Some)
    }

    /// The admin with `admin_id` and their grants, `None` once removed.
    ///
    /// # Errors
    ///
    /// [`StoreError`].
    pub async fn admin_grants(&self, admin_id: Uuid) -> Result<Option<AdminGrants>, StoreError> {
        if query_one(
            &self.conn,
            "SELECT id FROM admins WHERE id = $1",
            vec![admin_id.into()],
        )
        .await?
        .is_none()
        {
            return Ok(None);
        }
        self.grants_of(admin_id).await.map(Some)
    }

    async fn grants_of(&self, admin_id: Uuid) -> Result<AdminGrants, StoreError> {
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
        })
    }
}
