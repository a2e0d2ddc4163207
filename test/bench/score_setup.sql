-- score_setup.sql -- scoring benchmark data: for each size in :'sizes'
-- (numbers separated by commas), tenant t<size> with that many employees
-- in teams of 20 sellers, and thirteen months of facts: September 2025 to
-- September 2026 (the period scored is September 2026).  Each working day (Monday to Friday) an on-duty punch
-- at about 09:00 and an off-duty punch at about 18:00, minutes apart by
-- employee and day; five deals a month, each with a customer of the master
-- and a visit the day before; one employee in 500 sells 50 % more in the
-- period while leaving 30 % earlier.  Loaded with hrguard.restore_mode on
-- (facts pass hrguard's triggers unchanged, as pg_restore's do), so that
-- loading is quick; score_period() reads them as any other facts.
SET client_min_messages = warning;
SET timezone = 'Asia/Shanghai';
SET hrguard.restore_mode = on;

CREATE TEMP TABLE tenant AS
SELECT 't' || n AS tenant, n AS employees FROM unnest(string_to_array(:'sizes', ',')::int[]) n;
CREATE TEMP TABLE seller AS
SELECT t.tenant, g FROM tenant t, generate_series(1, t.employees) g;

INSERT INTO hrguard.employee (employee_id, tenant_id, team, role, hired_on)
SELECT tenant || '-' || g, tenant, tenant || '-team-' || (g / 20), 'sales', '2025-01-01'
  FROM seller ORDER BY tenant, g;

CREATE TEMP TABLE day AS
SELECT d::date AS day, date_trunc('month', d)::date AS month
  FROM generate_series(timestamp '2025-09-01', '2026-09-30', '1 day') d
 WHERE extract(isodow FROM d) < 6;

-- punches, visits and deals are appended in time order, as a live system
-- stores them (employees and tenants interleaved), not employee by
-- employee or tenant by tenant
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, check_type, verdict)
SELECT employee_id, punched_at, 31.23, 121.47, 10, check_type, 'inside'
  FROM (SELECT s.tenant || '-' || s.g AS employee_id,
			   d.day + time '08:30' + ((hashint4(s.g * 7 + d.day - date '2025-01-01') & 63) * interval '1 minute') AS punched_at,
			   'on_duty' AS check_type
		  FROM seller s, day d
		UNION ALL
		SELECT s.tenant || '-' || s.g,
			   d.day + CASE WHEN s.g % 500 = 7 AND d.month = '2026-09-01' THEN time '14:30' ELSE time '17:40' END
			   + ((hashint4(s.g * 11 + d.day - date '2025-01-01') & 63) * interval '1 minute'),
			   'off_duty'
		  FROM seller s, day d) p
 ORDER BY punched_at;

CREATE TEMP TABLE deal AS
SELECT s.tenant, s.g, m.month, k,
	   m.month + (k * 5 + (hashint4(s.g + k) & 3)) AS day,
	   CASE WHEN s.g % 500 = 7 AND m.month = '2026-09-01' THEN 30000
			ELSE 18000 + (hashint4(s.g * 13 + k + (m.month - date '2025-01-01')) & 4095) END AS amount
  FROM seller s,
	   (SELECT DISTINCT month FROM day) m,
	   generate_series(1, 5) k;
INSERT INTO hrguard.customer (customer_id, tenant_id, name, created_at)
SELECT tenant || '-c-' || g || '-' || month || '-' || k, tenant, 'customer', '2025-01-01'
  FROM deal;
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at)
SELECT tenant || '-v-' || g || '-' || month || '-' || k, tenant || '-' || g,
	   tenant || '-c-' || g || '-' || month || '-' || k,
	   day - 1 + time '10:00', day - 1 + time '11:00'
  FROM deal ORDER BY day, g, tenant, k;
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount)
SELECT tenant || '-s-' || g || '-' || month || '-' || k, tenant || '-' || g,
	   tenant || '-c-' || g || '-' || month || '-' || k, day + time '16:00', amount
  FROM deal ORDER BY day, g, tenant, k;
RESET hrguard.restore_mode;
-- months-old facts are all-visible, as autovacuum leaves them; vacuumed now
-- so that it does not run during a timed run
VACUUM ANALYZE;
