/* SPDX-License-Identifier: ISC */
#include <string.h>

#include "api_util.h"
#include "util.h"

void
api_json(struct http_response *r, int status, json_t *j)
{
	r->status = status;
	r->body = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
	r->len = r->body ? strlen(r->body) : 0;
	r->content_type = "application/json";
	json_decref(j);
}

void
api_error(struct http_response *r, int status, const char *msg)
{
	api_json(r, status, json_pack("{s:s}", "error", msg));
}

json_t *
api_uuid(const uint8_t u[16])
{
	char	 s[UTIL_UUID_STRLEN];

	util_uuid_fmt(u, s);
	return json_string(s);
}
