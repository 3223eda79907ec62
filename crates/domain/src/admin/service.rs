//! Clients, their team and their business hours, as admins change them.

use std::sync::Arc;

use crate::routing::model::{Client, FollowThrough, TeamMember};
use crate::{ClientId, ScheduleDocument, TeamMemberId, Timestamp, WeeklySchedule};

use super::ports::AdminStore;
use super::validate::{phone, ring_strategy, text, timezone, within};
use super::{AdminError, Invalid, Principal};

/// The time zone of a client created without one.
const DEFAULT_TIMEZONE: &str = "America/Edmonton";

/// The out-of-hours reply of a client created without a choice:
/// `{next_open}` becomes the next opening ("tomorrow at 9:00 AM").
pub const DEFAULT_OUT_OF_HOURS_REPLY: &str =
    "Thanks for your message! We're closed right now and will call you back {next_open}.";

/// The tier delays a client may choose, in seconds.
const TIER_DELAYS: std::ops::RangeInclusive<u32> = 0..=600;
/// A tier's delay when none is given.
const DEFAULT_TIER_DELAY: u32 = 15;
/// The delays of reminders and the manager's text, in seconds.
const FOLLOW_UP_DELAYS: std::ops::RangeInclusive<u32> = 1..=86_400;

/// The priorities a member may have.
const PRIORITIES: std::ops::RangeInclusive<u32> = 1..=1000;
/// A member's priority when none is given.
const DEFAULT_PRIORITY: u32 = 100;

/// A client to create, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewClient {
    /// Display name.
    pub name: String,
    /// The Twilio number (E.164).
    pub twilio_number: String,
    /// IANA time zone; America/Edmonton when `None`.
    pub timezone: Option<String>,
    /// The out-of-hours auto-reply, if any.
    pub out_of_hours_reply: Option<String>,
    /// Record bridged calls.
    pub record_calls: bool,
    /// `simultaneous` when `None`.
    pub ring_strategy: Option<String>,
    /// 15 when `None` (0..600).
    pub tier_delay_seconds: Option<i64>,
    /// Following a lead through; each part off when `None`.
    pub follow_through: FollowThroughInput,
}

/// Following a lead through, as given (CONTRACT section 9).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowThroughInput {
    /// The reply to a lead whose ring group starts.
    pub lead_ack_reply: Option<String>,
    /// The text to a lead nobody accepted.
    pub lead_missed_text: Option<String>,
    /// Seconds before an unclaimed escalation's reminder (1..86400).
    pub escalation_reminder_seconds: Option<i64>,
    /// The manager's phone (E.164).
    pub escalation_manager_phone: Option<String>,
    /// Seconds before the manager is texted (1..86400).
    pub escalation_manager_after_seconds: Option<i64>,
}

/// Changes to following a lead through: `Some(None)` turns a part off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowThroughChanges {
    /// New acknowledgement reply.
    pub lead_ack_reply: Option<Option<String>>,
    /// New text to a lead nobody accepted.
    pub lead_missed_text: Option<Option<String>>,
    /// New reminder delay.
    pub escalation_reminder_seconds: Option<Option<i64>>,
    /// New manager phone.
    pub escalation_manager_phone: Option<Option<String>>,
    /// New manager delay.
    pub escalation_manager_after_seconds: Option<Option<i64>>,
}

/// Changes to a client: each `Some` replaces that field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientChanges {
    /// New name.
    pub name: Option<String>,
    /// New Twilio number.
    pub twilio_number: Option<String>,
    /// New time zone.
    pub timezone: Option<String>,
    /// New auto-reply; `Some(None)` removes it.
    pub out_of_hours_reply: Option<Option<String>>,
    /// Record bridged calls.
    pub record_calls: Option<bool>,
    /// New ring strategy.
    pub ring_strategy: Option<String>,
    /// New tier delay (0..600).
    pub tier_delay_seconds: Option<i64>,
    /// Changes to following a lead through.
    pub follow_through: FollowThroughChanges,
}

/// A team member to add, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    /// Name.
    pub name: String,
    /// Phone (E.164).
    pub phone: String,
    /// Rung for hot leads.
    pub receives_hot_transfers: bool,
    /// 100 when `None` (1..1000, lower rings first).
    pub priority: Option<i64>,
    /// `true` when `None`.
    pub available: Option<bool>,
}

