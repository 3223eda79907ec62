-- Hotline's schema, written once for PostgreSQL and SQLite.
-- {uuid}, {ts}, {bool}, {float} are replaced per backend (uuid/blob,
-- timestamptz/text, boolean/integer, double precision/real).
-- Instants are real timestamps (timestamptz on PostgreSQL).

CREATE TABLE clients (
    id {uuid} PRIMARY KEY,
    name TEXT NOT NULL,
    twilio_number VARCHAR(20) NOT NULL UNIQUE,
    timezone VARCHAR(64) NOT NULL DEFAULT 'America/Edmonton',
    out_of_hours_reply TEXT,
    record_calls {bool} NOT NULL DEFAULT FALSE,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);

CREATE TABLE team_members (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    phone VARCHAR(20) NOT NULL,
    receives_hot_transfers {bool} NOT NULL DEFAULT TRUE,
    active {bool} NOT NULL DEFAULT TRUE,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (client_id, phone)
);

CREATE TABLE leads (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    phone VARCHAR(20) NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'new',
    opted_out {bool} NOT NULL DEFAULT FALSE,
    booked_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (client_id, phone)
);
CREATE INDEX idx_leads_client_created ON leads(client_id, created_at);

CREATE TABLE messages (
    id {uuid} PRIMARY KEY,
    message_sid VARCHAR(64) NOT NULL UNIQUE,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    lead_id {uuid} NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    intent_score {float} NOT NULL,
    hot {bool} NOT NULL,
    signals TEXT NOT NULL,
    received_at {ts} NOT NULL
);
CREATE INDEX idx_messages_lead_received ON messages(lead_id, received_at);
CREATE INDEX idx_messages_received ON messages(received_at);

CREATE TABLE routing_decisions (
    message_sid VARCHAR(64) PRIMARY KEY REFERENCES messages(message_sid) ON DELETE CASCADE,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    lead_id {uuid} NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    outcome VARCHAR(32) NOT NULL,
    intent_score {float} NOT NULL,
    hot {bool} NOT NULL,
    signals TEXT NOT NULL,
    was_open {bool} NOT NULL,
    next_open {ts},
    reply TEXT,
    decided_at {ts} NOT NULL
);
CREATE INDEX idx_routing_decisions_client_decided ON routing_decisions(client_id, decided_at);

CREATE TABLE business_hours (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    day_of_week INTEGER NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
    -- HH:MM wall-clock text: "24:00" is a valid end, which TIME types reject.
    start_time VARCHAR(5) NOT NULL,
    end_time VARCHAR(5) NOT NULL,
    is_active {bool} NOT NULL DEFAULT TRUE,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX idx_business_hours_client_day ON business_hours(client_id, day_of_week);

CREATE TABLE business_closures (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    closed_on DATE NOT NULL,
    reason TEXT
);
CREATE INDEX idx_business_closures_client ON business_closures(client_id, closed_on);

CREATE TABLE ring_groups (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    lead_id {uuid} NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL,
    winner_attempt_id {uuid},
    started_at {ts} NOT NULL,
    deadline {ts} NOT NULL,
    ended_at {ts}
);
CREATE INDEX idx_ring_groups_status_deadline ON ring_groups(status, deadline);
CREATE INDEX idx_ring_groups_client_started ON ring_groups(client_id, started_at);
CREATE INDEX idx_ring_groups_lead ON ring_groups(lead_id);

-- At most one ringing group per lead, enforced by this primary key.
CREATE TABLE active_ring_groups (
    lead_id {uuid} PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
    ring_group_id {uuid} NOT NULL REFERENCES ring_groups(id) ON DELETE CASCADE
);

CREATE TABLE call_attempts (
    id {uuid} PRIMARY KEY,
    ring_group_id {uuid} NOT NULL REFERENCES ring_groups(id) ON DELETE CASCADE,
    lead_id {uuid} NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    team_member_id {uuid} REFERENCES team_members(id) ON DELETE SET NULL,
    phone VARCHAR(20) NOT NULL,
    call_sid VARCHAR(64) UNIQUE,
    leg_status VARCHAR(16) NOT NULL,
    leg_rank INTEGER NOT NULL,
    last_sequence INTEGER,
    answered_by VARCHAR(32),
    duration INTEGER,
    answered {bool} NOT NULL DEFAULT FALSE,
    transferred_to_agent {bool} NOT NULL DEFAULT FALSE,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX idx_call_attempts_lead_id ON call_attempts(lead_id);
CREATE INDEX idx_call_attempts_client_id ON call_attempts(client_id, created_at);
CREATE INDEX idx_call_attempts_ring_group ON call_attempts(ring_group_id);

CREATE TABLE escalations (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    lead_id {uuid} NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    reason VARCHAR(16) NOT NULL,
    claimed_by {uuid} REFERENCES team_members(id) ON DELETE SET NULL,
    created_at {ts} NOT NULL,
    claimed_at {ts}
);
CREATE INDEX idx_escalations_client_created ON escalations(client_id, created_at);
CREATE INDEX idx_escalations_lead ON escalations(lead_id);

-- At most one unclaimed escalation per lead, enforced by this primary key.
CREATE TABLE open_escalations (
    lead_id {uuid} PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
    escalation_id {uuid} NOT NULL REFERENCES escalations(id) ON DELETE CASCADE
);

CREATE TABLE escalation_notifications (
    escalation_id {uuid} NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    team_member_id {uuid} NOT NULL REFERENCES team_members(id) ON DELETE CASCADE,
    notified_at {ts} NOT NULL,
    PRIMARY KEY (escalation_id, team_member_id)
);

CREATE TABLE webhook_deliveries (
    delivery_key VARCHAR(128) PRIMARY KEY,
    received_at {ts} NOT NULL
);
CREATE INDEX idx_webhook_deliveries_received ON webhook_deliveries(received_at);

CREATE TABLE admins (
    id {uuid} PRIMARY KEY,
    email VARCHAR(254) NOT NULL UNIQUE,
    -- SHA-256 of the token, hex; the token itself is never stored.
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_at {ts} NOT NULL
);

CREATE TABLE admin_clients (
    admin_id {uuid} NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    PRIMARY KEY (admin_id, client_id)
);
CREATE INDEX idx_admin_clients_client ON admin_clients(client_id);
