/*-------------------------------------------------------------------------
 *
 * score_facts.h
 *	  The punches, visits, deals and deals' customers of a chunk of the
 *	  employees scored, read in bulk (score_facts.c).
 *
 * IDENTIFICATION
 *	  src/score_facts.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_FACTS_H
#define HRGUARD_SCORE_FACTS_H

#include "postgres.h"

#include "datatype/timestamp.h"

#include "score.h"
#include "score_rows.h"

/* a CRM visit or a visit punch in a client zone */
typedef struct ScoreVisit
{
	char	   *customer_id;	/* NULL: too far from the period to link a deal to */
	TimestampTz at;				/* started */
	TimestampTz ended;
	bool		crm;
	bool		long_enough;	/* to link a deal to */
} ScoreVisit;

typedef struct ScoreDeal
{
	TimestampTz closed;
	double		amount;
	char	   *sale_id;		/* NULL (both): not of the period, counted as sales only */
	char	   *customer_id;
} ScoreDeal;

/* a customer of a tenant's master named by a deal of the period */
typedef struct ScoreCustomer
{
	char	   *customer_id;
	char	   *tenant_id;
	TimestampTz created_at;
	char	   *created_by;		/* NULL: not known */
} ScoreCustomer;

/* employees first .. end - 1: their facts by index i - first */
typedef struct ScoreChunkFacts
{
	MemoryContext context;
	ScoreGroups punches;		/* ScorePunch, on-duty and off-duty */
	ScoreGroups visits;			/* ScoreVisit */
	ScoreGroups deals;			/* ScoreDeal */
	ScoreCustomer *customers;	/* by customer_id, then tenant_id */
	int			ncustomers;
	TimestampTz period_start;	/* deals from .. (the period, with the span's margin) */
	TimestampTz period_end;		/* .. to before, whose ids are read */
} ScoreChunkFacts;

extern void hrguard_score_read_chunk(ScoreChunkFacts *c, const ScoreEmployee *es, int first, int end,
									 int nemployees, const ScoreSpan *span, MemoryContext context);
extern const ScoreCustomer *hrguard_score_customer(const ScoreChunkFacts *c, const char *customer_id,
													const char *tenant_id);

/* the times whose facts a span reads: its days and its margin either side (time zones) */
#define SCORE_SPAN_START(span)	((TimestampTz) ((span)->first_day - (span)->margin_days) * USECS_PER_DAY)
#define SCORE_SPAN_END(span)	((TimestampTz) ((span)->to + 1 + (span)->margin_days) * USECS_PER_DAY)

#endif							/* HRGUARD_SCORE_FACTS_H */
