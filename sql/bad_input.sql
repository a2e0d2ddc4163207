-- bad_input: inputs that once crashed, hung or failed with the wrong
-- error; each is answered by a defined result or a specific SQLSTATE,
-- quickly (statement_timeout would end a hang), with nothing written.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
SET statement_timeout = '10s';
INSERT INTO hrguard.employee (employee_id) VALUES ('BX1');
SELECT count(*) AS punches_before FROM hrguard.punch WHERE employee_id = 'BX1';

-- a huge accuracy radius: no walk over billions of grid cells
SELECT verdict FROM hrguard.classify_point('BX1', '2026-11-23 10:00+08', 31.2, 121.4, 1e7, 'wgs84');
SELECT verdict FROM hrguard.classify_point('BX1', '2026-11-23 10:00+08', 89.999, 179.999, 2e7, 'wgs84');
SELECT verdict FROM hrguard.classify_point('BX1', '2026-11-23 10:00+08', 31.2, 121.4, 1e13, 'wgs84');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES ('BX1', '2026-11-23 10:00+08', 31.2, 121.4, 1e14);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES ('BX1', '2026-11-23 10:00+08', 31.2, 121.4, 1e308);
\echo :LAST_ERROR_SQLSTATE
-- (of a zone of this file's own, assigned to nobody)
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('bx site', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 100);
SELECT hrguard.zone_locate(zone_id, 31.2, 121.4, 1e13) FROM hrguard.zone WHERE name = 'bx site';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.zone WHERE name = 'bx site';

-- times outside what evidence records: a datetime error, not an integer one
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('BX1', '1683-01-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('BX1', '4713-01-01 BC');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('BX1', '-infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('BX1', 'note', '{}', '1683-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('BX1', 'note', '{}', '4713-01-01 BC');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.close_day('1683-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.close_day('4713-01-01 BC');
\echo :LAST_ERROR_SQLSTATE

-- NULL in the columns the trigger reads first
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES (NULL, '2026-11-23 10:00+08');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, source, source_record_id) VALUES ('BX1', '2026-11-23 10:00+08', NULL, 'r1');
\echo :LAST_ERROR_SQLSTATE

-- positions whose conversion leaves the WGS-84 range are refused, not stored
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs) VALUES ('BX1', '2026-11-23 10:00+08', -90, -180, 'bd09');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.to_wgs84(-90, -180, 'bd09');
\echo :LAST_ERROR_SQLSTATE
-- a zero-area polygon is refused in every datum; an assigned zone does
-- not become a competitor
INSERT INTO hrguard.zone (name, kind, geom, source_crs)
VALUES ('flat', 'office', ST_GeomFromText('POLYGON((121.50 31.23, 121.51 31.23, 121.52 31.23, 121.50 31.23))', 4326), 'bd09');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES ('bx client', 'client', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 100);
INSERT INTO hrguard.zone_assignment (zone_id, employee_id) SELECT zone_id, 'BX1' FROM hrguard.zone WHERE name = 'bx client';
\set VERBOSITY sqlstate
UPDATE hrguard.zone SET kind = 'competitor' WHERE name = 'bx client';
\set VERBOSITY terse
SELECT kind FROM hrguard.zone WHERE name = 'bx client';

-- more of what hostile input found
SELECT hrguard.canonical_json(repeat('[', 100000) || repeat(']', 100000));
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('BX1', '1600-01-01', '2030-01-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('BX1', '2026-11-30 03:00+08', 90.0000001, 121);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.make_append_only('hrguard.punch');
\echo :LAST_ERROR_SQLSTATE

-- a punch's free-form columns are bounded
INSERT INTO hrguard.punch (employee_id, punched_at, source) VALUES ('BX1', '2026-11-30 03:00+08', repeat('s', 1000000));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, address) VALUES ('BX1', '2026-11-30 03:00+08', repeat('a', 1025));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, vendor_flags)
VALUES ('BX1', '2026-11-30 03:00+08', jsonb_build_object('x', repeat('f', 70000)));
\echo :LAST_ERROR_SQLSTATE

-- a zone without a datum: an error, not a crash
INSERT INTO hrguard.zone (name, kind, center, radius_m, source_crs)
VALUES ('bx no datum', 'client', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 10, NULL);
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.zone SET source_crs = NULL WHERE name = 'bx client';
\echo :LAST_ERROR_SQLSTATE

-- a column hrguard needs, renamed: a clear error where it is read
BEGIN;
ALTER TABLE hrguard.evidence RENAME COLUMN canon TO canon2;
SELECT count(*) FROM hrguard.verify_all();
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
ALTER TABLE hrguard.evidence RENAME COLUMN link TO link2;
SELECT ok FROM hrguard.verify_chain('BX1');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
ALTER TABLE hrguard.alert RENAME COLUMN kind TO kind2;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('BX1', '2026-11-30 03:10+08', 35, 121);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- an application's trigger that drops hrguard's alerts fails the punch
CREATE FUNCTION pg_temp.drop_alert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
BEGIN;
CREATE TRIGGER bx_drop_alert BEFORE INSERT ON hrguard.alert FOR EACH ROW EXECUTE FUNCTION pg_temp.drop_alert();
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('BX1', '2026-11-30 03:20+08', 35, 121);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- employees are not truncated while punches are recorded
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('BX1', '2026-11-30 03:30+08', 31.2, 121.4);
TRUNCATE hrguard.employee;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.employee CASCADE;
\echo :LAST_ERROR_SQLSTATE

-- a day that has not ended for an employee is not closed for them
SELECT hrguard.close_day(current_date + 30) AS closed_ahead;
SELECT count(*) AS closed_days_ahead FROM hrguard.day_close WHERE day = current_date + 30;

SELECT count(*) AS punches_after FROM hrguard.punch WHERE employee_id = 'BX1';
SELECT count(*) AS entries FROM hrguard.evidence WHERE employee_id = 'BX1';
RESET statement_timeout;
