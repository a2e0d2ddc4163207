-- contracts: labour contracts, non-compete and confidentiality clauses,
-- non-compete payments; the reminders before a contract ends on the right
-- days (month ends, leap years); run_daily raising each reminder and each
-- late payment once.  Times that depend on today are never printed.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
\set doc '\'' `printf '%064d' 0 | tr 0 a` '\''

INSERT INTO hrguard.employee (employee_id, tenant_id, team, hired_on)
VALUES ('CT1', 'contracts', 'c', '2024-03-01'), ('CT2', 'contracts', 'c', '2024-03-01'),
	   ('CT3', 'contracts', 'c', '2024-03-01'), ('CT4', 'contracts', 'c', '2024-03-01');

-- 1. Bad contracts, each refused with its constraint; nothing written
SELECT count(*) AS entries_before FROM hrguard.evidence WHERE employee_id LIKE 'CT%' \gset
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('NOPE', 'labour', '2025-01-01', '2027-12-31', :doc);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'freelance', '2025-01-01', '2027-12-31', :doc);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'labour', '2025-01-01', '2024-12-31', :doc);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'labour', '2025-01-01', 'infinity', :doc);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'labour', '2025-01-01', '2027-12-31', 'ABC');
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'labour', NULL, '2027-12-31', :doc);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'labour', '2025-01-01', '2027-12-31', NULL);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation) VALUES ('CT1', 'labour', '2025-01-01', '2027-12-31', :doc, 100);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'non_compete', '2025-01-01', '2026-12-31', :doc);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation) VALUES ('CT1', 'non_compete', '2025-01-01', NULL, :doc, 3000);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation) VALUES ('CT1', 'non_compete', '2025-01-01', '2027-01-01', :doc, 3000);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation) VALUES ('CT1', 'non_compete', '2025-01-01', '2026-12-31', :doc, 0);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation) VALUES ('CT1', 'non_compete', '2025-01-01', '2026-12-31', :doc, 'NaN');
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256) VALUES ('CT1', 'labour', '1850-01-01', '2027-12-31', :doc);
SELECT count(*) - :entries_before AS entries_written FROM hrguard.evidence WHERE employee_id LIKE 'CT%';

-- 2. A contract enters the employee's chain; it cannot be changed; an
-- application cannot write a "contract" entry of its own
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, clause)
VALUES ('CT1', 'labour', '2025-03-01', '2028-02-29', :doc, 'art. 12: no outside employment without approval')
RETURNING kind, ends_on;
SELECT e.kind, (convert_from(e.canon, 'UTF8')::jsonb #>> '{p,ends_on}') AS ends_on_recorded,
	   (convert_from(e.canon, 'UTF8')::jsonb #>> '{p,contract_id}')::bigint = c.contract_id AS names_the_contract
  FROM hrguard.contract c JOIN hrguard.evidence e ON e.employee_id = c.employee_id AND e.kind = 'contract'
 WHERE c.employee_id = 'CT1';
UPDATE hrguard.contract SET ends_on = '2030-01-01' WHERE employee_id = 'CT1';
DELETE FROM hrguard.contract WHERE employee_id = 'CT1';
TRUNCATE hrguard.contract CASCADE;
SELECT hrguard.record_evidence('CT1', 'contract', '{"forged": true}');
-- by COPY, and in an exception block that fails: each row with its entry, or neither
COPY hrguard.contract (employee_id, kind, starts_on, document_sha256, clause) FROM stdin;
CT1	confidentiality	2025-03-01	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	secrets
CT1	confidentiality	2025-03-02	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	\N
\.
DO $$
BEGIN
	INSERT INTO hrguard.contract (employee_id, kind, starts_on, document_sha256)
	VALUES ('CT1', 'confidentiality', '2025-03-03', repeat('ab', 32)), ('CT1', 'labour', '2025-03-03', 'bad');
EXCEPTION WHEN check_violation THEN
	RAISE WARNING 'refused: %', SQLERRM;
END $$;
SELECT count(*) AS contracts,
	   (SELECT count(*) FROM hrguard.evidence WHERE employee_id = 'CT1' AND kind = 'contract') AS chain_entries
  FROM hrguard.contract WHERE employee_id = 'CT1';
-- a row ON CONFLICT DO NOTHING skips is not recorded (no entry can claim a
-- contract that is not the one stored), whatever id it brings
SELECT contract_id AS ct1_contract FROM hrguard.contract WHERE employee_id = 'CT1' ORDER BY contract_id LIMIT 1 \gset
INSERT INTO hrguard.contract (contract_id, employee_id, kind, starts_on, document_sha256, clause)
OVERRIDING SYSTEM VALUE VALUES (:ct1_contract, 'CT1', 'confidentiality', '2024-01-01', repeat('b', 64), 'FORGED')
ON CONFLICT DO NOTHING;
SELECT count(*) AS chain_entries FROM hrguard.evidence WHERE employee_id = 'CT1' AND kind = 'contract';
SELECT count(*) AS unexplained FROM hrguard.verify_facts() WHERE employee_id = 'CT1';
SELECT ok FROM hrguard.verify_chain('CT1');

-- 3. Reminders fall due 180, 90 and 30 days before the last day: across
-- month ends and a leap day
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256)
VALUES ('CT2', 'labour', '2024-04-01', '2027-03-31', :doc),
	   ('CT3', 'labour', '2025-01-01', '2028-03-01', :doc);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation)
