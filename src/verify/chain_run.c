/*-------------------------------------------------------------------------
 *
 * chain_run.c
 *	  Verifying the run of chain entries in an evidence package, for
 *	  hrguard-verify.
 *
 * Every entry's link is SHA-256 over its own leaf and the link before it.
 * The package carries every link, so entry i can be checked against the
 * link stored in entry i - 1 without waiting for i - 1 to be checked: if
 * every entry passes this way, the run is one unbroken chain, and the
 * first entry that fails is the same one a walk from the start would name.
 * That lets two threads share the work of a large package: the main
 * thread takes the first part, the other thread the rest, and the main
 * thread then digests all canonical bytes in order (the manifest's
 * canon_sha256), following the other thread as it decodes them.
 *
 * IDENTIFICATION
 *	  src/verify/chain_run.c
 *
 *-------------------------------------------------------------------------
 */
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#include "chain_run.h"

/* below this many entries a second thread costs more than it saves */
#define PARALLEL_MIN_ENTRIES 4096
/* the main thread's share, in percent: it also digests all canonical bytes */
#define MAIN_SHARE 40

typedef struct Slice
{
	const char *employee_id;
	const Package *package;
	const uint8_t *previous;	/* the link before the run */
	ChainRun   *run;
	size_t		from;
	size_t		to;
	RunFailure	failure;		/* the slice's first failure */
	size_t		failed_at;
	bool		no_hasher;
	size_t		decoded;		/* entries before this one are decoded */
	bool		finished;
} Slice;

/*
 * The buffer for all decoded canonical bytes.  A large one is aligned to
 * and asked for in 2 MB pages: both threads write it once from end to end,
 * and with 4 kB pages the faults clearing them on first touch were a
 * tenth of the work of verifying a large package.
 */
#define HUGE_PAGE ((size_t) 2 << 20)

static void *
canon_buffer(size_t size)
{
	void	   *p;
	size_t		rounded = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;

	if (size < HUGE_PAGE || posix_memalign(&p, HUGE_PAGE, rounded) != 0)
		return malloc(size);
#ifdef MADV_HUGEPAGE
	(void) madvise(p, rounded, MADV_HUGEPAGE);	/* only a hint */
#endif
	return p;
}

/* how often a slice tells how far it has decoded */
#define PROGRESS_EVERY 256

static void
publish(Slice *s, size_t decoded, bool finished)
{
	__atomic_store_n(&s->decoded, decoded, __ATOMIC_RELEASE);
	if (finished)
		__atomic_store_n(&s->finished, true, __ATOMIC_RELEASE);
}

static void
slice_fail(Slice *s, RunFailure failure, size_t at)
{
	s->failure = failure;
	s->failed_at = at;
}

/* check entries from..to-1; stops at the first that fails */
static void *
check_slice(void *arg)
{
	Slice	   *s = arg;
	const PackageEntry *entries = s->package->entries;
	ChainRun   *run = s->run;
	Hasher		hasher;
	hash_t		previous,
				stored,
				computed;
	size_t		i;

	if (!hasher_open(&hasher))
	{
		s->no_hasher = true;
		publish(s, s->from, true);
		return NULL;
	}
	if (s->from == 0)
		memcpy(previous, s->previous, HASH_LEN);
	else if (!hex_decode_n(entries[s->from - 1].link, entries[s->from - 1].link_len, previous))
	{
		/* the entry before fails in the other slice, or something before it */
		hasher_close(&hasher);
		publish(s, s->from, true);
		return NULL;
	}
	for (i = s->from; i < s->to; i++)
	{
		const PackageEntry *e = &entries[i];
		uint8_t    *canon = run->canon + run->canon_at[i];
		long		len;

		if (e->seq != entries[0].seq + i)
		{
			slice_fail(s, RUN_SEQ, i);
			break;
		}
		len = base64_decode(e->canon, e->canon_len, canon);
		if (len < 0 || (size_t) len != run->canon_at[i + 1] - run->canon_at[i])
		{
			slice_fail(s, RUN_CANON, i);
			break;
		}
		if (!hex_decode_n(e->link, e->link_len, stored))
		{
			slice_fail(s, RUN_LINK_FORMAT, i);
			break;
		}
		entry_link(&hasher, s->employee_id, e->seq, previous, canon, (size_t) len, computed);
		if (memcmp(computed, stored, HASH_LEN) != 0)
		{
			slice_fail(s, RUN_LINK, i);
			break;
		}
		memcpy(previous, stored, HASH_LEN);
		if ((i + 1) % PROGRESS_EVERY == 0)
			publish(s, i + 1, false);
	}
	hasher_close(&hasher);
	publish(s, i, true);
	return NULL;
}

