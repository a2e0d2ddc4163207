-- robust_stats.sql -- the statistics scoring is built on, callable from SQL
-- so that every number an alert reports can be recomputed (robust_stats.c).

CREATE FUNCTION hrguard.robust_median(values_ float8[])
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_sql_median';
COMMENT ON FUNCTION hrguard.robust_median(float8[]) IS
	'the median (the mean of the middle two for an even count), as percentile_cont(0.5); NULL for no values';

CREATE FUNCTION hrguard.robust_mad(values_ float8[])
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_sql_mad';
COMMENT ON FUNCTION hrguard.robust_mad(float8[]) IS
	'the median absolute deviation from the median (unscaled)';

CREATE FUNCTION hrguard.robust_scale(values_ float8[], absolute_floor float8 DEFAULT 0)
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_sql_robust_scale';
COMMENT ON FUNCTION hrguard.robust_scale(float8[], float8) IS
	'1.4826 x MAD (1.2533 x mean absolute deviation when the MAD is 0), at least absolute_floor + 5 % of |median|';

CREATE FUNCTION hrguard.modified_z(x float8, values_ float8[], absolute_floor float8 DEFAULT 0)
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_sql_modified_z';
COMMENT ON FUNCTION hrguard.modified_z(float8, float8[], float8) IS
	'(x - median) / robust_scale: the modified z-score of x against the values; NULL when there is no scale';

CREATE FUNCTION hrguard.binomial_tail(k integer, n integer, p float8)
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_sql_binomial_tail';
COMMENT ON FUNCTION hrguard.binomial_tail(integer, integer, float8) IS
	'Pr[X >= k] for X ~ Binomial(n, p): the one-sided tail of k or more successes';

CREATE FUNCTION hrguard.wilson_lower(k integer, n integer, z float8 DEFAULT 2.326)
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_sql_wilson_lower';
COMMENT ON FUNCTION hrguard.wilson_lower(integer, integer, float8) IS
	'the lower bound of the Wilson score interval for k successes in n trials (z = 2.326: 99 %, one-sided)';

CREATE FUNCTION hrguard.mismatch(sales float8, hours float8, baseline_sales float8,
		baseline_hours float8, c_sales float8 DEFAULT 0, c_hours float8 DEFAULT 0)
	RETURNS float8
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'hrguard_sql_mismatch';
COMMENT ON FUNCTION hrguard.mismatch(float8, float8, float8, float8, float8, float8) IS
	'D = ln((sales + c_sales) / (baseline_sales + c_sales)) - ln((hours + c_hours) / (baseline_hours + c_hours)); NULL when a ratio has a zero';
