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
				reasons #>> '{risk}', reasons->>'day',
				'score of ' || (reasons->>'period_from') || ' to ' || (reasons->>'period_to')
				|| ', ' || (reasons->>'total_points') || ' points') AS why
  FROM hrguard.open_alerts ORDER BY alert_id;

\echo '== competitor visits per ISO week'
SELECT employee_id, zone_name, iso_week, days, punches, visit_days FROM hrguard.competitor_visits;

\echo '== employee risk, last 30 days'
SELECT employee_id, display_name, alerts, priority, alert, watch,
	   competitor_pattern, competitor_zone, outside_zone, impossible_travel, off_hours, spoof_suspected
  FROM hrguard.employee_risk ORDER BY priority DESC, alerts DESC, employee_id;

\echo '== the competitor_pattern alert in full'
SELECT jsonb_pretty(reasons) AS reasons FROM hrguard.alert WHERE kind = 'competitor_pattern';

\echo '== scoring, October 2026: sales against verified hours (hrguard.mismatch_scores)'
SELECT employee_id, display_name, status, level, round(modified_z, 1) AS modified_z,
	   round(sales) AS sales, round(verified_hours, 1) AS verified_hours,
	   round(working_days, 1) AS working_days, peer_group, peers,
	   round(counterfactual_hours, 1) AS would_not_fire_from_hours
  FROM hrguard.mismatch_scores
 WHERE period_from = '2026-10-01' AND employee_id IN ('S001', 'S002', 'S005')
 ORDER BY employee_id;

\echo '== scoring alerts, with hrguard.explain(alert_id)'
SELECT a.alert_id, a.kind, a.severity, e->>'reproduced' AS reproduced,
	   (e->'counterfactual') - 'rule'::text AS counterfactual
  FROM hrguard.alert a, hrguard.explain(a.alert_id) e
 WHERE a.reasons ? 'score_id' ORDER BY a.alert_id;
\x on
SELECT a.kind, e->>'sentence_en' AS english, e->>'sentence_zh' AS chinese
  FROM hrguard.alert a, hrguard.explain(a.alert_id) e
 WHERE a.reasons ? 'score_id' ORDER BY a.alert_id;
\x off

\echo '== deals to review before commission is paid (hrguard.commission_review)'
SELECT employee_id, sale_id, customer_id, closed_at, amount FROM hrguard.commission_review ORDER BY sale_id;

\echo '== points per signal family and band of the latest period scored (hrguard.employee_risk)'
SELECT employee_id, display_name, scored_from, time_points, customer_points, visit_points,
	   reporting_points, total_points, band
  FROM hrguard.employee_risk WHERE employee_id IN ('S001', 'S002', 'S005') ORDER BY employee_id;
