-- detection_rules: the boundaries of the detection rules as the README
-- states them, one case each.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

-- a zone's own schedule that names no time zone is read in
-- hrguard.default_timezone, whoever punches: the same client site at the
-- same instant is open for a Shanghai and an Urumqi employee alike
INSERT INTO hrguard.schedule (name) VALUES ('dr client hours');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, 2, '14:00', '16:00' FROM hrguard.schedule WHERE name = 'dr client hours';
INSERT INTO hrguard.employee (employee_id, team, timezone)
VALUES ('DR-SH', 'dr team', 'Asia/Shanghai'), ('DR-UR', 'dr team', 'Asia/Urumqi');
INSERT INTO hrguard.zone (name, kind, center, radius_m, schedule_id)
SELECT 'dr client', 'client', ST_SetSRID(ST_MakePoint(121.47, 31.23), 4326), 200, schedule_id
  FROM hrguard.schedule WHERE name = 'dr client hours';
INSERT INTO hrguard.zone_assignment (zone_id, team)
SELECT zone_id, 'dr team' FROM hrguard.zone WHERE name = 'dr client';
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m)
VALUES ('DR-SH', '2026-11-10 14:30+08', 31.23, 121.47, 10), ('DR-UR', '2026-11-10 14:30+08', 31.23, 121.47, 10);
SELECT employee_id, verdict, alert_kinds FROM hrguard.punch WHERE employee_id LIKE 'DR-%' ORDER BY 1;
-- the window is [14:00, 16:00) in Shanghai, without grace, for both
SELECT e, t, (hrguard.classify_point(e, t, 31.23, 121.47, 10, 'wgs84')).verdict
  FROM unnest(ARRAY['DR-SH', 'DR-UR']) e,
	   unnest(ARRAY['2026-11-10 13:59:59+08', '2026-11-10 14:00:00+08',
					'2026-11-10 15:59:59+08', '2026-11-10 16:00:00+08']::timestamptz[]) t
 ORDER BY 1, 2;
-- and in the setting's zone when it changes
SET hrguard.default_timezone = 'Asia/Urumqi';
SELECT (hrguard.classify_point('DR-SH', '2026-11-10 14:30+08', 31.23, 121.47, 10, 'wgs84')).verdict AS at_1230_urumqi,
	   (hrguard.classify_point('DR-SH', '2026-11-10 16:30+08', 31.23, 121.47, 10, 'wgs84')).verdict AS at_1430_urumqi;
RESET hrguard.default_timezone;

-- impossible travel is measured from the latest punch with a position: a
-- punch without one in between (or two) does not hide a jump, in one
-- statement or across statements
INSERT INTO hrguard.employee (employee_id) VALUES ('DR-T1'), ('DR-T2'), ('DR-T3');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
	('DR-T1', '2026-11-11 10:00+08', 31.23, 121.47, 10);
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('DR-T1', '2026-11-11 10:02+08');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
	('DR-T1', '2026-11-11 10:05+08', 31.50, 121.47, 10);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
	('DR-T2', '2026-11-11 10:00+08', 31.23, 121.47, 10),
	('DR-T2', '2026-11-11 10:02+08', NULL, NULL, NULL),
	('DR-T2', '2026-11-11 10:05+08', 31.50, 121.47, 10);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
	('DR-T3', '2026-11-11 10:00+08', 31.23, 121.47, 10);
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('DR-T3', '2026-11-11 10:01+08'), ('DR-T3', '2026-11-11 10:02+08');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
	('DR-T3', '2026-11-11 10:05+08', 31.50, 121.47, 10);
SELECT employee_id, punched_at, risk -> 'impossible_travel' ->> 'previous_punch_at' AS travelled_from,
	   coalesce('impossible_travel' = ANY (alert_kinds), false) AS flagged
  FROM hrguard.punch WHERE employee_id LIKE 'DR-T%' ORDER BY 1, 2;

-- The rules below run in a tenant of their own, so that its calendar and
-- competitor zones touch no other employee.
INSERT INTO hrguard.employee (employee_id, tenant_id, team)
VALUES ('DR-C1', 'dr', 'dr field'), ('DR-C2', 'dr', 'dr field'), ('DR-C3', 'dr', 'dr field');
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m, organisation, valid) VALUES
	('dr', 'dr rival north', 'competitor', ST_SetSRID(ST_MakePoint(121.40, 31.30), 4326), 120, 'Rival Co', NULL),
	('dr', 'dr rival south', 'competitor', ST_SetSRID(ST_MakePoint(121.40, 31.10), 4326), 120, 'Rival Co', NULL),
	('dr', 'dr lone shop', 'competitor', ST_SetSRID(ST_MakePoint(121.60, 31.30), 4326), 120, NULL, NULL),
	('dr', 'dr other rival', 'competitor', ST_SetSRID(ST_MakePoint(121.60, 31.10), 4326), 120, 'Other Co', NULL),
	('dr', 'dr closed rival', 'competitor', ST_SetSRID(ST_MakePoint(121.50, 31.50), 4326), 120, NULL,
	 tstzrange(NULL, '2026-11-01 00:00+08'));
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m, schedule_id)
SELECT 'dr', 'dr client', 'client', ST_SetSRID(ST_MakePoint(121.50, 31.20), 4326), 200, schedule_id
  FROM hrguard.schedule WHERE name = 'dr client hours';
