/*-------------------------------------------------------------------------
 *
 * score_period.h
 *	  Scoring a period: hrguard.score_period() and its writing of
 *	  hrguard.score (score_period.c).
 *
 * IDENTIFICATION
 *	  src/score_period.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_PERIOD_H
#define HRGUARD_SCORE_PERIOD_H

#include "postgres.h"

#include "score.h"

/* true while score_period() writes hrguard.score */
extern bool hrguard_score_writing(void);

#endif							/* HRGUARD_SCORE_PERIOD_H */
