/*-------------------------------------------------------------------------
 *
 * merkle_check.h
 *	  RFC 9162 inclusion and consistency proofs, checked (merkle_check.c).
 *
 * IDENTIFICATION
 *	  src/verify/merkle_check.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_MERKLE_CHECK_H
#define HRGUARD_VERIFY_MERKLE_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "hashes.h"

/* the root "path" leads to from leaf "index" of a tree of tree_size leaves */
extern bool inclusion_root(Hasher *hasher, uint64_t index, uint64_t tree_size, const hash_t leaf,
						   json_t *path, hash_t root);
/* does "path" show the tree (old_size, old_root) a prefix of (new_size, new_root)? */
extern bool consistent(Hasher *hasher, uint64_t old_size, const hash_t old_root, uint64_t new_size,
					   const hash_t new_root, json_t *path);

#endif							/* HRGUARD_VERIFY_MERKLE_CHECK_H */
