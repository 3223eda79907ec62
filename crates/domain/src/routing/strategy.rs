//! Ring strategies: how a ring group rings a client's team.
//!
//! A strategy plans a new group's legs (who is rung, in which wave, and
//! the latest delay after the group starts at which each call is due) and
//! how long the group may ring before nobody accepting exhausts it. The
//! waves ("tiers") are what the durable jobs place: all at once
//! ([`Simultaneous`]), one after another as each ends ([`Sequential`]),
//! or each a fixed delay after the last ([`Tiered`]). [`LeadFirst`] calls
//! the lead and rings every member through one `<Dial>`.

use std::fmt;

use jiff::SignedDuration;

use super::model::{RingStrategyKind, TeamMember};

/// One planned leg of a ring group.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedLeg<'a> {
    /// The member rung.
    pub member: &'a TeamMember,
    /// The wave that rings it, from 1.
    pub tier: u32,
    /// The latest delay after the group starts at which the call is due
    /// (earlier when an earlier wave ends sooner).
    pub starts_after: SignedDuration,
}

/// How a ring group rings the team.
pub trait RingStrategy: Send + Sync + fmt::Debug {
    /// Which strategy this is.
    fn kind(&self) -> RingStrategyKind;

    /// The legs of a new ring group for `team` (the members who receive hot
    /// transfers and are available), in dialling order, each phone ringing
    /// for `ring_timeout`. MUST ring each phone at most once.
    fn plan<'a>(&self, team: &'a [TeamMember], ring_timeout: SignedDuration)
    -> Vec<PlannedLeg<'a>>;

    /// How long the group may ring with nobody accepting.
    fn ring_window(&self, plan: &[PlannedLeg<'_>], ring_timeout: SignedDuration) -> SignedDuration {
        let latest_start = plan
            .iter()
            .map(|leg| leg.starts_after)
            .max()
            .unwrap_or(SignedDuration::ZERO);
        latest_start.saturating_add(ring_timeout)
    }

    /// Whether a wave starts only once the previous one has ended (rather
    /// than at its planned delay).
    fn waves_follow_endings(&self) -> bool {
        false
    }
}

/// The strategy of `kind`, with `tier_delay` for [`Tiered`].
pub fn strategy_for(kind: RingStrategyKind, tier_delay: SignedDuration) -> Box<dyn RingStrategy> {
    match kind {
        RingStrategyKind::Simultaneous => Box::new(Simultaneous),
        RingStrategyKind::Sequential => Box::new(Sequential),
        RingStrategyKind::Tiered => Box::new(Tiered { delay: tier_delay }),
        RingStrategyKind::LeadFirst => Box::new(LeadFirst),
    }
}

/// The team by priority (lower first; ties keep their order, oldest
/// member first), each phone once.
fn by_priority(team: &[TeamMember]) -> Vec<&TeamMember> {
    let mut seen = std::collections::HashSet::new();
    let mut members: Vec<&TeamMember> = team
        .iter()
        .filter(|member| seen.insert(member.phone.clone()))
        .collect();
    members.sort_by_key(|member| member.priority);
    members
}

/// Every phone at once: one call per member, all due when the group starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Simultaneous;

impl RingStrategy for Simultaneous {
    fn kind(&self) -> RingStrategyKind {
        RingStrategyKind::Simultaneous
    }

    fn plan<'a>(
        &self,
        team: &'a [TeamMember],
        _ring_timeout: SignedDuration,
    ) -> Vec<PlannedLeg<'a>> {
        by_priority(team)
            .into_iter()
            .map(|member| PlannedLeg {
                member,
                tier: 1,
                starts_after: SignedDuration::ZERO,
            })
            .collect()
    }
}

/// One phone at a time in priority order; the next when the last ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sequential;

impl RingStrategy for Sequential {
    fn kind(&self) -> RingStrategyKind {
        RingStrategyKind::Sequential
    }

    fn plan<'a>(
        &self,
        team: &'a [TeamMember],
        ring_timeout: SignedDuration,
    ) -> Vec<PlannedLeg<'a>> {
        by_priority(team)
            .into_iter()
            .zip(0_i32..)
            .map(|(member, n)| PlannedLeg {
                member,
                tier: n.unsigned_abs() + 1,
                starts_after: ring_timeout.saturating_mul(n),
            })
            .collect()
    }

    fn waves_follow_endings(&self) -> bool {
        true
    }
}

/// Members of the same priority ring together; each next tier joins
/// `delay` after the previous one, earlier tiers ringing on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiered {
    /// How long a tier rings alone before the next joins.
    pub delay: SignedDuration,
}

impl RingStrategy for Tiered {
    fn kind(&self) -> RingStrategyKind {
        RingStrategyKind::Tiered
    }

    fn plan<'a>(
        &self,
        team: &'a [TeamMember],
        _ring_timeout: SignedDuration,
    ) -> Vec<PlannedLeg<'a>> {
        let mut tier = 0_i32;
        let mut last_priority = None;
        by_priority(team)
            .into_iter()
            .map(|member| {
                if last_priority != Some(member.priority) {
                    tier += 1;
                    last_priority = Some(member.priority);
                }
                PlannedLeg {
                    member,
                    tier: tier.unsigned_abs(),
                    starts_after: self.delay.saturating_mul(tier - 1),
                }
            })
            .collect()
    }
}

