-- punch_source: an application's own attendance table attached to hrguard.
-- Its INSERTs (multi-row, COPY, in savepoints) make punches with verdicts,
-- alerts and evidence; a failure fails the application's insert, or (on
-- request) keeps the row and records the problem; detaching stops it; bad
-- mappings are refused at attach time with the column named.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id, tenant_id) VALUES ('PS1', 'ps'), ('1042', 'ps');
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m, source_crs)
VALUES ('ps', 'ps office', 'office', ST_SetSRID(ST_MakePoint(121.473701, 31.230416), 4326), 200, 'gcj02');
INSERT INTO hrguard.zone_assignment (zone_id, employee_id)
SELECT zone_id, 'PS1' FROM hrguard.zone WHERE name = 'ps office';

-- the application's table, as it is
CREATE SCHEMA ps_app;
CREATE DOMAIN ps_app.staff_code AS varchar(20);
CREATE TABLE ps_app.attendance (
	id			bigserial PRIMARY KEY,
	emp_code	ps_app.staff_code,
	clock_time	timestamptz NOT NULL,
	latitude	numeric(9, 6),
	longitude	numeric(9, 6),
	coord		text,
	acc			real,
	device		text,
	kind		text
);

SELECT hrguard.attach_punch_source('ps_app.attendance', $${
	"employee_id": "emp_code", "punched_at": "clock_time", "lat": "latitude", "lon": "longitude",
	"datum": "coord", "accuracy_m": "acc", "device_id": "device", "check_type": "kind",
	"check_type_values": {"IN": "on_duty", "OUT": "off_duty"}, "source_record_id": "id"}$$);
SELECT source_table, mapping->>'employee_id' AS employee_id, enabled FROM hrguard.punch_sources;

-- the application's own statements: a multi-row INSERT, COPY, a savepoint
-- rolled back; GCJ-02 at the office is inside, WGS-84 at the same numbers
-- is not (the datum decides)
INSERT INTO ps_app.attendance (emp_code, clock_time, latitude, longitude, coord, acc, device, kind) VALUES
	('PS1', '2026-11-30 09:02:03.456789+08', 31.230416, 121.473701, 'gcj02', 20, 'dev-1', 'IN'),
	('PS1', '2026-11-30 18:01+08', 31.230416, 121.473701, 'wgs84', 20, 'dev-1', 'OUT'),
	('PS1', '2026-11-30 19:30+08', NULL, NULL, NULL, NULL, NULL, NULL);
COPY ps_app.attendance (emp_code, clock_time, latitude, longitude, coord, kind) FROM stdin;
PS1	2026-12-01 09:00+08	31.230416	121.473701	gcj02	IN
PS1	2026-12-01 18:00+08	31.230416	121.473701	gcj02	OUT
\.
BEGIN;
SAVEPOINT s;
INSERT INTO ps_app.attendance (emp_code, clock_time) VALUES ('PS1', '2026-12-01 20:00+08');
ROLLBACK TO SAVEPOINT s;
COMMIT;
SELECT p.source_record_id, p.employee_id, to_char(p.punched_at, 'YYYY-MM-DD HH24:MI:SS.US') AS punched_at,
	   p.raw_lat, p.raw_lon, p.raw_crs, p.accuracy_m, p.check_type, p.source, p.device_id, p.verdict
  FROM hrguard.punch p WHERE p.source = 'table:ps_app.attendance' ORDER BY p.punch_id;
SELECT count(*) AS app_rows FROM ps_app.attendance;

-- a row hrguard refuses fails the application's statement: neither the
-- row nor any other of the statement is stored
INSERT INTO ps_app.attendance (emp_code, clock_time) VALUES
	('PS1', '2026-12-02 09:00+08'), ('NOBODY', '2026-12-02 09:00+08');
INSERT INTO ps_app.attendance (emp_code, clock_time, latitude, longitude, coord) VALUES
	('PS1', '2026-12-02 09:00+08', 31.2, 121.4, 'mars');
-- a check type check_type_values does not map, named with its column
DO $$
BEGIN
	INSERT INTO ps_app.attendance (emp_code, clock_time, kind) VALUES ('PS1', '2026-12-02 09:00+08', 'LUNCH');
EXCEPTION WHEN OTHERS THEN
	RAISE WARNING '% %', SQLSTATE, SQLERRM;
END
$$;
SELECT count(*) AS app_rows FROM ps_app.attendance;

-- detached: the application's inserts make no punch
SELECT hrguard.detach_punch_source('ps_app.attendance');
INSERT INTO ps_app.attendance (emp_code, clock_time) VALUES ('PS1', '2026-12-02 10:00+08');
SELECT count(*) AS punches FROM hrguard.punch WHERE source = 'table:ps_app.attendance';

-- attached again, recording problems instead: the application's row is
-- kept, the problem is in hrguard.ingest_reject with the row
SELECT hrguard.attach_punch_source('ps_app.attendance',
	'{"employee_id": "emp_code", "punched_at": "clock_time", "source_record_id": "id", "on_error": "record"}');
