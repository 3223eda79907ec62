-- Outbound webhooks (CONTRACT section 10).
CREATE TABLE webhook_endpoints (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- Event types, comma-separated; empty for every type.
    events TEXT NOT NULL,
    description TEXT,
    -- whsec_ and the base64 signing key (needed to sign each delivery).
    secret TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE INDEX idx_webhook_endpoints_client ON webhook_endpoints(client_id);

-- Each delivery attempt, for the endpoint's log.
CREATE TABLE webhook_attempts (
    id {uuid} PRIMARY KEY,
    endpoint_id {uuid} NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id VARCHAR(36) NOT NULL,
    event_type VARCHAR(32) NOT NULL,
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    at {ts} NOT NULL
);
CREATE INDEX idx_webhook_attempts_endpoint ON webhook_attempts(endpoint_id, at);

-- Each worker lane claims through its own index, so calls never scan past
-- a backlog of webhook deliveries (and the other way round).
CREATE INDEX idx_jobs_urgent_due ON jobs(due_at)
    WHERE state = 'pending' AND kind NOT IN ('publish', 'deliver_webhook');
CREATE INDEX idx_jobs_background_due ON jobs(due_at)
    WHERE state = 'pending' AND kind IN ('publish', 'deliver_webhook');
