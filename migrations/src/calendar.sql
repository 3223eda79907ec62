-- Holidays that recur every year and special hours for one date
-- (CONTRACT section 8), per client, in the order given.
CREATE TABLE business_holidays (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT,
    -- date | nth_weekday | weekday_on_or_before | easter
    rule VARCHAR(32) NOT NULL,
    month INTEGER,
    day INTEGER,
    weekday INTEGER,
    nth INTEGER,
    -- none | nearest_weekday | next_monday (rule date)
    observed VARCHAR(20),
    offset_days INTEGER
);
CREATE INDEX idx_business_holidays_client ON business_holidays(client_id, position);

CREATE TABLE business_special_hours (
    id {uuid} PRIMARY KEY,
    client_id {uuid} NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    special_date DATE NOT NULL,
    -- "HH:MM-HH:MM" intervals joined by commas; empty: closed all day.
    hours TEXT NOT NULL,
    reason TEXT,
    UNIQUE (client_id, special_date)
);
