-- After a restore from a backup, the receipts issued after the backup are gone
-- from the database but were signed and handed out: their numbers must not be
-- used again. Each series is held until an operator confirms the number it
-- goes on from (receipts series resume), past the last one handed out.
CREATE TABLE series_holds (
  series_id bigint PRIMARY KEY REFERENCES series(id),
  reason    text NOT NULL,
  held_at   timestamptz NOT NULL DEFAULT now()
);
