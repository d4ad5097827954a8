/* SPDX-License-Identifier: ISC */
/*
 * replay: feeds files to a fuzz target's LLVMFuzzerTestOneInput without
 * libFuzzer, so the committed corpus and past crashes run as regression
 * inputs under the normal compiler's ASan and UBSan (make check).
 *
 *   replay_X FILE|DIR...
 *
 * Prints how many inputs ran; a crash aborts the process (the sanitizer
 * names the input by printing it first).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define REPLAY_MAX	(4 * 1024 * 1024)

static int
replay_file(const char *path, unsigned *n)
{
	FILE		*f;
	uint8_t		*buf, *exact;
	size_t		 len;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	if ((buf = malloc(REPLAY_MAX)) == NULL)
		abort();
	len = fread(buf, 1, REPLAY_MAX, f);
	fclose(f);
	/* exactly len bytes, as libFuzzer gives them: ASan sees overreads */
	if ((exact = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(exact, buf, len);
	free(buf);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	(*n)++;
	return 0;
}

static int
replay_path(const char *path, unsigned *n)
{
	struct dirent	*d;
	struct stat	 st;
	char		 sub[4096];
	DIR		*dir;
	int		 rc = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, n);
	if ((dir = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
		if (replay_path(sub, n) < 0)
			rc = -1;
	}
	closedir(dir);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned	 n = 0;
	int		 i, rc = 0;

	for (i = 1; i < argc; i++)
		if (replay_path(argv[i], &n) < 0)
			rc = 1;
	printf("%u inputs\n", n);
	return rc;
}
