/* Starting the sandbox: decide the namespaces, check the input that can be
 * checked from outside, then clone.  Nothing here creates a namespace or a
 * mount before all bad input has been refused. */
#include "launch.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "caps.h"
#include "causes.h"
#include "cgroup.h"
#include "diagnose.h"
#include "landlock.h"
#include "monitor.h"
#include "mountinfo.h"
#include "procview.h"
#include "rlimits.h"
#include "pty.h"
#include "sandbox.h"
#include "selinux.h"
#include "signals.h"
#include "userns.h"
#include "userns_maps.h"
#include "util.h"

/* bwrap's --unshare-user-try: skip the user namespace where the kernel
 * says there are none to be had. */
static bool
userns_available (void)
{
  _cleanup_free_ char *enable = NULL;

  if (access ("/proc/self/ns/user", F_OK) != 0)
    return false;
  if (read_file_at (AT_FDCWD, "/sys/module/user_namespace/parameters/enable", 16, &enable) == 0
      && enable[0] == 'N')
    return false;
  return !user_namespaces_disabled ();
}

static bool
has_op (const struct plan *plan, enum op_type type)
{
  for (size_t i = 0; i < plan->n_ops; i++)
    if (plan->ops[i].type == type)
      return true;
  return false;
}

/* Mounts the command must not be able to undo: masks and read-only views. */
static bool
has_protected_mounts (const struct plan *plan)
{
  for (size_t i = 0; i < plan->n_ops; i++)
    {
      const struct op *op = &plan->ops[i];

      if (op->readonly || op->type == OP_PROC || op->type == OP_MASK || op->type == OP_REMOUNT_RO
          || (op->type == OP_OVERLAY && op->overlay == OVERLAY_RO))
        return true;
    }
  return false;
}

/* The command runs in a user namespace nested below the one that owns the
 * mounts when:
 *  - a pid 1 of ours runs beside it (a reaper): in the same namespace, with
 *    the same uid, the command could ptrace pid 1 and act through it (read
 *    its memory and environment, undo --die-with-parent, type into the
 *    caller's terminal); from a namespace below it holds no capability over
 *    pid 1's, and the kernel refuses;
 *  - --dev: devpts needs uid 0 mapped during setup (the setup namespace maps
 *    the caller to 0, the nested one maps back to the requested uid);
 *  - --disable-userns: the limit is set in the setup namespace, which the
 *    command then cannot change;
 *  - the command keeps CAP_SYS_ADMIN and there are masks or read-only
 *    mounts: holding no capability in the namespace that owns the mounts, it
 *    can neither unmount nor remount them, and in a copy made by
 *    `unshare -m` they are locked.  (Without CAP_SYS_ADMIN it cannot touch
 *    them anyway, and keeps its other capabilities, CAP_NET_ADMIN say, over
 *    the sandbox's own namespaces.)
 * Otherwise one namespace is enough (as with bwrap).  This holds whoever
 * writes the maps: with --uid-map or --userns-block-fd the nested namespace
 * maps every id of the setup one to itself (userns_create_mirror). */
static bool
needs_nested_userns (const struct launch *l)
{
  const struct plan *plan = l->plan;

  return l->has_reaper || has_op (plan, OP_DEV) || plan->disable_userns
         || (((l->keep_caps >> CAP_SYS_ADMIN) & 1) && has_protected_mounts (plan));
}

/* The command's ids.  bwrap's rule: other ids need a user namespace.
 * nestbox-runc without one (runc's behaviour): they are switched to in
 * the caller's namespace, which takes the capabilities to do so. */
static void
decide_sandbox_ids (struct launch *l)
{
  const struct plan *plan = l->plan;
  bool other_uid, other_gid;

  l->sandbox_uid = plan->uid_set ? plan->uid : l->real_uid;
  l->sandbox_gid = plan->gid_set ? plan->gid : l->real_gid;
  other_uid = l->sandbox_uid != l->real_uid;
  other_gid = l->sandbox_gid != l->real_gid;
  if (l->own_userns || plan->userns_fd != -1)
    return;
  if (!plan->ids_in_caller_ns && other_uid)
    die ("Specifying --uid requires --unshare-user or --userns");
  if (!plan->ids_in_caller_ns && other_gid)
    die ("Specifying --gid requires --unshare-user or --userns");
  if (other_uid && !(l->caller_caps & (1ULL << CAP_SETUID)))
    die ("process.user.uid %u without a user namespace needs CAP_SETUID (or add a user namespace to linux.namespaces)", l->sandbox_uid);
  if ((other_gid || plan->n_groups > 0) && !(l->caller_caps & (1ULL << CAP_SETGID)))
    die ("process.user.gid %u and additionalGids without a user namespace need CAP_SETGID (or add a user namespace to linux.namespaces)", l->sandbox_gid);
}