INSERT INTO ps_app.attendance (emp_code, clock_time) VALUES
	('PS1', '2026-12-02 11:00+08'), ('NOBODY', '2026-12-02 11:00+08');
SELECT count(*) AS app_rows FROM ps_app.attendance;
SELECT count(*) AS punches FROM hrguard.punch WHERE source = 'table:ps_app.attendance';
SELECT source, vendor_userid, reason, detail, raw_record::jsonb - 'id' AS raw_record
  FROM hrguard.ingest_reject WHERE source = 'table:ps_app.attendance';
SELECT hrguard.detach_punch_source('ps_app.attendance');

-- a table with a time without time zone and an integer staff number
CREATE TABLE ps_app.clock (staff_no int, at timestamp, lat float8, lon float8);
SELECT hrguard.attach_punch_source('ps_app.clock',
	'{"employee_id": "staff_no", "punched_at": "at", "time_zone": "Asia/Shanghai", "lat": "lat", "lon": "lon", "fixed_datum": "bd09"}');
INSERT INTO ps_app.clock VALUES (1042, '2026-12-01 08:59:59.999999', 31.2368, 121.4803);
SELECT employee_id, punched_at, raw_lat, raw_lon, raw_crs FROM hrguard.punch WHERE source = 'table:ps_app.clock';

-- a role that may insert into the application's table but not punches:
-- the application's insert fails with 42501, as PostgreSQL decides
CREATE ROLE ps_clerk;
GRANT USAGE ON SCHEMA ps_app TO ps_clerk;
GRANT INSERT ON ps_app.clock TO ps_clerk;
SET ROLE ps_clerk;
INSERT INTO ps_app.clock VALUES (1042, '2026-12-01 18:00', NULL, NULL);
RESET ROLE;
GRANT USAGE ON SCHEMA hrguard TO ps_clerk;
GRANT INSERT ON hrguard.punch TO ps_clerk;
SET ROLE ps_clerk;
INSERT INTO ps_app.clock VALUES (1042, '2026-12-01 18:00', NULL, NULL);
RESET ROLE;
SELECT count(*) AS punches FROM hrguard.punch WHERE source = 'table:ps_app.clock';
REVOKE ALL ON hrguard.punch FROM ps_clerk;
REVOKE ALL ON SCHEMA hrguard FROM ps_clerk;
REVOKE ALL ON ps_app.clock FROM ps_clerk;
REVOKE ALL ON SCHEMA ps_app FROM ps_clerk;
DROP ROLE ps_clerk;

-- no row goes by unseen: a DBA's trigger that drops the punch fails the
-- application's insert (09000), or is recorded with on_error record;
-- under session_replication_role = replica the trigger still fires
CREATE TABLE ps_app.gate (who text, at timestamptz);
SELECT hrguard.attach_punch_source('ps_app.gate', '{"employee_id": "who", "punched_at": "at"}');
CREATE FUNCTION pg_temp.drop_punch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER a_drop BEFORE INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION pg_temp.drop_punch();
INSERT INTO ps_app.gate VALUES ('PS1', '2026-12-02 12:00+08');
SELECT hrguard.detach_punch_source('ps_app.gate');
SELECT hrguard.attach_punch_source('ps_app.gate', '{"employee_id": "who", "punched_at": "at", "on_error": "record"}');
INSERT INTO ps_app.gate VALUES ('PS1', '2026-12-02 12:01+08');
DROP TRIGGER a_drop ON hrguard.punch;
SELECT reason, detail FROM hrguard.ingest_reject WHERE source = 'table:ps_app.gate';
SET session_replication_role = replica;
INSERT INTO ps_app.gate VALUES ('PS1', '2026-12-02 12:02+08');
RESET session_replication_role;
SELECT count(*) AS gate_rows, (SELECT count(*) FROM hrguard.punch WHERE source = 'table:ps_app.gate') AS gate_punches
  FROM ps_app.gate;
