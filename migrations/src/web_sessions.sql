-- Sign-in sessions of the web pages. The cookie holds a random token; only
-- its SHA-256 is stored. admin_id is NULL for the super-admin, whose
-- session also records the hash of the token it signed in with, so
-- changing HOTLINE_ADMIN_TOKEN ends those sessions.
CREATE TABLE web_sessions (
    token_hash VARCHAR(64) PRIMARY KEY,
    admin_id {uuid} REFERENCES admins(id) ON DELETE CASCADE,
    super_token_hash VARCHAR(64),
    csrf_token VARCHAR(80) NOT NULL,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL
);
CREATE INDEX idx_web_sessions_expires ON web_sessions(expires_at);
