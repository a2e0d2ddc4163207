-- subtransaction: every committed punch and alert has exactly its evidence
-- entry, however the punch statement is called: with a subtransaction that
-- aborts or commits in the middle of it (a function's exception block, a
-- user's trigger that catches an error), inside savepoints, by COPY, in a
-- PL/pgSQL loop that catches some rows, with ON CONFLICT DO NOTHING, and
-- nested in another punch statement.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id) VALUES ('SX1'), ('SX2'), ('SX3');

-- what must hold after each step, for the employees of this file
CREATE FUNCTION pg_temp.complete(OUT punches bigint, OUT with_entry bigint,
		OUT punch_entries bigint, OUT alerts bigint, OUT alert_entries bigint,
		OUT chains_ok boolean, OUT heads_at_end boolean)
	LANGUAGE sql AS $$
SELECT (SELECT count(*) FROM hrguard.punch WHERE employee_id LIKE 'SX%'),
	   (SELECT count(*) FROM hrguard.punch p JOIN hrguard.evidence e
		  ON e.employee_id = p.employee_id AND e.seq = p.evidence_seq AND e.kind = 'punch'
		WHERE p.employee_id LIKE 'SX%'),
	   (SELECT count(*) FROM hrguard.evidence WHERE employee_id LIKE 'SX%' AND kind = 'punch'),
	   (SELECT count(*) FROM hrguard.alert WHERE employee_id LIKE 'SX%'),
	   (SELECT count(*) FROM hrguard.evidence WHERE employee_id LIKE 'SX%' AND kind = 'alert'),
	   (SELECT bool_and(ok) FROM hrguard.verify_all() WHERE employee_id LIKE 'SX%'),
	   (SELECT bool_and(h.seq = (SELECT max(seq) FROM hrguard.evidence e WHERE e.employee_id = h.employee_id))
		  FROM hrguard.chain_head h WHERE h.employee_id LIKE 'SX%')
$$;

-- a function whose exception block catches an error, called for every row
CREATE FUNCTION pg_temp.caught(x int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM 1 / 0;
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
	RETURN x;
END $$;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m)
SELECT 'SX1', timestamptz '2026-11-22 03:00+08' + pg_temp.caught(g) * interval '1 minute', 31.2, 121.4, 10
  FROM generate_series(1, 3) g;
SELECT count(DISTINCT evidence_seq) AS distinct_seqs FROM hrguard.punch WHERE employee_id = 'SX1';
SELECT * FROM pg_temp.complete();

-- users' triggers that catch an error, BEFORE and AFTER, ROW and STATEMENT
CREATE FUNCTION pg_temp.catching_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM 1 / 0;
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
	IF TG_LEVEL = 'ROW' THEN
		RETURN NEW;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER a_before_row BEFORE INSERT ON hrguard.punch
	FOR EACH ROW EXECUTE FUNCTION pg_temp.catching_trigger();
CREATE TRIGGER z_after_row AFTER INSERT ON hrguard.punch
	FOR EACH ROW EXECUTE FUNCTION pg_temp.catching_trigger();
CREATE TRIGGER a_before_statement BEFORE INSERT ON hrguard.punch
	FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.catching_trigger();
CREATE TRIGGER z_after_statement AFTER INSERT ON hrguard.punch
	FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.catching_trigger();
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
VALUES ('SX1', '2026-11-23 03:00+08', 31.2, 121.4), ('SX2', '2026-11-23 03:00+08', 31.2, 121.4),
	   ('SX1', '2026-11-23 03:10+08', 31.2, 121.4);
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('SX3', '2026-11-23 03:20+08');
DROP TRIGGER a_before_row ON hrguard.punch;
DROP TRIGGER z_after_row ON hrguard.punch;
DROP TRIGGER a_before_statement ON hrguard.punch;
DROP TRIGGER z_after_statement ON hrguard.punch;
SELECT * FROM pg_temp.complete();

-- savepoints rolled back and released around single- and multi-row statements
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('SX1', '2026-11-24 03:00+08');
SAVEPOINT s1;
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('SX1', '2026-11-24 03:01+08'), ('SX2', '2026-11-24 03:01+08');
ROLLBACK TO s1;
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('SX1', '2026-11-24 03:02+08');
SAVEPOINT s2;
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('SX2', '2026-11-24 03:03+08'), ('SX3', '2026-11-24 03:03+08');
RELEASE s2;
SAVEPOINT s3;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
VALUES ('SX3', '2026-11-24 03:04+08', 31.2, 121.4), ('SX3', '2026-11-24 03:05+08', 95, 121.4);
ROLLBACK TO s3;
COMMIT;
SELECT * FROM pg_temp.complete();

-- COPY, text and CSV, with every column the INSERT path takes
COPY hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type, source,
					source_record_id, device_id, wifi_bssid, address, vendor_flags) FROM stdin;
