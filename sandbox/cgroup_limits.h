/* The cgroup v2 limits of the command line (--memory-max, --pids-max,
 * --cpu-max, --cpus, --cpu-weight, --io-weight): parsed into the values
 * the kernel's files take, before anything is created.  cgroup.c applies
 * them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

/* What a limit kind is called on the command line, which file of the
 * sandbox's cgroup takes it, and which controller owns that file. */
struct cgroup_limit_kind
{
  const char *option;
  const char *file;
  const char *controller;
};

const struct cgroup_limit_kind *cgroup_limit_kind (enum cgroup_limit which);

/* Parse the argument of the option for `which` (for LIMIT_CPU_MAX, cpus
 * says it came as --cpus) into plan->limits; exit 1 with one line on bad
 * input. */
void cgroup_limit_parse (struct plan *plan, enum cgroup_limit which, bool cpus, const char *arg);
/* The same for callers with messages of their own (config.json):
 * false, with plan untouched, on a value the kernel's file would refuse.
 * arg must live as long as the plan. */
bool cgroup_limit_try_parse (struct plan *plan, enum cgroup_limit which, bool cpus, const char *arg);

/* Whether any cgroup limit was asked for. */
bool cgroup_limits_wanted (const struct plan *plan);
