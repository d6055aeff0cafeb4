-- Mail to payers: a receipt (and later its error notices) sent to the address
-- the payer gave at issue, queued in the transaction that signs the document
-- and retried like messages to the tax authority. The address is kept here
-- only: it is not part of the signed receipt.
CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY,
  seq             bigserial NOT NULL UNIQUE,
  kind            text NOT NULL CHECK (kind IN ('receipt', 'error-notice')),
  receipt_id      uuid NOT NULL REFERENCES receipts(id),
  notice_id       uuid REFERENCES error_notices(id),
  address         text NOT NULL,
  created_at      timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  sent_at         timestamptz,
  last_error      text,
  CHECK ((kind = 'error-notice') = (notice_id IS NOT NULL))
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_outbox_receipt ON mail_outbox (receipt_id);
CREATE TRIGGER mail_outbox_columns BEFORE UPDATE ON mail_outbox FOR EACH ROW
  EXECUTE FUNCTION guard_columns('status', 'attempts', 'next_attempt_at', 'sent_at', 'last_error');
CREATE TRIGGER mail_outbox_no_delete BEFORE DELETE ON mail_outbox FOR EACH ROW EXECUTE FUNCTION forbid_removal();
