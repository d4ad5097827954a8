/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_plan.h"
#include "api_util.h"
#include "balance.h"
#include "route.h"
#include "util.h"

static int
api_status_of(int rc)
{
	switch (rc) {
	case -ENOENT:	return 404;
	case -EPERM:	return 409;
	case -EALREADY:
	case -ESTALE:
	case -EBUSY:	return 409;
	default:	return 400;
	}
}

static json_t *
api_rec(const struct recommendation *r)
{
	const struct plan_move	*m = &r->mv;

	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:f, s:f, "
	    "s:f, s:f, s:f, s:f, s:f, s:f, s:s, s:o}",
	    "id", (json_int_t)r->id, "state", rec_state_name(r->state),
	    "vm", r->vm_name, "vm_uuid", api_uuid(r->vm), "from", r->src_name,
	    "to", r->dst_name, "reason", plan_reason_name(m->reason),
	    "rule", m->rule, "src_before", m->src_before, "src_after", m->src_after,
	    "dst_before", m->dst_before, "dst_after", m->dst_after,
	    "imbalance_before", m->imb_before, "imbalance_after", m->imb_after,
	    "predicted_time_s", m->time_s, "predicted_downtime_s", m->downtime_s,
	    "explain", r->explain, "migration", r->migration ?
	    json_integer((json_int_t)r->migration) : json_null());
}

static void
api_plan_get(const struct api_ctx *a, int explain, struct http_response *r)
{
	const struct plan		*p = balance_plan(a->bal);
	const struct balance_rejected	*rj;
	const char			*pol = balance_policy_path(a->bal);
	json_t				*o, *recs = json_array(), *notes = json_array(), *rej;
	size_t				 i, n;

	for (i = 0; i < balance_rec_count(a->bal); i++)
		if (balance_rec_at(a->bal, i)->state != REC_STALE)
			json_array_append_new(recs, api_rec(balance_rec_at(a->bal, i)));
	for (i = 0; i < p->nnotes; i++)
		json_array_append_new(notes, json_string(p->notes[i]));
	o = json_pack("{s:s, s:o, s:I, s:I, s:i, s:i, s:f, s:f, s:o, s:o}",
	    "mode", policy_mode_name(balance_mode(a->bal)),
	    "policy", pol ? json_string(pol) : json_null(),
	    "passes", (json_int_t)balance_passes(a->bal),
	    "last_pass", (json_int_t)balance_last_pass(a->bal),
	    "hot_hosts", (int)p->hot_hosts, "unrelieved", (int)p->unrelieved,
	    "imbalance_before", p->imb_before, "imbalance_after", p->imb_after,
	    "recommendations", recs, "notes", notes);
	if (explain) {
		rej = json_array();
		n = balance_rejected(a->bal, &rj);
		for (i = 0; i < n; i++)
			json_array_append_new(rej, json_pack("{s:s, s:o, s:s}",
			    "vm", rj[i].vm, "to", rj[i].to[0] ?
			    json_string(rj[i].to) : json_null(), "why", rj[i].why));
		json_object_set_new(o, "rejected", rej);
		json_object_set_new(o, "rejected_total",
		    json_integer((json_int_t)p->rejects_total));
	}
	api_json(r, 200, o);
}

static json_t *
api_mig(const struct migration *m)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:i, s:i, s:f, s:f, s:I, s:I}", "id", (json_int_t)m->id,
	    "state", mig_state_name(m->state), "vm", m->vm_name,
	    "vm_uuid", api_uuid(m->vm), "from", m->src_name, "to", m->dst_name,
	    "reason", m->reason, "explain", m->explain, "error", m->error,
	    "outcome", m->outcome, "progress", (int)m->progress,
	    "attempts", (int)m->attempts, "predicted_time_s", m->pred_time_s,
	    "predicted_downtime_s", m->pred_down_s,
	    "planned_at", (json_int_t)m->planned_at,
	    "ended_at", (json_int_t)m->ended_at);
}

