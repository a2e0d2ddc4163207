/*-------------------------------------------------------------------------
 *
 * zone_grid.c
 *	  The uniform grid over the zone cache's zones: building it, and the
 *	  candidate zones of a point.
 *
 * Each zone is listed in every cell its bounding box touches, in CSR form
 * (sorted cell keys, and per cell a run of zone indexes); a lookup visits
 * the cells within its margin and keeps the zones whose box is near the
 * point.  The caller tests each candidate exactly.
 *
 * IDENTIFICATION
 *	  src/zone_grid.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/memutils.h"

#include "common.h"
#include "geo.h"
#include "zone_cache.h"
#include "zone_grid.h"

/* a zone covering more cells than this is checked for every lookup */
#define MAX_CELLS_PER_ZONE	4096
/* a lookup needing more cells than this scans every zone instead */
#define MAX_CELLS_PER_LOOKUP 1024

typedef struct CellEntry
{
	int64		key;
	int			zone;
} CellEntry;

static int
compare_cell_entries(const void *a, const void *b)
{
	const CellEntry *x = a;
	const CellEntry *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->zone - y->zone;
}

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

#define CELL_KEY(ix, iy) ((((int64) (ix)) << 32) | (uint32) (iy))

/*
 * Build the grid over the cache's zones: cells about twice the median
 * zone extent; a zone spanning too many cells is kept aside and offered
 * to every lookup.
 */
void
hrguard_zone_grid_build(HrguardZoneCache *cache)
{
	double	   *extents;
	CellEntry  *entries = NULL;
	int			nentries = 0,
				capacity = 0;
	int			i,
				nlarge = 0;

	cache->large_zones = palloc(sizeof(int) * Max(cache->nzones, 1));
	cache->seen = palloc0(sizeof(uint32) * Max(cache->nzones, 1));
	if (cache->nzones == 0)
	{
		cache->cell = 1.0;
		cache->cell_start = palloc0(sizeof(int));
		return;
	}

	extents = palloc(sizeof(double) * cache->nzones);
	for (i = 0; i < cache->nzones; i++)
	{
		HrguardShape *s = &cache->zones[i].shape;

		extents[i] = fmax(s->xmax - s->xmin, s->ymax - s->ymin);
	}
	qsort(extents, cache->nzones, sizeof(double), compare_doubles);
	cache->cell = fmin(1.0, fmax(1e-4, 2.0 * extents[cache->nzones / 2]));
	pfree(extents);

	for (i = 0; i < cache->nzones; i++)
	{
		HrguardShape *s = &cache->zones[i].shape;
		int64		y0 = (int64) floor(s->ymin / cache->cell);
		int64		y1 = (int64) floor(s->ymax / cache->cell);
		int			turn;

		if ((int64) floor(s->xmax / cache->cell) - (int64) floor(s->xmin / cache->cell) + 1 >
			MAX_CELLS_PER_ZONE / Max(y1 - y0 + 1, 1))
		{
			cache->large_zones[nlarge++] = i;
			continue;
		}

		/*
		 * A box that reaches past the 180th meridian is also entered a turn
		 * the other way, where points on the other side look for it.
		 */
		for (turn = -1; turn <= 1; turn++)
		{
			double		shift = 360.0 * turn;
			int64		x0 = (int64) floor((s->xmin + shift) / cache->cell);
			int64		x1 = (int64) floor((s->xmax + shift) / cache->cell);
			int64		ix,
						iy;

			if ((turn < 0 && s->xmax <= 180.0) || (turn > 0 && s->xmin >= -180.0))
				continue;
			for (ix = x0; ix <= x1; ix++)
				for (iy = y0; iy <= y1; iy++)
				{
					if (nentries == capacity)
					{
						capacity = capacity ? capacity * 2 : 1024;
						entries = entries ? repalloc(entries, sizeof(CellEntry) * capacity) :
							palloc(sizeof(CellEntry) * capacity);
					}
					entries[nentries].key = CELL_KEY(ix, iy);
					entries[nentries].zone = i;
					nentries++;
				}
		}
	}
	cache->nlarge = nlarge;

	if (nentries > 0)
		qsort(entries, nentries, sizeof(CellEntry), compare_cell_entries);
	cache->cell_keys = palloc(sizeof(int64) * Max(nentries, 1));
	cache->cell_start = palloc(sizeof(int) * (nentries + 1));
	cache->cell_zones = palloc(sizeof(int) * Max(nentries, 1));
	cache->ncells = 0;
	for (i = 0; i < nentries; i++)
	{
		if (i == 0 || entries[i].key != entries[i - 1].key)
		{
			cache->cell_keys[cache->ncells] = entries[i].key;
			cache->cell_start[cache->ncells] = i;
			cache->ncells++;
		}
		cache->cell_zones[i] = entries[i].zone;
	}
	cache->cell_start[cache->ncells] = nentries;
	if (entries)
		pfree(entries);
}

