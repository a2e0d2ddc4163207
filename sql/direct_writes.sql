-- direct_writes: what an application adds to the tables hrguard writes for
-- a punch (hrguard.evidence, hrguard.alert, hrguard.chain_head) applies to
-- hrguard's own rows as it would to an INSERT: its triggers fire once per
-- row, its CHECK, NOT NULL, foreign key, row security, unique and
-- exclusion constraints refuse with their own SQLSTATE and nothing is
-- written, its defaults and generated columns are filled in.  Each case
-- adds one thing to one table, inserts two punches that raise alerts, and
-- is rolled back before the next.  Row security does not hold hrguard's
-- rows back here, as it would not hold back an INSERT: the extension's
-- owner is a superuser, and superusers bypass it.  A deferrable unique
-- constraint on chain_head is refused (55000) by the upsert that creates a
-- chain's head.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id, team) VALUES ('DW1', 'direct writes');
CREATE TABLE dw_seen (tbl text);
CREATE FUNCTION dw_note() RETURNS trigger LANGUAGE plpgsql
	AS $$ BEGIN INSERT INTO public.dw_seen VALUES (TG_TABLE_NAME); RETURN NEW; END $$;
CREATE TABLE dw_parent (employee_id text PRIMARY KEY);

-- %1$s is the table
CREATE TEMP TABLE dw_case (ord int, name text, ddl text);
INSERT INTO dw_case VALUES
	(1, 'before row trigger',
	 'CREATE TRIGGER dw BEFORE INSERT ON %1$s FOR EACH ROW EXECUTE FUNCTION public.dw_note()'),
	(2, 'after row trigger',
	 'CREATE TRIGGER dw AFTER INSERT ON %1$s FOR EACH ROW EXECUTE FUNCTION public.dw_note()'),
	(3, 'after statement trigger',
	 'CREATE TRIGGER dw AFTER INSERT ON %1$s FOR EACH STATEMENT EXECUTE FUNCTION public.dw_note()'),
	(4, 'check refuses',
	 'ALTER TABLE %1$s ADD CONSTRAINT dw CHECK (employee_id <> ''DW1'') NOT VALID'),
	(5, 'check passes',
	 'ALTER TABLE %1$s ADD CONSTRAINT dw CHECK (employee_id <> ''nobody'')'),
	(6, 'not null',
	 'ALTER TABLE %1$s ADD COLUMN dw text NOT NULL DEFAULT ''old''; ALTER TABLE %1$s ALTER COLUMN dw DROP DEFAULT'),
	(7, 'default',
	 'ALTER TABLE %1$s ADD COLUMN dw text DEFAULT ''filled'''),
	(8, 'generated column',
	 'ALTER TABLE %1$s ADD COLUMN dw text GENERATED ALWAYS AS (employee_id || ''!'') STORED'),
	(9, 'foreign key',
	 'ALTER TABLE %1$s ADD CONSTRAINT dw FOREIGN KEY (employee_id) REFERENCES public.dw_parent NOT VALID'),
	(10, 'row security',
	 'ALTER TABLE %1$s ENABLE ROW LEVEL SECURITY; ALTER TABLE %1$s FORCE ROW LEVEL SECURITY; '
	 'CREATE POLICY dw_read ON %1$s FOR SELECT USING (true); '
	 'CREATE POLICY dw_write ON %1$s FOR INSERT WITH CHECK (employee_id <> ''DW1''); '
	 'CREATE POLICY dw_change ON %1$s FOR UPDATE USING (true) WITH CHECK (employee_id <> ''DW1'')'),
	(11, 'unique index',
	 'CREATE UNIQUE INDEX dw ON %1$s (employee_id) WHERE employee_id = ''DW1'''),
	(12, 'exclusion constraint',
	 'ALTER TABLE %1$s ADD CONSTRAINT dw EXCLUDE USING btree (employee_id WITH =) WHERE (employee_id = ''DW1'')'),
	(13, 'deferred unique',
	 'ALTER TABLE %1$s ADD CONSTRAINT dw UNIQUE (employee_id) DEFERRABLE INITIALLY IMMEDIATE');

