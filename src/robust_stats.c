/*-------------------------------------------------------------------------
 *
 * robust_stats.c
 *	  The statistics scoring is built on: median, median absolute
 *	  deviation, a robust scale with its floors, the modified z-score
 *	  (Iglewicz and Hoaglin), the upper tail of the binomial distribution
 *	  and the Wilson lower bound, in C and as SQL functions, so that a
 *	  third party can recompute every number an alert reports.
 *
 * Medians are exact (the values sorted; the mean of the middle two for an
 * even count), as percentile_cont(0.5) gives them.  The binomial tail sums
 * the probability mass from k up, each term from the one before (the
 * recurrence p(i+1) = p(i)·(n−i)/(i+1)·p/(1−p)), started from the mode in
 * log space so that no term underflows before it matters.
 *
 * IDENTIFICATION
 *	  src/robust_stats.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "privilege.h"
#include "robust_stats.h"

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* the median of n values (n > 0), which are reordered */
double
hrguard_median(double *values, int n)
{
	Assert(n > 0);
	qsort(values, n, sizeof(double), compare_doubles);
	if (n % 2 == 1)
		return values[n / 2];
	return values[n / 2 - 1] + (values[n / 2] - values[n / 2 - 1]) / 2.0;
}

/* median, MAD and mean absolute deviation of n values (n > 0) */
void
hrguard_robust_summary(const double *values, int n, HrguardRobustSummary *s)
{
	double	   *work = palloc(sizeof(double) * n);
	double		sum = 0.0;
	int			i;

	memcpy(work, values, sizeof(double) * n);
	s->median = hrguard_median(work, n);
	for (i = 0; i < n; i++)
	{
		work[i] = fabs(values[i] - s->median);
		sum += work[i];
	}
	s->mean_ad = sum / n;
	s->mad = hrguard_median(work, n);
	pfree(work);
}

/*
 * The robust scale: 1.4826·MAD; when the MAD is 0, 1.2533 times the mean
 * absolute deviation; and never below the floor, an absolute floor plus
 * 5 % of the median's magnitude.  *floored says whether the floor decided.
 */
double
hrguard_robust_scale(const HrguardRobustSummary *s, double absolute_floor, bool *floored)
{
	double		scale = HRGUARD_MAD_TO_SIGMA * s->mad;
	double		floor = absolute_floor + HRGUARD_SCALE_FLOOR_SHARE * fabs(s->median);

	if (s->mad == 0.0)
		scale = HRGUARD_MEANAD_TO_SIGMA * s->mean_ad;
	*floored = scale < floor;
	return *floored ? floor : scale;
}

/* Pr[X >= k] for X ~ Binomial(n, p) */
double
hrguard_binomial_upper_tail(int k, int n, double p)
{
	int			mode;
	double		log_mode;
	double		term;
	double		sum;
	int			i;

	if (k <= 0)
		return 1.0;
	if (k > n)
		return 0.0;
	if (p <= 0.0)
		return 0.0;
	if (p >= 1.0)
		return 1.0;

	/* the largest term, in logs, and every term of the tail from it */
	mode = Max(k, (int) floor((n + 1) * p));
	mode = Min(mode, n);
	log_mode = lgamma(n + 1.0) - lgamma(mode + 1.0) - lgamma(n - mode + 1.0) +
		mode * log(p) + (n - mode) * log1p(-p);
	term = exp(log_mode);
	sum = term;
	for (i = mode; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		term *= (double) (n - i) / (i + 1) * p / (1.0 - p);
		sum += term;
	}
	term = exp(log_mode);
	for (i = mode; i > k; i--)
	{
		CHECK_FOR_INTERRUPTS();
		term *= (double) i / (n - i + 1) * (1.0 - p) / p;
		sum += term;
	}
	return Min(sum, 1.0);
}

/* the Wilson score interval's lower bound for k successes in n trials */
double
hrguard_wilson_lower(int k, int n, double z)
{
	double		phat = (double) k / n;
	double		z2 = z * z;

	return (phat + z2 / (2.0 * n) -
			z * sqrt(phat * (1.0 - phat) / n + z2 / (4.0 * (double) n * n))) /
		(1.0 + z2 / n);
}

/*
 * The mismatch of sales against hours: D = ln((s + c_s) / (B_s + c_s)) -
 * ln((h + c_h) / (B_h + c_h)), the log of this period's productivity over
 * the baseline's.  The smoothing constants keep a zero from making it
 * infinite; false when a ratio's denominator or numerator is 0.
 */
bool
hrguard_mismatch(double sales, double hours, double baseline_sales, double baseline_hours,
				 double c_sales, double c_hours, double *d)
{
	double		num_s = sales + c_sales,
				den_s = baseline_sales + c_sales,
				num_h = hours + c_hours,
				den_h = baseline_hours + c_hours;

	if (num_s <= 0.0 || den_s <= 0.0 || num_h <= 0.0 || den_h <= 0.0)
		return false;
	*d = log(num_s / den_s) - log(num_h / den_h);
	return true;
}

/* ---- SQL ------------------------------------------------------------------ */

