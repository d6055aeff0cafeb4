-- Delegation of a series to the center (Decree 254 Art. 25): the day both
-- tax offices were notified (issuing may start 3 days later), the term, and
-- an early termination, which stops issuing and is set once.
ALTER TABLE series ADD COLUMN notified_on date;
ALTER TABLE series ADD COLUMN valid_from date;
ALTER TABLE series ADD COLUMN valid_to date;
ALTER TABLE series ADD COLUMN terminated_on date;
ALTER TABLE series ADD CONSTRAINT series_term CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to);
DROP TRIGGER series_columns ON series;
CREATE TRIGGER series_columns BEFORE UPDATE ON series FOR EACH ROW EXECUTE FUNCTION guard_columns('next_number', 'terminated_on');
CREATE FUNCTION series_terminated_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.terminated_on IS NOT NULL AND NEW.terminated_on IS DISTINCT FROM OLD.terminated_on THEN
    RAISE EXCEPTION 'a delegation is terminated once: % → % refused', OLD.terminated_on, NEW.terminated_on;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER series_terminated_once BEFORE UPDATE ON series FOR EACH ROW EXECUTE FUNCTION series_terminated_once();
