-- case_export.sql -- hrguard.export_case(case_id, actor): the package an
-- arbitrator verifies offline for a case: the employee's evidence package
-- (export_evidence) and the package of the case's custody chain, both
-- proven against one checkpoint, with the case and its steps as stated.
-- hrguard-verify checks both, and that the steps stated are the entries of
-- the custody chain and that each piece of evidence attached is the entry
-- of the employee's chain the package holds (docs/package-format.md).
-- The package also states what the case report needs and no chain holds
-- (names, time zone, explanations, zones), for hrguard-verify --html.

CREATE FUNCTION hrguard.export_custody(case_id bigint, checkpoint text, export_step bigint)
	RETURNS json
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_export_custody';
REVOKE ALL ON FUNCTION hrguard.export_custody(bigint, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.export_custody(bigint, text, bigint) IS
	'internal: the package of a case''s custody chain under a checkpoint, for export_case';

-- a time as the packages write times: UTC, microseconds, whatever the session's settings
CREATE FUNCTION hrguard.case_utc(at timestamptz)
	RETURNS text
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT pg_catalog.to_char(pg_catalog.timezone('UTC', $1), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
REVOKE ALL ON FUNCTION hrguard.case_utc(timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_utc(timestamptz) IS
	'internal: a time in UTC as the packages write it';

CREATE FUNCTION hrguard.export_case(case_id bigint, actor text,
		from_time timestamptz DEFAULT NULL, to_time timestamptz DEFAULT 'infinity')
	RETURNS json
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	duty text := hrguard.case_actor_duty($2, ARRAY['investigator', 'hr', 'er_legal'], 'export a case');
	c hrguard."case" := hrguard.case_read($1, true);
	since timestamptz;
	step bigint;
	body text;
	steps json;
BEGIN
	-- by default from the earliest evidence attached, the opening, or the
	-- employee's last entry before it (so that the range is never empty)
	SELECT LEAST(c.opened_at, pg_catalog.min(e.occurred_at),
				 (SELECT pg_catalog.max(v.occurred_at) FROM hrguard.evidence v
				   WHERE v.employee_id OPERATOR(pg_catalog.=) c.employee_id
					 AND v.occurred_at OPERATOR(pg_catalog.<) c.opened_at))
	  INTO since
	  FROM hrguard.case_event e
	 WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['evidence', 'alert']);
	since := COALESCE($3, since);
	IF NOT pg_catalog.isfinite(since) OR $4 IS NULL OR since OPERATOR(pg_catalog.>=) $4 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'from_time must be a finite time before to_time';
	END IF;

	-- the export is a step of the case, under the checkpoint taken next
	step := hrguard.case_step(c, 'export', $2, duty, pg_catalog.now(), pg_catalog.jsonb_build_object(
		'range_from', hrguard.case_utc(since),
		'range_to', CASE WHEN pg_catalog.isfinite($4) THEN hrguard.case_utc($4) ELSE 'infinity' END,
		'exported_by', hrguard.case_caller()::pg_catalog.text));
	body := hrguard.checkpoint();

	SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
				'step', e.event_no, 'kind', e.kind, 'actor', e.actor, 'duty', e.duty,
				'db_role', e.db_role, 'occurred_at', hrguard.case_utc(e.occurred_at), 'details', e.details)
			ORDER BY e.event_no)
	  INTO steps
	  FROM hrguard.case_event e WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id;

	RETURN pg_catalog.json_build_object(
		'format', 'hrguard-case-package/1',
		'case', pg_catalog.json_build_object(
			'case_id', c.case_id, 'employee_id', c.employee_id, 'tenant_id', c.tenant_id,
			'state', c.state, 'ground', c.ground, 'reason', c.reason,
			-- when the custody chain says it opened
			'opened_at', (SELECT hrguard.case_utc(o.occurred_at) FROM hrguard.case_event o
						   WHERE o.case_id OPERATOR(pg_catalog.=) c.case_id AND o.event_no OPERATOR(pg_catalog.=) 1),
			'closed_at', hrguard.case_utc(c.closed_at)),
		'steps', steps,
		-- stated for the page hrguard-verify --html draws; covered by no hash
		'report', hrguard.case_report_context(c, since, $4),
		'checkpoint', body,
		'custody', hrguard.export_custody(c.case_id, body, step),
		'evidence', hrguard.export_evidence(c.employee_id, since, $4, body));
END
$$;
REVOKE ALL ON FUNCTION hrguard.export_case(bigint, text, timestamptz, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.export_case(bigint, text, timestamptz, timestamptz) IS
	'the package of a case for hrguard-verify: the case and its steps, the package of its custody chain and the employee''s evidence package, under one new checkpoint; records the export as a step';
