/* SPDX-License-Identifier: ISC */
/*
 * fmt_traffic: `ballastctl traffic`, the view of GET /api/v1/traffic
 * (web/api_traffic.h) for people: the cluster's figures, the top
 * talkers and each host's cross-host traffic, in the tables of fmt.h.
 */
#ifndef BALLAST_CTL_FMT_TRAFFIC_H
#define BALLAST_CTL_FMT_TRAFFIC_H

#include <stdio.h>

#include <jansson.h>

/* 0, or -1 (nothing written) when traffic is not an object. */
int	fmt_traffic(FILE *out, json_t *traffic);

#endif