VALUES ('CT3', 'non_compete', '2028-03-02', '2030-03-01', :doc, 4500);
INSERT INTO hrguard.contract (employee_id, kind, starts_on, document_sha256, clause)
VALUES ('CT3', 'confidentiality', '2025-01-01', :doc, 'trade secrets');
SELECT employee_id, kind, ends_on, days_before, due_on, status
  FROM hrguard.contract_reminders WHERE employee_id IN ('CT1', 'CT2', 'CT3')
 ORDER BY employee_id, kind, days_before DESC;
-- a renewed labour contract is no longer reminded; nor one of an employee who left
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256)
VALUES ('CT2', 'labour', '2027-04-01', NULL, :doc);
UPDATE hrguard.employee SET left_on = '2027-12-31' WHERE employee_id = 'CT3';
SELECT employee_id, kind, days_before, due_on
  FROM hrguard.contract_reminders WHERE employee_id IN ('CT2', 'CT3')
 ORDER BY employee_id, kind, days_before DESC;
-- the tenant chooses the days
INSERT INTO hrguard.case_policy (tenant_id, reminder_days) VALUES ('contracts', '{60,7}');
SELECT days_before, due_on FROM hrguard.contract_reminders WHERE employee_id = 'CT1' ORDER BY days_before DESC;
INSERT INTO hrguard.case_policy (tenant_id, reminder_days) VALUES ('bad', '{0}');
INSERT INTO hrguard.case_policy (tenant_id, reminder_days) VALUES ('bad', '{{1,2},{3,4}}');
DELETE FROM hrguard.case_policy WHERE tenant_id = 'contracts';

-- 4. run_daily raises the nearest reminder due, once; the farther ones
-- not raised yet are passed over
INSERT INTO hrguard.employee (employee_id, tenant_id, hired_on)
VALUES ('RD1', 'daily', '2020-01-01'), ('RD2', 'daily', '2020-01-01'), ('RD3', 'daily', '2020-01-01');
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256)
VALUES ('RD1', 'labour', '2020-01-01', current_date + 180, :doc),
	   ('RD2', 'labour', '2020-01-01', current_date + 20, :doc),
	   ('RD3', 'labour', '2020-01-01', current_date + 90, :doc);
SELECT * FROM hrguard.run_daily(current_date - 1);
SELECT employee_id, days_before, status FROM hrguard.contract_reminders WHERE employee_id LIKE 'RD%' ORDER BY 1, 2 DESC;
SELECT * FROM hrguard.run_daily(current_date);
SELECT * FROM hrguard.run_daily(current_date);
SELECT employee_id, days_before, status, raised_for = current_date AS today
  FROM hrguard.contract_reminders WHERE employee_id LIKE 'RD%' ORDER BY 1, 2 DESC;
