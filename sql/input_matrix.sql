-- input_matrix: every column of a punch and every argument of every public
-- function, in turn NULL, empty, extreme (infinities, NaN, 1e308, -0, the
-- ends of the datetime range) and oversized.  Each is answered by a result
-- or a specific SQLSTATE, never XX000, within the statement timeout, and a
-- call that fails writes nothing: at the end every punch and alert has its
-- evidence entry and every chain verifies.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
SET statement_timeout = '20s';

INSERT INTO hrguard.employee (employee_id, team) VALUES ('MX1', 'matrix'), ('MX2', 'matrix');
INSERT INTO hrguard.zone (name, kind, center, radius_m)
VALUES ('matrix office', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 300);
INSERT INTO hrguard.zone_assignment (zone_id, team)
SELECT zone_id, 'matrix' FROM hrguard.zone WHERE name = 'matrix office';
SELECT zone_id AS zone FROM hrguard.zone WHERE name = 'matrix office' \gset
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m)
VALUES ('MX2', '2026-11-23 10:00+08', 31.2, 121.4, 10), ('MX2', '2026-11-23 03:00+08', 31.2, 121.4, 10);
SELECT max(alert_id) AS alert FROM hrguard.alert WHERE employee_id = 'MX2' \gset
SELECT hrguard.checkpoint() AS ck \gset
SELECT (hrguard.verify_checkpoint(:'ck')).tree_size AS tree \gset
CREATE TABLE matrix_log (id int);
-- a case in decision, with a rebuttal to acknowledge
UPDATE hrguard.employee SET hired_on = '2020-01-01' WHERE employee_id = 'MX1';
INSERT INTO hrguard.case_actor (actor, display_name, duty) VALUES ('mxh', 'Matrix HR', 'hr'), ('mxl', 'Matrix Counsel', 'er_legal');
SELECT hrguard.open_case('MX2', 'mxh', 'matrix', ARRAY[:alert]) AS mxcase \gset
UPDATE hrguard."case" SET opened_at = '2026-11-01 00:00+08' WHERE case_id = :mxcase;
SELECT hrguard.case_transition(:mxcase, 'verifying', 'mxh') || hrguard.case_transition(:mxcase, 'interview', 'mxh')
	   || hrguard.case_interview(:mxcase, 'mxh', '2026-11-24 10:00+08', 'room', ARRAY['mxh', 'MX2'], 'none', 'signed')
	   || hrguard.case_transition(:mxcase, 'evidence_review', 'mxh') || hrguard.case_transition(:mxcase, 'decision', 'mxh')
	   AS mx_steps;
SELECT hrguard.case_rebuttal(:mxcase, 'mxh', '2026-11-24 11:00+08', 'not me') AS mxrebuttal \gset

