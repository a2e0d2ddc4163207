-- alert_delivery.sql -- the NOTIFY payload and the relay (alert.c).

CREATE FUNCTION hrguard.alert_payload(alert_id bigint)
	RETURNS text
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_alert_payload';
COMMENT ON FUNCTION hrguard.alert_payload(bigint) IS
	'the JSON payload of NOTIFY hrguard_alert for an alert: {"alert_id": n}, nothing that names a person';

CREATE TABLE hrguard.relay_state (
	singleton		boolean PRIMARY KEY DEFAULT true,
	sent_through	pg_snapshot,
	round			pg_snapshot,
	round_alert_id	bigint NOT NULL DEFAULT 0,
	relayed_at		timestamptz,
	system_identifier bigint,
	era_first_alert_id bigint NOT NULL DEFAULT 0,
	seen_alert_id	bigint NOT NULL DEFAULT 0,
	CONSTRAINT relay_state_single_row CHECK (singleton)
);
-- the row is made by the first relay_alerts(), so that a restore brings
-- back the dumped one
SELECT pg_catalog.pg_extension_config_dump('hrguard.relay_state', '');
REVOKE ALL ON hrguard.relay_state FROM PUBLIC;
COMMENT ON TABLE hrguard.relay_state IS
	'how far hrguard.relay_alerts() has notified, among alerts from era_first_alert_id on, in the cluster system_identifier names: every alert whose transaction sent_through sees committed, and, of a round cut short by max_alerts, the alerts up to round_alert_id that round sees committed; seen_alert_id is the highest alert id the last relay saw';

/*
 * The relay.  Each round takes a snapshot after it has locked the position
 * and notifies, in alert id order, the alerts that snapshot sees committed
 * and the position's snapshot did not: an alert waits for nothing but its
 * own transaction's commit (not for older transactions, of this database or
 * another, nor for prepared ones), and is notified by exactly one round.
 * The position moves in the same transaction as the notifications, which
 * PostgreSQL delivers at its commit.
 */
CREATE FUNCTION hrguard.relay_alerts(max_alerts integer DEFAULT 10000)
	RETURNS integer
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	cluster bigint;
	state hrguard.relay_state;
	target pg_catalog.pg_snapshot;
	after_id bigint;
	continuing boolean;
	a record;
	round_sent integer;
	sent integer := 0;
