-- alert_table: hrguard.alert as an application may change it.  While an
-- INSERT would do nothing more, alerts go straight into its heap and
-- indexes with the table's defaults (identity included) and its NOT NULL
-- and CHECK constraints; with an INSERT trigger they go through INSERT.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
-- rows in the punch, alert and evidence tables, before and after a failure
\set counts 'SELECT (SELECT count(*) FROM hrguard.punch) || \' \' || (SELECT count(*) FROM hrguard.alert) || \' \' || (SELECT count(*) FROM hrguard.evidence) AS rows'

INSERT INTO hrguard.employee (employee_id, team) VALUES ('AT1', 'alert table');
INSERT INTO hrguard.zone (name, kind, geom)
VALUES ('at office', 'office', ST_GeomFromText('POLYGON((121.60 31.30, 121.61 31.30, 121.61 31.31, 121.60 31.31, 121.60 31.30))', 4326));
INSERT INTO hrguard.zone_assignment (zone_id, team)
SELECT zone_id, 'alert table' FROM hrguard.zone WHERE name = 'at office';

-- the defaults: an identity id, raised now by this transaction, new,
-- notified in commit mode; the evidence entry names the same id
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 10:00', 31.40, 121.60, 'at-phone');
SELECT kind, severity, status, raised_at = now() AS raised_now,
	   xid = pg_current_xact_id() AS this_transaction, notified,
	   score IS NULL AND case_id IS NULL AS unset,
	   alert_id = currval(pg_get_serial_sequence('hrguard.alert', 'alert_id')) AS identity_id,
	   reasons->>'verdict' AS verdict
  FROM hrguard.alert WHERE employee_id = 'AT1' ORDER BY alert_id;
COMMIT;

-- in relay mode: not notified, so in the relay's partial index
SET hrguard.notify_mode = 'relay';
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 10:30', 31.41, 121.60, 'at-phone');
RESET hrguard.notify_mode;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT alert_id FROM hrguard.alert WHERE NOT notified AND xid > '0'::xid8;
SELECT kind, notified FROM hrguard.alert WHERE NOT notified AND xid > '0'::xid8 AND employee_id = 'AT1';
RESET enable_seqscan;
RESET enable_bitmapscan;

-- under notify_mode off: never notified, so the relay leaves it alone
SET hrguard.notify_mode = 'off';
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 10:45', 31.42, 121.60, 'at-phone');
RESET hrguard.notify_mode;
SELECT kind, notified FROM hrguard.alert WHERE employee_id = 'AT1' AND occurred_at = '2026-11-23 10:45';

-- the relay takes a snapshot per statement: other isolation levels are
-- refused (0A000), the worker's position untouched
SELECT hrguard.relay_alerts() > 0 AS relayed;
SELECT sent_through::text AS position FROM hrguard.relay_state \gset
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT hrguard.relay_alerts();
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SET default_transaction_isolation = 'serializable';
SELECT hrguard.relay_alerts();
\echo :LAST_ERROR_SQLSTATE
SELECT sent_through::text = :'position' AS position_untouched FROM hrguard.relay_state;
RESET default_transaction_isolation;
-- fewer than one alert a call: 22023
SELECT hrguard.relay_alerts(0);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.relay_alerts(NULL);
\echo :LAST_ERROR_SQLSTATE

-- a listener's cursor: the alerts committed since it, then none; a cursor
-- ahead of this cluster's transactions (another cluster's) is refused
-- (22023) rather than hiding alerts
SELECT hrguard.alert_cursor() AS cursor \gset
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 10:50', 31.41, 121.60, 'at-phone');
SELECT kind, occurred_at = '2026-11-23 10:50' AS the_new_punch
  FROM hrguard.alerts_since(:'cursor');
SELECT next_cursor AS cursor FROM hrguard.alerts_since(:'cursor') LIMIT 1 \gset
SELECT count(*) AS nothing_new FROM hrguard.alerts_since(:'cursor');
SELECT count(*) FROM hrguard.alerts_since('999999999:999999999:');
\echo :LAST_ERROR_SQLSTATE
-- the caller's own alerts come after its transaction commits, also along
-- a chain whose cursor it took after raising them
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 10:55', 31.41, 121.60, 'at-phone');
SELECT count(*) AS own_uncommitted FROM hrguard.alerts_since(:'cursor');
SELECT hrguard.alert_cursor() AS inner_cursor \gset
COMMIT;
SELECT count(*) AS own_after_commit FROM hrguard.alerts_since(:'cursor');
SELECT count(*) AS own_along_the_inner_chain FROM hrguard.alerts_since(:'inner_cursor');
-- a REPEATABLE READ snapshot older than a valid cursor sees nothing new,
-- without an error
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT 1 AS snapshot_taken;
SELECT pg_current_xact_id() AS own_xid \gset
SELECT count(*) AS older_snapshot
  FROM hrguard.alerts_since(format('%s:%s:', :'own_xid'::text::numeric + 1,
								   :'own_xid'::text::numeric + 1)::pg_snapshot);