-- the values tried for each type, in the order they are reported
CREATE TEMP TABLE value_case (type regtype, ord int, label text, expr text);
INSERT INTO value_case VALUES
	('text', 1, 'null', 'NULL::text'),
	('text', 2, 'empty', $$''$$),
	('text', 3, 'blank', $$' '$$),
	('text', 4, 'cjk', $$'中文é'$$),
	('text', 5, 'huge', $$repeat('x', 1000000)$$),
	('float8', 1, 'null', 'NULL::float8'),
	('float8', 2, 'nan', $$'NaN'::float8$$),
	('float8', 3, 'inf', $$'Infinity'::float8$$),
	('float8', 4, '-inf', $$'-Infinity'::float8$$),
	('float8', 5, '1e308', '1e308::float8'),
	('float8', 6, '-1e308', '-1e308::float8'),
	('float8', 7, '-0', $$'-0'::float8$$),
	('float8', 8, 'denormal', '5e-324::float8'),
	('timestamptz', 1, 'null', 'NULL::timestamptz'),
	('timestamptz', 2, 'inf', $$'infinity'::timestamptz$$),
	('timestamptz', 3, '-inf', $$'-infinity'::timestamptz$$),
	('timestamptz', 4, 'min', $$'4713-01-01 00:00+00 BC'::timestamptz$$),
	('timestamptz', 5, 'max', $$'294276-12-31 23:59:59+00'::timestamptz$$),
	('timestamptz', 6, '1699', $$'1699-12-31 23:59:59+00'::timestamptz$$),
	('timestamptz', 7, '2200', $$'2200-01-01 00:00+00'::timestamptz$$),
	('date', 1, 'null', 'NULL::date'),
	('date', 2, 'inf', $$'infinity'::date$$),
	('date', 3, '-inf', $$'-infinity'::date$$),
	('date', 4, 'min', $$'4713-01-01 BC'::date$$),
	('date', 5, 'max', $$'5874897-12-31'::date$$),
	('bigint', 1, 'null', 'NULL::bigint'),
	('bigint', 2, '0', '0::bigint'),
	('bigint', 3, '-1', '-1::bigint'),
	('bigint', 4, 'max', '9223372036854775807::bigint'),
	('bigint', 5, 'min', '(-9223372036854775807 - 1)::bigint'),
	('integer', 1, 'null', 'NULL::integer'),
	('integer', 2, '0', '0'),
	('integer', 3, '-1', '-1'),
	('integer', 4, 'max', '2147483647'),
	('integer', 5, 'min', '(-2147483647 - 1)'),
	('boolean', 1, 'null', 'NULL::boolean'),
	('boolean', 2, 'true', 'true'),
	('jsonb', 1, 'null', 'NULL::jsonb'),
	('jsonb', 2, 'json-null', $$'null'::jsonb$$),
	('jsonb', 3, 'array', $$'[]'::jsonb$$),
	('jsonb', 4, 'string', $$'"s"'::jsonb$$),
	('jsonb', 5, 'deep', $$(repeat('[', 5000) || repeat(']', 5000))::jsonb$$),
	('jsonb', 6, 'huge', $$jsonb_build_object('x', repeat('j', 1000000))$$),
	('bytea', 1, 'null', 'NULL::bytea'),
	('bytea', 2, 'empty', $$''::bytea$$),
	('bytea', 3, 'not-utf8', $$'\xff00fe'::bytea$$),
	('bytea', 4, 'huge', $$convert_to(repeat('b', 1000000), 'UTF8')$$),
	('bytea[]', 1, 'null', 'NULL::bytea[]'),
	('bytea[]', 2, 'empty', $$'{}'::bytea[]$$),
	('bytea[]', 3, 'null-item', $$'{NULL}'::bytea[]$$),
	('bytea[]', 4, 'short-item', $$'{"\\x00"}'::bytea[]$$),
	('bytea[]', 5, '2-dim', $$ARRAY[[sha256('a'), sha256('b')], [sha256('c'), sha256('d')]]$$),
	('bytea[]', 6, 'huge', $$(SELECT array_agg(sha256(int4send(g))) FROM generate_series(1, 100000) g)$$),
	('text[]', 1, 'null', 'NULL::text[]'),
	('text[]', 2, 'empty', $$'{}'::text[]$$),
	('text[]', 3, 'null-item', $$'{NULL}'::text[]$$),
	('float8[]', 1, 'null', 'NULL::float8[]'),
	('float8[]', 2, 'empty', $$'{}'::float8[]$$),
	('float8[]', 3, 'null-item', $$'{1, NULL}'::float8[]$$),
	('float8[]', 4, 'nan-item', $$'{1, NaN}'::float8[]$$),
	('float8[]', 5, '2-dim', $$'{{1, 2}, {3, 4}}'::float8[]$$),
	('float8[]', 6, 'huge', $$(SELECT array_agg(g::float8) FROM generate_series(1, 1000001) g)$$),
	('tstzmultirange', 1, 'null', 'NULL::tstzmultirange'),
	('tstzmultirange', 2, 'empty', $$'{}'::tstzmultirange$$),
	('tstzmultirange', 3, 'infinite', $$'{[-infinity, infinity)}'::tstzmultirange$$),
	('tstzmultirange', 4, 'unbounded', $$'{(,)}'::tstzmultirange$$),
	('regclass', 1, 'null', 'NULL::regclass'),
	('regclass', 2, '0', '0::regclass'),
	('regclass', 3, 'catalog', $$'pg_class'::regclass$$),
	('numeric', 1, 'null', 'NULL::numeric'),
	('numeric', 2, 'nan', $$'NaN'::numeric$$),
	('numeric', 3, 'inf', $$'Infinity'::numeric$$),
	('numeric', 4, '-1', '-1::numeric'),
	('numeric', 5, 'huge', '1e300::numeric'),
	('bigint[]', 1, 'null', 'NULL::bigint[]'),
	('bigint[]', 2, 'null-item', $$'{NULL}'::bigint[]$$),
	('bigint[]', 3, '2-dim', $$'{{1, 2}, {3, 4}}'::bigint[]$$);

