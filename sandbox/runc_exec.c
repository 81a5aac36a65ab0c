/* nestbox-runc's exec (runc_exec.h). */
#include "runc_exec.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "caps.h"
#include "oci_config.h"
#include "rlimits.h"
#include "runc_log.h"
#include "runc_process.h"
#include "runc_state.h"
#include "seccomp.h"
#include "selinux.h"
#include "signals.h"
#include "util.h"

/* What the process in the container is given. */
struct exec_setup
{
  struct oci_config cfg;
  uint64_t keep_caps;
  struct seccomp_set seccomp;
  pid_t target; /* the container's process */
};

static void
add_env (struct plan *plan, char *assignment)
{
  char *eq = strchr (assignment, '=');

  if (eq == NULL || eq == assignment)
    runc_fail ("exec: --env %s: give NAME=VALUE", assignment);
  *eq = '\0';
  plan->env_ops = xreallocarray (plan->env_ops, plan->n_env_ops + 1, sizeof *plan->env_ops);
  plan->env_ops[plan->n_env_ops++] = (struct env_op){ ENV_SET, assignment, eq + 1 };
}

static void
set_user (struct plan *plan, const char *user)
{
  const char *colon = strchr (user, ':');
  _cleanup_free_ char *uid = colon ? xasprintf ("%.*s", (int) (colon - user), user) : xstrdup (user);

  if (!parse_id (uid, &plan->uid) || (colon && !parse_id (colon + 1, &plan->gid)))
    runc_fail ("exec: --user %s: give UID or UID:GID (numbers)", user);
  plan->uid_set = true;
  plan->gid_set = plan->gid_set || colon != NULL;
}

/* config.json's process with the command line's changes. */
static void
load_process (const struct runc_container *c, const struct runc_exec_options *o, struct exec_setup *x)
{
  struct plan *plan = &x->cfg.plan;
  char err[1024] = "";
  uint64_t caller_caps = 0;

  if (oci_config_load (c->bundle, &x->cfg, err, sizeof err) < 0)
    runc_fail ("exec: the container's config.json: %s", err);
  if (plan->landlock || plan->landlock_try)
    runc_fail ("exec: not supported yet for a container with Landlock (run.oci.nestbox.landlock)");
  plan->command = o->args;
  for (size_t i = 0; i < o->n_env; i++)
    add_env (plan, o->env[i]);
  if (o->cwd)
    plan->chdir_path = o->cwd;
  if (o->user)
    set_user (plan, o->user);
  (void) caps_get_effective (&caller_caps);
  x->keep_caps = caps_requested (plan, getuid () == 0, caller_caps);
  seccomp_load_programs (plan, x->keep_caps, &x->seccomp);
}

static bool
same_ns (pid_t pid, const char *name)
{
  char path[64];
  struct stat ours, theirs;

  snprintf (path, sizeof path, "/proc/%d/ns/%s", (int) pid, name);
  if (stat (path, &theirs) < 0)
    die_errno (errno, "exec: %s", path);
  snprintf (path, sizeof path, "/proc/self/ns/%s", name);
  return stat (path, &ours) == 0 && ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev;
}

/* The namespaces of target other than the user namespace, where they
 * differ from ours (setns refuses none, but joins nothing for nothing). */
static int
other_namespaces (pid_t target)
{
  static const struct
  {
    const char *name;
    int flag;
  } kinds[] = {
    { "mnt", CLONE_NEWNS },
    { "pid", CLONE_NEWPID },
    { "ipc", CLONE_NEWIPC },
    { "uts", CLONE_NEWUTS },
    { "net", CLONE_NEWNET },
    { "cgroup", CLONE_NEWCGROUP },
  };
  int flags = 0;

  for (size_t i = 0; i < N_ELEMENTS (kinds); i++)
    if (!same_ns (target, kinds[i].name))
      flags |= kinds[i].flag;
  return flags;
}

/* Into the container's namespaces, in the order the kernel's rules ask:
 * the user namespace that owns the mounts first (where we then hold the
 * capabilities to join the rest, as the sandbox's creator or as root),
 * then the others, then the command's own user namespace below it. */
static void
join_namespaces (int pidfd, pid_t target)
{
  int mnt = -1, owner = -1, flags = other_namespaces (target);
  /* Known before the mounts are joined: /proc then is the container's. */
  bool own_userns = !same_ns (target, "user");
  char path[64];

  snprintf (path, sizeof path, "/proc/%d/ns/mnt", (int) target);
  if ((mnt = open (path, O_RDONLY | O_CLOEXEC)) < 0)
    die_errno (errno, "exec: %s", path);
  owner = ioctl (mnt, NS_GET_USERNS);
  if (owner >= 0 && setns (owner, CLONE_NEWUSER) < 0 && errno != EINVAL)
    die_errno (errno, "exec: can't join the user namespace of the container's mounts");
  if (flags && setns (pidfd, flags) < 0)
    die_errno (errno, "exec: can't join the container's namespaces");
  if (own_userns && setns (pidfd, CLONE_NEWUSER) < 0 && errno != EINVAL)
    die_errno (errno, "exec: can't join the container's user namespace");
  close (mnt);
  if (owner >= 0)
    close (owner);
}

static void
apply_environment (const struct plan *plan)
{
  for (size_t i = 0; i < plan->n_env_ops; i++)
    {
      const struct env_op *e = &plan->env_ops[i];
      int r = e->type == ENV_SET ? setenv (e->name, e->value, 1) : e->type == ENV_UNSET ? unsetenv (e->name)
                                                                                        : clearenv ();

      if (r != 0)
        die_errno (errno, "exec: can't set the environment");
    }
}

