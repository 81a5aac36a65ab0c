/* --seccomp-profile default: nestbox's built-in seccomp profile. */
#pragma once

#include <stddef.h>

/* The profile's JSON text (sandbox/seccomp-default.json, built in), for the
 * same compiler as a --seccomp-profile file.  Static and NUL-terminated;
 * *len: its length without the NUL. */
const char *seccomp_default_profile (size_t *len);
