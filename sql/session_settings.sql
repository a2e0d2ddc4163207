-- session_settings: what hrguard stores (evidence payloads, risk, alert
-- reasons) is the same whatever the inserting session's DateStyle,
-- IntervalStyle, TimeZone, extra_float_digits and search_path are.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
INSERT INTO hrguard.employee (employee_id) VALUES ('SS1'), ('SS2');
CREATE SCHEMA ss_elsewhere;

-- the same punches, for SS1 under one set of settings and SS2 under another
CREATE TEMP TABLE ss_input (at text, lat float8, lon float8, acc float8, dev text);
INSERT INTO ss_input VALUES
	('2026-11-22 03:00:00+08', 31.2, 121.4, 12.5, 'p1'),
	('2026-11-23 10:00:00+08', 31.2000001, 121.4000001, 0.1, 'p1'),
	('2026-11-23 10:05:00+08', 31.9, 121.4, NULL, 'p2'),
	('2026-11-24 21:30:00+08', 31.2, 121.4, 3.3333333, 'p1');

SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres'; SET timezone = 'Asia/Shanghai';
SET extra_float_digits = 0; SET search_path = public;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, device_id)
SELECT 'SS1', at::timestamptz, lat, lon, acc, dev FROM ss_input ORDER BY at;

SET datestyle = 'SQL, DMY'; SET intervalstyle = 'sql_standard'; SET timezone = 'America/Los_Angeles';
SET extra_float_digits = 3; SET search_path = ss_elsewhere, pg_catalog, public;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, device_id)
SELECT 'SS2', at::timestamptz, lat, lon, acc, dev FROM pg_temp.ss_input ORDER BY at;
RESET datestyle; RESET intervalstyle; RESET extra_float_digits; RESET search_path;
SET timezone = 'UTC';

-- payloads, risk and reasons compared byte for byte (ids and nonces aside)
SELECT a.evidence_seq,
	   (convert_from(ea.canon, 'UTF8')::jsonb -> 'p') - 'punch_id' = (convert_from(eb.canon, 'UTF8')::jsonb -> 'p') - 'punch_id' AS same_payload,
	   convert_from(ea.canon, 'UTF8')::jsonb -> 't' = convert_from(eb.canon, 'UTF8')::jsonb -> 't' AS same_time,
	   a.risk::text = b.risk::text AS same_risk,
	   a.alert_kinds IS NOT DISTINCT FROM b.alert_kinds AS same_alerts
  FROM hrguard.punch a
  JOIN hrguard.punch b ON b.employee_id = 'SS2' AND b.evidence_seq = a.evidence_seq
  JOIN hrguard.evidence ea ON ea.employee_id = a.employee_id AND ea.seq = a.evidence_seq
  JOIN hrguard.evidence eb ON eb.employee_id = b.employee_id AND eb.seq = b.evidence_seq
 WHERE a.employee_id = 'SS1'
 ORDER BY a.evidence_seq;
SELECT count(*) AS alerts,
	   count(*) FILTER (WHERE (a.reasons - 'punch_id')::text = (b.reasons - 'punch_id')::text) AS same_reasons
  FROM hrguard.alert a
  JOIN hrguard.alert b ON b.employee_id = 'SS2' AND b.kind = a.kind
	   AND b.occurred_at = a.occurred_at
 WHERE a.employee_id = 'SS1';
SELECT count(*) FILTER (WHERE e.kind = 'alert') AS alert_entries_ss1,
	   (SELECT count(*) FROM hrguard.evidence WHERE employee_id = 'SS2' AND kind = 'alert') AS alert_entries_ss2
  FROM hrguard.evidence e WHERE e.employee_id = 'SS1';
DROP SCHEMA ss_elsewhere;
