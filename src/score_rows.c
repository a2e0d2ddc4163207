/*-------------------------------------------------------------------------
 *
 * score_rows.c
 *	  The facts a scoring run reads in bulk (punches, visits, deals): one
 *	  query per table, its rows handed by the executor straight to a
 *	  receiver that puts each in its employee's bucket, in no order.
 *
 * No ORDER BY and no join to the employees: the receiver finds each row's
 * employee in a hash of the employees scored and passes over the others
 * (of another tenant, or not employed in the period), and each employee's
 * few hundred rows are put in order afterwards where order matters.  The
 * query is planned as any other: parallel workers may read the table.
 *
 * IDENTIFICATION
 *	  src/score_rows.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "score_rows.h"

typedef struct EmployeeSlot
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	int			index;
} EmployeeSlot;

typedef struct RowReceiver
{
	DestReceiver pub;
	HTAB	   *employees;
	ScoreRowFn	fn;
	void	   *arg;
	uint64		rows;
} RowReceiver;

void *
hrguard_bucket_push(ScoreBucket *b, size_t size, MemoryContext context)
{
	if (b->n == b->cap)
	{
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = b->v ? repalloc_huge(b->v, size * b->cap)
			: MemoryContextAllocHuge(context, size * b->cap);
	}
	return (char *) b->v + size * b->n++;
}

/* employee_id is shorter than 128 bytes (employee_id_length), the key's size */
HTAB *
hrguard_score_employee_index(const ScoreEmployee *es, int first, int end, MemoryContext context)
{
	HASHCTL		hctl;
	HTAB	   *index;
	int			i;

	hctl.keysize = NAMEDATALEN * 2;
	hctl.entrysize = sizeof(EmployeeSlot);
	hctl.hcxt = context;
	index = hash_create("hrguard scoring employees", Max(end - first, 16), &hctl,
						HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	for (i = first; i < end; i++)
	{
		EmployeeSlot *slot;

		if (strlen(es[i].employee_id) >= NAMEDATALEN * 2)
			elog(ERROR, "employee id \"%s\" is too long to score", es[i].employee_id);
		slot = hash_search(index, es[i].employee_id, HASH_ENTER, NULL);
		slot->index = i - first;
	}
	return index;
}

/* a row: its employee (column 1) looked up, and handed on if scored */
static bool
receive_row(TupleTableSlot *slot, DestReceiver *self)
{
	RowReceiver *r = (RowReceiver *) self;
	text	   *id;
	char		key[NAMEDATALEN * 2];
	int			len;
	EmployeeSlot *found;

	CHECK_FOR_INTERRUPTS();
	slot_getallattrs(slot);
	if (slot->tts_isnull[0])
		return true;
	id = DatumGetTextPP(slot->tts_values[0]);
	len = VARSIZE_ANY_EXHDR(id);
	if (len >= NAMEDATALEN * 2)
		return true;
	memcpy(key, VARDATA_ANY(id), len);
	key[len] = '\0';
	found = hash_search(r->employees, key, HASH_FIND, NULL);
	if (found == NULL)
		return true;			/* not scored */
	r->rows++;
	r->fn(r->arg, found->index, slot);
	return true;
}

static void
receive_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
receive_shutdown(DestReceiver *self)
{
}

static void
receive_destroy(DestReceiver *self)
{
}

/*
 * Run "query" (its parameters args/nulls of types "types"; its first column
 * the employee_id) as the current user, read only, and hand each row of an
 * employee of "employees" to fn.  Returns the number of rows handed on.
 */
uint64
hrguard_score_read_rows(const char *query, int nargs, Oid *types, Datum *args,
						const char *nulls, HTAB *employees, ScoreRowFn fn, void *arg)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(query, nargs, types, CURSOR_OPT_PARALLEL_OK);
	ParamListInfo params = makeParamList(nargs);
	SPIExecuteOptions options;
	RowReceiver receiver;
	int			i;
	int			rc;

	if (plan == NULL)
		elog(ERROR, "could not prepare a scoring query: %s", SPI_result_code_string(SPI_result));
	for (i = 0; i < nargs; i++)
	{
		params->params[i].value = args[i];
		params->params[i].isnull = nulls[i] == 'n';
		params->params[i].pflags = PARAM_FLAG_CONST;
		params->params[i].ptype = types[i];
	}
	memset(&receiver, 0, sizeof(receiver));
	receiver.pub.receiveSlot = receive_row;
	receiver.pub.rStartup = receive_startup;
	receiver.pub.rShutdown = receive_shutdown;
	receiver.pub.rDestroy = receive_destroy;
	receiver.pub.mydest = DestNone;		/* rows are received here, SPI keeps none */
	receiver.employees = employees;
	receiver.fn = fn;
	receiver.arg = arg;

	memset(&options, 0, sizeof(options));
	options.params = params;
	options.read_only = true;
	options.dest = &receiver.pub;
	rc = SPI_execute_plan_extended(plan, &options);
	if (rc < 0)
		elog(ERROR, "could not run a scoring query: %s", SPI_result_code_string(rc));
	SPI_freeplan(plan);
	pfree(params);
	return receiver.rows;
}