static void
decide_namespaces (struct launch *l)
{
  struct plan *plan = l->plan;
  bool can_admin = (l->caller_caps >> CAP_SYS_ADMIN) & 1;

  /* A non-root caller needs a user namespace for anything at all (bwrap's
   * rule); so does uid 0 without CAP_SYS_ADMIN, the root of a pod, where
   * bwrap fails with "Creating new namespace failed". */
  if (plan->userns_fd == -1 && !plan->unshare_user && (l->real_uid != 0 || !can_admin))
    plan->unshare_user = true;
  /* Id maps are maps of a user namespace of our own. */
  if (plan->n_uid_map > 0 || plan->n_gid_map > 0)
    plan->unshare_user = true;
  if (plan->unshare_user_try && !plan->unshare_user && userns_available ())
    plan->unshare_user = true;
  l->own_userns = plan->unshare_user;

  decide_sandbox_ids (l);

  if (plan->unshare_cgroup && access ("/proc/self/ns/cgroup", F_OK) != 0)
    die ("Cannot create new cgroup namespace because the kernel does not support it");
  if (plan->unshare_cgroup_try && access ("/proc/self/ns/cgroup", F_OK) == 0)
    plan->unshare_cgroup = true;

  l->new_pidns = plan->unshare_pid || plan->pidns_fd != -1;
  l->has_reaper = (l->new_pidns && !plan->as_pid_1) || plan->n_lock_files > 0 || plan->sync_fd != -1;
  l->keep_caps = caps_requested (plan, l->real_uid == 0, l->caller_caps);
  l->nested_userns = l->own_userns && needs_nested_userns (l);
  /* Without a user namespace of ours, pid 1 and the command share one:
   * only a non-dumpable pid 1 is out of the command's reach (ptrace and
   * /proc/1/mem then need CAP_SYS_PTRACE where nestbox was started). */
  l->reaper_undumpable = l->has_reaper && !l->own_userns;
  /* Ranges of ids (--uid-map, or maps written by the caller): the nested
   * namespace keeps them all instead of mapping one uid. */
  l->nested_mirror = l->nested_userns
                     && (plan->n_uid_map > 0 || plan->n_gid_map > 0 || plan->userns_block_fd != -1);

  l->clone_flags = SIGCHLD | CLONE_NEWNS;
  if (l->own_userns)
    l->clone_flags |= CLONE_NEWUSER;
  if (plan->unshare_pid && plan->pidns_fd == -1)
    l->clone_flags |= CLONE_NEWPID;
  if (plan->unshare_ipc)
    l->clone_flags |= CLONE_NEWIPC;
  /* Whoever reads the namespace ids right after clone needs the network
   * namespace to exist by then. */
  l->net_by_helper = plan->unshare_net && plan->info_fd == -1 && plan->json_status_fd == -1;
  if (plan->unshare_net && !l->net_by_helper)
    l->clone_flags |= CLONE_NEWNET;
  if (plan->unshare_uts)
    l->clone_flags |= CLONE_NEWUTS;
  if (plan->unshare_cgroup)
    l->clone_flags |= CLONE_NEWCGROUP;
}

static bool
in_initial_userns (void)
{
  _cleanup_free_ char *map = NULL;
  unsigned inside, outside, count;

  if (read_file_at (AT_FDCWD, "/proc/self/uid_map", 4096, &map) < 0)
    return true;
  return sscanf (map, "%u %u %u", &inside, &outside, &count) == 3
         && inside == 0 && outside == 0 && count == UINT32_MAX;
}

/* --proc with a pid namespace: find out from the mount table, before
 * anything exists, whether the kernel will allow a fresh procfs, and with
 * which flags.  Only a mount namespace owned by a user namespace other than
 * the initial one is subject to the rule. */
static void
predict_proc (struct launch *l)
{
  const struct plan *plan = l->plan;
  struct mount_table table;
  struct proc_view view;

  if (!l->new_pidns || !has_op (plan, OP_PROC))
    return;
  if (!l->own_userns && plan->userns_fd == -1 && in_initial_userns ())
    return;
  if (mountinfo_read (&table) < 0)
    return; /* no prediction: the mount itself will tell */
  procview_predict (&table, &view);
  mountinfo_free (&table);
  if (view.fresh_allowed)
    l->proc_attrs = (view.readonly ? MOUNT_ATTR_RDONLY : 0) | view.atime;
  else
    {
      l->proc_masked = true;
      if (plan->proc_fallback == PROC_FALLBACK_NONE)
        diagnose_masked_proc (&view);
    }
  procview_free (&view);
}

