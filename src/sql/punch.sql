-- punch.sql -- attendance punches and the alerts they raise (punch.c,
-- alert.c, competitor.sql).
--
-- An application inserts punches; a C trigger validates each one,
-- normalises its position to WGS-84, classifies it against the zones and
-- working windows, and computes risk features from the employee's earlier
-- punches.  Rows that deserve an alert get one from an AFTER trigger, in the
-- same transaction, so a punch skipped by ON CONFLICT DO NOTHING raises
-- nothing.

CREATE TABLE hrguard.alert (
	alert_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	kind			text NOT NULL,
	severity		text NOT NULL,
	score			numeric,
	raised_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	occurred_at		timestamptz,
	reasons			jsonb NOT NULL DEFAULT '{}',
	punch_id		bigint,
	zone_id			bigint,
	status			text NOT NULL DEFAULT 'new',
	case_id			bigint,
	xid				xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
	notified		boolean NOT NULL DEFAULT false,

	CONSTRAINT alert_kind_valid
		CHECK (kind OPERATOR(pg_catalog.=) ANY (
			'{outside_zone,competitor_zone,off_hours,impossible_travel,'
			'spoof_suspected,competitor_pattern,hours_mismatch,customer_source,'
			'unlinked_sale,report_gap,contract_expiry,noncompete_expiry,'
			'noncompete_payment_late}'::pg_catalog.text[])),
	CONSTRAINT alert_severity_valid
		CHECK (severity OPERATOR(pg_catalog.=) ANY
			   ('{watch,alert,priority}'::pg_catalog.text[])),
	CONSTRAINT alert_status_valid
		CHECK (status OPERATOR(pg_catalog.=) ANY
			   ('{new,acknowledged,dismissed,escalated}'::pg_catalog.text[]))
);
CREATE INDEX alert_employee_idx ON hrguard.alert (employee_id, raised_at);
CREATE INDEX alert_relay_idx ON hrguard.alert (xid, alert_id) WHERE NOT notified;
REVOKE ALL ON hrguard.alert FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.alert', '');
-- and its identity, so that ids continue after a restore
SELECT pg_catalog.pg_extension_config_dump('hrguard.alert_alert_id_seq', '');
COMMENT ON TABLE hrguard.alert IS
	'alerts raised by hrguard; rows first, NOTIFY hrguard_alert only a delivery hint';
COMMENT ON COLUMN hrguard.alert.reasons IS
	'why the alert was raised: inputs, zone, distances, accuracy, window, thresholds';
COMMENT ON COLUMN hrguard.alert.occurred_at IS
	'when the fact behind the alert happened (the punch time)';
COMMENT ON COLUMN hrguard.alert.xid IS
	'inserting transaction; the relay notifies an alert in its first round whose snapshot sees this transaction committed';
COMMENT ON COLUMN hrguard.alert.notified IS
	'false: left to the relay (raised under notify_mode relay; hrguard.relay_state says how far the relay got); true: its transaction notified it at commit (commit) or it is never to be notified (off)';

CREATE TABLE hrguard.punch (
	punch_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	punched_at		timestamptz NOT NULL,
	lat				float8,
	lon				float8,
	accuracy_m		float8,
	raw_lat			float8,
	raw_lon			float8,
	raw_crs			text,
	check_type		text NOT NULL DEFAULT 'other',
	source			text COLLATE pg_catalog."C" NOT NULL DEFAULT 'api',
	source_record_id text COLLATE pg_catalog."C",
	device_id		text COLLATE pg_catalog."C",
	wifi_bssid		text,
	address			text,
	vendor_flags	jsonb,
	verdict			text,
	zone_id			bigint,
	watched_zone_id bigint,
	off_hours		boolean,
	risk			jsonb NOT NULL DEFAULT '{}',
	alert_kinds		text[],
	evidence_seq	bigint,
	recorded_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),

	CONSTRAINT punch_check_type_valid
		CHECK (check_type OPERATOR(pg_catalog.=) ANY
			   ('{on_duty,off_duty,visit,other}'::pg_catalog.text[])),
	CONSTRAINT punch_source_not_blank
		CHECK (pg_catalog.btrim(source) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT punch_verdict_valid
		CHECK (verdict OPERATOR(pg_catalog.=) ANY
			   ('{inside,outside,uncertain}'::pg_catalog.text[])),
	CONSTRAINT punch_raw_crs_valid
		CHECK (raw_crs OPERATOR(pg_catalog.=) ANY
			   ('{wgs84,gcj02,bd09}'::pg_catalog.text[]))
);
CREATE UNIQUE INDEX punch_source_record_idx ON hrguard.punch (source, source_record_id)
	WHERE source_record_id IS NOT NULL;
