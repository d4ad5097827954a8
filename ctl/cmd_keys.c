/* SPDX-License-Identifier: ISC */
/*
 * cmd_keys: ballastctl's keygen.  See cmd_keys.h.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_keys.h"
#include "log.h"
#include "zcurve.h"

/*
 * keygen NAME [--out DIR]: a CURVE key pair, DIR/NAME.key (0600) and
 * DIR/NAME.pub; prints the public key.  Never overwrites a file.
 */
int
cmd_keygen(const struct ctl *ctl, int argc, char **argv)
{
	char	 err[9000], pub[ZCURVE_Z85_LEN + 1];
	size_t	 n;

	if (argc != 2 || (n = strlen(argv[1])) == 0 || n > 64 ||
	    strspn(argv[1], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") != n || argv[1][0] == '.') {
		log_warnx("keygen: expected 'ballastctl keygen NAME [--out DIR]' "
		    "(NAME: letters, digits, '.', '_', '-')");
		return ctl_usage();
	}
	if (ctl_owned(ctl, CMD_OUT, "keygen") == -1)
		return ctl_usage();
	if (zcurve_keygen(ctl->out ? ctl->out : ".", argv[1], pub, err,
	    sizeof(err)) < 0) {
		log_warnx("keygen: %s", err);
		return EXIT_INVALID;
	}
	printf("%s/%s.key: secret key (keep it on this machine, mode 0600)\n"
	    "%s/%s.pub: public key %s\n", ctl->out ? ctl->out : ".", argv[1],
	    ctl->out ? ctl->out : ".", argv[1], pub);
	return 0;
}
