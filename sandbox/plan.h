/* The plan: everything the command line asked for, as pure data.
 * cli.c fills it.  Three places write to it after parsing, each for a
 * reason: launch.c turns the -try options and the implied user namespace
 * into plain unshare_user/unshare_cgroup (so that every later step reads
 * one answer); ops.c fills each op's resolved_source before the root
 * changes; and the command's process puts --argv0 into command[0] just
 * before exec.  Nothing else changes it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum op_type
{
  OP_BIND,       /* --bind, --ro-bind, --dev-bind and their -try forms */
  OP_BIND_FD,    /* --bind-fd, --ro-bind-fd */
  OP_REMOUNT_RO, /* --remount-ro */
  OP_PROC,       /* --proc */
  OP_DEV,        /* --dev */
  OP_TMPFS,      /* --tmpfs */
  OP_MQUEUE,     /* --mqueue */
  OP_DIR,        /* --dir */
  OP_FILE,       /* --file */
  OP_BIND_DATA,  /* --bind-data, --ro-bind-data */
  OP_SYMLINK,    /* --symlink */
  OP_CHMOD,      /* --chmod */
  OP_OVERLAY,    /* --overlay, --tmp-overlay, --ro-overlay */
  OP_MASK,       /* --mask: hide a path of the new root */
};

enum overlay_kind
{
  OVERLAY_RW,  /* upper and work dirs given */
  OVERLAY_TMP, /* upper in a private tmpfs, discarded at exit */
  OVERLAY_RO,  /* no upper at all */
};

struct op
{
  enum op_type type;
  const char *source;  /* host path, or a symlink's target */
  const char *dest;    /* path inside the sandbox */
  const char *workdir; /* OP_OVERLAY, OVERLAY_RW */
  int fd;              /* OP_BIND_FD, OP_FILE, OP_BIND_DATA */
  bool readonly;
  bool allow_devices; /* --dev-bind */
  bool skip_missing;  /* the -try forms */
  int perms;          /* --perms, -1 when not given */
  uint64_t size;      /* --size, 0 when not given */
  enum overlay_kind overlay;
  const char **overlay_sources; /* bottom layer first */
  size_t n_overlay_sources;
  /* Filled in before the root changes: the source as a canonical host path
   * (symlinks resolved from the host's point of view), NULL if missing. */
  char *resolved_source;
};

enum env_op_type
{
  ENV_SET,
  ENV_UNSET,
  ENV_CLEAR,
};

struct env_op
{
  enum env_op_type type;
  const char *name;
  const char *value;
};

/* How a fresh procfs is re-masked for the command (--proc-policy). */
enum proc_policy
{
  PROC_POLICY_OCI,   /* the container runtimes' masked and read-only lists */
  PROC_POLICY_BWRAP, /* bubblewrap's: sys, sysrq-trigger, irq, bus read-only */
  PROC_POLICY_NONE,
};

/* What --proc does when a fresh procfs cannot be mounted (--proc-fallback). */
enum proc_fallback
{
  PROC_FALLBACK_NONE,   /* fail with a diagnosis */
  PROC_FALLBACK_BIND,   /* recursive read-only bind of the visible /proc */
  PROC_FALLBACK_SUBSET, /* a fresh procfs with subset=pid, where the kernel allows it */
  PROC_FALLBACK_AUTO,   /* subset=pid if allowed, else the bind */
};

/* One --rlimit: which limits of a resource it sets, in command-line order. */
struct rlimit_step
{
  int resource; /* RLIMIT_* */
  bool set_soft, set_hard;
  uint64_t soft, hard; /* RLIM_INFINITY for unlimited */
};

/* The cgroup v2 limits, one of each kind (cgroup_limits.h). */
enum cgroup_limit
{
  LIMIT_MEMORY_MAX,
  LIMIT_MEMORY_SWAP_MAX,
  LIMIT_PIDS_MAX,
  LIMIT_CPU_MAX,
  LIMIT_CPU_WEIGHT,
  LIMIT_IO_WEIGHT,
  N_CGROUP_LIMITS
};

struct cgroup_limit_value
{
  const char *arg; /* as given, for messages; NULL: not asked for */
  char value[48];  /* as the kernel's file takes it */
};

struct id_range
{
  uint32_t inside;
  uint32_t outside;
  uint32_t count;
};

struct plan
{
  /* Namespaces */
  bool unshare_user, unshare_user_try, unshare_ipc, unshare_pid, unshare_net;
  bool unshare_uts, unshare_cgroup, unshare_cgroup_try;
  int userns_fd, userns2_fd, pidns_fd;
  bool disable_userns, assert_userns_disabled;
  bool uid_set, gid_set;
  uint32_t uid, gid;
  /* nestbox-runc, a config.json without a user namespace: --uid/--gid
   * taken in the caller's namespace with CAP_SETUID/CAP_SETGID (runc's
   * behaviour, not bwrap's), the supplementary groups set to groups. */
  bool ids_in_caller_ns;
  const gid_t *groups;
  size_t n_groups;
  const char *hostname;
  struct id_range *uid_map, *gid_map; /* --uid-map/--gid-map */
  size_t n_uid_map, n_gid_map;

  /* Filesystem, in command-line order */
  struct op *ops;
  size_t n_ops;
  enum proc_policy proc_policy;
  enum proc_fallback proc_fallback;

  /* Environment and process */
  struct env_op *env_ops;
  size_t n_env_ops;
  const char *chdir_path;
  const char *argv0;
  char **command; /* NULL-terminated; command[0] is what is executed */

  /* Monitoring */
  int info_fd, json_status_fd, sync_fd, block_fd, userns_block_fd;
  /* nestbox-runc's create (runc_create.c): one byte once set-up is over,
   * right before the wait on block_fd; no command-line option sets it. */
  int setup_done_fd;
  /* nestbox-runc's --console-socket: with pty, the monitor sends the
   * terminal's master there (SCM_RIGHTS) instead of relaying it. */
  int console_socket_fd;
  /* nestbox-runc's create: the monitor leaves the sandbox to the caller's
   * subreaper once it has reported its pid, where nothing needs it
   * (monitor.c); launch_run then returns MONITOR_LEFT. */
  bool monitor_leaves;
  const char **lock_files;
  size_t n_lock_files;

  /* Lockdown */
  int seccomp_fd;
  int *add_seccomp_fds;
  size_t n_add_seccomp_fds;
  const char *seccomp_profile; /* --seccomp-profile FILE|default (seccomp.c) */
  const char *exec_label, *file_label;
  /* --cap-add/--cap-drop in command-line order; ALL is cap -1 */
  struct cap_step
  {
    bool add;
    int cap;
  } * cap_steps;
  size_t n_cap_steps;
  bool die_with_parent, as_pid_1, new_session;
  bool pty;                    /* --pty: a terminal of the sandbox's own (pty.h) */
  bool landlock, landlock_try; /* landlock.h */
  struct rlimit_step *rlimits; /* --rlimit, for the command alone (rlimits.h) */
  size_t n_rlimits;
  unsigned timeout_seconds, timeout_grace;           /* --timeout, 0: none (timeout.h) */
  struct cgroup_limit_value limits[N_CGROUP_LIMITS]; /* cgroup_limits.h */
  bool limits_try;                                   /* --limits-try: without the cgroup limits where they cannot be had */

  bool level_prefix; /* --level-prefix: messages start with <level> */

  /* Everything the parser read (argv copies, --args data) lives here. */
  char **owned;
  size_t n_owned;
};

void plan_init (struct plan *plan);
void plan_free (struct plan *plan);