-- every function of the schema that is not internal, with arguments that
-- work; each argument is replaced in turn by every value of its type
CREATE TEMP TABLE mx_clock (who text, at timestamptz);
CREATE TEMP TABLE fn_base (fn regprocedure, args text[]);
INSERT INTO fn_base VALUES
	('hrguard.is_timezone(text)', ARRAY[$$'Asia/Shanghai'$$]),
	('hrguard.wgs84_to_gcj02(float8, float8)', ARRAY['31.2', '121.4']),
	('hrguard.gcj02_to_wgs84(float8, float8)', ARRAY['31.2', '121.4']),
	('hrguard.gcj02_to_bd09(float8, float8)', ARRAY['31.2', '121.4']),
	('hrguard.bd09_to_gcj02(float8, float8)', ARRAY['31.2', '121.4']),
	('hrguard.to_wgs84(float8, float8, text)', ARRAY['31.2', '121.4', $$'gcj02'$$]),
	('hrguard.geodesic_distance(float8, float8, float8, float8)', ARRAY['31.2', '121.4', '31.3', '121.5']),
	('hrguard.classify_point(text, timestamptz, float8, float8, float8, text)',
	 ARRAY[$$'MX1'$$, $$'2026-11-23 10:00+08'$$, '31.2', '121.4', '10', $$'wgs84'$$]),
	('hrguard.zone_locate(bigint, float8, float8, float8)', ARRAY[:'zone', '31.2', '121.4', '10']),
	('hrguard.zone_distance(bigint, float8, float8)', ARRAY[:'zone', '31.2', '121.4']),
	('hrguard.alert_payload(bigint)', ARRAY[:'alert']),
	('hrguard.relay_alerts(integer)', ARRAY['10']),
	('hrguard.canonical_json(text)', ARRAY[$$'{"b": 1, "a": [2.50, "x"]}'::text$$]),
	('hrguard.canonical_json(bytea)', ARRAY[$$convert_to('{"b": 1}', 'UTF8')$$]),
	('hrguard.make_append_only(regclass)', ARRAY[$$'matrix_log'::regclass$$]),
	('hrguard.record_evidence(text, text, jsonb, timestamptz)',
	 ARRAY[$$'MX1'$$, $$'note'$$, $$'{"n": 1}'$$, $$'2026-11-23 10:00+08'$$]),
	('hrguard.verify_chain(text)', ARRAY[$$'MX2'$$]),
	('hrguard.close_day(date)', ARRAY[$$'2026-11-20'$$]),
	('hrguard.merkle_leaf_hash(bytea)', ARRAY[$$'\x00'::bytea$$]),
	('hrguard.merkle_root(bytea[])', ARRAY[$$ARRAY[sha256('a'), sha256('b'), sha256('c')]$$]),
	('hrguard.merkle_inclusion_proof(bytea[], bigint)', ARRAY[$$ARRAY[sha256('a'), sha256('b'), sha256('c')]$$, '1']),
	('hrguard.merkle_consistency_proof(bytea[], bigint)', ARRAY[$$ARRAY[sha256('a'), sha256('b'), sha256('c')]$$, '2']),
	('hrguard.inclusion_proof(text, bigint, bigint)', ARRAY[$$'MX2'$$, '1', :'tree']),
	('hrguard.consistency_proof(bigint, bigint)', ARRAY['1', :'tree']),
	('hrguard.verify_checkpoint(text)', ARRAY[quote_literal(:'ck')]),
	('hrguard.work_windows(text, date, date)', ARRAY[$$'MX1'$$, $$'2026-11-01'$$, $$'2026-11-07'$$]),
	('hrguard.verified_hours(text, date, date)', ARRAY[$$'MX1'$$, $$'2026-11-01'$$, $$'2026-11-07'$$]),
	('hrguard.range_hours(tstzmultirange)', ARRAY[$$'{[2026-11-01 09:00+08, 2026-11-01 18:00+08)}'::tstzmultirange$$]),
	('hrguard.robust_median(float8[])', ARRAY[$$'{3, 1, 2}'::float8[]$$]),
	('hrguard.robust_mad(float8[])', ARRAY[$$'{3, 1, 2}'::float8[]$$]),
	('hrguard.robust_scale(float8[], float8)', ARRAY[$$'{3, 1, 2}'::float8[]$$, '0.5']),
	('hrguard.modified_z(float8, float8[], float8)', ARRAY['10', $$'{3, 1, 2}'::float8[]$$, '0.5']),
	('hrguard.binomial_tail(integer, integer, float8)', ARRAY['3', '10', '0.1']),
	('hrguard.mismatch(float8, float8, float8, float8, float8, float8)', ARRAY['150', '112', '100', '160', '1', '1']),
	('hrguard.wilson_lower(integer, integer, float8)', ARRAY['8', '10', '2.326']),
	('hrguard.score_period(date, date, text)', ARRAY[$$'2026-06-01'$$, $$'2026-06-30'$$, $$'mx'$$]),
	('hrguard.score_evaluate(jsonb)', ARRAY[$$'{}'$$]),
	('hrguard.ingest_dingtalk(text)', ARRAY[$$'{"errcode": 0, "recordresult": []}'$$]),
	('hrguard.ingest_wecom(text)', ARRAY[$$'{"errcode": 0, "checkindata": []}'$$]),
	('hrguard.alerts_since(pg_snapshot)', ARRAY['NULL::pg_snapshot']),
	('hrguard.attach_punch_source(regclass, jsonb)', ARRAY[$$'mx_clock'::regclass$$, $$'{"employee_id": "who", "punched_at": "at"}'$$]),
	('hrguard.detach_punch_source(regclass)', ARRAY[$$'mx_clock'::regclass$$]),
	('hrguard.import_wecom_checkin_option(text, text)', ARRAY[$$'{"errcode": 0, "group": []}'$$, $$'mx'$$]),
	('hrguard.import_dingtalk_positions(text, text, text)', ARRAY[$$'{"errcode": 0, "result": {"position_list": []}}'$$, $$'g'$$, $$'mx'$$]),
	('hrguard.explain(bigint)', ARRAY[:'alert']),
	('hrguard.export_evidence(text, timestamptz, timestamptz, text, text)',
	 ARRAY[$$'MX2'$$, $$'2026-11-01'$$, $$'2026-12-01'$$, 'NULL::text', 'NULL::text']),
	('hrguard.open_case(text, text, text, bigint[])', ARRAY[$$'MX1'$$, $$'mxh'$$, $$'matrix'$$, $$'{}'::bigint[]$$]),
	('hrguard.case_acknowledge(bigint, bigint, text, text)', ARRAY[:'mxcase', :'mxrebuttal', $$'mxh'$$, $$'read'$$]),
	('hrguard.case_approve(bigint, text, text, text)', ARRAY[:'mxcase', $$'mxh'$$, $$'warned'$$, $$'ok'$$]),
	('hrguard.case_attach_alert(bigint, bigint, text, text)', ARRAY[:'mxcase', :'alert', $$'mxh'$$, $$'impact'$$]),
	('hrguard.case_attach_evidence(bigint, text, text, text, timestamptz, text, text, bigint)',
	 ARRAY[:'mxcase', $$'mxh'$$, $$'impact'$$, $$'report'$$, $$'2026-11-24 09:00+08'$$, $$'business_record'$$, $$repeat('ab', 32)$$, 'NULL::bigint']),
	('hrguard.case_interview(bigint, text, timestamptz, text, text[], text, text, text)',
	 ARRAY[:'mxcase', $$'mxh'$$, $$'2026-11-24 10:00+08'$$, $$'room'$$, $$ARRAY['mxh']$$, $$'none'$$, $$'refused'$$, 'NULL::text']),
	('hrguard.case_notice_to_correct(bigint, text, timestamptz, text, text, text, integer)',
	 ARRAY[:'mxcase', $$'mxh'$$, $$'2026-11-24 10:00+08'$$, $$'facts'$$, $$'correct'$$, $$repeat('ab', 32)$$, '15']),
	('hrguard.case_notice_delivered(bigint, text, timestamptz, text, text)',
	 ARRAY[:'mxcase', $$'mxh'$$, $$'2026-11-25 10:00+08'$$, $$'ems'$$, $$'EMS 1'$$]),
	('hrguard.case_rebuttal(bigint, text, timestamptz, text, text)',
	 ARRAY[:'mxcase', $$'mxh'$$, $$'2026-11-24 11:00+08'$$, $$'not me'$$, 'NULL::text']),
	('hrguard.case_readiness(bigint)', ARRAY[:'mxcase']),
	('hrguard.case_set_ground(bigint, text, text, text)', ARRAY[:'mxcase', $$'39_4a'$$, $$'mxl'$$, 'NULL::text']),
	('hrguard.case_transition(bigint, text, text, text)', ARRAY[:'mxcase', $$'terminated'$$, $$'mxl'$$, 'NULL::text']),
	('hrguard.case_union_notice(bigint, text, timestamptz, text, text, text)',
	 ARRAY[:'mxcase', $$'mxl'$$, $$'2026-11-24 10:00+08'$$, $$'union'$$, $$'reasons'$$, $$repeat('ab', 32)$$]),
	('hrguard.case_union_reply(bigint, text, timestamptz, boolean, text)',
	 ARRAY[:'mxcase', $$'mxl'$$, $$'2026-11-24 12:00+08'$$, 'false', $$'no objection'$$]),
	('hrguard.legal_hold_until(text)', ARRAY[$$'MX2'$$]),
	('hrguard.termination_exposure(text, date, numeric, numeric)', ARRAY[$$'MX1'$$, $$'2026-12-01'$$, '8000', '9000']),
	('hrguard.case_policy_of(text)', ARRAY[$$'mx'$$]),
	('hrguard.run_daily(date)', ARRAY[$$'2026-11-20'$$]),
	('hrguard.period_last_day(date, integer)', ARRAY[$$'2026-01-31'$$, '1']),
	('hrguard.termination_notice(bigint)', ARRAY[:'mxcase']),
	('hrguard.case_report(bigint)', ARRAY[:'mxcase']),
	('hrguard.export_case(bigint, text, timestamptz, timestamptz)', ARRAY[:'mxcase', $$'mxh'$$, 'NULL::timestamptz', $$'infinity'$$]),
	('hrguard.noncompete_months(hrguard.contract)', ARRAY['(SELECT c FROM hrguard.contract c LIMIT 1)']);

