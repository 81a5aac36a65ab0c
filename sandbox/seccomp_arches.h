/* The system call ABIs of each architecture nestbox may run on: one table
 * for every filter nestbox builds (the terminal filter, the
 * --disable-userns fallback, the built-in profile's archMap). */
#pragma once

#include <stddef.h>

/* libseccomp's names ("x86_64"; "SCMP_ARCH_" + upper case in profiles). */
struct abi_family
{
  const char *native;
  const char *compat[2]; /* the other ABIs its kernel runs; NULL: none */
};

extern const struct abi_family seccomp_abi_families[];
extern const size_t seccomp_n_abi_families;

/* Add the native architecture's other ABIs to a libseccomp filter (a
 * scmp_filter_ctx).  0 or -errno; -ENOSYS without libseccomp. */
int seccomp_add_compat_abis (void *ctx);
