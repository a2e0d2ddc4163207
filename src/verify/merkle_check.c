/*-------------------------------------------------------------------------
 *
 * merkle_check.c
 *	  RFC 9162 proof verification for hrguard-verify: the root an
 *	  inclusion proof leads to (section 2.1.3.2) and consistency proofs
 *	  (section 2.1.4.2), with proofs as JSON arrays of hex strings.
 *
 * IDENTIFICATION
 *	  src/verify/merkle_check.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "merkle_check.h"

/*
 * The root an RFC 9162 inclusion proof leads to (section 2.1.3.2); false if
 * the proof does not fit the index and tree size.
 */
bool
inclusion_root(Hasher *hasher, uint64_t index, uint64_t tree_size, const hash_t leaf,
			   json_t *path, hash_t root)
{
	uint64_t	fn = index,
				sn = tree_size - 1;
	size_t		i;

	if (index >= tree_size)
		return false;
	memcpy(root, leaf, HASH_LEN);
	for (i = 0; i < json_array_size(path); i++)
	{
		hash_t		p;

		if (sn == 0 || !hex_decode(json_string_value(json_array_get(path, i)), p))
			return false;
		if ((fn & 1) || fn == sn)
		{
			node_hash(hasher, p, root, root);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			node_hash(hasher, root, p, root);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0;
}

/*
 * Does an RFC 9162 consistency proof (section 2.1.4.2) show that the tree
 * of old_size entries with root old_root is a prefix of the tree of
 * new_size entries with root new_root?
 */
bool
consistent(Hasher *hasher, uint64_t old_size, const hash_t old_root, uint64_t new_size, const hash_t new_root,
		   json_t *path)
{
	size_t		n = json_array_size(path),
				i = 0;
	uint64_t	fn,
				sn;
	hash_t		fr,
				sr,
				c;

	if (old_size == 0 || old_size > new_size)
		return false;
	if (old_size == new_size)
		return n == 0 && memcmp(old_root, new_root, HASH_LEN) == 0;
	/* an old tree of a power-of-two size is itself the first node */
	if ((old_size & (old_size - 1)) == 0)
		memcpy(fr, old_root, HASH_LEN);
	else if (n == 0 || !hex_decode(json_string_value(json_array_get(path, i++)), fr))
		return false;
	memcpy(sr, fr, HASH_LEN);
	fn = old_size - 1;
	sn = new_size - 1;
	while (fn & 1)
	{
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < n; i++)
	{
		if (sn == 0 || !hex_decode(json_string_value(json_array_get(path, i)), c))
			return false;
		if ((fn & 1) || fn == sn)
		{
			node_hash(hasher, c, fr, fr);
			node_hash(hasher, c, sr, sr);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			node_hash(hasher, sr, c, sr);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, old_root, HASH_LEN) == 0 && memcmp(sr, new_root, HASH_LEN) == 0;
}
