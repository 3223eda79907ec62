-- Ring strategies (CONTRACT section 7): per client, per member, per leg.
ALTER TABLE clients ADD COLUMN ring_strategy VARCHAR(16) NOT NULL DEFAULT 'simultaneous';
ALTER TABLE clients ADD COLUMN tier_delay_seconds INTEGER NOT NULL DEFAULT 15;
ALTER TABLE team_members ADD COLUMN priority INTEGER NOT NULL DEFAULT 100;
ALTER TABLE team_members ADD COLUMN available {bool} NOT NULL DEFAULT TRUE;
-- Which wave of its group rings the leg, from 1.
ALTER TABLE call_attempts ADD COLUMN tier INTEGER NOT NULL DEFAULT 1;
-- The strategy a group rings with (a client may change it mid-ring), and
-- for lead_first the call to the lead.
ALTER TABLE ring_groups ADD COLUMN strategy VARCHAR(16) NOT NULL DEFAULT 'simultaneous';
ALTER TABLE ring_groups ADD COLUMN lead_call_sid VARCHAR(64);
