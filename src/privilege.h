/*-------------------------------------------------------------------------
 *
 * privilege.h
 *	  Running work as the owner of hrguard's tables, where hrguard's trigger
 *	  functions may fire, callers' rights, and bounds on callers' input
 *	  (privilege.c).
 *
 * IDENTIFICATION
 *	  src/privilege.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PRIVILEGE_H
#define HRGUARD_PRIVILEGE_H

#include "postgres.h"

#include "commands/trigger.h"
#include "fmgr.h"

/* running internal work as the owner of hrguard's tables */
typedef struct HrguardSavedUser
{
	Oid			userid;
	int			sec_context;
	int			guc_level;		/* of the sealed search_path */
} HrguardSavedUser;

/* the search_path of every span that runs as the owner */
#define HRGUARD_SEALED_SEARCH_PATH "pg_catalog, pg_temp"

extern void hrguard_become_owner(Oid owner, HrguardSavedUser *saved);
extern void hrguard_restore_user(const HrguardSavedUser *saved);

#define HRGUARD_TRIGGER_ROW			0x01
#define HRGUARD_TRIGGER_STATEMENT	0x02
#define HRGUARD_TRIGGER_EVENT(event) (1 << ((event) & TRIGGER_EVENT_OPMASK))
#define HRGUARD_ON_INSERT			(1 << TRIGGER_EVENT_INSERT)
#define HRGUARD_ON_DELETE			(1 << TRIGGER_EVENT_DELETE)
#define HRGUARD_ON_UPDATE			(1 << TRIGGER_EVENT_UPDATE)
#define HRGUARD_ON_TRUNCATE			(1 << TRIGGER_EVENT_TRUNCATE)

/* where a trigger function of hrguard may fire */
typedef struct HrguardTriggerSpec
{
	const char *function;		/* its SQL name, for messages */
	const char *const *tables;	/* NULL-terminated, of hrguard's schema */
	bool		before;			/* BEFORE, else AFTER */
	int			levels;			/* HRGUARD_TRIGGER_ROW and/or _STATEMENT */
	int			events;			/* HRGUARD_ON_* */
	const char *expected;		/* "a BEFORE INSERT row trigger on ..." */
} HrguardTriggerSpec;

extern TriggerData *hrguard_trigger_guard(FunctionCallInfo fcinfo,
										  const HrguardTriggerSpec *spec);
extern bool hrguard_can_select(Oid roleid, const char *table);
extern void hrguard_require_select(const char *function, const char *table);
extern void hrguard_rethrow_for(bool caller_may_read) pg_attribute_noreturn();
extern void hrguard_check_input_size(const char *what, int64 size, int64 limit,
									 const char *unit);
extern char *hrguard_checked_employee_id(Datum id, bool isnull);
extern const char *hrguard_echo(const char *input);


/* at most this many bytes of a caller's input are echoed in an error */
#define HRGUARD_ECHO_MAX 64

/* the nesting depth of the triggers running now */
extern int	hrguard_trigger_depth(void);

#endif							/* HRGUARD_PRIVILEGE_H */