/// Changes to a team member: each `Some` replaces that field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberChanges {
    /// New name.
    pub name: Option<String>,
    /// New phone.
    pub phone: Option<String>,
    /// Rung for hot leads.
    pub receives_hot_transfers: Option<bool>,
    /// Active (deactivated members keep their history).
    pub active: Option<bool>,
    /// New priority (1..1000).
    pub priority: Option<i64>,
    /// On or off duty.
    pub available: Option<bool>,
}

/// The administrative use cases on clients, teams and hours.
#[derive(Clone)]
pub struct AdminService {
    store: Arc<dyn AdminStore>,
}

impl std::fmt::Debug for AdminService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminService").finish_non_exhaustive()
    }
}

impl AdminService {
    /// The use cases over `store`.
    pub fn new(store: Arc<dyn AdminStore>) -> Self {
        Self { store }
    }

    /// Creates a client (super-admin only).
    ///
    /// # Errors
    ///
    /// `Forbidden`, `Invalid` naming the field, `TwilioNumberTaken`, `Unavailable`.
    pub async fn create_client(
        &self,
        principal: &Principal,
        new: NewClient,
        now: Timestamp,
    ) -> Result<Client, AdminError> {
        principal.require_super()?;
        let client = Client {
            id: ClientId::from_uuid(uuid::Uuid::now_v7()),
            name: text("name", &new.name)?,
            twilio_number: phone("twilio_number", &new.twilio_number)?,
            timezone: timezone(
                "timezone",
                new.timezone.as_deref().unwrap_or(DEFAULT_TIMEZONE),
            )?,
            out_of_hours_reply: new
                .out_of_hours_reply
                .as_deref()
                .map(|r| text("out_of_hours_reply", r))
                .transpose()?,
            record_calls: new.record_calls,
            ring_strategy: new
                .ring_strategy
                .as_deref()
                .map(|name| ring_strategy("ring_strategy", name))
                .transpose()?
                .unwrap_or_default(),
            tier_delay_seconds: new
                .tier_delay_seconds
                .map(|d| within("tier_delay_seconds", d, TIER_DELAYS))
                .transpose()?
                .unwrap_or(DEFAULT_TIER_DELAY),
            follow_through: follow_through(&new.follow_through)?,
            has_webhooks: false,
        };
        self.store.insert_client(&client, now).await?;
        Ok(client)
    }

    /// The clients the caller may see, by name.
    ///
    /// # Errors
    ///
    /// `Unavailable`.
    pub async fn clients(&self, principal: &Principal) -> Result<Vec<Client>, AdminError> {
        Ok(self
            .store
            .clients(principal.visible().map(<[ClientId]>::to_vec))
            .await?)
    }

    /// The client with `id`, when the caller may see it.
    ///
    /// # Errors
    ///
    /// `Forbidden` when it is not the caller's; `NotFound`; `Unavailable`.
    pub async fn client(&self, principal: &Principal, id: ClientId) -> Result<Client, AdminError> {
        principal.require(id)?;
        self.store
            .client(id)
            .await?
            .ok_or_else(|| AdminError::NotFound(format!("client {id}")))
    }

    /// Changes the fields given.
    ///
    /// # Errors
    ///
    /// As [`Self::client`], and `Invalid`, `TwilioNumberTaken`.
    pub async fn update_client(
        &self,
        principal: &Principal,
        id: ClientId,
        changes: ClientChanges,
        now: Timestamp,
    ) -> Result<Client, AdminError> {
        let mut client = self.client(principal, id).await?;
        if let Some(name) = &changes.name {
            client.name = text("name", name)?;
        }
        if let Some(number) = &changes.twilio_number {
            client.twilio_number = phone("twilio_number", number)?;
        }
        if let Some(zone) = &changes.timezone {
            client.timezone = timezone("timezone", zone)?;
        }
        if let Some(reply) = &changes.out_of_hours_reply {
            client.out_of_hours_reply = reply
                .as_deref()
                .map(|r| text("out_of_hours_reply", r))
                .transpose()?;
        }
        if let Some(record) = changes.record_calls {
            client.record_calls = record;
        }
        if let Some(name) = &changes.ring_strategy {
            client.ring_strategy = ring_strategy("ring_strategy", name)?;
        }
        if let Some(delay) = changes.tier_delay_seconds {
            client.tier_delay_seconds = within("tier_delay_seconds", delay, TIER_DELAYS)?;
        }
        apply_follow_through(&mut client.follow_through, &changes.follow_through)?;
        self.store.update_client(&client, now).await?;
        Ok(client)
    }

