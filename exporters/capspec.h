/* SPDX-License-Identifier: ISC */
/*
 * capspec: the options of a capacity report, as words -- from
 * ballastctl's command line or the API's query -- into struct cap_opts
 * (capacity.h).  The grammar (ballastctl(1), REPORTS):
 *
 *   range, horizon   N followed by h, d, w or y: 30d, 12w, 1y
 *   slot             VCPUS:MEMORY[:USE]     4vcpu:16g, 2:4GiB:50%
 *   add              COUNTxVCPUS:MEMORY[:USE]   20x4vcpu:16g:30%
 *   add-like         VMNAME:COUNT           db-3:10
 *   remove-host      NAME
 *   add-host         [COUNTx]CORES:MEMORY   32c:256g, 2x64c:1t
 *   buffer           PERCENT of every resource's capacity kept unused
 *   reserve          hosts kept in reserve: 1 (N+1, the default) or more
 *   core-mhz         MHz of one vCPU or core
 *   disk-cap         bytes/s of disk I/O per host (512m)
 *   net-cap          bits/s of network per host (10g, 25gbit)
 *   end              the end of the history read: Unix seconds or
 *                    YYYY-MM-DD[THH:MM[:SS]] in UTC
 *
 * VCPUS may carry "vcpu", "cpu" or "c"; MEMORY takes util_parse_bytes()
 * suffixes (k, m, g, t: binary); USE is the CPU share a VM is expected
 * to use (default 100 %).  A VM's CPU demand is VCPUS x core-mhz x USE.
 *
 * Nothing here prints: a bad word is -EINVAL with a sentence naming the
 * option in err, and *out is then unusable.
 */
#ifndef BALLAST_CAPSPEC_H
#define BALLAST_CAPSPEC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "capacity.h"
#include "policy.h"

#define CAPSPEC_RANGE_S		(30 * 86400)
#define CAPSPEC_HORIZON_S	(90 * 86400)
#define CAPSPEC_CORE_MHZ	2600.0
#define CAPSPEC_MAX_COUNT	10000	/* VMs or hosts in one what-if word */

/* The words; NULL or 0: not given. */
struct capspec_req {
	const char	*range, *horizon, *slot, *buffer, *reserve;
	const char	*core_mhz, *disk_cap, *net_cap, *end;
	const char	*add[CAP_MAX_WHATIF];
	size_t		 nadd;
	const char	*add_like[CAP_MAX_WHATIF];
	size_t		 nadd_like;
	const char	*remove_host[CAP_MAX_WHATIF];
	size_t		 nremove_host;
	const char	*add_host[CAP_MAX_WHATIF];
	size_t		 nadd_host;
};

/*
 * Fills *out from the request, the policy's limits (NULL: the built-in
 * policy defaults) and a known MHz per core (0: none, CAPSPEC_CORE_MHZ
 * is assumed and said to be).  *end is the "end" word's time or 0.
 * 0, or -EINVAL with the reason in err.
 */
int	capspec_apply(const struct capspec_req *, const struct policy *,
	    double core_mhz, struct cap_opts *out, time_t *end, char *err,
	    size_t errlen);

/* The pieces, for tests and for capspec_apply(); same returns. */
int	capspec_duration(const char *s, int64_t *out);
int	capspec_size(const char *s, double core_mhz, struct cap_size *out);
int	capspec_time(const char *s, time_t *out);
int	capspec_bits(const char *s, double *bits);

#define CAPSPEC_LIST_LEN	4096	/* one comma-separated list, copied */

/* Copies of a request's list arguments, cut at their commas. */
struct capspec_lists {
	char		 add[CAPSPEC_LIST_LEN], like[CAPSPEC_LIST_LEN];
	char		 rm[CAPSPEC_LIST_LEN], host[CAPSPEC_LIST_LEN];
};

/* The value of a named argument (an API query's), or NULL. */
typedef const char *(*capspec_get_fn)(void *arg, const char *key);

/*
 * Fills q from named arguments: range, horizon, slot, buffer, reserve,
 * core_mhz, disk_cap, net_cap and end as they are (q points at get's
 * strings), and add, add_like, remove_host, add_host as comma-separated
 * lists copied into l (which must outlive q).  Returns 0, or -E2BIG
 * when a list is longer than CAPSPEC_LIST_LEN or has more than
 * CAP_MAX_WHATIF words.
 */
int	capspec_request(struct capspec_req *q, struct capspec_lists *l,
	    capspec_get_fn get, void *arg);

/* Adds one word to a request's list; -E2BIG past CAP_MAX_WHATIF. */
int	capspec_push(const char **list, size_t *n, const char *word);

#endif
