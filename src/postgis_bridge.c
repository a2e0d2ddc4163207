/*-------------------------------------------------------------------------
 *
 * postgis_bridge.c
 *	  The few PostGIS functions hrguard calls from C, found by name.
 *
 * PostGIS installs no headers and may live in any schema, so its functions
 * are looked up in the schema of the geometry type that hrguard's own
 * columns use, and called through FmgrInfos kept for the backend's life
 * (PostGIS needs a real flinfo; DirectFunctionCall does not work).  Only
 * zone writes and cache rebuilds come here, never the per-punch path: the
 * geometry travels as EWKB, which wkb.c reads and writes.
 *
 * IDENTIFICATION
 *	  src/postgis_bridge.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "postgis_bridge.h"

typedef struct PostgisFunctions
{
	Oid			geometry_type;	/* InvalidOid until looked up */
	FmgrInfo	as_ewkb;		/* st_asewkb(geometry) -> bytea */
	FmgrInfo	from_ewkb;		/* st_geomfromewkb(bytea) -> geometry */
	FmgrInfo	is_valid_reason;	/* st_isvalidreason(geometry) -> text */
} PostgisFunctions;

static PostgisFunctions postgis = {InvalidOid};

static void
lookup_function(const char *schema, const char *name, Oid argtype, FmgrInfo *finfo)
{
	List	   *qualified = list_make2(makeString(pstrdup(schema)), makeString(pstrdup(name)));
	Oid			fn = LookupFuncName(qualified, 1, &argtype, true);

	if (!OidIsValid(fn))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("PostGIS function %s.%s was not found", schema, name),
				 errhint("hrguard needs PostGIS 3 in the schema of type geometry.")));
	fmgr_info_cxt(fn, finfo, TopMemoryContext);
}

/*
 * Make the PostGIS functions ready for the geometry type with the given OID
 * (the type of one of hrguard's geometry columns).
 */
void
hrguard_postgis_prepare(Oid geometry_type)
{
	HeapTuple	tuple;
	char	   *schema;

	if (postgis.geometry_type == geometry_type)
		return;

	tuple = SearchSysCache1(TYPEOID, ObjectIdGetDatum(geometry_type));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for type %u", geometry_type);
	schema = get_namespace_name(((Form_pg_type) GETSTRUCT(tuple))->typnamespace);
	ReleaseSysCache(tuple);

	lookup_function(schema, "st_asewkb", geometry_type, &postgis.as_ewkb);
	lookup_function(schema, "st_geomfromewkb", BYTEAOID, &postgis.from_ewkb);
	lookup_function(schema, "st_isvalidreason", geometry_type, &postgis.is_valid_reason);
	postgis.geometry_type = geometry_type;
}

/* EWKB (with SRID) of a geometry value. */
bytea *
hrguard_geometry_to_ewkb(Datum geometry)
{
	Assert(OidIsValid(postgis.geometry_type));
	return DatumGetByteaPP(FunctionCall1(&postgis.as_ewkb, geometry));
}

/* A geometry value from EWKB. */
Datum
hrguard_geometry_from_ewkb(bytea *ewkb)
{
	Assert(OidIsValid(postgis.geometry_type));
	return FunctionCall1(&postgis.from_ewkb, PointerGetDatum(ewkb));
}

/* NULL when the geometry is valid (OGC), otherwise PostGIS's reason. */
char *
hrguard_geometry_invalid_reason(Datum geometry)
{
	char	   *reason;

	Assert(OidIsValid(postgis.geometry_type));
	reason = TextDatumGetCString(FunctionCall1(&postgis.is_valid_reason, geometry));
	if (strcmp(reason, "Valid Geometry") == 0)
		return NULL;
	return reason;
}
