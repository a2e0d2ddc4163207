/*-------------------------------------------------------------------------
 *
 * score_guard.c
 *	  Scores are written by hrguard.score_period() only: each stored score
 *	  has its entry in the employee's evidence chain, and a rerun trusts
 *	  the stored input hash.  Any other INSERT, UPDATE, DELETE or TRUNCATE
 *	  of hrguard.score is refused.
 *
 * The guards are created ENABLE ALWAYS, so that they also fire under
 * session_replication_role = replica; pg_restore (hrguard.restore_mode)
 * and logical replication's apply worker write rows as they were.
 *
 * IDENTIFICATION
 *	  src/score_guard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "fmgr.h"

#include "common.h"
#include "privilege.h"
#include "score.h"
#include "score_store.h"

static const char *const score_tables[] = {"score", NULL};
static const HrguardTriggerSpec score_guard_spec = {
	"hrguard.score_guard()", score_tables, true,
	HRGUARD_TRIGGER_ROW | HRGUARD_TRIGGER_STATEMENT,
	HRGUARD_ON_INSERT | HRGUARD_ON_UPDATE | HRGUARD_ON_DELETE | HRGUARD_ON_TRUNCATE,
	"a BEFORE INSERT, UPDATE, DELETE or TRUNCATE trigger on hrguard.score"
};

/* hrguard.score_guard() */
PG_FUNCTION_INFO_V1(hrguard_score_guard);
Datum
hrguard_score_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = hrguard_trigger_guard(fcinfo, &score_guard_spec);
	TriggerEvent event = trigdata->tg_event;

	if (!TRIGGER_FIRED_BY_TRUNCATE(event) && !TRIGGER_FIRED_BY_DELETE(event) &&
		(hrguard_score_writing() || hrguard_row_passes_through(trigdata)))
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(event) ? trigdata->tg_newtuple
							   : trigdata->tg_trigtuple);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("scores are written by hrguard.score_period() only"),
			 errdetail("Each stored score has its entry in the employee's evidence chain; a score is %s by running hrguard.score_period() again.",
					   TRIGGER_FIRED_BY_DELETE(event) || TRIGGER_FIRED_BY_TRUNCATE(event)
					   ? "never removed; it is updated" : "updated"),
			 errhint("To restore a dump, set hrguard.restore_mode.")));
	return PointerGetDatum(NULL);	/* keep the compiler quiet */
}
