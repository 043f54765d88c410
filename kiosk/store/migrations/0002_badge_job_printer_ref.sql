-- Schema 2: remember which printer job a badge became, so a restart follows
-- that job instead of printing the badge a second time.
ALTER TABLE badge_jobs ADD COLUMN printer_job TEXT NOT NULL DEFAULT '';
