-- verified_hours: working windows under schedules and the tenant calendar,
-- and the hours an employee's evidence shows within them, day by day.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id, tenant_id, team) VALUES ('VH1', 'vh', 'vh team');
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m) VALUES
	('vh', 'vh office', 'office', ST_SetSRID(ST_MakePoint(121.47, 31.23), 4326), 200);
INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at) VALUES ('vh-c1', 'vh', 'VH Client', '2026-01-01 00:00+08');
INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m, customer_id) VALUES
	('vh', 'vh client site', 'client', ST_SetSRID(ST_MakePoint(121.50, 31.20), 4326), 150, 'vh-c1');
INSERT INTO hrguard.zone_assignment (zone_id, team) SELECT zone_id, 'vh team' FROM hrguard.zone WHERE tenant_id = 'vh';
-- Saturday 2026-11-07 is a make-up working day of the tenant
INSERT INTO hrguard.calendar_day (tenant_id, day, is_workday, works_like) VALUES ('vh', '2026-11-07', true, 1);

INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type) VALUES
	-- Monday: in at the office before 09:00, out at 17:30
	('VH1', '2026-11-02 08:50+08', 31.23, 121.47, 10, 'on_duty'),
	('VH1', '2026-11-02 17:30+08', 31.23, 121.47, 10, 'off_duty'),
	-- Tuesday: in from far away (not verified), out at 18:00
	('VH1', '2026-11-03 09:30+08', 30.00, 120.00, 10, 'on_duty'),
	('VH1', '2026-11-03 18:00+08', 31.23, 121.47, 10, 'off_duty'),
	-- Wednesday: a visit punch at the client's site
	('VH1', '2026-11-04 10:00+08', 31.20, 121.50, 10, 'visit'),
	-- Thursday: on leave, punching anyway
	('VH1', '2026-11-05 09:00+08', 31.23, 121.47, 10, 'on_duty'),
	('VH1', '2026-11-05 18:00+08', 31.23, 121.47, 10, 'off_duty'),
	-- Friday: 08:00 to 20:00, clipped to the window
	('VH1', '2026-11-06 08:00+08', 31.23, 121.47, 10, 'on_duty'),
	('VH1', '2026-11-06 20:00+08', 31.23, 121.47, 10, 'off_duty'),
	-- Saturday, a make-up day: 10:00 to 12:00
	('VH1', '2026-11-07 10:00+08', 31.23, 121.47, 10, 'on_duty'),
	('VH1', '2026-11-07 12:00+08', 31.23, 121.47, 10, 'off_duty');
-- Tuesday: a CRM visit 14:00-15:00
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at)
VALUES ('vh-v1', 'VH1', 'vh-c1', '2026-11-03 14:00+08', '2026-11-03 15:00+08');
INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, approved_at)
VALUES ('vh-l1', 'VH1', '2026-11-05 00:00+08', '2026-11-06 00:00+08', '2026-10-30 10:00+08');
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours)
VALUES ('VH1', '2026-11-02', '2026-11-02 20:00+08', 10);

SELECT * FROM hrguard.verified_hours('VH1', '2026-11-02', '2026-11-08');
-- the same under another session time zone and date style
SET timezone = 'America/New_York';
SET DateStyle = 'SQL, DMY';
SELECT sum(verified_hours) AS verified, sum(scheduled_hours) AS scheduled
  FROM hrguard.verified_hours('VH1', '2026-11-02', '2026-11-08');
RESET DateStyle;
SET timezone = 'Asia/Shanghai';

-- windows past midnight and ending at 24:00, in the schedule's time zone
INSERT INTO hrguard.schedule (name, timezone) VALUES ('vh nights', 'Asia/Urumqi');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, 1, '22:00'::time, '06:00'::time FROM hrguard.schedule WHERE name = 'vh nights'
UNION ALL
SELECT schedule_id, 2, '18:00', '24:00' FROM hrguard.schedule WHERE name = 'vh nights';
INSERT INTO hrguard.employee (employee_id, tenant_id, team, schedule_id)
SELECT 'VH2', 'vh', 'vh team', schedule_id FROM hrguard.schedule WHERE name = 'vh nights';
SELECT day, lower(during), upper(during) FROM hrguard.work_windows('VH2', '2026-11-02', '2026-11-04');

-- no evidence, no schedule, an unknown employee: defined results
SELECT count(*) AS days, sum(verified_hours) AS verified
  FROM hrguard.verified_hours('VH2', '2026-11-02', '2026-11-08');
SELECT count(*) AS unknown_employee_days FROM hrguard.work_windows('NOBODY', '2026-11-02', '2026-11-08');
