-- punch: validation, normalisation, classification, risk features and the
-- alerts a punch raises, with their reasons; the alert views.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';

INSERT INTO hrguard.employee (employee_id, display_name, team) VALUES
	('P1', 'Li Lei', 'punch east'), ('P2', 'Han Meimei', 'punch east');
INSERT INTO hrguard.zone (name, kind, geom, bssids)
VALUES ('office', 'office', ST_GeomFromText('POLYGON((121.50 31.23, 121.51 31.23, 121.51 31.24, 121.50 31.24, 121.50 31.23))', 4326),
		'{aa:aa:aa:aa:aa:01}');
INSERT INTO hrguard.zone (name, kind, center, radius_m)
VALUES ('rival co', 'competitor', ST_SetSRID(ST_MakePoint(121.47, 31.22), 4326), 200);
INSERT INTO hrguard.zone_assignment (zone_id, team) SELECT zone_id, 'punch east' FROM hrguard.zone WHERE name = 'office';

-- ids depend on what the database held before this file: punch, alert and
-- zone ids are shown counted from the last one given out before it (its
-- first punch is punch 1, office zone 1, rival co zone 2), also inside
-- reasons and entries (pg_temp.own_ids), and only the rows of this file's
-- employees (P..., B...) are listed and counted
SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('hrguard.punch', 'punch_id')), 0) AS punch0,
	   coalesce(pg_sequence_last_value(pg_get_serial_sequence('hrguard.alert', 'alert_id')), 0) AS alert0,
	   (SELECT zone_id FROM hrguard.zone WHERE name = 'office') - 1 AS zone0 \gset
CREATE FUNCTION pg_temp.own_ids(j jsonb, punch0 bigint, zone0 bigint) RETURNS jsonb
	LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE jsonb_typeof(j)
		WHEN 'object' THEN (SELECT coalesce(jsonb_object_agg(k, CASE
					WHEN k = 'punch_id' AND jsonb_typeof(v) = 'number' THEN to_jsonb(v::text::bigint - punch0)
					WHEN k IN ('zone_id', 'watched_zone_id') AND jsonb_typeof(v) = 'number'
						THEN to_jsonb(v::text::bigint - zone0)
					ELSE pg_temp.own_ids(v, punch0, zone0) END), '{}')
			  FROM jsonb_each(j) AS e(k, v))
		WHEN 'array' THEN (SELECT coalesce(jsonb_agg(pg_temp.own_ids(v, punch0, zone0) ORDER BY i), '[]')
			  FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, i))
		ELSE j END;
END $$;

-- a WGS-84 punch in the office; a GCJ-02 (DingTalk) punch converted
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id, wifi_bssid, source, source_record_id)
VALUES ('P1', '2026-11-23 08:58', 31.235, 121.505, 'phone-1', 'AA-AA-AA-AA-AA-01', 'api', 'r1');
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m, device_id, source, source_record_id)
VALUES ('P2', '2026-11-23 09:01', 31.2370, 121.5095, 'gcj02', 15, 'phone-2', 'dingtalk', 'dt-1');
SELECT punch_id - :punch0 AS punch_id, employee_id, round(lat::numeric, 6) AS lat, round(lon::numeric, 6) AS lon,
	   raw_lat, raw_lon, raw_crs, verdict, off_hours, wifi_bssid, risk, alert_kinds
  FROM hrguard.punch WHERE employee_id LIKE 'P%' ORDER BY punch_id;

-- the same DingTalk record again: ON CONFLICT skips it and raises nothing
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, source, source_record_id)
VALUES ('P2', '2026-11-23 09:01', 31.0, 121.0, 'gcj02', 'dingtalk', 'dt-1')
ON CONFLICT DO NOTHING;
SELECT count(*) AS punches, (SELECT count(*) FROM hrguard.alert WHERE employee_id LIKE 'P%') AS alerts
  FROM hrguard.punch WHERE employee_id LIKE 'P%';

