-- case_steps.sql -- opening a case and recording its steps: alerts and
-- evidence attached, interviews, the notice to correct and its delivery,
-- the union's notice and reply, the employee's rebuttals and their
-- acknowledgement.
--
-- Every public function here is SECURITY DEFINER (callers need EXECUTE, not
-- rights on the tables), names an actor of hrguard.case_actor whose duty
-- allows the step, locks the case, and records the step through
-- hrguard.case_step: one row of hrguard.case_event and one entry of the
-- case's custody chain, in the caller's transaction.

-- the case, read or locked FOR UPDATE for a step; 22023 when there is none
CREATE FUNCTION hrguard.case_read(case_id bigint, for_step boolean DEFAULT false)
	RETURNS hrguard."case"
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c hrguard."case";
BEGIN
	IF $1 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'case_id is required';
	END IF;
	IF $2 THEN
		SELECT * INTO c FROM hrguard."case" k WHERE k.case_id OPERATOR(pg_catalog.=) $1 FOR UPDATE;
	ELSE
		SELECT * INTO c FROM hrguard."case" k WHERE k.case_id OPERATOR(pg_catalog.=) $1;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('there is no case %s', $1);
	END IF;
	RETURN c;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_read(bigint, boolean) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_read(bigint, boolean) IS
	'internal: a case, read, or locked FOR UPDATE for the step being recorded';

-- the actor's duty, if it allows the step (42501 otherwise)
CREATE FUNCTION hrguard.case_actor_duty(actor text, duties text[], step text)
	RETURNS text
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	a hrguard.case_actor;
	caller name := hrguard.case_caller();