CREATE INDEX punch_employee_time_idx ON hrguard.punch (employee_id, punched_at);
-- the history probes read a time range of one position or device (so a
-- statement's own rows, invisible to them, are never walked over)
CREATE INDEX punch_employee_position_idx ON hrguard.punch (employee_id, raw_lat, raw_lon, punched_at);
CREATE INDEX punch_employee_device_idx ON hrguard.punch (employee_id, device_id, punched_at)
	WHERE device_id IS NOT NULL;
-- on-duty and off-duty punches by time, with what scoring reads of them:
-- hrguard.score_period() reads months of them from these indexes alone
-- (index-only scans), not from the wide rows of the table
CREATE INDEX punch_on_duty_time_idx ON hrguard.punch (punched_at)
	INCLUDE (employee_id, verdict)
	WHERE check_type OPERATOR(pg_catalog.=) 'on_duty';
CREATE INDEX punch_off_duty_time_idx ON hrguard.punch (punched_at)
	INCLUDE (employee_id)
	WHERE check_type OPERATOR(pg_catalog.=) 'off_duty';
-- visit punches by time: the visits scoring reads (hrguard.customer_visits)
CREATE INDEX punch_visit_time_idx ON hrguard.punch (punched_at)
	WHERE check_type OPERATOR(pg_catalog.=) 'visit';
REVOKE ALL ON hrguard.punch FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.punch', '');
-- and its identity, so that ids continue after a restore
SELECT pg_catalog.pg_extension_config_dump('hrguard.punch_punch_id_seq', '');

COMMENT ON TABLE hrguard.punch IS
	'attendance punches (clock-in, clock-out, visits), classified on insert';
COMMENT ON COLUMN hrguard.punch.lat IS
	'WGS-84 latitude; filled by the trigger from raw_lat/raw_lon/raw_crs when those are given';
COMMENT ON COLUMN hrguard.punch.accuracy_m IS
	'reported accuracy radius in metres; NULL: hrguard.default_accuracy_m';
COMMENT ON COLUMN hrguard.punch.raw_crs IS
	'datum of raw_lat/raw_lon: wgs84, gcj02 (DingTalk, WeCom, AMap) or bd09 (Baidu)';
COMMENT ON COLUMN hrguard.punch.source_record_id IS
	'the source system''s record id; (source, source_record_id) is unique, for idempotent ingestion';
COMMENT ON COLUMN hrguard.punch.vendor_flags IS
	'verdicts of the source app, e.g. {"mock": true} when it detected a mock location';
COMMENT ON COLUMN hrguard.punch.verdict IS
	'inside, outside or uncertain against the employee''s allowed zones; NULL without a location';
COMMENT ON COLUMN hrguard.punch.zone_id IS
	'allowed zone the punch is in, or the nearest one within 5 km';
COMMENT ON COLUMN hrguard.punch.watched_zone_id IS
	'competitor or restricted zone the punch is in (or may be in, when uncertain)';
COMMENT ON COLUMN hrguard.punch.off_hours IS
	'true when the punch is outside the employee''s working windows';
COMMENT ON COLUMN hrguard.punch.risk IS
	'risk features: impossible travel, repeated coordinates, new device, BSSID mismatch, vendor flags';
COMMENT ON COLUMN hrguard.punch.alert_kinds IS
	'kinds of the alerts this punch raised';
COMMENT ON COLUMN hrguard.punch.evidence_seq IS
	'sequence number of the punch in the employee''s evidence chain';

CREATE FUNCTION hrguard.punch_classify()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_punch_classify';
REVOKE ALL ON FUNCTION hrguard.punch_classify() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.punch_classify() IS
	'punch trigger: validates, normalises to WGS-84, classifies and scores a punch';

CREATE FUNCTION hrguard.punch_raise_alerts()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_punch_raise_alerts';
REVOKE ALL ON FUNCTION hrguard.punch_raise_alerts() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.punch_raise_alerts() IS
	'punch trigger: collects the alerts a punch deserves, with their reasons';

CREATE TRIGGER punch_classify
	BEFORE INSERT ON hrguard.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.punch_classify();
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_classify;
CREATE TRIGGER punch_raise_alerts
	AFTER INSERT ON hrguard.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.punch_raise_alerts();
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_raise_alerts;

-- Punches and alerts are facts (fact_guard.c): never deleted or truncated;
-- a punch never updated, an alert only in its status and case_id, each
-- change recorded as evidence.  ENABLE ALWAYS: also under
-- session_replication_role = replica.
CREATE FUNCTION hrguard.fact_guard()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_fact_guard';
REVOKE ALL ON FUNCTION hrguard.fact_guard() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.fact_guard() IS
	'punch and alert trigger: refuses DELETE, TRUNCATE and UPDATE, except an alert''s status and case_id, which it records as evidence';
CREATE TRIGGER punch_keep
	BEFORE UPDATE OR DELETE ON hrguard.punch
	FOR EACH ROW EXECUTE FUNCTION hrguard.fact_guard();
CREATE TRIGGER punch_keep_truncate
	BEFORE TRUNCATE ON hrguard.punch
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.fact_guard();
CREATE TRIGGER alert_keep
	BEFORE UPDATE OR DELETE ON hrguard.alert
	FOR EACH ROW EXECUTE FUNCTION hrguard.fact_guard();
CREATE TRIGGER alert_keep_truncate
	BEFORE TRUNCATE ON hrguard.alert
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.fact_guard();
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_keep;
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_keep_truncate;
ALTER TABLE hrguard.alert ENABLE ALWAYS TRIGGER alert_keep;
ALTER TABLE hrguard.alert ENABLE ALWAYS TRIGGER alert_keep_truncate;
CREATE TRIGGER alert_keep_insert BEFORE INSERT ON hrguard.alert
	FOR EACH ROW EXECUTE FUNCTION hrguard.fact_guard();
ALTER TABLE hrguard.alert ENABLE ALWAYS TRIGGER alert_keep_insert;

CREATE FUNCTION hrguard.employee_keep_facts()
	RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF TG_RELID OPERATOR(pg_catalog.<>) 'hrguard.employee'::pg_catalog.regclass
	   OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE'
	   OR NOT (TG_LEVEL OPERATOR(pg_catalog.=) 'ROW' AND TG_OP OPERATOR(pg_catalog.=) ANY (ARRAY['UPDATE', 'DELETE'])
			   OR TG_LEVEL OPERATOR(pg_catalog.=) 'STATEMENT' AND TG_OP OPERATOR(pg_catalog.=) 'TRUNCATE') THEN
		RAISE EXCEPTION USING
			ERRCODE = 'trigger_protocol_violated',
			MESSAGE = pg_catalog.format('%s fired where hrguard did not attach it', TG_NAME);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'TRUNCATE' THEN
		IF EXISTS (SELECT FROM hrguard.punch) THEN
			RAISE EXCEPTION USING
				ERRCODE = 'foreign_key_violation',
				MESSAGE = 'hrguard.employee cannot be truncated while punches are recorded',
				HINT = 'Delete the employees without punches instead; set left_on for those who left.';
		END IF;
		RETURN NULL;
	END IF;
	IF (TG_OP OPERATOR(pg_catalog.=) 'DELETE'
		OR NEW.employee_id OPERATOR(pg_catalog.<>) OLD.employee_id)
	   AND EXISTS (SELECT FROM hrguard.punch p
				   WHERE p.employee_id OPERATOR(pg_catalog.=) OLD.employee_id) THEN
		RAISE EXCEPTION USING
			ERRCODE = 'foreign_key_violation',
			MESSAGE = pg_catalog.format('employee %s has punches and cannot be removed or renamed',
										OLD.employee_id),
			HINT = 'Set left_on instead of deleting an employee who left.';
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION hrguard.employee_keep_facts() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.employee_keep_facts() IS
	'employee trigger: an employee with recorded punches cannot be deleted or renamed, and the table cannot be truncated while punches exist';

CREATE TRIGGER employee_keep_facts
	BEFORE UPDATE OF employee_id OR DELETE ON hrguard.employee
	FOR EACH ROW EXECUTE FUNCTION hrguard.employee_keep_facts();
ALTER TABLE hrguard.employee ENABLE ALWAYS TRIGGER employee_keep_facts;
CREATE TRIGGER employee_keep_facts_truncate
	BEFORE TRUNCATE ON hrguard.employee
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.employee_keep_facts();
ALTER TABLE hrguard.employee ENABLE ALWAYS TRIGGER employee_keep_facts_truncate;

CREATE FUNCTION hrguard.punch_flush_alerts()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_punch_flush_alerts';
REVOKE ALL ON FUNCTION hrguard.punch_flush_alerts() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.punch_flush_alerts() IS
	'punch statement trigger: writes the statement''s alerts and evidence entries';

CREATE TRIGGER punch_flush_alerts
	AFTER INSERT ON hrguard.punch
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.punch_flush_alerts();
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_flush_alerts;

CREATE FUNCTION hrguard.punch_begin_statement()
	RETURNS trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'hrguard_punch_begin_statement';
REVOKE ALL ON FUNCTION hrguard.punch_begin_statement() FROM PUBLIC;
COMMENT ON FUNCTION hrguard.punch_begin_statement() IS
	'punch statement trigger: marks where a punch statement begins, so that what its rows open is closed at its end';

CREATE TRIGGER punch_begin_statement
	BEFORE INSERT ON hrguard.punch
	FOR EACH STATEMENT EXECUTE FUNCTION hrguard.punch_begin_statement();
ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_begin_statement;
