-- verified_hours.sql -- the hours an employee's evidence shows worked:
-- the denominator that scoring sets sales against.
--
-- Working windows come from the employee's schedule (or the default,
-- Monday to Friday 09:00-18:00) under the tenant calendar, in the
-- schedule's time zone or the employee's, on the days of the employment.
-- Evidence intervals are on-duty to off-duty punch pairs whose on-duty
-- punch is not outside the allowed zones, CRM visits, and visit punches
-- inside a client zone (15 minutes either side).  Their union, clipped to
-- the day's windows, minus approved leave, is the verified time.

-- a span of days asked for: finite, and at most ten years
CREATE FUNCTION hrguard.checked_day_span(from_day date, to_day date)
	RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF pg_catalog.isfinite(from_day) IS NOT TRUE OR pg_catalog.isfinite(to_day) IS NOT TRUE THEN
		RAISE EXCEPTION USING
			ERRCODE = 'datetime_field_overflow',
			MESSAGE = 'the days asked for must be finite dates';
	END IF;
	IF to_day OPERATOR(pg_catalog.-) from_day OPERATOR(pg_catalog.>) 3660 THEN
		RAISE EXCEPTION USING
			ERRCODE = 'program_limit_exceeded',
			MESSAGE = pg_catalog.format('%s days asked for; at most 3661 at once',
										to_day OPERATOR(pg_catalog.-) from_day OPERATOR(pg_catalog.+) 1);
	END IF;
	RETURN true;
END
$$;
COMMENT ON FUNCTION hrguard.checked_day_span(date, date) IS
	'internal: refuses infinite days and spans of more than 3661 days';

CREATE FUNCTION hrguard.work_windows(employee_id text, from_day date, to_day date,
		OUT day date, OUT during tstzrange)
	RETURNS SETOF record
	LANGUAGE sql STABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
WITH e AS (
	SELECT em.tenant_id, em.schedule_id, em.hired_on, em.left_on,
		   COALESCE(s.timezone, em.timezone, hrguard.default_timezone()) AS tz
	  FROM hrguard.employee em
	  LEFT JOIN hrguard.schedule s ON s.schedule_id OPERATOR(pg_catalog.=) em.schedule_id
	 WHERE em.employee_id OPERATOR(pg_catalog.=) $1
   AND hrguard.checked_day_span($2, $3)
), weekly AS (
	SELECT sw.isodow::pg_catalog.int4 AS isodow, sw.starts_at, sw.ends_at
	  FROM e JOIN hrguard.schedule_window sw ON sw.schedule_id OPERATOR(pg_catalog.=) e.schedule_id
	UNION ALL
	SELECT d, '09:00'::pg_catalog.time, '18:00'::pg_catalog.time
	  FROM e, pg_catalog.generate_series(1, 5) d
	 WHERE e.schedule_id IS NULL
), days AS (
	SELECT g::pg_catalog.date AS day, c.is_workday, c.works_like,
		   pg_catalog.date_part('isodow', g)::pg_catalog.int4 AS own
	  FROM e
	 CROSS JOIN pg_catalog.generate_series($2::pg_catalog.timestamp, $3::pg_catalog.timestamp,
										   '1 day'::pg_catalog.interval) g
	  LEFT JOIN hrguard.calendar_day c
		ON c.tenant_id OPERATOR(pg_catalog.=) e.tenant_id
	   AND c.day OPERATOR(pg_catalog.=) g::pg_catalog.date
), weekday AS (
	SELECT d.day,
		   CASE WHEN d.is_workday IS NULL THEN d.own
				WHEN NOT d.is_workday THEN NULL
				WHEN d.works_like IS NOT NULL THEN d.works_like::pg_catalog.int4
				WHEN EXISTS (SELECT FROM weekly w WHERE w.isodow OPERATOR(pg_catalog.=) d.own) THEN d.own
				ELSE 1 END AS isodow
	  FROM days d
)
SELECT wd.day,
	   pg_catalog.tstzrange(
		   pg_catalog.timezone(e.tz, wd.day OPERATOR(pg_catalog.+) w.starts_at),
		   pg_catalog.timezone(e.tz, wd.day OPERATOR(pg_catalog.+) w.ends_at
							   OPERATOR(pg_catalog.+) CASE WHEN w.ends_at OPERATOR(pg_catalog.<=) w.starts_at
														   THEN '1 day'::pg_catalog.interval
														   ELSE '0'::pg_catalog.interval END))
  FROM weekday wd
  JOIN weekly w ON w.isodow OPERATOR(pg_catalog.=) wd.isodow
 CROSS JOIN e
 -- days outside the employment have no working windows
 WHERE (e.hired_on IS NULL OR wd.day OPERATOR(pg_catalog.>=) e.hired_on)
   AND (e.left_on IS NULL OR wd.day OPERATOR(pg_catalog.<=) e.left_on)
 ORDER BY 1, 2
