/*-------------------------------------------------------------------------
 *
 * score_json.h
 *	  Scores, their inputs and signals as canonical JSON (score_json.c).
 *
 * IDENTIFICATION
 *	  src/score_json.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_JSON_H
#define HRGUARD_SCORE_JSON_H

#include "postgres.h"

#include "utils/jsonb.h"

#include "score.h"

extern Jsonb *hrguard_score_inputs_json(StringInfo out, const ScoreInputs *in,
									  const ScoreSpan *span);
extern Jsonb *hrguard_score_result_json(const ScoreResult *r);
extern Jsonb *hrguard_score_signal_json(const ScoreResult *r, int i);

#endif							/* HRGUARD_SCORE_JSON_H */
