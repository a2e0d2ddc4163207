/*-------------------------------------------------------------------------
 *
 * score_peers.h
 *	  The peer statistics of a scoring run (score_peers.c).
 *
 * IDENTIFICATION
 *	  src/score_peers.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_PEERS_H
#define HRGUARD_SCORE_PEERS_H

#include "score.h"

extern void hrguard_score_peers(ScoreEmployee *es, int n);

#endif							/* HRGUARD_SCORE_PEERS_H */
