/* SPDX-License-Identifier: ISC */
/*
 * ballastmib: BALLAST-MIB (mibs/BALLAST-MIB.txt) served from the live
 * model and the balancer's decisions through their const accessors:
 * the cluster scalars, the hosts table (by name), the VMs table (by
 * UUID) and the recent migrations table (by epoch and number).
 *
 * The agent library must be set up as a subagent (snmpagent.h) before
 * ballastmib_new(); the model and balance pointers are kept and read at
 * request time, in the caller's thread, between its writes.  The VMs'
 * UUID order is rebuilt at most once a second.
 */
#ifndef BALLAST_BALLASTMIB_H
#define BALLAST_BALLASTMIB_H

#include <stddef.h>
#include <stdint.h>

#include "balance.h"
#include "model.h"

struct ballastmib;

/*
 * Registers the MIB.  bal may be NULL (no policy: mode manual, no
 * migrations).  Returns NULL with a reason in err.
 */
struct ballastmib	*ballastmib_new(const struct model *,
			    const struct balance *, char *err, size_t errlen);
/* Frees the caches; call after snmpagent_shutdown(). */
void			 ballastmib_free(struct ballastmib *);

/* Thousandths of a fraction, rounded and clamped to 0..INT32_MAX. */
int64_t			 ballastmib_milli(double);

#endif
