-- verify_facts.sql -- completeness of the evidence: every punch, alert,
-- sales fact, contract and non-compete payment has its entry, the entry says what the row says, and no entry
-- claims a punch or an alert that is not there.  verify_all() checks that
-- the chains are intact; this checks that they are complete.

CREATE FUNCTION hrguard.verify_facts(
		OUT fact text, OUT fact_id bigint, OUT employee_id text, OUT seq bigint,
		OUT problem text)
	RETURNS SETOF record
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
WITH sales_fact AS (
	SELECT 'customer' AS fact,
		   COALESCE(c.created_by, 'tenant:' OPERATOR(pg_catalog.||) c.tenant_id) AS chain,
		   c.customer_id AS key
	  FROM hrguard.customer c
	UNION ALL SELECT 'visit', v.employee_id, v.visit_id FROM hrguard.visit v
	UNION ALL SELECT 'sale', s.employee_id, s.sale_id FROM hrguard.sale s
	UNION ALL SELECT 'daily_report', d.employee_id, pg_catalog.to_char(d.report_date, 'YYYY-MM-DD')
	  FROM hrguard.daily_report d
	UNION ALL SELECT 'leave', l.employee_id, l.leave_id FROM hrguard.leave l
	UNION ALL SELECT 'contract', k.employee_id, k.contract_id::pg_catalog.text FROM hrguard.contract k
	UNION ALL SELECT 'noncompete_payment', k.employee_id, p.payment_id::pg_catalog.text
	  FROM hrguard.noncompete_payment p JOIN hrguard.contract k USING (contract_id)
), sales_entry AS (
	SELECT e.kind AS fact, e.employee_id AS chain, e.seq,
		   (pg_catalog.convert_from(e.canon, 'UTF8')::pg_catalog.jsonb) OPERATOR(pg_catalog.->) 'p'
		   OPERATOR(pg_catalog.->>) CASE e.kind WHEN 'customer' THEN 'customer_id' WHEN 'visit' THEN 'visit_id'
										WHEN 'sale' THEN 'sale_id' WHEN 'daily_report' THEN 'report_date'
										WHEN 'contract' THEN 'contract_id' WHEN 'noncompete_payment' THEN 'payment_id'
										ELSE 'leave_id' END AS key
	  FROM hrguard.evidence e
	 WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['customer', 'visit', 'sale', 'daily_report', 'leave',
												  'contract', 'noncompete_payment'])
), punch_entry AS (
	SELECT e.employee_id, e.seq, e.occurred_at,
		   (pg_catalog.convert_from(e.canon, 'UTF8')::pg_catalog.jsonb) OPERATOR(pg_catalog.->) 'p' AS p
	  FROM hrguard.evidence e
	 WHERE e.kind OPERATOR(pg_catalog.=) 'punch'
), score_entry AS (
	SELECT e.employee_id, e.seq,
		   (pg_catalog.convert_from(e.canon, 'UTF8')::pg_catalog.jsonb) OPERATOR(pg_catalog.#>) '{p,score}' AS p
	  FROM hrguard.evidence e
	 WHERE e.kind OPERATOR(pg_catalog.=) 'score'
), alert_entry AS (
	SELECT e.employee_id, e.seq,
		   (pg_catalog.convert_from(e.canon, 'UTF8')::pg_catalog.jsonb) OPERATOR(pg_catalog.->) 'p' AS p
	  FROM hrguard.evidence e
	 WHERE e.kind OPERATOR(pg_catalog.=) 'alert'
)
SELECT 'punch', pu.punch_id, pu.employee_id, pu.evidence_seq, 'the punch has no evidence entry'
  FROM hrguard.punch pu
 WHERE NOT EXISTS (SELECT FROM punch_entry pe
					WHERE pe.employee_id OPERATOR(pg_catalog.=) pu.employee_id
					  AND pe.seq OPERATOR(pg_catalog.=) pu.evidence_seq)
UNION ALL
SELECT 'punch', pu.punch_id, pu.employee_id, pu.evidence_seq,
	   'the evidence entry does not say what the punch says'
  FROM hrguard.punch pu
  JOIN punch_entry pe
	ON pe.employee_id OPERATOR(pg_catalog.=) pu.employee_id
   AND pe.seq OPERATOR(pg_catalog.=) pu.evidence_seq
 WHERE (pe.p OPERATOR(pg_catalog.->>) 'punch_id')::pg_catalog.int8 IS DISTINCT FROM pu.punch_id
	OR pe.occurred_at IS DISTINCT FROM pu.punched_at
	OR (pe.p OPERATOR(pg_catalog.->>) 'device_id') IS DISTINCT FROM pu.device_id
	OR (pe.p OPERATOR(pg_catalog.->>) 'source') IS DISTINCT FROM pu.source
	OR (pe.p OPERATOR(pg_catalog.->>) 'source_record_id') IS DISTINCT FROM pu.source_record_id
	OR (pe.p OPERATOR(pg_catalog.->>) 'check_type') IS DISTINCT FROM pu.check_type
	OR (pe.p OPERATOR(pg_catalog.->>) 'verdict') IS DISTINCT FROM pu.verdict
	OR (pe.p OPERATOR(pg_catalog.->>) 'zone_id')::pg_catalog.int8 IS DISTINCT FROM pu.zone_id
	OR (pe.p OPERATOR(pg_catalog.->>) 'watched_zone_id')::pg_catalog.int8 IS DISTINCT FROM pu.watched_zone_id
	OR (pe.p OPERATOR(pg_catalog.->>) 'off_hours')::pg_catalog.bool IS DISTINCT FROM pu.off_hours
	OR ((pe.p OPERATOR(pg_catalog.->>) 'lat_e7') IS NULL) OPERATOR(pg_catalog.<>) (pu.lat IS NULL)
	OR pg_catalog.abs(pu.lat OPERATOR(pg_catalog.*) 1e7::pg_catalog.float8
					  OPERATOR(pg_catalog.-) (pe.p OPERATOR(pg_catalog.->>) 'lat_e7')::pg_catalog.float8)
	   OPERATOR(pg_catalog.>) 0.51::pg_catalog.float8
	OR pg_catalog.abs(pu.lon OPERATOR(pg_catalog.*) 1e7::pg_catalog.float8
					  OPERATOR(pg_catalog.-) (pe.p OPERATOR(pg_catalog.->>) 'lon_e7')::pg_catalog.float8)
	   OPERATOR(pg_catalog.>) 0.51::pg_catalog.float8
UNION ALL
SELECT 'punch', (pe.p OPERATOR(pg_catalog.->>) 'punch_id')::pg_catalog.int8, pe.employee_id, pe.seq,
	   'the evidence entry is of a punch that is not stored'
  FROM punch_entry pe
 WHERE NOT EXISTS (SELECT FROM hrguard.punch pu
					WHERE pu.employee_id OPERATOR(pg_catalog.=) pe.employee_id
					  AND pu.evidence_seq OPERATOR(pg_catalog.=) pe.seq)
UNION ALL
SELECT 'punch', pu.punch_id, pu.employee_id, pu.evidence_seq, 'the punch''s employee is not registered'
  FROM hrguard.punch pu
 WHERE NOT EXISTS (SELECT FROM hrguard.employee em
					WHERE em.employee_id OPERATOR(pg_catalog.=) pu.employee_id)
UNION ALL
SELECT 'alert', al.alert_id, al.employee_id, NULL, 'the alert''s employee is not registered'
  FROM hrguard.alert al
 WHERE NOT EXISTS (SELECT FROM hrguard.employee em
					WHERE em.employee_id OPERATOR(pg_catalog.=) al.employee_id)
UNION ALL
SELECT 'alert', al.alert_id, al.employee_id, NULL, 'the alert has no evidence entry'
  FROM hrguard.alert al
 WHERE NOT EXISTS (SELECT FROM alert_entry ae
					WHERE ae.employee_id OPERATOR(pg_catalog.=) al.employee_id
					  AND (ae.p OPERATOR(pg_catalog.->>) 'alert_id')::pg_catalog.int8
						  OPERATOR(pg_catalog.=) al.alert_id)
UNION ALL
SELECT 'alert', al.alert_id, al.employee_id, ae.seq,
	   'the evidence entry does not say what the alert says'
  FROM hrguard.alert al
  JOIN alert_entry ae
	ON ae.employee_id OPERATOR(pg_catalog.=) al.employee_id
   AND (ae.p OPERATOR(pg_catalog.->>) 'alert_id')::pg_catalog.int8 OPERATOR(pg_catalog.=) al.alert_id
 WHERE (ae.p OPERATOR(pg_catalog.->>) 'alert_kind') IS DISTINCT FROM al.kind
	OR (ae.p OPERATOR(pg_catalog.->>) 'severity') IS DISTINCT FROM al.severity
	OR (ae.p OPERATOR(pg_catalog.->>) 'punch_id')::pg_catalog.int8 IS DISTINCT FROM al.punch_id
UNION ALL
SELECT 'alert', (ae.p OPERATOR(pg_catalog.->>) 'alert_id')::pg_catalog.int8, ae.employee_id, ae.seq,
	   'the evidence entry is of an alert that is not stored'
  FROM alert_entry ae
 WHERE NOT EXISTS (SELECT FROM hrguard.alert al
					WHERE al.employee_id OPERATOR(pg_catalog.=) ae.employee_id
					  AND al.alert_id OPERATOR(pg_catalog.=)
						  (ae.p OPERATOR(pg_catalog.->>) 'alert_id')::pg_catalog.int8)
UNION ALL
SELECT f.fact, NULL, f.chain, NULL,
	   pg_catalog.format('the %s %s has no evidence entry', f.fact, f.key)
  FROM sales_fact f
 WHERE NOT EXISTS (SELECT FROM sales_entry se
					WHERE se.fact OPERATOR(pg_catalog.=) f.fact
					  AND se.chain OPERATOR(pg_catalog.=) f.chain
					  AND se.key OPERATOR(pg_catalog.=) f.key)
UNION ALL
SELECT se.fact, NULL, se.chain, se.seq,
	   pg_catalog.format('the evidence entry is of a %s that is not stored: %s', se.fact, se.key)
  FROM sales_entry se
 WHERE NOT EXISTS (SELECT FROM sales_fact f
					WHERE f.fact OPERATOR(pg_catalog.=) se.fact
					  AND f.chain OPERATOR(pg_catalog.=) se.chain
					  AND f.key OPERATOR(pg_catalog.=) se.key)
UNION ALL
SELECT se.fact, NULL, se.chain, se.seq,
	   pg_catalog.format('an earlier evidence entry already claims the %s %s', se.fact, se.key)
  FROM sales_entry se
 WHERE EXISTS (SELECT FROM sales_entry o
				WHERE o.fact OPERATOR(pg_catalog.=) se.fact AND o.chain OPERATOR(pg_catalog.=) se.chain
				  AND o.key OPERATOR(pg_catalog.=) se.key AND o.seq OPERATOR(pg_catalog.<) se.seq)
UNION ALL
SELECT 'score', sc.score_id, sc.employee_id, sc.evidence_seq,
	   CASE WHEN se.seq IS NULL THEN 'the score has no evidence entry'
			ELSE 'the evidence entry does not say what the score says' END
  FROM hrguard.score sc
  LEFT JOIN score_entry se
	ON se.employee_id OPERATOR(pg_catalog.=) sc.employee_id
   AND se.seq OPERATOR(pg_catalog.=) sc.evidence_seq
 WHERE se.seq IS NULL
	OR (se.p OPERATOR(pg_catalog.->>) 'input_sha256') IS DISTINCT FROM sc.input_hash
	OR (se.p OPERATOR(pg_catalog.->>) 'algorithm') IS DISTINCT FROM sc.algorithm
	OR (se.p OPERATOR(pg_catalog.->>) 'band') IS DISTINCT FROM sc.band
	OR (se.p OPERATOR(pg_catalog.->>) 'period_from') IS DISTINCT FROM pg_catalog.to_char(sc.period_from, 'YYYY-MM-DD')
	OR (se.p OPERATOR(pg_catalog.->>) 'period_to') IS DISTINCT FROM pg_catalog.to_char(sc.period_to, 'YYYY-MM-DD')
	OR (se.p OPERATOR(pg_catalog.->>) 'total_points')::pg_catalog.numeric IS DISTINCT FROM sc.total_points
	OR (se.p OPERATOR(pg_catalog.#>>) '{points,time}')::pg_catalog.numeric IS DISTINCT FROM sc.time_points
	OR (se.p OPERATOR(pg_catalog.#>>) '{points,customer}')::pg_catalog.numeric IS DISTINCT FROM sc.customer_points
	OR (se.p OPERATOR(pg_catalog.#>>) '{points,visit}')::pg_catalog.numeric IS DISTINCT FROM sc.visit_points
	OR (se.p OPERATOR(pg_catalog.#>>) '{points,reporting}')::pg_catalog.numeric IS DISTINCT FROM sc.reporting_points
	OR (se.p OPERATOR(pg_catalog.#>>) '{points,location}')::pg_catalog.numeric IS DISTINCT FROM sc.location_points
ORDER BY 3, 4, 1, 2
$$;
REVOKE ALL ON FUNCTION hrguard.verify_facts() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.verify_facts() IS
	'completeness: one row per punch or alert without its evidence entry or of an employee not registered, entry that does not say what its row says, or entry of a row that is not stored, per customer, visit, sale, daily report, leave, contract or non-compete payment without its entry, entry without its row, or second entry claiming it, and per score without its entry or whose entry does not say what it says; none when complete';
