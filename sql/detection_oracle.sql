-- detection_oracle: an independent oracle of hrguard's detection rules.
--
-- Seeded data (two tenants of this file's own, 47 employees in Shanghai
-- and Urumqi time, 7 employee schedules and the default, 5 zone
-- schedules, calendars with holidays and make-up days, 26 zones of every
-- shape, kind and datum, about 4,700 punches in 2026-09..2026-11) go
-- through hrguard's trigger; then every punch and every competitor_pattern
-- alert is recomputed here in plain SQL and PostGIS from the README alone
-- (Concepts: employees, tenants, schedules; zones and datums; verdicts;
-- risk features; alerts and "the competitor pattern, exactly"), and the
-- two are compared punch by punch and alert by alert.  Datum conversion
-- is hrguard.to_wgs84 (tested on its own in datum.sql); geometry is
-- PostGIS: ST_Covers, distances on the spheroid (geography).
--
-- Cases the README leaves open, or where hrguard's documented local-plane
-- distances (within about 0.1 % of the geodesic) may legitimately differ
-- from PostGIS's, are excluded from the comparison and counted, each
-- named where it is decided (search for "excluded:").
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';
-- the detection settings, set to the README's defaults in this session so
-- that a setting another file left on the database changes nothing here;
-- the oracle reads them back from the session
SELECT hrguard.version() IS NOT NULL AS library_loaded;
SET hrguard.default_timezone = 'Asia/Shanghai';
SET hrguard.default_accuracy_m = 0;
SET hrguard.max_speed_kmh = 150;
SET hrguard.min_travel_m = 2000;
SET hrguard.risk_lookback_days = 90;
SET hrguard.competitor_pattern_days = 3;
SET hrguard.competitor_pattern_window_days = 7;
SET hrguard.off_hours_grace_minutes = 30;
SET hrguard.notify_mode = 'off';
CREATE TEMP TABLE or_param AS SELECT
	current_setting('hrguard.default_timezone') AS default_tz,
	current_setting('hrguard.default_accuracy_m')::float8 AS default_acc,
	current_setting('hrguard.max_speed_kmh')::float8 AS max_kmh,
	current_setting('hrguard.min_travel_m')::float8 AS min_travel,
	current_setting('hrguard.risk_lookback_days')::int AS lookback_days,
	current_setting('hrguard.competitor_pattern_days')::int AS pat_days,
	current_setting('hrguard.competitor_pattern_window_days')::int AS pat_window,
	make_interval(mins => current_setting('hrguard.off_hours_grace_minutes')::int) AS grace;

-- ---------------------------------------------------------------------
-- Configuration: schedules, calendar, employees, zones, assignments.
-- Everything lives in the tenants 'OR-T1' and 'OR-T2' and is named 'OR…'.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE or_sched (skey text PRIMARY KEY, tenant text, tz text);
INSERT INTO or_sched VALUES
	-- employees' schedules
	('OR std', 'OR-T1', NULL), ('OR split', 'OR-T1', NULL), ('OR night', 'OR-T1', NULL),
	('OR evening', 'OR-T1', NULL), ('OR weekend', 'OR-T1', NULL),
	('OR std UR', 'OR-T1', 'Asia/Urumqi'),		-- a schedule that names its own time zone
	('OR2 std', 'OR-T2', NULL),
	-- zones' schedules
	('OR visits', 'OR-T1', NULL), ('OR afternoon UR', 'OR-T1', 'Asia/Urumqi'),
	('OR late', 'OR-T1', NULL), ('OR popup hours', 'OR-T1', NULL), ('OR2 shop hours', 'OR-T2', NULL);
CREATE TEMP TABLE or_win (skey text, isodow int, s time, e time);
INSERT INTO or_win
SELECT 'OR std', d, '09:00', '18:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'OR split', d, w.s, w.e FROM generate_series(1, 6) d,
	(VALUES ('08:00'::time, '12:00'::time), ('13:00', '17:30')) w(s, e)
UNION ALL SELECT 'OR night', d, '22:00', '06:00' FROM generate_series(1, 5) d	-- past midnight
UNION ALL SELECT 'OR evening', d, '16:00', '24:00' FROM generate_series(2, 6) d	-- 24:00 ends at midnight
UNION ALL SELECT 'OR evening', 7, '00:00', '24:00'
UNION ALL SELECT 'OR weekend', d, '10:00', '20:00' FROM generate_series(6, 7) d
UNION ALL SELECT 'OR weekend', 3, '12:00', '00:00'	-- end not after start: to midnight
UNION ALL SELECT 'OR std UR', d, '09:00', '18:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'OR2 std', d, '08:30', '17:30' FROM generate_series(1, 5) d
UNION ALL SELECT 'OR visits', d, '09:00', '11:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'OR afternoon UR', d, '14:00', '16:00' FROM generate_series(1, 6) d
UNION ALL SELECT 'OR late', d, '20:00', '02:00' FROM generate_series(1, 7) d
UNION ALL SELECT 'OR popup hours', d, '10:00', '24:00' FROM generate_series(1, 7) d
UNION ALL SELECT 'OR2 shop hours', d, '11:00', '21:00' FROM generate_series(1, 7) d;
INSERT INTO hrguard.schedule (tenant_id, name, timezone) SELECT tenant, skey, tz FROM or_sched ORDER BY skey;
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT s.schedule_id, w.isodow, w.s, w.e
  FROM or_win w JOIN or_sched o USING (skey) JOIN hrguard.schedule s ON s.tenant_id = o.tenant AND s.name = o.skey
 ORDER BY 1, 2, 3;
-- the oracle's own copy of the README's default: Monday to Friday 09:00-18:00
INSERT INTO or_win SELECT '*default*', d, '09:00', '18:00' FROM generate_series(1, 5) d;

CREATE TEMP TABLE or_cal (tenant text, day date, is_workday boolean, works_like int);
INSERT INTO or_cal VALUES
	('OR-T1', '2026-09-25', false, NULL),	-- a Friday holiday
	('OR-T1', '2026-09-27', true, NULL),	-- Sunday make-up day: own weekday if the schedule works then, else Monday
	('OR-T1', '2026-10-10', true, 5),		-- Saturday make-up day like a Friday
	('OR-T1', '2026-10-24', false, NULL),	-- a Saturday holiday
	('OR-T1', '2026-11-02', true, NULL),	-- a Monday declared a working day
	('OR-T1', '2026-11-14', true, 3),		-- Saturday make-up day like a Wednesday
	('OR-T2', '2026-11-07', true, 1),
	('OR-T2', '2026-11-11', false, NULL);
INSERT INTO or_cal SELECT 'OR-T1', d, false, NULL FROM generate_series(date '2026-10-01', '2026-10-07', '1 day') d;
INSERT INTO hrguard.calendar_day (tenant_id, day, is_workday, works_like, name)
SELECT tenant, day, is_workday, works_like, 'OR day' FROM or_cal ORDER BY 1, 2;

CREATE TEMP TABLE or_emp (emp text PRIMARY KEY, tenant text, team text, tz text, skey text);
INSERT INTO or_emp
SELECT 'OR-A' || to_char(i, 'FM00'), 'OR-T1', 'OR-A', 'Asia/Shanghai',
	   (ARRAY['OR std', NULL, 'OR split', 'OR night', 'OR evening', 'OR weekend', 'OR std UR'])[(i - 1) % 7 + 1]
  FROM generate_series(1, 14) i
UNION ALL
SELECT 'OR-B' || to_char(i, 'FM00'), 'OR-T1', 'OR-B', CASE WHEN i <= 4 THEN 'Asia/Urumqi' ELSE 'Asia/Shanghai' END,
	   (ARRAY[NULL, 'OR std', 'OR split', 'OR evening', 'OR night', 'OR weekend', 'OR std UR'])[(i - 1) % 7 + 1]
  FROM generate_series(1, 14) i
UNION ALL
SELECT 'OR-C' || to_char(i, 'FM00'), 'OR-T1', 'OR-C', 'Asia/Urumqi',
	   (ARRAY[NULL, 'OR std', 'OR split', 'OR night', 'OR std UR', 'OR weekend', 'OR evening', 'OR std'])[i]
  FROM generate_series(1, 8) i
UNION ALL
SELECT 'OR-D' || to_char(i, 'FM00'), 'OR-T2', 'OR-D', CASE WHEN i >= 7 THEN 'Asia/Urumqi' ELSE 'Asia/Shanghai' END,
	   CASE WHEN i % 2 = 1 THEN 'OR2 std' END
  FROM generate_series(1, 8) i
UNION ALL
VALUES ('OR-E01', 'OR-T2', NULL, 'Asia/Shanghai', NULL), ('OR-E02', 'OR-T2', NULL, 'Asia/Shanghai', 'OR2 std'),
	   ('OR-P01', 'OR-T1', NULL, 'Asia/Shanghai', NULL);
INSERT INTO hrguard.employee (employee_id, tenant_id, team, timezone, schedule_id, role)
SELECT e.emp, e.tenant, e.team, e.tz, s.schedule_id, 'sales'
  FROM or_emp e LEFT JOIN hrguard.schedule s ON s.tenant_id = e.tenant AND s.name = e.skey ORDER BY 1;
-- where the employee's working hours are read: the schedule's own time
-- zone, else the employee's (see the report: the README says this of a
-- zone's schedule and of the default schedule, not in so many words of
-- an employee's schedule that names a zone)
ALTER TABLE or_emp ADD work_tz text;
UPDATE or_emp e SET work_tz = coalesce((SELECT tz FROM or_sched s WHERE s.skey = e.skey), e.tz);

-- shapes in the datum they are entered in
CREATE FUNCTION pg_temp.or_star(cx float8, cy float8, r1 float8, r2 float8, n int) RETURNS geometry
LANGUAGE sql IMMUTABLE AS $$
	SELECT ST_SetSRID(ST_MakePolygon(ST_MakeLine(array_agg(
			   ST_MakePoint($1 + r * cos(a) / cos(radians($2)), $2 + r * sin(a)) ORDER BY k))), 4326)
	  FROM (SELECT k, CASE WHEN k % 2 = 0 THEN $3 ELSE $4 END AS r, 2 * pi() * (k % (2 * $5)) / (2 * $5) AS a
			  FROM generate_series(0, 2 * $5) k) s
