/* Starting the sandbox: the decisions taken before clone, shared by the
 * monitor (outside) and the sandbox side (inside). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "channels.h"
#include "plan.h"
#include "seccomp.h"

struct launch
{
  struct plan *plan;

  /* The caller */
  uid_t real_uid;
  gid_t real_gid;
  uint64_t caller_caps; /* effective set */

  /* Decided before clone */
  bool own_userns;         /* we create a user namespace */
  bool nested_userns;      /* the command runs in a further one (see sandbox.c) */
  bool nested_mirror;      /* ... that maps every id of the first to itself (ranges) */
  bool new_pidns;          /* new or joined pid namespace */
  bool has_reaper;         /* a pid 1 of ours runs beside the command */
  bool reaper_undumpable;  /* ... in the command's own user namespace: not dumpable */
  bool net_by_helper;      /* the network namespace is made beside the root (netns.c) */
  bool map_by_parent;      /* the monitor writes the id maps (ranges, or no CAP_SETFCAP) */
  bool map_direct;         /* ... itself, holding CAP_SETUID/CAP_SETGID, not via newuidmap */
  int caller_death_signal; /* --die-with-parent: SIGRTMIN for the monitor, or 0 */
  uid_t setup_uid;         /* the ids setup runs as inside the first user namespace */
  gid_t setup_gid;
  uid_t setup_outside_uid; /* ... and what they are outside (no CAP_SETFCAP) */
  gid_t setup_outside_gid;
  bool proc_masked;    /* predicted: a full fresh procfs would be refused */
  uint64_t proc_attrs; /* read-only and atime bits a fresh procfs must carry */
  uid_t sandbox_uid;
  gid_t sandbox_gid;
  uint64_t keep_caps; /* the command's capabilities */
  bool change_caps;   /* false: leave a uid 0 caller's sets untouched */
  unsigned long clone_flags;
  struct seccomp_set seccomp;
  int landlock_abi;         /* --landlock: the ABI to use, 0 for none */
  struct cgroup_run cgroup; /* the cgroup limits' (cgroup.h) */
  char *host_tty;           /* stdout's tty, for --dev's console */
  const char *caller_env;   /* the environment strings we were started with ... */
  size_t caller_env_len;    /* ... which pid 1 wipes (/proc/1/environ shows them) */

  /* Made by the sandbox before the command's process starts */
  int nested_userns_fd;  /* nested_mirror: the namespace to join */
  bool userns_by_filter; /* --disable-userns through the seccomp fallback */
  int *lock_fds;         /* --lock-file, held by pid 1 (pid1.c) */
  int landlock_ruleset;  /* the command's Landlock rules, -1 for none */
  pid_t net_helper_pid;  /* net_by_helper: to reap before the command starts */

  /* Channels between the processes (channels.c; -1 when unused) */
  struct channels ch;
};

/* Everything up to and including clone; returns in the monitor with the
 * exit code to use, or MONITOR_LEFT (monitor.h) when the monitor left the
 * sandbox running (plan.monitor_leaves).  The sandbox side never returns. */
int launch_run (struct plan *plan);
