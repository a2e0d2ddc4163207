-- score: score_period() over twelve steady sellers and one whose June shows
-- +50 % sales, -30 % verified hours, customers created by themself just
-- before each deal and deals with no visit; robustness cases beside them;
-- idempotence; explain() reproducing the stored score; bad input.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

-- tenant sc: team "sc east" of sellers; tenant sc2: a team of three
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on)
SELECT pg_catalog.format('SC%s', lpad(i::text, 2, '0')), 'sc', 'sc east', 'sales', '2025-06-01'
  FROM generate_series(1, 13) i;
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on) VALUES
	('SC-ZERO-HOURS', 'sc', 'sc east', 'sales', '2025-06-01'),
	('SC-ZERO-SALES', 'sc', 'sc east', 'sales', '2025-06-01'),
	('SC-ON-LEAVE', 'sc', 'sc east', 'sales', '2025-06-01'),
	('SC-BIG-DEAL', 'sc', 'sc east', 'sales', '2025-06-01'),
	('SC-NEW-MAY', 'sc', 'sc east', 'sales', '2026-05-01'),
	('SC-NEW-JUNE', 'sc', 'sc east', 'sales', '2026-06-15'),
	('SC2-A', 'sc2', 'sc west', 'sales', '2025-06-01'),
	('SC2-B', 'sc2', 'sc west', 'sales', '2025-06-01'),
	('SC2-C', 'sc2', 'sc west', 'sales', '2025-06-01');
-- a tenant's office of 300 m, the zone of one team
CREATE PROCEDURE pg_temp.office(tenant text, zone_name text, office_team text) LANGUAGE sql AS $$
	INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m)
	VALUES (tenant, zone_name, 'office', ST_SetSRID(ST_MakePoint(121.47, 31.23), 4326), 300);
	INSERT INTO hrguard.zone_assignment (zone_id, team)
	SELECT zone_id, office_team FROM hrguard.zone WHERE tenant_id = tenant AND name = zone_name;
$$;
CALL pg_temp.office('sc', 'sc office', 'sc east');
CALL pg_temp.office('sc2', 'sc2 office', 'sc west');

-- working days from December to June, per employee employed that day
CREATE TEMP TABLE sc_day AS
SELECT e.employee_id, d::date AS day,
	   row_number() OVER (PARTITION BY e.employee_id ORDER BY d) AS n,
	   pg_catalog.date_trunc('month', d)::date AS month
  FROM hrguard.employee e,
	   generate_series('2025-12-01'::timestamp, '2026-06-30', '1 day') d
 WHERE e.tenant_id IN ('sc', 'sc2')
   AND extract(isodow FROM d) < 6
   AND d::date >= e.hired_on;

-- punches: 09:00 to 18:00; SC13 leaves at 15:18 in June (-30 %);
-- SC-ZERO-HOURS has no punch in June; SC-ON-LEAVE is away all June
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type)
SELECT employee_id, t, 31.23 + (n % 97) * 1e-5, 121.47 + (n % 89) * 1e-5, 10, kind
  FROM (SELECT employee_id, n, (day + '09:00'::time)::timestamptz AS t, 'on_duty' AS kind
		  FROM sc_day
		UNION ALL
		SELECT employee_id, n,
			   (day + CASE WHEN employee_id = 'SC13' AND day >= '2026-06-01' THEN '15:18'::time
						   ELSE '18:00'::time END)::timestamptz, 'off_duty'
		  FROM sc_day) p
 WHERE NOT (employee_id IN ('SC-ZERO-HOURS', 'SC-ON-LEAVE') AND t >= '2026-06-01')
 ORDER BY t, employee_id;
INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, approved_at)
VALUES ('sc-leave-june', 'SC-ON-LEAVE', '2026-06-01 00:00+08', '2026-07-01 00:00+08', '2026-05-20 10:00+08');

-- five deals a month, each with a customer of the master visited the day
-- before; amounts vary a little by seller and month
CREATE TEMP TABLE sc_deal AS
SELECT employee_id, month, k,
	   (SELECT max(day) FROM sc_day s
		 WHERE s.employee_id = m.employee_id AND s.month = m.month AND s.n % 4 = k % 4
		   AND s.day < m.month + 28) AS day,
	   20000 + ((hashtext(employee_id) & 255) + extract(month FROM month)::int * 13) % 400 AS amount
  FROM (SELECT DISTINCT employee_id, month FROM sc_day) m, generate_series(1, 5) k;
DELETE FROM sc_deal WHERE day IS NULL;
UPDATE sc_deal SET amount = 30000 WHERE employee_id = 'SC13' AND month = '2026-06-01';
DELETE FROM sc_deal WHERE employee_id = 'SC-ZERO-SALES' AND month = '2026-06-01';
DELETE FROM sc_deal WHERE employee_id = 'SC-BIG-DEAL' AND month = '2026-06-01' AND k > 1;
UPDATE sc_deal SET amount = 1000000 WHERE employee_id = 'SC-BIG-DEAL' AND month = '2026-06-01';
DELETE FROM sc_deal WHERE employee_id = 'SC-ON-LEAVE' AND month = '2026-06-01';

INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at, created_by)
SELECT pg_catalog.format('cust-%s-%s-%s', employee_id, month, k), 'sc', 'Customer', '2025-06-01 00:00+08', NULL
  FROM sc_deal WHERE NOT (employee_id = 'SC13' AND month = '2026-06-01');
-- SC13's June customers: created by SC13 two days before each deal
INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at, created_by)
SELECT pg_catalog.format('cust-%s-%s-%s', employee_id, month, k), 'sc', 'New customer',
	   (day - 2 + '10:00'::time)::timestamptz, employee_id
  FROM sc_deal WHERE employee_id = 'SC13' AND month = '2026-06-01';
-- visits the day before each deal, 10:00-11:00; two of SC13's June deals have none
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at)
SELECT pg_catalog.format('visit-%s-%s-%s', employee_id, month, k), employee_id,
	   pg_catalog.format('cust-%s-%s-%s', employee_id, month, k),
	   (day - 1 + '10:00'::time)::timestamptz, (day - 1 + '11:00'::time)::timestamptz
  FROM sc_deal WHERE NOT (employee_id = 'SC13' AND month = '2026-06-01' AND k <= 2);
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount)
SELECT pg_catalog.format('sale-%s-%s-%s', employee_id, month, k), employee_id,
	   pg_catalog.format('cust-%s-%s-%s', employee_id, month, k),
	   (day + '16:00'::time)::timestamptz, amount
  FROM sc_deal;
-- a daily report every working day, in the evening
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours)
SELECT employee_id, day, (day + '19:00'::time)::timestamptz, 8 FROM sc_day;

-- alerts go the way punch alerts go: in relay mode, notified by the relay
SET hrguard.notify_mode = 'relay';
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
RESET hrguard.notify_mode;
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc2');
SELECT count(*) FILTER (WHERE NOT notified) AS waiting_for_the_relay FROM hrguard.alert WHERE employee_id = 'SC13';
SELECT hrguard.relay_alerts(100000) >= 3 AS relayed;