/* In the container's namespaces, as root of its user namespace: become
 * the container's user with its capabilities and filters, then exec. */
static _Noreturn void
become_process (const struct exec_setup *x)
{
  const struct plan *plan = &x->cfg.plan;
  const char *limit = NULL;
  sigset_t none;
  int r;

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  /* Stdio alone, as runc: no fd of the caller's reaches the container. */
  if (close_range (3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    die_errno (errno, "exec: close_range");
  apply_environment (plan);
  if (chdir (plan->chdir_path ? plan->chdir_path : "/") < 0)
    die_errno (errno, "exec: can't chdir to %s", plan->chdir_path ? plan->chdir_path : "/");
  if ((r = rlimits_apply (plan, &limit)) < 0)
    die_errno (-r, "exec: rlimit %s", limit);
  /* While CAP_SETPCAP is still effective: the id switch clears it. */
  if ((r = caps_limit_bounding (x->keep_caps)) < 0)
    die_errno (-r, "exec: can't limit the bounding set");
  if (plan->gid_set && getgid () != plan->gid && setresgid (plan->gid, plan->gid, plan->gid) < 0)
    die_errno (errno, "exec: can't switch to gid %u", plan->gid);
  if (plan->uid_set && getuid () != plan->uid
      && (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresuid (plan->uid, plan->uid, plan->uid) < 0))
    die_errno (errno, "exec: can't switch to uid %u", plan->uid);
  if ((r = caps_apply_final (x->keep_caps, true)) < 0)
    die_errno (-r, "exec: can't set the capabilities");
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    die_errno (errno, "exec: prctl(PR_SET_NO_NEW_PRIVS)");
  if ((r = selinux_set_exec_label (plan->exec_label)) < 0)
    die_errno (-r, "exec: label %s", plan->exec_label);
  if ((r = seccomp_install (&x->seccomp)) < 0)
    die_errno (-r, "exec: can't install the seccomp filters");
  execvp (plan->command[0], plan->command);
  die_errno (errno, "exec: %s", plan->command[0]);
}

/* The process that joins: not dumpable before it enters (the container's
 * processes must not trace or read it while it holds our capabilities),
 * then a fork, to be in the pid namespace too.  Sends that child's pid
 * (as we see it) on report, and leaves it to the caller. */
static _Noreturn void
joiner (const struct exec_setup *x, int pidfd, int report)
{
  pid_t child;

  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    die_errno (errno, "exec: prctl(PR_SET_DUMPABLE)");
  join_namespaces (pidfd, x->target);
  close (pidfd);
  child = fork ();
  if (child < 0)
    die_errno (errno, "exec: fork");
  if (child == 0)
    {
      close (report);
      become_process (x);
    }
  (void) write_all (report, &child, sizeof child);
  _exit (0);
}

/* The container's process, held by a pidfd so that a pid reused after a
 * check is never joined. */
static int
open_target (const struct runc_container *c, int dir_fd)
{
  enum runc_status status = runc_status_of (dir_fd, c);
  int pidfd;

  if (status != RUNC_RUNNING && status != RUNC_CREATED)
    runc_fail ("exec: container \"%s\" is not running (%s)", c->id, runc_status_name (status));
  pidfd = (int) syscall (SYS_pidfd_open, c->pid, 0);
  if (pidfd < 0 || !runc_process_is (c->pid, c->pid_start))
    runc_fail ("exec: container \"%s\" is not running", c->id);
  return pidfd;
}

static void
write_pid (const char *path, pid_t pid)
{
  _cleanup_free_ char *text = xasprintf ("%d", (int) pid);
  _cleanup_free_ char *tmp = xasprintf ("%s.nestbox-runc.tmp", path);
  int fd = RETRY_EINTR (open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));

  if (fd < 0 || write_all (fd, text, strlen (text)) < 0 || close (fd) < 0 || rename (tmp, path) < 0)
    runc_fail ("exec: --pid-file %s: %s", path, strerror (errno));
}

int
runc_exec (const char *root, const char *id, const struct runc_exec_options *o)
{
  struct exec_setup x = { 0 };
  struct runc_container c;
  int dir_fd, pidfd, report[2], status;
  pid_t joiner_pid, pid = 0;

  runc_check_id (id);
  dir_fd = runc_load (runc_open_root (root, false), id, &c, false);
  pidfd = open_target (&c, dir_fd);
  x.target = c.pid;
  load_process (&c, o, &x);
  /* In the foreground the process comes back to us when the joiner ends;
   * detached, it goes to the caller's subreaper, as with runc. */
  if (!o->detach && prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    runc_fail ("exec: prctl(PR_SET_CHILD_SUBREAPER): %s", strerror (errno));
  if (pipe2 (report, O_CLOEXEC) < 0)
    runc_fail ("exec: pipe: %s", strerror (errno));
  block_forwarded_signals ();
  fflush (NULL);
  joiner_pid = fork ();
  if (joiner_pid < 0)
    runc_fail ("exec: fork: %s", strerror (errno));
  if (joiner_pid == 0)
    joiner (&x, pidfd, report[1]);
  close (report[1]);
  if (RETRY_EINTR (read (report[0], &pid, sizeof pid)) != (ssize_t) sizeof pid)
    pid = 0;
  (void) RETRY_EINTR (waitpid (joiner_pid, &status, 0));
  if (pid <= 0)
    _exit (1); /* the joiner said why */
  if (o->pid_file)
    write_pid (o->pid_file, pid);
  if (o->detach)
    return 0;
  install_forwarding (pid);
  return RETRY_EINTR (waitpid (pid, &status, 0)) == pid ? exit_code_from_status (status) : 1;
}
