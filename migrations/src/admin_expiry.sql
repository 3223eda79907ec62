-- Admin tokens may expire (CONTRACT section 11 / admin API): NULL never does.
ALTER TABLE admins ADD COLUMN expires_at {ts};
