-- facts: punches and alerts are never deleted, truncated or rewritten, not
-- even under session_replication_role = replica; an alert's status and
-- case change, and each change is recorded in the employee's chain.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
INSERT INTO hrguard.employee (employee_id) VALUES ('FX1');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX1', '2026-11-22 03:00+08', 31.2, 121.4);
SELECT count(*) AS punches, (SELECT count(*) FROM hrguard.alert WHERE employee_id = 'FX1') AS alerts
  FROM hrguard.punch WHERE employee_id = 'FX1';

DELETE FROM hrguard.punch WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.punch SET lat = 0 WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.punch;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.alert WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.alert;
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.alert SET reasons = '{}' WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.alert SET severity = 'priority', status = 'dismissed' WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
SET session_replication_role = replica;
DELETE FROM hrguard.punch WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.punch SET lat = 0 WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.alert WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.punch;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.alert (employee_id, kind, severity) VALUES ('FX1', 'off_hours', 'watch');
\echo :LAST_ERROR_SQLSTATE
RESET session_replication_role;

-- alerts are raised by punches only, each with its entry: not by INSERT
-- or COPY, superusers included; pg_restore writes them back
INSERT INTO hrguard.alert (employee_id, kind, severity) VALUES ('FX1', 'competitor_pattern', 'priority');
\echo :LAST_ERROR_SQLSTATE
COPY hrguard.alert (employee_id, kind, severity) FROM stdin;
FX1	off_hours	watch
\.
\echo :LAST_ERROR_SQLSTATE
BEGIN;
SET LOCAL hrguard.restore_mode = on;
INSERT INTO hrguard.alert (employee_id, kind, severity) VALUES ('FX1', 'off_hours', 'watch');
SELECT count(*) AS restored_alerts FROM hrguard.alert WHERE employee_id = 'FX1' AND punch_id IS NULL;
-- a restore that went wrong (a punch whose employee never came) shows
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, raw_lat, raw_lon, raw_crs, verdict, evidence_seq)
VALUES ('FX-GONE', '2026-11-22 03:00+08', 31.2, 121.4, 31.2, 121.4, 'wgs84', 'inside', 1);
SELECT fact, employee_id, problem FROM hrguard.verify_facts() WHERE employee_id = 'FX-GONE' ORDER BY problem;
ROLLBACK;
-- restore_mode is in effect for superusers only, however it was set
CREATE ROLE regress_fx_writer;
BEGIN;
GRANT USAGE ON SCHEMA hrguard TO regress_fx_writer;
GRANT INSERT ON hrguard.alert TO regress_fx_writer;
SET LOCAL hrguard.restore_mode = on;
SET LOCAL ROLE regress_fx_writer;
INSERT INTO hrguard.alert (employee_id, kind, severity) VALUES ('FX1', 'off_hours', 'watch');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP ROLE regress_fx_writer;

-- status and case change, and leave an entry each; no change, no entry
SELECT count(*) AS entries_before FROM hrguard.evidence WHERE employee_id = 'FX1';
UPDATE hrguard.alert SET status = 'acknowledged' WHERE employee_id = 'FX1';
UPDATE hrguard.alert SET status = 'escalated', case_id = 7 WHERE employee_id = 'FX1';
UPDATE hrguard.alert SET status = status WHERE employee_id = 'FX1';
SELECT seq, kind, (convert_from(canon, 'UTF8')::jsonb -> 'p') - '{alert_id,changed_by}'::text[] AS change,
	   convert_from(canon, 'UTF8')::jsonb -> 'p' ->> 'changed_by' = current_user AS by_me
  FROM hrguard.evidence WHERE employee_id = 'FX1' AND kind = 'alert_status' ORDER BY seq;
SELECT ok, entries FROM hrguard.verify_chain('FX1');
SELECT count(*) AS punches, (SELECT count(*) FROM hrguard.alert WHERE employee_id = 'FX1') AS alerts
  FROM hrguard.punch WHERE employee_id = 'FX1';
-- an application may not write that kind itself
SELECT hrguard.record_evidence('FX1', 'alert_status', '{}', '2026-11-22 04:00+08');
\echo :LAST_ERROR_SQLSTATE

