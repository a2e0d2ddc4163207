-- security: what a role that holds no more than USAGE on schema hrguard
-- (or a few explicit grants) can do.  Each attack is tried and must fail
-- without any of the attacker's code running as the owner, and without a
-- trace in the evidence: hostile types, functions and operators in pg_temp
-- and in a schema first in search_path; hrguard's trigger functions
-- attached to a look-alike table; functions that would disclose employee,
-- zone or log data; detection settings changed by the role they judge;
-- oversized inputs.  Last, who may execute each function of the schema.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
-- the database this file runs in, to come back to at the end
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_hrguard_security;
\c regress_hrguard_security
SET client_min_messages = warning;
\set VERBOSITY terse
SET timezone = 'Asia/Shanghai';
CREATE EXTENSION hrguard CASCADE;
SELECT current_user AS admin \gset

CREATE ROLE regress_hrguard_app LOGIN;
CREATE ROLE regress_hrguard_usage LOGIN;
CREATE ROLE regress_hrguard_nobody LOGIN;
GRANT USAGE ON SCHEMA hrguard TO regress_hrguard_app, regress_hrguard_usage;
CREATE SCHEMA evil AUTHORIZATION regress_hrguard_app;
GRANT USAGE ON SCHEMA evil TO PUBLIC;

INSERT INTO hrguard.employee (employee_id, team) VALUES ('S1', 'east'), ('S2', 'east');
INSERT INTO hrguard.zone (name, kind, geom)
VALUES ('office', 'office', ST_GeomFromText('POLYGON((121.50 31.23, 121.51 31.23, 121.51 31.24, 121.50 31.24, 121.50 31.23))', 4326));
INSERT INTO hrguard.zone (name, kind, center, radius_m)
VALUES ('rival co', 'competitor', ST_SetSRID(ST_MakePoint(121.47, 31.22), 4326), 200);
INSERT INTO hrguard.zone_assignment (zone_id, team) SELECT zone_id, 'east' FROM hrguard.zone WHERE kind = 'office';

-- 1. Owner context is sealed.  The application may insert punches and call
-- every function that switches to the owner; it plants look-alikes of the
-- types and operators those functions use.  pwn() reports (and tries to
-- escalate) if it ever runs as anyone but the application.
GRANT INSERT ON hrguard.punch TO regress_hrguard_app;
GRANT SELECT ON hrguard.employee, hrguard.zone, hrguard.evidence, hrguard.log_entry
	TO regress_hrguard_app;
GRANT EXECUTE ON FUNCTION
	hrguard.classify_point(text, timestamptz, float8, float8, float8, text),
	hrguard.zone_locate(bigint, float8, float8, float8),
	hrguard.zone_distance(bigint, float8, float8),
	hrguard.zone_cache_stats(),
	hrguard.verify_chain(text), hrguard.verify_all(),
	hrguard.inclusion_proof(text, bigint, bigint),
	hrguard.consistency_proof(bigint, bigint),
	hrguard.verify_checkpoint(text),
	hrguard.record_evidence(text, text, jsonb, timestamptz),
	hrguard.close_day(date), hrguard.checkpoint(),
	hrguard.export_evidence(text, timestamptz, timestamptz, text, text),
	hrguard.relay_alerts(integer)
	TO regress_hrguard_app;

\c - regress_hrguard_app
SET client_min_messages = warning;
\set VERBOSITY terse
SET timezone = 'Asia/Shanghai';
CREATE FUNCTION evil.pwn() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF current_user OPERATOR(pg_catalog.<>) 'regress_hrguard_app' THEN
		RAISE WARNING 'the caller''s code ran as %', current_user;
		EXECUTE 'ALTER ROLE regress_hrguard_app SUPERUSER';
	END IF;
	RETURN true;
END $$;
CREATE FUNCTION evil.pwn_eq(text, text) RETURNS boolean LANGUAGE sql
	AS $$ SELECT evil.pwn() AND $1 OPERATOR(pg_catalog.=) $2 $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.pwn_eq);
