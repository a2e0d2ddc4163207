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
