-- The center's share of each department's fees, in basis points, effective
-- from a Vietnamese calendar date. Rows are never updated: a new rate is a new
-- row from a later date (a rate never changes after receipts used it).
CREATE TABLE share_rates (
  id              bigserial PRIMARY KEY,
  department_code text NOT NULL REFERENCES departments(code),
  kind            text NOT NULL CHECK (kind IN ('fee', 'charge')),
  rate_bp         int NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  effective_from  date NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (department_code, kind, effective_from)
);

-- Every money movement, append-only. A receipt posts one entry per kind it
-- contains; later corrections (refunds, replacements) post new entries.
-- business_date is the Vietnamese calendar day of posting: an entry always
-- belongs to the period open when it was posted.
CREATE TABLE ledger_entries (
  id               bigserial PRIMARY KEY,
  posted_at        timestamptz NOT NULL,
  business_date    date NOT NULL,
  department_code  text NOT NULL REFERENCES departments(code),
  kind             text NOT NULL CHECK (kind IN ('fee', 'charge')),
  entry_type       text NOT NULL CHECK (entry_type IN ('receipt', 'refund', 'replacement_reversal')),
  receipt_id       uuid NOT NULL REFERENCES receipts(id),
  refund_id        uuid,
  collected        bigint NOT NULL,
  refunded         bigint NOT NULL,
  center_share     bigint NOT NULL,
  department_share bigint NOT NULL,
  rate_bp          int NOT NULL,
  -- The period of the receipt an entry corrects, when it posts in a later one.
  original_period  text,
  CHECK (center_share + department_share = collected - refunded)
);
CREATE INDEX ledger_entries_date ON ledger_entries (business_date, department_code, kind);
CREATE INDEX ledger_entries_receipt ON ledger_entries (receipt_id);

-- Pre-aggregated per day, department and kind, maintained in the posting
-- transaction, so a month's report reads at most 31 × departments × 2 rows
-- whatever the number of receipts.
CREATE TABLE ledger_daily (
  business_date    date NOT NULL,
  department_code  text NOT NULL,
  kind             text NOT NULL,
  receipts         int NOT NULL,
  collected        bigint NOT NULL,
  refunded         bigint NOT NULL,
  center_share     bigint NOT NULL,
  department_share bigint NOT NULL,
  PRIMARY KEY (business_date, department_code, kind)
);

-- Receipts per day and department (a receipt with a fee and a charge counts
-- once here, and once in each kind's row of ledger_daily).
CREATE TABLE receipts_daily (
  business_date   date NOT NULL,
  department_code text NOT NULL,
  receipts        int NOT NULL,
  PRIMARY KEY (business_date, department_code)
);

-- A closed month: its report exactly as returned, and that report's hash.
CREATE TABLE periods (
  month         text PRIMARY KEY CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  closed_at     timestamptz NOT NULL,
  closed_by     uuid NOT NULL REFERENCES api_keys(id),
  report        text NOT NULL,
  report_sha256 text NOT NULL
);

CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER periods_append_only BEFORE UPDATE OR DELETE ON periods
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER share_rates_append_only BEFORE UPDATE OR DELETE ON share_rates
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Receipts issued so far get the rates they would have had: 15% of both kinds.
INSERT INTO share_rates (department_code, kind, rate_bp, effective_from)
SELECT d.code, k.kind, 1500, DATE '2000-01-01'
  FROM departments d CROSS JOIN (VALUES ('fee'), ('charge')) AS k(kind);

INSERT INTO ledger_entries (posted_at, business_date, department_code, kind, entry_type, receipt_id, refund_id,
                            collected, refunded, center_share, department_share, rate_bp)
SELECT r.issued_at, (r.issued_at AT TIME ZONE 'UTC' + interval '7 hours')::date, r.department_code, i.kind, 'receipt', r.id,
       NULL, sum(i.amount), 0, floor(sum(i.amount) * 1500 / 10000), sum(i.amount) - floor(sum(i.amount) * 1500 / 10000), 1500
  FROM receipts r JOIN receipt_items i ON i.receipt_id = r.id
 GROUP BY r.id, r.issued_at, r.department_code, i.kind;

INSERT INTO ledger_daily
SELECT business_date, department_code, kind, count(*), sum(collected), sum(refunded), sum(center_share), sum(department_share)
  FROM ledger_entries GROUP BY 1, 2, 3;

INSERT INTO receipts_daily
SELECT (issued_at AT TIME ZONE 'UTC' + interval '7 hours')::date, department_code, count(*)
  FROM receipts GROUP BY 1, 2;