BEGIN
	IF max_alerts IS NULL OR max_alerts OPERATOR(pg_catalog.<) 1 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'max_alerts must be at least 1';
	END IF;
	-- each statement's snapshot must be taken after the lock before it
	IF pg_catalog.current_setting('transaction_isolation') OPERATOR(pg_catalog.<>) 'read committed' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'feature_not_supported',
			MESSAGE = 'hrguard.relay_alerts() must run at isolation level READ COMMITTED',
			HINT = 'Call it outside a REPEATABLE READ or SERIALIZABLE transaction block, with default_transaction_isolation at read committed.';
	END IF;
	cluster := (pg_catalog.pg_control_system()).system_identifier;
	INSERT INTO hrguard.relay_state DEFAULT VALUES ON CONFLICT DO NOTHING;
	SELECT * INTO state FROM hrguard.relay_state FOR UPDATE;

	IF state.system_identifier IS DISTINCT FROM cluster OR state.sent_through IS NULL THEN
		/*
		 * The first relay here, or the first since the database was
		 * restored from another cluster, whose transaction ids mean nothing
		 * in this one (the position and the restored alerts' xid columns
		 * still compare with each other).  Once every transaction inserting
		 * alerts has ended, notify each alert the position does not cover:
		 * those above the highest id the last relay saw (never seen, so
		 * never sent) and the others its snapshots do not cover.  Later
		 * alerts, from the next id on, are relayed by this cluster's
		 * snapshots.
		 */
		LOCK TABLE hrguard.alert IN SHARE ROW EXCLUSIVE MODE;
		FOR a IN
			SELECT al.alert_id
			  FROM hrguard.alert al
			 WHERE NOT al.notified
			   AND al.alert_id OPERATOR(pg_catalog.>=) state.era_first_alert_id
			   AND (al.alert_id OPERATOR(pg_catalog.>) state.seen_alert_id
					OR state.sent_through IS NULL
					OR NOT (pg_catalog.pg_visible_in_snapshot(al.xid, state.sent_through)
							OR (state.round IS NOT NULL
								AND pg_catalog.pg_visible_in_snapshot(al.xid, state.round)
								AND al.alert_id OPERATOR(pg_catalog.<=) state.round_alert_id)))
			 ORDER BY al.alert_id
		LOOP
			PERFORM pg_catalog.pg_notify('hrguard_alert', hrguard.alert_payload(a.alert_id));
			sent := sent OPERATOR(pg_catalog.+) 1;
		END LOOP;
		state.era_first_alert_id := COALESCE(
			(SELECT pg_catalog.max(al.alert_id) FROM hrguard.alert al), 0) OPERATOR(pg_catalog.+) 1;
		-- taken with the table locked: no alert of this era is committed yet
		state.sent_through := pg_catalog.pg_current_snapshot();
		state.round := NULL;
		state.round_alert_id := 0;
		state.system_identifier := cluster;
	ELSE
		/*
		 * A round cut short by max_alerts goes on with its own snapshot;
		 * once it is through, a new round takes what is left of max_alerts.
		 */
		LOOP
			continuing := state.round IS NOT NULL;
			target := COALESCE(state.round, pg_catalog.pg_current_snapshot());
			after_id := CASE WHEN continuing THEN state.round_alert_id ELSE 0 END;
			round_sent := 0;
			FOR a IN
				SELECT al.alert_id
				  FROM hrguard.alert al
				 WHERE NOT al.notified
				   AND al.alert_id OPERATOR(pg_catalog.>=) state.era_first_alert_id
				   AND al.alert_id OPERATOR(pg_catalog.>) after_id
				   -- what the position's snapshot did not see committed
				   -- (index ranges first, the exact test after)
				   AND (al.xid OPERATOR(pg_catalog.>=) pg_catalog.pg_snapshot_xmax(state.sent_through)
						OR al.xid OPERATOR(pg_catalog.=) ANY (ARRAY(
							SELECT pg_catalog.pg_snapshot_xip(state.sent_through))))
				   AND NOT pg_catalog.pg_visible_in_snapshot(al.xid, state.sent_through)
				   AND pg_catalog.pg_visible_in_snapshot(al.xid, target)
				 ORDER BY al.alert_id
				 LIMIT max_alerts OPERATOR(pg_catalog.-) sent
			LOOP
				PERFORM pg_catalog.pg_notify('hrguard_alert', hrguard.alert_payload(a.alert_id));
				round_sent := round_sent OPERATOR(pg_catalog.+) 1;
				after_id := a.alert_id;
			END LOOP;
			sent := sent OPERATOR(pg_catalog.+) round_sent;
			IF sent OPERATOR(pg_catalog.=) max_alerts THEN
				state.round := target;
				state.round_alert_id := after_id;
				EXIT;
			END IF;
			state.sent_through := target;
			state.round := NULL;
			state.round_alert_id := 0;
			EXIT WHEN NOT continuing;
		END LOOP;
	END IF;

	UPDATE hrguard.relay_state
	   SET sent_through = state.sent_through,
		   round = state.round,
		   round_alert_id = state.round_alert_id,
		   relayed_at = pg_catalog.now(),
		   system_identifier = state.system_identifier,
		   era_first_alert_id = state.era_first_alert_id,
		   seen_alert_id = GREATEST(state.seen_alert_id,
			   (SELECT pg_catalog.max(al.alert_id) FROM hrguard.alert al));
	RETURN sent;
END
$$;
REVOKE ALL ON FUNCTION hrguard.relay_alerts(integer) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.relay_alerts(integer) IS
	'notifies hrguard_alert for the alerts committed since the last relay, each once, in alert id order within a round; call it from any scheduler';

