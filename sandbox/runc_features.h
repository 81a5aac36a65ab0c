/* nestbox-runc's commands that describe rather than run: --version,
 * features (what config.json may ask for, as runc's features command
 * reports it) and spec (a starting config.json, from oci_spec.c). */
#pragma once

#include <stdbool.h>

/* "runc version", "commit:" and "spec:" lines: containerd's go-runc reads
 * exactly these three; podman shows them. */
int runc_version (void);
int runc_features (void);
/* Write bundle/config.json (bundle NULL: the current directory); an
 * existing one is left alone and refused. */
int runc_spec (const char *bundle, bool rootless);
