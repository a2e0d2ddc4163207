-- case_tables.sql -- cases under Labor Contract Law Art. 39(4): who may act
-- on them, the cases, their steps, and each tenant's policy.
--
-- A case belongs to one employee and moves through states (case_gates.sql);
-- every step is a row of hrguard.case_event and an entry of the case's own
-- custody chain "case:<case_id>" (sql_entries.c), so that the handling
-- itself can be verified.  Only the case functions write these tables.

-- the people who act on cases, and what they may do
CREATE TABLE hrguard.case_actor (
	actor			text COLLATE pg_catalog."C" PRIMARY KEY,
	display_name	text NOT NULL,
	duty			text NOT NULL,
	db_role			name,
	active			boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),

	CONSTRAINT case_actor_not_blank
		CHECK (pg_catalog.btrim(actor) OPERATOR(pg_catalog.<>) ''
			   AND pg_catalog.octet_length(actor) OPERATOR(pg_catalog.<) 128),
	CONSTRAINT case_actor_name_not_blank
		CHECK (pg_catalog.btrim(display_name) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT case_actor_duty_valid
		CHECK (duty OPERATOR(pg_catalog.=) ANY
			   (ARRAY['investigator', 'hr', 'er_legal', 'automated']::pg_catalog.text[]))
);
REVOKE ALL ON hrguard.case_actor FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.case_actor', '');
COMMENT ON TABLE hrguard.case_actor IS
	'who acts on cases: investigator, hr, er_legal (legal / employee relations) or automated; db_role binds the actor to a login';

-- days before a contract ends to remind: at most twelve, each once, from 1 to 3650
CREATE FUNCTION hrguard.valid_reminder_days(days integer[])
	RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT pg_catalog.cardinality($1) OPERATOR(pg_catalog.<=) 12
   AND COALESCE(pg_catalog.array_ndims($1), 1) OPERATOR(pg_catalog.=) 1
   AND NOT EXISTS (SELECT FROM pg_catalog.unnest($1) d WHERE d IS NULL OR d OPERATOR(pg_catalog.<) 1 OR d OPERATOR(pg_catalog.>) 3650)
   AND (SELECT pg_catalog.count(DISTINCT d) FROM pg_catalog.unnest($1) d) OPERATOR(pg_catalog.=) pg_catalog.cardinality($1)
$$;
REVOKE ALL ON FUNCTION hrguard.valid_reminder_days(integer[]) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.valid_reminder_days(integer[]) IS
	'internal: the check of case_policy.reminder_days';

-- what the law leaves to the employer, per tenant (defaults without a row)
CREATE TABLE hrguard.case_policy (
	tenant_id			text PRIMARY KEY,
	require_interview	boolean NOT NULL DEFAULT true,
	correction_days		integer NOT NULL DEFAULT 15,
	hold_days			integer NOT NULL DEFAULT 730,
	reminder_days		integer[] NOT NULL DEFAULT '{180,90,30}',
	payment_grace_days	integer NOT NULL DEFAULT 0,

	CONSTRAINT case_policy_correction_days_valid
		CHECK (correction_days OPERATOR(pg_catalog.>=) 1 AND correction_days OPERATOR(pg_catalog.<=) 365),
	CONSTRAINT case_policy_hold_days_valid
		CHECK (hold_days OPERATOR(pg_catalog.>=) 0 AND hold_days OPERATOR(pg_catalog.<=) 36500),
	CONSTRAINT case_policy_reminder_days_valid CHECK (hrguard.valid_reminder_days(reminder_days)),
	CONSTRAINT case_policy_payment_grace_days_valid
		CHECK (payment_grace_days OPERATOR(pg_catalog.>=) 0 AND payment_grace_days OPERATOR(pg_catalog.<=) 90)
);
REVOKE ALL ON hrguard.case_policy FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.case_policy', '');
COMMENT ON TABLE hrguard.case_policy IS
	'per tenant: whether a decision needs an interview, the default days to correct after a notice, the legal hold after closing, the days before a contract ends to remind, the days of grace for a non-compete payment';

