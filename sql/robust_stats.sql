-- robust_stats: median and MAD equal percentile_cont's on random data;
-- binomial tails and Wilson bounds equal values computed independently
-- (exact sums in numeric, the formula in SQL); the scale's fallbacks and
-- floors; bad input refused with its SQLSTATE.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SELECT setseed(0.31);

-- 300 random samples of 1 to 40 values
CREATE TEMP TABLE rs_value AS
SELECT s AS sample, round((random() * 1000)::numeric, 2)::float8 AS v
  FROM generate_series(1, 300) s, LATERAL generate_series(1, 1 + (s * 7919) % 40) i;
CREATE TEMP TABLE rs_sample AS
SELECT sample, array_agg(v) AS vs, percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS median
  FROM rs_value GROUP BY sample;
SELECT count(*) AS samples,
	   count(*) FILTER (WHERE abs(hrguard.robust_median(vs) - median) > 1e-9) AS median_mismatches,
	   count(*) FILTER (WHERE abs(hrguard.robust_mad(vs) -
			 (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(x - median)) FROM unnest(vs) x)) > 1e-9)
		 AS mad_mismatches
  FROM rs_sample;

-- the binomial tail against the exact sum, for n up to 60
CREATE TEMP TABLE rs_binomial AS
SELECT n, k, p,
	   (SELECT sum(factorial(n) / (factorial(i) * factorial(n - i)) * power(p::numeric(100, 90), i) * power(1 - p::numeric(100, 90), n - i))
		  FROM generate_series(k, n) i) AS exact
  FROM generate_series(1, 60, 7) n, generate_series(0, 60, 5) k,
	   unnest(ARRAY[0.001, 0.02, 0.1, 0.3, 0.5, 0.77, 0.99]) p
 WHERE k <= n;
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE abs(hrguard.binomial_tail(k, n, p) - exact::float8) > 1e-12 + 1e-9 * exact::float8)
		 AS mismatches
  FROM rs_binomial;
SELECT round(hrguard.binomial_tail(3, 10, 0.1)::numeric, 10) AS three_of_ten,
	   hrguard.binomial_tail(0, 10, 0.1) AS none_needed,
	   hrguard.binomial_tail(10, 10, 0) AS impossible,
	   hrguard.binomial_tail(12000, 1000000, 0.01) < 1e-9 AS far_tail_small,
	   round(hrguard.binomial_tail(10000, 1000000, 0.01)::numeric, 2) AS at_the_mean;

-- the Wilson lower bound against the formula
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE abs(hrguard.wilson_lower(k, n, 2.326) -
			 ((k::float8 / n + 2.326 ^ 2 / (2 * n) - 2.326 * sqrt((k::float8 / n) * (1 - k::float8 / n) / n
			   + 2.326 ^ 2 / (4 * n::float8 * n))) / (1 + 2.326 ^ 2 / n))) > 1e-12) AS mismatches
  FROM generate_series(1, 200, 13) n, generate_series(0, 200, 9) k WHERE k <= n;
SELECT round(hrguard.wilson_lower(8, 10)::numeric, 6) AS eight_of_ten;

-- the scale: 1.4826 x MAD, 1.2533 x mean absolute deviation when the MAD
-- is 0, never below the floor (absolute + 5 % of |median|)
SELECT hrguard.robust_scale('{1, 2, 3, 4, 100}') AS from_mad,
	   round(hrguard.robust_scale('{5, 5, 5, 5, 9}')::numeric, 6) AS from_mean_ad,
	   hrguard.robust_scale('{10, 10, 10}') AS from_floor,
	   hrguard.robust_scale('{10, 10, 10}', 2) AS from_absolute_floor,
	   hrguard.modified_z(12, '{10, 10, 10, 10, 10}') AS z_on_floor,
	   hrguard.modified_z(7, '{0, 0, 0}') AS no_scale,
	   round(hrguard.modified_z(100, '{1, 2, 3, 4, 100}')::numeric, 4) AS z_outlier;

-- defined results and refusals
SELECT hrguard.robust_median('{}') AS empty_median, hrguard.robust_median('{7}') AS single;
SELECT hrguard.robust_median('{1, NULL}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.robust_median('{1, NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.robust_mad('{1, Infinity}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.robust_median('{{1, 2}, {3, 4}}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.robust_scale('{1, 2}', -1);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.modified_z('NaN', '{1, 2}');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.binomial_tail(5, 3, 0.5);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.binomial_tail(1, 3, 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.binomial_tail(1, 3, 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.wilson_lower(0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.wilson_lower(1, 2, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.binomial_tail(1, 2147483647, 0.5);
\echo :LAST_ERROR_SQLSTATE

-- the mismatch of sales against hours: +50 % sales and -30 % hours give
-- D = ln(1.5 / 0.7) = 0.762 without smoothing; smoothing keeps zeros finite
SELECT round(hrguard.mismatch(150000, 112, 100000, 160)::numeric, 4) AS d,
	   round(ln(1.5 / 0.7)::numeric, 4) AS expected,
	   hrguard.mismatch(100, 0, 100, 160) AS zero_hours_unsmoothed,
	   round(hrguard.mismatch(100, 0, 100, 160, 10, 11)::numeric, 4) AS zero_hours_smoothed,
	   hrguard.mismatch(0, 0, 0, 0, 1, 1) AS nothing_changed;
SELECT hrguard.mismatch(-1, 1, 1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT hrguard.mismatch('NaN', 1, 1, 1);
\echo :LAST_ERROR_SQLSTATE
