-- scoring.sql -- the demo's second story: results that do not fit the time
-- worked.  Loaded by "make demo" after scenario.sql.
--
-- The Shanghai east team grows to thirteen sellers.  From April to
-- October 2026 each works 09:00-18:00 at the office (the National Day
-- week off, Saturday 10 October a make-up day), closes five deals a month
-- with customers of the master, visits each customer the day before, and
-- files a daily report every evening.  In October Zhang Wei's sales rise
-- 50 % while he leaves the office at 15:18 (30 % fewer verified hours);
-- three of his customers are not in the master at all, two he created
-- himself the day before the deal, and two deals had no visit.  Then
-- hrguard.score_period() scores October; the demo's listener prints the
-- alerts as they are notified.

SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id, display_name, team, role, work_mode, hired_on)
SELECT pg_catalog.format('S%s', lpad(i::text, 3, '0')), pg_catalog.format('Seller %s', i),
	   'shanghai-east', 'sales', 'field', '2025-01-01'
  FROM generate_series(5, 13) i;

CREATE TEMP TABLE demo_day AS
SELECT e.employee_id, d::date AS day, date_trunc('month', d)::date AS month,
	   row_number() OVER (PARTITION BY e.employee_id ORDER BY d) AS n
  FROM hrguard.employee e,
	   generate_series(timestamp '2026-04-01', '2026-10-31', '1 day') d
 WHERE e.role = 'sales'
   AND ((extract(isodow FROM d) < 6 AND d::date NOT BETWEEN '2026-10-01' AND '2026-10-07')
		OR d::date = '2026-10-10');

-- office punches with a few metres of GPS jitter
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m,
						   check_type, source, device_id)
SELECT employee_id, t,
	   31.2390 + (hashint4((n * 31 + k + ascii(right(employee_id, 1)))::int) % 40) * 1e-6,
	   121.5045 + (hashint4((n * 37 + k + ascii(right(employee_id, 2)))::int) % 40) * 1e-6,
	   'gcj02', 15, kind, 'dingtalk', employee_id || '-phone'
  FROM (SELECT employee_id, n, 1 AS k, (day + time '08:58')::timestamptz AS t, 'on_duty' AS kind
		  FROM demo_day
		UNION ALL
		SELECT employee_id, n, 2,
			   (day + CASE WHEN employee_id = 'S001' AND month = '2026-10-01' THEN time '15:18'
						   ELSE time '18:02' END)::timestamptz, 'off_duty'
		  FROM demo_day) p
 ORDER BY t, employee_id;

-- five deals a month each
CREATE TEMP TABLE demo_deal AS
SELECT m.employee_id, m.month, k,
	   (SELECT max(day) FROM demo_day d
		 WHERE d.employee_id = m.employee_id AND d.month = m.month AND d.n % 4 = k % 4
		   AND d.day < m.month + 27) AS day,
	   CASE WHEN m.employee_id = 'S001' AND m.month = '2026-10-01' THEN 30000
			ELSE 20000 + (hashtext(m.employee_id || m.month) & 511) END AS amount,
	   pg_catalog.format('C-%s-%s-%s', m.employee_id, to_char(m.month, 'YYYYMM'), k) AS customer_id
  FROM (SELECT DISTINCT employee_id, month FROM demo_day) m, generate_series(1, 5) k;

-- the customer master: every customer but three of Zhang Wei's October
-- ones; two of those he created himself the day before the deal
INSERT INTO hrguard.customer (customer_id, name, created_at, created_by)
SELECT customer_id, 'Customer ' || customer_id,
	   CASE WHEN employee_id = 'S001' AND month = '2026-10-01' THEN (day - 1 + time '20:00')::timestamptz
			ELSE timestamptz '2026-01-01 00:00+08' END,
	   CASE WHEN employee_id = 'S001' AND month = '2026-10-01' THEN employee_id END
  FROM demo_deal
 WHERE NOT (employee_id = 'S001' AND month = '2026-10-01' AND k <= 3);
-- a visit to each customer the day before the deal; none before two of
-- Zhang Wei's October deals
INSERT INTO hrguard.visit (visit_id, employee_id, customer_id, started_at, ended_at)
SELECT 'V-' || customer_id, employee_id, customer_id,
	   (day - 1 + time '10:00')::timestamptz, (day - 1 + time '11:00')::timestamptz
  FROM demo_deal
 WHERE NOT (employee_id = 'S001' AND month = '2026-10-01' AND k IN (2, 4));
INSERT INTO hrguard.sale (sale_id, employee_id, customer_id, closed_at, amount)
SELECT 'D-' || customer_id, employee_id, customer_id, (day + time '16:00')::timestamptz, amount
  FROM demo_deal;
INSERT INTO hrguard.daily_report (employee_id, report_date, submitted_at, hours)
SELECT employee_id, day, (day + time '19:30')::timestamptz, 8 FROM demo_day;

\echo
\echo '== scoring October 2026 (hrguard.score_period)'
SELECT * FROM hrguard.score_period('2026-10-01', '2026-10-31');
