-- score.sql -- scoring sales against verified hours (score_period.c,
-- score_inputs.c, score_signals.c): the scores, how they are computed and
-- explained, and the views HR applications read.

CREATE TABLE hrguard.score (
	score_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.employee,
	tenant_id		text NOT NULL,
	period_from		date NOT NULL,
	period_to		date NOT NULL,
	algorithm		text NOT NULL,
	band			text NOT NULL,
	total_points	numeric NOT NULL,
	time_points		numeric NOT NULL,
	customer_points numeric NOT NULL,
	visit_points	numeric NOT NULL,
	reporting_points numeric NOT NULL,
	location_points numeric NOT NULL,
	signals			jsonb NOT NULL,
	inputs			jsonb NOT NULL,
	input_hash		text NOT NULL,
	evidence_seq	bigint NOT NULL,
	computed_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	revision		integer NOT NULL DEFAULT 1,
	UNIQUE (employee_id, period_from, period_to),
	CONSTRAINT score_band_valid
		CHECK (band OPERATOR(pg_catalog.=) ANY ('{none,watch,alert,priority}'::pg_catalog.text[])),
	CONSTRAINT score_period_valid
		CHECK (period_to OPERATOR(pg_catalog.>=) period_from)
) WITH (toast_tuple_target = 8160);	-- a score (3-4 kB) kept whole, not compressed
CREATE INDEX score_period_idx ON hrguard.score (period_from, period_to);
REVOKE ALL ON hrguard.score FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.score', '');
SELECT pg_catalog.pg_extension_config_dump('hrguard.score_score_id_seq', '');
COMMENT ON TABLE hrguard.score IS
	'one score per employee and period: points per signal family, the band, the signals and the inputs they were computed from';
COMMENT ON COLUMN hrguard.score.inputs IS
	'everything the score was computed from (own periods, peers'' summaries, parameters); hrguard.score_evaluate(inputs) gives signals again';
COMMENT ON COLUMN hrguard.score.input_hash IS
	'SHA-256 (hex) of the canonical JSON of inputs; recorded in the evidence entry';
COMMENT ON COLUMN hrguard.score.evidence_seq IS
	'the entry of the employee''s evidence chain that records this score';

-- written by score_period() only (score_guard.c)
CREATE FUNCTION hrguard.score_guard()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_score_guard';
REVOKE ALL ON FUNCTION hrguard.score_guard() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.score_guard() IS
	'score trigger: scores are written by hrguard.score_period() only, never deleted or truncated';
CREATE TRIGGER score_guard BEFORE INSERT OR UPDATE OR DELETE ON hrguard.score
	FOR EACH ROW EXECUTE FUNCTION hrguard.score_guard();
CREATE TRIGGER score_guard_truncate BEFORE TRUNCATE ON hrguard.score
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.score_guard();
ALTER TABLE hrguard.score ENABLE ALWAYS TRIGGER score_guard, ENABLE ALWAYS TRIGGER score_guard_truncate;