-- every signal of every employee
SELECT employee_id, band,
	   signals #>> '{hours_mismatch,status}' AS mismatch,
	   signals #>> '{hours_mismatch,level}' AS m_level,
	   round((signals #>> '{hours_mismatch,strength}')::numeric, 1) AS m_z,
	   signals #>> '{customer_source,level}' AS customer,
	   signals #>> '{unlinked_sale,level}' AS unlinked,
	   signals #>> '{report_gap,level}' AS report,
	   round(total_points, 1) AS points
  FROM hrguard.score WHERE tenant_id IN ('sc', 'sc2') ORDER BY employee_id;

-- the one: all three kinds; nobody else any
SELECT employee_id, kind, severity FROM hrguard.alert
 WHERE employee_id LIKE 'SC%' ORDER BY employee_id, kind;

-- the numbers behind SC13's mismatch: +50 % sales, -30 % hours
SELECT round((inputs #>> '{hours_mismatch,sales}')::numeric) AS sales,
	   round((inputs #>> '{hours_mismatch,hours}')::numeric, 1) AS hours,
	   round((inputs #>> '{hours_mismatch,days}')::numeric, 1) AS days,
	   round(exp((signals #>> '{hours_mismatch,delta_sales}')::numeric), 2) AS sales_ratio,
	   round(exp((signals #>> '{hours_mismatch,delta_hours}')::numeric), 3) AS hours_ratio,
	   inputs #>> '{hours_mismatch,peer_group}' AS peer_group,
	   inputs #>> '{hours_mismatch,peers}' AS peers,
	   round((signals #>> '{hours_mismatch,counterfactual_hours}')::numeric, 1) AS would_not_fire_from_hours,
	   inputs #> '{customer_source,sales}' AS unknown_customer_sales,
	   inputs #> '{unlinked_sale,sales}' AS unlinked_sales
  FROM hrguard.score WHERE employee_id = 'SC13';

-- verified hours agree with hrguard.verified_hours() for every employee
SELECT s.employee_id
  FROM hrguard.score s
 WHERE s.tenant_id IN ('sc', 'sc2')
   AND round((s.inputs #>> '{hours_mismatch,hours}')::numeric, 3) <>
	   (SELECT round(sum(v.verified_hours), 3) FROM hrguard.verified_hours(s.employee_id, '2026-06-01', '2026-06-30') v);

-- robustness: each a defined result, none an alert
SELECT employee_id, signals #>> '{hours_mismatch,status}' AS status,
	   signals #>> '{hours_mismatch,gates_pass}' AS gates_pass,
	   round((inputs #>> '{hours_mismatch,days}')::numeric, 1) AS days,
	   jsonb_array_length(inputs #> '{hours_mismatch,baseline}') AS baseline_periods,
	   signals #>> '{customer_source,status}' AS customer_status,
	   band
  FROM hrguard.score
 WHERE employee_id IN ('SC-ZERO-HOURS', 'SC-ZERO-SALES', 'SC-ON-LEAVE', 'SC-BIG-DEAL',
					   'SC-NEW-MAY', 'SC-NEW-JUNE', 'SC2-A')
 ORDER BY employee_id;

-- each stored score is an entry of the employee's chain, and the chains verify
SELECT count(*) AS score_entries FROM hrguard.evidence v
  JOIN hrguard.score s ON s.employee_id = v.employee_id AND s.evidence_seq = v.seq
 WHERE v.kind = 'score' AND s.tenant_id IN ('sc', 'sc2');
SELECT count(*) FILTER (WHERE ok) AS chains_ok, count(*) FILTER (WHERE NOT ok) AS chains_bad
  FROM hrguard.verify_all() WHERE employee_id LIKE 'SC%';

-- idempotent: a second run stores nothing and raises nothing
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
-- a new deal of SC05 changes SC05's score, and its team's (the pooled
-- rates count one more deal); no new alert
INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at) VALUES ('cust-sc05-extra', 'sc', 'Extra', '2025-06-01 00:00+08');
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at)
VALUES ('visit-sc05-extra', 'SC05', 'cust-sc05-extra', '2026-06-25 10:00+08', '2026-06-25 11:00+08');
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount)
VALUES ('sale-sc05-extra', 'SC05', 'cust-sc05-extra', '2026-06-26 16:00+08', 100);
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
SELECT employee_id, revision FROM hrguard.score WHERE revision > 1 AND tenant_id IN ('sc', 'sc2') ORDER BY employee_id;
SELECT count(*) AS sc13_alerts FROM hrguard.alert WHERE employee_id = 'SC13';

-- explain: reproduces the stored score from its inputs, and says why
SELECT e->>'kind' AS kind, e->>'reproduced' AS reproduced, e->>'recorded' AS recorded,
	   e->'counterfactual' AS counterfactual,
	   jsonb_array_length(e #> '{evidence,facts}') > 0 AS cites_evidence
  FROM hrguard.alert a, hrguard.explain(a.alert_id) e
 WHERE a.employee_id = 'SC13' ORDER BY 1;
SELECT e->>'sentence_en' AS en, e->>'sentence_zh' AS zh
  FROM hrguard.alert a, hrguard.explain(a.alert_id) e
 WHERE a.employee_id = 'SC13' ORDER BY a.kind;
-- score_evaluate gives every stored score's signals again
SELECT count(*) AS not_reproduced FROM hrguard.score
 WHERE tenant_id IN ('sc', 'sc2') AND hrguard.score_evaluate(inputs) <> signals;
-- the inputs are hashed as their canonical JSON, and each score's evidence
-- entry is canonical JSON naming that hash (both written directly, not
-- canonicalised from text)
SELECT count(*) AS scores,
	   count(*) FILTER (WHERE s.input_hash = encode(sha256(hrguard.canonical_json(s.inputs::text)), 'hex')) AS hash_of_canonical_inputs,
	   count(*) FILTER (WHERE hrguard.canonical_json(e.canon) = e.canon) AS canonical_entries,
	   count(*) FILTER (WHERE convert_from(e.canon, 'UTF8')::jsonb #>> '{p,score,input_sha256}' = s.input_hash) AS entries_naming_hash
  FROM hrguard.score s JOIN hrguard.evidence e ON e.employee_id = s.employee_id AND e.seq = s.evidence_seq
 WHERE s.tenant_id IN ('sc', 'sc2');
-- a rate signal fires at watch level only as strong as a watch z: k = 2 of
-- 50 against a pooled 0.3 % has a tail just under 0.01 but z = 2.33
SELECT s->>'level' AS level, s->>'points' AS points, round((s->>'tail')::numeric, 5) AS tail,
	   round((s->>'strength')::numeric, 3) AS z
  FROM (SELECT hrguard.score_evaluate(jsonb_set(jsonb_set(jsonb_set(jsonb_set(inputs,
			'{customer_source,k}', '2'), '{customer_source,n}', '50'),
			'{customer_source,peer_k}', '0'), '{customer_source,peer_n}', '166')) -> 'customer_source' AS s
		  FROM hrguard.score WHERE employee_id = 'SC13') x;
-- and a changed input changes them
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{hours_mismatch,hours}', '200'))
	   #>> '{hours_mismatch,level}' AS with_200_hours
  FROM hrguard.score WHERE employee_id = 'SC13';

-- the views
SELECT employee_id, status, level, round(modified_z, 1) AS z, peer_group, peers,
	   round(counterfactual_hours, 1) AS counterfactual_hours
  FROM hrguard.mismatch_scores WHERE employee_id IN ('SC01', 'SC13') ORDER BY 1;
SELECT employee_id, band, round(time_points) AS time, round(customer_points) AS customer,
	   round(visit_points) AS visit, round(total_points, 1) AS total
  FROM hrguard.employee_risk WHERE employee_id IN ('SC01', 'SC13') ORDER BY 1;
SELECT employee_id, sale_id, amount FROM hrguard.commission_review
 WHERE employee_id LIKE 'SC%' ORDER BY sale_id;

-- scores are written by score_period only: not by hand, not removed
UPDATE hrguard.score SET band = 'none' WHERE employee_id = 'SC13';
DELETE FROM hrguard.score WHERE employee_id = 'SC13';
TRUNCATE hrguard.score;
INSERT INTO hrguard.score (employee_id, tenant_id, period_from, period_to, algorithm, band, total_points,
	time_points, customer_points, visit_points, reporting_points, location_points, signals, inputs,
	input_hash, evidence_seq)
VALUES ('SC01', 'sc', '2026-05-01', '2026-05-31', 'x', 'none', 0, 0, 0, 0, 0, 0, '{}', '{}', 'x', 1);
-- a trigger of the application that changes a score as it is stored fails the run
CREATE FUNCTION pg_temp.lower_band() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN NEW.band := 'none'; RETURN NEW; END $$;
CREATE TRIGGER zz_lower_band BEFORE INSERT OR UPDATE ON hrguard.score
	FOR EACH ROW EXECUTE FUNCTION pg_temp.lower_band();
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount)
VALUES ('sale-sc13-late', 'SC13', 'cust-SC13-2026-06-01-1', '2026-06-29 16:00+08', 10);
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
DROP TRIGGER zz_lower_band ON hrguard.score;
-- or that drops one
CREATE FUNCTION pg_temp.drop_score() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN IF NEW.employee_id = 'SC13' THEN RETURN NULL; END IF; RETURN NEW; END $$;
CREATE TRIGGER zz_drop_score BEFORE INSERT OR UPDATE ON hrguard.score
	FOR EACH ROW EXECUTE FUNCTION pg_temp.drop_score();
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
DROP TRIGGER zz_drop_score ON hrguard.score;
-- or that rewrites what was computed (its inputs here)
CREATE FUNCTION pg_temp.pad_inputs() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN NEW.inputs := NEW.inputs || '{"x": 1}'; RETURN NEW; END $$;
CREATE TRIGGER zz_pad_inputs BEFORE INSERT OR UPDATE ON hrguard.score
	FOR EACH ROW EXECUTE FUNCTION pg_temp.pad_inputs();
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
DROP TRIGGER zz_pad_inputs ON hrguard.score;
-- nor may an AFTER trigger write scores or alerts of its own while the run does
CREATE FUNCTION pg_temp.raise_band() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN UPDATE hrguard.score SET band = 'priority' WHERE score_id = NEW.score_id; RETURN NULL; END $$;
CREATE TRIGGER zz_raise_band AFTER INSERT OR UPDATE ON hrguard.score
	FOR EACH ROW EXECUTE FUNCTION pg_temp.raise_band();
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
DROP TRIGGER zz_raise_band ON hrguard.score;
CREATE FUNCTION pg_temp.more_alerts() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO hrguard.alert (employee_id, kind, severity) VALUES (NEW.employee_id, NEW.kind, 'priority'); RETURN NULL; END $$;
CREATE TRIGGER zz_more_alerts AFTER INSERT ON hrguard.alert
	FOR EACH ROW EXECUTE FUNCTION pg_temp.more_alerts();
-- (a punch far from every zone raises an alert: the trigger's alert is refused)
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type)
VALUES ('SC01', '2026-07-01 10:00+08', 30.00, 120.00, 10, 'other');
DROP TRIGGER zz_more_alerts ON hrguard.alert;
SELECT count(*) AS sc01_july_punches FROM hrguard.punch WHERE employee_id = 'SC01' AND punched_at >= '2026-07-01';
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
SELECT band, revision FROM hrguard.score WHERE employee_id = 'SC13';
-- a score changed behind the guard's back is found by verify_facts and explain
ALTER TABLE hrguard.score DISABLE TRIGGER score_guard;
UPDATE hrguard.score SET band = 'none', total_points = 0 WHERE employee_id = 'SC13';
ALTER TABLE hrguard.score ENABLE ALWAYS TRIGGER score_guard;
SELECT fact, employee_id, problem FROM hrguard.verify_facts() WHERE fact = 'score';
SELECT e->>'kind' AS kind, e->>'reproduced' AS reproduced, e->>'recorded' AS recorded
  FROM hrguard.alert a, hrguard.explain(a.alert_id) e
 WHERE a.employee_id = 'SC13' AND a.kind = 'hours_mismatch';
-- the next run puts it right: its inputs are the same, but it is not what they give
ALTER TABLE hrguard.score DISABLE TRIGGER score_guard;
UPDATE hrguard.score SET input_hash = 'forged' WHERE employee_id = 'SC13';
ALTER TABLE hrguard.score ENABLE ALWAYS TRIGGER score_guard;
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
SELECT count(*) AS score_problems FROM hrguard.verify_facts() WHERE fact = 'score';

-- a customer in another tenant's master is not in the seller's
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on) VALUES
	('SC3-A', 'sc3', 'sc3 team', 'sales', '2025-01-01');
INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at) VALUES ('sc3-foreign', 'sc', 'Of tenant sc', '2025-01-01 00:00+08');
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES
	('sc3-sale-1', 'SC3-A', 'sc3-foreign', '2026-06-10 16:00+08', 100),
	('sc3-sale-2', 'SC3-A', 'nowhere', '2026-06-11 16:00+08', 100);
-- hired on 16 June, with punches from the 1st: only the days employed count;
-- no report ever and no peers: no report baseline, no alert
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on) VALUES
	('SC3-NEW', 'sc3', 'sc3 team', 'sales', '2026-06-16');
CALL pg_temp.office('sc3', 'sc3 office', 'sc3 team');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type)
SELECT 'SC3-NEW', d + t, 31.23 + extract(day FROM d) * 1e-5, 121.47, 10, k
  FROM generate_series('2026-06-01'::timestamp, '2026-06-30', '1 day') d,
	   (VALUES (time '09:00', 'on_duty'), (time '17:00', 'off_duty')) v(t, k)
 WHERE extract(isodow FROM d) < 6 ORDER BY 1, 2;
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc3');
SELECT employee_id, inputs #>> '{customer_source,k}' AS unknown_customers, inputs #>> '{customer_source,n}' AS deals,
	   signals #>> '{report_gap,status}' AS report_gap, band,
	   round((inputs #>> '{hours_mismatch,hours}')::numeric, 3) AS hours,
	   (SELECT round(sum(v.verified_hours), 3) FROM hrguard.verified_hours(employee_id, '2026-06-01', '2026-06-30') v) AS verified_hours
  FROM hrguard.score WHERE tenant_id = 'sc3' ORDER BY employee_id;

-- bad input
SELECT hrguard.score_period('2026-06-30', '2026-06-01');
SELECT hrguard.score_period('-infinity', '2026-06-01');
SELECT hrguard.score_period('2020-01-01', '2026-06-01');
-- a period not over yet (the message names today)
DO $$
BEGIN
	PERFORM hrguard.score_period(current_date - 3, current_date + 3);
EXCEPTION WHEN OTHERS THEN
	RAISE WARNING 'refused: %', SQLSTATE;
END
$$;
SELECT hrguard.score_period('1700-01-01', '1700-01-31');
SELECT hrguard.score_period('1699-12-01', '1699-12-31');
SELECT hrguard.score_period('2199-12-29', '2199-12-31');
SELECT hrguard.score_period(NULL, '2026-06-01');
-- a tenant without employees: nothing to score
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'no such tenant');
SELECT hrguard.explain(-1);
SELECT hrguard.score_evaluate('{}');
SELECT hrguard.score_evaluate('[1]');
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{customer_source,k}', '99')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{report_gap,missed}', '"01x"')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{algorithm}', '"other/1"')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{params,alert}', '"100"')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(inputs - 'params') FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{hours_mismatch,peer_mad}', '"-1"')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{hours_mismatch,hours}', '"1e400"')) FROM hrguard.score WHERE employee_id = 'SC13';
-- peers' counts are whole numbers a double holds exactly; flagged deals are ids
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{customer_source,peer_n}', '"1e308"')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{unlinked_sale,peer_k}', '1.5')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{report_gap,peer_misses}', '1.5')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{customer_source,sales}', '{}')) FROM hrguard.score WHERE employee_id = 'SC13';
SELECT hrguard.score_evaluate(jsonb_set(inputs, '{customer_source,sales}', '[1]')) FROM hrguard.score WHERE employee_id = 'SC13';
-- a blank customer or kind of leave
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sc-blank', 'SC01', ' ', '2026-06-10 16:00+08', 1);
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at) VALUES ('sc-blank', 'SC01', '', '2026-06-10 10:00+08', '2026-06-10 11:00+08');
INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, approved_at, kind) VALUES ('sc-blank', 'SC01', '2026-06-10', '2026-06-11', '2026-06-01', E'\t');
-- nothing was written by the failures
SELECT count(*) AS scores FROM hrguard.score WHERE tenant_id IN ('sc', 'sc2', 'sc3');

-- only who may: score_period is not granted to PUBLIC
CREATE ROLE score_nobody;
GRANT USAGE ON SCHEMA hrguard TO score_nobody;
SET ROLE score_nobody;
SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc');
SELECT hrguard.explain(1);
RESET ROLE;
REVOKE USAGE ON SCHEMA hrguard FROM score_nobody;
DROP ROLE score_nobody;

-- every refusal above, with its SQLSTATE
CREATE FUNCTION pg_temp.sqlstate_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE statement;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT s AS statement, pg_temp.sqlstate_of(s) AS sqlstate FROM unnest(ARRAY[
	$$UPDATE hrguard.score SET band = 'none' WHERE employee_id = 'SC13'$$,
	$$DELETE FROM hrguard.score WHERE employee_id = 'SC13'$$,
	$$TRUNCATE hrguard.score$$,
	$$SELECT hrguard.score_period('2026-06-30', '2026-06-01')$$,
	$$SELECT hrguard.score_period('-infinity', '2026-06-01')$$,
	$$SELECT hrguard.score_period('2020-01-01', '2026-06-01')$$,
	$$SELECT hrguard.score_period(current_date - 3, current_date + 3)$$,
	$$SELECT hrguard.score_period('1700-01-01', '1700-01-31')$$,
	$$SELECT hrguard.score_period(NULL, '2026-06-01')$$,
	$$SELECT hrguard.explain(-1)$$,
	$$SELECT hrguard.score_evaluate('{}')$$,
	$$SELECT hrguard.score_evaluate(jsonb_set(inputs, '{params,alert}', '"100"')) FROM hrguard.score WHERE employee_id = 'SC13'$$,
	$$SELECT hrguard.score_evaluate(jsonb_set(inputs, '{customer_source,peer_n}', '"1e308"')) FROM hrguard.score WHERE employee_id = 'SC13'$$,
	$$SELECT hrguard.score_evaluate(jsonb_set(inputs, '{unlinked_sale,peer_k}', '1.5')) FROM hrguard.score WHERE employee_id = 'SC13'$$,
	$$SELECT hrguard.score_evaluate(jsonb_set(inputs, '{customer_source,sales}', '{}')) FROM hrguard.score WHERE employee_id = 'SC13'$$,
	$$INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sc-blank', 'SC01', ' ', '2026-06-10 16:00+08', 1)$$,
	$$INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES ('sc-huge', 'SC01', 'c', '2026-06-10 16:00+08', 1e15)$$,
	$$INSERT INTO hrguard.leave (leave_id, employee_id, starts_at, ends_at, approved_at, kind) VALUES ('sc-blank', 'SC01', '2026-06-10', '2026-06-11', '2026-06-01', ' ')$$
]) s;
-- an application's BEFORE trigger changing a score, and an AFTER trigger adding one
CREATE TRIGGER zz_lower_band BEFORE INSERT OR UPDATE ON hrguard.score
	FOR EACH ROW EXECUTE FUNCTION pg_temp.lower_band();
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount)
VALUES ('sale-sc13-last', 'SC13', 'cust-SC13-2026-06-01-3', '2026-06-29 18:00+08', 10);
SELECT pg_temp.sqlstate_of($$SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc')$$) AS before_trigger;
DROP TRIGGER zz_lower_band ON hrguard.score;
CREATE TRIGGER zz_raise_band AFTER INSERT OR UPDATE ON hrguard.score
	FOR EACH ROW EXECUTE FUNCTION pg_temp.raise_band();
SELECT pg_temp.sqlstate_of($$SELECT hrguard.score_period('2026-06-01', '2026-06-30', 'sc')$$) AS after_trigger;
DROP TRIGGER zz_raise_band ON hrguard.score;
-- and nothing of the failed runs stayed: the next run stores the new deal's scores once
SELECT (hrguard.score_period('2026-06-01', '2026-06-30', 'sc')).scores_stored > 0 AS stored;
-- the late deals changed SC13's score since its alerts: explain describes it as it stands
SELECT a.kind, e->>'score_changed_since_alert' AS changed,
	   (e->'signal_now') = (s.signals -> a.kind) AS described_as_it_stands,
	   (e->'signal') = (a.reasons -> 'signal') AS alert_figures_kept,
	   e->>'sentence_en' LIKE '%New facts have changed the score%' AS says_so
  FROM hrguard.alert a JOIN hrguard.score s ON s.score_id = (a.reasons->>'score_id')::bigint,
	   hrguard.explain(a.alert_id) e
 WHERE a.employee_id = 'SC13' AND a.kind IN ('customer_source', 'unlinked_sale') ORDER BY a.alert_id;
SELECT count(*) AS score_problems FROM hrguard.verify_facts() WHERE fact = 'score';

-- scores are stored in batches: a tenant of 1,234 employees gets every score, each
-- with its evidence entry, and a second run stores none
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on)
SELECT 'SCM-' || g, 'sc-many', 'many ' || (g % 7), 'sales', '2025-01-01'
  FROM generate_series(1, 1234) g;
SELECT * FROM hrguard.score_period('2026-06-01', '2026-06-30', 'sc-many');
SELECT count(*) AS scores, count(v.seq) AS with_their_entry,
	   count(DISTINCT s.employee_id) AS employees
  FROM hrguard.score s
  LEFT JOIN hrguard.evidence v ON v.employee_id = s.employee_id AND v.seq = s.evidence_seq AND v.kind = 'score'
 WHERE s.tenant_id = 'sc-many';
SELECT * FROM hrguard.score_period('2026-06-01', '2026-06-30', 'sc-many');

-- deals and reports outside the employment count for nothing, and a deal
-- on the last local day counts in a time zone two days behind UTC
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on, left_on, timezone) VALUES
	('SCE-HIRED', 'sc-emp', 'e', 'sales', '2026-06-15', NULL, 'Asia/Shanghai'),
	('SCE-LEFT', 'sc-emp', 'e', 'sales', '2025-01-01', '2026-06-14', 'Asia/Shanghai'),
	('SCE-WEST', 'sc-emp', 'e', 'sales', '2025-01-01', NULL, '<-49>+49');
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES
	('sce-1', 'SCE-HIRED', 'sce-c', '2026-06-05 10:00+08', 100),
	('sce-2', 'SCE-HIRED', 'sce-c', '2026-06-20 10:00+08', 200),
	('sce-3', 'SCE-LEFT', 'sce-c', '2026-06-10 10:00+08', 300),
	('sce-4', 'SCE-LEFT', 'sce-c', '2026-06-20 10:00+08', 400),
	('sce-5', 'SCE-WEST', 'sce-c', '2026-07-03 00:30+00', 500);	-- 2026-06-30 23:30 there
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours) VALUES
	('SCE-HIRED', '2026-06-10', '2026-06-10 20:00+08', 5),
	('SCE-HIRED', '2026-06-16', '2026-06-16 20:00+08', 7);
SELECT (hrguard.score_period('2026-06-01', '2026-06-30', 'sc-emp')).employees;
SELECT employee_id, inputs #>> '{hours_mismatch,deals}' AS deals, inputs #>> '{hours_mismatch,sales}' AS sales,
	   inputs #>> '{hours_mismatch,declared_hours}' AS declared_hours
  FROM hrguard.score WHERE tenant_id = 'sc-emp' ORDER BY 1;

-- each tenant has its own customer master: an id may be in two, and a deal
-- is "from nowhere" unless its customer is in its own tenant's master
INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at) VALUES
	('shared-c', 'sc-emp', 'E', '2026-01-01'), ('shared-c', 'sc-many', 'M', '2026-01-01'),
	('only-many', 'sc-many', 'M', '2026-01-01');
INSERT INTO hrguard.customer (customer_id, tenant_id, name) VALUES ('shared-c', 'sc-emp', 'again');
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES
	('sce-6', 'SCE-WEST', 'shared-c', '2026-06-20 10:00+00', 600),
	('sce-7', 'SCE-WEST', 'only-many', '2026-06-21 10:00+00', 700);
SELECT (hrguard.score_period('2026-06-01', '2026-06-30', 'sc-emp')).scores_stored;
SELECT inputs #>> '{customer_source,n}' AS deals, inputs #>> '{customer_source,k}' AS from_nowhere,
	   inputs #> '{customer_source,sales}' AS flagged
  FROM hrguard.score WHERE employee_id = 'SCE-WEST';

-- a deal is linked to a visit from 30 days before it to 3 days after, at the
-- edges of the period too, in a time zone two days behind UTC: sce-5 (the
-- last local day) by a visit 2 days 23 hours after it, sce-8 (the first) by
-- one 29 days 23 hours before it; sce-9, at the same time, not by one 30
-- days 1 hour before it
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount) VALUES
	('sce-8', 'SCE-WEST', 'sce-far', '2026-06-03 11:00+00', 800),	-- 2026-06-01 10:00 there
	('sce-9', 'SCE-WEST', 'sce-old', '2026-06-03 11:00+00', 900);
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at) VALUES
	('scv-late', 'SCE-WEST', 'sce-c', '2026-07-05 23:30+00', '2026-07-06 00:30+00'),
	('scv-early', 'SCE-WEST', 'sce-far', '2026-05-04 12:00+00', '2026-05-04 13:00+00'),
	('scv-old', 'SCE-WEST', 'sce-old', '2026-05-04 10:00+00', '2026-05-04 11:00+00');
SELECT (hrguard.score_period('2026-06-01', '2026-06-30', 'sc-emp')).scores_stored;
SELECT inputs #>> '{unlinked_sale,n}' AS deals, inputs #>> '{unlinked_sale,k}' AS unlinked,
	   inputs #> '{unlinked_sale,sales}' AS flagged
  FROM hrguard.score WHERE employee_id = 'SCE-WEST';

-- on-duty punches of every verdict, read as the scores read them (index-only,
-- one index for on duty, one for off duty): inside and uncertain ones count,
-- one outside does not and breaks the pair before it; the hours agree with
-- hrguard.verified_hours()
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on)
VALUES ('SCV-1', 'sc-verdict', 'v', 'sales', '2025-06-01');
CALL pg_temp.office('sc-verdict', 'v office', 'v');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type) VALUES
	('SCV-1', '2026-06-01 09:00+08', 31.23, 121.47, 10, 'on_duty'),		-- inside
	('SCV-1', '2026-06-01 18:00+08', 31.23, 121.47, 10, 'off_duty'),
	('SCV-1', '2026-06-02 09:00+08', 31.23, 121.4735, 200, 'on_duty'),	-- uncertain
	('SCV-1', '2026-06-02 17:00+08', 31.23, 121.47, 10, 'off_duty'),
	('SCV-1', '2026-06-03 09:00+08', 31.23, 121.47, 10, 'on_duty'),		-- inside, then
	('SCV-1', '2026-06-03 12:00+08', 31.30, 121.60, 10, 'on_duty'),		-- outside
	('SCV-1', '2026-06-03 18:00+08', 31.23, 121.47, 10, 'off_duty'),
	('SCV-1', '2026-06-04 10:00+08', 31.30, 121.60, 10, 'on_duty'),		-- outside
	('SCV-1', '2026-06-04 16:00+08', 31.23, 121.47, 10, 'off_duty');
