//! Admins' verdicts on scored messages (`intent_labels`), behind the
//! domain's [`IntentFeedbackStore`] port. The same statements run on
//! PostgreSQL and SQLite.

use async_trait::async_trait;
use hotline_domain::intent::{
    FeedbackError, IntentFeedbackStore, IntentLabel, MessageRef, NewIntentLabel,
};
use hotline_domain::routing::ports::StoreError;
use hotline_domain::{ClientId, LeadId};
use sea_orm::{QueryResult, Value};
use uuid::Uuid;

use crate::codec::{from_db_time, to_db_time};
use crate::db::{Db, exec, get, query_all, query_one};

/// The columns of a label joined with its message.
const LABEL_COLUMNS: &str = "l.message_id, m.message_sid, l.lead_id, m.body, m.intent_score, \
                             m.hot AS scored_hot, l.hot, l.labelled_by, l.labelled_at";

fn unavailable(error: StoreError) -> FeedbackError {
    FeedbackError::Unavailable(error.to_string())
}

fn label(row: &QueryResult) -> Result<IntentLabel, StoreError> {
    Ok(IntentLabel {
        message_id: get(row, "message_id")?,
        message_sid: get(row, "message_sid")?,
        lead_id: LeadId::from_uuid(get(row, "lead_id")?),
        text: get(row, "body")?,
        score: get(row, "intent_score")?,
        scored_hot: get(row, "scored_hot")?,
        hot: get(row, "hot")?,
        labelled_by: get(row, "labelled_by")?,
        labelled_at: from_db_time(get(row, "labelled_at")?),
    })
}

#[async_trait]
impl IntentFeedbackStore for Db {
    async fn record_label(&self, new: NewIntentLabel) -> Result<IntentLabel, FeedbackError> {
        let (column, key): (&str, Value) = match &new.message {
            MessageRef::Id(id) => ("id", (*id).into()),
            MessageRef::Sid(sid) => ("message_sid", sid.clone().into()),
        };
        let found = query_one(
            &self.conn,
            &format!(
                "SELECT m.id FROM messages m JOIN leads d ON d.id = m.lead_id \
                 WHERE m.{column} = $1 AND m.lead_id = $2 AND d.client_id = $3"
            ),
            vec![key, new.lead.as_uuid().into(), new.client.as_uuid().into()],
        )
        .await
        .map_err(unavailable)?
        .ok_or(FeedbackError::MessageNotFound)?;
        let message_id: Uuid = get(&found, "id").map_err(unavailable)?;
        exec(
            &self.conn,
            "INSERT INTO intent_labels (message_id, client_id, lead_id, hot, labelled_by, labelled_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (message_id) DO UPDATE SET hot = excluded.hot, \
             labelled_by = excluded.labelled_by, labelled_at = excluded.labelled_at",
            vec![
                message_id.into(),
                new.client.as_uuid().into(),
                new.lead.as_uuid().into(),
                new.hot.into(),
                new.labelled_by.into(),
                to_db_time(new.at).into(),
            ],
        )
        .await
        .map_err(unavailable)?;
        let row = query_one(
            &self.conn,
            &format!(
                "SELECT {LABEL_COLUMNS} FROM intent_labels l JOIN messages m ON m.id = l.message_id \
                 WHERE l.message_id = $1"
            ),
            vec![message_id.into()],
        )
        .await
        .map_err(unavailable)?
        .ok_or(FeedbackError::MessageNotFound)?;
        label(&row).map_err(unavailable)
    }

    async fn labels(
        &self,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<IntentLabel>, FeedbackError> {
        let rows = query_all(
            &self.conn,
            &format!(
                "SELECT {LABEL_COLUMNS} FROM intent_labels l JOIN messages m ON m.id = l.message_id \
                 WHERE l.client_id = $1 ORDER BY l.labelled_at DESC, l.message_id DESC LIMIT $2 OFFSET $3"
            ),
            vec![
                client.as_uuid().into(),
                i64::from(limit).into(),
                i64::from(offset).into(),
            ],
        )
        .await
        .map_err(unavailable)?;
        rows.iter()
            .map(label)
            .collect::<Result<_, _>>()
            .map_err(unavailable)
    }
}
