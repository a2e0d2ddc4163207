/*-------------------------------------------------------------------------
 *
 * score_signals.h
 *	  The signals of scoring, their levels and the band they give
 *	  (score_signals.c).
 *
 * IDENTIFICATION
 *	  src/score_signals.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_SIGNALS_H
#define HRGUARD_SCORE_SIGNALS_H

#include "postgres.h"

#include "score.h"

#define SCORE_SIGNALS 4
extern const char *const hrguard_score_signal_kinds[SCORE_SIGNALS];
extern bool hrguard_score_time_d(const ScoreTimeInputs *in, double *d);
extern void hrguard_score_evaluate(const ScoreInputs *in, ScoreResult *out);
extern const ScoreSignal *hrguard_score_signal(const ScoreResult *r, int i);
extern const char *hrguard_score_level_name(ScoreLevel level);
extern int	hrguard_score_band_rank(const char *band);

#endif							/* HRGUARD_SCORE_SIGNALS_H */
