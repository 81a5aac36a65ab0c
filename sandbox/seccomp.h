/* Seccomp filters: compiled BPF programs handed over by the caller
 * (--seccomp, --add-seccomp-fd). */
#pragma once

#include <stddef.h>

#include "plan.h"

struct bpf_program_data
{
  void *code;
  size_t len;   /* bytes, a multiple of 8 */
};

struct seccomp_set
{
  struct bpf_program_data *programs;
  size_t n_programs;
};

/* Read every program the plan names (and close their fds), before any
 * namespace exists, so bad data is reported early.  Dies on bad input. */
void seccomp_load_programs (const struct plan *plan, struct seccomp_set *set);

/* Install the programs in order (the last installed runs first).
 * 0 or -errno. */
int seccomp_install (const struct seccomp_set *set);
