-- The signed daily summaries (01/TH-BLĐT), stored byte for byte once made:
-- made only for a day that has ended, so the receipts they list are all of
-- that day's receipts, for good. '' as department: every department.
CREATE TABLE daily_summaries (
  business_date   date NOT NULL,
  department_code text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL,
  created_by      uuid REFERENCES api_keys(id),
  receipts        int NOT NULL,
  xml             bytea NOT NULL,
  xml_sha256      text NOT NULL,
  PRIMARY KEY (business_date, department_code)
);
CREATE TRIGGER daily_summaries_columns BEFORE UPDATE ON daily_summaries FOR EACH ROW EXECUTE FUNCTION guard_columns();
CREATE TRIGGER daily_summaries_no_delete BEFORE DELETE ON daily_summaries FOR EACH ROW EXECUTE FUNCTION forbid_removal();
CREATE TRIGGER daily_summaries_no_truncate BEFORE TRUNCATE ON daily_summaries FOR EACH STATEMENT EXECUTE FUNCTION forbid_removal();