$$;
REVOKE ALL ON FUNCTION hrguard.work_windows(text, date, date) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.work_windows(text, date, date) IS
	'an employee''s working windows day by day: the schedule (or Monday to Friday 09:00-18:00) under the tenant calendar, without grace';

-- the total length of a multirange of times, in hours
CREATE FUNCTION hrguard.range_hours(tstzmultirange)
	RETURNS numeric
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT pg_catalog.round(COALESCE(pg_catalog.sum(pg_catalog.date_part('epoch',
		   pg_catalog.upper(r) OPERATOR(pg_catalog.-) pg_catalog.lower(r))), 0)::pg_catalog.numeric
	   OPERATOR(pg_catalog./) 3600, 4)
  FROM pg_catalog.unnest($1) r
$$;
COMMENT ON FUNCTION hrguard.range_hours(tstzmultirange) IS
	'total length of a set of time ranges, in hours (4 decimals)';

CREATE FUNCTION hrguard.verified_hours(employee_id text, from_day date, to_day date,
		OUT day date, OUT scheduled_hours numeric, OUT leave_hours numeric,
		OUT verified_hours numeric, OUT declared_hours numeric)
	RETURNS SETOF record
	LANGUAGE sql STABLE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
WITH windows AS (
	SELECT w.day, pg_catalog.range_agg(w.during) AS windows
	  FROM hrguard.work_windows($1, $2, $3) w
	 WHERE hrguard.checked_day_span($2, $3)
	 GROUP BY w.day
), span AS (
	-- the times whose evidence can reach a window, whatever the session's
	-- time zone: a punch pair opens up to 24 hours before the window it
	-- covers, a visit punch up to 15 minutes after one still reaches it;
	-- none without a window
	SELECT CASE WHEN pg_catalog.count(*) OPERATOR(pg_catalog.=) 0 THEN 'empty'::pg_catalog.tstzrange
				ELSE pg_catalog.tstzrange(pg_catalog.min(pg_catalog.lower(windows))
										  OPERATOR(pg_catalog.-) '24 hours'::pg_catalog.interval,
										  pg_catalog.max(pg_catalog.upper(windows))
										  OPERATOR(pg_catalog.+) '15 minutes'::pg_catalog.interval) END AS r
	  FROM windows
), worked AS (
	SELECT pg_catalog.tstzrange(p.punched_at, q.punched_at) AS r
	  FROM hrguard.punch p, span
	 CROSS JOIN LATERAL (
		SELECT o.punched_at FROM hrguard.punch o
		 WHERE o.employee_id OPERATOR(pg_catalog.=) p.employee_id
		   AND o.check_type OPERATOR(pg_catalog.=) 'off_duty'
		   AND o.punched_at OPERATOR(pg_catalog.>) p.punched_at
		   AND o.punched_at OPERATOR(pg_catalog.<) (p.punched_at OPERATOR(pg_catalog.+) '24 hours'::pg_catalog.interval)
		 ORDER BY o.punched_at LIMIT 1) q
	 WHERE p.employee_id OPERATOR(pg_catalog.=) $1
	   AND p.check_type OPERATOR(pg_catalog.=) 'on_duty'
	   AND p.verdict OPERATOR(pg_catalog.=) ANY (ARRAY['inside', 'uncertain'])
	   AND p.punched_at OPERATOR(pg_catalog.<@) span.r
	   -- paired with the next off-duty punch, unless another on-duty comes first
	   AND NOT EXISTS (SELECT FROM hrguard.punch n
					   WHERE n.employee_id OPERATOR(pg_catalog.=) p.employee_id
						 AND n.check_type OPERATOR(pg_catalog.=) 'on_duty'
						 AND n.punched_at OPERATOR(pg_catalog.>) p.punched_at
						 AND n.punched_at OPERATOR(pg_catalog.<) q.punched_at)
	UNION ALL
	SELECT pg_catalog.tstzrange(v.started_at, v.ended_at, '[]')
	  FROM hrguard.visit v, span
	 WHERE v.employee_id OPERATOR(pg_catalog.=) $1
	   AND pg_catalog.tstzrange(v.started_at, v.ended_at, '[]') OPERATOR(pg_catalog.&&) span.r
	UNION ALL
	SELECT pg_catalog.tstzrange(c.started_at OPERATOR(pg_catalog.-) '15 minutes'::pg_catalog.interval,
								c.started_at OPERATOR(pg_catalog.+) '15 minutes'::pg_catalog.interval)
	  FROM hrguard.customer_visits c, span
	 WHERE c.employee_id OPERATOR(pg_catalog.=) $1
	   AND c.source OPERATOR(pg_catalog.=) 'punch'
	   AND c.started_at OPERATOR(pg_catalog.<@) span.r
), evidence AS (
	SELECT COALESCE(pg_catalog.range_agg(r), '{}'::pg_catalog.tstzmultirange) AS worked FROM worked
), leave AS (
	SELECT COALESCE(pg_catalog.range_agg(pg_catalog.tstzrange(l.starts_at, l.ends_at)),
					'{}'::pg_catalog.tstzmultirange) AS away
	  FROM hrguard.leave l, span
	 WHERE l.employee_id OPERATOR(pg_catalog.=) $1
	   AND pg_catalog.tstzrange(l.starts_at, l.ends_at) OPERATOR(pg_catalog.&&) span.r
)
SELECT g::pg_catalog.date,
	   hrguard.range_hours(COALESCE(w.windows, '{}')),
	   hrguard.range_hours(COALESCE(w.windows, '{}') OPERATOR(pg_catalog.*) leave.away),
	   hrguard.range_hours((COALESCE(w.windows, '{}') OPERATOR(pg_catalog.*) evidence.worked)
						   OPERATOR(pg_catalog.-) leave.away),
	   d.hours
  FROM pg_catalog.generate_series($2::pg_catalog.timestamp, $3::pg_catalog.timestamp,
								  '1 day'::pg_catalog.interval) g
 CROSS JOIN evidence
 CROSS JOIN leave
  LEFT JOIN windows w ON w.day OPERATOR(pg_catalog.=) g::pg_catalog.date
  LEFT JOIN hrguard.daily_report d
	ON d.employee_id OPERATOR(pg_catalog.=) $1 AND d.report_date OPERATOR(pg_catalog.=) g::pg_catalog.date
 ORDER BY 1
$$;
REVOKE ALL ON FUNCTION hrguard.verified_hours(text, date, date) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.verified_hours(text, date, date) IS
	'per day: hours scheduled, on approved leave, verified by evidence (on/off-duty punch pairs, visits, visit punches ±15 min, clipped to the windows, minus leave) and declared in the daily report';
