//! The ring plan: what a hot lead would ring now, for admins checking
//! their settings (CONTRACT section 7).

use jiff::SignedDuration;
use serde::Serialize;

use super::super::model::RingStrategyKind;
use super::super::strategy::MAX_DIAL_NUMBERS;
use super::{RoutingError, RoutingService};
use crate::ClientId;
use crate::admin::Principal;

/// One phone of a ring plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedPhone {
    /// The member.
    pub team_member_id: String,
    /// Their name.
    pub name: String,
    /// The phone rung.
    pub phone: String,
    /// The wave that rings it, from 1.
    pub tier: u32,
    /// The latest delay after the SMS at which it starts ringing if nobody
    /// accepts earlier, call pacing included.
    pub starts_after_seconds: f64,
}

/// What a hot lead would ring now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RingPlan {
    /// The client's strategy.
    pub strategy: &'static str,
    /// The phones, in dialling order.
    pub legs: Vec<PlannedPhone>,
    /// Each problem, in words.
    pub warnings: Vec<String>,
}

impl RoutingService {
    /// The ring plan of a client the principal may see.
    ///
    /// # Errors
    ///
    /// `Forbidden`, `NotFound`, store failures.
    pub async fn ring_plan_as(
        &self,
        principal: &Principal,
        client_id: ClientId,
    ) -> Result<RingPlan, RoutingError> {
        if !principal.may_see(client_id) {
            return Err(RoutingError::Forbidden);
        }
        let client = self.client(client_id).await?;
        let team = self.hot_transfer_team(&client).await?;
        let strategy = self.strategy(&client);
        let kind = strategy.kind();
        let plan = strategy.plan(&team, self.ring_timeout_duration());
        // Each REST call waits for the account's pacing; `<Dial>` legs
        // (lead_first) do not.
        let pacing = self.config.calls_per_second;
        let gap = if pacing > 0.0 && kind != RingStrategyKind::LeadFirst {
            SignedDuration::from_secs_f64(1.0 / pacing)
        } else {
            SignedDuration::ZERO
        };
        let mut next_slot = SignedDuration::ZERO;
        let mut legs = Vec::with_capacity(plan.len());
        for leg in &plan {
            let start = leg.starts_after.max(next_slot);
            next_slot = start.saturating_add(gap);
            legs.push(PlannedPhone {
                team_member_id: leg.member.id.to_string(),
                name: leg.member.name.clone(),
                phone: leg.member.phone.to_string(),
                tier: leg.tier,
                starts_after_seconds: start.as_secs_f64(),
            });
        }
        let mut warnings = Vec::new();
        if legs.is_empty() {
            warnings.push(
                "No team member to ring: hot leads are texted to the team instead.".to_owned(),
            );
        }
        let largest_wave = (1..=plan.iter().map(|l| l.tier).max().unwrap_or(0))
            .map(|tier| plan.iter().filter(|l| l.tier == tier).count())
            .max()
            .unwrap_or(0);
        if gap > SignedDuration::ZERO && largest_wave as f64 > pacing {
            let last = legs
                .iter()
                .map(|l| l.starts_after_seconds)
                .fold(0.0, f64::max);
            warnings.push(format!(
                "{largest_wave} phones ring at once but Twilio creates {pacing} call(s) per second: \
                 the last starts {last:.0} s after the first. lead_first rings them all at once."
            ));
        }
        if kind == RingStrategyKind::LeadFirst && team.len() > MAX_DIAL_NUMBERS {
            warnings.push(format!(
                "lead_first rings at most {MAX_DIAL_NUMBERS} phones: {} of {} members are not rung.",
                team.len() - MAX_DIAL_NUMBERS,
                team.len()
            ));
        }
        Ok(RingPlan {
            strategy: kind.as_str(),
            legs,
            warnings,
        })
    }
}