CREATE TABLE hrguard."case" (
	case_id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.employee,
	tenant_id		text NOT NULL,
	state			text NOT NULL DEFAULT 'open',
	ground			text,
	reason			text NOT NULL,
	opened_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	opened_by		text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.case_actor,
	closed_at		timestamptz,
	hold_until		timestamptz,
	last_event		bigint NOT NULL DEFAULT 0,

	CONSTRAINT case_state_valid
		CHECK (state OPERATOR(pg_catalog.=) ANY
			   (ARRAY['open', 'verifying', 'interview', 'evidence_review', 'notice_to_correct',
					  'decision', 'terminated', 'warned', 'cleared']::pg_catalog.text[])),
	CONSTRAINT case_ground_valid
		CHECK (ground OPERATOR(pg_catalog.=) ANY (ARRAY['39_4a', '39_4b']::pg_catalog.text[])),
	CONSTRAINT case_closed_when_final
		CHECK ((closed_at IS NOT NULL) OPERATOR(pg_catalog.=)
			   (state OPERATOR(pg_catalog.=) ANY (ARRAY['terminated', 'warned', 'cleared']::pg_catalog.text[])))
);
REVOKE ALL ON hrguard."case" FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.case', '');
SELECT pg_catalog.pg_extension_config_dump('hrguard.case_case_id_seq', '');
CREATE INDEX case_employee_idx ON hrguard."case" (employee_id);
COMMENT ON TABLE hrguard."case" IS
	'an investigation of one employee under LCL Art. 39(4); its state, ground and legal hold';

CREATE TABLE hrguard.case_event (
	case_id			bigint NOT NULL REFERENCES hrguard."case",
	event_no		bigint NOT NULL,
	kind			text NOT NULL,
	actor			text COLLATE pg_catalog."C" NOT NULL REFERENCES hrguard.case_actor,
	duty			text NOT NULL,
	db_role			name NOT NULL,
	occurred_at		timestamptz NOT NULL,
	recorded_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	details			jsonb NOT NULL,
	PRIMARY KEY (case_id, event_no),

	CONSTRAINT case_event_kind_valid
		CHECK (kind OPERATOR(pg_catalog.=) ANY
			   (ARRAY['opened', 'transition', 'ground', 'alert', 'evidence', 'interview',
					  'notice_to_correct', 'notice_delivered', 'union_notice', 'union_reply',
					  'rebuttal', 'acknowledgement', 'approval', 'export']::pg_catalog.text[]))
);
REVOKE ALL ON hrguard.case_event FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.case_event', '');
COMMENT ON TABLE hrguard.case_event IS
	'every step of every case, numbered as the entries of the case''s custody chain "case:<case_id>"; append-only';
COMMENT ON COLUMN hrguard.case_event.db_role IS
	'the role the session acted as when the step was recorded';

-- rows of the tables kept as facts (steps, contracts, payments, notices):
-- never changed, never removed; the trigger's argument names them
CREATE FUNCTION hrguard.keep_rows()
	RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	RAISE EXCEPTION USING
		ERRCODE = 'object_not_in_prerequisite_state',
		MESSAGE = pg_catalog.format('%s cannot be changed or removed', TG_ARGV[0]),
		HINT = 'Record a new one instead.';
END
$$;
REVOKE ALL ON FUNCTION hrguard.keep_rows() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.keep_rows() IS
	'trigger: the rows of a table kept as facts (named by the argument) are append-only';
CREATE TRIGGER case_event_keep BEFORE UPDATE OR DELETE ON hrguard.case_event
	FOR EACH ROW EXECUTE FUNCTION hrguard.keep_rows('the steps of a case');
CREATE TRIGGER case_event_keep_truncate BEFORE TRUNCATE ON hrguard.case_event
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.keep_rows('the steps of a case');
ALTER TABLE hrguard.case_event ENABLE ALWAYS TRIGGER case_event_keep;
ALTER TABLE hrguard.case_event ENABLE ALWAYS TRIGGER case_event_keep_truncate;

CREATE FUNCTION hrguard.case_append(case_id bigint, payload jsonb, occurred_at timestamptz)
	RETURNS bigint
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_case_append';
REVOKE ALL ON FUNCTION hrguard.case_append(bigint, jsonb, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_append(bigint, jsonb, timestamptz) IS
	'internal: appends one step of a case to its custody chain; returns its seq';

CREATE FUNCTION hrguard.case_caller()
	RETURNS name
	LANGUAGE c STABLE
	AS 'MODULE_PATHNAME', 'hrguard_case_caller';
REVOKE ALL ON FUNCTION hrguard.case_caller() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_caller() IS
	'internal: the role the session acts as, also inside a SECURITY DEFINER function';
