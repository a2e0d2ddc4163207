/*-------------------------------------------------------------------------
 *
 * drop_guard.h
 *	  The guard that refuses to drop hrguard while it holds evidence (drop_guard.c).
 *
 * IDENTIFICATION
 *	  src/drop_guard.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_DROP_GUARD_H
#define HRGUARD_DROP_GUARD_H

#include "postgres.h"

/* hrguard.allow_drop_evidence */
extern bool hrguard_allow_drop_evidence;

#endif							/* HRGUARD_DROP_GUARD_H */