BEGIN
	IF $1 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'actor is required';
	END IF;
	SELECT * INTO a FROM hrguard.case_actor ca WHERE ca.actor OPERATOR(pg_catalog.=) $1;
	IF NOT FOUND OR NOT a.active THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = pg_catalog.format('"%s" is not an active case actor', pg_catalog.left($1, 127)),
			HINT = 'An administrator registers the people who act on cases in hrguard.case_actor.';
	END IF;
	IF a.db_role IS NOT NULL
	   AND NOT (EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) a.db_role)
				AND pg_catalog.pg_has_role(caller, a.db_role, 'MEMBER')) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = pg_catalog.format('actor "%s" can only act from the role %s', a.actor, a.db_role),
			DETAIL = pg_catalog.format('This session acts as %s.', caller);
	END IF;
	IF NOT (a.duty OPERATOR(pg_catalog.=) ANY ($2)) THEN
		IF a.duty OPERATOR(pg_catalog.=) 'automated' THEN
			RAISE EXCEPTION USING
				ERRCODE = 'insufficient_privilege',
				MESSAGE = pg_catalog.format('actor "%s" is automated and cannot %s', a.actor, $3),
				DETAIL = 'An automated score may open a case, attach alerts and move it to verifying; every later step needs a person.';
		END IF;
		RAISE EXCEPTION USING
			ERRCODE = 'insufficient_privilege',
			MESSAGE = pg_catalog.format('actor "%s" (%s) cannot %s', a.actor, a.duty, $3),
			DETAIL = pg_catalog.format('Only an actor of duty %s can.', pg_catalog.array_to_string($2, ' or '));
	END IF;
	RETURN a.duty;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_actor_duty(text, text[], text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_actor_duty(text, text[], text) IS
	'internal: checks that an actor is registered, active, acting from its bound role and of a duty allowed for the step';

-- a step's state must be one of these (55000 otherwise)
CREATE FUNCTION hrguard.case_in_state(c hrguard."case", states text[], step text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF NOT (c.state OPERATOR(pg_catalog.=) ANY ($2)) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s is %s and cannot %s', c.case_id,
				CASE WHEN c.closed_at IS NULL THEN 'in state ' OPERATOR(pg_catalog.||) c.state
					 ELSE 'closed (' OPERATOR(pg_catalog.||) c.state OPERATOR(pg_catalog.||) ')' END, $3),
			DETAIL = pg_catalog.format('That is done in state %s.', pg_catalog.array_to_string($2, ' or '));
	END IF;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_in_state(hrguard."case", text[], text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_in_state(hrguard."case", text[], text) IS
	'internal: refuses a step the case''s state does not allow';

-- a time a step happened at: given, finite, not in the future (a minute
-- of clock skew aside) and, for a step of the case itself (not evidence,
-- which may predate it), not before the case was opened
CREATE FUNCTION hrguard.case_time(at timestamptz, what text, not_before timestamptz DEFAULT NULL)
	RETURNS timestamptz
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF $1 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = pg_catalog.format('%s is required', $2);
	END IF;
	IF NOT pg_catalog.isfinite($1)
	   OR $1 OPERATOR(pg_catalog.>) (pg_catalog.statement_timestamp() OPERATOR(pg_catalog.+) '1 minute'::pg_catalog.interval) THEN
		RAISE EXCEPTION USING
			ERRCODE = '22008',
			MESSAGE = pg_catalog.format('%s must be a finite time not in the future', $2);
	END IF;
	IF $1 OPERATOR(pg_catalog.<) $3 THEN
		RAISE EXCEPTION USING
			ERRCODE = '22008',
			MESSAGE = pg_catalog.format('%s cannot be before the case was opened', $2),
			DETAIL = 'A step of a case happens after the case is opened; evidence attached to it may be older.';
	END IF;
	RETURN $1;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_time(timestamptz, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_time(timestamptz, text, timestamptz) IS
	'internal: checks the time a case step happened at';

-- a required text: given and not blank
CREATE FUNCTION hrguard.case_text(value text, what text)
	RETURNS text
	LANGUAGE plpgsql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF $1 IS NULL OR pg_catalog.btrim($1) OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = pg_catalog.format('%s is required', $2);
	END IF;
	IF pg_catalog.octet_length($1) OPERATOR(pg_catalog.>) 65536 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'program_limit_exceeded',
			MESSAGE = pg_catalog.format('%s is longer than 65536 bytes', $2);
	END IF;
	RETURN $1;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_text(text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_text(text, text) IS
	'internal: checks a required text of a case step';

-- an optional note: NULL, or a text within the bound of case_text
CREATE FUNCTION hrguard.case_note(value text)
	RETURNS text
	LANGUAGE sql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT CASE WHEN $1 IS NULL THEN NULL ELSE hrguard.case_text($1, 'note') END
$$;
REVOKE ALL ON FUNCTION hrguard.case_note(text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_note(text) IS
	'internal: checks an optional note of a case step';

-- a document's SHA-256: 64 lower-case hex digits, or NULL where allowed
CREATE FUNCTION hrguard.case_sha256(value text, what text, required boolean)
	RETURNS text
	LANGUAGE plpgsql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF $1 IS NULL THEN
		IF $3 THEN
			RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = pg_catalog.format('%s is required', $2);
		END IF;
		RETURN NULL;
	END IF;
	IF $1 COLLATE "C" OPERATOR(pg_catalog.!~) '^[0-9a-f]{64}$' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('%s must be a SHA-256 in 64 lower-case hex digits', $2);
	END IF;
	RETURN $1;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_sha256(text, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_sha256(text, text, boolean) IS
	'internal: checks the SHA-256 of a document a case step refers to';

-- whether a case has a step of this kind whose details name this number
-- under this key (the alert attached, the step acknowledged)
CREATE FUNCTION hrguard.case_has_step(case_id bigint, kind text, key text, value bigint)
	RETURNS boolean
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT EXISTS (SELECT FROM hrguard.case_event e
				WHERE e.case_id OPERATOR(pg_catalog.=) $1 AND e.kind OPERATOR(pg_catalog.=) $2
				  AND (e.details OPERATOR(pg_catalog.->>) $3)::pg_catalog.int8 OPERATOR(pg_catalog.=) $4)
$$;
REVOKE ALL ON FUNCTION hrguard.case_has_step(bigint, text, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_has_step(bigint, text, text, bigint) IS
	'internal: whether a case has a step of a kind that names a number (an alert, a step) under a key';

-- whether a step awaits an acknowledgement: a rebuttal, or a union's objection
CREATE FUNCTION hrguard.case_awaits_acknowledgement(kind text, details jsonb)
	RETURNS boolean
	LANGUAGE sql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT $1 OPERATOR(pg_catalog.=) 'rebuttal'
	   OR ($1 OPERATOR(pg_catalog.=) 'union_reply' AND COALESCE(($2 OPERATOR(pg_catalog.->>) 'objects')::pg_catalog.bool, false))
$$;
REVOKE ALL ON FUNCTION hrguard.case_awaits_acknowledgement(text, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_awaits_acknowledgement(text, jsonb) IS
	'internal: whether a step of a case awaits an acknowledgement (a rebuttal, a union''s objection)';

-- records one step: its custody entry, then its row; returns its number
CREATE FUNCTION hrguard.case_step(c hrguard."case", kind text, actor text, duty text,
		occurred_at timestamptz, details jsonb)
	RETURNS bigint
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	caller name := hrguard.case_caller();
	n bigint;
BEGIN
	n := hrguard.case_append(c.case_id, pg_catalog.jsonb_build_object(
			'case_id', c.case_id, 'employee_id', c.employee_id, 'step', $2,
			'actor', $3, 'duty', $4, 'db_role', caller::pg_catalog.text, 'details', $6), $5);
	IF n OPERATOR(pg_catalog.<>) (c.last_event OPERATOR(pg_catalog.+) 1) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'data_corrupted',
			MESSAGE = pg_catalog.format('the custody chain of case %s is at entry %s but the case has %s steps',
				c.case_id, n OPERATOR(pg_catalog.-) 1, c.last_event);
	END IF;
	INSERT INTO hrguard.case_event (case_id, event_no, kind, actor, duty, db_role, occurred_at, details)
	VALUES (c.case_id, n, $2, $3, $4, caller, $5, $6);
	UPDATE hrguard."case" k SET last_event = n WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_step(hrguard."case", text, text, text, timestamptz, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_step(hrguard."case", text, text, text, timestamptz, jsonb) IS
	'internal: records one step of a case, in its custody chain and in case_event';

-- an alert joins the case: it names the case and is escalated
CREATE FUNCTION hrguard.case_take_alert(c hrguard."case", alert_id bigint, actor text, duty text, category text)
	RETURNS bigint
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	a hrguard.alert;
	category text;
	seq bigint;
	link text;
BEGIN
	IF $2 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'alert_id is required';
	END IF;
	SELECT * INTO a FROM hrguard.alert al WHERE al.alert_id OPERATOR(pg_catalog.=) $2 FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = pg_catalog.format('there is no alert %s', $2);
	END IF;
	IF a.employee_id OPERATOR(pg_catalog.<>) c.employee_id THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('alert %s is about another employee than case %s', $2, c.case_id);
	END IF;
	IF a.case_id IS NOT NULL AND a.case_id OPERATOR(pg_catalog.<>) c.case_id THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('alert %s already belongs to case %s', $2, a.case_id);
	END IF;
	IF hrguard.case_has_step(c.case_id, 'alert', 'alert_id', $2) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'unique_violation',
			MESSAGE = pg_catalog.format('alert %s is already attached to case %s', $2, c.case_id);
	END IF;
	-- the alert's own entry in the employee's chain
	SELECT v.seq, pg_catalog.encode(v.link, 'hex') INTO seq, link FROM hrguard.evidence v
	 WHERE v.employee_id OPERATOR(pg_catalog.=) a.employee_id AND v.kind OPERATOR(pg_catalog.=) 'alert'
	   AND (pg_catalog.convert_from(v.canon, 'UTF8')::pg_catalog.jsonb OPERATOR(pg_catalog.#>>) '{p,alert_id}')::pg_catalog.int8
		   OPERATOR(pg_catalog.=) a.alert_id
	 ORDER BY v.seq LIMIT 1;
	-- a scoring alert shows the impact on this job; a punch alert is context
	category := COALESCE($5, CASE WHEN a.kind OPERATOR(pg_catalog.=) ANY
									   (ARRAY['hours_mismatch', 'customer_source', 'unlinked_sale', 'report_gap'])
								  THEN 'impact' ELSE 'other' END);
	UPDATE hrguard.alert al SET case_id = c.case_id, status = 'escalated'
	 WHERE al.alert_id OPERATOR(pg_catalog.=) $2;
	RETURN hrguard.case_step(c, 'alert', $3, $4, a.occurred_at, pg_catalog.jsonb_build_object(
		'alert_id', a.alert_id, 'kind', a.kind, 'severity', a.severity, 'category', category,
		'evidence_seq', seq, 'evidence_link', link));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_take_alert(hrguard."case", bigint, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_take_alert(hrguard."case", bigint, text, text, text) IS
	'internal: attaches an alert of the case''s employee to the case';

CREATE FUNCTION hrguard.open_case(employee_id text, actor text, reason text,
		alert_ids bigint[] DEFAULT '{}')
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['investigator', 'hr', 'er_legal', 'automated'], 'open a case');
	e hrguard.employee;
	c hrguard."case";
	id bigint;
BEGIN
	IF $1 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'employee_id is required';
	END IF;
	SELECT * INTO e FROM hrguard.employee em WHERE em.employee_id OPERATOR(pg_catalog.=) $1;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'foreign_key_violation',
			MESSAGE = pg_catalog.format('employee "%s" is not registered', pg_catalog.left($1, 127));
	END IF;
	INSERT INTO hrguard."case" (employee_id, tenant_id, reason, opened_by)
	VALUES (e.employee_id, e.tenant_id, hrguard.case_text($3, 'reason'), $2)
	RETURNING * INTO c;
	PERFORM hrguard.case_step(c, 'opened', $2, duty, c.opened_at,
		pg_catalog.jsonb_build_object('reason', c.reason, 'tenant_id', c.tenant_id));
	FOREACH id IN ARRAY COALESCE($4, '{}')
	LOOP
		c := hrguard.case_read(c.case_id, true);
		PERFORM hrguard.case_take_alert(c, id, $2, duty, NULL);
	END LOOP;
	RETURN c.case_id;
END
$$;
REVOKE ALL ON FUNCTION hrguard.open_case(text, text, text, bigint[]) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.open_case(text, text, text, bigint[]) IS
	'opens a case for an employee, by hand or from alerts (a scoring alert attached as evidence of impact, any other as context); returns its id';

CREATE FUNCTION hrguard.case_attach_alert(case_id bigint, alert_id bigint, actor text,
		category text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($3, ARRAY['investigator', 'hr', 'er_legal', 'automated'], 'attach an alert');
	c hrguard."case" := hrguard.case_read($1, true);
BEGIN
	IF duty OPERATOR(pg_catalog.=) 'automated' THEN
		PERFORM hrguard.case_in_state(c, ARRAY['open', 'verifying'], 'take an alert from an automated actor');
		IF $4 IS NOT NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'insufficient_privilege',
				MESSAGE = pg_catalog.format('actor "%s" is automated and cannot say what an alert proves', $3),
				DETAIL = 'An automated actor attaches an alert with its default category; a person may attach it as other evidence.';
		END IF;
	END IF;
	PERFORM hrguard.case_in_state(c, ARRAY['open', 'verifying', 'interview', 'evidence_review',
		'notice_to_correct', 'decision'], 'take an alert');
	IF NOT ($4 OPERATOR(pg_catalog.=) ANY (ARRAY['impact', 'other_employment', 'non_correction', 'other'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'category must be impact, other_employment, non_correction or other',
			DETAIL = 'Without one, a scoring alert is evidence of impact and any other alert context.';
	END IF;
	RETURN hrguard.case_take_alert(c, $2, $3, duty, $4);
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_attach_alert(bigint, bigint, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_attach_alert(bigint, bigint, text, text) IS
	'attaches an alert of the case''s employee to the case (and escalates it); returns the step number; by default a scoring alert is evidence of impact, any other context';

CREATE FUNCTION hrguard.case_attach_evidence(case_id bigint, actor text, category text,
		description text, occurred_at timestamptz, collection_method text,
		document_sha256 text DEFAULT NULL, evidence_seq bigint DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['investigator', 'hr', 'er_legal'], 'attach evidence');
	c hrguard."case" := hrguard.case_read($1, true);
	link text;
	at timestamptz := hrguard.case_time($5, 'occurred_at');
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['open', 'verifying', 'interview', 'evidence_review',
		'notice_to_correct', 'decision'], 'take evidence');
	IF $3 IS NULL OR NOT ($3 OPERATOR(pg_catalog.=) ANY (ARRAY['other_employment', 'impact', 'non_correction', 'other'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'category must be other_employment, impact, non_correction or other';
	END IF;
	-- evidence the law excludes (SPC Interpretation of the Civil Procedure Law, Art. 106)
	IF $6 OPERATOR(pg_catalog.=) ANY (ARRAY['covert_private_device', 'private_account_access']) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('evidence collected by %s cannot be attached', $6),
			DETAIL = 'Evidence obtained by seriously infringing the employee''s rights is excluded at arbitration and in court.';
	END IF;
	IF $6 IS NULL OR NOT ($6 OPERATOR(pg_catalog.=) ANY (ARRAY['hrguard_record', 'business_record',
			'third_party_platform', 'public_registry', 'social_insurance_record', 'notarized',
			'employee_statement', 'witness_statement', 'other'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'collection_method is not valid',
			HINT = 'One of hrguard_record, business_record, third_party_platform, public_registry, social_insurance_record, notarized, employee_statement, witness_statement, other.';
	END IF;
	IF $8 IS NOT NULL THEN
		SELECT pg_catalog.encode(v.link, 'hex') INTO link FROM hrguard.evidence v
		 WHERE v.employee_id OPERATOR(pg_catalog.=) c.employee_id AND v.seq OPERATOR(pg_catalog.=) $8;
		IF link IS NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('the chain of employee "%s" has no entry %s', c.employee_id, $8);
		END IF;
	ELSIF $7 IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'evidence needs document_sha256 or evidence_seq',
			DETAIL = 'A document is attached by its SHA-256; an entry of the employee''s chain by its seq.';
	END IF;
	RETURN hrguard.case_step(c, 'evidence', $2, duty, at, pg_catalog.jsonb_build_object(
		'category', $3, 'description', hrguard.case_text($4, 'description'), 'collection_method', $6,
		'document_sha256', hrguard.case_sha256($7, 'document_sha256', false),
		'evidence_seq', $8, 'evidence_link', link));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_attach_evidence(bigint, text, text, text, timestamptz, text, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_attach_evidence(bigint, text, text, text, timestamptz, text, text, bigint) IS
	'attaches evidence (a document by its SHA-256, or an entry of the employee''s chain) with its category and how it was collected';

CREATE FUNCTION hrguard.case_interview(case_id bigint, actor text, held_at timestamptz,
		place text, participants text[], explanation text, signature text,
		record_sha256 text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['investigator', 'hr', 'er_legal'], 'record an interview');
	c hrguard."case" := hrguard.case_read($1, true);
	at timestamptz := hrguard.case_time($3, 'held_at', c.opened_at);
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['interview', 'evidence_review', 'notice_to_correct', 'decision'],
		'record an interview');
	IF $5 IS NULL OR pg_catalog.cardinality($5) OPERATOR(pg_catalog.=) 0
	   OR pg_catalog.array_ndims($5) OPERATOR(pg_catalog.<>) 1
	   OR EXISTS (SELECT FROM pg_catalog.unnest($5) p WHERE p IS NULL OR pg_catalog.btrim(p) OPERATOR(pg_catalog.=) '') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'null_value_not_allowed',
			MESSAGE = 'participants are required, a list with none blank';
	END IF;
	IF $7 IS NULL OR NOT ($7 OPERATOR(pg_catalog.=) ANY (ARRAY['signed', 'refused'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'signature must be signed or refused',
			DETAIL = 'Whether the employee signed the interview record, or refused to.';
	END IF;
	RETURN hrguard.case_step(c, 'interview', $2, duty, at, pg_catalog.jsonb_build_object(
		'place', hrguard.case_text($4, 'place'), 'participants', pg_catalog.to_jsonb(ARRAY(SELECT pg_catalog.unnest($5))),
		'explanation', hrguard.case_text($6, 'explanation'), 'signature', $7,
		'record_sha256', hrguard.case_sha256($8, 'record_sha256', false)));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_interview(bigint, text, timestamptz, text, text[], text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_interview(bigint, text, timestamptz, text, text[], text, text, text) IS
	'records an interview: when, where, who, the employee''s explanation, signed or refused';

CREATE FUNCTION hrguard.case_notice_to_correct(case_id bigint, actor text, issued_at timestamptz,
		facts text, required_correction text, document_sha256 text,
		correction_days integer DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['hr', 'er_legal'], 'issue a notice to correct');
	c hrguard."case" := hrguard.case_read($1, true);
	at timestamptz := hrguard.case_time($3, 'issued_at', c.opened_at);
	days integer;
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['notice_to_correct'], 'issue a notice to correct');
	days := COALESCE($7, (SELECT p.correction_days FROM hrguard.case_policy p
						   WHERE p.tenant_id OPERATOR(pg_catalog.=) c.tenant_id), 15);
	IF days OPERATOR(pg_catalog.<) 1 OR days OPERATOR(pg_catalog.>) 365 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'correction_days must be between 1 and 365';
	END IF;
	RETURN hrguard.case_step(c, 'notice_to_correct', $2, duty, at, pg_catalog.jsonb_build_object(
		'facts', hrguard.case_text($4, 'facts'),
		'required_correction', hrguard.case_text($5, 'required_correction'),
		'document_sha256', hrguard.case_sha256($6, 'document_sha256', true),
		'correction_days', days));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_notice_to_correct(bigint, text, timestamptz, text, text, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_notice_to_correct(bigint, text, timestamptz, text, text, text, integer) IS
	'issues the written notice to correct (LCL Art. 39(4), second branch): the facts, the correction required, the document, the days to correct';

CREATE FUNCTION hrguard.case_notice_delivered(case_id bigint, actor text, delivered_at timestamptz,
		method text, proof text)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['investigator', 'hr', 'er_legal'], 'record the delivery of a notice');
	c hrguard."case" := hrguard.case_read($1, true);
	at timestamptz := hrguard.case_time($3, 'delivered_at', c.opened_at);
	notice hrguard.case_event;
	tz text;
	deadline date;
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['notice_to_correct', 'decision'], 'record the delivery of a notice');
	SELECT * INTO notice FROM hrguard.case_event e
	 WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) 'notice_to_correct'
	 ORDER BY e.event_no DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s has no notice to correct to deliver', c.case_id);
	END IF;
	IF EXISTS (SELECT FROM hrguard.case_event e
				WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) 'notice_delivered'
				  AND e.event_no OPERATOR(pg_catalog.>) notice.event_no) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'unique_violation',
			MESSAGE = pg_catalog.format('the notice to correct of case %s is already delivered', c.case_id);
	END IF;
	IF at OPERATOR(pg_catalog.<) notice.occurred_at THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'a notice cannot be delivered before it was issued';
	END IF;
	IF $4 IS NULL OR NOT ($4 OPERATOR(pg_catalog.=) ANY (ARRAY['signature', 'ems', 'dingtalk_read',
			'wecom_read', 'email_read', 'witnessed_refusal'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'method must be signature, ems, dingtalk_read, wecom_read, email_read or witnessed_refusal';
	END IF;
	-- the deadline is a day of the employee's calendar: the last day to correct
	SELECT em.timezone INTO tz FROM hrguard.employee em WHERE em.employee_id OPERATOR(pg_catalog.=) c.employee_id;
	deadline := (pg_catalog.timezone(tz, at))::pg_catalog.date
		OPERATOR(pg_catalog.+) (notice.details OPERATOR(pg_catalog.->>) 'correction_days')::pg_catalog.int4;
	RETURN hrguard.case_step(c, 'notice_delivered', $2, duty, at, pg_catalog.jsonb_build_object(
		'notice_event', notice.event_no, 'method', $4, 'proof', hrguard.case_text($5, 'proof'),
		'deadline', deadline, 'timezone', tz));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_notice_delivered(bigint, text, timestamptz, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_notice_delivered(bigint, text, timestamptz, text, text) IS
	'records the proof of delivery of the notice to correct; the deadline runs from the day of delivery';

CREATE FUNCTION hrguard.case_union_notice(case_id bigint, actor text, notified_at timestamptz,
		union_name text, reasons text, document_sha256 text)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['hr', 'er_legal'], 'notify the union');
	c hrguard."case" := hrguard.case_read($1, true);
	at timestamptz := hrguard.case_time($3, 'notified_at', c.opened_at);
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['evidence_review', 'notice_to_correct', 'decision'], 'notify the union');
	RETURN hrguard.case_step(c, 'union_notice', $2, duty, at, pg_catalog.jsonb_build_object(
		'union_name', hrguard.case_text($4, 'union_name'), 'reasons', hrguard.case_text($5, 'reasons'),
		'document_sha256', hrguard.case_sha256($6, 'document_sha256', true)));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_union_notice(bigint, text, timestamptz, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_union_notice(bigint, text, timestamptz, text, text, text) IS
	'records the notice of the reasons for termination to the union (LCL Art. 43), before any termination';

CREATE FUNCTION hrguard.case_union_reply(case_id bigint, actor text, replied_at timestamptz,
		objects boolean, summary text)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['hr', 'er_legal'], 'record the union''s reply');
	c hrguard."case" := hrguard.case_read($1, true);
	at timestamptz := hrguard.case_time($3, 'replied_at', c.opened_at);
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['evidence_review', 'notice_to_correct', 'decision'], 'record the union''s reply');
	IF NOT EXISTS (SELECT FROM hrguard.case_event e
					WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) 'union_notice') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s has no notice to the union to reply to', c.case_id);
	END IF;
	IF $4 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'objects is required';
	END IF;
	IF at OPERATOR(pg_catalog.<) (SELECT pg_catalog.min(e.occurred_at) FROM hrguard.case_event e
								   WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id
									 AND e.kind OPERATOR(pg_catalog.=) 'union_notice') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'the union cannot reply before it was notified';
	END IF;
	RETURN hrguard.case_step(c, 'union_reply', $2, duty, at, pg_catalog.jsonb_build_object(
		'objects', $4, 'summary', hrguard.case_text($5, 'summary')));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_union_reply(bigint, text, timestamptz, boolean, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_union_reply(bigint, text, timestamptz, boolean, text) IS
	'records the union''s reply; an objection must be acknowledged (answered) before the case closes';

CREATE FUNCTION hrguard.case_rebuttal(case_id bigint, actor text, received_at timestamptz,
		summary text, document_sha256 text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['investigator', 'hr', 'er_legal'], 'record a rebuttal');
	c hrguard."case" := hrguard.case_read($1, true);
	at timestamptz := hrguard.case_time($3, 'received_at', c.opened_at);
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['open', 'verifying', 'interview', 'evidence_review',
		'notice_to_correct', 'decision'], 'take a rebuttal');
	RETURN hrguard.case_step(c, 'rebuttal', $2, duty, at, pg_catalog.jsonb_build_object(
		'summary', hrguard.case_text($4, 'summary'),
		'document_sha256', hrguard.case_sha256($5, 'document_sha256', false)));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_rebuttal(bigint, text, timestamptz, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_rebuttal(bigint, text, timestamptz, text, text) IS
	'records the employee''s explanation or correction (PIPL Art. 46); it must be acknowledged before the case closes';

CREATE FUNCTION hrguard.case_acknowledge(case_id bigint, event_no bigint, actor text, response text)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($3, ARRAY['investigator', 'hr', 'er_legal'], 'acknowledge a rebuttal');
	c hrguard."case" := hrguard.case_read($1, true);
	e hrguard.case_event;
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['open', 'verifying', 'interview', 'evidence_review',
		'notice_to_correct', 'decision'], 'acknowledge a step');
	SELECT * INTO e FROM hrguard.case_event ev
	 WHERE ev.case_id OPERATOR(pg_catalog.=) c.case_id AND ev.event_no OPERATOR(pg_catalog.=) $2;
	IF NOT FOUND OR NOT hrguard.case_awaits_acknowledgement(e.kind, e.details) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('step %s of case %s is not a rebuttal or an objection of the union', $2, c.case_id);
	END IF;
	IF hrguard.case_has_step(c.case_id, 'acknowledgement', 'event_no', $2) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'unique_violation',
			MESSAGE = pg_catalog.format('step %s of case %s is already acknowledged', $2, c.case_id);
	END IF;
	RETURN hrguard.case_step(c, 'acknowledgement', $3, duty, pg_catalog.now(), pg_catalog.jsonb_build_object(
		'event_no', $2, 'response', hrguard.case_text($4, 'response')));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_acknowledge(bigint, bigint, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_acknowledge(bigint, bigint, text, text) IS
	'acknowledges (with a response) an employee''s rebuttal or a union''s objection, so that the case may close';