CREATE FUNCTION evil.pwn_int8eq(int8, int8) RETURNS boolean LANGUAGE sql
	AS $$ SELECT evil.pwn() AND $1 OPERATOR(pg_catalog.=) $2 $$;
CREATE OPERATOR evil.= (LEFTARG = int8, RIGHTARG = int8, FUNCTION = evil.pwn_int8eq);
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql
	AS $$ SELECT evil.pwn(); SELECT pg_catalog.now() $$;
CREATE FUNCTION evil.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE sql
	AS $$ SELECT evil.pwn(); SELECT pg_catalog.unnest($1) $$;
CREATE FUNCTION evil.timezone(text, timestamp) RETURNS timestamptz LANGUAGE sql
	AS $$ SELECT evil.pwn(); SELECT pg_catalog.timezone($1, $2) $$;
-- domains named like every type hrguard's queries name, in pg_temp and in evil
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['float8', 'int8', 'int4', 'int2', 'text', 'bytea', 'bool',
							 'timestamp', 'timestamptz', 'date', 'time', 'numeric',
							 'jsonb', 'xid', 'xid8', 'name', 'interval', 'tstzrange',
							 'oid', 'regclass']
	LOOP
		EXECUTE pg_catalog.format('CREATE DOMAIN pg_temp.%I AS pg_catalog.%I CHECK (evil.pwn())', t, t);
		EXECUTE pg_catalog.format('CREATE DOMAIN evil.%I AS pg_catalog.%I CHECK (evil.pwn())', t, t);
	END LOOP;
	EXECUTE 'CREATE DOMAIN pg_temp.geometry AS public.geometry CHECK (evil.pwn())';
	EXECUTE 'CREATE DOMAIN evil.geometry AS public.geometry CHECK (evil.pwn())';
END $$;
SET search_path = evil, pg_catalog, public;

-- the routes of the report: the zone cache built by zone_cache_stats(), by
-- a punch, and by classify_point() with the hostile schema first
SELECT zones FROM hrguard.zone_cache_stats();
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('S1', '2026-11-22 03:00+08', 31.22, 121.47, 'phone-1');
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('S1', '2026-11-22 03:05+08', 31.9, 121.47, 'phone-2'),
	   ('S2', '2026-11-23 10:00+08', 31.235, 121.505, 'phone-3');
SELECT verdict, watched_zone_name, off_hours
  FROM hrguard.classify_point('S1', '2026-11-23 10:00+08', 31.22, 121.47, 10, 'wgs84');
-- every other function that switches to the owner
SELECT hrguard.zone_locate(zone_id, 31.235, 121.505, 0) AS located,
	   round(hrguard.zone_distance(zone_id, 31.235, 121.505)) AS distance_m
  FROM hrguard.zone WHERE name = 'office';
SELECT hrguard.record_evidence('S1', 'note', '{"text": "seen at the rival"}', '2026-11-22 04:00+08') AS seq;
SELECT hrguard.close_day('2026-11-22') AS chains_closed;
SELECT hrguard.checkpoint() AS body \gset
SELECT pg_catalog.split_part(:'body', E'\n', 2) AS checkpoint_size;
SELECT employee_id, ok, entries FROM hrguard.verify_all() ORDER BY employee_id;
SELECT ok, entries FROM hrguard.verify_chain('S1');
SELECT log_index FROM hrguard.inclusion_proof('S1', 1, 3);
SELECT pg_catalog.cardinality(hrguard.consistency_proof(1, 3)) AS proof_hashes;
SELECT ok FROM hrguard.verify_checkpoint(:'body');
SELECT pg_catalog.json_array_length(hrguard.export_evidence('S2') OPERATOR(pg_catalog.->) 'entries') AS exported;
SELECT hrguard.relay_alerts() >= 0 AS relayed;
RESET search_path;
DISCARD TEMP;
\c - :admin
SET client_min_messages = warning;
\set VERBOSITY terse
SET timezone = 'Asia/Shanghai';
SELECT rolsuper AS app_became_superuser FROM pg_roles WHERE rolname = 'regress_hrguard_app';
SELECT employee_id, kind, pg_catalog.count(*) FROM hrguard.evidence
 GROUP BY employee_id, kind ORDER BY employee_id, kind;