const char *
chain_run_verify(const char *employee_id, const Package *package, const hash_t previous,
				 ChainRun *run)
{
	size_t		n = package->n_entries,
				i;
	Slice		slices[2];
	int			n_slices = 1;
	pthread_t	worker;
	Hasher		all;

	memset(run, 0, sizeof(*run));
	run->canon_at = malloc((n + 1) * sizeof(size_t));
	if (run->canon_at == NULL)
		return "out of memory";
	run->canon_at[0] = 0;
	for (i = 0; i < n; i++)
		run->canon_at[i + 1] = run->canon_at[i] +
			base64_decoded_length(package->entries[i].canon, package->entries[i].canon_len);
	run->canon = canon_buffer(run->canon_at[n] + 1);
	if (run->canon == NULL || !hasher_open(&all))
		return "out of memory";

	memset(slices, 0, sizeof(slices));
	for (i = 0; i < 2; i++)
	{
		slices[i].employee_id = employee_id;
		slices[i].package = package;
		slices[i].previous = previous;
		slices[i].run = run;
	}
	slices[0].to = n;
	if (n >= PARALLEL_MIN_ENTRIES)
	{
		slices[0].to = n / 100 * MAIN_SHARE;
		slices[1].from = slices[0].to;
		slices[1].to = n;
		if (pthread_create(&worker, NULL, check_slice, &slices[1]) == 0)
			n_slices = 2;
		else
			slices[0].to = n;	/* no thread: do it all here */
	}
	check_slice(&slices[0]);
	hasher_start(&all);
	hasher_add(&all, run->canon, run->canon_at[slices[0].to]);
	if (n_slices == 2)
	{
		size_t		hashed = slices[1].from;

		/* the other slice's bytes, as it decodes them */
		for (;;)
		{
			bool		finished = __atomic_load_n(&slices[1].finished, __ATOMIC_ACQUIRE);
			size_t		decoded = __atomic_load_n(&slices[1].decoded, __ATOMIC_ACQUIRE);

			if (decoded > hashed)
			{
				hasher_add(&all, run->canon + run->canon_at[hashed],
						   run->canon_at[decoded] - run->canon_at[hashed]);
				hashed = decoded;
			}
			else if (finished)
				break;
			else
				sched_yield();
		}
		pthread_join(worker, NULL);
	}
	hasher_finish(&all, run->canon_sha256);
	hasher_close(&all);
	if (slices[0].no_hasher || slices[1].no_hasher)
		return "SHA-256 is not available";

	/* the first failure of all, in entry order */
	for (i = 0; i < (size_t) n_slices; i++)
	{
		if (slices[i].failure != RUN_OK &&
			(run->failure == RUN_OK || slices[i].failed_at < run->failed_at))
		{
			run->failure = slices[i].failure;
			run->failed_at = slices[i].failed_at;
		}
	}
	if (n > 0)
	{
		run->first_seq = package->entries[0].seq;
		run->last_seq = package->entries[n - 1].seq;
		if (run->failure == RUN_OK &&
			!hex_decode_n(package->entries[n - 1].link, package->entries[n - 1].link_len, run->last_link))
			return "the last link cannot be read";
	}
	return NULL;
}

void
chain_run_free(ChainRun *run)
{
	free(run->canon);
	free(run->canon_at);
	run->canon = NULL;
	run->canon_at = NULL;
}