SELECT a.employee_id, a.kind, a.severity, a.reasons->>'days_before' AS days_before, a.reasons->>'days_left' AS days_left
  FROM hrguard.alert a WHERE a.employee_id LIKE 'RD%' ORDER BY a.employee_id, a.alert_id;
SELECT count(*) AS alert_entries FROM hrguard.evidence e
 WHERE e.employee_id LIKE 'RD%' AND e.kind = 'alert'
   AND (convert_from(e.canon, 'UTF8')::jsonb #>> '{p,contract_id}') IS NOT NULL;
SELECT bool_and(ok) AS chains_ok FROM hrguard.verify_all();
SELECT count(*) AS unexplained FROM hrguard.verify_facts();
UPDATE hrguard.contract_notice SET alert_id = NULL;
DELETE FROM hrguard.contract_notice;
SELECT * FROM hrguard.run_daily(NULL);
SELECT * FROM hrguard.run_daily('infinity');
-- a day that has not begun anywhere yet (UTC+14 is the earliest zone)
DO $$
BEGIN
	PERFORM hrguard.run_daily(current_date + 3);
EXCEPTION WHEN invalid_parameter_value THEN
	RAISE WARNING 'run_daily refused a day not begun: %', SQLERRM LIKE '%has not begun anywhere';
END $$;

-- 5. Non-compete payments: a month is due when it ends; each month unpaid
-- past its day is alerted once
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation)
VALUES ('CT4', 'non_compete', '2026-01-31', '2026-07-30', :doc, 3000);
SELECT month_no, month_from, due_on, due, paid FROM hrguard.noncompete_schedule WHERE employee_id = 'CT4' ORDER BY month_no;
SELECT contract_id AS nc FROM hrguard.contract WHERE employee_id = 'CT4' \gset
SELECT contract_id AS labour FROM hrguard.contract WHERE employee_id = 'CT1' AND kind = 'labour' \gset
-- (contract ids depend on the other files run before: masked)
SELECT set_config('regress.labour', :'labour', false) IS NOT NULL AND set_config('regress.nc', :'nc', false) IS NOT NULL AS noted;
DO $$
BEGIN
	INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount)
	VALUES (current_setting('regress.labour')::bigint, 1, '2026-02-27', 3000);
EXCEPTION WHEN OTHERS THEN
	RAISE WARNING '%: %', SQLSTATE, regexp_replace(SQLERRM, '[0-9]+', 'N', 'g');
END $$;
DO $$
BEGIN
	INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount)
	VALUES (current_setting('regress.nc')::bigint, 7, '2026-02-27', 3000);
EXCEPTION WHEN OTHERS THEN
	RAISE WARNING '%: %', SQLSTATE, regexp_replace(SQLERRM, '[0-9]+', 'N', 'g');
END $$;
INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount) VALUES (:nc, 0, '2026-02-27', 3000);
INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount) VALUES (:nc, 1, '2026-02-27', -5);
INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount) VALUES (999999, 1, '2026-02-27', 5);
INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount, reference)
VALUES (:nc, 1, '2026-02-27', 3000, 'bank ref 1'), (:nc, 2, '2026-03-30', 1000, 'bank ref 2')
RETURNING month_no;
SELECT count(*) AS payment_entries FROM hrguard.evidence WHERE employee_id = 'CT4' AND kind = 'noncompete_payment';
INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount) VALUES (:nc, 3, current_date + 3, 3000);
UPDATE hrguard.noncompete_payment SET amount = 3000;
INSERT INTO hrguard.employee (employee_id, tenant_id, hired_on) VALUES ('RD4', 'daily', '2020-01-01');
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation)
VALUES ('RD4', 'non_compete', current_date - 100, current_date + 200, :doc, 3000);
SELECT contract_id AS nc4 FROM hrguard.contract WHERE employee_id = 'RD4' \gset
INSERT INTO hrguard.noncompete_payment (contract_id, month_no, paid_on, amount)
VALUES (:nc4, 1, current_date - 70, 3000), (:nc4, 2, current_date - 40, 1000);
SELECT month_no, paid, due_on < current_date AS past_due FROM hrguard.noncompete_schedule WHERE contract_id = :nc4 AND month_no <= 4 ORDER BY 1;
SELECT late_payments FROM hrguard.run_daily(current_date);
SELECT late_payments FROM hrguard.run_daily(current_date);
SELECT a.employee_id, a.kind, a.severity, a.reasons->>'month_no' AS month_no, a.reasons->>'paid' AS paid,
	   a.reasons->>'months_unpaid' AS months_unpaid
  FROM hrguard.alert a WHERE a.kind = 'noncompete_payment_late' ORDER BY a.alert_id;