static void
decide_caps (struct launch *l)
{
  const struct plan *plan = l->plan;

  /* bwrap leaves a uid 0 caller's sets alone unless asked: some seccomp
   * policies (systemd-nspawn's) refuse capset. */
  l->change_caps = !(l->real_uid == 0 && plan->n_cap_steps == 0);
}

/* A closed fd named on the command line is bad input: refuse it before
 * anything is created. */
static void
check_fd (int fd, const char *option)
{
  if (fd >= 0 && fcntl (fd, F_GETFD) < 0)
    die_errno (errno, "Invalid fd for %s: %d", option, fd);
}

static void
check_fds (const struct plan *plan)
{
  check_fd (plan->info_fd, "--info-fd");
  check_fd (plan->json_status_fd, "--json-status-fd");
  check_fd (plan->sync_fd, "--sync-fd");
  check_fd (plan->block_fd, "--block-fd");
  check_fd (plan->userns_block_fd, "--userns-block-fd");
  check_fd (plan->userns_fd, "--userns");
  check_fd (plan->userns2_fd, "--userns2");
  check_fd (plan->pidns_fd, "--pidns");
  for (size_t i = 0; i < plan->n_ops; i++)
    check_fd (plan->ops[i].fd, "a file or bind option");
}

static void
join_namespaces_before_clone (struct launch *l)
{
  const struct plan *plan = l->plan;

  /* Joining first gives us the capabilities of that namespace for the
   * clone (it must be a descendant of ours). */
  if (plan->userns_fd != -1 && setns (plan->userns_fd, CLONE_NEWUSER) != 0)
    {
      if (errno == EINVAL)
        die ("Joining the specified user namespace failed, it might not be a descendant of the current user namespace.");
      die_errno (errno, "Joining specified user namespace failed");
    }
  if (plan->pidns_fd != -1)
    {
      /* The sandbox forks into the pid namespace; as a subreaper we still
       * collect the process that ends up running the command. */
      if (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        die_errno (errno, "prctl(PR_SET_CHILD_SUBREAPER)");
      channel_open_socket (l->ch.pid_sock);
    }
}

/* Nothing started from here on may gain privilege through exec. */
static void
set_no_new_privs (void)
{
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    die_errno (errno, "prctl(PR_SET_NO_NEW_PRIVS)");
}

static void
set_dumpable (bool dumpable)
{
  if (prctl (PR_SET_DUMPABLE, dumpable ? 1 : 0, 0, 0, 0) != 0)
    die_errno (errno, "prctl(PR_SET_DUMPABLE)");
}

/* Where the environment strings we were started with lie: the kernel puts
 * them end to end at the top of the stack, and /proc/PID/environ shows
 * that area whatever setenv or clearenv did since, so pid 1 wipes it.
 * Strings that are not end to end (moved by a preloaded library) are not
 * that area: then there is nothing we can name. */
static void
note_caller_environment (struct launch *l)
{
  const char *start = NULL, *end = NULL;
  size_t total = 0;

  for (char **e = environ; e && *e; e++)
    {
      size_t len = strlen (*e) + 1;

      if (start == NULL || *e < start)
        start = *e;
      if (*e + len > end)
        end = *e + len;
      total += len;
    }
  if (start != NULL && (size_t) (end - start) == total)
    {
      l->caller_env = start;
      l->caller_env_len = total;
    }
}

/* --die-with-parent holds for the monitor from the start, not only once
 * the sandbox runs: a caller killed while we set up (a CI executor
 * cancelling a job) would otherwise leave the whole sandbox running.  A
 * caller gone before the prctl has made us someone else's child. */
static void
die_with_caller_from_now (const struct plan *plan)
{
  pid_t caller;

  if (!plan->die_with_parent)
    return;
  caller = getppid ();
  if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
    die_errno (errno, "prctl(PR_SET_PDEATHSIG)");
  if (getppid () != caller)
    _exit (1);
}

/* --die-with-parent with a cgroup of the sandbox's to remove: the caller's
 * death is then SIGRTMIN, which the monitor acts on (monitor.c) where
 * SIGKILL would leave the cgroup behind.  Switched before the cgroup is
 * made and held until the monitor is ready, so that a caller dying in
 * between still gets the sandbox killed and its cgroup removed. */
static void
caller_death_to_monitor (struct launch *l)
{
  if (!l->plan->die_with_parent || l->cgroup.parent_fd < 0)
    return;
  block_signal (SIGRTMIN);
  if (prctl (PR_SET_PDEATHSIG, SIGRTMIN, 0, 0, 0) != 0)
    die_errno (errno, "prctl(PR_SET_PDEATHSIG)");
  l->caller_death_signal = SIGRTMIN;
}

/* With --dev, the caller's terminal on stdout becomes the console; with
 * --pty the caller's terminal stays outside: no console of it. */
static char *
console_tty (const struct plan *plan)
{
  for (size_t i = 0; i < plan->n_ops; i++)
    if (plan->ops[i].type == OP_DEV && isatty (STDOUT_FILENO) && !plan->pty)
      {
        const char *tty = ttyname (STDOUT_FILENO);
        return tty ? xstrdup (tty) : NULL;
      }
  return NULL;
}

/* Every decision and every check that needs nothing created yet: bad
 * input ends here with exit 1. */
static void
decide (struct launch *l)
{
  struct plan *plan = l->plan;

  diagnose_require_kernel ();
  note_caller_environment (l);
  l->real_uid = getuid ();
  l->real_gid = getgid ();
  if (caps_get_effective (&l->caller_caps) < 0)
    diagnose_capget_failure (errno);

  decide_namespaces (l);
  decide_caps (l);
  userns_decide_maps (l);
  check_fds (plan);
  predict_proc (l);
  seccomp_load_programs (plan, l->keep_caps, &l->seccomp);
  l->landlock_abi = landlock_decide (plan);
  rlimits_check (plan);
  cgroup_decide (plan, &l->cgroup);
  selinux_check_labels (plan->exec_label, plan->file_label);
  l->host_tty = console_tty (plan);
}

/* The channels between the processes that this launch needs (launch.h). */
static void
open_channels (struct launch *l)
{
  const struct plan *plan = l->plan;
  int r;

  /* First: the --pty relay owns fds 0-2, which no pipe may take. */
  if (plan->pty && (r = pty_launch_prepare ()) < 0)
    die_errno (-r, "--pty: Can't prepare the terminal's channel");
  if (plan->pty)
    channel_open_socket (l->ch.pty_sock);
  if (plan->json_status_fd != -1)
    channel_open_pipe (l->ch.exec_pipe);
  if (l->has_reaper)
    channel_open_pipe (l->ch.status_pipe);
  if (l->map_by_parent)
    channel_open_pipe (l->ch.map_pipe);
  if (plan->die_with_parent)
    channel_open_pipe (l->ch.monitor_alive);
}

/* Clone the sandbox; returns its pid in the monitor, never in the child. */
static pid_t
clone_sandbox (struct launch *l)
{
  pid_t pid;

  /* Joining a user namespace puts the monitor, which sees the caller's
   * files, in reach of whatever runs there (another sandbox, or ours
   * without a pid namespace): non-dumpable, it can only be traced with
   * CAP_SYS_PTRACE where nestbox was started.  Only after clone otherwise:
   * the sandbox, a copy of us, must stay dumpable to write its maps. */
  if (l->plan->userns_fd != -1)
    set_dumpable (false);
  join_namespaces_before_clone (l);

  /* no_new_privs for everything from here on; only the monitor may still
   * have run newuidmap/newgidmap, setuid helpers that need it off. */
  if (!l->map_by_parent || l->map_direct)
    set_no_new_privs ();
  /* A pid 1 of ours starts the command in the cgroup (cgroup_spawn);
   * without one the sandbox's first process is the command's. */
  if (l->cgroup.fd >= 0 && !l->has_reaper)
    pid = cgroup_clone (&l->cgroup, l->clone_flags);
  else
    pid = (pid_t) syscall (SYS_clone, l->clone_flags, NULL, NULL, NULL, NULL);
  if (pid < 0)
    diagnose_clone_failure (errno, l);
  if (pid == 0)
    {
      set_no_new_privs ();
      sandbox_main (l);
    }
  return pid;
}

int
launch_run (struct plan *plan)
{
  struct launch l = {
    .plan = plan,
    .nested_userns_fd = -1,
    .landlock_ruleset = -1,
    .cgroup = CGROUP_RUN_NONE,
  };
  pid_t pid;

  channels_init (&l.ch);
  die_with_caller_from_now (plan);
  decide (&l);
  open_channels (&l);
  /* From here a signal waits for the monitor: one that killed us between
   * the cgroup and the monitor's handlers would leave the cgroup behind. */
  block_forwarded_signals ();
  caller_death_to_monitor (&l);
  /* The last thing made before clone: nothing can fail between the two. */
  cgroup_create (plan, &l.cgroup);
  pid = clone_sandbox (&l);
  channels_keep_side (&l.ch, MONITOR_SIDE);

  set_dumpable (false);
  if (l.map_by_parent)
    userns_write_maps_from_monitor (&l, pid);
  /* The filters are the command's: the monitor never installs them. */
  seccomp_set_free (&l.seccomp);
  /* So is the terminal's name (--dev's console). */
  free (l.host_tty);
  l.host_tty = NULL;
  set_no_new_privs ();
  return monitor_main (&l, pid);
}