ROLLBACK;

-- a default the application changed is the one used
ALTER TABLE hrguard.alert ALTER COLUMN status SET DEFAULT 'acknowledged';
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 11:00', 31.42, 121.60, 'at-phone');
ALTER TABLE hrguard.alert ALTER COLUMN status SET DEFAULT 'new';
SELECT status, count(*) FROM hrguard.alert WHERE employee_id = 'AT1' GROUP BY status ORDER BY status;

-- a CHECK constraint the application added applies: the punch is refused
-- (23514) and nothing of it is written
ALTER TABLE hrguard.alert ADD CONSTRAINT alert_not_outside CHECK (kind <> 'outside_zone') NOT VALID;
:counts \gset before_
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 11:30', 31.43, 121.60, 'at-phone');
\echo :LAST_ERROR_SQLSTATE
:counts \gset after_
SELECT :'before_rows' = :'after_rows' AS nothing_written;
-- a punch raising no alert is not affected
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 11:45', 31.305, 121.605, 'at-phone');
ALTER TABLE hrguard.alert DROP CONSTRAINT alert_not_outside;

-- an index the application added is maintained and its uniqueness
-- checked: a second outside_zone alert at the same time is refused (23505)
CREATE UNIQUE INDEX alert_once_idx ON hrguard.alert (employee_id, occurred_at, kind);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 12:00', 31.44, 121.60, 'at-phone');
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT kind FROM hrguard.alert WHERE employee_id = 'AT1' AND occurred_at = '2026-11-23 12:00';
SELECT kind FROM hrguard.alert WHERE employee_id = 'AT1' AND occurred_at = '2026-11-23 12:00';
RESET enable_seqscan;
RESET enable_bitmapscan;
:counts \gset before_
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 12:00', 31.45, 121.60, 'at-phone');
\echo :LAST_ERROR_SQLSTATE
:counts \gset after_
SELECT :'before_rows' = :'after_rows' AS nothing_written;
DROP INDEX hrguard.alert_once_idx;

-- an INSERT trigger of the application: alerts go through INSERT, so it
-- fires for each of them
CREATE TABLE alert_inbox (alert_id bigint, kind text);
CREATE FUNCTION alert_to_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.alert_inbox VALUES (NEW.alert_id, NEW.kind);
	RETURN NULL;
END
$$;
CREATE TRIGGER alert_to_inbox AFTER INSERT ON hrguard.alert
	FOR EACH ROW EXECUTE FUNCTION alert_to_inbox();
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('AT1', '2026-11-23 12:30', 31.45, 121.60, 'at-phone'),
	   ('AT1', '2026-11-23 22:30', 31.305, 121.605, 'at-phone');
SELECT i.kind, a.punch_id IS NOT NULL AS is_alert
  FROM alert_inbox i LEFT JOIN hrguard.alert a USING (alert_id) ORDER BY i.alert_id;
DROP TRIGGER alert_to_inbox ON hrguard.alert;
DROP FUNCTION alert_to_inbox();
DROP TABLE alert_inbox;

-- every alert, written either way, has its evidence entry; those after
-- the default was set back are new again; the chain verifies
SELECT count(*) AS alerts,
	   count(*) FILTER (WHERE status = 'acknowledged') AS acknowledged,
	   count(*) FILTER (WHERE EXISTS (
		   SELECT FROM hrguard.evidence e
			WHERE e.employee_id = a.employee_id AND e.kind = 'alert'
			  AND (convert_from(e.canon, 'UTF8')::jsonb #>> '{p,alert_id}')::bigint = a.alert_id
			  AND (convert_from(e.canon, 'UTF8')::jsonb #>> '{p,alert_kind}') = a.kind)) AS with_entry
  FROM hrguard.alert a WHERE employee_id = 'AT1';
SELECT ok, entries, first_bad_seq, reason FROM hrguard.verify_chain('AT1');
