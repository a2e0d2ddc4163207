-- competitor.sql -- the competitor_pattern rule, kept incrementally.
--
-- Each working-hours punch inside a competitor zone marks one
-- (employee, zone, local day).  When a new day is marked, only the days
-- within one window of it are looked at: if some window of
-- hrguard.competitor_pattern_window_days days holds at least
-- hrguard.competitor_pattern_days marked days, that is a pattern.  Patterns
-- less than a window apart belong to one episode, which raises one alert.

CREATE TABLE hrguard.competitor_visit_day (
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	zone_id			bigint NOT NULL,
	day				date NOT NULL,
	punches			integer NOT NULL,
	first_at		timestamptz NOT NULL,
	last_at			timestamptz NOT NULL,
	PRIMARY KEY (employee_id, zone_id, day)
);
REVOKE ALL ON hrguard.competitor_visit_day FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.competitor_visit_day', '');
COMMENT ON TABLE hrguard.competitor_visit_day IS
	'local days on which an employee punched inside a competitor zone during working hours';

CREATE TABLE hrguard.competitor_episode (
	episode_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	employee_id		text COLLATE pg_catalog."C" NOT NULL,
	zone_id			bigint NOT NULL,
	first_day		date NOT NULL,
	last_day		date NOT NULL,
	alert_id		bigint NOT NULL
);
CREATE INDEX competitor_episode_lookup_idx
	ON hrguard.competitor_episode (employee_id, zone_id, last_day);
REVOKE ALL ON hrguard.competitor_episode FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('hrguard.competitor_episode', '');
-- and its identity, so that ids continue after a restore
SELECT pg_catalog.pg_extension_config_dump('hrguard.competitor_episode_episode_id_seq', '');
COMMENT ON TABLE hrguard.competitor_episode IS
	'runs of competitor visits that raised one competitor_pattern alert each';

CREATE FUNCTION hrguard.note_competitor_visit(
		p_employee text, p_zone bigint, p_zone_name text, p_day date,
		p_at timestamptz, p_punch bigint, p_min_days integer, p_window integer,
		p_notified boolean)
	RETURNS bigint
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	inserted boolean;
	pattern_first date;
	pattern_last date;
	pattern_days date[];
	episode hrguard.competitor_episode;
	new_alert bigint;
BEGIN
	INSERT INTO hrguard.competitor_visit_day AS v
		(employee_id, zone_id, day, punches, first_at, last_at)
	VALUES (p_employee, p_zone, p_day, 1, p_at, p_at)
	ON CONFLICT (employee_id, zone_id, day) DO UPDATE
		SET punches = v.punches OPERATOR(pg_catalog.+) 1,
			first_at = LEAST(v.first_at, excluded.first_at),
			last_at = GREATEST(v.last_at, excluded.last_at)
	RETURNING (v.xmax OPERATOR(pg_catalog.=) '0'::xid) INTO inserted;
	IF NOT inserted THEN
		RETURN NULL;			-- the day was already counted
	END IF;

	-- the first window around the new day that holds enough visit days
	SELECT s.day, pg_catalog.max(d.day), pg_catalog.array_agg(d.day ORDER BY d.day)
	  INTO pattern_first, pattern_last, pattern_days
	  FROM hrguard.competitor_visit_day s
	  JOIN hrguard.competitor_visit_day d
		ON d.employee_id OPERATOR(pg_catalog.=) s.employee_id
	   AND d.zone_id OPERATOR(pg_catalog.=) s.zone_id
	   AND d.day OPERATOR(pg_catalog.>=) s.day
	   AND d.day OPERATOR(pg_catalog.<) (s.day OPERATOR(pg_catalog.+) p_window)
	 WHERE s.employee_id OPERATOR(pg_catalog.=) p_employee
	   AND s.zone_id OPERATOR(pg_catalog.=) p_zone
	   AND s.day OPERATOR(pg_catalog.<=) p_day
	   AND s.day OPERATOR(pg_catalog.>) (p_day OPERATOR(pg_catalog.-) p_window)
	 GROUP BY s.day
	HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>=) p_min_days
	 ORDER BY s.day
	 LIMIT 1;
	IF pattern_first IS NULL THEN
		RETURN NULL;
	END IF;

	-- an episode less than a window away continues; it has its alert already
	SELECT * INTO episode
	  FROM hrguard.competitor_episode e
	 WHERE e.employee_id OPERATOR(pg_catalog.=) p_employee
	   AND e.zone_id OPERATOR(pg_catalog.=) p_zone
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

	INSERT INTO hrguard.alert (employee_id, kind, severity, occurred_at, reasons, punch_id, zone_id, notified)
	VALUES (p_employee, 'competitor_pattern', 'priority', p_at,
			pg_catalog.jsonb_build_object(
				'zone_id', p_zone, 'zone_name', p_zone_name,
				'days', pattern_days, 'min_days', p_min_days, 'window_days', p_window,
				'rule', pg_catalog.format('inside the competitor zone during working hours on %s days within %s days',
										  p_min_days, p_window)),
			p_punch, p_zone, p_notified)
	RETURNING alert_id INTO new_alert;
	INSERT INTO hrguard.competitor_episode (employee_id, zone_id, first_day, last_day, alert_id)
	VALUES (p_employee, p_zone, pattern_first, pattern_last, new_alert);
	RETURN new_alert;
END
$$;
REVOKE ALL ON FUNCTION hrguard.note_competitor_visit(text, bigint, text, date, timestamptz, bigint, integer, integer, boolean) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.note_competitor_visit(text, bigint, text, date, timestamptz, bigint, integer, integer, boolean) IS
	'internal: marks a competitor visit day and raises competitor_pattern once per episode';