-- nothing in the schema is left out, but the internal functions hrguard
-- calls itself and the functions without arguments (called below)
SELECT p.oid::regprocedure AS not_in_matrix
  FROM pg_proc p
 WHERE p.pronamespace = 'hrguard'::regnamespace
   AND p.prorettype <> 'trigger'::regtype AND p.pronargs > 0
   AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'internal:%'
   AND p.oid NOT IN (SELECT fn FROM fn_base)
 ORDER BY 1;

CREATE TEMP TABLE outcome (fn regprocedure, arg int, ord int, label text, result text);
CREATE TEMP TABLE written (fn regprocedure, arg int, label text);
DO $$
DECLARE
	f record;
	v record;
	i int;
	args text[];
	res text;
	before bigint;
BEGIN
	FOR f IN SELECT fn, b.args, p.proargtypes::regtype[] AS types
			   FROM fn_base b JOIN pg_proc p ON p.oid = b.fn ORDER BY fn::text LOOP
		FOR i IN 1 .. array_length(f.args, 1) LOOP
			FOR v IN SELECT * FROM value_case WHERE type = f.types[i - 1] ORDER BY ord LOOP
				args := f.args;
				args[i] := v.expr;
				SELECT (SELECT count(*) FROM hrguard.evidence) + (SELECT count(*) FROM hrguard.punch)
					   + (SELECT count(*) FROM hrguard.alert) INTO before;
				BEGIN
					EXECUTE format('SELECT CASE WHEN count(*) = 0 THEN ''none'' WHEN bool_and(r IS NULL) '
								   'THEN ''null'' ELSE ''ok'' END FROM (SELECT %s(%s) AS r) s',
								   (f.fn::oid::regproc)::text, array_to_string(args, ', '))
						INTO res;
				EXCEPTION WHEN OTHERS THEN
					res := SQLSTATE;
					IF (SELECT count(*) FROM hrguard.evidence) + (SELECT count(*) FROM hrguard.punch)
					   + (SELECT count(*) FROM hrguard.alert) <> before THEN
						INSERT INTO written VALUES (f.fn, i, v.label);
					END IF;
				END;
				INSERT INTO outcome VALUES (f.fn, i, v.ord, v.label, res);
			END LOOP;
		END LOOP;
	END LOOP;
