-- case_gates.sql -- the states of a case, the moves between them and the
-- gates the law puts before a decision and a termination.
--
--   open -> verifying -> interview -> evidence_review [-> notice_to_correct]
--        -> decision -> terminated | warned;  cleared from any open state.
--
-- What each ground of LCL Art. 39(4) needs is computed in one place,
-- hrguard.case_requirements, which both case_readiness() shows and the
-- move to "terminated" enforces.  Steps are recorded in case_steps.sql.

-- the employer's choices for a tenant, defaults where it has no row
CREATE FUNCTION hrguard.case_policy_of(tenant_id text)
	RETURNS hrguard.case_policy
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT COALESCE((SELECT p FROM hrguard.case_policy p WHERE p.tenant_id OPERATOR(pg_catalog.=) $1),
				ROW($1, true, 15, 730, '{180,90,30}', 0)::hrguard.case_policy)
$$;
REVOKE ALL ON FUNCTION hrguard.case_policy_of(text) FROM PUBLIC;
-- it reads case_policy as its caller; views their readers query as themselves use it
GRANT EXECUTE ON FUNCTION hrguard.case_policy_of(text) TO PUBLIC;
COMMENT ON FUNCTION hrguard.case_policy_of(text) IS
	'a tenant''s case policy, or the defaults (read as the caller)';

