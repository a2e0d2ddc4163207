-- evidence.sql -- per-employee hash chains of evidence (evidence.c,
-- evidence_verify.c).

CREATE TABLE hrguard.chain_head (
	employee_id		text COLLATE pg_catalog."C" PRIMARY KEY,
	seq				bigint NOT NULL,
	head			bytea NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.now()
);
REVOKE ALL ON hrguard.chain_head FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.chain_head', '');
COMMENT ON TABLE hrguard.chain_head IS
	'the last seq and link of each employee''s evidence chain';

CREATE TABLE hrguard.evidence (
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	seq				bigint NOT NULL,
	kind			text NOT NULL,
	occurred_at		timestamptz NOT NULL,
	recorded_at		timestamptz NOT NULL,
	canon			bytea NOT NULL,
	leaf			bytea NOT NULL,
	link			bytea NOT NULL,
	PRIMARY KEY (employee_id, seq)
);
REVOKE ALL ON hrguard.evidence FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.evidence', '');
COMMENT ON TABLE hrguard.evidence IS
	'hash-chained evidence, one chain per employee; append-only';
COMMENT ON COLUMN hrguard.evidence.canon IS
	'the exact bytes hashed: RFC 8785 canonical JSON {v, e, k, t, rt, n, p}';
COMMENT ON COLUMN hrguard.evidence.leaf IS
	'first 16 bytes of SHA-256(0x00 || canon)';
COMMENT ON COLUMN hrguard.evidence.link IS
	'SHA-256(0x02 || "hrguard/v1/link" || u32be(len) || employee_id || u64be(seq) || previous link || leaf)';

CREATE FUNCTION hrguard.evidence_guard()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_evidence_guard';
REVOKE ALL ON FUNCTION hrguard.evidence_guard() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.evidence_guard() IS
	'evidence trigger: only hrguard''s own appends may write evidence and chain heads';

-- Makes a table append-only except for hrguard's own appends: guards for
-- rows (<table>_guard) and for TRUNCATE (<table>_guard_truncate), enabled
-- ALWAYS so that they fire also under session_replication_role = replica.
CREATE FUNCTION hrguard.make_append_only(tbl regclass)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	name text := (SELECT relname FROM pg_catalog.pg_class WHERE oid = tbl);
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c
				   WHERE c.oid OPERATOR(pg_catalog.=) tbl
					 AND c.relnamespace OPERATOR(pg_catalog.=) 'hrguard'::pg_catalog.regnamespace
					 AND c.relname OPERATOR(pg_catalog.=) ANY (ARRAY['evidence', 'chain_head', 'day_close',
						 'log_entry', 'log_checkpoint', 'log_node', 'log_chain', 'log_head',
						 'head_node']::pg_catalog.name[])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s is not one of hrguard''s evidence tables', tbl);
	END IF;
	EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE ON %s '
				   'FOR EACH ROW EXECUTE FUNCTION hrguard.evidence_guard()', name || '_guard', tbl);
	EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s '
				   'FOR EACH STATEMENT EXECUTE FUNCTION hrguard.evidence_guard()', name || '_guard_truncate', tbl);
	EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', tbl, name || '_guard');
	EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', tbl, name || '_guard_truncate');
END
$$;
REVOKE ALL ON FUNCTION hrguard.make_append_only(regclass) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.make_append_only(regclass) IS
	'installs the append-only guards on one of hrguard''s evidence tables';

SELECT hrguard.make_append_only('hrguard.evidence');
SELECT hrguard.make_append_only('hrguard.chain_head');

CREATE FUNCTION hrguard.record_evidence(employee_id text, kind text, payload jsonb,
		occurred_at timestamptz DEFAULT pg_catalog.now())
	RETURNS bigint
	LANGUAGE c
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'hrguard_record_evidence';
REVOKE ALL ON FUNCTION hrguard.record_evidence(text, text, jsonb, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.record_evidence(text, text, jsonb, timestamptz) IS
	'appends evidence an application brings to the employee''s chain; returns its seq';

CREATE FUNCTION hrguard.verify_chain(employee_id text,
		OUT ok boolean, OUT entries bigint, OUT first_bad_seq bigint, OUT reason text)
	RETURNS SETOF record
	LANGUAGE c STRICT
	AS 'MODULE_PATHNAME', 'hrguard_verify_chain';
REVOKE ALL ON FUNCTION hrguard.verify_chain(text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.verify_chain(text) IS
	'recomputes an employee''s chain: ok, entries, and the first bad seq with the reason';

CREATE FUNCTION hrguard.verify_all(
		OUT employee_id text, OUT ok boolean, OUT entries bigint,
		OUT first_bad_seq bigint, OUT reason text)
	RETURNS SETOF record
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_verify_all';
REVOKE ALL ON FUNCTION hrguard.verify_all() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.verify_all() IS
	'verify_chain for every chain, one row each';

CREATE VIEW hrguard.chain_status WITH (security_invoker = true) AS
SELECT v.employee_id, v.ok, v.entries, v.first_bad_seq, v.reason,
	   h.seq AS head_seq, pg_catalog.encode(h.head, 'hex') AS head, h.updated_at
  FROM hrguard.verify_all() v
  LEFT JOIN hrguard.chain_head h ON h.employee_id OPERATOR(pg_catalog.=) v.employee_id;
COMMENT ON VIEW hrguard.chain_status IS
	'every evidence chain, verified now, with its head';

CREATE TABLE hrguard.day_close (
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	day				date NOT NULL,
	seq				bigint NOT NULL,
	PRIMARY KEY (employee_id, day)
);
REVOKE ALL ON hrguard.day_close FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.day_close', '');
COMMENT ON TABLE hrguard.day_close IS
	'which local days are closed in which chain, and by which entry';
SELECT hrguard.make_append_only('hrguard.day_close');

CREATE FUNCTION hrguard.close_day(day date)
	RETURNS bigint
	LANGUAGE c STRICT
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'hrguard_close_day';
REVOKE ALL ON FUNCTION hrguard.close_day(date) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.close_day(date) IS
	'appends a day_close entry counting that local day''s entries to every chain of an employee employed that day; returns the chains closed';

CREATE VIEW hrguard.late_evidence WITH (security_invoker = true) AS
SELECT v.employee_id, v.seq, v.kind, v.occurred_at, v.recorded_at,
	   c.day AS closed_day, c.seq AS close_seq
  FROM hrguard.evidence v
  JOIN hrguard.employee e ON e.employee_id OPERATOR(pg_catalog.=) v.employee_id
  JOIN hrguard.day_close c
	ON c.employee_id OPERATOR(pg_catalog.=) v.employee_id
   AND c.day OPERATOR(pg_catalog.=) (v.occurred_at AT TIME ZONE e.timezone)::date
 WHERE v.seq OPERATOR(pg_catalog.>) c.seq
   -- a day's closing entry is dated at its end, the next day's start
   AND v.kind OPERATOR(pg_catalog.<>) 'day_close';
COMMENT ON VIEW hrguard.late_evidence IS
	'entries recorded after the day they belong to was closed (closing entries of other days aside)';