SELECT employee_id, kind FROM hrguard.alert ORDER BY alert_id;

-- 2. Trigger functions refuse foreign tables.  The application can no
-- longer attach them (EXECUTE is not PUBLIC's); attached by a superuser
-- to a look-alike, they refuse to run (39P01) and write nothing.
\c - regress_hrguard_app
SET client_min_messages = warning;
\set VERBOSITY terse
CREATE TEMP TABLE punch (punch_id bigint, employee_id text, punched_at timestamptz,
	lat float8, lon float8, accuracy_m float8, raw_lat float8, raw_lon float8,
	raw_crs text, check_type text, source text, source_record_id text,
	device_id text, wifi_bssid text, address text, vendor_flags jsonb,
	verdict text, zone_id bigint, watched_zone_id bigint, off_hours boolean,
	risk jsonb, alert_kinds text[], evidence_seq bigint, recorded_at timestamptz);
CREATE TRIGGER punch_classify BEFORE INSERT ON pg_temp.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.punch_classify();
\echo :LAST_ERROR_SQLSTATE
CREATE TRIGGER punch_flush_alerts AFTER INSERT ON pg_temp.punch
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.punch_flush_alerts();
\echo :LAST_ERROR_SQLSTATE
CREATE TRIGGER guard BEFORE INSERT ON pg_temp.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.evidence_guard();
\echo :LAST_ERROR_SQLSTATE
\c - :admin
SET client_min_messages = warning;
\set VERBOSITY terse
SET timezone = 'Asia/Shanghai';
CREATE TABLE public.punch (LIKE hrguard.punch INCLUDING ALL);
CREATE TABLE public.evidence (LIKE hrguard.evidence INCLUDING ALL);
CREATE TABLE public.zone (LIKE hrguard.zone INCLUDING ALL);
CREATE TRIGGER punch_classify BEFORE INSERT ON public.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.punch_classify();
CREATE TRIGGER punch_raise_alerts AFTER INSERT ON public.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.punch_raise_alerts();
CREATE TRIGGER punch_flush_alerts AFTER INSERT ON public.punch
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.punch_flush_alerts();
CREATE TRIGGER punch_keep BEFORE UPDATE ON public.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.fact_guard();
CREATE TRIGGER evidence_guard BEFORE INSERT ON public.evidence
	FOR EACH ROW EXECUTE FUNCTION hrguard.evidence_guard();
CREATE TRIGGER zone_normalize BEFORE INSERT ON public.zone
	FOR EACH ROW EXECUTE FUNCTION hrguard.zone_normalize();
CREATE TRIGGER config_changed AFTER INSERT ON public.zone
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.config_changed();
SELECT pg_catalog.count(*) AS entries_before FROM hrguard.evidence \gset
INSERT INTO public.punch (employee_id, punched_at, lat, lon) VALUES ('S2', '2026-11-22 03:00+08', 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE public.punch DISABLE TRIGGER punch_classify;
INSERT INTO public.punch (employee_id, punched_at, lat, lon, alert_kinds)
VALUES ('S2', '2026-11-22 03:00+08', 31.22, 121.47, '{off_hours}');
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE public.punch DISABLE TRIGGER punch_raise_alerts;
INSERT INTO public.punch (employee_id, punched_at, lat, lon) VALUES ('S2', '2026-11-22 03:00+08', 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE public.punch ENABLE TRIGGER punch_classify;
-- the right table with the wrong timing, level or event is refused too
CREATE TRIGGER punch_classify_update BEFORE UPDATE ON hrguard.zone
	FOR EACH ROW EXECUTE FUNCTION hrguard.punch_classify();
UPDATE hrguard.zone SET name = name WHERE name = 'office';
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER punch_classify_update ON hrguard.zone;
CREATE TRIGGER zone_normalize_delete BEFORE DELETE ON hrguard.zone
	FOR EACH ROW EXECUTE FUNCTION hrguard.zone_normalize();
DELETE FROM hrguard.zone WHERE name = 'office';
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER zone_normalize_delete ON hrguard.zone;
INSERT INTO public.evidence VALUES ('S2', 1, 'note', now(), now(), '\x00', '\x00', '\x00');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO public.zone (name, kind, center, radius_m)
VALUES ('fake', 'office', ST_SetSRID(ST_MakePoint(121.4, 31.2), 4326), 100);
\echo :LAST_ERROR_SQLSTATE
UPDATE public.punch SET lat = 0;
\echo :LAST_ERROR_SQLSTATE
-- the PL/pgSQL trigger functions check where they fired as well
CREATE TABLE public.employee (employee_id text);
CREATE TABLE public.zone_assignment (zone_id bigint, employee_id text, team text);
CREATE TRIGGER keep BEFORE DELETE ON public.employee
	FOR EACH ROW EXECUTE FUNCTION hrguard.employee_keep_facts();
CREATE TRIGGER check_assignment BEFORE INSERT ON public.zone_assignment
	FOR EACH ROW EXECUTE FUNCTION hrguard.zone_assignment_check();
INSERT INTO public.employee VALUES ('S1');
DELETE FROM public.employee;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO public.zone_assignment VALUES (1, 'S1', NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE public.employee, public.zone_assignment;
SELECT pg_catalog.count(*) OPERATOR(pg_catalog.=) :entries_before AS no_entry_written,
	   (SELECT pg_catalog.count(*) FROM hrguard.chain_head WHERE employee_id = 'S2' AND seq > 1) AS s2_heads_moved
  FROM hrguard.evidence;
DROP TABLE public.punch, public.evidence, public.zone;

-- 3. No disclosure to a role with USAGE only; with EXECUTE but without the
-- right to read the table an answer comes from, still none.
\c - regress_hrguard_usage
SET client_min_messages = warning;
\set VERBOSITY terse
SELECT * FROM hrguard.verify_all();
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.verify_chain('S1');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point('S1', '2026-11-23 10:00+08', 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point('nobody', '2026-11-23 10:00+08', 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.zone_distance(1, 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.zone_locate(1, 31.22, 121.47, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.zone_cache_stats();
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.inclusion_proof('S1', 1, 3);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.consistency_proof(1, 3);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.verify_checkpoint('x');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.chain_status;
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('S1', 'note', '{}', '2026-11-22 04:00+08');
\echo :LAST_ERROR_SQLSTATE
\c - :admin
SET client_min_messages = warning;
\set VERBOSITY terse
GRANT EXECUTE ON FUNCTION hrguard.verify_all(), hrguard.verify_chain(text),
	hrguard.classify_point(text, timestamptz, float8, float8, float8, text),
	hrguard.zone_distance(bigint, float8, float8), hrguard.inclusion_proof(text, bigint, bigint)
	TO regress_hrguard_usage;
\c - regress_hrguard_usage
SET client_min_messages = warning;
\set VERBOSITY terse
SELECT * FROM hrguard.verify_all();
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.verify_chain('S1');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point('nobody', '2026-11-23 10:00+08', 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.zone_distance(1, 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.inclusion_proof('S1', 1, 3);
\echo :LAST_ERROR_SQLSTATE

-- 4. Detection settings belong to administrators: the role whose punches
-- they judge cannot change them, for its session or for itself.  Before
-- the library is loaded in a session, SET only makes a placeholder; loading
-- the library refuses it with a WARNING and the setting keeps its value.
\c - regress_hrguard_app
SET client_min_messages = warning;
\set VERBOSITY terse
SET hrguard.max_speed_kmh = 100000;
SET hrguard.notify_mode = 'off';
SET hrguard.off_hours_grace_minutes = 720;
SET hrguard.default_timezone = 'Pacific/Kiritimati';
SELECT name, setting FROM hrguard.settings()
 WHERE name IN ('hrguard.max_speed_kmh', 'hrguard.notify_mode', 'hrguard.off_hours_grace_minutes',
				'hrguard.default_timezone') ORDER BY name;
SET hrguard.max_speed_kmh = 100000;
\echo :LAST_ERROR_SQLSTATE
SET hrguard.notify_mode = 'off';
\echo :LAST_ERROR_SQLSTATE
SET hrguard.competitor_pattern_days = 366;
\echo :LAST_ERROR_SQLSTATE
ALTER ROLE regress_hrguard_app SET hrguard.max_speed_kmh = 100000;
\echo :LAST_ERROR_SQLSTATE
ALTER ROLE regress_hrguard_app SET hrguard.notify_mode = 'off';
\echo :LAST_ERROR_SQLSTATE
\c - :admin
SET client_min_messages = warning;
\set VERBOSITY terse
SELECT pg_catalog.count(*) AS role_settings FROM pg_db_role_setting
 WHERE setrole = 'regress_hrguard_app'::regrole;
LOAD 'hrguard';
SELECT name, context FROM pg_settings WHERE name LIKE 'hrguard.%' ORDER BY name;

-- 5. Inputs whose work grows with their size are bounded (54000), and
-- errors do not echo them
SELECT hrguard.canonical_json(pg_catalog.repeat(' ', 1024 * 1024 + 1));
\echo :LAST_ERROR_SQLSTATE
SELECT pg_catalog.length(hrguard.canonical_json('{"a": ' || pg_catalog.repeat('1', 15) || '}')) AS small_ok;
SELECT hrguard.merkle_root(pg_catalog.array_fill(pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex'), ARRAY[1024 * 1024 + 1]));
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.merkle_leaf_hash(pg_catalog.decode(pg_catalog.repeat('00', 1024 * 1024 + 1), 'hex'));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.verify_checkpoint(pg_catalog.repeat('x', 5000));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.verify_chain(pg_catalog.repeat('x', 200));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.inclusion_proof(pg_catalog.repeat('x', 200), 1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence(pg_catalog.repeat('x', 200), 'note', '{}', '2026-11-22 04:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('S1', pg_catalog.repeat('x', 200), '{}', '2026-11-22 04:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.record_evidence('S1', 'note', pg_catalog.jsonb_build_object('t', pg_catalog.repeat('x', 1024 * 1024)), '2026-11-22 04:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence(pg_catalog.repeat('x', 200));
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.export_evidence('S1', checkpoint => pg_catalog.repeat('x', 5000));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.classify_point(pg_catalog.repeat('x', 200), '2026-11-23 10:00+08', 31.22, 121.47);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES (pg_catalog.repeat('x', 200), '2026-11-23 10:00+08');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES (NULL, '2026-11-23 10:00+08');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('S1', NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, source, source_record_id) VALUES ('S1', '2026-11-23 10:00+08', NULL, 'r1');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM hrguard.to_wgs84(31.2, 121.4, pg_catalog.repeat('x', 1000000));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, wifi_bssid)
VALUES ('S1', '2026-11-23 10:00+08', 31.2, 121.4, pg_catalog.repeat('z', 1000000));
\echo :LAST_ERROR_SQLSTATE

-- 6. What an application adds to hrguard.alert runs as the owner of
-- hrguard's tables in the inserting session (as PostgreSQL runs a foreign
-- key's cascade as the referencing table's owner).  A forwarding trigger
-- written as the README says (search_path = pg_catalog, pg_temp, qualified
-- names) is not diverted to the caller's temporary table of the same name;
-- a constraint the application added fails the punch, and the error names
-- the alert's values only to a role that may read alerts.
CREATE TABLE public.alert_outbox (alert_id bigint, kind text);
CREATE FUNCTION public.forward_alert() RETURNS trigger LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp AS
$$BEGIN
	INSERT INTO public.alert_outbox (alert_id, kind) VALUES (NEW.alert_id, NEW.kind);
	RETURN NEW;
END$$;
CREATE TRIGGER alert_forward AFTER INSERT ON hrguard.alert
	FOR EACH ROW EXECUTE FUNCTION public.forward_alert();
ALTER TABLE hrguard.alert ADD CONSTRAINT alert_no_competitor
	CHECK (kind OPERATOR(pg_catalog.<>) 'competitor_zone') NOT VALID;
\c - regress_hrguard_app
SET client_min_messages = warning;
CREATE TEMP TABLE alert_outbox (alert_id bigint, kind text);
CREATE FUNCTION evil.pwn_trigger() RETURNS trigger LANGUAGE plpgsql
	AS $$BEGIN PERFORM evil.pwn(); RETURN NEW; END$$;
CREATE TRIGGER pwn BEFORE INSERT ON pg_temp.alert_outbox
	FOR EACH ROW EXECUTE FUNCTION evil.pwn_trigger();
SET search_path = evil, public, pg_catalog;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('S2', '2026-11-24 23:00+08', 31.235, 121.505, 'phone-3');
\set VERBOSITY default
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
VALUES ('S2', '2026-11-25 10:00+08', 31.22, 121.47, 'phone-3');
\set VERBOSITY terse
SELECT pg_catalog.count(*) AS rows_in_own_outbox FROM pg_temp.alert_outbox;
RESET search_path;
\c - :admin
SET client_min_messages = warning;
SELECT rolsuper AS app_became_superuser FROM pg_roles WHERE rolname = 'regress_hrguard_app';
SELECT o.kind, a.employee_id FROM public.alert_outbox o JOIN hrguard.alert a USING (alert_id) ORDER BY o.alert_id;
DO $$
DECLARE
	detail text;
BEGIN
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
	VALUES ('S2', '2026-11-25 10:00+08', 31.22, 121.47, 'phone-3');
EXCEPTION WHEN check_violation THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RAISE WARNING 'a role that may read alerts is shown the row: %',
		detail LIKE 'Failing row contains (%competitor_zone%';
END $$;
DROP TRIGGER alert_forward ON hrguard.alert;
ALTER TABLE hrguard.alert DROP CONSTRAINT alert_no_competitor;
DROP FUNCTION public.forward_alert();
DROP TABLE public.alert_outbox;

-- 7. Who may execute each function of the schema: PUBLIC (a role granted
-- nothing, which also lacks USAGE on the schema), a role with USAGE only,
-- and the owner.  README, Security model, lists the same.
REVOKE EXECUTE ON FUNCTION hrguard.verify_all(), hrguard.verify_chain(text),
	hrguard.classify_point(text, timestamptz, float8, float8, float8, text),
	hrguard.zone_distance(bigint, float8, float8), hrguard.inclusion_proof(text, bigint, bigint)
	FROM regress_hrguard_usage;
SELECT p.oid::regprocedure AS function,
	   pg_catalog.has_function_privilege('regress_hrguard_nobody', p.oid, 'EXECUTE') AS public,
	   pg_catalog.has_schema_privilege('regress_hrguard_usage', 'hrguard', 'USAGE')
		   AND pg_catalog.has_function_privilege('regress_hrguard_usage', p.oid, 'EXECUTE') AS usage_only,
	   pg_catalog.has_function_privilege(p.proowner, p.oid, 'EXECUTE') AS owner,
	   p.prosecdef AS definer
  FROM pg_proc p
 WHERE p.pronamespace = 'hrguard'::regnamespace
 ORDER BY p.oid::regprocedure::text;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE regress_hrguard_security;
DROP ROLE regress_hrguard_app, regress_hrguard_usage, regress_hrguard_nobody;