/// The lead is called first; when they answer, every member (at most 10,
/// by priority) rings at once through one `<Dial>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeadFirst;

/// The most `<Number>`s one `<Dial>` rings.
pub const MAX_DIAL_NUMBERS: usize = 10;

impl RingStrategy for LeadFirst {
    fn kind(&self) -> RingStrategyKind {
        RingStrategyKind::LeadFirst
    }

    fn plan<'a>(
        &self,
        team: &'a [TeamMember],
        _ring_timeout: SignedDuration,
    ) -> Vec<PlannedLeg<'a>> {
        by_priority(team)
            .into_iter()
            .take(MAX_DIAL_NUMBERS)
            .map(|member| PlannedLeg {
                member,
                tier: 1,
                starts_after: SignedDuration::ZERO,
            })
            .collect()
    }

    /// The lead's phone rings first, then the team's.
    fn ring_window(
        &self,
        _plan: &[PlannedLeg<'_>],
        ring_timeout: SignedDuration,
    ) -> SignedDuration {
        ring_timeout.saturating_mul(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClientId, PhoneNumber, TeamMemberId};

    fn member(n: u128, phone: &str) -> TeamMember {
        TeamMember {
            id: TeamMemberId::from_uuid(uuid::Uuid::from_u128(n)),
            client_id: ClientId::from_uuid(uuid::Uuid::from_u128(99)),
            name: format!("Agent {n}"),
            phone: PhoneNumber::parse(phone).unwrap_or_else(|e| panic!("{e}")),
            receives_hot_transfers: true,
            active: true,
            priority: 100,
            available: true,
        }
    }

    #[test]
    fn simultaneous_rings_each_phone_once_all_at_the_start() {
        let team = [
            member(1, "+17805550001"),
            member(2, "+17805550002"),
            member(3, "+17805550001"),
        ];
        let plan = Simultaneous.plan(&team, SignedDuration::from_secs(30));
        let rung: Vec<u128> = plan
            .iter()
            .map(|l| l.member.id.as_uuid().as_u128())
            .collect();
        assert_eq!(rung, [1, 2]);
        assert!(plan.iter().all(|l| l.starts_after == SignedDuration::ZERO));
        let window = Simultaneous.ring_window(&plan, SignedDuration::from_secs(30));
        assert_eq!(window, SignedDuration::from_secs(30));
        assert_eq!(Simultaneous.kind(), RingStrategyKind::Simultaneous);
    }

    fn with_priority(mut member: TeamMember, priority: u32) -> TeamMember {
        member.priority = priority;
        member
    }

    #[test]
    fn sequential_rings_by_priority_one_wave_per_phone() {
        let team = [
            with_priority(member(1, "+17805550001"), 200),
            with_priority(member(2, "+17805550002"), 50),
            with_priority(member(3, "+17805550003"), 200),
        ];
        let timeout = SignedDuration::from_secs(20);
        let plan = Sequential.plan(&team, timeout);
        let order: Vec<(u128, u32, i64)> = plan
            .iter()
            .map(|l| {
                (
                    l.member.id.as_uuid().as_u128(),
                    l.tier,
                    l.starts_after.as_secs(),
                )
            })
            .collect();
        assert_eq!(order, [(2, 1, 0), (1, 2, 20), (3, 3, 40)]);
        assert_eq!(Sequential.ring_window(&plan, timeout).as_secs(), 60);
        assert!(Sequential.waves_follow_endings());
    }

    #[test]
    fn tiered_groups_equal_priorities_each_tier_a_delay_later() {
        let team = [
            with_priority(member(1, "+17805550001"), 10),
            with_priority(member(2, "+17805550002"), 20),
            with_priority(member(3, "+17805550003"), 10),
            with_priority(member(4, "+17805550004"), 30),
        ];
        let tiered = Tiered {
            delay: SignedDuration::from_secs(15),
        };
        let timeout = SignedDuration::from_secs(30);
        let plan = tiered.plan(&team, timeout);
        let order: Vec<(u128, u32, i64)> = plan
            .iter()
            .map(|l| {
                (
                    l.member.id.as_uuid().as_u128(),
                    l.tier,
                    l.starts_after.as_secs(),
                )
            })
            .collect();
        assert_eq!(order, [(1, 1, 0), (3, 1, 0), (2, 2, 15), (4, 3, 30)]);
        assert_eq!(tiered.ring_window(&plan, timeout).as_secs(), 60);
    }

    #[test]
    fn lead_first_rings_at_most_ten_by_priority() {
        let team: Vec<TeamMember> = (1..=12)
            .map(|n| with_priority(member(n, &format!("+178055500{n:02}")), 1000 - n as u32))
            .collect();
        let plan = LeadFirst.plan(&team, SignedDuration::from_secs(30));
        assert_eq!(plan.len(), 10);
        assert_eq!(plan[0].member.id.as_uuid().as_u128(), 12);
        assert!(plan.iter().all(|l| l.tier == 1));
    }
}
