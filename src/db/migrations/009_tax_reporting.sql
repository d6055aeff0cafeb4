-- Reporting to the tax authority (01/TH-BLĐT): one summary per collecting
-- organisation (department) per day, first submission (supplement 0) then
-- supplements 1, 2, … for later changes to rows already reported; each with
-- its running number (Số) per department. Rows made before this migration
-- (department '' = every department) stay as they were signed.
ALTER TABLE daily_summaries DISABLE TRIGGER daily_summaries_columns;
ALTER TABLE daily_summaries ADD COLUMN id uuid;
ALTER TABLE daily_summaries ADD COLUMN data_id text;
ALTER TABLE daily_summaries ADD COLUMN supplement int NOT NULL DEFAULT 0;
ALTER TABLE daily_summaries ADD COLUMN sequence int NOT NULL DEFAULT 0;
UPDATE daily_summaries SET id = gen_random_uuid(),
  data_id = 'TH-' || business_date::text || CASE department_code WHEN '' THEN '' ELSE '-' || department_code END;
ALTER TABLE daily_summaries ENABLE TRIGGER daily_summaries_columns;
ALTER TABLE daily_summaries ALTER COLUMN id SET NOT NULL;
ALTER TABLE daily_summaries ALTER COLUMN data_id SET NOT NULL;
ALTER TABLE daily_summaries DROP CONSTRAINT daily_summaries_pkey;
ALTER TABLE daily_summaries ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX daily_summaries_day ON daily_summaries (business_date, department_code, supplement);
CREATE UNIQUE INDEX daily_summaries_data_id ON daily_summaries (data_id);

-- What each summary reported of each receipt: its state then (status and
-- number of error notices). A later change shows as a different state, and
-- is reported once, in a supplement of the receipt's day.
CREATE TABLE summary_rows (
  summary_id uuid NOT NULL REFERENCES daily_summaries(id),
  receipt_id uuid NOT NULL REFERENCES receipts(id),
  state      text NOT NULL,
  PRIMARY KEY (summary_id, receipt_id)
);
CREATE INDEX summary_rows_receipt ON summary_rows (receipt_id);
CREATE TRIGGER summary_rows_columns BEFORE UPDATE ON summary_rows FOR EACH ROW EXECUTE FUNCTION guard_columns();
CREATE TRIGGER summary_rows_no_delete BEFORE DELETE ON summary_rows FOR EACH ROW EXECUTE FUNCTION forbid_removal();
CREATE TRIGGER summary_rows_no_truncate BEFORE TRUNCATE ON summary_rows FOR EACH STATEMENT EXECUTE FUNCTION forbid_removal();

-- Days whose reported rows have changed since (a receipt replaced, an error
-- notice filed), recorded by the change's own transaction; the summary job
-- makes their supplements and clears them.
CREATE TABLE summary_due (
  business_date   date NOT NULL,
  department_code text NOT NULL,
  PRIMARY KEY (business_date, department_code)
);
CREATE FUNCTION summary_due_on_receipt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO summary_due VALUES (((NEW.issued_at AT TIME ZONE 'UTC') + interval '7 hours')::date, NEW.department_code) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER receipts_summary_due AFTER UPDATE ON receipts FOR EACH ROW EXECUTE FUNCTION summary_due_on_receipt();
CREATE FUNCTION summary_due_on_notice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO summary_due
    SELECT ((r.issued_at AT TIME ZONE 'UTC') + interval '7 hours')::date, r.department_code FROM receipts r WHERE r.id = NEW.receipt_id
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
CREATE TRIGGER error_notices_summary_due AFTER INSERT ON error_notices FOR EACH ROW EXECUTE FUNCTION summary_due_on_notice();

-- The outbox: every document for the tax authority, in its message envelope
-- (TDiep), put here by the transaction that makes the document. The envelope
-- and its message code (MTDiep) are fixed then, so every attempt sends the
-- same bytes under the same id. Sent in seq order.
CREATE TABLE transmissions (
  id              uuid PRIMARY KEY,
  seq             bigserial NOT NULL UNIQUE,
  message_code    text NOT NULL UNIQUE,
  message_type    int NOT NULL,
  document_type   text NOT NULL,
  document_id     text NOT NULL,
  document_date   date,
  tax_code        text NOT NULL,
  envelope        bytea NOT NULL,
  created_at      timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'accepted', 'rejected')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  sent_at         timestamptz,
  reply_type      int,
  reply_code      text,
  reply_text      text,
  reply_xml       bytea,
  replied_at      timestamptz
);
CREATE INDEX transmissions_due ON transmissions (seq) WHERE status = 'pending';
CREATE TRIGGER transmissions_columns BEFORE UPDATE ON transmissions FOR EACH ROW
  EXECUTE FUNCTION guard_columns('status', 'attempts', 'next_attempt_at', 'sent_at', 'reply_type', 'reply_code', 'reply_text', 'reply_xml', 'replied_at');
CREATE TRIGGER transmissions_no_delete BEFORE DELETE ON transmissions FOR EACH ROW EXECUTE FUNCTION forbid_removal();
CREATE TRIGGER transmissions_no_truncate BEFORE TRUNCATE ON transmissions FOR EACH STATEMENT EXECUTE FUNCTION forbid_removal();

-- Every delivery attempt, kept.
CREATE TABLE transmission_attempts (
  transmission_id uuid NOT NULL REFERENCES transmissions(id),
  at              timestamptz NOT NULL,
  transport       text NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('delivered', 'failed')),
  detail          text NOT NULL
);
CREATE INDEX transmission_attempts_of ON transmission_attempts (transmission_id, at);
CREATE TRIGGER transmission_attempts_columns BEFORE UPDATE ON transmission_attempts FOR EACH ROW EXECUTE FUNCTION guard_columns();
CREATE TRIGGER transmission_attempts_no_delete BEFORE DELETE ON transmission_attempts FOR EACH ROW EXECUTE FUNCTION forbid_removal();
