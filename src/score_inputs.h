/*-------------------------------------------------------------------------
 *
 * score_inputs.h
 *	  The inputs of scoring gathered for a period: hours, sales, visits,
 *	  customers, per employee (score_inputs.c).
 *
 * IDENTIFICATION
 *	  src/score_inputs.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_INPUTS_H
#define HRGUARD_SCORE_INPUTS_H

#include "postgres.h"

#include "score.h"

extern void hrguard_score_span(DateADT from, DateADT to, ScoreSpan *span);
extern ScoreEmployee *hrguard_score_gather(const ScoreSpan *span, const char *tenant_id, int *n);

#endif							/* HRGUARD_SCORE_INPUTS_H */
