//! [`ClientStore`] on the database: clients, teams and schedules, read
//! through the per-process cache.

use async_trait::async_trait;
use chrono::NaiveDate;
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::routing::ports::{ClientStore, StoreError};
use hotline_domain::schedule::{
    ClosureEntry, HolidayEntry, HoursEntry, SpecialHoursEntry, SpecialInterval,
};
use hotline_domain::{
    ClientId, PhoneNumber, ScheduleDocument, TeamMemberId, Timestamp, WeeklySchedule,
};

use crate::codec::to_db_time;
use crate::db::{Db, exec, get, query_all, query_one};

use super::rows::*;

#[async_trait]
impl ClientStore for Db {
    async fn client_by_number(&self, number: &PhoneNumber) -> Result<Option<Client>, StoreError> {
        if let Some(cached) = self.cache.client_by_number(number.as_str()) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE twilio_number = $1");
        let client = query_one(&self.conn, &sql, vec![number.to_string().into()])
            .await?
            .as_ref()
            .map(client_row)
            .transpose()?;
        self.cache
            .put_client_by_number(generation, number.as_str(), client.clone());
        Ok(client)
    }

    async fn client(&self, client: ClientId) -> Result<Option<Client>, StoreError> {
        if let Some(cached) = self.cache.client(client) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1");
        let found = query_one(&self.conn, &sql, vec![id(client.as_uuid())])
            .await?
            .as_ref()
            .map(client_row)
            .transpose()?;
        self.cache.put_client(generation, client, found.clone());
        Ok(found)
    }

    async fn schedule(&self, client: ClientId) -> Result<Option<WeeklySchedule>, StoreError> {
        if let Some(cached) = self.cache.schedule(client) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let schedule = self.read_schedule(client).await?;
        self.cache
            .put_schedule(generation, client, schedule.clone());
        Ok(schedule)
    }

    async fn team_member_by_phone(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
    ) -> Result<Option<TeamMember>, StoreError> {
        Ok(self
            .active_team(client)
            .await?
            .into_iter()
            .find(|member| member.phone == *phone))
    }

    async fn team_member(&self, member: TeamMemberId) -> Result<Option<TeamMember>, StoreError> {
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM team_members WHERE id = $1");
        query_one(&self.conn, &sql, vec![id(member.as_uuid())])
            .await?
            .as_ref()
            .map(member_row)
            .transpose()
    }

    async fn active_team(&self, client: ClientId) -> Result<Vec<TeamMember>, StoreError> {
        if let Some(cached) = self.cache.team(client) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM team_members WHERE client_id = $1 AND active = $2 ORDER BY created_at, id"
        );
        let team: Vec<TeamMember> =
            query_all(&self.conn, &sql, vec![id(client.as_uuid()), true.into()])
                .await?
                .iter()
                .map(member_row)
                .collect::<Result<_, _>>()?;
        self.cache.put_team(generation, client, team.clone());
        Ok(team)
    }

    async fn set_member_available(
        &self,
        member: TeamMemberId,
        available: bool,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let changed = exec(
            &self.conn,
            "UPDATE team_members SET available = $2, updated_at = $3 WHERE id = $1",
            vec![
                id(member.as_uuid()),
                available.into(),
                to_db_time(at).into(),
            ],
        )
        .await;
        // This process sees the change at once; others within the cache's TTL.
        self.cache.forget();
        if changed? == 0 {
            return Err(StoreError::NotFound(format!("team member {member}")));
        }
        Ok(())
    }
}

impl Db {
    /// The client's schedule as stored: zone and hours in one query, closures in another.
    pub(super) async fn read_schedule(
        &self,
        client: ClientId,
    ) -> Result<Option<WeeklySchedule>, StoreError> {
        // The zone and the weekly hours in one round trip.
        let rows = query_all(
            &self.conn,
            "SELECT c.timezone, h.day_of_week, h.start_time, h.end_time, h.is_active \
             FROM clients c LEFT JOIN business_hours h ON h.client_id = c.id \
             WHERE c.id = $1 ORDER BY h.position",
            vec![id(client.as_uuid())],
        )
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let timezone: String = get(first, "timezone")?;
        let hours: Vec<&sea_orm::QueryResult> = rows
            .iter()
            .filter(|row| matches!(get::<Option<i32>>(row, "day_of_week"), Ok(Some(_))))
            .collect();
        let closures = query_all(
            &self.conn,
            "SELECT closed_on, reason FROM business_closures WHERE client_id = $1 ORDER BY position",
            vec![id(client.as_uuid())],
        )
        .await?;
        let holidays = query_all(
            &self.conn,
            "SELECT name, rule, month, day, weekday, nth, observed, offset_days \
             FROM business_holidays WHERE client_id = $1 ORDER BY position",
            vec![id(client.as_uuid())],
        )
        .await?;
        let special = query_all(
            &self.conn,
            "SELECT special_date, hours, reason FROM business_special_hours \
             WHERE client_id = $1 ORDER BY special_date",
            vec![id(client.as_uuid())],
        )
        .await?;
        if hours.is_empty() && closures.is_empty() && holidays.is_empty() && special.is_empty() {
            return Ok(None);
        }
        let document = ScheduleDocument {
            timezone,
            hours: hours
                .iter()
                .map(|&row| {
                    Ok(HoursEntry {
                        day_of_week: i64::from(get::<i32>(row, "day_of_week")?),
                        start_time: get(row, "start_time")?,
                        end_time: get(row, "end_time")?,
                        is_active: get(row, "is_active")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            closures: closures
                .iter()
                .map(|row| {
                    Ok(ClosureEntry {
                        date: get::<NaiveDate>(row, "closed_on")?
                            .format("%Y-%m-%d")
                            .to_string(),
                        reason: get(row, "reason")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            holidays: holidays
                .iter()
                .map(holiday_entry)
                .collect::<Result<_, StoreError>>()?,
            special_hours: special
                .iter()
                .map(|row| {
                    let hours: String = get(row, "hours")?;
                    Ok(SpecialHoursEntry {
                        date: Some(
                            get::<NaiveDate>(row, "special_date")?
                                .format("%Y-%m-%d")
                                .to_string(),
                        ),
                        hours: Some(
                            hours
                                .split(',')
                                .filter(|part| !part.is_empty())
                                .map(|part| {
                                    let (start, end) = part.split_once('-').unwrap_or((part, ""));
                                    SpecialInterval {
                                        start_time: Some(start.to_owned()),
                                        end_time: Some(end.to_owned()),
                                    }
                                })
                                .collect(),
                        ),
                        reason: get(row, "reason")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        };
        WeeklySchedule::from_stored_document(&document)
            .map(Some)
            .map_err(|_| corrupt("schedule"))
    }
}

/// A stored holiday as the document writes it (validated again on reading).
fn holiday_entry(row: &sea_orm::QueryResult) -> Result<HolidayEntry, StoreError> {
    let number = |column: &str| -> Result<Option<serde_json::Value>, StoreError> {
        Ok(get::<Option<i32>>(row, column)?.map(serde_json::Value::from))
    };
    let text = |column: &str| -> Result<Option<serde_json::Value>, StoreError> {
        Ok(get::<Option<String>>(row, column)?.map(serde_json::Value::from))
    };
    Ok(HolidayEntry {
        name: text("name")?,
        rule: text("rule")?,
        month: number("month")?,
        day: number("day")?,
        weekday: number("weekday")?,
        nth: number("nth")?,
        observed: text("observed")?,
        offset_days: number("offset_days")?,
        other: serde_json::Map::new(),
    })
}
