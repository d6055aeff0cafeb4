-- The center that issues receipts on behalf of the departments (delegated issuer,
-- Decree 254/2026 Art. 4.6). One row.
CREATE TABLE center (
  id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  name       text NOT NULL,
  tax_code   text NOT NULL,
  address    text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Collecting organizations (tổ chức thu phí).
CREATE TABLE departments (
  code       text PRIMARY KEY,
  name       text NOT NULL,
  tax_code   text NOT NULL,
  address    text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fees (
  code            text PRIMARY KEY,
  department_code text NOT NULL REFERENCES departments(code),
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('fee', 'charge')),
  amount          bigint NOT NULL CHECK (amount > 0),
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fees_department ON fees (department_code);

-- A series (ký hiệu biên lai) with the range delegated to the center.
-- next_number is the numbering counter: it is read FOR UPDATE in the issuing
-- transaction and advanced only when the receipt commits, so numbers are
-- gapless (a sequence would leave gaps on rollback).
CREATE TABLE series (
  id              bigserial PRIMARY KEY,
  template        text NOT NULL,
  symbol          text NOT NULL,
  year            int NOT NULL,
  department_code text NOT NULL REFERENCES departments(code),
  range_from      int NOT NULL CHECK (range_from >= 1),
  range_to        int NOT NULL CHECK (range_to <= 99999999),
  next_number     int NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (template, symbol),
  CHECK (range_from <= range_to),
  CHECK (next_number BETWEEN range_from AND range_to + 1)
);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'cashier', 'accountant', 'auditor')),
  counter_code text,
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);

CREATE TABLE receipts (
  seq             bigserial UNIQUE,
  id              uuid PRIMARY KEY,
  series_id       bigint NOT NULL REFERENCES series(id),
  template        text NOT NULL,
  series          text NOT NULL,
  number          int NOT NULL,
  department_code text NOT NULL REFERENCES departments(code),
  issued_at       timestamptz NOT NULL,
  payer           jsonb NOT NULL,
  payment_method  text NOT NULL,
  dossier_code    text,
  total           bigint NOT NULL CHECK (total > 0),
  total_in_words  text NOT NULL,
  lookup_code     text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'issued',
  counter_code    text,
  issued_by       uuid NOT NULL REFERENCES api_keys(id),
  xml             bytea NOT NULL,
  xml_sha256      text NOT NULL,
  UNIQUE (template, series, number)
);
CREATE INDEX receipts_department_issued ON receipts (department_code, issued_at);
CREATE INDEX receipts_issued ON receipts (issued_at);

CREATE TABLE receipt_items (
  receipt_id uuid NOT NULL REFERENCES receipts(id),
  line       int NOT NULL,
  fee_code   text,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('fee', 'charge')),
  quantity   int NOT NULL CHECK (quantity > 0),
  unit_price bigint NOT NULL CHECK (unit_price > 0),
  amount     bigint NOT NULL CHECK (amount > 0),
  PRIMARY KEY (receipt_id, line)
);

-- Stored responses of creating requests (API.md, Idempotency-Key). Written in
-- the same transaction as what the request created, so a replay after a crash
-- or a restart returns exactly what was committed.
CREATE TABLE idempotency_keys (
  scope           uuid NOT NULL,
  key             text NOT NULL,
  request_hash    text NOT NULL,
  response_status int NOT NULL,
  response_body   jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
