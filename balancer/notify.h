/* SPDX-License-Identifier: ISC */
/*
 * notify: turns what the balancer already knows into BALLAST-MIB
 * notifications, called once per loop tick:
 *
 *   hostHot / hostCleared          a host hot by the policy (hot.h),
 *                                  and under its hot level again
 *   collectorLost / -Recovered     a host turning stale, reporting again
 *   clusterImbalanced / -Balanced  imbalance (clusterstat.h) over the
 *                                  policy's target; under 9/10 of it
 *   migrationStarted / -Completed  the executor's migrations: sent,
 *   / migrationFailed              done, failed or cancelled
 *   policyReloadFailed             each failed policy reload
 *
 * The raise/clear pairs go through alarm.h (deduplication, hold-down,
 * rate limit).  Migrations are sent as they happen (the policy's
 * per-pass and per-host budgets bound them); what the executor had
 * recovered or ended before the first tick is not sent again.  Events
 * about a host (a migration's: its source) carry the host's address as
 * snmpTrapAddress.0 when the model knows it as IPv4 (model_set_host_addr);
 * an IPv6 or unknown address is left out (IpAddress has 4 octets).
 * Nothing is sent here: each event goes to the caller's send function.
 */
#ifndef BALLAST_NOTIFY_H
#define BALLAST_NOTIFY_H

#include <stdint.h>

#include "alarm.h"
#include "balance.h"
#include "model.h"
#include "snmptrap.h"

typedef void	(*notify_send_fn)(void *arg, const struct snmptrap_event *);

struct notify;

/* NULL config: alarm.h's defaults.  NULL when out of memory. */
struct notify	*notify_new(const struct alarm_config *, notify_send_fn,
		    void *arg);
void		 notify_free(struct notify *);

/* Looks at the model and the balancer (bal may be NULL) and sends. */
void		 notify_tick(struct notify *, const struct model *,
		    const struct balance *, int64_t now_ms);

void		 notify_stats(const struct notify *, struct alarm_stats *);

#endif