-- The catch-up of a listener: NOTIFY is a hint and is lost while nobody
-- listens, so a listener reads the alerts committed since its cursor (a
-- snapshot it got from the previous call) after it LISTENs, and again on
-- each notification.  An alert is returned by exactly one of a chain of
-- calls, each given the next_cursor of the one before: the first whose
-- snapshot sees it committed.  With no cursor: every alert.
CREATE FUNCTION hrguard.alerts_since(cursor pg_snapshot)
	RETURNS TABLE (alert_id bigint, employee_id text, kind text, severity text,
				   occurred_at timestamptz, raised_at timestamptz, status text,
				   next_cursor pg_snapshot)
	LANGUAGE plpgsql
	STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	-- the caller's own transaction counts as not committed yet: its
	-- alerts come from the first call after it commits
	now_snapshot pg_catalog.pg_snapshot := hrguard.alert_cursor();
BEGIN
	IF pg_catalog.pg_snapshot_xmax(cursor) OPERATOR(pg_catalog.>) pg_catalog.pg_snapshot_xmax(now_snapshot) THEN
		/*
		 * A cursor newer than the caller's snapshot: a REPEATABLE READ
		 * transaction older than the cursor sees nothing new (and the chain
		 * stays where it is).  A cursor this cluster cannot have given
		 * (another cluster's, or made up) would hide every alert until the
		 * transaction ids caught up: refused.
		 */
		BEGIN
			PERFORM pg_catalog.pg_xact_status(pg_catalog.pg_snapshot_xmin(
				pg_catalog.format('%s:%s:',
								  (pg_catalog.pg_snapshot_xmax(cursor)::text::numeric OPERATOR(pg_catalog.-) 1),
								  pg_catalog.pg_snapshot_xmax(cursor))::pg_catalog.pg_snapshot));
		EXCEPTION WHEN invalid_parameter_value THEN
			RAISE EXCEPTION USING
				ERRCODE = 'invalid_parameter_value',
				MESSAGE = pg_catalog.format('cursor %s is ahead of this cluster''s transactions', cursor),
				HINT = 'A cursor is valid only in the cluster that gave it: start again with no cursor (every alert) or with hrguard.alert_cursor().';
		END;
		RETURN;
	END IF;
	RETURN QUERY
	SELECT a.alert_id, a.employee_id, a.kind, a.severity, a.occurred_at, a.raised_at, a.status,
		   now_snapshot
	  FROM hrguard.alert a
	 WHERE cursor IS NULL
		-- committed since the cursor; an alert restored from another cluster
		-- (an xid this one has not reached) only with no cursor
		OR (NOT pg_catalog.pg_visible_in_snapshot(a.xid, cursor)
			AND pg_catalog.pg_visible_in_snapshot(a.xid, now_snapshot))
	 ORDER BY a.alert_id;
END
$$;
REVOKE ALL ON FUNCTION hrguard.alerts_since(pg_snapshot) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.alerts_since(pg_snapshot) IS
	'the alerts committed since a listener''s cursor, each with the cursor to pass next time; runs as its caller';

-- a cursor to start from: alerts committed from now on
CREATE FUNCTION hrguard.alert_cursor()
	RETURNS pg_snapshot
	LANGUAGE plpgsql
	STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	snap pg_catalog.pg_snapshot := pg_catalog.pg_current_snapshot();
	own pg_catalog.xid8 := pg_catalog.pg_current_xact_id_if_assigned();
BEGIN
	-- (one the snapshot does not reach already counts as in progress)
	IF own IS NULL OR own OPERATOR(pg_catalog.>=) pg_catalog.pg_snapshot_xmax(snap) THEN
		RETURN snap;
	END IF;
	-- the caller's own transaction, in progress, among those in progress
	RETURN pg_catalog.format('%s:%s:%s',
		LEAST(pg_catalog.pg_snapshot_xmin(snap), own), pg_catalog.pg_snapshot_xmax(snap),
		(SELECT pg_catalog.string_agg(x::text, ',' ORDER BY x)
		   FROM (SELECT pg_catalog.pg_snapshot_xip(snap) AS x UNION SELECT own) xs))::pg_catalog.pg_snapshot;
END
$$;
COMMENT ON FUNCTION hrguard.alert_cursor() IS
	'a listener''s first cursor for hrguard.alerts_since: the alerts committed from now on';
