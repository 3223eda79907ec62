-- Indexes of the owner's pages, measured with 1,000,000 messages and
-- 100,000 leads for one client (docs/performance.md): a lead's decisions,
-- and the statistics' hot decisions, bookings, hot messages and each ring
-- group's first call.
CREATE INDEX idx_routing_decisions_lead ON routing_decisions(lead_id, decided_at);
CREATE INDEX idx_routing_decisions_client_hot ON routing_decisions(client_id, decided_at) WHERE hot;
CREATE INDEX idx_leads_client_booked ON leads(client_id, booked_at) WHERE booked_at IS NOT NULL;
CREATE INDEX idx_messages_lead_hot ON messages(lead_id, received_at) WHERE hot;
CREATE INDEX idx_call_attempts_group_created ON call_attempts(ring_group_id, created_at);
