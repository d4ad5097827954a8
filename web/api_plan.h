/* SPDX-License-Identifier: ISC */
/*
 * api_plan: the planner's part of the JSON API -- what it recommends and
 * why, the migrations, and the operator's actions.
 *
 *   GET  /api/v1/plan                      recommendations of the last pass
 *   GET  /api/v1/plan/explain              the same, with rejected candidates
 *   POST /api/v1/plan/{id}/approve|reject
 *   GET  /api/v1/migrations                newest first
 *   POST /api/v1/migrations/{id}/cancel
 *   POST /api/v1/migrate                   {"vm": NAME|UUID, "host": NAME}
 *   GET  /api/v1/maintenance               hosts in maintenance
 *   POST /api/v1/maintenance/{host}/enter|exit
 *   GET  /api/v1/policy                    the policy in force, last reload,
 *                                          its hot and cool levels
 *
 * Every POST is an operator action: it needs the header X-Ballast-Token
 * with the daemon's token, so that a page of another site cannot act
 * (a cross-site form cannot set headers).  Repeating an action never
 * does it twice: entering maintenance again changes nothing; approving
 * again is a conflict (409) and starts nothing.
 */
#ifndef BALLAST_API_PLAN_H
#define BALLAST_API_PLAN_H

#include "api.h"
#include "http.h"

/* Is p (the path after /api/v1/) one of these endpoints? */
int	api_plan_handles(const char *p);
void	api_plan_handle(const struct api_ctx *, const struct http_request *,
	    const char *p, struct http_response *);

#endif