CREATE TEMP TABLE dw_outcome (tbl text, ord int, name text, result text);
DO $$
DECLARE
	t text;
	c record;
	res text;
BEGIN
	FOREACH t IN ARRAY ARRAY['hrguard.evidence', 'hrguard.alert', 'hrguard.chain_head'] LOOP
		FOR c IN SELECT * FROM dw_case ORDER BY ord LOOP
			BEGIN
				-- a unique constraint cannot be added while some employee
				-- has two rows: the deferred case is about chain heads only
				CONTINUE WHEN c.ord = 13 AND t <> 'hrguard.chain_head';
				EXECUTE format(c.ddl, t);
				BEGIN
					INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m)
					VALUES ('DW1', '2026-11-24 03:00+08', 30.0, 120.0, 10),
						   ('DW1', '2026-11-24 03:10+08', 30.1, 120.1, 10);
					EXECUTE format($q$
						SELECT format('ok rows=%%s fired=%%s%%s', count(*),
									  (SELECT count(*) FROM public.dw_seen),
									  CASE WHEN %2$L THEN ' dw=' || string_agg(DISTINCT %3$s, ',') ELSE '' END)
						  FROM %1$s WHERE employee_id = 'DW1'$q$,
								   t, c.ord IN (6, 7, 8), CASE WHEN c.ord IN (6, 7, 8) THEN 'dw' ELSE 'NULL' END)
						INTO res;
					IF EXISTS (SELECT FROM hrguard.verify_facts() WHERE employee_id = 'DW1')
					   OR NOT (SELECT ok FROM hrguard.verify_chain('DW1')) THEN
						res := res || ' INCOMPLETE';
					END IF;
				EXCEPTION WHEN OTHERS THEN
					res := SQLSTATE;
					IF EXISTS (SELECT FROM hrguard.punch WHERE employee_id = 'DW1')
					   OR EXISTS (SELECT FROM hrguard.evidence WHERE employee_id = 'DW1')
					   OR EXISTS (SELECT FROM hrguard.alert WHERE employee_id = 'DW1') THEN
						res := res || ' but wrote';
					END IF;
				END;
				RAISE EXCEPTION USING ERRCODE = 'HR999', MESSAGE = res;
			EXCEPTION WHEN SQLSTATE 'HR999' THEN
				INSERT INTO dw_outcome VALUES (t, c.ord, c.name, SQLERRM);
			END;
		END LOOP;
	END LOOP;
END $$;
SELECT tbl, name, result FROM dw_outcome ORDER BY tbl, ord;

-- every case was undone; the same punches with nothing added
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m)
VALUES ('DW1', '2026-11-24 03:00+08', 30.0, 120.0, 10),
	   ('DW1', '2026-11-24 03:10+08', 30.1, 120.1, 10);
SELECT (SELECT count(*) FROM hrguard.punch WHERE employee_id = 'DW1') AS punches,
	   (SELECT count(*) FROM hrguard.alert WHERE employee_id = 'DW1') AS alerts,
	   (SELECT count(*) FROM hrguard.evidence WHERE employee_id = 'DW1') AS entries,
	   (SELECT seq FROM hrguard.chain_head WHERE employee_id = 'DW1') AS head_seq;
SELECT * FROM hrguard.verify_facts() WHERE employee_id = 'DW1';
SELECT ok, entries FROM hrguard.verify_chain('DW1');

-- a column hrguard needs, dropped from hrguard.punch: a clear error
BEGIN;
ALTER TABLE hrguard.punch DROP COLUMN wifi_bssid;
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('DW1', '2026-11-24 04:00+08');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TABLE dw_seen, dw_parent;
DROP FUNCTION dw_note();