-- P1 goes to the competitor, then a punch 80 km away five minutes later
-- from a new phone, then the competitor again at night with the very same
-- coordinates, then a position right at the office's edge
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id, check_type)
VALUES ('P1', '2026-11-23 09:40', 31.22, 121.47, 'phone-1', 'visit');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P1', '2026-11-23 09:45', 31.9, 121.47, 'phone-X');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P1', '2026-11-24 21:30', 31.22, 121.47, 'phone-1');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, device_id)
VALUES ('P1', '2026-11-25 09:00', 31.2301, 121.505, 30, 'phone-1');
-- in the office, but on a Wi-Fi the office does not have, and the app
-- itself flagged a mock location
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id, wifi_bssid, vendor_flags)
VALUES ('P1', '2026-11-25 14:00', 31.236, 121.506, 'phone-1', 'bb:bb:bb:bb:bb:02', '{"mock": true}');
-- no location at all, and (0, 0) from an app without a fix
INSERT INTO hrguard.punch (employee_id, punched_at, device_id) VALUES ('P2', '2026-11-25 09:00', 'phone-2');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES ('P2', '2026-11-25 09:05', 0, 0, 'phone-2');

SELECT punch_id - :punch0 AS punch_id, employee_id, punched_at, verdict, zone_id IS NOT NULL AS near_zone,
	   watched_zone_id IS NOT NULL AS at_watched, off_hours, risk, alert_kinds
  FROM hrguard.punch WHERE employee_id LIKE 'P%' AND punch_id - :punch0 > 2 ORDER BY punch_id;

SELECT alert_id - :alert0 AS alert_id, employee_id, kind, severity, punch_id - :punch0 AS punch_id,
	   pg_temp.own_ids(reasons, :punch0, :zone0) AS reasons
  FROM hrguard.alert WHERE employee_id LIKE 'P%' ORDER BY alert_id;

-- invalid punches, one statement each, each followed by its SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('nobody', '2026-11-23 10:00', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P1', '2026-11-23 10:00', 91, 121.4);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P1', '2026-11-23 10:00', 31.2, -181);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P1', '2026-11-23 10:00', 'NaN', 121.4);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P1', '2026-11-23 10:00', 31.2, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat) VALUES ('P1', '2026-11-23 10:00', 31.2);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, raw_lat, raw_lon, raw_crs) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, 31.2, 121.4, 'gcj02');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, raw_crs) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, 'gcj02');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, 'mars');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, raw_crs) VALUES ('P1', '2026-11-23 10:00', 'gcj02');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, -1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, 'NaN');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P1', '2999-01-01 00:00', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P1', 'infinity', 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P1', NULL, 31.2, 121.4);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, check_type) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, 'lunch');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, wifi_bssid) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, 'office-wifi');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, vendor_flags) VALUES ('P1', '2026-11-23 10:00', 31.2, 121.4, '[true]');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, source, source_record_id) VALUES ('P2', '2026-11-23 10:00', 31.2, 121.4, 'dingtalk', 'dt-1');
\echo :LAST_ERROR_SQLSTATE
-- 10 minutes ahead of the clock is the limit; the employee works around
-- the clock, so what the punch raises does not depend on the hour it runs
BEGIN;
INSERT INTO hrguard.schedule (name) VALUES ('around the clock');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, d, '00:00', '24:00' FROM hrguard.schedule, generate_series(1, 7) d
 WHERE name = 'around the clock';
INSERT INTO hrguard.employee (employee_id, schedule_id)
SELECT 'P-clock', schedule_id FROM hrguard.schedule WHERE name = 'around the clock';
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('P-clock', pg_catalog.now() + interval '9 minutes');
SELECT verdict, off_hours, alert_kinds FROM hrguard.punch WHERE employee_id = 'P-clock';
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('P-clock', pg_catalog.now() + interval '11 minutes');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- a statement with one bad row writes no punch and no alert
SELECT count(*) AS punches_before, (SELECT count(*) FROM hrguard.alert WHERE employee_id LIKE 'P%') AS alerts_before
  FROM hrguard.punch WHERE employee_id LIKE 'P%';
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
VALUES ('P2', '2026-11-26 10:00', 31.22, 121.47), ('P2', '2026-11-26 10:05', 95, 121.47);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS punches_after, (SELECT count(*) FROM hrguard.alert WHERE employee_id LIKE 'P%') AS alerts_after
  FROM hrguard.punch WHERE employee_id LIKE 'P%';

-- punches are facts: no UPDATE; an employee with punches stays
UPDATE hrguard.punch SET lat = 0 WHERE punch_id = :punch0 + 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.employee WHERE employee_id = 'P1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.employee SET employee_id = 'P1-renamed' WHERE employee_id = 'P1';
\echo :LAST_ERROR_SQLSTATE

