-- views.sql -- what HR applications read (all security_invoker).

CREATE VIEW hrguard.open_alerts WITH (security_invoker = true) AS
SELECT a.alert_id, a.employee_id, e.display_name, e.team, a.kind, a.severity,
	   a.occurred_at, a.raised_at, a.status, a.reasons, a.punch_id, a.zone_id, a.case_id
  FROM hrguard.alert a
  LEFT JOIN hrguard.employee e ON e.employee_id OPERATOR(pg_catalog.=) a.employee_id
 WHERE a.status OPERATOR(pg_catalog.<>) 'dismissed';
COMMENT ON VIEW hrguard.open_alerts IS
	'alerts not dismissed, with the employee''s name and team';

CREATE VIEW hrguard.competitor_visits WITH (security_invoker = true) AS
SELECT v.employee_id, v.zone_id, z.name AS zone_name, z.organisation,
	   pg_catalog.to_char(v.day, 'IYYY-"W"IW') AS iso_week,
	   pg_catalog.count(*) AS days,
	   pg_catalog.sum(v.punches) AS punches,
	   pg_catalog.array_agg(v.day ORDER BY v.day) AS visit_days,
	   pg_catalog.min(v.first_at) AS first_at,
	   pg_catalog.max(v.last_at) AS last_at
  FROM hrguard.competitor_visit_day v
  LEFT JOIN hrguard.zone z ON z.zone_id OPERATOR(pg_catalog.=) v.zone_id
 GROUP BY v.employee_id, v.zone_id, z.name, z.organisation, pg_catalog.to_char(v.day, 'IYYY-"W"IW');
COMMENT ON VIEW hrguard.competitor_visits IS
	'per employee, competitor zone and ISO week: days and punches inside it during working hours';

CREATE VIEW hrguard.employee_risk WITH (security_invoker = true) AS
SELECT e.employee_id, e.display_name, e.team,
	   pg_catalog.count(a.alert_id) AS alerts,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.severity OPERATOR(pg_catalog.=) 'priority') AS priority,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.severity OPERATOR(pg_catalog.=) 'alert') AS alert,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.severity OPERATOR(pg_catalog.=) 'watch') AS watch,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'outside_zone') AS outside_zone,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'competitor_zone') AS competitor_zone,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'competitor_pattern') AS competitor_pattern,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'off_hours') AS off_hours,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'impossible_travel') AS impossible_travel,
	   pg_catalog.count(a.alert_id) FILTER (WHERE a.kind OPERATOR(pg_catalog.=) 'spoof_suspected') AS spoof_suspected,
	   pg_catalog.max(a.occurred_at) AS last_alert_at
  FROM hrguard.employee e
  LEFT JOIN hrguard.alert a
	ON a.employee_id OPERATOR(pg_catalog.=) e.employee_id
   AND a.status OPERATOR(pg_catalog.<>) 'dismissed'
   AND a.raised_at OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) '30 days'::interval)
 GROUP BY e.employee_id, e.display_name, e.team;
COMMENT ON VIEW hrguard.employee_risk IS
	'per employee: alerts of the last 30 days that were not dismissed, by severity and kind';
