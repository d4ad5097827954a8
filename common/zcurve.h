/* SPDX-License-Identifier: ISC */
/*
 * zcurve: ZeroMQ CURVE keys as ballast keeps them, and the rule for
 * plain TCP.
 *
 * A key file holds one Z85 key (40 characters) on a line of its own;
 * blank lines and lines starting with '#' are skipped.  NAME.key holds
 * the secret key and must not be readable by group or others; NAME.pub
 * the public key.  Keys are made with zmq_curve_keypair().
 *
 * Plain TCP (no CURVE) is allowed only on loopback addresses or IPC,
 * unless the operator says `insecure`.  Never prints: errors come back
 * in the caller's buffer.
 */
#ifndef BALLAST_ZCURVE_H
#define BALLAST_ZCURVE_H

#include <stddef.h>
#include <stdint.h>

#define ZCURVE_Z85_LEN	40	/* characters of a Z85 key */
#define ZCURVE_BIN_LEN	32	/* bytes of a key */

/* A key pair as text; the secret may be "" (public only). */
struct zcurve_pair {
	char	 pub[ZCURVE_Z85_LEN + 1];
	char	 secret[ZCURVE_Z85_LEN + 1];
};

/* Decodes a 40-character Z85 key.  0 or -EINVAL. */
int	zcurve_decode(const char *z85, uint8_t key[ZCURVE_BIN_LEN]);

/*
 * Reads a public key file into out.  0, or -errno / -EINVAL with
 * "path: reason" in err and out untouched.
 */
int	zcurve_read_public(const char *path, char out[ZCURVE_Z85_LEN + 1],
	    char *err, size_t errlen);

/*
 * Reads a secret key file (refused when group or others may read it)
 * and derives its public key.  0, or -errno / -EINVAL / -EPERM with
 * "path: reason" in err and *out untouched.
 */
int	zcurve_read_secret(const char *path, struct zcurve_pair *out,
	    char *err, size_t errlen);

/*
 * A CURVE client's keys: the server's public key file and our secret
 * key file, both read or neither (*server and *out untouched on error).
 * 0 or as the two readers above.
 */
int	zcurve_read_client(const char *server_path, const char *secret_path,
	    char server[ZCURVE_Z85_LEN + 1], struct zcurve_pair *out,
	    char *err, size_t errlen);

/*
 * Writes a new pair as dir/name.key (mode 0600) and dir/name.pub (0644);
 * an existing file is never overwritten (-EEXIST).  The public key is
 * copied into pub (41 bytes) when not NULL.  0 or -errno with err set;
 * on error nothing is left behind.
 */
int	zcurve_keygen(const char *dir, const char *name, char *pub,
	    char *err, size_t errlen);

/* 1 when endpoint is TCP on an address other than loopback, else 0. */
int	zcurve_exposed(const char *endpoint);

/*
 * The plain-TCP rule: 0 when curve is on, the endpoint is loopback or
 * IPC, or insecure is set; else -EPERM with a message naming the fix
 * (`what` names the statement, e.g. "listen reports").
 */
int	zcurve_check_plain(const char *endpoint, int curve, int insecure,
	    const char *what, char *err, size_t errlen);

#endif
