-- Durable work (decision 0008): each row is one follow-up, written in the
-- same commit as the decision that causes it and run by any process.
CREATE TABLE jobs (
    id {uuid} PRIMARY KEY,
    kind VARCHAR(32) NOT NULL,
    -- The follow-up as JSON: its kind and the ids it acts on.
    payload TEXT NOT NULL,
    -- pending | done | failed
    state VARCHAR(16) NOT NULL DEFAULT 'pending',
    -- When it may run next; while leased, when the lease runs out.
    due_at {ts} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner {uuid},
    last_error TEXT,
    created_at {ts} NOT NULL,
    finished_at {ts}
);
CREATE INDEX idx_jobs_pending_due ON jobs(due_at) WHERE state = 'pending';
CREATE INDEX idx_jobs_finished ON jobs(finished_at) WHERE state <> 'pending';

-- Each text to a team member about an escalation, and where it stands.
CREATE TABLE escalation_texts (
    escalation_id {uuid} NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    team_member_id {uuid} NOT NULL REFERENCES team_members(id) ON DELETE CASCADE,
    -- escalation | claim
    purpose VARCHAR(16) NOT NULL,
    -- pending | sent | failed
    state VARCHAR(16) NOT NULL,
    tries INTEGER NOT NULL DEFAULT 1,
    last_error TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (escalation_id, team_member_id, purpose)
);
INSERT INTO escalation_texts (escalation_id, team_member_id, purpose, state, tries, last_error, created_at, updated_at)
    SELECT escalation_id, team_member_id, 'escalation', 'sent', 1, NULL, notified_at, notified_at
    FROM escalation_notifications;
DROP TABLE escalation_notifications;

-- How often a leg was placed again after its create was cut off.
ALTER TABLE call_attempts ADD COLUMN redials INTEGER NOT NULL DEFAULT 0;
-- An escalation closed without an owner (the lead opted out).
ALTER TABLE escalations ADD COLUMN closed_at {ts};
