-- facts: punches and alerts are never deleted, truncated or rewritten, not
-- even under session_replication_role = replica; an alert's status and
-- case change, and each change is recorded in the employee's chain.
\set VERBOSITY terse
SET client_min_messages = warning;
SET timezone = 'Asia/Shanghai';
INSERT INTO hrguard.employee (employee_id) VALUES ('FX1');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('FX1', '2026-11-22 03:00+08', 31.2, 121.4);
SELECT count(*) AS punches, (SELECT count(*) FROM hrguard.alert WHERE employee_id = 'FX1') AS alerts
  FROM hrguard.punch WHERE employee_id = 'FX1';

DELETE FROM hrguard.punch WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.punch SET lat = 0 WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.punch;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.alert WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.alert;
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.alert SET reasons = '{}' WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.alert SET severity = 'priority', status = 'dismissed' WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
SET session_replication_role = replica;
DELETE FROM hrguard.punch WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
UPDATE hrguard.punch SET lat = 0 WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.alert WHERE employee_id = 'FX1';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.punch;
\echo :LAST_ERROR_SQLSTATE
RESET session_replication_role;

-- status and case change, and leave an entry each; no change, no entry
SELECT count(*) AS entries_before FROM hrguard.evidence WHERE employee_id = 'FX1';
UPDATE hrguard.alert SET status = 'acknowledged' WHERE employee_id = 'FX1';
UPDATE hrguard.alert SET status = 'escalated', case_id = 7 WHERE employee_id = 'FX1';
UPDATE hrguard.alert SET status = status WHERE employee_id = 'FX1';
SELECT seq, kind, (convert_from(canon, 'UTF8')::jsonb -> 'p') - '{alert_id,changed_by}'::text[] AS change,
	   convert_from(canon, 'UTF8')::jsonb -> 'p' ->> 'changed_by' = current_user AS by_me
  FROM hrguard.evidence WHERE employee_id = 'FX1' AND kind = 'alert_status' ORDER BY seq;
SELECT ok, entries FROM hrguard.verify_chain('FX1');
SELECT count(*) AS punches, (SELECT count(*) FROM hrguard.alert WHERE employee_id = 'FX1') AS alerts
  FROM hrguard.punch WHERE employee_id = 'FX1';
-- an application may not write that kind itself
SELECT hrguard.record_evidence('FX1', 'alert_status', '{}', '2026-11-22 04:00+08');
\echo :LAST_ERROR_SQLSTATE

-- completeness, over everything the earlier tests recorded: every punch and
-- alert has an entry that says what its row says, and no entry claims a
-- row that is not there
SELECT * FROM hrguard.verify_facts();
-- what a superuser who disables the guards does is named
ALTER TABLE hrguard.punch DISABLE TRIGGER punch_keep;
ALTER TABLE hrguard.alert DISABLE TRIGGER alert_keep;
UPDATE hrguard.punch SET device_id = 'forged' WHERE employee_id = 'FX1';
DELETE FROM hrguard.alert WHERE employee_id = 'FX1';
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_keep;
ALTER TABLE hrguard.alert ENABLE ALWAYS TRIGGER alert_keep;
SELECT fact, employee_id, seq, problem FROM hrguard.verify_facts();