-- a punch must be stored as hrguard classified it, or its statement fails:
-- ON CONFLICT DO NOTHING on a key hrguard does not know, a later BEFORE
-- trigger that drops or moves the row
INSERT INTO hrguard.employee (employee_id) VALUES ('FX2'), ('FX3');
CREATE UNIQUE INDEX fx_punch_unique ON hrguard.punch (employee_id, punched_at);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX2', '2026-12-01 10:00+08', 31.235, 121.475);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX2', '2026-12-01 10:00+08', 40, 100)
ON CONFLICT DO NOTHING;
\echo :LAST_ERROR_SQLSTATE
DROP INDEX hrguard.fx_punch_unique;
CREATE FUNCTION pg_temp.drop_row() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE FUNCTION pg_temp.move_row() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.employee_id := 'FX3'; RETURN NEW; END$$;
CREATE TRIGGER z_drop BEFORE INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION pg_temp.drop_row();
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('FX2', '2026-12-01 11:00+08');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER z_drop ON hrguard.punch;
CREATE TRIGGER z_move BEFORE INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION pg_temp.move_row();
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('FX2', '2026-12-01 12:00+08');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER z_move ON hrguard.punch;
-- the same trigger sorting before hrguard's: the punch is classified as moved
CREATE TRIGGER a_move BEFORE INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION pg_temp.move_row();
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('FX2', '2026-12-01 12:00+08');
DROP TRIGGER a_move ON hrguard.punch;
-- under session_replication_role = replica a punch is still classified and
-- recorded; recorded_at is the database's to say
SET session_replication_role = replica;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, recorded_at)
VALUES ('FX3', '2026-12-01 13:00+08', 31.9, 121.475, '2000-01-01');
RESET session_replication_role;
SELECT employee_id, evidence_seq, verdict, recorded_at > '2026-01-01' AND recorded_at <= now() AS recorded_by_database
  FROM hrguard.punch WHERE employee_id IN ('FX2', 'FX3') ORDER BY punched_at;
-- dropped columns in the tables hrguard writes directly
ALTER TABLE hrguard.alert ADD COLUMN fx_note text;
ALTER TABLE hrguard.alert DROP COLUMN fx_note;
ALTER TABLE hrguard.evidence ADD COLUMN fx_note text;
ALTER TABLE hrguard.evidence DROP COLUMN fx_note;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX2', '2026-12-01 23:00+08', 40, 121.475);
SELECT kind FROM hrguard.alert WHERE employee_id = 'FX2' ORDER BY alert_id;

-- what a superuser adds to hrguard.evidence is honoured: a trigger fires
-- (entries then go through INSERT), a CHECK constraint refuses
CREATE TABLE public.fx_evidence_seen (employee_id text, seq bigint, kind text);
CREATE FUNCTION public.fx_see() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$$BEGIN INSERT INTO public.fx_evidence_seen VALUES (NEW.employee_id, NEW.seq, NEW.kind); RETURN NEW; END$$;
CREATE TRIGGER fx_seen AFTER INSERT ON hrguard.evidence FOR EACH ROW EXECUTE FUNCTION public.fx_see();
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX3', '2026-12-02 03:00+08', 31.2, 121.4);
SELECT employee_id, seq, kind FROM public.fx_evidence_seen ORDER BY seq;
DROP TRIGGER fx_seen ON hrguard.evidence;
DROP FUNCTION public.fx_see();
DROP TABLE public.fx_evidence_seen;
ALTER TABLE hrguard.evidence ADD CONSTRAINT fx_no_alerts CHECK (kind <> 'alert') NOT VALID;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX3', '2026-12-02 04:00+08', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE hrguard.evidence DROP CONSTRAINT fx_no_alerts;

-- an exclusion constraint and a foreign key added to hrguard.alert apply
-- to the alerts hrguard writes
ALTER TABLE hrguard.alert ADD CONSTRAINT fx_one_per_kind
	EXCLUDE USING btree (employee_id WITH =, kind WITH =) WHERE (employee_id = 'FX3');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX3', '2026-12-02 05:00+08', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE hrguard.alert DROP CONSTRAINT fx_one_per_kind;
ALTER TABLE hrguard.alert ADD CONSTRAINT fx_alert_employee
	FOREIGN KEY (employee_id) REFERENCES hrguard.employee;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX3', '2026-12-02 06:00+08', 31.2, 121.4);
SELECT count(*) AS fx3_alerts FROM hrguard.alert WHERE employee_id = 'FX3';
ALTER TABLE hrguard.alert DROP CONSTRAINT fx_alert_employee;

-- completeness, over everything in the database (this file's rows, and
-- those of the files run before it in the same database): every punch and
-- alert has an entry that says what its row says, and no entry claims a
-- row that is not there
SELECT * FROM hrguard.verify_facts();
-- what a superuser who disables the guards does is named (rolled back, so
-- that the database is left whole for whatever runs after)
BEGIN;
ALTER TABLE hrguard.punch DISABLE TRIGGER punch_keep;
ALTER TABLE hrguard.alert DISABLE TRIGGER alert_keep;
UPDATE hrguard.punch SET device_id = 'forged' WHERE employee_id = 'FX1';
DELETE FROM hrguard.alert WHERE employee_id = 'FX1';
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_keep;
ALTER TABLE hrguard.alert ENABLE ALWAYS TRIGGER alert_keep;
SELECT fact, employee_id, seq, problem FROM hrguard.verify_facts();
ROLLBACK;
