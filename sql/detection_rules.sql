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
