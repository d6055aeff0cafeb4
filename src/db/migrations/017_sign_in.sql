-- Sign-in for people at the staff console. A login belongs to a staff member
-- and acts through its own API key row (kind 'console', whose secret is never
-- shown to anyone): the role, the counter and the correction scope are the
-- key's, and every action is checked, recorded and attributed exactly as a
-- key's call is. Revoking that key, or disabling the person, ends the login.
ALTER TABLE api_keys ADD COLUMN kind text NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'console'));

CREATE TABLE staff_logins (
  id               uuid PRIMARY KEY,
  staff_id         uuid NOT NULL REFERENCES staff(id),
  username         text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
  -- argon2id, in its PHC string form.
  password_hash    text NOT NULL,
  key_id           uuid NOT NULL UNIQUE REFERENCES api_keys(id),
  -- A password an admin set (a new login, a reset) must be changed at the first sign-in.
  must_change      boolean NOT NULL,
  created_at       timestamptz NOT NULL,
  password_set_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX staff_logins_username ON staff_logins (username);

-- A signed-in browser. The cookie carries a random token; only its SHA-256 is
-- stored. Each session has its own CSRF token, sent back in a header on every
-- request that changes something.
CREATE TABLE staff_sessions (
  id            uuid PRIMARY KEY,
  token_hash    text NOT NULL UNIQUE,
  login_id      uuid NOT NULL REFERENCES staff_logins(id),
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  ended_at      timestamptz
);
CREATE INDEX staff_sessions_login ON staff_sessions (login_id) WHERE ended_at IS NULL;

-- Wrong passwords per username (as typed, normalised) and source address,
-- whether or not the username exists: guessing slows down the same way for
-- every name, so the answers never tell a real username from a made-up one,
-- and a guesser elsewhere cannot lock a person out of their own counter.
CREATE TABLE sign_in_failures (
  username         text NOT NULL,
  source           text NOT NULL,
  failed_attempts  integer NOT NULL,
  locked_until     timestamptz,
  last_failed_at   timestamptz NOT NULL,
  PRIMARY KEY (username, source)
);
CREATE INDEX sign_in_failures_age ON sign_in_failures (last_failed_at);