static void
api_migrations_get(const struct api_ctx *a, struct http_response *r)
{
	const struct executor	*ex = balance_executor(a->bal);
	json_t			*arr = json_array();
	size_t			 i;

	for (i = 0; i < executor_count(ex); i++)
		json_array_append_new(arr, api_mig(executor_at(ex, i)));
	api_json(r, 200, arr);
}

/* {"cpu": {"level": 0.8, "for_s": 300}, "mem": null, ...} */
static json_t *
api_thresholds(const struct policy_threshold *t)
{
	json_t	*o = json_object();
	int	 i;

	for (i = 0; i < POLICY_NRES; i++)
		json_object_set_new(o, policy_res_name((enum policy_res)i),
		    t[i].set ? json_pack("{s:f, s:I}", "level", t[i].level,
		    "for_s", (json_int_t)t[i].for_s) : json_null());
	return o;
}

static void
api_policy_get(const struct api_ctx *a, struct http_response *r)
{
	const struct policy	*pol = balance_policy(a->bal);
	const char	*file = balance_policy_path(a->bal), *err;
	char		*text = NULL;
	size_t		 len = 0;
	int64_t		 when;
	FILE		*f;

	if ((f = open_memstream(&text, &len)) != NULL) {
		policy_print(balance_policy(a->bal), f);
		fclose(f);
	}
	err = balance_reload_error(a->bal, &when);
	api_json(r, 200, json_pack("{s:o, s:s, s:s, s:{s:b, s:I, s:s}, s:o, s:o, "
	    "s:I}", "file", file ? json_string(file) : json_null(),
	    "mode", policy_mode_name(balance_mode(a->bal)), "text", text ? text : "",
	    "reload", "ok", err[0] == '\0', "time", (json_int_t)when, "error", err,
	    "hot", api_thresholds(pol->hot), "cool", api_thresholds(pol->cool),
	    "interval_s", (json_int_t)pol->interval_s));
	free(text);
}

static void
api_maintenance_get(const struct api_ctx *a, struct http_response *r)
{
	const char *const	*names;
	json_t			*arr = json_array();
	size_t			 i, n = balance_maintenance_list(a->bal, &names);

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(names[i]));
	api_json(r, 200, arr);
}

/* The request's token against ours, in constant time. */
static int
api_token_ok(const struct api_ctx *a, const struct http_request *req)
{
	return route_token_eq(a->token, http_header(req, "X-Ballast-Token"));
}

static void
api_reply_rc(struct http_response *r, int rc, const char *err, json_t *ok)
{
	if (rc < 0) {
		json_decref(ok);
		api_error(r, api_status_of(rc), err);
	} else
		api_json(r, 200, ok);
}

static void
api_plan_post(const struct api_ctx *a, const char *rest, struct http_response *r)
{
	const char	*verb;
	char		 err[256] = "";
	uint64_t	 id;
	int		 rc;

	if (route_id_verb(rest, &id, &verb) < 0 ||
	    (strcmp(verb, "approve") != 0 && strcmp(verb, "reject") != 0)) {
		api_error(r, 404, "use POST /api/v1/plan/ID/approve or /reject");
		return;
	}
	rc = strcmp(verb, "approve") == 0 ?
	    balance_approve(a->bal, id, util_now_mono_ms(), err, sizeof(err)) :
	    balance_reject(a->bal, id, err, sizeof(err));
	api_reply_rc(r, rc, err, json_pack("{s:b, s:I, s:s}", "ok", 1,
	    "id", (json_int_t)id, "done", verb));
}

static void
api_cancel_post(const struct api_ctx *a, const char *rest, struct http_response *r)
{
	const char	*verb;
	char		 err[256] = "";
	uint64_t	 id;
	int		 rc;

	if (route_id_verb(rest, &id, &verb) < 0 || strcmp(verb, "cancel") != 0) {
		api_error(r, 404, "use POST /api/v1/migrations/ID/cancel");
		return;
	}
	rc = balance_cancel(a->bal, id, util_now_mono_ms(), err, sizeof(err));
	api_reply_rc(r, rc, err, json_pack("{s:b, s:I}", "ok", 1,
	    "id", (json_int_t)id));
}

