-- random_punches: a few thousand random punch statements (single- and
-- multi-row, INSERT ... SELECT through a function that catches an error,
-- blocks that roll back, rows that fail and are caught, duplicates skipped
-- by ON CONFLICT DO NOTHING, NULLs, punches nested in punch statements),
-- then the invariants: every chain verifies, every head ends where its
-- chain does, every punch and alert has exactly its entry.  Seeded, so a
-- failure replays: change the seed to explore.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
SELECT setseed(0.4242);

INSERT INTO hrguard.employee (employee_id) SELECT 'RX' || g FROM generate_series(1, 6) g;

CREATE FUNCTION pg_temp.rnd_at(n int) RETURNS timestamptz LANGUAGE sql AS $$
	SELECT timestamptz '2026-10-01 00:00+08' + n * interval '7 minutes'
$$;
CREATE FUNCTION pg_temp.caught(t timestamptz) RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM 1 / 0;
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
	RETURN t;
END $$;
CREATE FUNCTION pg_temp.nested(e text, t timestamptz, fail boolean) RETURNS timestamptz
	LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		INSERT INTO hrguard.punch (employee_id, punched_at) VALUES (e, t - interval '1 minute');
		IF fail THEN
			PERFORM 1 / 0;
		END IF;
	EXCEPTION WHEN division_by_zero THEN NULL;
	END;
	RETURN t;
END $$;

DO $$
DECLARE
	n int := 0;
	shape int;
	e text;
	stats int[] := ARRAY[0, 0, 0, 0, 0, 0, 0];
BEGIN
	FOR i IN 1..2500 LOOP
		n := n + 1;
		e := 'RX' || (1 + floor(random() * 6))::int;
		shape := floor(random() * 7)::int;
		BEGIN
			CASE shape
			WHEN 0 THEN		-- one row, maybe without a position
				INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, device_id)
				VALUES (e, pg_temp.rnd_at(n),
						CASE WHEN random() < 0.8 THEN 31.2 + random() / 10 END,
						CASE WHEN random() < 0.8 THEN 121.4 + random() / 10 END,
						CASE WHEN random() < 0.5 THEN random() * 50 END,
						CASE WHEN random() < 0.5 THEN 'dev-' || floor(random() * 3)::int END);
			WHEN 1 THEN		-- several rows, several employees
				INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
				SELECT 'RX' || (1 + (g + i) % 6), pg_temp.rnd_at(n) + g * interval '1 second',
					   31.2 + random() / 5, 121.4 + random() / 5
				  FROM generate_series(1, 1 + floor(random() * 4)::int) g
				 ORDER BY 1;
			WHEN 2 THEN		-- a subtransaction aborts in the middle of the statement
				INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
				SELECT e, pg_temp.caught(pg_temp.rnd_at(n) + g * interval '1 second'), 31.21, 121.41
				  FROM generate_series(1, 3) g;
			WHEN 3 THEN		-- a bad row: the whole statement fails and is caught
				INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
				VALUES (e, pg_temp.rnd_at(n), 31.2, 121.4),
					   (e, pg_temp.rnd_at(n) + interval '1 second', 95, 121.4);
			WHEN 4 THEN		-- a vendor record, maybe received before
				INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, source, source_record_id)
				VALUES (e, pg_temp.rnd_at(n), 31.2, 121.4, 'dingtalk', 'rx-' || floor(random() * 300)::int)
				ON CONFLICT DO NOTHING;
			WHEN 5 THEN		-- punches nested in a punch statement, some rolled back
				INSERT INTO hrguard.punch (employee_id, punched_at)
				SELECT e, pg_temp.nested(e, pg_temp.rnd_at(n) + g * interval '2 minutes', random() < 0.5)
				  FROM generate_series(1, 2) g;
			ELSE			-- a statement that succeeds, then its block rolls back
				INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
				VALUES (e, pg_temp.rnd_at(n), 31.2, 121.4);
				RAISE division_by_zero;
			END CASE;
			stats[shape + 1] := stats[shape + 1] + 1;
		EXCEPTION
			WHEN division_by_zero OR invalid_parameter_value THEN NULL;
		END;
	END LOOP;
	RAISE WARNING 'statements of each shape that committed: %', stats;
END $$;

SELECT count(*) > 2000 AS many_punches,
	   (SELECT count(*) FROM hrguard.alert WHERE employee_id LIKE 'RX%') > 1000 AS many_alerts
  FROM hrguard.punch WHERE employee_id LIKE 'RX%';
SELECT count(*) AS problems FROM hrguard.verify_facts() WHERE employee_id LIKE 'RX%';
SELECT bool_and(ok) AS chains_ok FROM hrguard.verify_all() WHERE employee_id LIKE 'RX%';
SELECT bool_and(h.seq = (SELECT max(seq) FROM hrguard.evidence e WHERE e.employee_id = h.employee_id)) AS heads_at_end
  FROM hrguard.chain_head h WHERE h.employee_id LIKE 'RX%';
