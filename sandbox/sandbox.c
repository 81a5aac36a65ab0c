/* The sandbox side: from the fresh namespaces to the exec of the command.
 *
 * User namespaces: when we make one (own_userns), the first one maps the
 * caller to uid 0 (or holds the --uid-map ranges) so that setup may mount
 * (devpts needs root mapped).  After the root is built, the command moves
 * into a nested user namespace (launch.c says when) that maps the requested
 * uid, or every id of the first one to itself.  The mounts, and pid 1, then
 * belong to a namespace the command holds no capability in: it cannot
 * unmount or remount them, gets a locked copy after `unshare -m`, and
 * cannot ptrace pid 1. */
#include "sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "caps.h"
#include "cgroup.h"
#include "diagnose.h"
#include "landlock.h"
#include "launch.h"
#include "net.h"
#include "netns.h"
#include "ops.h"
#include "pid1.h"
#include "pty.h"
#include "rlimits.h"
#include "selinux.h"
#include "signals.h"
#include "sockmsg.h"
#include "userns.h"
#include "util.h"

static void
set_die_with_parent (const struct plan *plan)
{
  if (plan->die_with_parent && prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
    die_errno (errno, "prctl(PR_SET_PDEATHSIG)");
}

/* --die-with-parent from the first instant: a monitor killed between the
 * clone and our prctl would leave us running.  Its end of the pipe closes
 * when it dies; seen after the prctl, that means it died before. */
static void
die_with_monitor (struct launch *l)
{
  struct pollfd p = { .fd = l->ch.monitor_alive[0], .events = POLLIN };

  set_die_with_parent (l->plan);
  if (l->ch.monitor_alive[0] == -1)
    return;
  if (poll (&p, 1, 0) != 0)
    _exit (1);
  channel_close (l->ch.monitor_alive);
}

/* --pidns: setns only moves our future children, so fork into the pid
 * namespace (and into a new one below it with --unshare-pid); the
 * intermediate exits and the monitor, a subreaper, inherits the child. */
static void
fork_into (void)
{
  pid_t pid = fork ();

  if (pid < 0)
    die_errno (errno, "Can't fork");
  if (pid != 0)
    _exit (0);
}

static void
send_own_pid (int sock)
{
  struct ucred cred = { .pid = getpid (), .uid = getuid (), .gid = getgid () };
  char byte = 'p';
  /* SCM_CREDENTIALS: the kernel translates the pid into the receiver's
   * pid namespace. */
  int r = sockmsg_send (sock, &byte, 1, SCM_CREDENTIALS, &cred, sizeof cred, 0);

  if (r < 0)
    die_errno (-r, "Can't send the sandbox pid");
}

static void
join_pidns (struct launch *l)
{
  const struct plan *plan = l->plan;

  if (plan->pidns_fd == -1)
    return;
  if (setns (plan->pidns_fd, CLONE_NEWPID) != 0)
    die_errno (errno, "Setting pidns failed");
  fork_into ();
  set_die_with_parent (plan);
  if (plan->unshare_pid)
    {
      if (unshare (CLONE_NEWPID) != 0)
        die_errno (errno, "unshare pid ns");
      fork_into ();
      set_die_with_parent (plan);
    }
  send_own_pid (l->ch.pid_sock[1]);
  channel_close (l->ch.pid_sock);
}

/* Any existing directory can hold the staging tmpfs: pivot_root moves it
 * away and /oldroot shows what was below it.  /tmp first, as bwrap; the
 * others for roots (nested sandboxes) that have no /tmp. */
static const char *
staging_mount_point (void)
{
  static const char *const candidates[] = { "/tmp", "/var/tmp", "/run", "/mnt", "/usr", "/etc", "/dev" };
  struct stat st;

  for (size_t i = 0; i < N_ELEMENTS (candidates); i++)
    if (lstat (candidates[i], &st) == 0 && S_ISDIR (st.st_mode))
      return candidates[i];
  die ("Can't find a directory for the staging root: the root has none of /tmp, /var/tmp, /run, /mnt, /usr, /etc, /dev");
}

/* Staging: a private tmpfs becomes the root, with the caller's root at
 * /oldroot and the future root at /newroot. */
static void
enter_staging_root (void)
{
  const char *base = staging_mount_point ();

  if (mount (NULL, "/", NULL, MS_SILENT | MS_SLAVE | MS_REC, NULL) < 0)
    diagnose_mount_failure (errno, "Failed to make", "/ slave");
  if (mount ("tmpfs", base, "tmpfs", MS_NODEV | MS_NOSUID, "mode=0755") != 0)
    diagnose_mount_failure (errno, "Failed to mount tmpfs on", base);
  if (chdir (base) != 0)
    die_errno (errno, "chdir %s", base);
  if (mkdir ("newroot", 0755) != 0 || mkdir ("oldroot", 0755) != 0)
    die_errno (errno, "Creating the staging directories failed");
  if (syscall (SYS_pivot_root, ".", "oldroot") != 0)
    diagnose_mount_failure (errno, "pivot_root to", "the staging root");
  if (chdir ("/") != 0)
    die_errno (errno, "chdir /");
  /* The new root must be a mount point of its own for the final pivot. */
  if (mount (NEWROOT, NEWROOT, NULL, MS_BIND | MS_REC | MS_SILENT, NULL) != 0)
    diagnose_mount_failure (errno, "Can't bind", NEWROOT);
}

static void
enter_new_root (void)
{
  /* No separate unmount of /oldroot: detaching the staging root below
   * takes it along, and each unmount waits for an RCU grace period. */
  if (chdir (NEWROOT) != 0)
    die_errno (errno, "chdir " NEWROOT);
  /* pivot_root(".", "."): the staging root ends up on top of the new one
   * and is detached right away. */
  if (syscall (SYS_pivot_root, ".", ".") != 0)
    diagnose_mount_failure (errno, "pivot_root to", "the new root");
  if (umount2 (".", MNT_DETACH) != 0)
    die_errno (errno, "unmount the staging root");
  if (chdir ("/") != 0)
    die_errno (errno, "chdir /");
}

/* Returns whether "/" is still nestbox's own tmpfs (no op mounted on it). */
static bool
build_root (struct launch *l, int host_proc_fd)
{
  struct setup_ctx ctx = {
    .plan = l->plan,
    .own_userns = l->own_userns,
    .new_pidns = l->new_pidns,
    .host_tty = l->host_tty,
    .proc_fd = host_proc_fd,
    .proc_masked = l->proc_masked,
    .proc_attrs = l->proc_attrs,
  };
  struct stat own_root, root;

  setup_resolve_sources (l->plan);
  enter_staging_root ();
  ctx.root_fd = RETRY_EINTR (open (NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (ctx.root_fd < 0)
    die_errno (errno, "Can't open " NEWROOT);
  if (fstat (ctx.root_fd, &own_root) != 0)
    die_errno (errno, "Can't stat " NEWROOT);
  setup_run_ops (&ctx);
  close (ctx.root_fd);
  enter_new_root ();
  return stat ("/", &root) == 0 && root.st_dev == own_root.st_dev && root.st_ino == own_root.st_ino;
}

static void
change_directory (const struct plan *plan, const char *old_cwd)
{
  const char *cwd = "/";
  const char *home = getenv ("HOME");

  if (plan->chdir_path)
    {
      if (chdir (plan->chdir_path) != 0)
        die_errno (errno, "Can't chdir to %s", plan->chdir_path);
      cwd = plan->chdir_path;
    }
  else if (old_cwd && chdir (old_cwd) == 0)
    cwd = old_cwd;
  else if (home && chdir (home) == 0)
    cwd = home;
  else if (chdir ("/") != 0)
    die_errno (errno, "Can't chdir to /");
  if (setenv ("PWD", cwd, 1) != 0)
    die_oom ();
}

static void
apply_environment (const struct plan *plan)
{
  for (size_t i = 0; i < plan->n_env_ops; i++)
    {
      const struct env_op *e = &plan->env_ops[i];
      int r = 0;

      if (e->type == ENV_SET)
        r = setenv (e->name, e->value, 1);
      else if (e->type == ENV_UNSET)
        r = unsetenv (e->name);
      else
        r = clearenv ();
      if (r != 0)
        die_errno (errno, "Can't change the environment");
    }
}

static void
wait_block_fd (const struct plan *plan)
{
  char b = 0;

  /* runc's create returns once the container waits for `start`, not
   * before: its caller reads the pid and may join the namespaces then.
   * Only this process knows that set-up is over. */
  if (plan->setup_done_fd != -1)
    {
      (void) write_all (plan->setup_done_fd, &b, 1);
      close (plan->setup_done_fd);
    }
  if (plan->block_fd == -1)
    return;
  (void) RETRY_EINTR (read (plan->block_fd, &b, 1));
  close (plan->block_fd);
}

/* Keyrings are not namespaced: the caller's session keyring (tokens,
 * kerberos tickets) would be readable from inside.  A new anonymous session
 * keyring replaces it for the command. */
static void
leave_caller_keyring (void)
{
  if (syscall (SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, NULL) >= 0)
    return;
  /* An outer seccomp profile refusing keyctl protects the keys already. */
  if (errno == ENOSYS || errno == EPERM)
    return;
  if (errno == EDQUOT)
    die ("Can't give the sandbox a session keyring of its own: this uid has too many keyrings (raise kernel.keys.maxkeys)");
  die_errno (errno, "Can't give the sandbox a session keyring of its own");
}

/* --new-session and --pty: the whole sandbox, pid 1 included, leaves the
 * caller's session, so nothing in it keeps the caller's terminal as its
 * controlling terminal (TIOCSTI needs that, and /dev/tty opens it). */
static void
leave_caller_session (const struct plan *plan)
{
  if ((plan->new_session || plan->pty) && setsid () == (pid_t) -1)
    die_errno (errno, "setsid");
}

static void
signal_exec_pipe (const struct launch *l)
{
  char b = 0;

  /* The monitor reports an exit code only for a command that was run. */
  if (l->ch.exec_pipe[1] != -1)
    (void) write_all (l->ch.exec_pipe[1], &b, 1);
}

static _Noreturn void
exec_command (struct launch *l, mode_t old_umask)
{
  const struct plan *plan = l->plan;
  const char *path = plan->command[0];
  sigset_t none;
  int r;

  const char *limit = NULL;

  set_die_with_parent (plan);
  /* Before the capabilities go: root may raise a hard limit. */
  if ((r = rlimits_apply (plan, &limit)) < 0)
    die_errno (-r, "--rlimit %s", limit);
  userns_switch_ids_in_place (l);
  r = caps_apply_final (l->keep_caps, l->change_caps);
  if (r < 0)
    die_errno (-r, "Setting the command's capabilities");
  /* Until exec we share pid 1's memory (vfork), and with it its dumpable
   * flag; exec sets ours anew. */
  if (!l->reaper_undumpable && prctl (PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
    die_errno (errno, "can't set dumpable");
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  umask (old_umask);
  if (plan->argv0)
    plan->command[0] = (char *) plan->argv0;

  /* After every other change: the domain refuses mounts and signals to
   * pid 1. */
  if (l->landlock_ruleset != -1 && (r = landlock_enforce (l->landlock_ruleset)) < 0)
    die_errno (-r, "--landlock: Can't enter the Landlock domain");
  /* Last: the filters need not allow anything setup does. */
  r = seccomp_install (&l->seccomp);
  if (r < 0)
    die_errno (-r, "Unable to set up system call filtering as requested");
  signal_exec_pipe (l);
  execvp (path, plan->command);
  r = errno;
  signal_exec_pipe (l);
  die_errno (r, "execvp %s", path);
}

/* What the command's process takes from sandbox_main. */
struct command_start
{
  struct launch *l;
  int host_proc_fd;
  const char *old_cwd;
  mode_t old_umask;
};

/* The command's process, from the finished root to the exec. */
static _Noreturn void
start_command (const struct command_start *c)
{
  struct launch *l = c->l;
  const struct plan *plan = l->plan;
  int r;

  /* The status is pid 1's to send.  Only the fd is closed: the command's
   * process is vforked, so the struct is still pid 1's too. */
  if (l->ch.status_pipe[1] != -1)
    close (l->ch.status_pipe[1]);
  /* --sync-fd belongs to pid 1; with --as-pid-1 the command keeps it. */
  if (plan->sync_fd != -1 && !plan->as_pid_1 && l->has_reaper)
    close (plan->sync_fd);
  if (plan->pty && (r = pty_take_controlling_terminal ()) < 0)
    die_errno (-r, "--pty: Can't make the pseudo-terminal the command's");
  /* Born in the cgroup of the limits, below pid 1's: a namespace rooted
   * there, not at pid 1's cgroup. */
  if (plan->unshare_cgroup && l->cgroup.fd >= 0 && l->has_reaper && unshare (CLONE_NEWCGROUP) != 0)
    die_errno (errno, "Can't make the command's cgroup namespace");

  userns_enter_nested (l, c->host_proc_fd);
  if (c->host_proc_fd >= 0)
    close (c->host_proc_fd);
  r = caps_limit_bounding (l->keep_caps);
  if (r < 0)
    die_errno (-r, "Dropping capabilities from the bounding set");
  /* bwrap applies --setenv & co. first; PWD is set last, whatever they did. */
  apply_environment (plan);
  change_directory (plan, c->old_cwd);
  /* The command leads a session of its own (pid 1 left the caller's in
   * leave_caller_session; below it the command is not yet a leader). */
  if (plan->new_session && !plan->pty && getsid (0) != getpid () && setsid () == (pid_t) -1)
    die_errno (errno, "setsid");
  r = selinux_set_exec_label (plan->exec_label);
  if (r < 0)
    die_errno (-r, "label_exec %s", plan->command[0]);
  exec_command (l, c->old_umask);
}

/* pid 1's child, the command, made with vfork: it borrows our memory until
 * it execs, which spares copying the page tables and the copy-on-write
 * faults that follow (about 0.2 ms of a start, bench/README.md).  We wait,
 * suspended, until then.  With cgroup limits it is born in their cgroup
 * instead, with a copy of our memory (cgroup.h).  Nothing it changes is
 * read by pid 1 afterwards (its environment, the command's argv[0]), and
 * it leaves through exec or _exit, never by returning here.  Not inlined: the child must run in
 * frames below this one, never in sandbox_main's, which pid 1 goes on
 * using. */
static __attribute__ ((noinline)) pid_t
spawn_command (const struct command_start *c)
{
  pid_t pid = c->l->cgroup.fd >= 0 ? cgroup_spawn (&c->l->cgroup) : vfork ();

  if (pid == 0)
    start_command (c);
  return pid;
}

/* The fds of options only the monitor serves. */
static void
close_monitor_fds (const struct launch *l)
{
  const struct plan *plan = l->plan;

  if (plan->info_fd != -1)
    close (plan->info_fd);
  if (plan->json_status_fd != -1)
    close (plan->json_status_fd);
}

/* Ids, network, the new root, hostname and terminal: everything the
 * command's world needs.  Fills start for the command's process. */
static void
set_up_sandbox (struct launch *l, struct command_start *start)
{
  struct plan *plan = l->plan;
  struct netns_helper net_helper;
  const char *step = NULL;
  int pty_fds[2] = { -1, -1 };
  int host_proc_fd, r;
  bool root_is_own;

  /* The caller's /proc, kept for writes after the root has changed (the
   * sandbox may have no /proc of its own). */
  host_proc_fd = RETRY_EINTR (open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
  /* The network namespace takes longest to make: its helper starts first
   * (it needs no id map: the user namespace's capabilities are its own). */
  if (l->net_by_helper && (r = netns_helper_start (&net_helper, host_proc_fd)) < 0)
    die_errno (-r, "Can't fork the network namespace helper");
  userns_map_for_setup (l);
  if (plan->unshare_net && !l->net_by_helper && (r = net_loopback_up ()) < 0)
    die_errno (-r, "loopback: Failed to bring up lo");
  *start = (struct command_start){ l, host_proc_fd, NULL, umask (0) };
  start->old_cwd = get_current_dir_name ();
  /* --pty: the terminal comes from the caller's devpts before the root
   * changes, or from the sandbox's own (--dev) after. */
  pty_sandbox_setup (plan, false, &l->ch.pty_sock[1], pty_fds);
  root_is_own = build_root (l, host_proc_fd);
  pty_sandbox_setup (plan, true, &l->ch.pty_sock[1], pty_fds);
  if (l->landlock_abi > 0)
    l->landlock_ruleset = landlock_build_ruleset (plan, l->landlock_abi, root_is_own);
  if (l->net_by_helper)
    {
      /* Its exit (its copy of our memory torn down) takes a while: it is
       * reaped as late as can be, just before the command starts. */
      l->net_helper_pid = net_helper.pid;
      if ((r = netns_helper_join (&net_helper, &step)) < 0)
        die_errno (-r, "%s", step);
    }

  if (plan->hostname && sethostname (plan->hostname, strlen (plan->hostname)) != 0)
    die_errno (errno, "Can't set hostname to %s", plan->hostname);

  /* From here on our own errors, too, go to the sandbox's terminal. */
  if (pty_fds[0] != -1 && (r = pty_slave_as_stdio (pty_fds)) < 0)
    die_errno (-r, "--pty: Can't make the pseudo-terminal the sandbox's");
}

void
sandbox_main (struct launch *l)
{
  struct plan *plan = l->plan;
  struct command_start start;
  pid_t pid;

  channels_keep_side (&l->ch, SANDBOX_SIDE);
  die_with_monitor (l);
  end_on_signals_during_setup ();
  leave_caller_session (plan);
  close_monitor_fds (l);
  join_pidns (l);
  set_up_sandbox (l, &start);

  leave_caller_keyring ();
  userns_prepare_nested (l, start.host_proc_fd);
  /* Before the last fork, as bwrap: a signal that ends set-up ends this
   * wait too. */
  wait_block_fd (plan);
  if (l->has_reaper)
    pid1_take_locks (l);
  /* From here on a signal is the command's (pid 1 forwards it). */
  block_forwarded_signals ();
  if (l->reaper_undumpable && prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    die_errno (errno, "can't set pid 1 non-dumpable");
  netns_helper_reap (l->net_helper_pid);
  if (!l->has_reaper)
    start_command (&start);
  /* pid 1 stays in the namespaces that own the sandbox (with no
   * capability left), so that --userns/--pidns of another run can join
   * them through its /proc/PID/ns; the command alone goes further down. */
  pid = spawn_command (&start);
  if (pid < 0)
    die_errno (errno, "Can't fork for pid 1");
  if (l->landlock_ruleset != -1)
    close (l->landlock_ruleset);
  pid1_main (l, pid);
}
