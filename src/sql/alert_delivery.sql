-- alert_delivery.sql -- the NOTIFY payload and the relay (alert.c).

CREATE FUNCTION hrguard.alert_payload(alert_id bigint)
	RETURNS text
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_alert_payload';
COMMENT ON FUNCTION hrguard.alert_payload(bigint) IS
	'the JSON payload of NOTIFY hrguard_alert for an alert: {"alert_id": n}, nothing that names a person';

CREATE TABLE hrguard.relay_state (
	singleton		boolean PRIMARY KEY DEFAULT true,
	last_xid		xid8 NOT NULL DEFAULT '0',
	last_alert_id	bigint NOT NULL DEFAULT 0,
	relayed_at		timestamptz,
	CONSTRAINT relay_state_single_row CHECK (singleton)
);
INSERT INTO hrguard.relay_state DEFAULT VALUES;
REVOKE ALL ON hrguard.relay_state FROM PUBLIC;
COMMENT ON TABLE hrguard.relay_state IS
	'how far hrguard.relay_alerts() has notified: (transaction, alert) of the last alert sent';

CREATE FUNCTION hrguard.relay_alerts(max_alerts integer DEFAULT 10000)
	RETURNS integer
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	horizon xid8;
	state hrguard.relay_state;
	a record;
	sent integer := 0;
BEGIN
	IF max_alerts IS NULL OR max_alerts OPERATOR(pg_catalog.<) 1 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'max_alerts must be at least 1';
	END IF;
	-- every transaction older than this has committed or aborted
	horizon := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
	SELECT * INTO state FROM hrguard.relay_state FOR UPDATE;

	FOR a IN
		SELECT al.alert_id, al.xid
		  FROM hrguard.alert al
		 WHERE NOT al.notified
		   AND (al.xid OPERATOR(pg_catalog.>) state.last_xid
				OR (al.xid OPERATOR(pg_catalog.=) state.last_xid
					AND al.alert_id OPERATOR(pg_catalog.>) state.last_alert_id))
		   AND al.xid OPERATOR(pg_catalog.<) horizon
		 ORDER BY al.xid, al.alert_id
		 LIMIT max_alerts
	LOOP
		PERFORM pg_catalog.pg_notify('hrguard_alert',
			hrguard.alert_payload(a.alert_id));
		sent := sent OPERATOR(pg_catalog.+) 1;
		state.last_xid := a.xid;
		state.last_alert_id := a.alert_id;
	END LOOP;

	UPDATE hrguard.relay_state
	   SET last_xid = state.last_xid,
		   last_alert_id = state.last_alert_id,
		   relayed_at = pg_catalog.now();
	RETURN sent;
END
$$;
REVOKE ALL ON FUNCTION hrguard.relay_alerts(integer) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.relay_alerts(integer) IS
	'notifies hrguard_alert for committed alerts not yet notified, in transaction order; call it from any scheduler';
