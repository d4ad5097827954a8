/* SPDX-License-Identifier: ISC */
/*
 * checkpoint: the durable part of ingest's state, one small JSON file
 * in the state directory: per host, the collector's incarnation, the
 * highest sequence number applied and the numbers still missing below
 * it; and the running count of lost reports.
 */
#ifndef BALLAST_CHECKPOINT_H
#define BALLAST_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#define CKPT_MISSING_MAX	64	/* missing numbers remembered per host */

struct ckpt_peer {
	uint8_t		 uuid[16];	/* first: a uuidmap key */
	uint64_t	 incarnation;
	uint64_t	 seq;		/* highest applied */
	uint64_t	 missing[CKPT_MISSING_MAX];	/* ascending */
	size_t		 nmissing;
};

/*
 * Writes n peers and the lost count to path atomically (temporary file,
 * fsync, rename).  Returns 0, or -errno with the reason in err; the
 * previous file is then untouched.
 */
int	checkpoint_save(const char *path, const struct ckpt_peer *const *peers,
	    size_t n, uint64_t lost, char *err, size_t errlen);

/*
 * Reads a checkpoint.  Returns 0 with a malloc'd array in *peers (free
 * it), -ENOENT when there is none, or -EINVAL / -errno with the reason
 * in err (a damaged file: the caller starts afresh and says so).
 */
int	checkpoint_load(const char *path, struct ckpt_peer **peers, size_t *n,
	    uint64_t *lost, char *err, size_t errlen);

#endif
