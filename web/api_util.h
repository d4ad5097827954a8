/* SPDX-License-Identifier: ISC */
/* api_util: JSON responses shared by the API's handlers. */
#ifndef BALLAST_API_UTIL_H
#define BALLAST_API_UTIL_H

#include <stdint.h>

#include <jansson.h>

#include "http.h"

/* Sends j (taken over) with this status as application/json. */
void	 api_json(struct http_response *, int status, json_t *j);
/* Sends {"error": msg}. */
void	 api_error(struct http_response *, int status, const char *msg);
/* A UUID as its canonical string. */
json_t	*api_uuid(const uint8_t u[16]);

#endif
