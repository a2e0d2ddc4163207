-- report.sql -- what "make demo" prints after loading the scenario.
SET timezone = 'Asia/Shanghai';

\echo
\echo '== hrguard version'
SELECT hrguard.version() AS library, e.extversion AS installed
  FROM pg_catalog.pg_extension e WHERE e.extname = 'hrguard';

\echo '== settings (hrguard.*)'
SELECT name, setting FROM hrguard.settings() ORDER BY name;

\echo '== zones (entered in GCJ-02 / BD-09, stored in WGS-84)'
SELECT zone_id, name, kind, source_crs,
	   ST_AsText(coalesce(raw_geom, raw_center), 5) AS as_entered,
	   ST_AsText(ST_Centroid(coalesce(geom, center)), 5) AS wgs84_centre, radius_m
  FROM hrguard.zone ORDER BY zone_id;

\echo '== what a punch would be: Zhang Wei at the competitor''s address (GCJ-02), Monday 09:05'
SELECT c.verdict, c.zone_name, round(c.zone_distance_m) AS zone_distance_m,
	   c.watched_zone_name, c.watched_verdict, c.off_hours, c.local_time
  FROM hrguard.bd09_to_gcj02(31.2420, 121.4800) g,
	   hrguard.classify_point('S001', '2026-11-16 09:05+08', g.lat, g.lon, 15, 'gcj02') c;

\echo '== punches by verdict'
SELECT e.display_name, p.verdict, count(*) AS punches,
	   count(*) FILTER (WHERE p.watched_zone_id IS NOT NULL) AS at_competitor
  FROM hrguard.punch p JOIN hrguard.employee e USING (employee_id)
 GROUP BY 1, 2 ORDER BY 1, 2;

\echo '== open alerts'
SELECT alert_id, display_name, kind, severity, occurred_at,
	   coalesce(reasons #>> '{zone,name}', reasons #>> '{nearest_zone,name}', reasons->>'rule',
				reasons #>> '{risk}', reasons->>'day') AS why
  FROM hrguard.open_alerts ORDER BY alert_id;

\echo '== competitor visits per ISO week'
SELECT employee_id, zone_name, iso_week, days, punches, visit_days FROM hrguard.competitor_visits;

\echo '== employee risk, last 30 days'
SELECT employee_id, display_name, alerts, priority, alert, watch,
	   competitor_pattern, competitor_zone, outside_zone, impossible_travel, off_hours, spoof_suspected
  FROM hrguard.employee_risk ORDER BY priority DESC, alerts DESC, employee_id;

\echo '== the competitor_pattern alert in full'
SELECT jsonb_pretty(reasons) AS reasons FROM hrguard.alert WHERE kind = 'competitor_pattern';
