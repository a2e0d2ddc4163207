/*-------------------------------------------------------------------------
 *
 * subxact_list.h
 *	  Lists whose items begin with the SubTransactionId that made them, in
 *	  order, kept right across subtransaction ends (subxact_list.c).
 *
 * IDENTIFICATION
 *	  src/subxact_list.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SUBXACT_LIST_H
#define HRGUARD_SUBXACT_LIST_H

#include "postgres.h"

#include "nodes/pg_list.h"

extern int	hrguard_subxact_tail(List *items, SubTransactionId from);
extern List *hrguard_subxact_abort(List *items, SubTransactionId subid);
extern void hrguard_subxact_commit(List *items, SubTransactionId subid,
								   SubTransactionId parent);
extern bool hrguard_subxact_all_current(List *items);

#endif							/* HRGUARD_SUBXACT_LIST_H */
