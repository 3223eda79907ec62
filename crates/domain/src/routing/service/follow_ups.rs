//! Follow-ups: the work that runs after an event has been answered.

use super::{FollowUp, RoutingError, RoutingService};

impl RoutingService {
    /// Runs one follow-up. Each is safe to run again: calls are placed once
    /// per attempt, each member is texted once per escalation and claim.
    ///
    /// # Errors
    ///
    /// Store failures; telephony failures are recorded on the leg or skipped.
    pub async fn run(&self, follow_up: &FollowUp) -> Result<Vec<FollowUp>, RoutingError> {
        match follow_up {
            FollowUp::PlaceCalls(group) => self.place_calls(*group).await,
            FollowUp::NotifyEscalation(id) => {
                self.notify_escalation(*id).await.map(|()| Vec::new())
            }
            FollowUp::EndAllLegs(group) => {
                for attempt in self.ports.ring_groups.attempts(*group).await? {
                    self.end_leg(&attempt).await;
                }
                Ok(Vec::new())
            }
            FollowUp::CancelOtherLegs { group, winner } => {
                for attempt in self.ports.ring_groups.attempts(*group).await? {
                    if attempt.id != *winner {
                        self.end_leg(&attempt).await;
                    }
                }
                Ok(Vec::new())
            }
            FollowUp::AnnounceClaim(id) => self.announce_claim(*id).await.map(|()| Vec::new()),
        }
    }
}
