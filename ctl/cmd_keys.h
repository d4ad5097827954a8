/* SPDX-License-Identifier: ISC */
/*
 * cmd_keys: ballastctl's keygen NAME [--out DIR], a CURVE key pair for
 * a collector or the balancer (zcurve.h); needs no balancer.
 */
#ifndef BALLAST_CTL_CMD_KEYS_H
#define BALLAST_CTL_CMD_KEYS_H

#include "ctl.h"

/*
 * argv[0] is "keygen", argc counts it.  Writes DIR/NAME.key (mode
 * 0600) and DIR/NAME.pub, never over a file, and prints where they are
 * and the public key.  Returns an exit status (ctl.h): EXIT_INVALID if
 * the keys could not be written, EXIT_USAGE for a bad NAME.
 */
int	cmd_keygen(const struct ctl *ctl, int argc, char **argv);

#endif