END $$;
SELECT fn, arg, string_agg(label || '=' || result, ' ' ORDER BY ord) AS outcomes
  FROM outcome GROUP BY fn, arg ORDER BY fn::text, arg;
SELECT count(*) AS internal_errors FROM outcome WHERE result IN ('XX000', '57014');
SELECT * FROM written;

-- the functions without arguments
SELECT hrguard.version() IS NOT NULL AS version, hrguard.default_timezone() IS NOT NULL AS tz,
	   (SELECT count(*) > 0 FROM hrguard.settings()) AS settings,
	   (SELECT count(*) >= 0 FROM hrguard.zone_cache_stats()) AS zone_cache_stats,
	   (SELECT bool_and(ok) FROM hrguard.verify_all()) AS verify_all;

-- a punch with each column in turn replaced; the others make a valid punch
-- (a raw position for the raw columns, lat/lon for the others)
CREATE TEMP TABLE punch_base (col text, expr text, raw boolean);
INSERT INTO punch_base VALUES
	('employee_id', $$'MX1'$$, NULL), ('punched_at', $$'2026-11-23 10:00+08'$$, NULL),
	('accuracy_m', '10', NULL), ('lat', '31.2', false), ('lon', '121.4', false),
	('raw_lat', '31.2', true), ('raw_lon', '121.4', true), ('raw_crs', $$'gcj02'$$, true);