SELECT count(*) AS notices FROM hrguard.contract_notice WHERE notice = 'payment_late';

-- 6. The trigger functions fire only where hrguard attached them
CREATE TABLE public.my_contracts (LIKE hrguard.contract);
CREATE TRIGGER steal AFTER INSERT ON public.my_contracts FOR EACH ROW EXECUTE FUNCTION hrguard.contract_fact_record();
INSERT INTO public.my_contracts (contract_id, employee_id, kind, starts_on, document_sha256, recorded_at) VALUES (1, 'CT1', 'labour', '2025-01-01', repeat('ab', 32), now());
CREATE TRIGGER late AFTER INSERT ON hrguard.contract FOR EACH ROW EXECUTE FUNCTION hrguard.contract_fact_check();
INSERT INTO hrguard.contract (employee_id, kind, starts_on, document_sha256) VALUES ('CT1', 'confidentiality', '2025-01-01', repeat('ab', 32));
DROP TRIGGER late ON hrguard.contract;
DROP TABLE public.my_contracts;

-- 7. From the hostile test: reminder days each once; a contract recorded
-- twice is reminded once; a change of the tenant's days the same day does
-- not remind again; a non-compete from 29 February may run to the 28th two
-- years on; months of a non-compete end as the Civil Code counts them
INSERT INTO hrguard.case_policy (tenant_id, reminder_days) VALUES ('dup', '{30,30}');
INSERT INTO hrguard.case_policy (tenant_id, reminder_days) VALUES ('dup', '{30,NULL}');
INSERT INTO hrguard.employee (employee_id, tenant_id, hired_on) VALUES ('RD5', 'daily5', '2020-01-01');
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256)
VALUES ('RD5', 'labour', '2020-01-01', current_date + 100, :doc), ('RD5', 'labour', '2020-01-01', current_date + 100, :doc);
SELECT count(*) AS reminded FROM hrguard.contract_reminders WHERE employee_id = 'RD5' AND days_before = 180;
SELECT reminders FROM hrguard.run_daily(current_date);
INSERT INTO hrguard.case_policy (tenant_id, reminder_days) VALUES ('daily5', '{365,120,60}');
SELECT reminders FROM hrguard.run_daily(current_date);
SELECT days_before, status FROM hrguard.contract_reminders WHERE employee_id = 'RD5' ORDER BY 1 DESC;
SELECT hrguard.period_last_day('2024-02-29', 24) AS from_leap_day, hrguard.period_last_day('2026-01-31', 1) AS month_from_31_jan,
	   hrguard.period_last_day('2026-01-31', 2) AS two_months, hrguard.period_last_day('2026-03-01', 1) AS from_1_march;
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation)
VALUES ('CT2', 'non_compete', '2024-02-29', '2026-02-28', :doc, 1000) RETURNING ends_on;
INSERT INTO hrguard.contract (employee_id, kind, starts_on, ends_on, document_sha256, monthly_compensation)
VALUES ('CT2', 'non_compete', '2024-03-01', '2026-03-01', :doc, 1000);
SELECT hrguard.record_fact('CT1', 'alert', '{}', now());