    /// Adds a member to a client's team.
    ///
    /// # Errors
    ///
    /// As [`Self::client`], and `Invalid` (including a phone that is the
    /// client's own Twilio number), `PhoneTaken`.
    pub async fn add_member(
        &self,
        principal: &Principal,
        client_id: ClientId,
        new: NewMember,
        now: Timestamp,
    ) -> Result<TeamMember, AdminError> {
        let client = self.client(principal, client_id).await?;
        let member = TeamMember {
            id: TeamMemberId::from_uuid(uuid::Uuid::now_v7()),
            client_id,
            name: text("name", &new.name)?,
            phone: member_phone(&client, &new.phone)?,
            receives_hot_transfers: new.receives_hot_transfers,
            active: true,
            priority: new
                .priority
                .map(|p| within("priority", p, PRIORITIES))
                .transpose()?
                .unwrap_or(DEFAULT_PRIORITY),
            available: new.available.unwrap_or(true),
        };
        self.store.insert_team_member(&member, now).await?;
        Ok(member)
    }

    /// Every member of the client's team, active or not.
    ///
    /// # Errors
    ///
    /// As [`Self::client`].
    pub async fn team(
        &self,
        principal: &Principal,
        client: ClientId,
    ) -> Result<Vec<TeamMember>, AdminError> {
        self.client(principal, client).await?;
        Ok(self.store.team(client).await?)
    }

    /// Changes the fields given of one member.
    ///
    /// # Errors
    ///
    /// As [`Self::add_member`], and `NotFound` for a member of another client.
    pub async fn update_member(
        &self,
        principal: &Principal,
        client_id: ClientId,
        member_id: TeamMemberId,
        changes: MemberChanges,
        now: Timestamp,
    ) -> Result<TeamMember, AdminError> {
        let client = self.client(principal, client_id).await?;
        let mut member = self.member_of(&client, member_id).await?;
        if let Some(name) = &changes.name {
            member.name = text("name", name)?;
        }
        if let Some(number) = &changes.phone {
            member.phone = member_phone(&client, number)?;
        }
        if let Some(value) = changes.receives_hot_transfers {
            member.receives_hot_transfers = value;
        }
        if let Some(value) = changes.active {
            member.active = value;
        }
        if let Some(value) = changes.priority {
            member.priority = within("priority", value, PRIORITIES)?;
        }
        if let Some(value) = changes.available {
            member.available = value;
        }
        self.store.update_team_member(&member, now).await?;
        Ok(member)
    }

    /// Deactivates a member: deleting keeps their history.
    ///
    /// # Errors
    ///
    /// As [`Self::update_member`].
    pub async fn deactivate_member(
        &self,
        principal: &Principal,
        client_id: ClientId,
        member_id: TeamMemberId,
        now: Timestamp,
    ) -> Result<TeamMember, AdminError> {
        let changes = MemberChanges {
            active: Some(false),
            ..MemberChanges::default()
        };
        self.update_member(principal, client_id, member_id, changes, now)
            .await
    }

    /// The client's schedule document; no hours yet is an empty week in
    /// the client's time zone.
    ///
    /// # Errors
    ///
    /// As [`Self::client`].
    pub async fn schedule_document(
        &self,
        principal: &Principal,
        client_id: ClientId,
    ) -> Result<ScheduleDocument, AdminError> {
        let client = self.client(principal, client_id).await?;
        Ok(match self.store.schedule(client_id).await? {
            Some(schedule) => schedule.to_document(),
            None => ScheduleDocument {
                timezone: client.timezone.to_string(),
                hours: Vec::new(),
                closures: Vec::new(),
                holidays: Vec::new(),
                special_hours: Vec::new(),
            },
        })
    }

    /// The client's schedule, when hours were set.
    ///
    /// # Errors
    ///
    /// As [`Self::client`].
    pub async fn schedule(
        &self,
        principal: &Principal,
        client_id: ClientId,
    ) -> Result<Option<WeeklySchedule>, AdminError> {
        self.client(principal, client_id).await?;
        Ok(self.store.schedule(client_id).await?)
    }

