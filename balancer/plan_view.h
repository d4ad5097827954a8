/* SPDX-License-Identifier: ISC */
/*
 * plan_view: the planner's input built from the model -- the one
 * adapter between the live model and the pure planner.  Hosts and VMs
 * keep their model order; index i of the view maps back to a model
 * host or VM through mhosts/mvms.
 */
#ifndef BALLAST_PLAN_VIEW_H
#define BALLAST_PLAN_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "planner.h"
#include "policy.h"

/* Samples of a VM's recent CPU used for its mean and spread. */
#define PLAN_VIEW_WINDOW	18

/* What the executor and the operator add to the model's picture. */
struct plan_view_hooks {
	void		*arg;
	/* is this VM migrating now? */
	int		(*vm_migrating)(void *arg, const uint8_t uuid[16]);
	/* migrations in or out of this host now */
	unsigned	(*host_busy)(void *arg, const uint8_t uuid[16]);
	/* has the operator put this host in maintenance? */
	int		(*host_maintenance)(void *arg, const char *name);
	/* failed migrations of this VM from this host since it last moved
	   (NULL: none) */
	unsigned	(*vm_failures)(void *arg, const uint8_t vm[16],
			    const uint8_t host[16]);
};

struct plan_view {
	struct plan_input	  in;
	struct plan_host	 *hosts;
	struct plan_vm		 *vms;
	const struct model_host	**mhosts;
	const struct model_vm	**mvms;
	size_t			  hcap, vcap;
	struct plan_pair	 *pairs;	/* from plan_view_traffic */
};

/*
 * (Re)builds the view; the arrays are reused between calls.  VMs that
 * no host reports now are left out.  hooks may be NULL.  Returns 0 or
 * -ENOMEM (the view is then empty).  The view points into the model and
 * the policy: rebuild it after they change.
 */
int	plan_view_build(struct plan_view *, const struct model *,
	    const struct policy *, const struct plan_view_hooks *,
	    int64_t now_ms);
void	plan_view_free(struct plan_view *);

/*
 * The pairs of the view's VMs that talk at least the policy's
 * keep-together threshold (both directions summed), from the traffic
 * matrix, into in.pairs.  Does nothing without the rule or
 * without t (NULL).  Call after plan_view_build.  0 or -ENOMEM (no
 * pairs then).
 */
struct traffic;
int	plan_view_traffic(struct plan_view *, const struct model *,
	    const struct traffic *);

#endif
