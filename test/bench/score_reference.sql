-- score_reference.sql -- the hours_mismatch score of hrguard.score_period()
-- in plain SQL (window functions, range_agg and percentile_cont), for the
-- benchmark: tenant :'tenant', September 2026 against the six months
-- before, for the benchmark's data (the default schedule, Monday to Friday
-- 09:00-18:00 in Asia/Shanghai, no tenant calendar, no leave, no visit
-- punches).  Writes bench.reference_mismatch (employee_id, d, z), which
-- the benchmark compares with what score_period() stored.
SET timezone = 'Asia/Shanghai';
DROP TABLE IF EXISTS bench.reference_mismatch;
CREATE TABLE bench.reference_mismatch AS
WITH block AS (
	SELECT b, (date '2026-09-01' - make_interval(months => b))::date AS bfrom,
		   (date '2026-09-01' - make_interval(months => b - 1))::date - 1 AS bto
	  FROM generate_series(0, 6) b
), workday AS (
	SELECT k.b, d::date AS day,
		   tstzrange(d::date + time '09:00', d::date + time '18:00') AS window_
	  FROM block k, generate_series(k.bfrom, k.bto, interval '1 day') d
	 WHERE extract(isodow FROM d) < 6
), emp AS (
	SELECT employee_id, team, role FROM hrguard.employee WHERE tenant_id = :'tenant'
), punch AS (
	-- an on-duty punch and the next one, when that is an off-duty within 24 h
	SELECT employee_id, punched_at AS lo, next_at AS hi
	  FROM (SELECT p.employee_id, p.punched_at, p.check_type, p.verdict,
				   lead(p.punched_at) OVER w AS next_at, lead(p.check_type) OVER w AS next_type
			  FROM hrguard.punch p JOIN emp USING (employee_id)
			 WHERE p.check_type IN ('on_duty', 'off_duty')
			   AND p.punched_at >= timestamptz '2026-02-27' AND p.punched_at < timestamptz '2026-10-03'
			WINDOW w AS (PARTITION BY p.employee_id ORDER BY p.punched_at)) x
	 WHERE check_type = 'on_duty' AND verdict IN ('inside', 'uncertain')
	   AND next_type = 'off_duty' AND next_at < punched_at + interval '24 hours'
), evidence AS (
	SELECT employee_id, tstzrange(lo, hi) AS r FROM punch
	UNION ALL
	SELECT v.employee_id, tstzrange(v.started_at, v.ended_at, '[]')
	  FROM hrguard.visit v JOIN emp USING (employee_id)
	 WHERE v.started_at >= timestamptz '2026-02-27' AND v.started_at < timestamptz '2026-10-03'
), day_union AS (
	SELECT x.employee_id, x.b, extract(epoch FROM sum(upper(u) - lower(u))) / 3600 AS hours
	  FROM (SELECT e.employee_id, w.b, w.day, range_agg(e.r * w.window_) AS worked
			  FROM evidence e
			  JOIN workday w ON w.day = (lower(e.r) AT TIME ZONE 'Asia/Shanghai')::date AND e.r && w.window_
			 GROUP BY e.employee_id, w.b, w.day) x,
		   LATERAL unnest(x.worked) u
	 GROUP BY x.employee_id, x.b
), sales AS (
	SELECT s.employee_id, k.b, sum(s.amount)::float8 AS sales, count(*) AS deals
	  FROM hrguard.sale s JOIN emp USING (employee_id)
	  JOIN block k ON (s.closed_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN k.bfrom AND k.bto
	 GROUP BY s.employee_id, k.b
), per_block AS (
	SELECT e.employee_id, k.b,
		   (SELECT count(*) FROM workday w WHERE w.b = k.b)::float8 AS days,
		   coalesce(s.sales, 0) AS sales, coalesce(h.hours, 0)::float8 AS hours,
		   coalesce(s.deals, 0) AS deals
	  FROM emp e CROSS JOIN block k
	  LEFT JOIN sales s ON s.employee_id = e.employee_id AND s.b = k.b
	  LEFT JOIN day_union h ON h.employee_id = e.employee_id AND h.b = k.b
), own AS (
	SELECT employee_id,
		   max(sales / days) FILTER (WHERE b = 0) AS s,
		   max(hours / days) FILTER (WHERE b = 0) AS h,
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY sales / days) FILTER (WHERE b > 0 AND days >= 10) AS bs,
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY hours / days) FILTER (WHERE b > 0 AND days >= 10) AS bh,
		   count(*) FILTER (WHERE b > 0 AND days >= 10) AS nbase
	  FROM per_block GROUP BY employee_id
), peer AS (
	-- each employee with the other members of the team and role
	SELECT a.employee_id, b.employee_id AS peer_id
	  FROM emp a JOIN emp b ON b.team = a.team AND b.role = a.role AND b.employee_id <> a.employee_id
), peer_sales AS (
	-- the smoothing constant: a tenth of the peers' median sales per day
	SELECT p.employee_id, 0.1 * percentile_cont(0.5) WITHIN GROUP (ORDER BY o.s) AS cs
	  FROM peer p JOIN own o ON o.employee_id = p.peer_id
	 GROUP BY p.employee_id
), d AS (
	SELECT o.employee_id,
		   ln((o.s + c.cs) / (o.bs + c.cs)) - ln((o.h + 0.5) / (o.bh + 0.5)) AS d
	  FROM own o JOIN peer_sales c USING (employee_id)
	 WHERE o.nbase >= 3
), peer_median AS (
	-- the peers' median of D, the employee left out
	SELECT p.employee_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY x.d) AS med
	  FROM peer p JOIN d x ON x.employee_id = p.peer_id
	 GROUP BY p.employee_id
), loo AS (
	-- and their median and mean absolute deviation from it
	SELECT i.employee_id, i.d, m.med,
		   percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(x.d - m.med)) AS mad,
		   avg(abs(x.d - m.med)) AS mean_ad
	  FROM d i
	  JOIN peer_median m USING (employee_id)
	  JOIN peer p ON p.employee_id = i.employee_id
	  JOIN d x ON x.employee_id = p.peer_id
	 GROUP BY i.employee_id, i.d, m.med
)
SELECT employee_id, d,
	   (d - med) / greatest(CASE WHEN mad = 0 THEN 1.2533 * mean_ad ELSE 1.4826 * mad END,
							0.1 + 0.05 * abs(med)) AS z
  FROM loo;