-- the end of the correction deadline of the latest notice to correct (the
-- start of the day after it, in the employee's time zone); NULL while that
-- notice is not delivered
CREATE FUNCTION hrguard.case_deadline_end(case_id bigint)
	RETURNS timestamptz
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT pg_catalog.timezone(d.details OPERATOR(pg_catalog.->>) 'timezone',
		((d.details OPERATOR(pg_catalog.->>) 'deadline')::pg_catalog.date OPERATOR(pg_catalog.+) 1)::pg_catalog.timestamp)
  FROM (SELECT pg_catalog.max(n.event_no) AS notice FROM hrguard.case_event n
		 WHERE n.case_id OPERATOR(pg_catalog.=) $1 AND n.kind OPERATOR(pg_catalog.=) 'notice_to_correct') latest
  JOIN hrguard.case_event d
	ON d.case_id OPERATOR(pg_catalog.=) $1 AND d.kind OPERATOR(pg_catalog.=) 'notice_delivered'
   AND (d.details OPERATOR(pg_catalog.->>) 'notice_event')::pg_catalog.int8 OPERATOR(pg_catalog.=) latest.notice
$$;
REVOKE ALL ON FUNCTION hrguard.case_deadline_end(bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_deadline_end(bigint) IS
	'internal: when the time to correct after the latest notice, delivered, ends';

-- every requirement of each ground, present or not, with what was found
CREATE FUNCTION hrguard.case_requirements(case_id bigint,
		OUT ground text, OUT requirement text, OUT present boolean, OUT detail text)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c hrguard."case";
	pol hrguard.case_policy;
	interviews bigint;
	other_employment bigint;
	impact bigint;
	deadline_end timestamptz;
	after_deadline bigint;
	union_at timestamptz;
	open_responses text;
	approvers bigint;
	legal_approvers bigint;
	g text;
BEGIN
	c := hrguard.case_read($1);
	pol := hrguard.case_policy_of(c.tenant_id);
	SELECT pg_catalog.count(*) FILTER (WHERE e.kind OPERATOR(pg_catalog.=) 'interview'),
		   pg_catalog.count(*) FILTER (WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['evidence', 'alert'])
									   AND e.details OPERATOR(pg_catalog.->>) 'category' OPERATOR(pg_catalog.=) 'other_employment'),
		   pg_catalog.count(*) FILTER (WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['evidence', 'alert'])
									   AND e.details OPERATOR(pg_catalog.->>) 'category' OPERATOR(pg_catalog.=) 'impact'),
		   pg_catalog.max(e.occurred_at) FILTER (WHERE e.kind OPERATOR(pg_catalog.=) 'union_notice')
	  INTO interviews, other_employment, impact, union_at
	  FROM hrguard.case_event e WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id;
	deadline_end := hrguard.case_deadline_end(c.case_id);
	SELECT pg_catalog.count(*) INTO after_deadline FROM hrguard.case_event e
	 WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['evidence', 'alert'])
	   AND e.details OPERATOR(pg_catalog.->>) 'category' OPERATOR(pg_catalog.=) 'non_correction'
	   AND e.occurred_at OPERATOR(pg_catalog.>=) deadline_end;
	open_responses := hrguard.case_unacknowledged(c.case_id);

	FOREACH g IN ARRAY ARRAY['39_4a', '39_4b']
	LOOP
		ground := g;
		-- an approver who has since left the role, or the duty, no longer counts
		SELECT pg_catalog.count(DISTINCT e.actor),
			   pg_catalog.count(DISTINCT e.actor) FILTER (WHERE e.duty OPERATOR(pg_catalog.=) 'er_legal')
		  INTO approvers, legal_approvers
		  FROM hrguard.case_event e
		  JOIN hrguard.case_actor a ON a.actor OPERATOR(pg_catalog.=) e.actor AND a.active
								   AND a.duty OPERATOR(pg_catalog.=) e.duty
		 WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) 'approval'
		   AND e.details OPERATOR(pg_catalog.->>) 'outcome' OPERATOR(pg_catalog.=) 'terminated'
		   AND e.details OPERATOR(pg_catalog.->>) 'ground' OPERATOR(pg_catalog.=) g;

		requirement := 'interview';
		present := interviews OPERATOR(pg_catalog.>) 0 OR NOT pol.require_interview;
		detail := CASE WHEN interviews OPERATOR(pg_catalog.>) 0 THEN pg_catalog.format('%s interview record(s)', interviews)
					   WHEN NOT pol.require_interview THEN 'none; the tenant''s policy does not require one'
					   ELSE 'no interview record' END;
		RETURN NEXT;

		requirement := 'other_employment_evidence';
		present := other_employment OPERATOR(pg_catalog.>) 0;
		detail := pg_catalog.format('%s item(s) of evidence of the other employment', other_employment);
		RETURN NEXT;

		IF g OPERATOR(pg_catalog.=) '39_4a' THEN
			requirement := 'impact_evidence';
			present := impact OPERATOR(pg_catalog.>) 0;
			detail := pg_catalog.format('%s item(s) of evidence of the impact on this job', impact);
			RETURN NEXT;
		ELSE
			requirement := 'notice_to_correct_delivered';
			present := deadline_end IS NOT NULL;
			detail := CASE WHEN deadline_end IS NULL THEN 'no delivered notice to correct'
						   ELSE 'delivered; the time to correct ends ' OPERATOR(pg_catalog.||)
								pg_catalog.to_char(pg_catalog.timezone('UTC', deadline_end), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END;
			RETURN NEXT;

			requirement := 'correction_deadline_passed';
			present := deadline_end IS NOT NULL AND pg_catalog.now() OPERATOR(pg_catalog.>=) deadline_end;
			detail := CASE WHEN deadline_end IS NULL THEN 'no deadline yet'
						   WHEN present THEN 'the time to correct has ended'
						   ELSE 'the time to correct has not ended' END;
			RETURN NEXT;

			requirement := 'evidence_after_deadline';
			present := after_deadline OPERATOR(pg_catalog.>) 0;
			detail := pg_catalog.format('%s item(s) of evidence of no correction dated after the deadline',
										COALESCE(after_deadline, 0));
			RETURN NEXT;
		END IF;

		requirement := 'union_notified';
		present := union_at IS NOT NULL AND union_at OPERATOR(pg_catalog.<) pg_catalog.now();
		detail := CASE WHEN union_at IS NULL THEN 'the union has not been notified'
					   ELSE 'the union was notified' END;
		RETURN NEXT;

		requirement := 'responses_acknowledged';
		present := open_responses IS NULL;
		detail := COALESCE('not acknowledged: step ' OPERATOR(pg_catalog.||) open_responses,
						   'every rebuttal and objection acknowledged');
		RETURN NEXT;

		requirement := 'termination_approvals';
		present := approvers OPERATOR(pg_catalog.>=) 2 AND legal_approvers OPERATOR(pg_catalog.>=) 1;
		detail := pg_catalog.format('%s approver(s) of termination on this ground, %s of them legal / employee relations',
									approvers, legal_approvers);
		RETURN NEXT;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_requirements(bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_requirements(bigint) IS
	'internal: what each ground needs before a termination, and whether the case has it';

-- the rebuttals and union objections not yet acknowledged, as "3, 7" (the
-- first ten, then how many more); NULL if none
CREATE FUNCTION hrguard.case_unacknowledged(case_id bigint)
	RETURNS text
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT pg_catalog.string_agg(o.event_no::pg_catalog.text, ', ' ORDER BY o.event_no) FILTER (WHERE o.n OPERATOR(pg_catalog.<=) 10)
	   OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.count(*) OPERATOR(pg_catalog.>) 10
									THEN pg_catalog.format(' and %s more', pg_catalog.count(*) OPERATOR(pg_catalog.-) 10) ELSE '' END
  FROM (SELECT e.event_no, pg_catalog.row_number() OVER (ORDER BY e.event_no) AS n
		  FROM hrguard.case_event e
		 WHERE e.case_id OPERATOR(pg_catalog.=) $1
		   AND hrguard.case_awaits_acknowledgement(e.kind, e.details)
		   AND NOT hrguard.case_has_step(e.case_id, 'acknowledgement', 'event_no', e.event_no)) o
$$;
REVOKE ALL ON FUNCTION hrguard.case_unacknowledged(bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_unacknowledged(bigint) IS
	'internal: the steps of a case that still await an acknowledgement';

CREATE FUNCTION hrguard.case_readiness(case_id bigint,
		OUT ground text, OUT requirement text, OUT present boolean, OUT detail text)
	RETURNS SETOF record
	LANGUAGE sql STABLE
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT r.ground, r.requirement, r.present, r.detail FROM hrguard.case_requirements($1) r
$$;
REVOKE ALL ON FUNCTION hrguard.case_readiness(bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_readiness(bigint) IS
	'per ground of LCL Art. 39(4) (39_4a serious impact, 39_4b refused to correct): each requirement of a termination, present or missing';

CREATE FUNCTION hrguard.case_set_ground(case_id bigint, ground text, actor text, note text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($3, ARRAY['hr', 'er_legal'], 'set the ground of a case');
	c hrguard."case" := hrguard.case_read($1, true);
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['evidence_review', 'notice_to_correct', 'decision'], 'set its ground');
	IF $2 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'to_state is required';
	END IF;
	IF NOT ($2 OPERATOR(pg_catalog.=) ANY (ARRAY['39_4a', '39_4b'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'ground must be 39_4a or 39_4b',
			DETAIL = 'LCL Art. 39(4): 39_4a, the other employment seriously affects this job; 39_4b, the employee refused to correct it after being told to.';
	END IF;
	UPDATE hrguard."case" k SET ground = $2 WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id;
	RETURN hrguard.case_step(c, 'ground', $3, duty, pg_catalog.now(),
		pg_catalog.jsonb_build_object('ground', $2, 'previous', c.ground, 'note', hrguard.case_note($4)));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_set_ground(bigint, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_set_ground(bigint, text, text, text) IS
	'sets the statutory ground the case is decided on: 39_4a or 39_4b';

CREATE FUNCTION hrguard.case_approve(case_id bigint, actor text, outcome text, note text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['hr', 'er_legal'], 'approve a decision');
	c hrguard."case" := hrguard.case_read($1, true);
BEGIN
	PERFORM hrguard.case_in_state(c, ARRAY['decision'], 'approve a decision');
	IF $3 IS NULL OR NOT ($3 OPERATOR(pg_catalog.=) ANY (ARRAY['terminated', 'warned'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'outcome must be terminated or warned';
	END IF;
	IF $3 OPERATOR(pg_catalog.=) 'terminated' AND c.ground IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s has no ground to approve a termination on', c.case_id),
			HINT = 'Set it with hrguard.case_set_ground().';
	END IF;
	IF EXISTS (SELECT FROM hrguard.case_event e
				WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) 'approval'
				  AND e.actor OPERATOR(pg_catalog.=) $2
				  AND e.details OPERATOR(pg_catalog.->>) 'outcome' OPERATOR(pg_catalog.=) $3
				  AND e.details OPERATOR(pg_catalog.->>) 'ground' IS NOT DISTINCT FROM c.ground) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'unique_violation',
			MESSAGE = pg_catalog.format('actor "%s" has already approved this outcome of case %s', $2, c.case_id),
			DETAIL = 'A termination needs two different approvers.';
	END IF;
	RETURN hrguard.case_step(c, 'approval', $2, duty, pg_catalog.now(),
		pg_catalog.jsonb_build_object('outcome', $3, 'ground', c.ground, 'note', hrguard.case_note($4)));
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_approve(bigint, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_approve(bigint, text, text, text) IS
	'a person approves the outcome of a case in decision: a termination needs two different approvers, one of them legal / employee relations';

-- refuses a move the state machine does not have, naming the missing steps
CREATE FUNCTION hrguard.case_check_move(c hrguard."case", to_state text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	path text[] := ARRAY['open', 'verifying', 'interview', 'evidence_review', 'notice_to_correct', 'decision'];
	from_i integer := pg_catalog.array_position(path, c.state);
	to_i integer := pg_catalog.array_position(path, CASE WHEN $2 OPERATOR(pg_catalog.=) ANY (ARRAY['terminated', 'warned'])
														  THEN 'decision' ELSE $2 END);
	missing text[];
BEGIN
	IF $2 IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'to_state is required';
	END IF;
	IF NOT ($2 OPERATOR(pg_catalog.=) ANY (path OPERATOR(pg_catalog.||) ARRAY['terminated', 'warned', 'cleared'])) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = pg_catalog.format('"%s" is not a state of a case', pg_catalog.left($2, 40)),
			HINT = 'The states: open, verifying, interview, evidence_review, notice_to_correct, decision, terminated, warned, cleared.';
	END IF;
	IF c.closed_at IS NOT NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s is closed (%s)', c.case_id, c.state),
			HINT = 'Open a new case.';
	END IF;
	IF $2 OPERATOR(pg_catalog.=) 'cleared' THEN
		RETURN;
	END IF;
	IF $2 OPERATOR(pg_catalog.=) c.state THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s is already in state %s', c.case_id, c.state);
	END IF;
	IF to_i OPERATOR(pg_catalog.<) from_i THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s cannot go back from %s to %s', c.case_id, c.state, $2),
			HINT = 'Record the step in the current state.';
	END IF;
	-- the steps between, the notice to correct being optional
	missing := ARRAY(SELECT s FROM pg_catalog.unnest(path) WITH ORDINALITY AS p(s, i)
					  WHERE i OPERATOR(pg_catalog.>) from_i
						AND i OPERATOR(pg_catalog.<) (to_i OPERATOR(pg_catalog.+)
							CASE WHEN $2 OPERATOR(pg_catalog.=) ANY (ARRAY['terminated', 'warned']) THEN 1 ELSE 0 END)
						AND s OPERATOR(pg_catalog.<>) 'notice_to_correct'
					  ORDER BY i);
	IF pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 0 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s cannot move from %s to %s: it must first pass %s',
				c.case_id, c.state, $2, pg_catalog.array_to_string(missing, ', then ')),
			HINT = 'Move the case through each step in order.';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_check_move(hrguard."case", text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_check_move(hrguard."case", text) IS
	'internal: refuses a move the case''s states do not allow, naming the missing steps';

-- refuses a move whose gate is not met
CREATE FUNCTION hrguard.case_check_gates(c hrguard."case", to_state text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	missing text;
	open_responses text;
BEGIN
	IF $2 OPERATOR(pg_catalog.=) 'decision' THEN
		SELECT pg_catalog.string_agg(r.detail, '; ') INTO missing FROM hrguard.case_requirements(c.case_id) r
		 WHERE r.ground OPERATOR(pg_catalog.=) '39_4a' AND r.requirement OPERATOR(pg_catalog.=) 'interview' AND NOT r.present;
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('case %s cannot move to decision without an interview record', c.case_id),
				DETAIL = 'The employee''s explanation must be heard first (hrguard.case_interview).';
		END IF;
	END IF;
	IF $2 OPERATOR(pg_catalog.=) ANY (ARRAY['terminated', 'warned', 'cleared']) THEN
		open_responses := hrguard.case_unacknowledged(c.case_id);
		IF open_responses IS NOT NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('case %s cannot close while these steps await acknowledgement: %s', c.case_id, open_responses),
				DETAIL = 'Every rebuttal of the employee and every objection of the union must be acknowledged (hrguard.case_acknowledge).';
		END IF;
	END IF;
	IF $2 OPERATOR(pg_catalog.=) 'warned' AND NOT EXISTS (
			SELECT FROM hrguard.case_event e
			 WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) 'approval'
			   AND e.details OPERATOR(pg_catalog.->>) 'outcome' OPERATOR(pg_catalog.=) 'warned') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s cannot end in a warning nobody approved', c.case_id),
			HINT = 'A person approves it with hrguard.case_approve().';
	END IF;
	IF $2 OPERATOR(pg_catalog.=) 'terminated' THEN
		IF c.ground IS NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('case %s cannot be terminated without a ground', c.case_id),
				HINT = 'Set it with hrguard.case_set_ground(): 39_4a or 39_4b.';
		END IF;
		SELECT pg_catalog.string_agg(r.requirement, ', ' ORDER BY r.requirement), pg_catalog.string_agg(r.detail, '; ' ORDER BY r.requirement)
		  INTO missing, open_responses
		  FROM hrguard.case_requirements(c.case_id) r
		 WHERE r.ground OPERATOR(pg_catalog.=) c.ground AND NOT r.present;
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'object_not_in_prerequisite_state',
				MESSAGE = pg_catalog.format('case %s cannot be terminated on ground %s: missing %s', c.case_id, c.ground, missing),
				DETAIL = open_responses || '.',
				HINT = 'hrguard.case_readiness() lists what each ground needs.';
		END IF;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_check_gates(hrguard."case", text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_check_gates(hrguard."case", text) IS
	'internal: refuses a move whose legal gate is not met';

CREATE FUNCTION hrguard.case_transition(case_id bigint, to_state text, actor text, note text DEFAULT NULL)
	RETURNS text
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c hrguard."case" := hrguard.case_read($1, true);
	duty text;
	pol hrguard.case_policy;
	closing boolean;
BEGIN
	PERFORM hrguard.case_check_move(c, $2);
	duty := hrguard.case_actor_duty($3,
		CASE WHEN $2 OPERATOR(pg_catalog.=) 'verifying' THEN ARRAY['investigator', 'hr', 'er_legal', 'automated']
			 WHEN $2 OPERATOR(pg_catalog.=) ANY (ARRAY['decision', 'terminated', 'warned']) THEN ARRAY['hr', 'er_legal']
			 ELSE ARRAY['investigator', 'hr', 'er_legal'] END,
		'move a case to ' OPERATOR(pg_catalog.||) $2);
	PERFORM hrguard.case_check_gates(c, $2);
	closing := $2 OPERATOR(pg_catalog.=) ANY (ARRAY['terminated', 'warned', 'cleared']);
	pol := hrguard.case_policy_of(c.tenant_id);
	UPDATE hrguard."case" k
	   SET state = $2,
		   closed_at = CASE WHEN closing THEN pg_catalog.now() END,
		   hold_until = CASE WHEN closing THEN pg_catalog.now() OPERATOR(pg_catalog.+)
								pg_catalog.make_interval(days => pol.hold_days) END
	 WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id;
	PERFORM hrguard.case_step(c, 'transition', $3, duty, pg_catalog.now(), pg_catalog.jsonb_build_object(
		'from', c.state, 'to', $2, 'ground', c.ground, 'note', hrguard.case_note($4)));
	RETURN $2;
END
$$;
REVOKE ALL ON FUNCTION hrguard.case_transition(bigint, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_transition(bigint, text, text, text) IS
	'moves a case to another state; a forbidden move or an unmet gate is an error naming what is missing';

-- until when an employee's evidence is held by their cases: infinity while
-- one is open, else the latest hold of a closed one if still running, else NULL
CREATE FUNCTION hrguard.legal_hold_until(employee_id text)
	RETURNS timestamptz
	LANGUAGE sql STABLE
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT CASE WHEN pg_catalog.bool_or(k.closed_at IS NULL) THEN 'infinity'::pg_catalog.timestamptz
			WHEN pg_catalog.max(k.hold_until) OPERATOR(pg_catalog.>) pg_catalog.now() THEN pg_catalog.max(k.hold_until) END
  FROM hrguard."case" k WHERE k.employee_id OPERATOR(pg_catalog.=) $1
$$;
REVOKE ALL ON FUNCTION hrguard.legal_hold_until(text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.legal_hold_until(text) IS
	'until when the employee''s evidence is under legal hold: infinity while a case is open, the hold after closing, or NULL';
