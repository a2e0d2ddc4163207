/*-------------------------------------------------------------------------
 *
 * score_store.h
 *	  Storing the scores of a run in hrguard.score, with their evidence
 *	  entries and alerts (score_store.c).
 *
 * IDENTIFICATION
 *	  src/score_store.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_STORE_H
#define HRGUARD_SCORE_STORE_H

#include "postgres.h"

#include "utils/date.h"

#include "score.h"

typedef struct ScoreStore ScoreStore;

extern ScoreStore *hrguard_score_store_begin(DateADT from, DateADT to, const ScoreSpan *span);
extern void hrguard_score_store(ScoreStore *run, ScoreEmployee *e);
extern void hrguard_score_store_end(ScoreStore *run, int64 *changed, int64 *raised);

/* true while a run writes hrguard.score, for the row triggers of its statement */
extern bool hrguard_score_writing(void);

#endif							/* HRGUARD_SCORE_STORE_H */