CREATE FUNCTION hrguard.score_period(from_day date, to_day date, tenant_id text DEFAULT NULL,
		OUT employees bigint, OUT scores_stored bigint, OUT alerts_raised bigint)
	RETURNS record
	LANGUAGE c
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'hrguard_score_period';
REVOKE ALL ON FUNCTION hrguard.score_period(date, date, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.score_period(date, date, text) IS
	'scores every employee (of one tenant, or of all) employed in a past period (hours_mismatch, customer_source, unlinked_sale, report_gap), stores and records the scores and raises alerts; running it again changes only what new facts change';

CREATE FUNCTION hrguard.score_evaluate(inputs jsonb)
	RETURNS jsonb
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_score_evaluate_sql';
COMMENT ON FUNCTION hrguard.score_evaluate(jsonb) IS
	'the signals, points and band a score''s inputs give: recomputes hrguard.score.signals from hrguard.score.inputs';

-- per score: the mismatch of sales against verified hours
CREATE VIEW hrguard.mismatch_scores WITH (security_invoker = true) AS
SELECT s.score_id, s.employee_id, e.display_name, e.team, e.role,
	   s.period_from, s.period_to,
	   s.signals #>> '{hours_mismatch,status}' AS status,
	   s.signals #>> '{hours_mismatch,level}' AS level,
	   (s.signals #>> '{hours_mismatch,strength}')::numeric AS modified_z,
	   (s.signals #>> '{hours_mismatch,d}')::numeric AS d,
	   (s.signals #>> '{hours_mismatch,points}')::numeric AS points,
	   (s.inputs #>> '{hours_mismatch,sales}')::numeric AS sales,
	   (s.inputs #>> '{hours_mismatch,hours}')::numeric AS verified_hours,
	   (s.inputs #>> '{hours_mismatch,declared_hours}')::numeric AS declared_hours,
	   (s.inputs #>> '{hours_mismatch,days}')::numeric AS working_days,
	   (s.inputs #>> '{hours_mismatch,deals}')::integer AS deals,
	   (s.signals #>> '{hours_mismatch,baseline_sales}')::numeric AS baseline_sales_per_day,
	   (s.signals #>> '{hours_mismatch,baseline_hours}')::numeric AS baseline_hours_per_day,
	   s.inputs #>> '{hours_mismatch,peer_group}' AS peer_group,
	   (s.inputs #>> '{hours_mismatch,peers}')::integer AS peers,
	   (s.signals #>> '{hours_mismatch,counterfactual_hours}')::numeric AS counterfactual_hours,
	   s.band, s.total_points
  FROM hrguard.score s
  LEFT JOIN hrguard.employee e ON e.employee_id OPERATOR(pg_catalog.=) s.employee_id;
COMMENT ON VIEW hrguard.mismatch_scores IS
	'per score: sales against verified hours, own baseline, peers, modified z and the hours from which it would not fire';

-- deals with no visit behind them: a review of the commission, never a hold
CREATE VIEW hrguard.commission_review WITH (security_invoker = true) AS
SELECT s.score_id, s.employee_id, s.period_from, s.period_to, f.sale_id,
	   d.customer_id, d.closed_at, d.amount
  FROM hrguard.score s
 CROSS JOIN LATERAL pg_catalog.jsonb_array_elements_text(s.inputs #> '{unlinked_sale,sales}') AS f(sale_id)
  LEFT JOIN hrguard.sale d ON d.sale_id OPERATOR(pg_catalog.=) f.sale_id;
COMMENT ON VIEW hrguard.commission_review IS
	'deals with no visit to the customer from 30 days before to 3 days after: to review before commission is paid; not a reason to hold it by itself';

CREATE VIEW hrguard.employee_risk WITH (security_invoker = true) AS
SELECT e.employee_id, e.display_name, e.team,
	   pg_catalog.count(a.alert_id) AS alerts,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.severity OPERATOR(pg_catalog.=) 'priority') AS priority,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.severity OPERATOR(pg_catalog.=) 'alert') AS alert,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.severity OPERATOR(pg_catalog.=) 'watch') AS watch,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'outside_zone') AS outside_zone,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'competitor_zone') AS competitor_zone,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'competitor_pattern') AS competitor_pattern,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'off_hours') AS off_hours,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'impossible_travel') AS impossible_travel,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'spoof_suspected') AS spoof_suspected,
	   pg_catalog.max(a.occurred_at) AS last_alert_at,
	   ls.period_from AS scored_from, ls.period_to AS scored_to,
	   ls.time_points, ls.customer_points, ls.visit_points, ls.reporting_points, ls.location_points,
	   ls.total_points, COALESCE(ls.band, 'none') AS band
  FROM hrguard.employee e
  LEFT JOIN hrguard.alert a
	ON a.employee_id OPERATOR(pg_catalog.=) e.employee_id
   AND a.status OPERATOR(pg_catalog.<>) 'dismissed'
   AND a.raised_at OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) '30 days'::interval)
  LEFT JOIN LATERAL (
	SELECT s.period_from, s.period_to, s.time_points, s.customer_points, s.visit_points,
		   s.reporting_points, s.location_points, s.total_points, s.band
	  FROM hrguard.score s
	 WHERE s.employee_id OPERATOR(pg_catalog.=) e.employee_id
	 ORDER BY s.period_to DESC, s.period_from DESC
	 LIMIT 1) ls ON true
 GROUP BY e.employee_id, e.display_name, e.team, ls.period_from, ls.period_to, ls.time_points,
		  ls.customer_points, ls.visit_points, ls.reporting_points, ls.location_points,
		  ls.total_points, ls.band;
COMMENT ON VIEW hrguard.employee_risk IS
	'per employee: alerts of the last 30 days that were not dismissed, by severity and kind; points per signal family and the band of the latest period scored';
