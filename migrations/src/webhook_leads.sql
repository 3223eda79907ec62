-- Each delivery attempt names the lead its event is about, so a lead's
-- page lists the deliveries about it (NULL for attempts logged before).
ALTER TABLE webhook_attempts ADD COLUMN lead_id {uuid};
CREATE INDEX idx_webhook_attempts_lead ON webhook_attempts(lead_id, at);
