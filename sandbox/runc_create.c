/* nestbox-runc's create, start and run (runc_create.h). */
#include "runc_create.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "launch.h"
#include "monitor.h"
#include "oci_config.h"
#include "runc_console.h"
#include "runc_hooks.h"
#include "runc_log.h"
#include "runc_process.h"
#include "runc_state.h"
#include "signals.h"
#include "util.h"

/* A container from its create to the return of nestbox-runc. */
struct container_launch
{
  const char *id;
  int root_fd, dir_fd;
  struct oci_config cfg;
  pid_t monitor;
  int console_sock; /* -1: no --console-socket */
  int info_read, ready_read;
  struct runc_container state;
};

static void
load_config (const struct runc_create_options *o, struct oci_config *cfg, bool foreground)
{
  char err[1024] = "";

  if (oci_config_load (o->bundle ? o->bundle : ".", cfg, err, sizeof err) < 0)
    runc_fail ("%s", err[0] ? err : "the bundle's config.json cannot be read");
  /* A foreground `run` relays the caller's terminal (the core's --pty);
   * detached, only a console socket can receive one. */
  if (cfg->terminal && o->console_socket == NULL && !foreground)
    runc_fail ("process.terminal is true: give --console-socket to receive the container's terminal");
  if (!cfg->terminal && o->console_socket != NULL)
    runc_fail ("--console-socket is given but process.terminal is false in config.json");
  runc_hooks_check (cfg);
}

/* The plan as the runc front end wants it beyond config.json. */
static void
complete_plan (struct container_launch *l, int fifo, int info_write, int ready_write, bool foreground)
{
  struct plan *plan = &l->cfg.plan;

  /* As runc: the container's process is pid 1 of its pid namespace, so
   * that `kill` reaches the process itself and its end ends the rest. */
  if (plan->unshare_pid && plan->pidns_fd == -1)
    plan->as_pid_1 = true;
  plan->block_fd = fifo;
  plan->info_fd = info_write;
  plan->setup_done_fd = ready_write;
  /* The terminal is the core's --pty: a foreground `run` relays it to
   * the caller's terminal, a console socket receives its master. */
  plan->pty = l->cfg.terminal;
  plan->console_socket_fd = l->console_sock;
  /* Detached, the container's process goes to the caller as runc's does
   * (monitor.c says why); a foreground `run` keeps the monitor for the
   * exit code. */
  plan->monitor_leaves = !foreground;
}

/* The monitor's process: its own session (detached from the caller's
 * terminal and job), the container's stdio, then the core. */
