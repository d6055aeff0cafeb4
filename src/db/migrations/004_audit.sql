-- The audit trail: every change appends an event whose hash covers the
-- previous event's hash, so removing or editing any event breaks the chain
-- from that point on. seq has no gaps: it is assigned under the chain lock.
CREATE TABLE audit_events (
  seq          bigint PRIMARY KEY CHECK (seq >= 1),
  at           timestamptz NOT NULL,
  actor_key    uuid,
  actor        text NOT NULL,
  action       text NOT NULL,
  subject_type text NOT NULL,
  subject_id   text NOT NULL,
  details      jsonb NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL UNIQUE
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id);

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