    /// The client's opening for `days` local dates from `from` (default:
    /// today at `now` in the client's zone): CONTRACT section 8's preview. A
    /// client without hours is closed every day.
    ///
    /// # Errors
    ///
    /// As [`Self::client`]; `Invalid` naming `days` outside 1..=400.
    pub async fn schedule_preview(
        &self,
        principal: &Principal,
        client_id: ClientId,
        from: Option<jiff::civil::Date>,
        days: u32,
        now: Timestamp,
    ) -> Result<crate::schedule::SchedulePreview, AdminError> {
        let client = self.client(principal, client_id).await?;
        if !(1..=crate::schedule::MAX_PREVIEW_DAYS).contains(&days) {
            return Err(Invalid::new("days", "out_of_range", "must be 1 to 400").into());
        }
        let schedule = match self.store.schedule(client_id).await? {
            Some(schedule) => schedule,
            None => WeeklySchedule::new(client.timezone.clone(), Vec::new(), Vec::new()),
        };
        let from = from.unwrap_or_else(|| schedule.local_date_at(now));
        Ok(schedule.preview_document(from, days))
    }

    /// Replaces the client's hours from a schedule document.
    ///
    /// # Errors
    ///
    /// As [`Self::client`], and `Invalid` naming the first bad field.
    pub async fn replace_schedule(
        &self,
        principal: &Principal,
        client_id: ClientId,
        document: &ScheduleDocument,
        now: Timestamp,
    ) -> Result<WeeklySchedule, AdminError> {
        self.client(principal, client_id).await?;
        let schedule = WeeklySchedule::from_document(document)
            .map_err(|e| Invalid::new(e.field.clone(), e.problem.code(), e.problem.to_string()))?;
        self.store
            .replace_schedule(client_id, &schedule, now)
            .await?;
        Ok(schedule)
    }

    async fn member_of(&self, client: &Client, id: TeamMemberId) -> Result<TeamMember, AdminError> {
        self.store
            .team_member(id)
            .await?
            .filter(|m| m.client_id == client.id)
            .ok_or_else(|| AdminError::NotFound(format!("team member {id}")))
    }
}

/// A member's phone: E.164 and not the client's own Twilio number (a call
/// or text would go from that number to itself).
fn member_phone(client: &Client, value: &str) -> Result<crate::PhoneNumber, Invalid> {
    let number = phone("phone", value)?;
    if number == client.twilio_number {
        return Err(Invalid::new(
            "phone",
            "phone_is_client_number",
            "must not be the client's own Twilio number",
        ));
    }
    Ok(number)
}

/// Following a lead through, validated.
fn follow_through(input: &FollowThroughInput) -> Result<FollowThrough, Invalid> {
    let mut checked = FollowThrough::default();
    apply_follow_through(
        &mut checked,
        &FollowThroughChanges {
            lead_ack_reply: Some(input.lead_ack_reply.clone()),
            lead_missed_text: Some(input.lead_missed_text.clone()),
            escalation_reminder_seconds: Some(input.escalation_reminder_seconds),
            escalation_manager_phone: Some(input.escalation_manager_phone.clone()),
            escalation_manager_after_seconds: Some(input.escalation_manager_after_seconds),
        },
    )?;
    Ok(checked)
}

/// Applies the parts of `changes` given, each validated.
fn apply_follow_through(
    target: &mut FollowThrough,
    changes: &FollowThroughChanges,
) -> Result<(), Invalid> {
    let optional_text =
        |field: &str, value: &Option<String>| value.as_deref().map(|v| text(field, v)).transpose();
    let optional_seconds = |field: &str, value: &Option<i64>| {
        value
            .map(|v| within(field, v, FOLLOW_UP_DELAYS))
            .transpose()
    };
    if let Some(value) = &changes.lead_ack_reply {
        target.lead_ack_reply = optional_text("lead_ack_reply", value)?;
    }
    if let Some(value) = &changes.lead_missed_text {
        target.lead_missed_text = optional_text("lead_missed_text", value)?;
    }
    if let Some(value) = &changes.escalation_reminder_seconds {
        target.reminder_after_seconds = optional_seconds("escalation_reminder_seconds", value)?;
    }
    if let Some(value) = &changes.escalation_manager_phone {
        target.manager_phone = value
            .as_deref()
            .map(|p| phone("escalation_manager_phone", p))
            .transpose()?;
    }
    if let Some(value) = &changes.escalation_manager_after_seconds {
        target.manager_after_seconds = optional_seconds("escalation_manager_after_seconds", value)?;
    }
    Ok(())
}
