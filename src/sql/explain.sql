-- explain.sql -- hrguard.explain(alert_id): why an alert was raised, in
-- numbers and in a sentence in Chinese and in English, for the employee,
-- the reviewer and an arbitrator.
--
-- For an alert of scoring: the inputs, the own baseline, the peers'
-- median and spread, the threshold, the points, the evidence entries the
-- score rests on, whether the stored score is reproduced from its inputs
-- (hrguard.score_evaluate) and their hash, whether its evidence entry says
-- what the row says, and the counterfactual.  For an
-- alert of a punch: its reasons, as recorded.

-- a change in percent, signed, from the log of a ratio
CREATE FUNCTION hrguard.explain_change(log_ratio numeric)
	RETURNS text
	LANGUAGE sql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT CASE WHEN $1 IS NULL THEN '?'
			ELSE pg_catalog.to_char(pg_catalog.round(100 OPERATOR(pg_catalog.*)
					(pg_catalog.exp($1) OPERATOR(pg_catalog.-) 1)), 'FMSG999990') END
$$;
COMMENT ON FUNCTION hrguard.explain_change(numeric) IS
	'internal: a change as explain() writes it';

-- a number for a sentence: rounded, with thousands separators
CREATE FUNCTION hrguard.explain_number(x numeric, decimals integer)
	RETURNS text
	LANGUAGE sql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT CASE WHEN $1 IS NULL THEN '?'
			ELSE pg_catalog.btrim(pg_catalog.to_char(pg_catalog.round($1, $2),
				 'FM999,999,999,999,990' OPERATOR(pg_catalog.||)
				 CASE WHEN $2 OPERATOR(pg_catalog.>) 0
					  THEN '.' OPERATOR(pg_catalog.||) pg_catalog.repeat('0', $2) ELSE '' END)) END
$$;
COMMENT ON FUNCTION hrguard.explain_number(numeric, integer) IS
	'internal: a number as explain() writes it';

CREATE FUNCTION hrguard.explain(alert_id bigint)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	a record;
	s record;
	kind text;
	sig jsonb;
	alert_sig jsonb;
	changed boolean;
	inp jsonb;
	recomputed jsonb;
	reproduced boolean;
	hash_ok boolean;
	facts jsonb;
	en text;
	zh text;
	days numeric;
	counterfactual jsonb := 'null';
	n numeric;
	k numeric;
	period text;
	period_zh text;
	at_utc text;
	recorded boolean;