-- a multi-row statement sees its own earlier rows: speed and repeats
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P2', '2026-11-26 09:00', 31.235, 121.505, 'phone-2'),
	   ('P2', '2026-11-26 09:10', 30.5, 121.0, 'phone-2'),
	   ('P2', '2026-11-27 09:00', 30.5, 121.0, 'phone-9');
SELECT punched_at, verdict, risk, alert_kinds FROM hrguard.punch
 WHERE employee_id = 'P2' AND punched_at >= '2026-11-26' AND punched_at < '2026-11-28'
 ORDER BY punched_at;
-- a device first seen earlier in the statement is new only there; the
-- same position twice on one day is no repeat (rolled back)
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P2', '2026-11-28 10:00', 30.6, 121.1, 'phone-7'),
	   ('P2', '2026-11-28 10:30', 30.6, 121.1, 'phone-7');
SELECT punched_at, risk FROM hrguard.punch
 WHERE employee_id = 'P2' AND punched_at >= '2026-11-28' AND punched_at < '2026-11-29'
 ORDER BY punched_at;
ROLLBACK;
-- the same before every punch of the employee (a backfill): no earlier
-- punch, so no new device (rolled back)
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P2', '2026-11-20 10:00', 30.6, 121.1, 'phone-7'),
	   ('P2', '2026-11-20 10:30', 30.6, 121.1, 'phone-7');
SELECT punched_at, risk FROM hrguard.punch
 WHERE employee_id = 'P2' AND punched_at >= '2026-11-20' AND punched_at < '2026-11-21'
 ORDER BY punched_at;
ROLLBACK;

-- an alert's reasons give the position to 7 decimals, rounded as the
-- evidence entry rounds it, south and west of the equator too (rolled back)
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
VALUES ('P1', '2026-11-24 22:00', -33.86881234567, -151.20934765432);
SELECT count(*) AS alerts_with_position,
	   count(*) FILTER (WHERE (a.reasons ->> 'lat')::numeric = round(p.lat::numeric, 7)
						AND (a.reasons ->> 'lon')::numeric = round(p.lon::numeric, 7)
						AND a.reasons ->> 'lat' ~ '^-?[0-9]+\.[0-9]{7}$') AS rounded_to_7
  FROM hrguard.alert a JOIN hrguard.punch p USING (punch_id)
 WHERE a.reasons ? 'lat' AND a.employee_id LIKE 'P%';
SELECT reasons ->> 'lat' AS lat, reasons ->> 'lon' AS lon
  FROM hrguard.alert a JOIN hrguard.punch p USING (punch_id)
 WHERE p.lat < 0 AND a.employee_id = 'P1' LIMIT 1;
ROLLBACK;

-- the views
SELECT alert_id - :alert0 AS alert_id, employee_id, display_name, kind, severity, status
  FROM hrguard.open_alerts WHERE employee_id LIKE 'P%' ORDER BY alert_id;
SELECT employee_id, alerts, priority, alert, watch, outside_zone, competitor_zone,
	   competitor_pattern, off_hours, impossible_travel, spoof_suspected
  FROM hrguard.employee_risk WHERE employee_id LIKE 'P%' ORDER BY employee_id;
SELECT employee_id, zone_name, iso_week, days, punches, visit_days
  FROM hrguard.competitor_visits WHERE employee_id LIKE 'P%' ORDER BY employee_id, iso_week;
UPDATE hrguard.alert SET status = 'dismissed' WHERE kind = 'off_hours' AND employee_id LIKE 'P%';
SELECT count(*) AS open_off_hours FROM hrguard.open_alerts WHERE kind = 'off_hours' AND employee_id LIKE 'P%';
UPDATE hrguard.alert SET status = 'closed' WHERE alert_id = :alert0 + 1;
\echo :LAST_ERROR_SQLSTATE

