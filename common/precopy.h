/* SPDX-License-Identifier: ISC */
/*
 * precopy: the pre-copy live-migration model, shared by the planner
 * (to predict) and the simulator (to act out):
 *
 *   rho  = dirty rate / bandwidth
 *   n    = rounds until the dirty set left copies within max downtime
 *   time = M/B * (1 - rho^(n+1)) / (1 - rho),  downtime = M/B * rho^n
 */
#ifndef BALLAST_PRECOPY_H
#define BALLAST_PRECOPY_H

#define PRECOPY_MAX_ROUNDS	30

/*
 * mem and dirty in bytes and bytes/s, bw in bytes/s, max_down_s in
 * seconds.  Returns 0 with *time_s and *downtime_s set, or -1 when
 * rho >= 1: the migration would not converge (outputs untouched).
 */
int	precopy_predict(double mem, double dirty, double bw, double max_down_s,
	    double *time_s, double *downtime_s);

#endif
