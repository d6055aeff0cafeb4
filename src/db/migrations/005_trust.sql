-- A key for a metrics scraper: it may read /metrics and nothing else.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'cashier', 'accountant', 'auditor', 'monitor'));

-- A refund's view sums its ledger entries: without this, every refund shown scans the ledger.
CREATE INDEX ledger_entries_refund ON ledger_entries (refund_id) WHERE refund_id IS NOT NULL;