SX1	2026-11-25 03:00+08	31.2	121.4	15	on_duty	dingtalk	c-1	phone-1	aa:bb:cc:dd:ee:01	Room 1	{"mock": false}
SX2	2026-11-25 03:01+08	\N	\N	\N	other	api	\N	\N	\N	\N	\N
SX1	2026-11-25 03:02+08	31.3	121.4	\N	visit	dingtalk	c-2	phone-2	\N	\N	\N
\.
COPY hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, device_id) FROM stdin (FORMAT csv);
SX3,2026-11-25 04:00+08,31.2,121.4,gcj02,phone-3
SX3,2026-11-25 04:05+08,31.2,121.4,bd09,
\.
-- a bad row fails the whole COPY, and nothing of it is written
COPY hrguard.punch (employee_id, punched_at, lat, lon) FROM stdin;
SX1	2026-11-25 05:00+08	31.2	121.4
SX1	2026-11-25 05:01+08	95	121.4
\.
\echo :LAST_ERROR_SQLSTATE
SELECT employee_id, verdict, raw_crs, alert_kinds FROM hrguard.punch
 WHERE employee_id LIKE 'SX%' AND punched_at >= '2026-11-25' ORDER BY punched_at, employee_id;
SELECT * FROM pg_temp.complete();

-- a PL/pgSQL loop whose handler catches some of its punches
DO $$
BEGIN
	FOR i IN 1..6 LOOP
		BEGIN
			INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
			VALUES ('SX2', timestamptz '2026-11-26 03:00+08' + i * interval '1 minute',
					CASE WHEN i % 3 = 0 THEN 95 ELSE 31.2 END, 121.4);
		EXCEPTION WHEN numeric_value_out_of_range OR invalid_parameter_value THEN
			RAISE WARNING 'punch % refused', i;
		END;
	END LOOP;
END $$;
SELECT * FROM pg_temp.complete();

-- duplicates skipped by ON CONFLICT DO NOTHING get no entry
INSERT INTO hrguard.punch (employee_id, punched_at, source, source_record_id)
VALUES ('SX1', '2026-11-27 03:00+08', 'dingtalk', 'd-1'), ('SX1', '2026-11-27 03:00+08', 'dingtalk', 'd-1')
ON CONFLICT DO NOTHING;
INSERT INTO hrguard.punch (employee_id, punched_at, source, source_record_id)
VALUES ('SX2', '2026-11-27 03:00+08', 'dingtalk', 'd-1') ON CONFLICT DO NOTHING;
SELECT * FROM pg_temp.complete();

-- punch statements nested in a punch statement: plainly, and in exception
-- blocks that commit or roll back
CREATE FUNCTION pg_temp.punch_first(e text, t timestamptz) RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO hrguard.punch (employee_id, punched_at) VALUES (e, t - interval '30 seconds');
	RETURN t;
END $$;
INSERT INTO hrguard.punch (employee_id, punched_at)
SELECT 'SX1', pg_temp.punch_first('SX1', timestamptz '2026-11-28 03:00+08' + n * interval '1 minute')
  FROM generate_series(1, 3) n;
CREATE FUNCTION pg_temp.punch_first_caught(e text, t timestamptz, fail boolean) RETURNS timestamptz
	LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		INSERT INTO hrguard.punch (employee_id, punched_at) VALUES (e, t - interval '30 seconds');
		IF fail THEN
			PERFORM 1 / 0;
		END IF;
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
	RETURN t;
END $$;
INSERT INTO hrguard.punch (employee_id, punched_at)
SELECT 'SX2', pg_temp.punch_first_caught('SX2', timestamptz '2026-11-28 04:00+08' + n * interval '1 minute', n % 2 = 0)
  FROM generate_series(1, 4) n;
SELECT employee_id, count(*) FROM hrguard.punch
 WHERE employee_id IN ('SX1', 'SX2') AND punched_at >= '2026-11-28' GROUP BY employee_id ORDER BY 1;
SELECT * FROM pg_temp.complete();

-- evidence recorded by a function the punch statement calls
INSERT INTO hrguard.punch (employee_id, punched_at)
SELECT 'SX3', timestamptz '2026-11-29 03:00+08' + n * interval '1 minute'
			  + hrguard.record_evidence('SX3', 'note', '{}', '2026-11-29 02:00+08') * interval '0'
  FROM generate_series(1, 2) n;
-- ... and asked for inside an exception block while the statement's
-- punches are not written yet: refused
CREATE FUNCTION pg_temp.note_caught(e text) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM hrguard.record_evidence(e, 'note', '{}', '2026-11-29 02:00+08');
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
	RETURN 0;
END $$;
INSERT INTO hrguard.punch (employee_id, punched_at)
SELECT 'SX3', timestamptz '2026-11-29 04:00+08' + (n + pg_temp.note_caught('SX3')) * interval '1 minute'
  FROM generate_series(1, 2) n;
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pg_temp.complete();