BEGIN
	SELECT * INTO a FROM hrguard.alert al WHERE al.alert_id OPERATOR(pg_catalog.=) $1;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'no_data_found',
			MESSAGE = pg_catalog.format('there is no alert %s', $1);
	END IF;
	kind := a.kind;

	IF a.reasons OPERATOR(pg_catalog.?) 'score_id' IS NOT TRUE THEN
		at_utc := pg_catalog.to_char(pg_catalog.timezone('UTC', a.occurred_at), 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
		RETURN pg_catalog.jsonb_build_object(
			'alert_id', a.alert_id, 'employee_id', a.employee_id, 'kind', a.kind,
			'severity', a.severity, 'occurred_at', a.occurred_at, 'punch_id', a.punch_id,
			'zone_id', a.zone_id, 'reasons', a.reasons,
			'sentence_en', pg_catalog.format('The %s alert (%s) for %s at %s; its reasons list the inputs and thresholds.',
											 a.kind, a.severity, a.employee_id, at_utc),
			'sentence_zh', pg_catalog.format('%s于%s触发%s告警（%s）；原因中列出了输入与阈值。',
											 a.employee_id, at_utc, a.kind, a.severity));
	END IF;

	SELECT * INTO s FROM hrguard.score sc
	 WHERE sc.score_id OPERATOR(pg_catalog.=) (a.reasons OPERATOR(pg_catalog.->>) 'score_id')::bigint;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'no_data_found',
			MESSAGE = pg_catalog.format('the score of alert %s is no longer stored', $1);
	END IF;

	-- the score as the alert saw it, and as it stands: the sentences say
	-- how it stands (its signal and its inputs together), and whether it
	-- changed since the alert
	alert_sig := a.reasons OPERATOR(pg_catalog.->) 'signal';
	sig := COALESCE(s.signals OPERATOR(pg_catalog.->) kind, alert_sig);
	changed := sig OPERATOR(pg_catalog.<>) alert_sig;
	inp := s.inputs OPERATOR(pg_catalog.->) kind;
	recomputed := hrguard.score_evaluate(s.inputs);
	reproduced := recomputed OPERATOR(pg_catalog.=) s.signals;
	hash_ok := pg_catalog.encode(pg_catalog.sha256(hrguard.canonical_json(s.inputs::text)), 'hex')
			   OPERATOR(pg_catalog.=) s.input_hash;
	-- and the score's evidence entry says what the row says
	SELECT (p #>> '{score,input_sha256}') IS NOT DISTINCT FROM s.input_hash
		   AND (p #>> '{score,band}') IS NOT DISTINCT FROM s.band
		   AND (p #>> '{score,total_points}')::numeric IS NOT DISTINCT FROM s.total_points
		   AND (p #>> '{score,period_from}') IS NOT DISTINCT FROM pg_catalog.to_char(s.period_from, 'YYYY-MM-DD')
		   AND (p #>> '{score,period_to}') IS NOT DISTINCT FROM pg_catalog.to_char(s.period_to, 'YYYY-MM-DD')
	  INTO recorded
	  FROM (SELECT pg_catalog.convert_from(v.canon, 'UTF8')::jsonb OPERATOR(pg_catalog.->) 'p' AS p
			  FROM hrguard.evidence v
			 WHERE v.employee_id OPERATOR(pg_catalog.=) s.employee_id
			   AND v.seq OPERATOR(pg_catalog.=) s.evidence_seq
			   AND v.kind OPERATOR(pg_catalog.=) 'score') e;

	-- the evidence entries the score rests on: the employee's facts of the
	-- days read, and the score's own entry
	SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
			   'kind', f.kind, 'entries', f.entries, 'first_seq', f.first_seq, 'last_seq', f.last_seq)
			   ORDER BY f.kind)
	  INTO facts
	  FROM (SELECT v.kind, pg_catalog.count(*) AS entries, pg_catalog.min(v.seq) AS first_seq,
				   pg_catalog.max(v.seq) AS last_seq
			  FROM hrguard.evidence v
			 WHERE v.employee_id OPERATOR(pg_catalog.=) s.employee_id
			   AND v.kind OPERATOR(pg_catalog.=) ANY (ARRAY['punch', 'visit', 'sale', 'daily_report', 'leave', 'day_close'])
			   AND v.occurred_at OPERATOR(pg_catalog.>=)
				   ((s.inputs #>> '{period,first_day}')::date OPERATOR(pg_catalog.-) 1)::timestamptz
			   AND v.occurred_at OPERATOR(pg_catalog.<) (s.period_to OPERATOR(pg_catalog.+) 2)::timestamptz
			 GROUP BY v.kind) f;

	period := pg_catalog.format('%s to %s', pg_catalog.to_char(s.period_from, 'YYYY-MM-DD'),
								pg_catalog.to_char(s.period_to, 'YYYY-MM-DD'));
	period_zh := pg_catalog.format('%s至%s', pg_catalog.to_char(s.period_from, 'YYYY-MM-DD'),
								   pg_catalog.to_char(s.period_to, 'YYYY-MM-DD'));
	days := (s.inputs #>> '{hours_mismatch,days}')::numeric;

	IF kind OPERATOR(pg_catalog.=) 'hours_mismatch' THEN
		counterfactual := pg_catalog.jsonb_build_object(
			'input', 'verified_hours', 'at_least', sig OPERATOR(pg_catalog.->) 'counterfactual_hours',
			'rule', 'with at least this many verified hours (all else equal) the signal would not reach its level');
		en := pg_catalog.format(
			'In %s, sales were %s against %s at the employee''s own baseline for the same %s working days (median of %s earlier periods), %s%%; '
			'verified hours were %s against %s, %s%%; productivity was %s times the own baseline, the peers'' median %s times (%s peers, %s); '
			'modified z = %s (alert threshold %s, watch %s). It would not fire with at least %s verified hours.',
			period,
			hrguard.explain_number((inp->>'sales')::numeric, 0),
			hrguard.explain_number((sig->>'baseline_sales')::numeric OPERATOR(pg_catalog.*) days, 0),
			hrguard.explain_number(days, 1),
			pg_catalog.jsonb_array_length(inp->'baseline'),
			hrguard.explain_change(pg_catalog.ln(NULLIF((sig->>'rate_sales')::numeric, 0) OPERATOR(pg_catalog./) NULLIF((sig->>'baseline_sales')::numeric, 0))),
			hrguard.explain_number((inp->>'hours')::numeric, 1),
			hrguard.explain_number((sig->>'baseline_hours')::numeric OPERATOR(pg_catalog.*) days, 1),
			hrguard.explain_change(pg_catalog.ln(NULLIF((sig->>'rate_hours')::numeric, 0) OPERATOR(pg_catalog./) NULLIF((sig->>'baseline_hours')::numeric, 0))),
			hrguard.explain_number(pg_catalog.exp((sig->>'d')::numeric), 2),
			hrguard.explain_number(pg_catalog.exp((inp->>'peer_median')::numeric), 2),
			inp->>'peers', inp->>'peer_group',
			hrguard.explain_number((sig->>'strength')::numeric, 1),
			s.inputs #>> '{params,alert}', s.inputs #>> '{params,watch}',
			hrguard.explain_number((sig->>'counterfactual_hours')::numeric, 1));
		zh := pg_catalog.format(
			'%s销售额%s，较本人前%s期中位数（按相同%s个工作日）%s变化%s%%；有效工时%s小时，较中位数%s小时变化%s%%；'
			'单位工时业绩为本人基线的%s倍，同组中位数%s倍（%s人）；修正Z=%s（告警阈值%s，关注阈值%s）。若有效工时≥%s小时则不触发。',
			period_zh,
			hrguard.explain_number((inp->>'sales')::numeric, 0),
			pg_catalog.jsonb_array_length(inp->'baseline'),
			hrguard.explain_number(days, 1),
			hrguard.explain_number((sig->>'baseline_sales')::numeric OPERATOR(pg_catalog.*) days, 0),
			hrguard.explain_change(pg_catalog.ln(NULLIF((sig->>'rate_sales')::numeric, 0) OPERATOR(pg_catalog./) NULLIF((sig->>'baseline_sales')::numeric, 0))),
			hrguard.explain_number((inp->>'hours')::numeric, 1),
			hrguard.explain_number((sig->>'baseline_hours')::numeric OPERATOR(pg_catalog.*) days, 1),
			hrguard.explain_change(pg_catalog.ln(NULLIF((sig->>'rate_hours')::numeric, 0) OPERATOR(pg_catalog./) NULLIF((sig->>'baseline_hours')::numeric, 0))),
			hrguard.explain_number(pg_catalog.exp((sig->>'d')::numeric), 2),
			hrguard.explain_number(pg_catalog.exp((inp->>'peer_median')::numeric), 2),
			inp->>'peers',
			hrguard.explain_number((sig->>'strength')::numeric, 1),
			s.inputs #>> '{params,alert}', s.inputs #>> '{params,watch}',
			hrguard.explain_number((sig->>'counterfactual_hours')::numeric, 1));
	ELSIF kind OPERATOR(pg_catalog.=) ANY (ARRAY['customer_source', 'unlinked_sale']) THEN
		k := (inp->>'k')::numeric;
		n := (inp->>'n')::numeric;
		counterfactual := pg_catalog.jsonb_build_object(
			'input', CASE WHEN kind OPERATOR(pg_catalog.=) 'customer_source' THEN 'deals_with_unknown_customers'
						  ELSE 'deals_without_visit' END,
			'at_most', sig OPERATOR(pg_catalog.->) 'counterfactual_k',
			'rule', 'with at most this many such deals (all else equal) the signal would not reach its level');
		en := pg_catalog.format(
			'In %s, %s of %s deals (%s%%) %s, against a pooled rate of %s%% for %s peers (%s); '
			'binomial tail P = %s, Wilson lower bound %s%% (z = %s). It would not fire with at most %s such %s.',
			period, k, n,
			hrguard.explain_number(100 OPERATOR(pg_catalog.*) k OPERATOR(pg_catalog./) n, 1),
			CASE WHEN kind OPERATOR(pg_catalog.=) 'customer_source'
				 THEN 'were with customers missing from the customer master when the deal closed, or created by the employee in the 7 days before it'
				 ELSE 'had no visit to the customer from 30 days before to 3 days after the deal' END,
			hrguard.explain_number(100 OPERATOR(pg_catalog.*) (sig->>'p0')::numeric, 2),
			inp->>'peers', inp->>'peer_group',
			pg_catalog.btrim(pg_catalog.to_char((sig->>'tail')::float8, '9.99EEEE')),
			hrguard.explain_number(100 OPERATOR(pg_catalog.*) (sig->>'wilson_lower')::numeric, 1),
			s.inputs #>> '{params,wilson_z}',
			sig->>'counterfactual_k',
			CASE WHEN sig->>'counterfactual_k' OPERATOR(pg_catalog.=) '1' THEN 'deal' ELSE 'deals' END);
		zh := pg_catalog.format(
			'%s共%s笔成交中有%s笔（%s%%）%s，同组%s人合并比例为%s%%；二项分布尾概率P=%s，Wilson下界%s%%（z=%s）。若此类成交不超过%s笔则不触发。',
			period_zh, n, k,
			hrguard.explain_number(100 OPERATOR(pg_catalog.*) k OPERATOR(pg_catalog./) n, 1),
			CASE WHEN kind OPERATOR(pg_catalog.=) 'customer_source'
				 THEN '的客户在成交时不在客户主数据中，或由本人在成交前7天内创建'
				 ELSE '在成交前30天至成交后3天内没有对该客户的拜访记录' END,
			inp->>'peers',
			hrguard.explain_number(100 OPERATOR(pg_catalog.*) (sig->>'p0')::numeric, 2),
			pg_catalog.btrim(pg_catalog.to_char((sig->>'tail')::float8, '9.99EEEE')),
			hrguard.explain_number(100 OPERATOR(pg_catalog.*) (sig->>'wilson_lower')::numeric, 1),
			s.inputs #>> '{params,wilson_z}',
			sig->>'counterfactual_k');
	ELSE
		k := pg_catalog.length(pg_catalog.replace(inp->>'missed', '0', ''));
		n := pg_catalog.length(inp->>'missed');
		en := pg_catalog.format(
			'In %s, the daily report was missing or late on %s of %s working days; against an expected miss rate of %s%%, '
			'the CUSUM reached %s (threshold %s).',
			period, k, n, hrguard.explain_number(100 OPERATOR(pg_catalog.*) (sig->>'p0')::numeric, 1),
			hrguard.explain_number((sig->>'cusum')::numeric, 2), sig->>'cusum_h');
		zh := pg_catalog.format(
			'%s的%s个工作日中有%s天日报缺失或迟交；按预期缺失率%s%%，累积和（CUSUM）达到%s（阈值%s）。',
			period_zh, n, k, hrguard.explain_number(100 OPERATOR(pg_catalog.*) (sig->>'p0')::numeric, 1),
			hrguard.explain_number((sig->>'cusum')::numeric, 2), sig->>'cusum_h');
	END IF;

	IF changed THEN
		en := en OPERATOR(pg_catalog.||) ' New facts have changed the score since the alert was raised; this says how it stands now (the alert''s own figures are under "signal").';
		zh := zh OPERATOR(pg_catalog.||) '告警触发后，新的事实改变了评分；以上为当前评分（告警时的数值见"signal"）。';
	END IF;

	RETURN pg_catalog.jsonb_build_object(
		'alert_id', a.alert_id, 'employee_id', a.employee_id, 'kind', kind, 'severity', a.severity,
		'period_from', s.period_from, 'period_to', s.period_to,
		'score_id', s.score_id, 'algorithm', s.algorithm, 'input_sha256', s.input_hash,
		'band', s.band, 'total_points', s.total_points,
		'family_points', s.signals OPERATOR(pg_catalog.->) 'family_points',
		'inputs', inp,
		'signal', alert_sig,
		'signal_now', sig,
		'threshold', pg_catalog.jsonb_build_object('watch', s.inputs #> '{params,watch}',
												  'alert', s.inputs #> '{params,alert}'),
		'counterfactual', counterfactual,
		'reproduced', reproduced AND hash_ok,
		'recorded', COALESCE(recorded, false),
		'score_changed_since_alert', changed,
		'evidence', pg_catalog.jsonb_build_object('chain', s.employee_id, 'score_seq', s.evidence_seq,
												 'facts', COALESCE(facts, '[]')),
		'sentence_en', en,
		'sentence_zh', zh);
END
$$;
REVOKE ALL ON FUNCTION hrguard.explain(bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.explain(bigint) IS
	'why an alert was raised: inputs, baseline, peers, threshold, points, evidence entries, counterfactual, and a sentence in Chinese and in English; for scoring alerts also whether the stored score is reproduced from its inputs';
