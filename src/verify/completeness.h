/*-------------------------------------------------------------------------
 *
 * completeness.h
 *	  What a verified package proves beyond its own entries: that it holds
 *	  all of its range (the chain's head and the entries just outside the
 *	  range), and which of its entries a checkpoint kept outside anchors
 *	  (completeness.c).
 *
 * IDENTIFICATION
 *	  src/verify/completeness.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_COMPLETENESS_H
#define HRGUARD_VERIFY_COMPLETENESS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "checkpoint_body.h"
#include "hashes.h"
#include "package.h"

/* what the checks before these established */
typedef struct Verified
{
	Hasher	   *hasher;
	json_t	   *doc;			/* the package */
	const Package *package;
	const char *employee_id;
	uint64_t	first_seq;
	uint64_t	last_seq;
	hash_t		last_link;
	bool		first_has_time;
	int64_t		first_time;		/* when the first entry occurred, µs since 1970 */
	bool		last_has_time;
	int64_t		last_time;
	int			format;			/* of the package: 1 or 2 */
	bool		has_from;		/* the range (format 2), once check_complete read it */
	int64_t		from;
	bool		has_to;
	int64_t		to;
	CheckpointBody checkpoint;	/* the package's own */
	uint64_t	log_index;		/* of the last entry */
} Verified;

/* format 2: the chain's head under the package's checkpoint, and the range's ends */
extern void check_complete(Verified *v);

/* the checkpoint kept outside (or none): returns the exit status it leaves */
extern int	check_anchoring(Verified *v, const char *checkpoint_path);

#endif							/* HRGUARD_VERIFY_COMPLETENESS_H */
