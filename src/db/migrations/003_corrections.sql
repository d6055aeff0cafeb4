-- Refunds of a receipt: requested by a cashier, decided by an accountant who
-- is not the requester. An approved refund has a signed voucher and posts
-- the reversal of the shares.
CREATE TABLE refunds (
  seq             bigserial UNIQUE,
  id              uuid PRIMARY KEY,
  receipt_id      uuid NOT NULL REFERENCES receipts(id),
  amount          bigint NOT NULL CHECK (amount > 0),
  reason          text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_by    uuid NOT NULL REFERENCES api_keys(id),
  requested_at    timestamptz NOT NULL,
  decided_by      uuid REFERENCES api_keys(id),
  decided_at      timestamptz,
  decision_reason text,
  voucher_xml     bytea,
  voucher_sha256  text,
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK ((status = 'approved') = (voucher_xml IS NOT NULL))
);
CREATE INDEX refunds_receipt ON refunds (receipt_id);
CREATE INDEX refunds_pending ON refunds (status) WHERE status = 'pending';

-- A replacement receipt names the receipt it replaces (Circular 91 Art. 20).
ALTER TABLE receipts ADD COLUMN replaces uuid UNIQUE REFERENCES receipts(id);
ALTER TABLE receipts ADD COLUMN replacement_reason text;
ALTER TABLE receipts ADD CONSTRAINT receipts_status CHECK (status IN ('issued', 'replaced'));

-- Error notices, form 04/SS-CTĐT: a wrong payer name or address, or a wrong
-- amount in words; the receipt and its money are untouched.
CREATE TABLE error_notices (
  seq           bigserial UNIQUE,
  id            uuid PRIMARY KEY,
  receipt_id    uuid NOT NULL REFERENCES receipts(id),
  field         text NOT NULL CHECK (field IN ('payerName', 'payerAddress', 'totalInWords')),
  wrong_value   text,
  correct_value text NOT NULL,
  reason        text NOT NULL,
  issued_by     uuid NOT NULL REFERENCES api_keys(id),
  issued_at     timestamptz NOT NULL,
  xml           bytea NOT NULL,
  xml_sha256    text NOT NULL
);
CREATE INDEX error_notices_receipt ON error_notices (receipt_id);

CREATE TRIGGER error_notices_append_only BEFORE UPDATE OR DELETE ON error_notices
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- What was signed is never changed: a receipt may only change status (issued →
-- replaced), and a refund may only be decided once.
CREATE FUNCTION receipts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'receipts are kept for good: DELETE refused';
  END IF;
  IF NEW.xml IS DISTINCT FROM OLD.xml OR NEW.number IS DISTINCT FROM OLD.number OR NEW.series IS DISTINCT FROM OLD.series
     OR NEW.total IS DISTINCT FROM OLD.total OR NEW.payer IS DISTINCT FROM OLD.payer OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
     OR NEW.replaces IS DISTINCT FROM OLD.replaces OR NOT (OLD.status = NEW.status OR (OLD.status = 'issued' AND NEW.status = 'replaced')) THEN
    RAISE EXCEPTION 'a signed receipt cannot be edited: UPDATE refused';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER receipts_guard BEFORE UPDATE OR DELETE ON receipts FOR EACH ROW EXECUTE FUNCTION receipts_guard();

CREATE FUNCTION refunds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'pending' OR NEW.amount <> OLD.amount OR NEW.receipt_id <> OLD.receipt_id THEN
    RAISE EXCEPTION 'refunds are decided once and kept: % refused', TG_OP;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refunds_guard BEFORE UPDATE OR DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_guard();