INSERT INTO hrguard.zone_assignment (zone_id, team)
SELECT zone_id, 'dr field' FROM hrguard.zone WHERE tenant_id = 'dr' AND kind = 'client';
-- Tuesday 2026-12-08 is a holiday of the tenant; Saturday 2026-12-12 works like a Tuesday
INSERT INTO hrguard.calendar_day (tenant_id, day, is_workday, works_like)
VALUES ('dr', '2026-12-08', false, NULL), ('dr', '2026-12-12', true, 2);

-- the competitor pattern counts days per organisation: three days split
-- between two zones of Rival Co make a pattern; a zone without an
-- organisation counts alone, and another organisation's zone is another
-- rival.  A pattern within a window of an episode of the same rival
-- extends it (no second alert); one more than a window after starts a new
-- episode.
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
	('DR-C1', '2026-11-02 10:00+08', 31.30, 121.40, 10),
	('DR-C1', '2026-11-03 10:00+08', 31.10, 121.40, 10),
	('DR-C1', '2026-11-04 10:00+08', 31.30, 121.40, 10),
	('DR-C1', '2026-11-06 10:00+08', 31.10, 121.40, 10),
	('DR-C1', '2026-11-20 10:00+08', 31.10, 121.40, 10),
	('DR-C1', '2026-11-23 10:00+08', 31.30, 121.40, 10),
	('DR-C1', '2026-11-24 10:00+08', 31.30, 121.40, 10),
	('DR-C2', '2026-11-02 10:00+08', 31.30, 121.60, 10),
	('DR-C2', '2026-11-03 10:00+08', 31.10, 121.60, 10),
	('DR-C2', '2026-11-04 10:00+08', 31.30, 121.60, 10);
SELECT employee_id, occurred_at, reasons ->> 'organisation' AS organisation, reasons -> 'days' AS days,
	   jsonb_array_length(reasons -> 'zones') AS zones
  FROM hrguard.alert WHERE employee_id LIKE 'DR-C%' AND kind = 'competitor_pattern' ORDER BY 1, 2;
SELECT employee_id, count(*) AS competitor_zone_alerts
  FROM hrguard.alert WHERE employee_id LIKE 'DR-C%' AND kind = 'competitor_zone' GROUP BY 1 ORDER BY 1;

-- a competitor zone is watched while it is in force; a punch only
-- possibly inside one (93 m outside a 120 m circle, 120 m accuracy) sets
-- watched_zone_id but raises no competitor_zone alert
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
	('DR-C3', '2026-11-02 10:00+08', 31.50, 121.50, 10),
	('DR-C3', '2026-11-02 11:00+08', 31.30 + (120 + 93) / 111195.0, 121.40, 120);
SELECT punched_at, watched_zone_id IS NOT NULL AS watched, alert_kinds
  FROM hrguard.punch WHERE employee_id = 'DR-C3' ORDER BY punched_at;

-- a zone's schedule follows the tenant calendar: closed on a holiday,
-- open on a make-up day that works like a Tuesday
SELECT t, (hrguard.classify_point('DR-C3', t, 31.20, 121.50, 10, 'wgs84')).verdict
  FROM unnest(ARRAY['2026-12-01 14:30+08', '2026-12-08 14:30+08', '2026-12-12 14:30+08']::timestamptz[]) t
 ORDER BY 1;

-- the grace period widens an employee's window at both ends, half-open:
-- 09:00-18:00 counts as [08:30:00, 18:30:00)
SELECT t, (hrguard.classify_point('DR-SH', t, 31.23, 121.47, 10, 'wgs84')).off_hours
  FROM unnest(ARRAY['2026-11-10 08:29:59+08', '2026-11-10 08:30:00+08',
					'2026-11-10 18:29:59+08', '2026-11-10 18:30:00+08']::timestamptz[]) t
 ORDER BY 1;

-- impossible travel within one statement whose rows are out of time order:
-- the row at 01:59:59 is measured from the 01:00 row before it in time, not
-- from the 02:00 row before it in the statement (as across statements)
INSERT INTO hrguard.employee (employee_id) VALUES ('DR-O1'), ('DR-O2');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('DR-O1', '2026-01-05 01:00Z', 31.2, 121.5);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('DR-O1', '2026-01-05 02:00Z', 31.2, 121.5);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('DR-O1', '2026-01-05 01:59:59Z', 39.9, 116.4);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES
	('DR-O2', '2026-01-05 01:00Z', 31.2, 121.5),
	('DR-O2', '2026-01-05 02:00Z', 31.2, 121.5),
	('DR-O2', '2026-01-05 01:59:59Z', 39.9, 116.4);
