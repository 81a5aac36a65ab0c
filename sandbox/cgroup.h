/* The sandbox's own cgroup, for the cgroup v2 limits: decided before
 * anything is created, made just before clone (the sandbox starts in it),
 * and removed by the monitor when the sandbox has ended, with whatever it
 * left running.  The monitor itself stays outside, unbound. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "plan.h"

struct cgroup_run
{
  int parent_fd; /* where the sandbox's cgroup goes; -1: no cgroup */
  int fd;        /* the sandbox's cgroup, once made */
  int enter_fd;  /* the sandbox's cgroup.procs and ...   (opened by the */
  int leave_fd;  /* ... nestbox's own, for pid 1's steps  launcher)     */
  char name[32]; /* "nestbox.PID" */
  char *parent_path;
};
#define CGROUP_RUN_NONE                                       \
  {                                                           \
    .parent_fd = -1, .fd = -1, .enter_fd = -1, .leave_fd = -1 \
  }

/* The launcher, before anything is created: find where the limits can be
 * applied, or exit 1 naming the cause and the remedy (with --limits-try:
 * warn, and run without them). */
void cgroup_decide (const struct plan *plan, struct cgroup_run *run);

/* Make the sandbox's cgroup with its limits (removing the leftovers of
 * nestbox processes that were killed); exit 1 if the kernel refuses one. */
void cgroup_create (const struct plan *plan, struct cgroup_run *run);

/* clone with fork's semantics into the sandbox's cgroup (for a sandbox
 * without a pid 1 of nestbox's); errno set on -1. */
pid_t cgroup_clone (const struct cgroup_run *run, unsigned long flags);

/* pid 1: start the command's process in the sandbox's cgroup, pid 1
 * itself staying out: the OOM killer then never picks pid 1, and pid 1's
 * exit, which tears the mount namespace down (an RCU grace period, some
 * milliseconds), never keeps the cgroup busy for the monitor.  clone3 with
 * CLONE_INTO_CGROUP and vfork's waiting, its own copy of memory; where
 * clone3 is refused, pid 1 steps in for the moment of a fork (a move costs
 * a grace period of its own).  Returns as fork does. */
pid_t cgroup_spawn (const struct cgroup_run *run);

/* The monitor, once the sandbox has ended: end what is left in its
 * cgroup, say which limit bit (a line on stderr; its "memory-max 64M"
 * form in limit, if size allows), and remove the cgroup. */
void cgroup_finish (const struct plan *plan, struct cgroup_run *run, char *limit, size_t size);

/* Close and free what run holds (cgroup_finish does it too). */
void cgroup_release (struct cgroup_run *run);
