-- Admins' verdicts on scored messages (hot or not), one per message; the
-- latest replaces the earlier. Deleted with their message (retention).
-- labelled_by is the admin's id, NULL for the super-admin.
CREATE TABLE intent_labels (
    message_id {uuid} PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    client_id {uuid} NOT NULL,
    lead_id {uuid} NOT NULL,
    hot {bool} NOT NULL,
    labelled_by {uuid},
    labelled_at {ts} NOT NULL
);
CREATE INDEX idx_intent_labels_client ON intent_labels(client_id, labelled_at);
