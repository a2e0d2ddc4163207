-- competitor.sql -- the competitor_pattern rule, kept incrementally.
--
-- Each working-hours punch inside a competitor zone marks one
-- (employee, zone, local day).  The days are counted per rival: the zone's
-- organisation when it names one (all that organisation's zones together),
-- or else the zone alone.  When a rival gets a new day, only the days
-- within one window of it are looked at: if a window of
-- hrguard.competitor_pattern_window_days days that holds the new day holds
-- at least hrguard.competitor_pattern_days marked days, that is a pattern.
-- A pattern within a window of an episode of the same rival extends that
-- episode; otherwise it opens one, which raises one alert.

CREATE TABLE hrguard.competitor_visit_day (
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	zone_id			bigint NOT NULL,
	day				date NOT NULL,
	rival			text COLLATE pg_catalog."C" NOT NULL,
	punches			integer NOT NULL,
	first_at		timestamptz NOT NULL,
	last_at			timestamptz NOT NULL,
	PRIMARY KEY (employee_id, zone_id, day)
);
CREATE INDEX competitor_visit_day_rival_idx
	ON hrguard.competitor_visit_day (employee_id, rival, day);
REVOKE ALL ON hrguard.competitor_visit_day FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.competitor_visit_day', '');
COMMENT ON TABLE hrguard.competitor_visit_day IS
	'local days on which an employee punched inside a competitor zone during working hours; rival: "organisation <name>" or "zone <id>", what the days are counted by';

CREATE TABLE hrguard.competitor_episode (
	episode_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	rival			text COLLATE pg_catalog."C" NOT NULL,
	zone_id			bigint NOT NULL,
	first_day		date NOT NULL,
	last_day		date NOT NULL,
	alert_id		bigint NOT NULL
);
CREATE INDEX competitor_episode_lookup_idx
	ON hrguard.competitor_episode (employee_id, rival, last_day);
REVOKE ALL ON hrguard.competitor_episode FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.competitor_episode', '');
-- and its identity, so that ids continue after a restore
SELECT pg_catalog.pg_extension_config_dump('hrguard.competitor_episode_episode_id_seq', '');
COMMENT ON TABLE hrguard.competitor_episode IS
	'runs of competitor visits of one rival that raised one competitor_pattern alert each';

CREATE FUNCTION hrguard.note_competitor_visit(
		p_employee text, p_zone bigint, p_zone_name text, p_day date,
		p_at timestamptz, p_punch bigint, p_min_days integer, p_window integer,
		p_notified boolean)
	RETURNS bigint
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	organisation text;
	rival_key text;
	inserted boolean;
	pattern_first date;
	pattern_last date;
	pattern_days date[];
	pattern_zones bigint[];
	episode hrguard.competitor_episode;
	new_alert bigint;
BEGIN
	SELECT z.organisation INTO organisation
	  FROM hrguard.zone z WHERE z.zone_id OPERATOR(pg_catalog.=) p_zone;
	rival_key := COALESCE('organisation ' OPERATOR(pg_catalog.||) organisation,
						  'zone ' OPERATOR(pg_catalog.||) p_zone::pg_catalog.text);
	INSERT INTO hrguard.competitor_visit_day AS v
		(employee_id, zone_id, day, rival, punches, first_at, last_at)
	VALUES (p_employee, p_zone, p_day, rival_key, 1, p_at, p_at)
	ON CONFLICT (employee_id, zone_id, day) DO UPDATE
		SET punches = v.punches OPERATOR(pg_catalog.+) 1,
			first_at = LEAST(v.first_at, excluded.first_at),
			last_at = GREATEST(v.last_at, excluded.last_at)
	RETURNING (v.xmax OPERATOR(pg_catalog.=) '0'::xid) INTO inserted;
	IF NOT inserted THEN
		RETURN NULL;			-- the day was already counted
	END IF;
	IF EXISTS (SELECT FROM hrguard.competitor_visit_day v
				WHERE v.employee_id OPERATOR(pg_catalog.=) p_employee
				  AND v.rival OPERATOR(pg_catalog.=) rival_key
				  AND v.day OPERATOR(pg_catalog.=) p_day
				  AND v.zone_id OPERATOR(pg_catalog.<>) p_zone) THEN
		RETURN NULL;			-- counted already, at another zone of the rival
	END IF;

	-- the first window holding the new day that holds enough visit days
	WITH days AS (
		SELECT v.day, pg_catalog.array_agg(v.zone_id) AS zones
		  FROM hrguard.competitor_visit_day v
		 WHERE v.employee_id OPERATOR(pg_catalog.=) p_employee
		   AND v.rival OPERATOR(pg_catalog.=) rival_key
		   AND v.day OPERATOR(pg_catalog.>) (p_day OPERATOR(pg_catalog.-) p_window)
		   AND v.day OPERATOR(pg_catalog.<) (p_day OPERATOR(pg_catalog.+) p_window)
		 GROUP BY v.day
	)
	SELECT s.day, pg_catalog.max(d.day), pg_catalog.array_agg(d.day ORDER BY d.day)
	  INTO pattern_first, pattern_last, pattern_days
	  FROM days s
	  JOIN days d
		ON d.day OPERATOR(pg_catalog.>=) s.day
	   AND d.day OPERATOR(pg_catalog.<) (s.day OPERATOR(pg_catalog.+) p_window)
	 WHERE s.day OPERATOR(pg_catalog.<=) p_day
	 GROUP BY s.day
	HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>=) p_min_days
	 ORDER BY s.day
	 LIMIT 1;
	IF pattern_first IS NULL THEN
		RETURN NULL;
	END IF;

	-- an episode of the same rival less than a window away continues; it
	-- has its alert already
	SELECT * INTO episode
	  FROM hrguard.competitor_episode e
	 WHERE e.employee_id OPERATOR(pg_catalog.=) p_employee
	   AND e.rival OPERATOR(pg_catalog.=) rival_key
	   AND e.last_day OPERATOR(pg_catalog.>=) (pattern_first OPERATOR(pg_catalog.-) p_window)
	   AND e.first_day OPERATOR(pg_catalog.<=) (pattern_last OPERATOR(pg_catalog.+) p_window)
	 ORDER BY e.last_day DESC
	 LIMIT 1
	   FOR UPDATE;
	IF FOUND THEN
		UPDATE hrguard.competitor_episode
		   SET first_day = LEAST(first_day, pattern_first),
			   last_day = GREATEST(last_day, pattern_last)
		 WHERE episode_id OPERATOR(pg_catalog.=) episode.episode_id;
		RETURN NULL;
	END IF;

	SELECT pg_catalog.array_agg(DISTINCT v.zone_id ORDER BY v.zone_id) INTO pattern_zones
	  FROM hrguard.competitor_visit_day v
	 WHERE v.employee_id OPERATOR(pg_catalog.=) p_employee
	   AND v.rival OPERATOR(pg_catalog.=) rival_key
	   AND v.day OPERATOR(pg_catalog.=) ANY (pattern_days);
	INSERT INTO hrguard.alert (employee_id, kind, severity, occurred_at, reasons, punch_id, zone_id, notified)
	VALUES (p_employee, 'competitor_pattern', 'priority', p_at,
			pg_catalog.jsonb_build_object(
				'zone_id', p_zone, 'zone_name', p_zone_name,
				'organisation', organisation, 'zones', pattern_zones,
				'days', pattern_days, 'min_days', p_min_days, 'window_days', p_window,
				'rule', pg_catalog.format('inside %s during working hours on %s days within %s days',
										  CASE WHEN organisation IS NULL THEN 'the competitor zone'
											   ELSE 'zones of the same competitor' END,
										  p_min_days, p_window)),
			p_punch, p_zone, p_notified)
	RETURNING alert_id INTO new_alert;
	INSERT INTO hrguard.competitor_episode (employee_id, rival, zone_id, first_day, last_day, alert_id)
	VALUES (p_employee, rival_key, p_zone, pattern_first, pattern_last, new_alert);
	RETURN new_alert;
END
$$;
REVOKE ALL ON FUNCTION hrguard.note_competitor_visit(text, bigint, text, date, timestamptz, bigint, integer, integer, boolean) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.note_competitor_visit(text, bigint, text, date, timestamptz, bigint, integer, integer, boolean) IS
	'internal: marks a competitor visit day and raises competitor_pattern once per episode';
