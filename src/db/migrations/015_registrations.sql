-- Registrations 01/ĐKTĐ-CTĐT (Circular 91 Art. 17): the center's declaration
-- of the receipts it issues, its certificate and, in section 5, each
-- department's delegation of a series to it (Decree 254 Art. 25). Each is
-- signed, stored byte for byte, never changed, and sent through the outbox;
-- the tax authority's answer is its message's reply.
CREATE TABLE registrations (
  id          uuid PRIMARY KEY,
  data_id     text NOT NULL UNIQUE,
  -- HThuc: 1 the first registration, 2 a change
  kind        smallint NOT NULL CHECK (kind IN (1, 2)),
  created_at  timestamptz NOT NULL,
  created_by  uuid REFERENCES api_keys(id),
  delegations int NOT NULL,
  -- The signing certificate it declared in use: issuer, serial, validity
  certificate jsonb NOT NULL,
  xml         bytea NOT NULL,
  xml_sha256  text NOT NULL
);
CREATE TRIGGER registrations_columns BEFORE UPDATE ON registrations FOR EACH ROW EXECUTE FUNCTION guard_columns();
CREATE TRIGGER registrations_no_delete BEFORE DELETE ON registrations FOR EACH ROW EXECUTE FUNCTION forbid_removal();
CREATE TRIGGER registrations_no_truncate BEFORE TRUNCATE ON registrations FOR EACH STATEMENT EXECUTE FUNCTION forbid_removal();

-- A supplement that sends again the rows of a summary the tax authority
-- refused names it; once per refused summary.
ALTER TABLE daily_summaries ADD COLUMN resends uuid REFERENCES daily_summaries(id);
CREATE UNIQUE INDEX daily_summaries_resends ON daily_summaries (resends) WHERE resends IS NOT NULL;
