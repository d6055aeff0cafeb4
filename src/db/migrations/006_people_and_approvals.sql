-- The people behind keys. Separation of duties compares staff members, not
-- key names: two keys of one person are one person.
CREATE TABLE staff (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

ALTER TABLE api_keys ADD COLUMN staff_id uuid REFERENCES staff(id);
-- Which receipts a cashier key may ask to correct or refund: its counter's, or the center's.
ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'counter' CHECK (scope IN ('counter', 'center'));

-- Keys made before staff existed: one person per name as separation of duties
-- compared them (NFC, trimmed, spaces collapsed, case ignored). Keys that did
-- not count as one person before do not now; keys that did, do.
INSERT INTO staff (id, name, created_at)
SELECT gen_random_uuid(), min(name), min(created_at)
  FROM api_keys GROUP BY lower(regexp_replace(btrim(normalize(name, NFC)), '\s+', ' ', 'g'));
UPDATE api_keys k SET staff_id = s.id FROM staff s
 WHERE lower(regexp_replace(btrim(normalize(k.name, NFC)), '\s+', ' ', 'g')) = lower(regexp_replace(btrim(normalize(s.name, NFC)), '\s+', ' ', 'g'));
ALTER TABLE api_keys ALTER COLUMN staff_id SET NOT NULL;
CREATE INDEX api_keys_staff ON api_keys (staff_id);

ALTER TABLE audit_events ADD COLUMN actor_staff uuid;

-- Replacements and error notices, requested by a cashier and taking effect
-- (signed, numbered, posted) only when another person, an accountant,
-- approves them. A rejection changes nothing but the request.
CREATE TABLE correction_requests (
  seq               bigserial UNIQUE,
  id                uuid PRIMARY KEY,
  receipt_id        uuid NOT NULL REFERENCES receipts(id),
  kind              text NOT NULL CHECK (kind IN ('replacement', 'error_notice')),
  -- replacement: the corrected receipt in full; error notice: the field and its correct value.
  payload           jsonb NOT NULL,
  reason            text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_by      uuid NOT NULL REFERENCES api_keys(id),
  requested_at      timestamptz NOT NULL,
  decided_by        uuid REFERENCES api_keys(id),
  decided_at        timestamptz,
  decision_reason   text,
  result_receipt_id uuid UNIQUE REFERENCES receipts(id),
  result_notice_id  uuid UNIQUE REFERENCES error_notices(id),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK ((status = 'approved') = (result_receipt_id IS NOT NULL OR result_notice_id IS NOT NULL)),
  CHECK (result_receipt_id IS NULL OR kind = 'replacement'),
  CHECK (result_notice_id IS NULL OR kind = 'error_notice')
);
CREATE INDEX correction_requests_receipt ON correction_requests (receipt_id);
CREATE INDEX correction_requests_pending ON correction_requests (status) WHERE status = 'pending';
-- At most one pending replacement of a receipt, whatever the races.
CREATE UNIQUE INDEX correction_requests_one_replacement ON correction_requests (receipt_id) WHERE status = 'pending' AND kind = 'replacement';