/* a result that left the range of float8 (huge inputs) is an error */
static Datum
finite_result(double result)
{
	if (isnan(result) || isinf(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the result is out of the range of double precision")));
	return Float8GetDatum(result);
}

/* the finite values of a float8[], refused with NULLs or NaN or infinities */
static double *
array_values(ArrayType *array, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	double	   *values;
	int			i;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the values must be a one-dimensional array")));
	hrguard_check_input_size("array of values", ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array)),
							 HRGUARD_MAX_STAT_VALUES, "elements");
	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, n);
	values = palloc(sizeof(double) * Max(*n, 1));
	for (i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("value %d is NULL", i + 1)));
		values[i] = DatumGetFloat8(elems[i]);
		if (isnan(values[i]) || isinf(values[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value %d is not a finite number", i + 1)));
	}
	return values;
}

/* median, MAD and mean absolute deviation of an array; false when empty */
static bool
array_summary(ArrayType *array, HrguardRobustSummary *s)
{
	int			n;
	double	   *values = array_values(array, &n);

	if (n == 0)
		return false;
	hrguard_robust_summary(values, n, s);
	pfree(values);
	return true;
}

PG_FUNCTION_INFO_V1(hrguard_sql_median);
Datum
hrguard_sql_median(PG_FUNCTION_ARGS)
{
	HrguardRobustSummary s;

	if (!array_summary(PG_GETARG_ARRAYTYPE_P(0), &s))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s.median);
}

PG_FUNCTION_INFO_V1(hrguard_sql_mad);
Datum
hrguard_sql_mad(PG_FUNCTION_ARGS)
{
	HrguardRobustSummary s;

	if (!array_summary(PG_GETARG_ARRAYTYPE_P(0), &s))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s.mad);
}

static double
checked_floor(double absolute_floor)
{
	if (isnan(absolute_floor) || isinf(absolute_floor) || absolute_floor < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the scale's floor must be a finite number, 0 or more")));
	return absolute_floor;
}

PG_FUNCTION_INFO_V1(hrguard_sql_robust_scale);
Datum
hrguard_sql_robust_scale(PG_FUNCTION_ARGS)
{
	HrguardRobustSummary s;
	bool		has_values = array_summary(PG_GETARG_ARRAYTYPE_P(0), &s);
	double		absolute_floor = checked_floor(PG_GETARG_FLOAT8(1));
	bool		floored;

	if (!has_values)
		PG_RETURN_NULL();
	return finite_result(hrguard_robust_scale(&s, absolute_floor, &floored));
}

PG_FUNCTION_INFO_V1(hrguard_sql_modified_z);
Datum
hrguard_sql_modified_z(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);
	HrguardRobustSummary s;
	bool		has_values = array_summary(PG_GETARG_ARRAYTYPE_P(1), &s);
	double		absolute_floor = checked_floor(PG_GETARG_FLOAT8(2));
	double		scale;
	bool		floored;

	if (isnan(x) || isinf(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the value scored must be a finite number")));
	if (!has_values)
		PG_RETURN_NULL();
	scale = hrguard_robust_scale(&s, absolute_floor, &floored);
	if (scale == 0.0)
		PG_RETURN_NULL();		/* all alike and no floor: no scale to measure by */
	return finite_result((x - s.median) / scale);
}

static void
check_counts(int k, int n)
{
	if (n < 1 || k < 0 || k > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%d successes in %d trials is not a count", k, n),
				 errdetail("Trials must be at least 1, successes from 0 to the trials.")));
	hrguard_check_input_size("number of trials", n, HRGUARD_MAX_TRIALS, "trials");
}

PG_FUNCTION_INFO_V1(hrguard_sql_binomial_tail);
Datum
hrguard_sql_binomial_tail(PG_FUNCTION_ARGS)
{
	int32		k = PG_GETARG_INT32(0);
	int32		n = PG_GETARG_INT32(1);
	double		p = PG_GETARG_FLOAT8(2);

	check_counts(k, n);
	if (isnan(p) || p < 0.0 || p > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability %g is not between 0 and 1", p)));
	PG_RETURN_FLOAT8(hrguard_binomial_upper_tail(k, n, p));
}

PG_FUNCTION_INFO_V1(hrguard_sql_wilson_lower);
Datum
hrguard_sql_wilson_lower(PG_FUNCTION_ARGS)
{
	int32		k = PG_GETARG_INT32(0);
	int32		n = PG_GETARG_INT32(1);
	double		z = PG_GETARG_FLOAT8(2);

	check_counts(k, n);
	if (isnan(z) || z <= 0.0 || z > 40.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("z must be above 0 and at most 40")));
	return finite_result(hrguard_wilson_lower(k, n, z));
}

PG_FUNCTION_INFO_V1(hrguard_sql_mismatch);
Datum
hrguard_sql_mismatch(PG_FUNCTION_ARGS)
{
	double		in[6];
	int			i;
	double		d;

	for (i = 0; i < 6; i++)
	{
		in[i] = PG_GETARG_FLOAT8(i);
		if (isnan(in[i]) || isinf(in[i]) || in[i] < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sales, hours, their baselines and the smoothing constants must be finite and 0 or more")));
	}
	if (!hrguard_mismatch(in[0], in[1], in[2], in[3], in[4], in[5], &d))
		PG_RETURN_NULL();		/* a zero with no smoothing: undefined */
	return finite_result(d);
}