SELECT punched_at, check_type, verdict FROM hrguard.punch WHERE employee_id = 'SCV-1' ORDER BY punched_at;
SELECT (hrguard.score_period('2026-06-01', '2026-06-30', 'sc-verdict')).scores_stored;
SELECT s.inputs #>> '{hours_mismatch,hours}' AS hours,
	   (SELECT sum(v.verified_hours) FROM hrguard.verified_hours('SCV-1', '2026-06-01', '2026-06-30') v) AS verified
  FROM hrguard.score s WHERE s.employee_id = 'SCV-1';

-- the hours of pairs and visits at the edges of the period, in time zones
-- far from UTC, agree with hrguard.verified_hours() under any session time
-- zone: a window from 23:00 to 22:00 the next day (Pago Pago, UTC-11) whose
-- last pair closes more than three days (UTC) after the period's first;
-- a night window 22:00-06:00; a CRM visit that began three days before
-- the period
INSERT INTO hrguard.schedule (name, timezone) VALUES
	('sc-tz long', 'Pacific/Pago_Pago'), ('sc-tz night', 'Pacific/Pago_Pago');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, 1, '23:00'::time, '22:00'::time FROM hrguard.schedule WHERE name = 'sc-tz long'
UNION ALL
SELECT schedule_id, d, '22:00'::time, '06:00'::time FROM hrguard.schedule, generate_series(1, 7) d WHERE name = 'sc-tz night';
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on, timezone, schedule_id)
SELECT 'SCTZ-LONG', 'sc-tz', 'tz', 'sales', '2025-06-01'::date, 'Pacific/Pago_Pago', schedule_id
  FROM hrguard.schedule WHERE name = 'sc-tz long'