CREATE TEMP TABLE punch_outcome (attnum int, col text, ord int, label text, result text);
DO $$
DECLARE
	c record;
	v record;
	cols text[];
	exprs text[];
	res text;
	before bigint;
	minute int := 0;
BEGIN
	FOR c IN SELECT a.attname::text AS col, a.atttypid::regtype AS type, a.attnum
			   FROM pg_attribute a
			  WHERE a.attrelid = 'hrguard.punch'::regclass AND a.attnum > 0
				AND NOT a.attisdropped ORDER BY a.attnum LOOP
		FOR v IN SELECT * FROM value_case WHERE type = c.type ORDER BY ord LOOP
			-- a fresh minute each time, so that punches do not repeat
			minute := minute + 1;
			SELECT array_agg(col ORDER BY col), array_agg(expr ORDER BY col)
			  INTO cols, exprs
			  FROM (SELECT col,
						   CASE WHEN col = 'punched_at'
								THEN format('%L::timestamptz + %s * interval ''1 minute''', '2026-11-23 10:00+08', minute)
								ELSE expr END AS expr
					  FROM punch_base
					 WHERE col <> c.col
					   AND raw IS DISTINCT FROM (c.col NOT LIKE 'raw\_%')
					UNION ALL SELECT c.col, v.expr) s;
			SELECT (SELECT count(*) FROM hrguard.evidence) + (SELECT count(*) FROM hrguard.punch)
				   + (SELECT count(*) FROM hrguard.alert) INTO before;
			BEGIN
				EXECUTE format('INSERT INTO hrguard.punch (%s) VALUES (%s)',
							   (SELECT string_agg(quote_ident(x), ', ') FROM unnest(cols) x),
							   array_to_string(exprs, ', '));
				res := 'ok';
			EXCEPTION WHEN OTHERS THEN
				res := SQLSTATE;
				IF (SELECT count(*) FROM hrguard.evidence) + (SELECT count(*) FROM hrguard.punch)
				   + (SELECT count(*) FROM hrguard.alert) <> before THEN
					res := res || ' but wrote';
				END IF;
			END;
			INSERT INTO punch_outcome VALUES (c.attnum, c.col, v.ord, v.label, res);
		END LOOP;
	END LOOP;
END $$;
SELECT col, string_agg(label || '=' || result, ' ' ORDER BY ord) AS outcomes
  FROM punch_outcome GROUP BY attnum, col ORDER BY attnum;
SELECT count(*) AS internal_errors FROM punch_outcome WHERE result ~ 'XX000|57014|wrote';

-- whatever was stored is complete and intact
SELECT count(*) AS punches_stored FROM hrguard.punch WHERE employee_id = 'MX1';
SELECT count(*) AS punches_accepted FROM punch_outcome WHERE result = 'ok';
SELECT * FROM hrguard.verify_facts() WHERE employee_id IN ('MX1', 'MX2');
SELECT employee_id, ok, first_bad_seq FROM hrguard.verify_all()
 WHERE employee_id IN ('MX1', 'MX2') ORDER BY 1;
DROP TABLE matrix_log;
RESET statement_timeout;