static void
api_migrate_post(const struct api_ctx *a, const struct http_request *req,
    struct http_response *r)
{
	json_error_t	 jerr;
	json_t		*body;
	const char	*vm, *host;
	char		 err[256] = "";
	uint64_t	 id = 0;
	int		 rc;

	body = json_loadb(req->body, req->body_len, 0, &jerr);
	if (body == NULL || json_unpack(body, "{s:s, s:s}", "vm", &vm,
	    "host", &host) != 0) {
		json_decref(body);
		api_error(r, 400, "send {\"vm\": NAME or UUID, \"host\": NAME}");
		return;
	}
	rc = balance_migrate(a->bal, a->model, vm, host, util_now_mono_ms(), &id,
	    err, sizeof(err));
	json_decref(body);
	if (rc < 0)
		api_error(r, api_status_of(rc), err);
	else
		api_json(r, 202, json_pack("{s:I}", "id", (json_int_t)id));
}

static void
api_maintenance_post(const struct api_ctx *a, const char *rest,
    struct http_response *r)
{
	char		 host[WIRE_MAX_HOST_NAME + 1], err[256] = "";
	int		 on, rc;

	if (route_host_verb(rest, host, sizeof(host), &on) < 0) {
		api_error(r, 404, "use POST /api/v1/maintenance/HOST/enter or /exit");
		return;
	}
	rc = balance_maintenance(a->bal, a->model, host, on, err, sizeof(err));
	api_reply_rc(r, rc, err, json_pack("{s:s, s:b}", "host", host,
	    "maintenance", on));
}

int
api_plan_handles(const char *p)
{
	static const char *const roots[] = {
		"plan", "migrations", "migrate", "maintenance", "policy"
	};
	size_t	 i, n;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		n = strlen(roots[i]);
		if (strncmp(p, roots[i], n) == 0 && (p[n] == '\0' || p[n] == '/'))
			return 1;
	}
	return 0;
}

static void
api_plan_gets(const struct api_ctx *a, const char *p, struct http_response *r)
{
	if (strcmp(p, "plan") == 0 || strcmp(p, "plan/explain") == 0)
		api_plan_get(a, strcmp(p, "plan/explain") == 0, r);
	else if (strcmp(p, "migrations") == 0)
		api_migrations_get(a, r);
	else if (strcmp(p, "maintenance") == 0)
		api_maintenance_get(a, r);
	else if (strcmp(p, "policy") == 0)
		api_policy_get(a, r);
	else
		api_error(r, 404, "no such endpoint");
}

void
api_plan_handle(const struct api_ctx *a, const struct http_request *req,
    const char *p, struct http_response *r)
{
	if (a->bal == NULL) {
		api_error(r, 503, "this balancer runs without a planner");
		return;
	}
	if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) {
		api_plan_gets(a, p, r);
		return;
	}
	if (strcmp(req->method, "POST") != 0) {
		api_error(r, 405, "GET to read, POST to act");
		return;
	}
	if (!api_token_ok(a, req)) {
		api_error(r, 401, "operator actions need the header X-Ballast-Token "
		    "with the balancer's token (in STATE/api.token, or api-token "
		    "in its configuration)");
		return;
	}
	if (strncmp(p, "plan/", 5) == 0)
		api_plan_post(a, p + 5, r);
	else if (strncmp(p, "migrations/", 11) == 0)
		api_cancel_post(a, p + 11, r);
	else if (strcmp(p, "migrate") == 0)
		api_migrate_post(a, req, r);
	else if (strncmp(p, "maintenance/", 12) == 0)
		api_maintenance_post(a, p + 12, r);
	else
		api_error(r, 404, "no such action");
}
