/*-------------------------------------------------------------------------
 *
 * punch_risk.h
 *	  A punch's risk features and the kinds of alert it deserves
 *	  (punch_risk.c).
 *
 * IDENTIFICATION
 *	  src/punch_risk.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PUNCH_RISK_H
#define HRGUARD_PUNCH_RISK_H

#include "postgres.h"

#include "utils/jsonb.h"

#include "classify.h"
#include "punch_history.h"
#include "punch_input.h"
#include "zone_cache.h"

/* the risk features a punch shows, and its risk object (NULL: none) */
typedef struct PunchRisk
{
	bool		impossible;
	bool		repeated;
	bool		new_device;
	bool		bssid_mismatch;
	bool		any;			/* the object has a key */
	Jsonb	   *json;
} PunchRisk;

extern void hrguard_punch_assess_risk(const PunchInput *in, const HrguardVerdict *v,
									  const PunchHistory *h, const HrguardZoneCache *cache,
									  PunchRisk *risk);
/* fills kinds (room for five); returns how many */
extern int	hrguard_punch_alert_kinds(const PunchInput *in, const HrguardVerdict *v,
									  const PunchRisk *risk, Datum *kinds);

#endif							/* HRGUARD_PUNCH_RISK_H */
