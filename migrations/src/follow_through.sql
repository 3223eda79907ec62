-- Following a lead through (CONTRACT section 9): per client texts and delays.
ALTER TABLE clients ADD COLUMN lead_ack_reply TEXT;
ALTER TABLE clients ADD COLUMN lead_missed_text TEXT;
ALTER TABLE clients ADD COLUMN escalation_reminder_seconds INTEGER;
ALTER TABLE clients ADD COLUMN escalation_manager_phone VARCHAR(20);
ALTER TABLE clients ADD COLUMN escalation_manager_after_seconds INTEGER;