$$;
CREATE FUNCTION pg_temp.or_holed(x1 float8, y1 float8, x2 float8, y2 float8,
								 hx1 float8, hy1 float8, hx2 float8, hy2 float8) RETURNS geometry
LANGUAGE sql IMMUTABLE AS $$
	SELECT ST_MakePolygon(ST_ExteriorRing(ST_MakeEnvelope($1, $2, $3, $4, 4326)),
						  ARRAY[ST_ExteriorRing(ST_MakeEnvelope($5, $6, $7, $8, 4326))])
$$;
-- the oracle's WGS-84 shapes: every vertex through hrguard.to_wgs84
CREATE FUNCTION pg_temp.or_wgs_pt(lat float8, lon float8, crs text) RETURNS geometry
LANGUAGE sql STABLE AS $$
	SELECT ST_SetSRID(ST_MakePoint(w.lon, w.lat), 4326) FROM hrguard.to_wgs84($1, $2, $3) w
$$;
CREATE FUNCTION pg_temp.or_ring_wgs(ring geometry, crs text) RETURNS geometry
LANGUAGE sql STABLE AS $$
	SELECT ST_MakeLine(array_agg(pg_temp.or_wgs_pt(ST_Y(d.geom), ST_X(d.geom), $2) ORDER BY d.path[1]))
	  FROM ST_DumpPoints($1) d
$$;
CREATE FUNCTION pg_temp.or_shape_wgs(g geometry, crs text) RETURNS geometry
LANGUAGE sql STABLE AS $$
	SELECT ST_SetSRID(ST_Collect(p ORDER BY part), 4326)
	  FROM (SELECT dp.path AS part,
				   ST_MakePolygon(pg_temp.or_ring_wgs(ST_ExteriorRing(dp.geom), $2),
								  coalesce((SELECT array_agg(pg_temp.or_ring_wgs(ST_InteriorRingN(dp.geom, i), $2) ORDER BY i)
											  FROM generate_series(1, ST_NumInteriorRings(dp.geom)) i),
										   '{}')) AS p
			  FROM ST_Dump($1) dp) s
$$;

CREATE TEMP TABLE or_zone (name text PRIMARY KEY, tenant text, kind text, crs text,
						   raw_geom geometry, raw_lat float8, raw_lon float8, radius float8,
						   skey text, valid tstzrange, org text);
INSERT INTO or_zone VALUES
	-- OR-T1: allowed zones
	('OR HQ', 'OR-T1', 'office', 'gcj02',
	 pg_temp.or_holed(121.4660, 31.2270, 121.4740, 31.2330, 121.4690, 31.2290, 121.4710, 31.2310), NULL, NULL, NULL, NULL, NULL, NULL),
	('OR West', 'OR-T1', 'office', 'bd09', pg_temp.or_star(121.400, 31.200, 0.0045, 0.0020, 7), NULL, NULL, NULL, NULL, NULL, NULL),
	('OR Urumqi office', 'OR-T1', 'office', 'wgs84', ST_MakeEnvelope(87.595, 43.795, 87.605, 43.803, 4326),
	 NULL, NULL, NULL, NULL, NULL, NULL),
	('OR campus', 'OR-T1', 'project', 'wgs84',
	 ST_Collect(pg_temp.or_holed(121.515, 31.255, 121.523, 31.262, 121.518, 31.257, 121.520, 31.259),
				ST_MakeEnvelope(121.526, 31.263, 121.531, 31.268, 4326)),
	 NULL, NULL, NULL, NULL, tstzrange('2026-10-01 00:00+08', '2026-11-15 00:00+08'), NULL),
	('OR depot', 'OR-T1', 'project', 'gcj02',
	 ST_Collect(pg_temp.or_star(121.445, 31.178, 0.0030, 0.0015, 5), pg_temp.or_star(121.452, 31.183, 0.0025, 0.0010, 6)),
	 NULL, NULL, NULL, NULL, NULL, NULL),
	('OR client Alpha', 'OR-T1', 'client', 'wgs84', NULL, 31.240, 121.480, 300, NULL, NULL, NULL),
	('OR client Beta', 'OR-T1', 'client', 'gcj02', NULL, 31.2330, 121.4740, 250, NULL, NULL, NULL),	-- overlaps OR HQ
	('OR client Gamma', 'OR-T1', 'client', 'bd09', NULL, 31.250, 121.430, 500, 'OR visits', NULL, NULL),
	('OR client Delta', 'OR-T1', 'client', 'wgs84', NULL, 31.210, 121.500, 800, 'OR afternoon UR', NULL, NULL),
	('OR client Epsilon', 'OR-T1', 'client', 'gcj02', pg_temp.or_star(121.360, 31.270, 0.0040, 0.0025, 9),
	 NULL, NULL, NULL, NULL, tstzrange('2026-09-15 00:00+08', '2026-10-20 00:00+08'), NULL),
	('OR client Zeta', 'OR-T1', 'client', 'wgs84', NULL, 43.820, 87.620, 400, 'OR late', NULL, NULL),
	('OR client kiosk', 'OR-T1', 'client', 'wgs84', NULL, 31.236, 121.462, 40, NULL, NULL, NULL),
	-- OR-T1: watched zones
	('OR rival A north', 'OR-T1', 'competitor', 'wgs84', NULL, 31.300, 121.550, 150, NULL, NULL, 'OR Rival A'),
	('OR rival A south', 'OR-T1', 'competitor', 'gcj02', ST_MakeEnvelope(121.548, 31.148, 121.553, 31.152, 4326),
	 NULL, NULL, NULL, NULL, NULL, 'OR Rival A'),
	('OR rival A east', 'OR-T1', 'competitor', 'bd09', NULL, 31.220, 121.620, 200, NULL,
	 tstzrange('2026-10-10 00:00+08', NULL), 'OR Rival A'),
	('OR rival B', 'OR-T1', 'competitor', 'wgs84',
	 ST_Collect(ST_MakeEnvelope(121.378, 31.118, 121.382, 31.121, 4326), ST_MakeEnvelope(121.384, 31.118, 121.386, 31.121, 4326)),
	 NULL, NULL, NULL, NULL, NULL, 'OR Rival B'),
	('OR lone shop', 'OR-T1', 'competitor', 'gcj02', NULL, 31.310, 121.440, 120, NULL, NULL, NULL),
	('OR pop-up', 'OR-T1', 'competitor', 'wgs84', NULL, 31.280, 121.490, 180, 'OR popup hours',
	 tstzrange('2026-09-20 00:00+08', '2026-11-20 00:00+08'), NULL),
	('OR lone Urumqi', 'OR-T1', 'competitor', 'wgs84', NULL, 43.780, 87.580, 300, NULL, NULL, NULL),
	('OR restricted lab', 'OR-T1', 'restricted', 'bd09',
	 pg_temp.or_holed(121.503, 31.233, 121.508, 31.237, 121.505, 31.234, 121.506, 31.235), NULL, NULL, NULL, NULL, NULL, NULL),
	('OR restricted yard', 'OR-T1', 'restricted', 'wgs84', NULL, 31.160, 121.410, 250, NULL,
	 tstzrange(NULL, '2026-11-01 00:00+08'), NULL),
	-- OR-T2: the same places mean other things in another tenant
	('OR2 office', 'OR-T2', 'office', 'wgs84', ST_MakeEnvelope(121.465, 31.226, 121.476, 31.234, 4326),
	 NULL, NULL, NULL, NULL, NULL, NULL),
	('OR2 client', 'OR-T2', 'client', 'gcj02', NULL, 31.300, 121.550, 400, NULL, NULL, NULL),
	('OR2 shop', 'OR-T2', 'client', 'wgs84', NULL, 31.260, 121.440, 350, 'OR2 shop hours', NULL, NULL),
	('OR2 rival', 'OR-T2', 'competitor', 'wgs84', NULL, 31.200, 121.400, 300, NULL, NULL, 'OR Rival A'),
	('OR2 restricted', 'OR-T2', 'restricted', 'bd09', NULL, 31.240, 121.480, 300, NULL, NULL, NULL);
INSERT INTO hrguard.zone (tenant_id, name, kind, geom, center, radius_m, source_crs, schedule_id, valid, organisation)
SELECT z.tenant, z.name, z.kind, z.raw_geom,
	   CASE WHEN z.raw_geom IS NULL THEN ST_SetSRID(ST_MakePoint(z.raw_lon, z.raw_lat), 4326) END,
	   z.radius, z.crs, s.schedule_id, z.valid, z.org
  FROM or_zone z LEFT JOIN hrguard.schedule s ON s.tenant_id = z.tenant AND s.name = z.skey
 ORDER BY z.name;

CREATE TEMP TABLE or_assign (name text, emp text, team text);
INSERT INTO or_assign VALUES
	('OR HQ', NULL, 'OR-A'), ('OR West', NULL, 'OR-B'), ('OR Urumqi office', NULL, 'OR-C'),
	('OR campus', NULL, NULL),		-- the whole tenant OR-T1
	('OR depot', NULL, 'OR-A'), ('OR depot', NULL, 'OR-B'),
	('OR client Gamma', NULL, 'OR-B'), ('OR client Delta', NULL, 'OR-A'), ('OR client Zeta', NULL, 'OR-C'),
	('OR client kiosk', NULL, 'OR-A'),
	('OR2 office', NULL, 'OR-D'), ('OR2 shop', NULL, 'OR-D');
INSERT INTO or_assign SELECT 'OR client Alpha', 'OR-B' || to_char(i, 'FM00'), NULL FROM generate_series(1, 5) i;
INSERT INTO or_assign SELECT 'OR client Beta', 'OR-A' || to_char(i, 'FM00'), NULL FROM generate_series(1, 6) i;
INSERT INTO or_assign SELECT 'OR client Epsilon', e, NULL
  FROM unnest(ARRAY['OR-A10', 'OR-A11', 'OR-A12', 'OR-A13', 'OR-A14', 'OR-C01', 'OR-C02', 'OR-C03']) e;