UNION ALL
SELECT 'SCTZ-NIGHT', 'sc-tz', 'tz', 'sales', '2025-06-01', 'Pacific/Pago_Pago', schedule_id
  FROM hrguard.schedule WHERE name = 'sc-tz night';
INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on)
VALUES ('SCTZ-VISIT', 'sc-tz', 'tz', 'sales', '2025-06-01');
CALL pg_temp.office('sc-tz', 'tz office', 'tz');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type) VALUES
	('SCTZ-LONG', '2026-12-01 20:00-11', 31.23, 121.47, 10, 'on_duty'),
	('SCTZ-LONG', '2026-12-02 15:00-11', 31.23, 121.47, 10, 'off_duty'),
	('SCTZ-NIGHT', '2026-11-30 23:30-11', 31.23, 121.47, 10, 'on_duty'),
	('SCTZ-NIGHT', '2026-12-01 06:10-11', 31.23, 121.47, 10, 'off_duty');
INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at)
VALUES ('sctz-c', 'sc-tz', 'C', '2026-01-01');
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at) VALUES
	('sctz-v1', 'SCTZ-VISIT', 'sctz-c', '2026-10-29 10:00+08', '2026-11-02 11:00+08'),
	('sctz-v2', 'SCTZ-VISIT', 'sctz-c', '2026-11-10 10:00+08', '2026-11-10 11:30+08');
