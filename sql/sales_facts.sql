-- sales_facts: customers, visits, sales, daily reports and approved leave.
-- Bad input is refused with its SQLSTATE and nothing written; each stored
-- row has its evidence entry, in bulk, also through savepoints; the facts
-- are append-only; a visit punch in a customer's client zone is a visit.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id, team) VALUES ('SF1', 'sf team'), ('SF2', 'sf team');
INSERT INTO hrguard.customer (customer_id, name, created_at, created_by) VALUES
	('sf-c1', 'Acme Trading', '2026-10-01 09:00+08', 'SF1'),
	('sf-c2', 'Old Client', '2025-01-01 09:00+08', NULL);
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at) VALUES
	('sf-v1', 'SF1', 'sf-c1', '2026-11-02 10:00+08', '2026-11-02 11:00+08'),
	('sf-v2', 'SF2', 'sf-c2', '2026-11-03 14:00+08', '2026-11-03 14:30+08');
-- a sale to a customer missing from the master is stored: that is a signal
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount, visit_id) VALUES
	('sf-s1', 'SF1', 'sf-c1', '2026-11-05 16:00+08', 12000.50, 'sf-v1'),
	('sf-s2', 'SF1', 'sf-unknown', '2026-11-06 16:00+08', 80000, NULL),
	('sf-s3', 'SF2', 'sf-c2', '2026-11-06 17:00+08', 0, 'sf-v2');
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours, visits) VALUES
	('SF1', '2026-11-02', '2026-11-02 19:00+08', 8.5, '[{"customer": "sf-c1"}]'),
	('SF2', '2026-11-03', '2026-11-04 09:00+08', 7, NULL);
INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, kind, approved_at) VALUES
	('sf-l1', 'SF2', '2026-11-09 00:00+08', '2026-11-11 00:00+08', 'annual', '2026-11-01 10:00+08');

-- each row has its entry, in its employee's chain (a customer nobody
-- created in its tenant's)
SELECT employee_id, seq, kind, occurred_at FROM hrguard.evidence
 WHERE employee_id IN ('SF1', 'SF2') OR employee_id LIKE 'tenant:%' AND kind = 'customer'
 ORDER BY 1, 2;
SELECT employee_id, ok, entries FROM hrguard.verify_all() WHERE employee_id IN ('SF1', 'SF2') ORDER BY 1;
-- the payload is the row, every column by name
SELECT convert_from(canon, 'UTF8')::jsonb -> 'p' AS payload
  FROM hrguard.evidence WHERE employee_id = 'SF1' AND kind = 'sale' ORDER BY seq LIMIT 1;

-- bad input: each refused with its SQLSTATE, nothing written
SELECT count(*) AS entries_before FROM hrguard.evidence WHERE employee_id IN ('SF1', 'SF2') \gset
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-bad1', 'SF1', 'sf-c1', '2026-11-07 10:00+08', -1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-bad2', 'SF1', 'sf-c1', '2026-11-07 10:00+08', 'NaN');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-s1', 'SF1', 'sf-c1', '2026-11-07 10:00+08', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-bad3', 'NOBODY', 'sf-c1', '2026-11-07 10:00+08', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-bad4', 'SF1', 'sf-c1', 'infinity', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-bad5', 'SF1', NULL, '2026-11-07 10:00+08', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at) VALUES ('sf-bad6', 'SF1', 'sf-c1', '2026-11-07 11:00+08', '2026-11-07 10:00+08');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours) VALUES ('SF1', '2026-11-08', '2026-11-07 20:00+08', 8);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours) VALUES ('SF1', '2026-11-02', '2026-11-03 20:00+08', 8);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours) VALUES ('SF1', '2026-11-04', '2026-11-04 20:00+08', 25);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, approved_at) VALUES ('sf-bad7', 'SF1', '2026-11-09', '2026-11-09', '2026-11-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.customer (customer_id, name, created_at) VALUES ('sf-bad8', ' ', '2026-11-01');
\echo :LAST_ERROR_SQLSTATE
-- one bad row fails the whole multi-row statement
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES
	('sf-ok', 'SF1', 'sf-c1', '2026-11-07 10:00+08', 5), ('sf-bad9', 'SF1', 'sf-c1', '2026-11-07 10:00+08', -5);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) - :entries_before AS entries_written,
	   (SELECT count(*) FROM hrguard.sale WHERE sale_id LIKE 'sf-bad%' OR sale_id = 'sf-ok') AS bad_sales_stored
  FROM hrguard.evidence WHERE employee_id IN ('SF1', 'SF2');

-- facts are append-only
UPDATE hrguard.sale SET amount = 1 WHERE sale_id = 'sf-s1';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hrguard.visit WHERE visit_id = 'sf-v1';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.daily_report;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE hrguard.customer CASCADE;
\echo :LAST_ERROR_SQLSTATE

-- savepoints and exception blocks: only what is kept has an entry
BEGIN;
SAVEPOINT a;
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-s4', 'SF2', 'sf-c2', '2026-11-10 10:00+08', 10);
ROLLBACK TO a;
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-s5', 'SF2', 'sf-c2', '2026-11-10 11:00+08', 20);
COMMIT;
DO $$
BEGIN
	FOR i IN 6 .. 9 LOOP
		BEGIN
			INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount)
			VALUES ('sf-s' || i, 'SF2', 'sf-c2', timestamptz '2026-11-11 10:00+08' + i * interval '1 hour',
					CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END);
		EXCEPTION WHEN check_violation THEN NULL;
		END;
	END LOOP;
