//! Ring strategies: how a ring group rings a client's team.
//!
//! A strategy plans a new group's legs (who is rung, in what order, and
//! how long after the group starts each call is due) and how long the group
//! may ring before nobody accepting exhausts it. [`Simultaneous`], every
//! phone at once, is the strategy Hotline rings with today.

use std::fmt;

use jiff::SignedDuration;

use super::model::TeamMember;

/// One planned leg of a ring group.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedLeg<'a> {
    /// The member rung.
    pub member: &'a TeamMember,
    /// How long after the group starts the call is due.
    pub starts_after: SignedDuration,
}

/// How a ring group rings the team.
pub trait RingStrategy: Send + Sync + fmt::Debug {
    /// The strategy's name as clients choose it (`simultaneous`).
    fn name(&self) -> &'static str;

    /// The legs of a new ring group for `team` (the members who receive hot
    /// transfers), in dialling order. MUST ring each phone at most once.
    fn plan<'a>(&self, team: &'a [TeamMember]) -> Vec<PlannedLeg<'a>>;

    /// How long the group may ring with nobody accepting, for `plan` and
    /// each phone ringing for `ring_timeout`.
    fn ring_window(&self, plan: &[PlannedLeg<'_>], ring_timeout: SignedDuration) -> SignedDuration;
}

/// Every phone at once: one call per member, all due when the group starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Simultaneous;

impl RingStrategy for Simultaneous {
    fn name(&self) -> &'static str {
        "simultaneous"
    }

    fn plan<'a>(&self, team: &'a [TeamMember]) -> Vec<PlannedLeg<'a>> {
        let mut seen = std::collections::HashSet::new();
        team.iter()
            .filter(|member| seen.insert(member.phone.clone()))
            .map(|member| PlannedLeg {
                member,
                starts_after: SignedDuration::ZERO,
            })
            .collect()
    }

    fn ring_window(&self, plan: &[PlannedLeg<'_>], ring_timeout: SignedDuration) -> SignedDuration {
        let latest_start = plan
            .iter()
            .map(|leg| leg.starts_after)
            .max()
            .unwrap_or(SignedDuration::ZERO);
        latest_start.saturating_add(ring_timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::model::TeamMember;
    use crate::{ClientId, PhoneNumber, TeamMemberId};

    fn member(n: u128, phone: &str) -> TeamMember {
        TeamMember {
            id: TeamMemberId::from_uuid(uuid::Uuid::from_u128(n)),
            client_id: ClientId::from_uuid(uuid::Uuid::from_u128(99)),
            name: format!("Agent {n}"),
            phone: PhoneNumber::parse(phone).unwrap_or_else(|e| panic!("{e}")),
            receives_hot_transfers: true,
            active: true,
        }
    }

    #[test]
    fn simultaneous_rings_each_phone_once_all_at_the_start() {
        let team = [
            member(1, "+17805550001"),
            member(2, "+17805550002"),
            member(3, "+17805550001"),
        ];
        let plan = Simultaneous.plan(&team);
        let rung: Vec<u128> = plan
            .iter()
            .map(|l| l.member.id.as_uuid().as_u128())
            .collect();
        assert_eq!(rung, [1, 2]);
        assert!(plan.iter().all(|l| l.starts_after == SignedDuration::ZERO));
        let window = Simultaneous.ring_window(&plan, SignedDuration::from_secs(30));
        assert_eq!(window, SignedDuration::from_secs(30));
        assert_eq!(Simultaneous.name(), "simultaneous");
    }
}