SELECT (hrguard.score_period('2026-11-01', '2026-11-30', 'sc-tz')).scores_stored;
CREATE TEMP TABLE sc_tz_hours (zone text, employee_id text, score text, verified numeric);
DO $$
DECLARE
	z text;
BEGIN
	FOREACH z IN ARRAY ARRAY['UTC', 'Pacific/Pago_Pago', 'Pacific/Kiritimati', 'Asia/Shanghai'] LOOP
		PERFORM pg_catalog.set_config('timezone', z, true);
		INSERT INTO sc_tz_hours
		SELECT z, s.employee_id, s.inputs #>> '{hours_mismatch,hours}',
			   (SELECT sum(v.verified_hours) FROM hrguard.verified_hours(s.employee_id, '2026-11-01', '2026-11-30') v)
		  FROM hrguard.score s WHERE s.tenant_id = 'sc-tz' AND s.period_from = '2026-11-01';
	END LOOP;
END
$$;
SELECT employee_id, score, array_agg(DISTINCT verified) AS verified_in_every_zone
  FROM sc_tz_hours GROUP BY employee_id, score ORDER BY employee_id;

-- a period whose six earlier ones reach back to 1700-01-01 is scored; a
-- tenant with nobody employed is scored with a notice
SELECT (hrguard.score_period('1700-07-01', '1700-07-31', 'sc-tz')).employees;
SET client_min_messages = notice;
SELECT hrguard.score_period('2026-11-01', '2026-11-30', 'no such tenant');
SET client_min_messages = warning;
