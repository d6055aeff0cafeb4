-- An error notice may correct any content but the tax code and the amount
-- (Circular 91 Art. 20.1): the payer's identity number, the dossier code and
-- the payment method besides the payer's name and address and the amount in words.
ALTER TABLE error_notices DROP CONSTRAINT error_notices_field_check;
ALTER TABLE error_notices ADD CONSTRAINT error_notices_field_check
  CHECK (field IN ('payerName', 'payerAddress', 'payerIdNumber', 'dossierCode', 'paymentMethod', 'totalInWords'));
