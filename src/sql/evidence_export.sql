-- evidence_export.sql -- the evidence package an arbitrator can verify
-- offline (evidence_export.c; the format is in docs/evidence.md).

CREATE FUNCTION hrguard.export_evidence(employee_id text,
		from_time timestamptz DEFAULT '-infinity',
		to_time timestamptz DEFAULT 'infinity',
		checkpoint text DEFAULT NULL,
		since text DEFAULT NULL)
	RETURNS json
	LANGUAGE c
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'hrguard_export_evidence';
REVOKE ALL ON FUNCTION hrguard.export_evidence(text, timestamptz, timestamptz, text, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.export_evidence(text, timestamptz, timestamptz, text, text) IS
	'package of an employee''s evidence that occurred in [from_time, to_time), proven against the checkpoint given or a new one, and consistent with the earlier checkpoint "since" if given; records the export in the chain';
