-- schedule: working windows in local time, windows across midnight, public
-- holidays and make-up working days, zone opening hours and validity.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

INSERT INTO hrguard.schedule (name) VALUES ('day shift'), ('night shift');
INSERT INTO hrguard.schedule (name, timezone) VALUES ('client visits', 'Asia/Shanghai');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT s.schedule_id, d, w.s, w.e
  FROM hrguard.schedule s, generate_series(1, 5) d,
	   (VALUES (time '09:00', time '12:00'), (time '13:00', time '18:00')) w(s, e)
 WHERE s.name = 'day shift';
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, 6, '22:00', '06:00' FROM hrguard.schedule WHERE name = 'night shift';
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, d, '09:00', '11:00' FROM hrguard.schedule, generate_series(1, 5) d
 WHERE name = 'client visits';

-- 2026-10-01 (Thursday) is a holiday; 2026-10-10 (Saturday) a make-up working day
INSERT INTO hrguard.calendar_day (day, is_workday, name) VALUES
	('2026-10-01', false, 'National Day'),
	('2026-10-10', true, 'make-up working day');

INSERT INTO hrguard.employee (employee_id, schedule_id, timezone)
SELECT 'S-day', schedule_id, 'Asia/Shanghai' FROM hrguard.schedule WHERE name = 'day shift';
INSERT INTO hrguard.employee (employee_id, schedule_id)
SELECT 'S-night', schedule_id FROM hrguard.schedule WHERE name = 'night shift';
INSERT INTO hrguard.employee (employee_id) VALUES ('S-default');
INSERT INTO hrguard.employee (employee_id, timezone) VALUES ('S-berlin', 'Europe/Berlin');

-- off_hours at local times (the instants are written in UTC+8 or UTC+2),
-- first with exact windows, then with the default 30 minutes of grace
SET hrguard.off_hours_grace_minutes = 0;
SELECT e AS employee, at, c.local_time, c.off_hours
  FROM (VALUES ('S-day', timestamptz '2026-10-08 10:00+08'),	-- Thursday morning
			   ('S-day', '2026-10-08 12:30+08'),				-- lunch break
			   ('S-day', '2026-10-08 17:59:59+08'),
			   ('S-day', '2026-10-08 18:00+08'),				-- end is exclusive
			   ('S-day', '2026-10-01 10:00+08'),				-- holiday
			   ('S-day', '2026-10-10 10:00+08'),				-- make-up Saturday works like Monday
			   ('S-day', '2026-10-11 10:00+08'),				-- ordinary Sunday
			   ('S-night', '2026-10-17 23:00+08'),				-- Saturday night
			   ('S-night', '2026-10-18 05:59+08'),				-- Sunday, before the window ends
			   ('S-night', '2026-10-18 06:00+08'),
			   ('S-night', '2026-10-17 21:59+08'),
			   ('S-default', '2026-10-09 09:00+08'),			-- default: Mon-Fri 09-18
			   ('S-default', '2026-10-09 08:59+08'),
			   ('S-default', '2026-10-01 10:00+08'),			-- the tenant's holiday applies too
			   ('S-berlin', '2026-10-09 09:30+02'),				-- 09:30 in Berlin
			   ('S-berlin', '2026-10-09 09:30+08')				-- 03:30 in Berlin
	   ) AS t(e, at),
	   LATERAL hrguard.classify_point(e, at, 0.5, 0.5) c
 ORDER BY e, at;
RESET hrguard.off_hours_grace_minutes;
SELECT e AS employee, at, c.local_time, c.off_hours
  FROM (VALUES ('S-day', timestamptz '2026-10-08 08:30+08'),	-- 30 minutes early
			   ('S-day', '2026-10-08 08:29+08'),
			   ('S-day', '2026-10-08 12:29+08'),				-- lunch, 29 minutes after
			   ('S-day', '2026-10-08 12:31+08'),				-- and 29 minutes before
			   ('S-day', '2026-10-08 18:29+08'),
			   ('S-day', '2026-10-08 18:30+08'),
			   ('S-night', '2026-10-17 21:30+08'),				-- before a window of the same day
			   ('S-night', '2026-10-18 06:29+08')) AS t(e, at),	-- after one of the day before
	   LATERAL hrguard.classify_point(e, at, 0.5, 0.5) c
 ORDER BY e, at;

-- a zone open only for client visits (09:00-11:00 Shanghai time), and a
-- zone that exists only during a project
INSERT INTO hrguard.zone (name, kind, center, radius_m, schedule_id)
SELECT 'client A', 'client', ST_SetSRID(ST_MakePoint(121.3, 31.1), 4326), 300, schedule_id
  FROM hrguard.schedule WHERE name = 'client visits';
INSERT INTO hrguard.zone (name, kind, center, radius_m, valid)
VALUES ('site B', 'project', ST_SetSRID(ST_MakePoint(121.6, 31.3), 4326), 300,
		'[2026-10-01 00:00+08, 2026-11-01 00:00+08)');
INSERT INTO hrguard.zone_assignment (zone_id, employee_id)
SELECT zone_id, 'S-day' FROM hrguard.zone WHERE name IN ('client A', 'site B');

SELECT place, at, c.verdict, c.zone_name
  FROM (VALUES ('client A', 31.1, 121.3, timestamptz '2026-10-08 10:30+08'),
			   ('client A', 31.1, 121.3, '2026-10-08 11:30+08'),
			   ('client A', 31.1, 121.3, '2026-10-01 10:30+08'),
			   ('site B', 31.3, 121.6, '2026-10-15 10:00+08'),
			   ('site B', 31.3, 121.6, '2026-11-01 00:00+08'),
			   ('site B', 31.3, 121.6, '2026-09-30 23:59+08')) AS p(place, lat, lon, at),
	   LATERAL hrguard.classify_point('S-day', at, p.lat, p.lon) c
 ORDER BY place, at;

-- invalid schedules and calendar days, each followed by its SQLSTATE
INSERT INTO hrguard.schedule (name) VALUES ('day shift');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.schedule (name, timezone) VALUES ('moon', 'Moon/Base');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, 8, '09:00', '10:00' FROM hrguard.schedule WHERE name = 'day shift';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, 6, '09:00', '09:00' FROM hrguard.schedule WHERE name = 'day shift';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at) VALUES (999999, 1, '09:00', '10:00');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.calendar_day (day, is_workday, works_like) VALUES ('2026-10-02', false, 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.calendar_day (day, is_workday, works_like) VALUES ('2026-10-03', true, 9);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.calendar_day (day, is_workday) VALUES ('2026-10-01', true);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, schedule_id) VALUES ('S-bad', 999999);
\echo :LAST_ERROR_SQLSTATE

-- remove what this file made (and only that: the database may hold others')
DELETE FROM hrguard.zone WHERE name IN ('client A', 'site B');
DELETE FROM hrguard.employee WHERE employee_id LIKE 'S-%';
DELETE FROM hrguard.calendar_day WHERE day IN ('2026-10-01', '2026-10-10');
DELETE FROM hrguard.schedule WHERE name IN ('day shift', 'night shift', 'client visits');