-- savepoints: a failed punch leaves the transaction usable, and alerts of
-- a punch rolled back to a savepoint go with it
SELECT count(*) AS alerts_before FROM hrguard.alert WHERE employee_id LIKE 'P%';
BEGIN;
SAVEPOINT before_bad;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P2', '2026-11-26 11:00', 91, 121.4);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT before_bad;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P2', '2026-11-26 11:30', 31.235, 121.505);
SAVEPOINT before_alert;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P2', '2026-11-26 11:40', 31.22, 121.47);
SELECT count(*) AS alerts_inside_savepoint FROM hrguard.alert WHERE employee_id LIKE 'P%';
ROLLBACK TO SAVEPOINT before_alert;
COMMIT;
SELECT punched_at, verdict, alert_kinds FROM hrguard.punch
 WHERE employee_id = 'P2' AND punched_at BETWEEN '2026-11-26 11:00' AND '2026-11-26 12:00'
 ORDER BY punched_at;
SELECT count(*) AS alerts_after FROM hrguard.alert WHERE employee_id LIKE 'P%';

-- every stored punch and every alert has its entry in the employee's chain;
-- the punch row records its seq; the duplicate skipped by ON CONFLICT has none
SELECT p.employee_id, count(*) AS punches,
	   count(*) FILTER (WHERE e.kind = 'punch'
						AND (convert_from(e.canon, 'UTF8')::jsonb #>> '{p,punch_id}')::bigint = p.punch_id) AS with_entry
  FROM hrguard.punch p
  LEFT JOIN hrguard.evidence e ON e.employee_id = p.employee_id AND e.seq = p.evidence_seq
 WHERE p.employee_id LIKE 'P%'
 GROUP BY 1 ORDER BY 1;
SELECT a.employee_id, count(*) AS alerts,
	   (SELECT count(*) FROM hrguard.evidence e WHERE e.employee_id = a.employee_id AND e.kind = 'alert') AS alert_entries
  FROM hrguard.alert a WHERE a.employee_id LIKE 'P%' GROUP BY 1 ORDER BY 1;
SELECT pg_temp.own_ids(convert_from(canon, 'UTF8')::jsonb -> 'p', :punch0, :zone0) AS punch_entry
  FROM hrguard.evidence e JOIN hrguard.punch p ON p.employee_id = e.employee_id AND p.evidence_seq = e.seq
 WHERE p.punch_id = :punch0 + 2;
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id LIKE 'P%' ORDER BY 1;

-- the entries of punches and alerts are written as canonical bytes
-- directly: each is exactly what the canonicalizer makes of it, also with
-- quotes, a backslash, control characters and Chinese in a device id
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id, source_record_id)
VALUES ('P2', '2026-11-26 13:00', 31.22, 121.47, E'前台 "A"\\b\x01\t', 'rec "1"');
SELECT strpos(convert_from(canon, 'UTF8'), '"device_id":"前台 \"A\"\\b\u0001\t"') > 0 AS escaped,
	   convert_from(canon, 'UTF8')::jsonb #>> '{p,device_id}' = E'前台 "A"\\b\x01\t' AS same_text
  FROM hrguard.evidence WHERE employee_id = 'P2' AND kind = 'punch'
 ORDER BY seq DESC LIMIT 1;
SELECT kind, count(*) AS entries,
	   count(*) FILTER (WHERE hrguard.canonical_json(convert_from(canon, 'UTF8')) = canon) AS canonical
  FROM hrguard.evidence WHERE kind IN ('punch', 'alert') AND employee_id LIKE 'P%' GROUP BY 1 ORDER BY 1;
-- every entry has its own 128-bit nonce
SELECT count(*) = count(DISTINCT convert_from(canon, 'UTF8')::jsonb ->> 'n') AS nonces_distinct,
	   bool_and(convert_from(canon, 'UTF8')::jsonb ->> 'n' ~ '^[0-9a-f]{32}$') AS nonces_128_bits
  FROM hrguard.evidence;
ROLLBACK;

-- the previous punch of a row in a multi-row statement: a punch in the
-- table between the statement's rows counts; when the table holds nothing
-- later, the statement's own previous row does
BEGIN;
INSERT INTO hrguard.employee (employee_id, team) VALUES ('P3', 'punch east');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('P3', '2026-11-26 10:00', 31.235, 121.505);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
VALUES ('P3', '2026-11-26 09:00', 31.9, 121.47), ('P3', '2026-11-26 10:20', 31.9, 121.47);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
VALUES ('P3', '2026-11-26 11:00', 31.9, 121.47), ('P3', '2026-11-26 11:05', 31.235, 121.505);
SELECT punched_at, verdict, 'impossible_travel' = ANY (alert_kinds) AS impossible_travel,
	   risk -> 'impossible_travel' ->> 'previous_punch_at' AS previous_punch_at
  FROM hrguard.punch WHERE employee_id = 'P3' ORDER BY punched_at;
ROLLBACK;

-- the punch before another is looked for in the week before it, then
-- further back: a punch 111 days after the last one has that one as its
-- previous punch (so the employee has a history, and a device unused for
-- longer than the lookback is new); a late arrival finds the punch
-- before it, not the latest (rolled back)
BEGIN;
INSERT INTO hrguard.employee (employee_id, team) VALUES ('P4', 'punch east');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P4', '2026-08-01 10:00', 39.9, 116.4, 'phone-4');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P4', '2026-11-20 10:00', 31.235, 121.505, 'phone-4');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P4', '2026-11-20 10:30', 39.9, 116.4, 'phone-4');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('P4', '2026-08-01 10:20', 31.235, 121.505, 'phone-4');
SELECT punched_at, 'impossible_travel' = ANY (alert_kinds) AS impossible_travel,
	   risk -> 'impossible_travel' ->> 'previous_punch_at' AS previous_punch_at,
	   risk ? 'new_device' AS new_device
  FROM hrguard.punch WHERE employee_id = 'P4' ORDER BY punched_at;