INSERT INTO or_assign SELECT 'OR2 client', 'OR-D' || to_char(i, 'FM00'), NULL FROM generate_series(1, 3) i;
INSERT INTO hrguard.zone_assignment (zone_id, employee_id, team)
SELECT z.zone_id, a.emp, a.team
  FROM or_assign a JOIN or_zone o USING (name) JOIN hrguard.zone z ON z.tenant_id = o.tenant AND z.name = o.name
 ORDER BY 1, 2, 3;

-- the oracle's zones: WGS-84 shapes made here from the shapes as entered
CREATE TEMP TABLE or_z AS
SELECT z.zone_id, o.name, o.tenant, o.kind, o.crs, o.raw_geom IS NULL AS is_circle,
	   CASE WHEN o.raw_geom IS NOT NULL THEN pg_temp.or_shape_wgs(o.raw_geom, o.crs) END AS g,
	   CASE WHEN o.raw_geom IS NULL THEN pg_temp.or_wgs_pt(o.raw_lat, o.raw_lon, o.crs) END AS c,
	   o.radius, o.skey, o.valid, o.org,
	   o.kind IN ('office', 'client', 'project') AS allowed_kind,
	   o.kind IN ('competitor', 'restricted') AS watched
  FROM or_zone o JOIN hrguard.zone z ON z.tenant_id = o.tenant AND z.name = o.name;
ALTER TABLE or_z ADD b geometry, ADD bbox geometry;
UPDATE or_z SET b = ST_Boundary(g), bbox = coalesce(g, c);
-- the boundary rings of each polygon zone, to place punches near them
CREATE TEMP TABLE or_zring AS
SELECT z.name, row_number() OVER (PARTITION BY z.name ORDER BY dp.path, dr.path) AS ring_no,
	   ST_ExteriorRing(dr.geom) AS ring
  FROM or_z z, ST_Dump(z.g) dp, ST_DumpRings(dp.geom) dr WHERE NOT z.is_circle;
-- allowed zones of each employee: assigned to the employee, the team, or
-- the whole tenant
CREATE TEMP TABLE or_allowed AS
SELECT DISTINCT e.emp, z.zone_id, z.name
  FROM or_emp e JOIN or_z z ON z.tenant = e.tenant AND z.allowed_kind
  JOIN or_assign a ON a.name = z.name
 WHERE a.emp = e.emp OR (a.team IS NOT NULL AND a.team = e.team) OR (a.emp IS NULL AND a.team IS NULL);

-- ---------------------------------------------------------------------
-- Punches: seeded random numbers drawn once, in a fixed order
-- ---------------------------------------------------------------------
SELECT setseed(0.2026);
CREATE TEMP TABLE or_rnd AS
SELECT i, ARRAY[random(), random(), random(), random(), random(), random(), random(), random(),
				random(), random(), random(), random(), random(), random(), random(), random()] AS r
  FROM generate_series(1, 20000) i;


-- the punches to insert: i is the row of or_rnd they are drawn from, pt
-- the intended WGS-84 position (given to hrguard as lat/lon or in a datum)
CREATE TEMP TABLE or_gen (
	gid serial PRIMARY KEY, i int, emp text, punched_at timestamptz, cat text,
	zname text, pt geometry, acc float8, mode text, late boolean NOT NULL DEFAULT false);

-- ordinary days: up to three punches a day, at times near windows' edges
-- (on them, a second either side, minutes off) or anywhere in the day;
-- deep inside or near the edge of an allowed zone, on a vertex, near any
-- zone of the tenant, inside a watched one, anywhere in town, none, (0, 0)
INSERT INTO or_gen (i, emp, punched_at, cat, zname, acc, mode)
SELECT s.i, s.emp,
	   (s.day + CASE WHEN s.r[2] < 0.45
					 THEN (ARRAY['07:30', '08:00', '08:30', '09:00', '09:30', '10:00', '11:00', '11:30', '12:00',
								 '12:30', '13:00', '14:00', '15:30', '16:00', '17:30', '18:00', '18:30', '20:00',
								 '20:30', '21:30', '22:00', '00:00', '00:30', '02:00', '06:00', '06:30']::interval[])
						  [1 + floor(s.r[3] * 26)::int]
						  + CASE WHEN s.r[4] < 0.3 THEN interval '0' WHEN s.r[4] < 0.4 THEN interval '-1 s'
								 WHEN s.r[4] < 0.5 THEN interval '1 s'
								 ELSE make_interval(secs => round((s.r[5] - 0.5) * 2400)) END
					 ELSE make_interval(secs => floor(s.r[3] * 86400)) END) AT TIME ZONE e.work_tz,
	   c.cat,
	   CASE WHEN c.cat IN ('deep', 'edge', 'vertex') THEN al.names[1 + floor(s.r[7] * array_length(al.names, 1))::int]
			WHEN c.cat = 'watched' THEN tw.names[1 + floor(s.r[7] * array_length(tw.names, 1))::int]
			WHEN c.cat = 'near_any' THEN ta.names[1 + floor(s.r[7] * array_length(ta.names, 1))::int] END,
	   CASE WHEN c.cat = 'vertex' THEN 0
			ELSE (ARRAY[NULL, 0, 0, 5, 10, 15, 20, 30, 40, 50, 65, 80, 100, 150, 200, 300, 500, 1500]::float8[])
				 [1 + floor(s.r[12] * 18)::int] END,
	   CASE WHEN s.r[13] < 0.35 THEN 'direct' WHEN s.r[13] < 0.5 THEN 'wgs84' WHEN s.r[13] < 0.8 THEN 'gcj02' ELSE 'bd09' END
  FROM (SELECT x.i, x.emp, x.day, r.r
		  FROM (SELECT row_number() OVER (ORDER BY e.emp, d, k) AS i, e.emp, d::date AS day
				  FROM or_emp e, generate_series(date '2026-09-01', '2026-11-30', '1 day') d, generate_series(1, 3) k
				 WHERE e.emp <> 'OR-P01') x
		  JOIN or_rnd r USING (i)
		 WHERE r.r[1] < 0.31) s
  JOIN or_emp e USING (emp)
  LEFT JOIN (SELECT emp, array_agg(name ORDER BY name) AS names FROM or_allowed GROUP BY emp) al USING (emp)
  JOIN (SELECT tenant, array_agg(name ORDER BY name) AS names FROM or_z GROUP BY tenant) ta ON ta.tenant = e.tenant
  JOIN (SELECT tenant, array_agg(name ORDER BY name) AS names FROM or_z WHERE watched GROUP BY tenant) tw ON tw.tenant = e.tenant
  CROSS JOIN LATERAL (SELECT CASE
		WHEN s.r[6] < 0.07 THEN 'none' WHEN s.r[6] < 0.085 THEN 'zero'
		WHEN s.r[6] >= 0.80 AND s.r[6] < 0.84 THEN 'near_any'
		WHEN s.r[6] >= 0.84 AND s.r[6] < 0.87 THEN 'watched'
		WHEN s.r[6] >= 0.87 THEN 'town'
		WHEN al.names IS NULL THEN 'near_any'
		WHEN s.r[6] < 0.40 THEN 'deep' WHEN s.r[6] < 0.76 THEN 'edge' ELSE 'vertex' END AS cat) c
 ORDER BY s.i;

-- competitor visits: some employees go, on about a third of the days, deep
-- inside their rivals' zones (zones of one organisation, zones alone, a
-- restricted one), mostly in their working hours, sometimes in the
-- evening, sometimes to two zones in one day; one works nights and goes
-- around midnight
CREATE TEMP TABLE or_moon (emp text, zones text[], night boolean);
INSERT INTO or_moon VALUES
	('OR-A03', ARRAY['OR rival A north', 'OR rival A south', 'OR rival A east'], false),
	('OR-A09', ARRAY['OR lone shop', 'OR pop-up'], false),
	('OR-A07', ARRAY['OR pop-up', 'OR rival B'], false),
	('OR-B02', ARRAY['OR rival A north', 'OR rival B'], false),
	('OR-B09', ARRAY['OR rival B', 'OR restricted yard'], false),
	('OR-C02', ARRAY['OR lone Urumqi'], false),
	('OR-D05', ARRAY['OR2 rival'], false),
	('OR-A04', ARRAY['OR lone shop', 'OR rival A north'], true);
INSERT INTO or_gen (i, emp, punched_at, cat, zname, acc, mode)
SELECT s.i + v.k * 1000, s.emp,
	   (s.day + CASE WHEN m.night THEN interval '23:00' + make_interval(secs => floor(s.r[3] * 9000))
					 WHEN s.r[2] < 0.8 THEN interval '10:00' + make_interval(secs => floor(s.r[3] * 6000))
					 ELSE interval '19:00' + make_interval(secs => floor(s.r[3] * 3000)) END
		+ v.k * interval '70 minutes') AT TIME ZONE e.work_tz,
	   'visit', m.zones[1 + (floor(s.r[4] * array_length(m.zones, 1))::int + v.k) % array_length(m.zones, 1)],
	   5 + floor(s.r[12] * 25),
	   CASE WHEN s.r[13] < 0.35 THEN 'direct' WHEN s.r[13] < 0.5 THEN 'wgs84' WHEN s.r[13] < 0.8 THEN 'gcj02' ELSE 'bd09' END
  FROM (SELECT x.i, x.emp, x.day, r.r
		  FROM (SELECT 14000 + row_number() OVER (ORDER BY m.emp, d) AS i, m.emp, d::date AS day
				  FROM or_moon m, generate_series(date '2026-09-01', '2026-11-30', '1 day') d) x
		  JOIN or_rnd r USING (i)) s
  JOIN or_moon m USING (emp) JOIN or_emp e USING (emp)
  CROSS JOIN LATERAL (SELECT 0 AS k UNION ALL SELECT 1 WHERE s.r[11] < 0.25) v
 WHERE s.r[1] < 0.38
 ORDER BY 1;

-- bursts: a punch in town, then one to four more minutes apart, jumping
-- to another city, a few kilometres, back, or without a position
CREATE TEMP TABLE or_city (n int, lat float8, lon float8);
INSERT INTO or_city VALUES (1, 39.9042, 116.4074), (2, 30.2741, 120.1551), (3, 31.2990, 120.5853),
	(4, 32.0603, 118.7969), (5, 43.8256, 87.6168), (6, 31.2304, 121.4737);