-- ENABLE TRIGGER ALL makes the trigger fire in origin sessions only:
-- punch_sources says so
ALTER TABLE ps_app.gate DISABLE TRIGGER ALL;
ALTER TABLE ps_app.gate ENABLE TRIGGER ALL;
SELECT enabled, fires FROM hrguard.punch_sources WHERE source_table = 'ps_app.gate'::regclass;
ALTER TABLE ps_app.gate ENABLE ALWAYS TRIGGER hrguard_punch_source;
SELECT enabled, fires FROM hrguard.punch_sources WHERE source_table = 'ps_app.gate'::regclass;
-- the table changed after attaching: a renamed mapped column fails every
-- insert, naming the column; a value that no longer converts is recorded
ALTER TABLE ps_app.gate RENAME COLUMN who TO staff;
INSERT INTO ps_app.gate VALUES ('PS1', '2026-12-02 12:03+08');
ALTER TABLE ps_app.gate RENAME COLUMN staff TO who;
ALTER TABLE ps_app.gate ALTER COLUMN at TYPE text;
INSERT INTO ps_app.gate VALUES ('PS1', 'garbage');
SELECT reason, detail FROM hrguard.ingest_reject WHERE source = 'table:ps_app.gate' ORDER BY reject_id;
SELECT hrguard.detach_punch_source('ps_app.gate');
-- inheritance children would go unseen; a partition is detached through
-- its partitioned table
CREATE TABLE ps_app.parent (who text, at timestamptz);
CREATE TABLE ps_app.child () INHERITS (ps_app.parent);
SELECT hrguard.attach_punch_source('ps_app.parent', '{"employee_id": "who", "punched_at": "at"}');
-- a child created after attaching is not watched: punch_sources names it
CREATE TABLE ps_app.lone_parent (who text, at timestamptz);
SELECT hrguard.attach_punch_source('ps_app.lone_parent', '{"employee_id": "who", "punched_at": "at"}');
CREATE TABLE ps_app.late_child () INHERITS (ps_app.lone_parent);
CREATE TABLE ps_app.late_grandchild () INHERITS (ps_app.late_child);
SELECT source_table, unwatched_children FROM hrguard.punch_sources WHERE source_table = 'ps_app.lone_parent'::regclass;
DROP TABLE ps_app.late_grandchild, ps_app.late_child;
SELECT source_table, unwatched_children FROM hrguard.punch_sources WHERE source_table = 'ps_app.lone_parent'::regclass;
SELECT hrguard.detach_punch_source('ps_app.lone_parent');
CREATE TABLE ps_app.parted (who text, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE ps_app.parted_2026 PARTITION OF ps_app.parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT hrguard.attach_punch_source('ps_app.parted', '{"employee_id": "who", "punched_at": "at"}');
INSERT INTO ps_app.parted VALUES ('PS1', '2026-12-02 12:04+08');
SELECT source FROM hrguard.punch WHERE source LIKE 'table:ps_app.parted%';
SELECT hrguard.detach_punch_source('ps_app.parted_2026');
SELECT hrguard.detach_punch_source('ps_app.parted');

-- bad mappings, refused at attach time, naming what is wrong
CREATE FUNCTION pg_temp.refusal(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	message text;
BEGIN
	EXECUTE statement;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
	RETURN SQLSTATE || ' ' || message;
END $$;
CREATE TABLE ps_app.other (who text, at timestamptz, t timestamp, x float8, y float8, flag boolean, j jsonb);
SELECT pg_temp.refusal(format('SELECT hrguard.attach_punch_source(%L, %L)', t, m)) AS refusal
  FROM (VALUES
	('ps_app.other', '{"employee_id": "who"}'),
	('ps_app.other', '{"punched_at": "at"}'),
	('ps_app.other', '{"employee_id": "nobody", "punched_at": "at"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "when"}'),
	('ps_app.other', '{"employee_id": "flag", "punched_at": "at"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "x"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "t"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "t", "time_zone": "Mars/Olympus"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "lat": "x"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "lat": "x", "lon": "y"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "lat": "x", "lon": "y", "fixed_datum": "mars"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "lat": "x", "lon": "j", "fixed_datum": "wgs84"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "lat": "x", "lon": "y", "datum": "x"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "colour": "who"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "on_error": "ignore"}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "check_type_values": {"a": "on_duty"}}'),
	('ps_app.other', '{"employee_id": "who", "punched_at": "at", "check_type": "who", "check_type_values": {"a": "lunch"}}'),
	('ps_app.other', '{"employee_id": 7, "punched_at": "at"}'),
	('ps_app.other', '[]'),
	('hrguard.punch', '{"employee_id": "employee_id", "punched_at": "punched_at"}'),
	('pg_class', '{"employee_id": "relname", "punched_at": "relname"}'),
	('hrguard.open_alerts', '{"employee_id": "employee_id", "punched_at": "raised_at"}')
  ) AS v(t, m);
SELECT pg_temp.refusal($$SELECT hrguard.detach_punch_source('ps_app.other')$$) AS refusal;
SELECT pg_temp.refusal($$SELECT hrguard.attach_punch_source('ps_app.clock', '{"employee_id": "staff_no", "punched_at": "at", "time_zone": "UTC"}')$$) AS refusal;
-- the trigger function anywhere else than where attach put it: 39P01
CREATE TRIGGER ps_wrong BEFORE INSERT ON ps_app.other FOR EACH ROW
	EXECUTE FUNCTION hrguard.punch_source_insert('{"employee_id": "who", "punched_at": "at"}');
SELECT pg_temp.refusal($$INSERT INTO ps_app.other (who, at) VALUES ('PS1', now())$$) AS refusal;
DROP TRIGGER ps_wrong ON ps_app.other;
SELECT hrguard.detach_punch_source('ps_app.clock');
SELECT count(*) AS sources FROM hrguard.punch_sources;

-- every punch made through an attached table has its evidence entry
SELECT * FROM hrguard.verify_facts() WHERE employee_id IN ('PS1', '1042');
DROP SCHEMA ps_app CASCADE;
