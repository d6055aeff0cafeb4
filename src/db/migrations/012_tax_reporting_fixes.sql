-- A mark of a day to report again is locked by the change that makes it, also
-- when the mark is already there: the job that clears the day's marks then
-- waits for that change to commit and reads it, instead of clearing a mark
-- the change still relies on.
CREATE OR REPLACE FUNCTION summary_due_on_receipt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO summary_due VALUES (((NEW.issued_at AT TIME ZONE 'UTC') + interval '7 hours')::date, NEW.department_code)
      ON CONFLICT (business_date, department_code) DO UPDATE SET business_date = EXCLUDED.business_date;
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION summary_due_on_notice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO summary_due
    SELECT ((r.issued_at AT TIME ZONE 'UTC') + interval '7 hours')::date, r.department_code FROM receipts r WHERE r.id = NEW.receipt_id
    ON CONFLICT (business_date, department_code) DO UPDATE SET business_date = EXCLUDED.business_date;
  RETURN NEW;
END $$;

-- A department's summaries are numbered once each (Số); summaries made
-- before the per-department form (sequence 0) are left out.
CREATE UNIQUE INDEX daily_summaries_sequence ON daily_summaries (department_code, sequence) WHERE sequence > 0;

-- A department's summary made before the per-department form was its first
-- submission: the receipts of its day count as reported in their state now,
-- so the job does not report them again as a supplement of everything.
INSERT INTO summary_rows (summary_id, receipt_id, state)
SELECT s.id, r.id, r.status || ':' || (SELECT count(*) FROM error_notices e WHERE e.receipt_id = r.id)
  FROM daily_summaries s
  JOIN receipts r ON r.department_code = s.department_code
   AND ((r.issued_at AT TIME ZONE 'UTC') + interval '7 hours')::date = s.business_date
 WHERE s.department_code <> '' AND s.supplement = 0
   AND NOT EXISTS (SELECT 1 FROM summary_rows x WHERE x.summary_id = s.id);

CREATE TRIGGER transmission_attempts_no_truncate BEFORE TRUNCATE ON transmission_attempts FOR EACH STATEMENT EXECUTE FUNCTION forbid_removal();
CREATE TRIGGER mail_outbox_no_truncate BEFORE TRUNCATE ON mail_outbox FOR EACH STATEMENT EXECUTE FUNCTION forbid_removal();
