/* SPDX-License-Identifier: ISC */
/*
 * actuator: live migrations through libvirt (act.h's interface).
 *
 * Each migration runs in a thread of its own on a connection of its
 * own: virDomainMigrateSetMaxDowntime, then virDomainMigrateToURI3 to
 * the destination URI template expanded for the target host, with the
 * configured flags (by default live, peer2peer, persist-dest and
 * undefine-source), bandwidth, VIR_MIGRATE_PARAM_URI and
 * VIR_MIGRATE_PARAM_LISTEN_ADDRESS.  A second thread reads
 * virDomainGetJobStats every progress interval, and calls
 * virDomainAbortJob on a cancel or when the deadline passes.
 *
 * On any failure the VM stays on the source: libvirt rolls a failed
 * migration back; a source left paused is resumed, and the final
 * status says why it failed and where the VM is.  Never prints.
 */
#ifndef BALLAST_ACTUATOR_H
#define BALLAST_ACTUATOR_H

#include <stddef.h>

#include "act.h"
#include "cconf.h"

struct actuator_config {
	const char		*uri;		/* the local libvirt */
	const char		*host_name;	/* this host, for messages */
	struct cconf_migrate	 mig;
	unsigned		 progress_ms;	/* default 1000 */
};

extern const struct act_ops actuator_ops;

/* Returns NULL with a reason in err.  Free with actuator_ops.free. */
void	*actuator_new(const struct actuator_config *, char *err,
	    size_t errlen);

#endif
