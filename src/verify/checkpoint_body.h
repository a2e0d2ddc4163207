/*-------------------------------------------------------------------------
 *
 * checkpoint_body.h
 *	  Reading a checkpoint body by its grammar (checkpoint_body.c,
 *	  docs/package-format.md).
 *
 * IDENTIFICATION
 *	  src/verify/checkpoint_body.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_CHECKPOINT_BODY_H
#define HRGUARD_VERIFY_CHECKPOINT_BODY_H

#include <stdint.h>

#include "hashes.h"

typedef struct CheckpointBody
{
	int			version;		/* 1 or 2; version 1 has no heads */
	uint64_t	size;
	hash_t		root;
	char		root_hex[HASH_LEN * 2 + 1];
	uint64_t	heads;
	hash_t		heads_root;
	char		time[32];
	char		normal[4098];	/* the body as read: its lines, each ending in LF */
	size_t		normal_len;
} CheckpointBody;

/*
 * Reads "len" bytes of a body; whatever follows its last line (blanks, CR,
 * LF) is ignored.  Returns NULL, or why the text is not a body.
 */
extern const char *checkpoint_body_read(const char *text, size_t len, CheckpointBody *body);

#endif							/* HRGUARD_VERIFY_CHECKPOINT_BODY_H */
