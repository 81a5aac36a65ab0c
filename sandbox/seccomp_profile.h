/* --seccomp-profile: OCI/Docker JSON seccomp profiles, compiled with
 * libseccomp for the machine we run on. */
#pragma once

#include <stdint.h>

#include "seccomp.h"

/* The largest profile file read (Docker's default is about 20 KiB). */
#define SECCOMP_PROFILE_MAX_BYTES (4u << 20)

/* Compile the profile in the file PATH, or the built-in one for
 * "default", into *out.  keep_caps: the capabilities the command keeps,
 * which decide the rules' includes.caps/excludes.caps.
 * 0, or -errno; for bad input *error (heap) says where in the profile and
 * what is wrong, e.g. "syscalls[3].action: unknown action ...". */
int seccomp_profile_compile (const char *path, uint64_t keep_caps, struct bpf_program_data *out,
                             char **error);

/* The same, for a profile held as JSON text (unit tests). */
int seccomp_profile_compile_text (const char *text, size_t len, uint64_t keep_caps,
                                  struct bpf_program_data *out, char **error);
