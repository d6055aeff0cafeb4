-- Guards are allow-lists: a guarded row may change only in the columns and
-- transitions listed here; a column added later is frozen until listed. What
-- was signed or posted is never edited or removed in the database, not even
-- by the service. (An intruder with the owner's rights can disable triggers:
-- the period audit then finds the edit by comparing every row with what its
-- signed document says.)

-- The columns a table allows to change, as trigger arguments; any other difference is refused.
-- (With no arguments TG_ARGV is NULL, and jsonb - NULL is NULL: hence the COALESCE.)
CREATE FUNCTION guard_columns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE allowed text[] := COALESCE(TG_ARGV, '{}');
BEGIN
  IF (to_jsonb(NEW) - allowed) IS DISTINCT FROM (to_jsonb(OLD) - allowed) THEN
    RAISE EXCEPTION '%: only % may change; UPDATE refused', TG_TABLE_NAME,
      COALESCE(NULLIF(array_to_string(TG_ARGV, ', '), ''), 'nothing');
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION forbid_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are kept for good: % refused', TG_TABLE_NAME, TG_OP;
END $$;

-- Receipts: issued → replaced, nothing else. Department name and tax code are
-- kept as signed, so a later rename of the department changes no receipt.
ALTER TABLE receipts ADD COLUMN department_name text;
ALTER TABLE receipts ADD COLUMN department_tax_code text;
UPDATE receipts r SET department_name = d.name, department_tax_code = d.tax_code FROM departments d WHERE d.code = r.department_code;
ALTER TABLE receipts ALTER COLUMN department_name SET NOT NULL;
ALTER TABLE receipts ALTER COLUMN department_tax_code SET NOT NULL;

DROP TRIGGER receipts_guard ON receipts;
DROP FUNCTION receipts_guard();
CREATE FUNCTION receipts_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'replaced')) THEN
    RAISE EXCEPTION 'a receipt goes from issued to replaced only: % → % refused', OLD.status, NEW.status;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER receipts_columns BEFORE UPDATE ON receipts FOR EACH ROW EXECUTE FUNCTION guard_columns('status');
CREATE TRIGGER receipts_transition BEFORE UPDATE ON receipts FOR EACH ROW EXECUTE FUNCTION receipts_transition();

-- Items are part of the signed receipt.
CREATE TRIGGER receipt_items_columns BEFORE UPDATE ON receipt_items FOR EACH ROW EXECUTE FUNCTION guard_columns();

-- Refunds and correction requests: decided once, pending → approved or rejected, with the decision's own columns.
DROP TRIGGER refunds_guard ON refunds;
DROP FUNCTION refunds_guard();
CREATE FUNCTION decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.status = NEW.status OR (OLD.status = 'pending' AND NEW.status IN ('approved', 'rejected'))) THEN
    RAISE EXCEPTION '% are decided once: % → % refused', TG_TABLE_NAME, OLD.status, NEW.status;
  END IF;
  IF OLD.status <> 'pending' AND (to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD)) THEN
    RAISE EXCEPTION '% are decided once: a decided row cannot change', TG_TABLE_NAME;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refunds_columns BEFORE UPDATE ON refunds FOR EACH ROW
  EXECUTE FUNCTION guard_columns('status', 'decided_by', 'decided_at', 'decision_reason', 'voucher_xml', 'voucher_sha256');
CREATE TRIGGER refunds_decided_once BEFORE UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION decided_once();
CREATE TRIGGER correction_requests_columns BEFORE UPDATE ON correction_requests FOR EACH ROW
  EXECUTE FUNCTION guard_columns('status', 'decided_by', 'decided_at', 'decision_reason', 'result_receipt_id', 'result_notice_id');
CREATE TRIGGER correction_requests_decided_once BEFORE UPDATE ON correction_requests FOR EACH ROW EXECUTE FUNCTION decided_once();

-- The numbering counter only moves forward.
CREATE FUNCTION series_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.next_number < OLD.next_number THEN
    RAISE EXCEPTION 'a series counter only moves forward: % → % refused', OLD.next_number, NEW.next_number;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER series_columns BEFORE UPDATE ON series FOR EACH ROW EXECUTE FUNCTION guard_columns('next_number');
CREATE TRIGGER series_forward BEFORE UPDATE ON series FOR EACH ROW EXECUTE FUNCTION series_forward();

-- Keys are revoked once; people are disabled. Who holds a key never changes.
CREATE FUNCTION revoked_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'a key is revoked once: UPDATE refused';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER api_keys_columns BEFORE UPDATE ON api_keys FOR EACH ROW EXECUTE FUNCTION guard_columns('revoked_at');
CREATE TRIGGER api_keys_revoked_once BEFORE UPDATE ON api_keys FOR EACH ROW EXECUTE FUNCTION revoked_once();
CREATE TRIGGER staff_columns BEFORE UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION guard_columns('disabled_at');

-- The daily aggregates change only by postings: their keys never.
CREATE TRIGGER ledger_daily_columns BEFORE UPDATE ON ledger_daily FOR EACH ROW
  EXECUTE FUNCTION guard_columns('receipts', 'collected', 'refunded', 'center_share', 'department_share');
CREATE TRIGGER receipts_daily_columns BEFORE UPDATE ON receipts_daily FOR EACH ROW EXECUTE FUNCTION guard_columns('receipts');

-- Nothing of it is ever removed. (The ledger's earlier truncate guard is replaced by this one.)
DROP TRIGGER ledger_entries_no_truncate ON ledger_entries;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['receipts', 'receipt_items', 'refunds', 'correction_requests', 'error_notices', 'ledger_entries',
                           'ledger_daily', 'receipts_daily', 'share_rates', 'periods', 'series', 'api_keys', 'staff'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION forbid_removal()', t || '_no_delete', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION forbid_removal()', t || '_no_truncate', t);
  END LOOP;
END $$;
