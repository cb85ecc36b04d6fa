-- Unused pings are deleted some days after they expire (PingRetention): the purge finds them by
-- this partial index instead of reading the whole table. Built in Flyway's transaction: a
-- concurrent build would wait for Flyway's own lock-holding transaction and never end. The build
-- holds off ping writes while it reads lead_ping once (brief at today's sizes).
create index if not exists lead_ping_unused_expiry on lead_ping (expires_at) where lead_id is null;