END $$;
SELECT s.sale_id, count(e.seq) AS entries
  FROM hrguard.sale s
  LEFT JOIN hrguard.evidence e ON e.employee_id = s.employee_id AND e.kind = 'sale'
	   AND convert_from(e.canon, 'UTF8')::jsonb -> 'p' ->> 'sale_id' = s.sale_id
 WHERE s.employee_id = 'SF2' GROUP BY 1 ORDER BY 1;
SELECT count(*) AS sale_entries FROM hrguard.evidence WHERE employee_id = 'SF2' AND kind = 'sale';

-- the payload does not depend on the session's settings
SET DateStyle = 'SQL, DMY';
SET timezone = 'America/New_York';
SET extra_float_digits = -3;
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-s10', 'SF1', 'sf-c1', '2026-11-12 10:00+08', 99.90);
RESET DateStyle;
SET timezone = 'Asia/Shanghai';
RESET extra_float_digits;
SELECT convert_from(canon, 'UTF8')::jsonb -> 'p' AS payload
  FROM hrguard.evidence WHERE employee_id = 'SF1' AND kind = 'sale' ORDER BY seq DESC LIMIT 1;

-- a visit punch inside a client zone that names its customer is a visit
INSERT INTO hrguard.zone (name, kind, center, radius_m, customer_id)
VALUES ('sf acme site', 'client', ST_SetSRID(ST_MakePoint(121.55, 31.25), 4326), 150, 'sf-c1');
INSERT INTO hrguard.zone_assignment (zone_id, team) SELECT zone_id, 'sf team' FROM hrguard.zone WHERE name = 'sf acme site';
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type) VALUES
	('SF1', '2026-11-12 10:00+08', 31.25, 121.55, 10, 'visit'),
	('SF1', '2026-11-12 15:00+08', 31.25, 121.55, 10, 'on_duty');
SELECT employee_id, customer_id, started_at, source, visit_id
  FROM hrguard.customer_visits WHERE employee_id IN ('SF1', 'SF2') ORDER BY started_at;
SELECT employee_id, ok FROM hrguard.verify_all() WHERE employee_id IN ('SF1', 'SF2') ORDER BY 1;

-- completeness covers these facts: a row without its entry, or an entry
-- without its row, is named
SELECT count(*) AS problems FROM hrguard.verify_facts() WHERE employee_id IN ('SF1', 'SF2') OR employee_id LIKE 'tenant:%';
BEGIN;
ALTER TABLE hrguard.sale DISABLE TRIGGER sale_record;
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-silent', 'SF1', 'sf-c1', '2026-11-13 10:00+08', 1);
ALTER TABLE hrguard.sale ENABLE ALWAYS TRIGGER sale_record;
SELECT fact, employee_id, problem FROM hrguard.verify_facts() WHERE employee_id = 'SF1';
ROLLBACK;

-- more bad input: report dates and approval times outside 1700-2200, an
-- infinite amount, white-space ids, an employee id that names a tenant's
-- chain, a competitor organisation too long for its index, a customer on
-- a zone that is not a client site
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours) VALUES ('SF1', '-infinity', '2026-11-04 20:00+08', 8);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours) VALUES ('SF1', '1699-12-31', '2026-11-04 20:00+08', 8);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, approved_at) VALUES ('sf-bad10', 'SF1', '2026-11-09', '2026-11-10', '1000-01-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, approved_at) VALUES ('sf-bad11', 'SF1', '2026-11-09', '2026-11-10', 'infinity');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sf-bad12', 'SF1', 'sf-c1', '2026-11-07 10:00+08', 'Infinity');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.customer (customer_id, name, created_at) VALUES (E'\t', 'Tab', '2026-11-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.employee (employee_id) VALUES ('tenant:default');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m, organisation)
VALUES ('sf rival', 'competitor', ST_SetSRID(ST_MakePoint(121.6, 31.25), 4326), 100, repeat('x', 201));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.zone (name, kind, center, radius_m, customer_id)
VALUES ('sf office', 'office', ST_SetSRID(ST_MakePoint(121.6, 31.25), 4326), 100, 'sf-c1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.customer (customer_id, name, created_at) VALUES ('sf-big', repeat('n', 1048576), '2026-11-01');
\echo :LAST_ERROR_SQLSTATE
-- any JSON in a report's visits: decimals, non-ASCII keys, JSON null
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours, visits) VALUES
	('SF1', '2026-11-05', '2026-11-05 20:00+08', 7.5, '[{"customer": "sf-c1", "hours": 1.5, "备注": "面谈"}]'),
	('SF1', '2026-11-06', '2026-11-06 20:00+08', 7, 'null');
SELECT convert_from(canon, 'UTF8')::jsonb -> 'p' -> 'visits' AS visits
  FROM hrguard.evidence WHERE employee_id = 'SF1' AND kind = 'daily_report' ORDER BY seq;
SELECT count(*) AS problems FROM hrguard.verify_facts() WHERE employee_id IN ('SF1', 'SF2') OR employee_id LIKE 'tenant:%';
