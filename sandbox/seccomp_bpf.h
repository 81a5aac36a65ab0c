/* Seccomp filters as the kernel takes them: BPF programs in memory. */
#pragma once

#include <linux/filter.h>
#include <stddef.h>

/* A BPF program can have at most BPF_MAXINSNS instructions of 8 bytes. */
#define SECCOMP_MAX_PROGRAM_BYTES (BPF_MAXINSNS * sizeof (struct sock_filter))

struct bpf_program_data
{
  void *code;
  size_t len;     /* bytes, a multiple of 8 */
  unsigned flags; /* SECCOMP_FILTER_FLAG_* for seccomp(2); 0: prctl as bwrap */
};

/* Compile a libseccomp filter (a scmp_filter_ctx, void * so that users of
 * this header need not include seccomp.h) to BPF in memory.  0 or -errno;
 * -E2BIG for a program the kernel would refuse, -ENOSYS without
 * libseccomp. */
int seccomp_export_program (void *ctx, struct bpf_program_data *out);
