/*-------------------------------------------------------------------------
 *
 * subxact_list.c
 *	  Lists of work that belongs to the subtransaction that made it:
 *	  staged evidence entries, chain changes, pending alerts, punch
 *	  statements.
 *
 * Each item begins with the SubTransactionId that made it, and items are
 * appended in order, so their ids never decrease along the list: what a
 * subtransaction made (with what its committed children handed it) is
 * always the list's tail.  A subtransaction that aborts drops that tail;
 * one that commits relabels it as its parent's.
 *
 * IDENTIFICATION
 *	  src/subxact_list.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "nodes/pg_list.h"

#include "subxact_list.h"

#define ITEM_SUBID(items, i) (*(SubTransactionId *) list_nth((items), (i)))

/* Where the tail made by subtransaction "from" or later begins. */
int
hrguard_subxact_tail(List *items, SubTransactionId from)
{
	int			i = list_length(items);

	while (i > 0 && ITEM_SUBID(items, i - 1) >= from)
		i--;
	return i;
}

/* The subtransaction aborted: drop what it made. */
List *
hrguard_subxact_abort(List *items, SubTransactionId subid)
{
	return list_truncate(items, hrguard_subxact_tail(items, subid));
}

/* The subtransaction committed: what it made is now its parent's. */
void
hrguard_subxact_commit(List *items, SubTransactionId subid, SubTransactionId parent)
{
	int			i;

	for (i = hrguard_subxact_tail(items, subid); i < list_length(items); i++)
		ITEM_SUBID(items, i) = parent;
}

/* Was everything in the list made by the running subtransaction? */
bool
hrguard_subxact_all_current(List *items)
{
	return items == NIL ||
		*(SubTransactionId *) linitial(items) == GetCurrentSubTransactionId();
}
