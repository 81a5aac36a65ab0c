/* Seccomp filters: compiled BPF programs handed over by the caller
 * (--seccomp, --add-seccomp-fd), the profile asked for with
 * --seccomp-profile (seccomp_profile.c), and the filter nestbox always
 * installs so that the command cannot type into the caller's terminal. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "seccomp_bpf.h"

struct seccomp_set
{
  struct bpf_program_data *programs;
  size_t n_programs;
  bool has_terminal_filter; /* programs[0] is the terminal filter */
};

/* Build every filter the command gets, before any namespace exists, so
 * that bad input (unreadable BPF, a malformed profile) is refused before
 * anything is created: the terminal filter first, then the profile, then
 * the caller's programs in command-line order (their fds are closed).
 * keep_caps is the command's capability set (a profile's includes and
 * excludes depend on it).  Dies on bad input. */
void seccomp_load_programs (const struct plan *plan, uint64_t keep_caps, struct seccomp_set *set);

/* Install the programs in order (the last installed runs first).
 * 0 or -errno. */
int seccomp_install (const struct seccomp_set *set);

/* The terminal filter alone (pid 1 gets it too), if the set has it.
 * 0 or -errno. */
int seccomp_install_terminal_filter (const struct seccomp_set *set);

void seccomp_set_free (struct seccomp_set *set);