CREATE TEMP TABLE or_burst AS
SELECT 16000 + row_number() OVER (ORDER BY e.emp, d) AS i, e.emp, d::date AS day, e.work_tz, e.team
  FROM or_emp e, generate_series(date '2026-09-01', '2026-11-30', '1 day') d
 WHERE e.emp IN ('OR-A05', 'OR-A11', 'OR-B08', 'OR-B12', 'OR-C06', 'OR-D03', 'OR-D07');
INSERT INTO or_gen (i, emp, punched_at, cat, pt, acc, mode)
SELECT b.i, b.emp, b.t0 + j.gap, 'burst',
	   CASE WHEN j.j = 0 OR j.kind >= 0.75 THEN b.base
			WHEN j.kind < 0.3 THEN (SELECT ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) FROM or_city c
									 WHERE c.n = 1 + floor(j.param * 6)::int)
			WHEN j.kind < 0.6 THEN ST_Project(b.base::geography, 1000 + j.param * 5000, j.param * 7)::geometry
			END,
	   10 + floor(b.r[16] * 40), CASE WHEN b.r[16] < 0.5 THEN 'direct' ELSE 'gcj02' END
  FROM (SELECT bu.i, bu.emp, r.r,
			   (bu.day + interval '13:00' + make_interval(secs => floor(r.r[2] * 10800))) AT TIME ZONE bu.work_tz AS t0,
			   CASE WHEN bu.team = 'OR-C' THEN ST_SetSRID(ST_MakePoint(87.50 + r.r[9] * 0.20, 43.72 + r.r[10] * 0.16), 4326)
					ELSE ST_SetSRID(ST_MakePoint(121.30 + r.r[9] * 0.35, 31.10 + r.r[10] * 0.25), 4326) END AS base
		  FROM or_burst bu JOIN or_rnd r USING (i) WHERE r.r[1] < 0.15) b
  CROSS JOIN LATERAL (
		SELECT j, CASE WHEN j = 0 THEN NULL ELSE b.r[7 + j] END AS kind, CASE WHEN j = 0 THEN NULL ELSE b.r[11 + j] END AS param,
			   (SELECT coalesce(sum(make_interval(mins => 2 + floor(b.r[3 + k] * 45)::int)), interval '0')
				  FROM generate_series(1, j) k) AS gap
		  FROM generate_series(0, 1 + floor(b.r[3] * 4)::int) j) j
 ORDER BY b.i, j.j;

-- two punches of one employee at the same instant, 3 km or 800 m apart
INSERT INTO or_gen (i, emp, punched_at, cat, pt, acc, mode)
SELECT 0, e, t, 'pair', ST_Project(ST_SetSRID(ST_MakePoint(121.43, 31.19), 4326)::geography, d * k, 1.0)::geometry, 20, 'direct'
  FROM (VALUES ('OR-A02', '2026-10-20 15:00:00+08'::timestamptz, 3000), ('OR-A08', '2026-10-21 15:00:00+08', 800),
			   ('OR-B05', '2026-10-22 15:00:00+08', 3000), ('OR-B11', '2026-10-23 15:00:00+08', 800),
			   ('OR-C07', '2026-10-26 15:00:00+08', 3000), ('OR-D01', '2026-10-27 15:00:00+08', 3000)) v(e, t, d),
	   generate_series(0, 1) k
 ORDER BY e, k;

-- OR-P01 visits Rival A on chosen days (default schedule, Shanghai): a
-- pattern; one that starts exactly W days after the episode's last day
-- (grows it); one after the holidays with a make-up Saturday; days 7
-- apart that are not in one window, then one that completes a later
-- window; a second zone the same day; a zone not yet in force; a
-- holiday; the grace period's ends; and a day that arrives late and
-- completes a pattern by itself
INSERT INTO or_gen (i, emp, punched_at, cat, zname, pt, acc, mode, late)
SELECT 0, 'OR-P01', v.t, 'script', v.z, coalesce(ST_PointOnSurface(z.g), z.c), 10, v.m, v.late
  FROM (VALUES ('2026-09-01 10:00+08'::timestamptz, 'OR rival A north', 'direct', false),
			   ('2026-09-03 10:00+08', 'OR rival A south', 'gcj02', false),
			   ('2026-09-03 15:00+08', 'OR rival A north', 'bd09', false),
			   ('2026-09-07 08:30:00+08', 'OR rival A north', 'direct', false),
			   ('2026-09-14 18:29:59+08', 'OR rival A south', 'direct', false),
			   ('2026-09-15 18:30:00+08', 'OR rival A north', 'direct', false),
			   ('2026-09-16 10:00+08', 'OR rival A north', 'gcj02', false),
			   ('2026-09-18 10:00+08', 'OR rival A south', 'direct', false),
			   ('2026-09-25 10:00+08', 'OR rival A north', 'direct', false),
			   ('2026-10-08 10:00+08', 'OR rival A east', 'bd09', false),
			   ('2026-10-08 15:00+08', 'OR rival A north', 'direct', false),
			   ('2026-10-09 10:00+08', 'OR rival A north', 'direct', false),
			   ('2026-10-10 10:00+08', 'OR rival A east', 'bd09', false),
			   ('2026-10-19 10:00+08', 'OR rival A north', 'direct', false),
			   ('2026-10-26 10:00+08', 'OR rival A north', 'direct', false),
			   ('2026-10-22 10:00+08', 'OR rival A south', 'direct', false),
			   ('2026-10-27 10:00+08', 'OR rival A north', 'direct', false),
			   ('2026-11-16 10:00+08', 'OR rival A north', 'direct', false),
			   ('2026-11-20 10:00+08', 'OR rival A north', 'direct', false),
			   ('2026-11-18 10:00+08', 'OR rival A north', 'direct', true)) v(t, z, m, late)
  JOIN or_z z ON z.name = v.z
 ORDER BY v.t;