static _Noreturn void
monitor_process (struct container_launch *l, const struct runc_create_options *o, bool foreground)
{
  int code;

  if (!foreground && setsid () < 0)
    die_errno (errno, "setsid");
  /* runc passes stdio and the --preserve-fds ones, nothing else of the
   * caller's (nestbox's own fds are close-on-exec already). */
  if (close_range (3 + o->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    die_errno (errno, "close_range");
  close (l->info_read);
  close (l->ready_read);
  code = launch_run (&l->cfg.plan);
  if (code == MONITOR_LEFT)
    _exit (0);
  (void) runc_record_exit (l->dir_fd, code);
  _exit (code);
}

/* Kill what was made and take its state away. */
static void
undo_container (struct container_launch *l)
{
  if (l->state.pid > 0)
    (void) runc_signal_all (l->state.pid, SIGKILL);
  if (l->monitor > 0)
    (void) RETRY_EINTR (waitpid (l->monitor, NULL, 0));
  (void) runc_remove_container_dir (l->root_fd, l->id);
}

static void
spawn_monitor (struct container_launch *l, const struct runc_create_options *o, bool foreground)
{
  int info[2], ready[2], fifo = -1;

  /* Read and write: a read end alone would see end of file at once. */
  if (mkfifoat (l->dir_fd, RUNC_FIFO_FILE, 0600) < 0
      || (fifo = RETRY_EINTR (openat (l->dir_fd, RUNC_FIFO_FILE, O_RDWR | O_CLOEXEC))) < 0
      || pipe2 (info, O_CLOEXEC) < 0 || pipe2 (ready, O_CLOEXEC) < 0)
    {
      int err = errno;

      undo_container (l);
      runc_fail ("can't make the channels of container \"%s\": %s", l->id, strerror (err));
    }
  l->info_read = info[0];
  l->ready_read = ready[0];
  complete_plan (l, fifo, info[1], ready[1], foreground);
  fflush (NULL);
  l->monitor = fork ();
  if (l->monitor < 0)
    {
      int err = errno;

      undo_container (l);
      runc_fail ("can't fork the monitor of container \"%s\": %s", l->id, strerror (err));
    }
  if (l->monitor == 0)
    monitor_process (l, o, foreground);
  close (fifo);
  close (info[1]);
  close (ready[1]);
  if (l->console_sock >= 0)
    close (l->console_sock);
}

/* The container's pid from the monitor's --info-fd report, once set-up
 * said it is over; 0 if the sandbox ended before. */
static pid_t
await_ready (struct container_launch *l)
{
  _cleanup_free_ char *info = NULL;
  const char *p;
  size_t len;
  char byte;
  int pid = 0;

  if (read_all (l->info_read, 4096, &info, &len) == 0 && (p = strstr (info, "\"child-pid\":")) != NULL)
    pid = atoi (p + strlen ("\"child-pid\":"));
  close (l->info_read);
  if (RETRY_EINTR (read (l->ready_read, &byte, 1)) != 1)
    pid = 0;
  close (l->ready_read);
  return pid;
}

/* Set-up failed: the core said why on stderr; take everything away. */
static _Noreturn void
abandon (struct container_launch *l)
{
  int status = 0;

  (void) RETRY_EINTR (waitpid (l->monitor, &status, 0));
  (void) runc_remove_container_dir (l->root_fd, l->id);
  runc_log_entry ("error", "the container's set-up failed (see the message before on stderr)");
  _exit (1);
}

/* runc's "owner": the user name of the uid that made the container, from
 * /etc/passwd (no NSS: nestbox is linked statically). */
static char *
owner_name (void)
{
  _cleanup_free_ char *passwd = NULL;
  uid_t uid = getuid ();
  char *line, *save = NULL;

  if (read_file_at (AT_FDCWD, "/etc/passwd", 1 << 20, &passwd) == 0)
    for (line = strtok_r (passwd, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
      {
        char *colon = strchr (line, ':'), *uid_field = colon ? strchr (colon + 1, ':') : NULL;

        if (uid_field && strtoul (uid_field + 1, NULL, 10) == uid && uid_field[1] != ':')
          return xasprintf ("%.*s", (int) (colon - line), line);
      }
  return xasprintf ("#%u", (unsigned) uid);
}

static json_object *
annotations_json (char **annotations)
{
  json_object *obj = json_object_new_object ();

  for (size_t i = 0; annotations && annotations[i] && annotations[i + 1]; i += 2)
    json_object_object_add (obj, annotations[i], json_object_new_string (annotations[i + 1]));
  return obj;
}

static void
record_state (struct container_launch *l, pid_t pid)
{
  struct runc_container *c = &l->state;
  struct timespec now;
  char created[64];
  int r;

  clock_gettime (CLOCK_REALTIME, &now);
  runc_rfc3339 (&now, created, sizeof created);
  c->id = xstrdup (l->id);
  c->pid = pid;
  (void) runc_process_start (pid, &c->pid_start);
  /* A monitor already gone left the container to the caller: nothing of
   * it for delete to wait for (and its pid may be reused). */
  c->monitor_pid = runc_process_start (l->monitor, &c->monitor_start) ? l->monitor : 0;
  c->bundle = xstrdup (l->cfg.bundle ? l->cfg.bundle : "");
  c->rootfs = xstrdup (l->cfg.root_path ? l->cfg.root_path : "");
  c->created = xstrdup (created);
  c->owner = owner_name ();
  c->annotations = annotations_json (l->cfg.annotations);
  c->late_hooks = l->cfg.n_hooks[OCI_HOOK_POSTSTART] > 0 || l->cfg.n_hooks[OCI_HOOK_POSTSTOP] > 0;
  if ((r = runc_save (l->dir_fd, c)) < 0)
    {
      undo_container (l);
      runc_fail ("can't write the state of container \"%s\": %s", l->id, strerror (-r));
    }
}

/* Written aside and renamed, as runc does: a reader never sees half.
 * 0 or -errno. */
static int
write_pid_file (const char *path, pid_t pid)
{
  _cleanup_free_ char *tmp = xasprintf ("%s.nestbox-runc.tmp", path);
  char text[16];
  int fd = RETRY_EINTR (open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
  int r;

  if (fd < 0)
    return -errno;
  snprintf (text, sizeof text, "%d", (int) pid);
  r = write_all (fd, text, strlen (text));
  if (close (fd) < 0 && r == 0)
    r = -errno;
  if (r == 0 && rename (tmp, path) < 0)
    r = -errno;
  if (r < 0)
    (void) unlink (tmp);
  return r;
}

/* Everything up to the container waiting at its FIFO; the state is
 * written, the pid file too.  Bad input fails before anything exists. */
static void
create_container (struct container_launch *l, const char *root, const struct runc_create_options *o, bool foreground)
{
  char why[512];
  pid_t pid;
  int r;

  l->console_sock = -1;
  load_config (o, &l->cfg, foreground);
  if (o->console_socket)
    l->console_sock = runc_console_connect (o->console_socket);
  l->root_fd = runc_open_root (root, true);
  l->dir_fd = runc_make_container_dir (l->root_fd, l->id);
  runc_debug ("container \"%s\": state in %s/%s, bundle %s", l->id, root, l->id, l->cfg.bundle);
  spawn_monitor (l, o, foreground);
  pid = await_ready (l);
  if (pid <= 0)
    abandon (l);
  record_state (l, pid);
  runc_debug ("container \"%s\": process %d waits for start (monitor %d)", l->id, (int) pid, (int) l->monitor);
  if (o->pid_file && (r = write_pid_file (o->pid_file, pid)) < 0)
    {
      undo_container (l);
      runc_fail ("--pid-file %s: %s", o->pid_file, strerror (-r));
    }
  if (runc_hooks_run (&l->cfg, OCI_HOOK_CREATE_RUNTIME, &l->state, RUNC_CREATED, why, sizeof why) < 0
      || runc_hooks_run (&l->cfg, OCI_HOOK_PRESTART, &l->state, RUNC_CREATED, why, sizeof why) < 0)
    {
      undo_container (l);
      runc_fail ("container \"%s\": %s", l->id, why);
    }
}

/* What nestbox-runc itself holds of a container it made, at its return
 * (the monitor has its own copy). */
static void
release_launch (struct container_launch *l)
{
  oci_config_free (&l->cfg);
  runc_container_free (&l->state);
}

int
runc_create (const char *root, const char *id, const struct runc_create_options *o)
{
  struct container_launch l = { .id = id };

  runc_check_id (id);
  create_container (&l, root, o, false);
  /* The monitor has left by now, unless it had work to stay for. */
  (void) waitpid (l.monitor, NULL, WNOHANG);
  release_launch (&l);
  return 0;
}

static void
check_startable (int dir_fd, const struct runc_container *c)
{
  switch (runc_status_of (dir_fd, c))
    {
    case RUNC_CREATED: return;
    case RUNC_RUNNING: runc_fail ("container \"%s\" is already running", c->id);
    case RUNC_STOPPED: runc_fail ("container \"%s\" has stopped: it cannot be started", c->id);
    case RUNC_CREATING: runc_fail ("container \"%s\" is still being created", c->id);
    }
}

/* The byte the container's process waits for.  Removing the FIFO first
 * makes one start of two the one that releases it, and the status
 * "running" from then on. */
static void
release_container (int dir_fd, const char *id)
{
  int fifo = RETRY_EINTR (openat (dir_fd, RUNC_FIFO_FILE, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW));
  char byte = 0;

  if (fifo < 0)
    runc_fail ("container \"%s\" cannot be started: %s", id, errno == ENXIO ? "its process is gone" : strerror (errno));
  if (unlinkat (dir_fd, RUNC_FIFO_FILE, 0) < 0)
    runc_fail ("container \"%s\" is already started", id);
  if (write_all (fifo, &byte, 1) < 0)
    runc_fail ("container \"%s\" cannot be started: %s", id, strerror (errno));
  close (fifo);
}

int
runc_start (const char *root, const char *id)
{
  struct runc_container c;
  struct oci_config cfg;
  char why[512];
  int root_fd, dir_fd;

  runc_check_id (id);
  root_fd = runc_open_root (root, false);
  dir_fd = runc_load (root_fd, id, &c, false);
  check_startable (dir_fd, &c);
  release_container (dir_fd, id);
  if (runc_hooks_reload (&c, &cfg))
    {
      if (runc_hooks_run (&cfg, OCI_HOOK_POSTSTART, &c, RUNC_RUNNING, why, sizeof why) < 0)
        {
          (void) runc_signal_all (c.pid, SIGKILL);
          runc_fail ("container \"%s\": %s; the container was killed", id, why);
        }
      oci_config_free (&cfg);
    }
  runc_container_free (&c);
  return 0;
}

/* The container's end: the monitor's exit code is the command's. */
static int
wait_monitor (pid_t monitor)
{
  int status;

  if (RETRY_EINTR (waitpid (monitor, &status, 0)) < 0)
    return 1;
  return exit_code_from_status (status);
}

int
runc_run (const char *root, const char *id, const struct runc_create_options *o)
{
  struct container_launch l = { .id = id };
  char why[512];
  int code;

  runc_check_id (id);
  /* A signal for `run` is the container's (the monitor forwards it): held
   * from now on, forwarded once the monitor is there to take it. */
  if (!o->detach)
    block_forwarded_signals ();
  create_container (&l, root, o, !o->detach);
  release_container (l.dir_fd, id);
  if (runc_hooks_run (&l.cfg, OCI_HOOK_POSTSTART, &l.state, RUNC_RUNNING, why, sizeof why) < 0)
    {
      undo_container (&l);
      runc_fail ("container \"%s\": %s; the container was killed", id, why);
    }
  if (o->detach)
    {
      (void) waitpid (l.monitor, NULL, WNOHANG);
      release_launch (&l);
      return 0;
    }
  install_forwarding (l.monitor);
  code = wait_monitor (l.monitor);
  install_forwarding (0);
  if (runc_hooks_run (&l.cfg, OCI_HOOK_POSTSTOP, &l.state, RUNC_STOPPED, why, sizeof why) < 0)
    runc_warn ("container \"%s\": %s", id, why);
  (void) runc_remove_container_dir (l.root_fd, id);
  release_launch (&l);
  return code;
}