ROLLBACK;

-- a large statement writes its evidence as it goes (every 4096 entries):
-- every punch and alert of 6,000 rows has its entry and the chains verify;
-- one that fails at its last row leaves nothing behind
BEGIN;
INSERT INTO hrguard.employee (employee_id, team) SELECT 'B' || g, 'punch east' FROM generate_series(1, 3) g;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
SELECT 'B' || (1 + g % 3), '2026-11-20 08:00+08'::timestamptz + g * interval '1 minute',
	   31.235 + (g % 2) * 0.05, 121.505
  FROM generate_series(1, 6000) g;
SELECT count(*) AS punches,
	   count(*) FILTER (WHERE e.kind = 'punch') AS with_entry,
	   (SELECT count(*) FROM hrguard.alert WHERE employee_id LIKE 'B%') AS alerts,
	   (SELECT count(*) FROM hrguard.evidence WHERE employee_id LIKE 'B%' AND kind = 'alert') AS alert_entries
  FROM hrguard.punch p
  LEFT JOIN hrguard.evidence e ON e.employee_id = p.employee_id AND e.seq = p.evidence_seq
 WHERE p.employee_id LIKE 'B%';
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id LIKE 'B%' ORDER BY 1;
SAVEPOINT before_failing;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
SELECT 'B1', '2026-11-21 08:00+08'::timestamptz + g * interval '1 minute',
	   CASE WHEN g = 6000 THEN 91 ELSE 31.235 END, 121.505
  FROM generate_series(1, 6000) g;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT before_failing;
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id LIKE 'B%' ORDER BY 1;
SELECT hrguard.record_evidence('B1', 'note', '{"after": "the failed statement"}', now()) AS next_seq;
ROLLBACK;

-- with another index on chain_head, heads are locked and advanced in SQL
-- instead (chain_head.c leaves them alone): the chains still verify
BEGIN;
CREATE INDEX chain_head_updated_idx ON hrguard.chain_head (updated_at);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
VALUES ('P1', '2026-11-26 15:00', 31.235, 121.505), ('P2', '2026-11-26 15:00', 31.235, 121.505);
SELECT employee_id, ok, entries > 0 AS has_entries FROM hrguard.verify_all()
 WHERE employee_id IN ('P1', 'P2') ORDER BY 1;
SELECT h.employee_id, h.seq = (SELECT max(seq) FROM hrguard.evidence e WHERE e.employee_id = h.employee_id) AS head_at_end
  FROM hrguard.chain_head h WHERE h.employee_id IN ('P1', 'P2') ORDER BY 1;
ROLLBACK;

-- a punch whose id is beyond the canonical integers (2^53 - 1) cannot be
-- recorded as evidence: 22003, and nothing is written
INSERT INTO hrguard.punch (punch_id, employee_id, punched_at, lat, lon)
OVERRIDING SYSTEM VALUE VALUES (9007199254740992, 'P1', '2026-11-26 16:00', 31.235, 121.505);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS stored FROM hrguard.punch WHERE punch_id = 9007199254740992;
