/*-------------------------------------------------------------------------
 *
 * punch_statement.h
 *	  What one punch statement has seen: rows expected and confirmed, the
 *	  history reader it shares, its end (punch_statement.c).
 *
 * IDENTIFICATION
 *	  src/punch_statement.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PUNCH_STATEMENT_H
#define HRGUARD_PUNCH_STATEMENT_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"

struct PunchHistoryReader;
extern void hrguard_punch_statement_attach(struct PunchHistoryReader *reader);
extern void hrguard_punch_statement_end(void);
extern void hrguard_punch_statement_expect(HeapTuple tuple, TupleDesc desc);
extern void hrguard_punch_statement_confirm(HeapTuple tuple, TupleDesc desc);

#endif							/* HRGUARD_PUNCH_STATEMENT_H */