static void
add_candidate(HrguardZoneCache *cache, HrguardCandidates *out, int zone)
{
	if (cache->seen[zone] == cache->seen_stamp)
		return;
	cache->seen[zone] = cache->seen_stamp;
	if (out->n == out->capacity)
	{
		out->capacity = out->capacity ? out->capacity * 2 : 64;
		out->zones = out->zones ?
			repalloc(out->zones, sizeof(int) * out->capacity) :
			MemoryContextAlloc(TopMemoryContext, sizeof(int) * out->capacity);
	}
	out->zones[out->n++] = zone;
}

/* the first cell whose key is at least "key" (ncells if none) */
static int
first_cell_from(const HrguardZoneCache *cache, int64 key)
{
	return hrguard_lower_bound(cache->cell_keys, cache->ncells, sizeof(int64), &key,
							   hrguard_compare_int64_key);
}

/*
 * The zones of the cells of column ix from row y0 to y1, which lie side by
 * side in the sorted keys as long as the rows do not change sign (a key
 * holds the row as uint32): one search per column, then a walk.
 */
static void
add_column(HrguardZoneCache *cache, HrguardCandidates *out, int64 ix, int64 y0, int64 y1)
{
	int			c;

	if (y0 < 0 && y1 >= 0)
	{
		add_column(cache, out, ix, y0, -1);
		add_column(cache, out, ix, 0, y1);
		return;
	}
	for (c = first_cell_from(cache, CELL_KEY(ix, y0));
		 c < cache->ncells && cache->cell_keys[c] <= CELL_KEY(ix, y1); c++)
	{
		int			k;

		for (k = cache->cell_start[c]; k < cache->cell_start[c + 1]; k++)
			add_candidate(cache, out, cache->cell_zones[k]);
	}
}

/*
 * Zones whose bounding box may come within margin_m of the point.  The
 * caller still tests each one exactly.
 */
void
hrguard_zone_candidates(HrguardZoneCache *cache, double lon, double lat,
						double margin_m, HrguardCandidates *out)
{
	double		dlon,
				dlat;
	int64		x0,
				x1,
				y0,
				y1,
				ix;
	int			i,
				turn;

	out->n = 0;
	if (++cache->seen_stamp == 0)
	{
		memset(cache->seen, 0, sizeof(uint32) * Max(cache->nzones, 1));
		cache->seen_stamp = 1;
	}

	/* a margin wider than the world's span takes in every zone anyway */
	hrguard_degree_margin(lat, fmin(fmax(margin_m, 0.0), HRGUARD_MAX_ACCURACY_M), &dlon, &dlat);
	dlon = fmin(dlon, 360.0);
	dlat = fmin(dlat, 180.0);
	y0 = (int64) floor((lat - dlat) / cache->cell);
	y1 = (int64) floor((lat + dlat) / cache->cell);

	/*
	 * The cells around the point, and, where the margin crosses the 180th
	 * meridian, around the point taken a turn the other way (a zone's box
	 * is as its coordinates are, and may reach past 180 or -180).
	 */
	for (turn = -1; turn <= 1; turn++)
	{
		double		l = lon + 360.0 * turn;

		if ((turn < 0 && lon + dlon <= 180.0) || (turn > 0 && lon - dlon >= -180.0))
			continue;
		x0 = (int64) floor((l - dlon) / cache->cell);
		x1 = (int64) floor((l + dlon) / cache->cell);

		/* each span alone first: their product could overflow */
		if (x1 - x0 + 1 > MAX_CELLS_PER_LOOKUP || y1 - y0 + 1 > MAX_CELLS_PER_LOOKUP ||
			(x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS_PER_LOOKUP)
		{
			for (i = 0; i < cache->nzones; i++)
				add_candidate(cache, out, i);
		}
		else
		{
			for (ix = x0; ix <= x1; ix++)
				add_column(cache, out, ix, y0, y1);
			for (i = 0; i < cache->nlarge; i++)
				add_candidate(cache, out, cache->large_zones[i]);
		}
	}

	/* keep only those whose box is within the margin, the short way round */
	{
		int			kept = 0;

		for (i = 0; i < out->n; i++)
		{
			const HrguardShape *s = &cache->zones[out->zones[i]].shape;

			if (hrguard_lon_gap(s, lon) <= dlon && lat + dlat >= s->ymin && lat - dlat <= s->ymax)
				out->zones[kept++] = out->zones[i];
		}
		out->n = kept;
	}
}
