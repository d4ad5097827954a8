/* SPDX-License-Identifier: ISC */
#include <math.h>

#include "precopy.h"

int
precopy_predict(double mem, double dirty, double bw, double max_down_s,
    double *time_s, double *downtime_s)
{
	double	 rho = dirty / bw, left = mem;
	int	 n = 0;

	if (!(bw > 0) || rho >= 1.0)
		return -1;
	while (left / bw > max_down_s && n < PRECOPY_MAX_ROUNDS) {
		left *= rho;
		n++;
	}
	*time_s = mem / bw * (1.0 - pow(rho, n + 1)) / (1.0 - rho);
	*downtime_s = left / bw;
	return 0;
}