-- chosen instants at the edges of working hours and opening hours (no
-- position: working hours only; at a zone's centre: its opening hours):
-- a night window into a holiday and out of one, a Sunday make-up day for a
-- night shift, 24:00 and 00:00 ends plus grace, a make-up day like
-- Wednesday or Friday for a weekend schedule and one on its own weekday,
-- a Saturday holiday, Urumqi grace, the second tenant's calendar; a zone
-- open 14:00-16:00 Urumqi time, one open 20:00-02:00 Shanghai time (the
-- default zone) in Urumqi, under holidays and make-up days
INSERT INTO or_gen (i, emp, punched_at, cat, zname, pt, acc, mode)
SELECT 0, v.e, v.t, 'edge_time', v.z, z.c, 10, 'direct'
  FROM (VALUES
		('OR-B05', '2026-10-01 02:00:00+08'::timestamptz, NULL), ('OR-B05', '2026-10-01 23:00:00+08', NULL),
		('OR-B05', '2026-10-08 02:00:00+08', NULL), ('OR-B05', '2026-09-28 03:00:00+08', NULL),
		('OR-B05', '2026-09-27 21:30:00+08', NULL), ('OR-B05', '2026-09-26 21:30:00+08', NULL),
		('OR-A12', '2026-11-04 00:29:59+08', NULL), ('OR-A12', '2026-11-04 00:30:00+08', NULL),
		('OR-B13', '2026-11-12 00:29:59+08', NULL), ('OR-B13', '2026-11-12 00:30:00+08', NULL),
		('OR-B13', '2026-11-14 10:30:00+08', NULL), ('OR-B13', '2026-11-14 11:30:00+08', NULL),
		('OR-B13', '2026-10-10 15:00:00+08', NULL), ('OR-B13', '2026-09-27 15:00:00+08', NULL),
		('OR-A02', '2026-09-27 08:30:00+08', NULL), ('OR-A02', '2026-09-27 08:29:59+08', NULL),
		('OR-A10', '2026-10-24 10:00:00+08', NULL), ('OR-A10', '2026-10-17 10:00:00+08', NULL),
		('OR-A10', '2026-10-17 12:15:00+08', NULL), ('OR-A10', '2026-10-17 18:00:00+08', NULL),
		('OR-C01', '2026-11-03 10:30:00+08', NULL), ('OR-C01', '2026-11-03 10:29:59+08', NULL),
		('OR-C01', '2026-11-03 20:29:59+08', NULL), ('OR-C01', '2026-11-03 20:30:00+08', NULL),
		('OR-D02', '2026-11-11 10:00:00+08', NULL), ('OR-D02', '2026-11-07 10:00:00+08', NULL),
		('OR-D01', '2026-11-07 08:00:00+08', NULL), ('OR-D01', '2026-11-07 07:59:59+08', NULL),
		('OR-A01', '2026-11-03 16:00:00+08', 'OR client Delta'), ('OR-A01', '2026-11-03 15:59:59+08', 'OR client Delta'),
		('OR-A01', '2026-11-03 18:00:00+08', 'OR client Delta'), ('OR-A01', '2026-11-03 17:59:59+08', 'OR client Delta'),
		('OR-A01', '2026-10-02 17:00:00+08', 'OR client Delta'), ('OR-A01', '2026-11-14 17:00:00+08', 'OR client Delta'),
		('OR-A01', '2026-10-24 17:00:00+08', 'OR client Delta'), ('OR-A01', '2026-10-17 17:00:00+08', 'OR client Delta'),
		('OR-C03', '2026-11-05 01:59:59+08', 'OR client Zeta'), ('OR-C03', '2026-11-05 02:00:00+08', 'OR client Zeta'),
		('OR-C03', '2026-11-05 19:59:59+08', 'OR client Zeta'), ('OR-C03', '2026-11-05 20:00:00+08', 'OR client Zeta'),
		('OR-C03', '2026-10-03 21:00:00+08', 'OR client Zeta'), ('OR-C03', '2026-10-04 01:00:00+08', 'OR client Zeta'),
		('OR-C03', '2026-10-08 01:00:00+08', 'OR client Zeta'), ('OR-C03', '2026-10-08 20:30:00+08', 'OR client Zeta'))
	   v(e, t, z)
  LEFT JOIN or_z z ON z.name = v.z
 ORDER BY v.e, v.t;

-- punches that arrive late: inserted last, with times weeks back
INSERT INTO or_gen (i, emp, punched_at, cat, pt, acc, mode, late)
SELECT x.i, e.emp,
	   (date '2026-09-05' + floor(r.r[2] * 80)::int + interval '09:00' + make_interval(secs => floor(r.r[3] * 32400))) AT TIME ZONE e.work_tz,
	   'late',
	   CASE WHEN e.team = 'OR-C' THEN ST_SetSRID(ST_MakePoint(87.50 + r.r[8] * 0.20, 43.72 + r.r[9] * 0.16), 4326)
			ELSE ST_SetSRID(ST_MakePoint(121.30 + r.r[8] * 0.35, 31.10 + r.r[9] * 0.25), 4326) END,
	   20, CASE WHEN r.r[13] < 0.5 THEN 'direct' ELSE 'bd09' END, true
  FROM generate_series(17001, 17040) x(i) JOIN or_rnd r USING (i)
  JOIN (SELECT emp, team, work_tz, row_number() OVER (ORDER BY emp) AS n FROM or_emp) e ON e.n = 1 + floor(r.r[1] * 46)
 ORDER BY x.i;

-- positions of the punches placed relative to a zone
UPDATE or_gen g SET pt = (
	SELECT CASE
		WHEN g.cat = 'zero' THEN ST_SetSRID(ST_MakePoint(0, 0), 4326)
		WHEN g.cat = 'town' AND e.team = 'OR-C' THEN ST_SetSRID(ST_MakePoint(87.50 + s.r[8] * 0.20, 43.72 + s.r[9] * 0.16), 4326)
		WHEN g.cat = 'town' THEN ST_SetSRID(ST_MakePoint(121.30 + s.r[8] * 0.35, 31.10 + s.r[9] * 0.25), 4326)
		WHEN g.cat IN ('deep', 'watched', 'visit') AND z.is_circle THEN
			ST_Project(z.c::geography, s.r[8] * 0.6 * z.radius, s.r[10] * 2 * pi())::geometry
		WHEN g.cat IN ('deep', 'watched', 'visit') THEN
			ST_Project(ST_PointOnSurface(z.g)::geography, s.r[8] * 30, s.r[10] * 2 * pi())::geometry
		WHEN g.cat = 'vertex' AND z.is_circle THEN
			ST_Project(z.c::geography, z.radius, s.r[10] * 2 * pi())::geometry
		WHEN g.cat = 'vertex' THEN
			(SELECT ST_PointN(zr.ring, 1 + floor(s.r[8] * (ST_NPoints(zr.ring) - 1))::int) FROM or_zring zr
			  WHERE zr.name = z.name ORDER BY zr.ring_no
			 OFFSET floor(s.r[9] * (SELECT count(*) FROM or_zring x WHERE x.name = z.name)) LIMIT 1)
		WHEN z.is_circle THEN	-- near the edge, either side
			ST_Project(ST_Project(z.c::geography, z.radius, s.r[9] * 2 * pi()), s.r[11] ^ 2 * 300, s.r[10] * 2 * pi())::geometry
		ELSE
			(SELECT ST_Project(ST_LineInterpolatePoint(zr.ring, s.r[8])::geography, s.r[11] ^ 2 * 300, s.r[10] * 2 * pi())::geometry
			   FROM or_zring zr WHERE zr.name = z.name ORDER BY zr.ring_no
			 OFFSET floor(s.r[9] * (SELECT count(*) FROM or_zring x WHERE x.name = z.name)) LIMIT 1) END
	  FROM or_rnd s JOIN or_emp e ON e.emp = g.emp LEFT JOIN or_z z ON z.name = g.zname
	 WHERE s.i = g.i)
 WHERE g.cat IN ('zero', 'town', 'deep', 'watched', 'visit', 'vertex', 'edge', 'near_any');

-- within 2026-09..2026-11, one punch per employee and instant (but the pairs)
DELETE FROM or_gen WHERE punched_at < '2026-09-01 00:00+08' OR punched_at >= '2026-12-01 00:00+08';
DELETE FROM or_gen a USING or_gen b
 WHERE a.emp = b.emp AND a.punched_at = b.punched_at AND a.gid > b.gid AND NOT (a.cat = 'pair' AND b.cat = 'pair');

-- as the punch is given to hrguard: WGS-84 lat/lon, or raw in a datum
ALTER TABLE or_gen ADD in_lat float8, ADD in_lon float8, ADD raw_lat float8, ADD raw_lon float8, ADD raw_crs text;
-- "(0, 0)": given as such, lat/lon or raw in WGS-84 or GCJ-02 (where both
-- are (0, 0) in WGS-84).  excluded: raw (0, 0) in BD-09, which is not
-- (0, 0) in WGS-84, and raw BD-09 coordinates that are (0, 0) in WGS-84
-- (the README does not say whether "at (0, 0)" is read before or after the
-- datum conversion); such punches are not generated.
UPDATE or_gen SET mode = 'gcj02' WHERE cat = 'zero' AND mode = 'bd09';
UPDATE or_gen SET in_lat = ST_Y(pt), in_lon = ST_X(pt) WHERE pt IS NOT NULL AND mode = 'direct';
UPDATE or_gen SET raw_lat = ST_Y(pt), raw_lon = ST_X(pt), raw_crs = 'wgs84' WHERE pt IS NOT NULL AND mode = 'wgs84';
UPDATE or_gen g SET (raw_lat, raw_lon, raw_crs) = (SELECT c.lat, c.lon, 'gcj02' FROM hrguard.wgs84_to_gcj02(ST_Y(g.pt), ST_X(g.pt)) c)
 WHERE pt IS NOT NULL AND mode = 'gcj02';
UPDATE or_gen g SET (raw_lat, raw_lon, raw_crs) = (SELECT b.lat, b.lon, 'bd09' FROM hrguard.wgs84_to_gcj02(ST_Y(g.pt), ST_X(g.pt)) c,
													  hrguard.gcj02_to_bd09(c.lat, c.lon) b)
 WHERE pt IS NOT NULL AND mode = 'bd09';

-- into hrguard: one statement per Shanghai day, rows by employee and
-- time; the late punches in a last statement
ALTER TABLE or_gen ADD batch text;
UPDATE or_gen SET batch = CASE WHEN late THEN 'late' ELSE to_char(punched_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') END;
DO $$
DECLARE
	b text;
BEGIN
	FOR b IN SELECT DISTINCT batch FROM or_gen ORDER BY 1 LOOP
		INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, raw_lat, raw_lon, raw_crs, accuracy_m,
								   source, source_record_id, device_id)
		SELECT emp, punched_at, in_lat, in_lon, raw_lat, raw_lon, raw_crs, acc, 'or-oracle', 'OR-' || gid, 'OR-dev-' || emp
		  FROM or_gen WHERE batch = b ORDER BY emp, punched_at, gid;
	END LOOP;
END $$;

-- ---------------------------------------------------------------------
-- The oracle, from the README
-- ---------------------------------------------------------------------
-- each stored punch, its position in WGS-84 (hrguard.to_wgs84 of what was
-- given), its accuracy (hrguard.default_accuracy_m when none)
CREATE TEMP TABLE or_p AS
SELECT p.punch_id, g.gid, g.emp, e.tenant, e.team, e.work_tz, p.punched_at, g.cat, g.late,
	   w.lat, w.lon, coalesce(g.acc, (SELECT default_acc FROM or_param)) AS acc
  FROM or_gen g
  JOIN hrguard.punch p ON p.source = 'or-oracle' AND p.source_record_id = 'OR-' || g.gid
  JOIN or_emp e ON e.emp = g.emp
  LEFT JOIN LATERAL (SELECT g.in_lat AS lat, g.in_lon AS lon WHERE g.in_lat IS NOT NULL
					 UNION ALL
					 SELECT t.lat, t.lon FROM hrguard.to_wgs84(g.raw_lat, g.raw_lon, g.raw_crs) t
					  WHERE g.raw_lat IS NOT NULL) w ON true;
-- a punch without coordinates, or at (0, 0), has no position
ALTER TABLE or_p ADD has_pos boolean, ADD pt geometry;
UPDATE or_p SET has_pos = lat IS NOT NULL AND NOT (lat = 0 AND lon = 0);
UPDATE or_p SET pt = ST_SetSRID(ST_MakePoint(lon, lat), 4326) WHERE has_pos;
CREATE INDEX ON or_p (emp, punched_at);
ANALYZE or_p;

-- which weekday's windows a schedule has on a date of a tenant: none on a
-- holiday; on a make-up working day those of works_like, or of its own
-- weekday if the schedule has windows then, or of Monday
CREATE FUNCTION pg_temp.or_day_dow(tenant text, skey text, day date) RETURNS int LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN c.is_workday IS NULL THEN extract(isodow FROM $3)::int
				WHEN NOT c.is_workday THEN NULL
				WHEN c.works_like IS NOT NULL THEN c.works_like
				WHEN EXISTS (SELECT 1 FROM or_win w WHERE w.skey = $2 AND w.isodow = extract(isodow FROM $3))
				THEN extract(isodow FROM $3)::int
				ELSE 1 END
	  FROM (SELECT 1) one LEFT JOIN or_cal c ON c.tenant = $1 AND c.day = $3
$$;
-- every window of every local date, as an interval of time: a window
-- whose end is not after its start ends the next day, 24:00 at midnight;
-- a window belongs to the date it starts on (a night window from the eve
-- of a holiday runs into it; the holiday's own is dropped)
CREATE TEMP TABLE or_days AS SELECT d::date AS day FROM generate_series(date '2026-08-29', '2026-12-02', '1 day') d;
-- working hours: the employee's schedule (or the default) in the time zone
-- they are read in, widened by the grace period on both sides
CREATE TEMP TABLE or_work AS
SELECT e.emp, tstzrange(((d.day + w.s) AT TIME ZONE e.work_tz) - p.grace,
						((CASE WHEN w.e > w.s THEN d.day ELSE d.day + 1 END + w.e) AT TIME ZONE e.work_tz) + p.grace,
						'[)') AS r
  FROM or_emp e CROSS JOIN or_days d CROSS JOIN or_param p
  JOIN or_win w ON w.skey = coalesce(e.skey, '*default*')
			   AND w.isodow = pg_temp.or_day_dow(e.tenant, coalesce(e.skey, '*default*'), d.day);
CREATE INDEX ON or_work (emp);
ANALYZE or_work;
ALTER TABLE or_p ADD off_hours boolean;
UPDATE or_p p SET off_hours = NOT EXISTS (SELECT 1 FROM or_work w WHERE w.emp = p.emp AND w.r @> p.punched_at);

-- zones' opening hours: [start, end) in the schedule's time zone or
-- hrguard.default_timezone, no grace, under the zone's tenant calendar
CREATE TEMP TABLE or_zopen AS
SELECT z.zone_id, tstzrange((d.day + w.s) AT TIME ZONE t.tz,
							(CASE WHEN w.e > w.s THEN d.day ELSE d.day + 1 END + w.e) AT TIME ZONE t.tz, '[)') AS r
  FROM or_z z JOIN or_sched s ON s.skey = z.skey
  CROSS JOIN LATERAL (SELECT coalesce(s.tz, p.default_tz) AS tz FROM or_param p) t
  CROSS JOIN or_days d
  JOIN or_win w ON w.skey = z.skey AND w.isodow = pg_temp.or_day_dow(z.tenant, z.skey, d.day);
CREATE INDEX ON or_zopen (zone_id);
ANALYZE or_zopen;

-- the edges of each polygon zone, one segment each: the distance to a
-- polygon's edge is the least distance on the spheroid to one of its
-- segments (PostGIS's distance to a whole ring on geography picks the
-- segment on the sphere, which can be a nearly as near one, up to 0.5 %
-- off)
CREATE TEMP TABLE or_zseg AS
SELECT z.zone_id, d.geom::geography AS seg FROM or_z z, ST_DumpSegments(z.b) d WHERE NOT z.is_circle;
CREATE INDEX ON or_zseg (zone_id);
ANALYZE or_zseg;

-- each punch with a position against each zone of its tenant within
-- 0.08 degrees (farther is more than 5 km and more than any accuracy):
-- in force (validity range and schedule), allowed for this employee or
-- watched, covered (ST_Covers; for a circle ST_DWithin on the spheroid)
-- and the distance to the edge on the spheroid (ST_Distance on geography)
CREATE TEMP TABLE or_pz AS
SELECT p.punch_id, z.zone_id, z.kind, z.is_circle, z.watched, z.radius, p.acc,
	   z.allowed_kind AND EXISTS (SELECT 1 FROM or_allowed a WHERE a.emp = p.emp AND a.zone_id = z.zone_id) AS allowed,
	   (z.valid IS NULL OR z.valid @> p.punched_at)
	   AND (z.skey IS NULL OR EXISTS (SELECT 1 FROM or_zopen o WHERE o.zone_id = z.zone_id AND o.r @> p.punched_at)) AS in_force,
	   CASE WHEN z.is_circle THEN ST_DWithin(z.c::geography, p.pt::geography, z.radius) ELSE ST_Covers(z.g, p.pt) END AS covers,
	   CASE WHEN z.is_circle THEN abs(ST_Distance(z.c::geography, p.pt::geography) - z.radius)
			ELSE (SELECT min(ST_Distance(s.seg, p.pt::geography)) FROM or_zseg s WHERE s.zone_id = z.zone_id) END AS edge_m
  FROM or_p p JOIN or_z z ON z.tenant = p.tenant AND ST_DWithin(z.bbox, p.pt, 0.08)
 WHERE p.has_pos;
-- inside: covered and at least the accuracy from the edge; outside: not
-- covered and at least the accuracy from it; else uncertain.  A distance
-- within 0.15 % + 2 cm of the accuracy could fall either way (hrguard
-- measures polygon edges on a local plane, within about 0.1 %): such a
-- pair is "near_in" (inside or uncertain) or "near_out" (outside or
-- uncertain).  With accuracy 0 ST_Covers decides exactly (polygons) and a
-- circle's edge is within 1 mm.
ALTER TABLE or_pz ADD state text, ADD near_in boolean, ADD near_out boolean;
UPDATE or_pz SET state = CASE WHEN covers AND edge_m >= acc THEN 'inside'
							  WHEN NOT covers AND edge_m >= acc THEN 'outside' ELSE 'uncertain' END,
	   near_in = covers AND acc > 0 AND abs(edge_m - acc) <= 0.02 + 0.0015 * acc,
	   near_out = NOT covers AND acc > 0 AND abs(edge_m - acc) <= 0.02 + 0.0015 * acc;
UPDATE or_pz SET near_in = true, near_out = true WHERE acc = 0 AND is_circle AND edge_m <= 0.001;
CREATE INDEX ON or_pz (punch_id);
ANALYZE or_pz;

-- per punch: verdict against the allowed zones in force (none in force, or
-- none at all: outside); zone_id; watched zone; competitor_zone
CREATE TEMP TABLE or_o AS
SELECT p.punch_id, p.gid, p.emp, p.punched_at, p.has_pos, p.off_hours, p.tenant,
	   EXISTS (SELECT 1 FROM or_allowed a WHERE a.emp = p.emp) AS has_allowed,
	   CASE WHEN NOT p.has_pos THEN NULL
			WHEN EXISTS (SELECT 1 FROM or_pz x WHERE x.punch_id = p.punch_id AND x.allowed AND x.in_force AND x.state = 'inside')
			THEN 'inside'
			WHEN NOT EXISTS (SELECT 1 FROM or_pz x WHERE x.punch_id = p.punch_id AND x.allowed AND x.in_force AND x.state <> 'outside')
			THEN 'outside'
			ELSE 'uncertain' END AS verdict,
	   EXISTS (SELECT 1 FROM or_pz x WHERE x.punch_id = p.punch_id AND x.allowed AND x.in_force AND (x.near_in OR x.near_out))
		 AS verdict_near,
	   (SELECT array_agg(x.zone_id ORDER BY x.zone_id) FROM or_pz x
		 WHERE x.punch_id = p.punch_id AND x.allowed AND x.in_force AND x.covers) AS covering,
	   (SELECT array_agg(x.edge_m ORDER BY x.edge_m) FROM or_pz x
		 WHERE x.punch_id = p.punch_id AND x.allowed AND x.in_force AND NOT x.covers AND x.edge_m <= 5100) AS near_dist,
	   (SELECT x.zone_id FROM or_pz x
		 WHERE x.punch_id = p.punch_id AND x.allowed AND x.in_force AND NOT x.covers ORDER BY x.edge_m LIMIT 1) AS nearest,
	   (SELECT array_agg(x.zone_id ORDER BY x.zone_id) FROM or_pz x
		 WHERE x.punch_id = p.punch_id AND x.watched AND x.in_force AND x.state <> 'outside') AS watched_cands,
	   EXISTS (SELECT 1 FROM or_pz x WHERE x.punch_id = p.punch_id AND x.watched AND x.in_force AND x.near_out) AS watched_near,
	   (SELECT array_agg(x.kind ORDER BY x.zone_id) FROM or_pz x
		 WHERE x.punch_id = p.punch_id AND x.watched AND x.in_force AND x.state = 'inside') AS watched_inside,
	   EXISTS (SELECT 1 FROM or_pz x WHERE x.punch_id = p.punch_id AND x.watched AND x.in_force AND x.near_in) AS competitor_near
  FROM or_p p;

-- zone_id: the allowed zone (in force) the punch is in, or the nearest
-- one within 5 km.  excluded: a punch covered by two allowed zones (the
-- README does not say which is "the" zone), a nearest zone not nearer
-- than the second by the tolerance, or about 5 km away.
ALTER TABLE or_o ADD zone_id bigint, ADD zone_open boolean;
UPDATE or_o SET
	zone_id = CASE WHEN NOT has_pos THEN NULL
				   WHEN cardinality(covering) = 1 THEN covering[1]
				   WHEN covering IS NULL AND near_dist[1] <= 5000 THEN nearest END,
	zone_open = has_pos AND (coalesce(cardinality(covering), 0) > 1
							 OR (covering IS NULL AND near_dist IS NOT NULL
								 AND (abs(near_dist[1] - 5000) <= 0.02 + 0.0015 * 5000
									  OR coalesce(near_dist[2] - near_dist[1] <= 0.02 + 0.0015 * near_dist[2], false))));
-- watched_zone_id: the watched zone in force it is in or possibly in.
-- excluded: two such zones (the README does not say which), or a
-- distance at the tolerance of the accuracy.
ALTER TABLE or_o ADD watched_zone_id bigint, ADD watched_open boolean;
UPDATE or_o SET watched_zone_id = CASE WHEN cardinality(watched_cands) = 1 THEN watched_cands[1] END,
				watched_open = coalesce(cardinality(watched_cands), 0) > 1 OR watched_near;

-- impossible travel: from the latest earlier punch with a position (stored
-- before this one, at or before its time, within the lookback), more than
-- max_speed_kmh over more than min_travel_m (the same instant: any speed).
-- excluded: two such latest punches at the same instant (which one is
-- "the latest" is open), or a distance or speed at the thresholds.
CREATE TEMP TABLE or_t AS
SELECT p.punch_id, q.gid AS prev_gid, q.n_latest,
	   ST_Distance(q.pt::geography, p.pt::geography) AS dist_m,
	   extract(epoch FROM p.punched_at - q.punched_at) AS dt_s
  FROM or_p p CROSS JOIN or_param pa
  JOIN LATERAL (SELECT q.gid, q.pt, q.punched_at,
					   (SELECT count(*) FROM or_p q2 WHERE q2.emp = p.emp AND q2.has_pos AND q2.punch_id < p.punch_id
						   AND q2.punched_at = q.punched_at) AS n_latest
				  FROM or_p q
				 WHERE q.emp = p.emp AND q.has_pos AND q.punch_id < p.punch_id AND q.punched_at <= p.punched_at
				   AND q.punched_at >= p.punched_at - make_interval(days => pa.lookback_days)
				 ORDER BY q.punched_at DESC, q.punch_id DESC LIMIT 1) q ON true
 WHERE p.has_pos;
ALTER TABLE or_o ADD travel boolean, ADD travel_open boolean;
UPDATE or_o o SET
	travel = coalesce(t.dist_m > pa.min_travel AND (t.dt_s = 0 OR t.dist_m / 1000 / (t.dt_s / 3600) > pa.max_kmh), false),
	travel_open = coalesce(t.n_latest > 1 OR abs(t.dist_m - pa.min_travel) <= 0.5
						   OR (t.dt_s > 0 AND abs(t.dist_m / 1000 / (t.dt_s / 3600) - pa.max_kmh) <= 0.1), false)
  FROM or_o o2 LEFT JOIN or_t t USING (punch_id) CROSS JOIN or_param pa
 WHERE o2.punch_id = o.punch_id;

-- the alerts a punch raises (competitor_pattern and spoof_suspected are
-- left out here: the pattern is checked below, spoofing is not in scope)
-- outside_zone: verdict outside in working hours, for an employee who has
-- allowed zones; competitor_zone: certainly inside a watched zone in force
-- (severity watch for a competitor outside working hours); off_hours;
-- impossible_travel
ALTER TABLE or_o ADD kinds text[], ADD kinds_open text[], ADD alerts text[], ADD alerts_open boolean;
UPDATE or_o SET
	kinds = array_remove(ARRAY[
		CASE WHEN watched_inside IS NOT NULL THEN 'competitor_zone' END,
		CASE WHEN travel THEN 'impossible_travel' END,
		CASE WHEN off_hours THEN 'off_hours' END,
		CASE WHEN verdict = 'outside' AND NOT off_hours AND has_allowed THEN 'outside_zone' END], NULL),
	kinds_open = array_remove(ARRAY[
		CASE WHEN competitor_near THEN 'competitor_zone' END,
		CASE WHEN travel_open THEN 'impossible_travel' END,
		CASE WHEN verdict_near THEN 'outside_zone' END], NULL);
UPDATE or_o SET
	alerts = array_remove(ARRAY[
		CASE WHEN watched_inside IS NOT NULL
			 THEN 'competitor_zone/' || CASE WHEN watched_inside[1] = 'competitor' AND off_hours THEN 'watch' ELSE 'alert' END END,
		CASE WHEN travel THEN 'impossible_travel/alert' END,
		CASE WHEN off_hours THEN 'off_hours/watch' END,
		CASE WHEN verdict = 'outside' AND NOT off_hours AND has_allowed THEN 'outside_zone/alert' END], NULL),
	-- excluded too: the severity of a punch certainly inside two watched zones
	alerts_open = cardinality(kinds_open) > 0 OR coalesce(cardinality(watched_inside), 0) > 1;

-- the competitor pattern, exactly as the README states it: days marked
-- per rival (the organisation, else the zone alone) by punches certainly
-- inside a competitor zone in force during working hours, in the order
-- the punches were stored; the local day where the working hours are read
CREATE TEMP TABLE or_mark_src AS
SELECT p.punch_id, p.gid, p.emp, z.zone_id, z.org,
	   CASE WHEN z.org IS NOT NULL THEN 'org:' || z.org ELSE 'zone:' || z.zone_id END AS rival,
	   (p.punched_at AT TIME ZONE p.work_tz)::date AS day
  FROM or_p p JOIN or_pz x USING (punch_id) JOIN or_z z USING (zone_id)
 WHERE z.kind = 'competitor' AND x.in_force AND x.state = 'inside' AND NOT p.off_hours;
-- excluded: an employee and rival with a punch at the tolerance of being
-- certainly inside one of its zones in working hours
CREATE TEMP TABLE or_rival_open AS
SELECT DISTINCT p.emp, CASE WHEN z.org IS NOT NULL THEN 'org:' || z.org ELSE 'zone:' || z.zone_id END AS rival
  FROM or_p p JOIN or_pz x USING (punch_id) JOIN or_z z USING (zone_id)
 WHERE z.kind = 'competitor' AND x.in_force AND x.near_in AND NOT p.off_hours;
CREATE TEMP TABLE or_mark (emp text, rival text, day date, PRIMARY KEY (emp, rival, day));
CREATE TEMP TABLE or_episode (eid serial, emp text, rival text, first_day date, last_day date, punch_id bigint);
CREATE TEMP TABLE or_pattern (emp text, rival text, org text, punch_id bigint, gid int, days date[]);
DO $$
DECLARE
	m record;
	w int;
	n int;
	s date;
	l date;
	e int;
BEGIN
	SELECT pat_window, pat_days INTO w, n FROM or_param;
	FOR m IN SELECT DISTINCT punch_id, gid, emp, rival, org, day FROM or_mark_src ORDER BY punch_id, rival LOOP
		-- a day the rival already had adds nothing
		CONTINUE WHEN EXISTS (SELECT 1 FROM or_mark k WHERE k.emp = m.emp AND k.rival = m.rival AND k.day = m.day);
		INSERT INTO or_mark VALUES (m.emp, m.rival, m.day);
		-- the earliest window [s, s + W), s a marked day, s <= day < s + W,
		-- that holds at least N marked days
		SELECT k.day INTO s FROM or_mark k
		 WHERE k.emp = m.emp AND k.rival = m.rival AND k.day <= m.day AND m.day < k.day + w
		   AND (SELECT count(*) FROM or_mark x
				 WHERE x.emp = m.emp AND x.rival = m.rival AND x.day >= k.day AND x.day < k.day + w) >= n
		 ORDER BY k.day LIMIT 1;
		CONTINUE WHEN NOT FOUND;
		SELECT max(x.day) INTO l FROM or_mark x WHERE x.emp = m.emp AND x.rival = m.rival AND x.day >= s AND x.day < s + w;
		-- an episode of the rival with last_day >= first - W and
		-- first_day <= last + W grows; else a new one raises the alert
		SELECT min(eid) INTO e FROM or_episode x
		 WHERE x.emp = m.emp AND x.rival = m.rival AND x.last_day >= s - w AND x.first_day <= l + w;
		IF e IS NOT NULL THEN
			-- excluded: a pattern that would grow two episodes at once
			-- (the README does not say whether they merge)
			IF (SELECT count(*) FROM or_episode x
				 WHERE x.emp = m.emp AND x.rival = m.rival AND x.last_day >= s - w AND x.first_day <= l + w) > 1 THEN
				INSERT INTO or_rival_open VALUES (m.emp, m.rival);
			END IF;
			UPDATE or_episode SET first_day = least(first_day, s), last_day = greatest(last_day, l) WHERE eid = e;
		ELSE
			INSERT INTO or_episode (emp, rival, first_day, last_day, punch_id) VALUES (m.emp, m.rival, s, l, m.punch_id);
			INSERT INTO or_pattern VALUES (m.emp, m.rival, m.org, m.punch_id, m.gid,
				ARRAY(SELECT x.day FROM or_mark x WHERE x.emp = m.emp AND x.rival = m.rival AND x.day BETWEEN s AND l ORDER BY 1));
		END IF;
	END LOOP;
END $$;

-- ---------------------------------------------------------------------
-- Comparison
-- ---------------------------------------------------------------------
CREATE TEMP TABLE or_cmp AS
SELECT o.*, h.verdict AS h_verdict, h.off_hours AS h_off_hours, h.zone_id AS h_zone_id,
	   h.watched_zone_id AS h_watched_zone_id,
	   ARRAY(SELECT k FROM unnest(h.alert_kinds) k
			  WHERE k IN ('competitor_zone', 'impossible_travel', 'off_hours', 'outside_zone') ORDER BY 1) AS h_kinds,
	   ARRAY(SELECT a.kind || '/' || a.severity FROM hrguard.alert a
			  WHERE a.punch_id = h.punch_id
				AND a.kind IN ('competitor_zone', 'impossible_travel', 'off_hours', 'outside_zone') ORDER BY 1) AS h_alerts
  FROM or_o o JOIN hrguard.punch h USING (punch_id);
ALTER TABLE or_cmp ADD d_kinds text[];
UPDATE or_cmp SET d_kinds = ARRAY(SELECT k FROM (SELECT unnest(kinds) EXCEPT SELECT unnest(h_kinds)
												  UNION
												  SELECT unnest(h_kinds) EXCEPT SELECT unnest(kinds)) d(k)
								  WHERE k <> ALL (kinds_open) ORDER BY 1);
-- hrguard's competitor_pattern alerts of these employees, by the rival of
-- their zone
CREATE TEMP TABLE or_h_pattern AS
SELECT a.employee_id AS emp, CASE WHEN z.org IS NOT NULL THEN 'org:' || z.org ELSE 'zone:' || z.zone_id END AS rival,
	   a.reasons ->> 'organisation' AS org, a.punch_id, a.severity,
	   ARRAY(SELECT d::date FROM jsonb_array_elements_text(a.reasons -> 'days') d ORDER BY 1) AS days
  FROM hrguard.alert a JOIN or_emp e ON e.emp = a.employee_id LEFT JOIN or_z z ON z.zone_id = a.zone_id
 WHERE a.kind = 'competitor_pattern';
CREATE TEMP TABLE or_h_episode AS
SELECT x.employee_id AS emp, CASE WHEN z.org IS NOT NULL THEN 'org:' || z.org ELSE 'zone:' || z.zone_id END AS rival,
	   x.first_day, x.last_day, a.punch_id
  FROM hrguard.competitor_episode x JOIN or_emp e ON e.emp = x.employee_id
  LEFT JOIN or_z z ON z.zone_id = x.zone_id LEFT JOIN hrguard.alert a ON a.alert_id = x.alert_id;

CREATE TEMP TABLE or_result AS
SELECT 1 AS ord, 'verdict' AS what,
	   count(*) FILTER (WHERE NOT verdict_near) AS compared, count(*) FILTER (WHERE verdict_near) AS excluded,
	   count(*) FILTER (WHERE NOT verdict_near AND verdict IS DISTINCT FROM h_verdict) AS disagreements FROM or_cmp
UNION ALL
SELECT 2, 'off_hours', count(*), 0, count(*) FILTER (WHERE off_hours IS DISTINCT FROM h_off_hours) FROM or_cmp
UNION ALL
SELECT 3, 'zone_id', count(*) FILTER (WHERE NOT zone_open), count(*) FILTER (WHERE zone_open),
	   count(*) FILTER (WHERE NOT zone_open AND zone_id IS DISTINCT FROM h_zone_id) FROM or_cmp
UNION ALL
SELECT 4, 'watched_zone_id', count(*) FILTER (WHERE NOT watched_open), count(*) FILTER (WHERE watched_open),
	   count(*) FILTER (WHERE NOT watched_open AND watched_zone_id IS DISTINCT FROM h_watched_zone_id) FROM or_cmp
UNION ALL
SELECT 5, 'alert_kinds', count(*), count(*) FILTER (WHERE cardinality(kinds_open) > 0),
	   count(*) FILTER (WHERE cardinality(d_kinds) > 0) FROM or_cmp
UNION ALL
SELECT 6, 'alert rows (kind, severity)', count(*) FILTER (WHERE NOT alerts_open), count(*) FILTER (WHERE alerts_open),
	   count(*) FILTER (WHERE NOT alerts_open AND alerts IS DISTINCT FROM h_alerts) FROM or_cmp
UNION ALL
SELECT 7, 'competitor_pattern alerts',
	   (SELECT count(*) FROM or_pattern o WHERE (o.emp, o.rival) NOT IN (SELECT emp, rival FROM or_rival_open)),
	   (SELECT count(*) FROM or_pattern o WHERE (o.emp, o.rival) IN (SELECT emp, rival FROM or_rival_open)),
	   (SELECT count(*) FROM (SELECT emp, rival, org, punch_id, days, 'priority' FROM or_pattern
							  EXCEPT ALL SELECT emp, rival, org, punch_id, days, severity FROM or_h_pattern
							  UNION ALL
							  (SELECT emp, rival, org, punch_id, days, severity FROM or_h_pattern
							   EXCEPT ALL SELECT emp, rival, org, punch_id, days, 'priority' FROM or_pattern)) d
		 WHERE (d.emp, d.rival) NOT IN (SELECT emp, rival FROM or_rival_open))
UNION ALL
SELECT 8, 'competitor episodes',
	   (SELECT count(*) FROM or_episode o WHERE (o.emp, o.rival) NOT IN (SELECT emp, rival FROM or_rival_open)),
	   (SELECT count(*) FROM or_episode o WHERE (o.emp, o.rival) IN (SELECT emp, rival FROM or_rival_open)),
	   (SELECT count(*) FROM (SELECT emp, rival, first_day, last_day, punch_id FROM or_episode
							  EXCEPT ALL SELECT emp, rival, first_day, last_day, punch_id FROM or_h_episode
							  UNION ALL
							  (SELECT emp, rival, first_day, last_day, punch_id FROM or_h_episode
							   EXCEPT ALL SELECT emp, rival, first_day, last_day, punch_id FROM or_episode)) d
		 WHERE (d.emp, d.rival) NOT IN (SELECT emp, rival FROM or_rival_open));

-- what was compared
SELECT (SELECT count(*) FROM or_emp) AS employees, (SELECT count(*) FROM or_z) AS zones,
	   (SELECT count(*) FROM or_cmp) AS punches,
	   (SELECT count(*) FROM hrguard.alert a JOIN or_emp e ON e.emp = a.employee_id) AS alerts,
	   (SELECT count(*) FROM or_gen) = (SELECT count(*) FROM or_cmp) AS every_punch_stored;
-- hrguard's WGS-84 zones are the oracle's (every vertex through to_wgs84)
SELECT count(*) AS zones_compared,
	   count(*) FILTER (WHERE NOT CASE WHEN o.is_circle THEN ST_Equals(o.c, z.center) ELSE ST_Equals(o.g, z.geom) END)
		 AS shapes_differing
  FROM or_z o JOIN hrguard.zone z USING (zone_id);
-- the comparison: punches (or alerts, episodes) compared, excluded as
-- open cases (see "excluded:" above), and disagreements
SELECT what, compared, excluded, disagreements FROM or_result ORDER BY ord;
-- the disagreements, by this file's punch number (gid): zone_id disagrees
-- for punches with an uncertain verdict (see below); anything else listed
-- here is new
SELECT c.gid, c.emp, c.punched_at, d.what, d.oracle, d.hrguard
  FROM or_cmp c CROSS JOIN LATERAL (VALUES
	('verdict', c.verdict, c.h_verdict, NOT c.verdict_near),
	('off_hours', c.off_hours::text, c.h_off_hours::text, true),
	('zone_id', (SELECT name FROM or_z WHERE zone_id = c.zone_id), (SELECT name FROM or_z WHERE zone_id = c.h_zone_id),
	 NOT c.zone_open),
	('watched_zone_id', (SELECT name FROM or_z WHERE zone_id = c.watched_zone_id),
	 (SELECT name FROM or_z WHERE zone_id = c.h_watched_zone_id), NOT c.watched_open),
	('alert_kinds', c.kinds::text, c.h_kinds::text, cardinality(c.d_kinds) > 0),
	('alerts', c.alerts::text, c.h_alerts::text, NOT c.alerts_open)) d(what, oracle, hrguard, compared)
 WHERE d.compared AND d.oracle IS DISTINCT FROM d.hrguard AND NOT (d.what = 'zone_id' AND c.verdict = 'uncertain')
 ORDER BY c.gid, d.what;
-- Known disagreement (reported): for a punch whose verdict is uncertain,
-- hrguard's zone_id is not the allowed zone the punch is in, nor the
-- nearest one; e.g. a punch 29 m inside a 40 m circle (accuracy 150) gets
-- the office 123 m away.  Counted, with the first few cases:
SELECT count(*) AS uncertain_zone_id_disagreements,
	   count(*) FILTER (WHERE cardinality(covering) = 1) AS punch_inside_the_oracles_zone
  FROM or_cmp WHERE NOT zone_open AND zone_id IS DISTINCT FROM h_zone_id AND verdict = 'uncertain';
SELECT c.gid, c.acc, o.name AS oracle_zone, round(xo.edge_m::numeric, 1) AS oracle_zone_edge_m, xo.covers AS in_oracle_zone,
	   h.name AS hrguard_zone, round(xh.edge_m::numeric, 1) AS hrguard_zone_edge_m, xh.covers AS in_hrguard_zone
  FROM (SELECT c.*, p.acc FROM or_cmp c JOIN or_p p USING (punch_id)) c
  JOIN or_z o ON o.zone_id = c.zone_id JOIN or_z h ON h.zone_id = c.h_zone_id
  JOIN or_pz xo ON xo.punch_id = c.punch_id AND xo.zone_id = c.zone_id
  JOIN or_pz xh ON xh.punch_id = c.punch_id AND xh.zone_id = c.h_zone_id
 WHERE NOT c.zone_open AND c.zone_id IS DISTINCT FROM c.h_zone_id AND c.verdict = 'uncertain'
 ORDER BY c.gid LIMIT 4;

-- the data exercises each rule
SELECT what, n FROM (VALUES
	(1, 'verdict inside', (SELECT count(*) FROM or_cmp WHERE h_verdict = 'inside')),
	(2, 'verdict outside', (SELECT count(*) FROM or_cmp WHERE h_verdict = 'outside')),
	(3, 'verdict uncertain', (SELECT count(*) FROM or_cmp WHERE h_verdict = 'uncertain')),
	(4, 'no position (none or (0, 0))', (SELECT count(*) FROM or_cmp WHERE NOT has_pos)),
	(5, 'given in GCJ-02 / BD-09', (SELECT count(*) FROM or_gen WHERE raw_crs IN ('gcj02', 'bd09'))),
	(6, 'inside a zone''s shape out of force', (SELECT count(DISTINCT punch_id) FROM or_pz WHERE covers AND NOT in_force)),
	(7, 'within 300 m of the edge of a polygon with a hole or a multipolygon',
	 (SELECT count(DISTINCT x.punch_id) FROM or_pz x JOIN or_z z USING (zone_id)
	   WHERE x.edge_m < 300 AND (ST_NumGeometries(z.g) > 1 OR ST_NRings(z.g) > ST_NumGeometries(z.g)))),
	(8, 'off hours', (SELECT count(*) FROM or_cmp WHERE h_off_hours)),
	(9, 'at a working window''s start - grace (working)',
	 (SELECT count(*) FROM or_p p WHERE EXISTS (SELECT 1 FROM or_work w WHERE w.emp = p.emp AND lower(w.r) = p.punched_at))),
	(10, 'at a working window''s end + grace (off hours)',
	 (SELECT count(*) FROM or_p p WHERE EXISTS (SELECT 1 FROM or_work w WHERE w.emp = p.emp AND upper(w.r) = p.punched_at))),
	(11, 'on a holiday or a make-up day of the tenant',
	 (SELECT count(*) FROM or_p p JOIN or_cal c ON c.tenant = p.tenant AND c.day = (p.punched_at AT TIME ZONE p.work_tz)::date)),
	(12, 'impossible travel', (SELECT count(*) FROM or_cmp WHERE 'impossible_travel' = ANY (h_kinds))),
	(13, 'outside_zone alerts', (SELECT count(*) FROM or_cmp WHERE 'outside_zone' = ANY (h_kinds))),
	(14, 'watched zone set', (SELECT count(*) FROM or_cmp WHERE h_watched_zone_id IS NOT NULL)),
	(15, 'competitor_zone alerts', (SELECT count(*) FROM or_cmp WHERE 'competitor_zone' = ANY (h_kinds))),
	(16, 'competitor days marked', (SELECT count(*) FROM or_mark)),
	(17, 'competitor_pattern alerts', (SELECT count(*) FROM or_h_pattern)),
	(18, 'episodes grown past their alert''s days',
	 (SELECT count(*) FROM or_episode e JOIN or_pattern p USING (punch_id) WHERE e.last_day > p.days[cardinality(p.days)]))
) v(ord, what, n) ORDER BY ord;