SELECT employee_id, punched_at, risk -> 'impossible_travel' ->> 'previous_punch_at' AS travelled_from,
	   risk -> 'impossible_travel' ->> 'seconds' AS seconds
  FROM hrguard.punch WHERE employee_id IN ('DR-O1', 'DR-O2') ORDER BY 1, 2;

-- repeated coordinates count within the lookback on either side: a punch
-- loaded after a later one 151 days away is not flagged, one 30 days away
-- is; the same in one statement, and a punch centuries apart never
INSERT INTO hrguard.employee (employee_id) VALUES ('DR-L1'), ('DR-L2');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES ('DR-L1', '2026-06-01 01:00Z', 31, 121, 'd1');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES ('DR-L1', '2026-01-01 01:00Z', 31, 121, 'd1');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES ('DR-L1', '2026-05-02 01:00Z', 31, 121, 'd1');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES
	('DR-L2', '2026-06-01 01:00Z', 31, 121, 'd1'),
	('DR-L2', '1800-01-01 01:00Z', 31, 121, 'd1'),
	('DR-L2', '2026-01-01 01:00Z', 31, 121, 'd1'),
	('DR-L2', '2026-05-02 01:00Z', 31, 121, 'd1');
SELECT employee_id, punched_at, risk ? 'repeated_coordinates' AS repeated
  FROM hrguard.punch WHERE employee_id IN ('DR-L1', 'DR-L2') ORDER BY 1, 2;

-- the risk object repeats the raw coordinates exactly as stored, to the
-- last digit a float8 holds, whatever extra_float_digits says
INSERT INTO hrguard.employee (employee_id) VALUES ('DR-X1');
SET extra_float_digits = -15;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES
	('DR-X1', '2026-02-02 01:00Z', 31.198765432101234, 121.49876543210987),
	('DR-X1', '2026-02-03 01:00Z', 31.198765432101234, 121.49876543210987);
RESET extra_float_digits;
SELECT punched_at, risk -> 'repeated_coordinates' AS repeated,
	   (risk #>> '{repeated_coordinates,raw_lat}')::float8 = raw_lat AS lat_exact,
	   (risk #>> '{repeated_coordinates,raw_lon}')::float8 = raw_lon AS lon_exact
  FROM hrguard.punch WHERE employee_id = 'DR-X1' ORDER BY punched_at;

-- new_device counts only uses within the lookback before the punch, in one
-- statement as across statements: a device last used 120 days before is
-- new again, and a use that is later in time does not count
INSERT INTO hrguard.employee (employee_id) VALUES ('DR-D1'), ('DR-D2'), ('DR-D3');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES ('DR-D1', '2026-01-01 09:00+08', 31.2, 121.4, 'd');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES ('DR-D1', '2026-05-01 09:00+08', 31.2, 121.4, 'd');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES
	('DR-D2', '2026-01-01 09:00+08', 31.2, 121.4, 'd'),
	('DR-D2', '2026-05-01 09:00+08', 31.2, 121.4, 'd');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES
	('DR-D3', '2026-01-01 09:00+08', 31.2, 121.4, 'other'),
	('DR-D3', '2026-06-01 09:00+08', 31.2, 121.4, 'old');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) VALUES
	('DR-D3', '2026-01-02 09:00+08', 31.2, 121.4, 'old');
SELECT employee_id, punched_at, device_id, risk ->> 'new_device' AS new_device
  FROM hrguard.punch WHERE employee_id LIKE 'DR-D%' ORDER BY 1, 2;

-- the lookback's bound is the same in one statement and across statements:
-- with a lookback of one day, a punch exactly one day after the last one
-- with a position is measured from it across a punch without a position
SET hrguard.risk_lookback_days = 1;
INSERT INTO hrguard.employee (employee_id) VALUES ('DR-B1'), ('DR-B2');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('DR-B1', '2026-01-05 09:00+08', 31.2, 121.4);
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('DR-B1', '2026-01-05 20:00+08');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('DR-B1', '2026-01-06 09:00+08', 51.5, -0.1);
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES
	('DR-B2', '2026-01-05 09:00+08', 31.2, 121.4),
	('DR-B2', '2026-01-05 20:00+08', NULL, NULL),
	('DR-B2', '2026-01-06 09:00+08', 51.5, -0.1);
RESET hrguard.risk_lookback_days;
SELECT employee_id, punched_at, risk -> 'impossible_travel' ->> 'previous_punch_at' AS travelled_from
  FROM hrguard.punch WHERE employee_id LIKE 'DR-B%' ORDER BY 1, 2;
