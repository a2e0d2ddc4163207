-- employee: the registry table, its defaults and one line per bad value.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

INSERT INTO hrguard.employee (employee_id, display_name, team, role, hired_on,
							  dingtalk_userid, wecom_userid)
VALUES ('E001', 'Li Wei', 'east', 'sales', '2024-03-01', 'dt-li', 'wc-li'),
	   ('E002', 'Wang Fang', 'east', 'sales', '2025-01-06', 'dt-wang', NULL);
INSERT INTO hrguard.employee (employee_id, tenant_id, work_mode, timezone)
VALUES ('E100', 'acme', 'office', 'Europe/Berlin');

-- the time zone default follows hrguard.default_timezone
SET hrguard.default_timezone = 'Asia/Urumqi';
INSERT INTO hrguard.employee (employee_id) VALUES ('E003');
RESET hrguard.default_timezone;
INSERT INTO hrguard.employee (employee_id) VALUES ('E004');

-- (the employees of this file: their ids all start with E)
SELECT employee_id, tenant_id, display_name, team, role, work_mode, timezone,
	   hired_on, left_on, dingtalk_userid, wecom_userid
  FROM hrguard.employee WHERE employee_id LIKE 'E%' ORDER BY employee_id;

-- bad values, one statement each, each followed by its SQLSTATE
INSERT INTO hrguard.employee (employee_id) VALUES (NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id) VALUES ('');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id) VALUES ('   ');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id) VALUES ('E001');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, tenant_id) VALUES ('E900', '');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, tenant_id) VALUES ('E900', NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, work_mode) VALUES ('E900', 'hybrid');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, work_mode) VALUES ('E900', 'Field');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, work_mode) VALUES ('E900', NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, timezone) VALUES ('E900', 'Mars/Olympus');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, timezone) VALUES ('E900', '');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, hired_on, left_on) VALUES ('E900', '2025-05-01', '2025-04-30');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, dingtalk_userid) VALUES ('E900', 'dt-li');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, dingtalk_userid) VALUES ('E900', ' ');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, wecom_userid) VALUES ('E900', 'wc-li');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id, wecom_userid) VALUES ('E900', '');
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.employee SET work_mode = 'nomad' WHERE employee_id = 'E001';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.employee SET left_on = '2020-01-01' WHERE employee_id = 'E001';
\echo :LAST_ERROR_SQLSTATE

-- a multi-row insert with one bad row writes nothing
INSERT INTO hrguard.employee (employee_id, work_mode)
VALUES ('E901', 'field'), ('E902', 'bogus');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS half_written FROM hrguard.employee WHERE employee_id IN ('E901', 'E902');

-- the hrguard.* setting rejects unknown zones, and the prefix is reserved
SET hrguard.default_timezone = 'Nowhere/Special';
\echo :LAST_ERROR_SQLSTATE
SET hrguard.default_timezone = '';
\echo :LAST_ERROR_SQLSTATE
SET hrguard.default_timzone = 'UTC';
\echo :LAST_ERROR_SQLSTATE
SHOW hrguard.default_timezone;

-- an employee who leaves keeps the record
UPDATE hrguard.employee SET left_on = '2026-06-30' WHERE employee_id = 'E002';
SELECT employee_id, hired_on, left_on FROM hrguard.employee
 WHERE left_on IS NOT NULL AND employee_id LIKE 'E%' ORDER BY employee_id;
