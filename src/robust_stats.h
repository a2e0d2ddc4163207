/*-------------------------------------------------------------------------
 *
 * robust_stats.h
 *	  Median, MAD, robust scale, modified z-score, binomial tail and Wilson
 *	  bound: the statistics scoring is built on (robust_stats.c).
 *
 * IDENTIFICATION
 *	  src/robust_stats.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_ROBUST_STATS_H
#define HRGUARD_ROBUST_STATS_H

/* sigma from the MAD, and from the mean absolute deviation, for normal data */
#define HRGUARD_MAD_TO_SIGMA		1.4826
#define HRGUARD_MEANAD_TO_SIGMA		1.2533
/* the scale's floor grows with the median's magnitude by this share */
#define HRGUARD_SCALE_FLOOR_SHARE	0.05

/* bounds on what the SQL functions take */
#define HRGUARD_MAX_STAT_VALUES		1000000
#define HRGUARD_MAX_TRIALS			100000000

typedef struct HrguardRobustSummary
{
	double		median;
	double		mad;			/* median absolute deviation */
	double		mean_ad;		/* mean absolute deviation from the median */
} HrguardRobustSummary;

extern double hrguard_median(double *values, int n);
extern void hrguard_robust_summary(const double *values, int n, HrguardRobustSummary *s);
extern double hrguard_robust_scale(const HrguardRobustSummary *s, double absolute_floor,
								   bool *floored);
extern double hrguard_binomial_upper_tail(int k, int n, double p);
extern double hrguard_wilson_lower(int k, int n, double z);
extern bool hrguard_mismatch(double sales, double hours, double baseline_sales,
							 double baseline_hours, double c_sales, double c_hours, double *d);

#endif							/* HRGUARD_ROBUST_STATS_H */
