/*-------------------------------------------------------------------------
 *
 * score_rows.c
 *	  The facts a scoring run reads in bulk (punches, visits, deals): one
 *	  query per table, its rows handed by the executor straight to a
 *	  receiver that notes its employee; then grouped by employee.
 *
 * No ORDER BY and no join to the employees: the receiver finds each row's
 * employee in a hash of the employees scored (simplehash.h, over the
 * row's own bytes) and passes over the others
 * (of another tenant, or not employed in the period), and each employee's
 * few hundred rows are put in order afterwards where order matters.
 *
 * IDENTIFICATION
 *	  src/score_rows.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "score_rows.h"

/* an employee id, not copied: the employee's own, or a row's column */
typedef struct EmployeeKey
{
	const char *data;
	int			len;
} EmployeeKey;

typedef struct EmployeeEntry
{
	EmployeeKey key;
	uint32		hash;
	char		status;
	int			index;
} EmployeeEntry;

#define SH_PREFIX employees
#define SH_ELEMENT_TYPE EmployeeEntry
#define SH_KEY_TYPE EmployeeKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) hash_bytes((const unsigned char *) (k).data, (k).len)
#define SH_EQUAL(tb, a, b) ((a).len == (b).len && memcmp((a).data, (b).data, (a).len) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, e) ((e)->hash)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

struct ScoreEmployeeIndex
{
	employees_hash *hash;
};

typedef struct RowReceiver
{
	DestReceiver pub;
	ScoreEmployeeIndex *employees;
	int			employee_column;	/* from 0 */
	ScoreRowFn	fn;
	void	   *arg;
} RowReceiver;

void
hrguard_groups_init(ScoreGroups *g, size_t size, MemoryContext context)
{
	memset(g, 0, sizeof(ScoreGroups));
	g->size = size;
	g->context = context;
}

/*
 * A new entry of an employee: appended to the last block (a new one when it
 * is full; the entries read are never copied until they are grouped).
 */
void *
hrguard_groups_push(ScoreGroups *g, int employee)
{
	int			at = (int) (g->n % SCORE_GROUPS_BLOCK);

	if (at == 0)
	{
		if (g->nblocks == g->maxblocks)
		{
			g->maxblocks = g->maxblocks ? g->maxblocks * 2 : 64;
			g->blocks = g->blocks ? repalloc(g->blocks, sizeof(char *) * g->maxblocks)
				: MemoryContextAlloc(g->context, sizeof(char *) * g->maxblocks);
			g->owners = g->owners ? repalloc(g->owners, sizeof(int *) * g->maxblocks)
				: MemoryContextAlloc(g->context, sizeof(int *) * g->maxblocks);
		}
		g->blocks[g->nblocks] = MemoryContextAlloc(g->context, g->size * SCORE_GROUPS_BLOCK);
		g->owners[g->nblocks] = MemoryContextAlloc(g->context, sizeof(int) * SCORE_GROUPS_BLOCK);
		g->nblocks++;
	}
	g->owners[g->nblocks - 1][at] = employee;
	g->n++;
	return g->blocks[g->nblocks - 1] + g->size * at;
}

/* put the entries in employee order, keeping the order read within each */
void
hrguard_groups_group(ScoreGroups *g, int nemployees)
{
	int64	   *next = MemoryContextAllocHuge(g->context, sizeof(int64) * (nemployees + 1));
	int64		i;
	int			b,
				k;

	g->start = MemoryContextAllocHuge(g->context, sizeof(int64) * (nemployees + 1));
	memset(g->start, 0, sizeof(int64) * (nemployees + 1));
	for (i = 0; i < g->n; i++)
		g->start[g->owners[i / SCORE_GROUPS_BLOCK][i % SCORE_GROUPS_BLOCK] + 1]++;
	for (k = 0; k < nemployees; k++)
		g->start[k + 1] += g->start[k];
	memcpy(next, g->start, sizeof(int64) * (nemployees + 1));
	g->v = MemoryContextAllocHuge(g->context, g->size * Max(g->n, 1));
	/* entries are of 8-byte words (they hold timestamps): copied a word at a time */
	Assert(g->size % sizeof(uint64) == 0);
	for (b = 0; b < g->nblocks; b++)
	{
		int			in_block = (int) Min(g->n - (int64) b * SCORE_GROUPS_BLOCK, SCORE_GROUPS_BLOCK);
		const int  *owner = g->owners[b];
		int			j;

		for (j = 0; j < in_block; j++)
		{
			const uint64 *from = (const uint64 *) (g->blocks[b] + g->size * j);
			uint64	   *to = (uint64 *) (g->v + g->size * next[owner[j]]++);
			size_t		w;

			for (w = 0; w < g->size / sizeof(uint64); w++)
				to[w] = from[w];
		}
		pfree(g->blocks[b]);
		pfree(g->owners[b]);
	}
	if (g->blocks != NULL)
	{
		pfree(g->blocks);
		pfree(g->owners);
	}
	pfree(next);
	g->blocks = NULL;
	g->owners = NULL;
	g->nblocks = g->maxblocks = 0;
}

ScoreEmployeeIndex *
hrguard_score_employee_index(const ScoreEmployee *es, int first, int end, MemoryContext context)
{
	ScoreEmployeeIndex *index = MemoryContextAlloc(context, sizeof(ScoreEmployeeIndex));
	size_t		bytes = 0;
	char	   *ids;
	int			i;

	/*
	 * The ids copied side by side: rows come in any employee order, and
	 * each lookup compares the row's id with one of them, which should not
	 * cost a cache miss of its own.
	 */
	for (i = first; i < end; i++)
		bytes += strlen(es[i].employee_id);
	ids = MemoryContextAlloc(context, Max(bytes, 1));
	index->hash = employees_create(context, Max(end - first, 16), NULL);
	for (i = first; i < end; i++)
	{
		EmployeeKey key = {ids, (int) strlen(es[i].employee_id)};
		bool		found;
		EmployeeEntry *entry;

		memcpy(ids, es[i].employee_id, key.len);
		ids += key.len;
		entry = employees_insert(index->hash, key, &found);
		entry->index = i - first;
	}
	return index;
}

/* a row: its employee looked up, and handed on if scored */
static bool
receive_row(TupleTableSlot *slot, DestReceiver *self)
{
	RowReceiver *r = (RowReceiver *) self;
	text	   *id;
	EmployeeKey key;
	EmployeeEntry *found;

	CHECK_FOR_INTERRUPTS();
	slot_getallattrs(slot);
	if (slot->tts_isnull[r->employee_column])
		return true;
	id = DatumGetTextPP(slot->tts_values[r->employee_column]);
	key.data = VARDATA_ANY(id);
	key.len = VARSIZE_ANY_EXHDR(id);
	found = employees_lookup(r->employees->hash, key);
	if (found == NULL)
		return true;			/* not scored */
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
 * Run "query" (its parameters args/nulls of types "types"; its column
 * employee_column, from 0, the employee_id) as the current user, read only,
 * and hand each row of an employee of "employees" to fn.  The query is planned as any other, with
 * the parameters' values (a custom plan): the planner may read a table by
 * an index, or with parallel workers, as its costs say.
 */
void
hrguard_score_read_rows(const char *query, int nargs, Oid *types, Datum *args,
						const char *nulls, ScoreEmployeeIndex *employees, int employee_column,
						ScoreRowFn fn, void *arg)
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
	receiver.employee_column = employee_column;
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
}
