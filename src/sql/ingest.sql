-- ingest.sql -- DingTalk and WeCom attendance payloads as punches
-- (ingest_dingtalk.c, ingest_wecom.c), and the records that could not be
-- punches, kept with their reason.

CREATE TABLE hrguard.ingest_reject (
	reject_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	source			text COLLATE pg_catalog."C" NOT NULL,
	vendor_userid	text,
	source_record_id text COLLATE pg_catalog."C",
	reason			text NOT NULL,
	detail			text NOT NULL,
	raw_record		text NOT NULL,
	raw_sha256		bytea NOT NULL,
	rejected_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT ingest_reject_reason_valid
		CHECK (reason OPERATOR(pg_catalog.=) ANY
			   ('{unknown_user,missed_punch,invalid_record,punch_refused}'::pg_catalog.text[])),
	CONSTRAINT ingest_reject_once UNIQUE (source, raw_sha256, reason)
);
REVOKE ALL ON hrguard.ingest_reject FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.ingest_reject', '');
SELECT pg_catalog.pg_extension_config_dump('hrguard.ingest_reject_reject_id_seq', '');
COMMENT ON TABLE hrguard.ingest_reject IS
	'vendor records and rows of attached tables that did not become punches, with the reason and the record as received; one row per record text and reason';
COMMENT ON COLUMN hrguard.ingest_reject.reason IS
	'unknown_user (no employee has the vendor user id), missed_punch (the vendor''s note of a punch not made), invalid_record (a field hrguard cannot read; see detail), punch_refused (a row of an attached table the punch trigger refused; see detail)';
COMMENT ON COLUMN hrguard.ingest_reject.raw_record IS
	'the record exactly as it appeared in the payload';

CREATE FUNCTION hrguard.ingest_dingtalk(payload text,
	OUT received bigint, OUT inserted bigint, OUT duplicates bigint, OUT rejected bigint)
	RETURNS record
	LANGUAGE c
	VOLATILE STRICT PARALLEL UNSAFE
	AS 'MODULE_PATHNAME', 'hrguard_ingest_dingtalk';
REVOKE ALL ON FUNCTION hrguard.ingest_dingtalk(text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.ingest_dingtalk(text) IS
	'punches from a DingTalk attendance/listRecord response or attendance_check_record event; runs as its caller';

CREATE FUNCTION hrguard.ingest_wecom(payload text,
	OUT received bigint, OUT inserted bigint, OUT duplicates bigint, OUT rejected bigint)
	RETURNS record
	LANGUAGE c
	VOLATILE STRICT PARALLEL UNSAFE
	AS 'MODULE_PATHNAME', 'hrguard_ingest_wecom';
REVOKE ALL ON FUNCTION hrguard.ingest_wecom(text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.ingest_wecom(text) IS
	'punches from a WeCom checkin/getcheckindata response; runs as its caller';
