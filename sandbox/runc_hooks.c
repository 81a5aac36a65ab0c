/* config.json's hooks (runc_hooks.h). */
#include "runc_hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "runc_log.h"
#include "util.h"

void
runc_hooks_check (const struct oci_config *cfg)
{
  static const enum oci_hook_kind inside[] = { OCI_HOOK_CREATE_CONTAINER, OCI_HOOK_START_CONTAINER };

  for (size_t i = 0; i < N_ELEMENTS (inside); i++)
    if (cfg->n_hooks[inside[i]] > 0)
      runc_fail ("hooks.%s: not supported by nestbox-runc (these hooks run inside the container's namespaces before its command)", oci_hook_name (inside[i]));
}

static long long
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The hook's exit status, or -1 once its timeout (0: none) has passed and
 * it was killed. */
static int
wait_hook (pid_t pid, int timeout)
{
  long long deadline = now_ms () + (long long) timeout * 1000;
  int status;

  for (;;)
    {
      pid_t got = waitpid (pid, &status, timeout > 0 ? WNOHANG : 0);

      if (got == pid)
        return status;
      if (got < 0 && errno != EINTR)
        return -1;
      if (timeout > 0 && now_ms () >= deadline)
        {
          kill (pid, SIGKILL);
          (void) RETRY_EINTR (waitpid (pid, &status, 0));
          return -1;
        }
      if (timeout > 0)
        (void) poll (NULL, 0, 10);
    }
}

static pid_t
spawn_hook (const struct oci_hook *h, int stdin_fd)
{
  static char *no_env[] = { NULL };
  char *only_path[] = { h->path, NULL };
  pid_t pid;

  fflush (NULL);
  pid = fork ();
  if (pid != 0)
    return pid;
  signal (SIGPIPE, SIG_DFL);
  if (dup2 (stdin_fd, STDIN_FILENO) < 0)
    _exit (127);
  execve (h->path, h->args ? h->args : only_path, h->env ? h->env : no_env);
  error_msg ("hook %s: %s", h->path, strerror (errno));
  _exit (127);
}

static int
run_hook (const struct oci_hook *h, const char *kind, const char *state, char *why, size_t size)
{
  void (*old_pipe) (int);
  int in[2], status;
  pid_t pid;

  if (pipe2 (in, O_CLOEXEC) < 0)
    return -1;
  pid = spawn_hook (h, in[0]);
  close (in[0]);
  /* A hook that never reads its stdin must not kill us with SIGPIPE. */
  old_pipe = signal (SIGPIPE, SIG_IGN);
  (void) write_all (in[1], state, strlen (state));
  close (in[1]);
  signal (SIGPIPE, old_pipe);
  if (pid < 0)
    {
      snprintf (why, size, "%s hook %s: can't fork: %s", kind, h->path, strerror (errno));
      return -1;
    }
  status = wait_hook (pid, h->timeout);
  if (status == -1)
    snprintf (why, size, "%s hook %s: timed out after %d s", kind, h->path, h->timeout);
  else if (status != 0)
    snprintf (why, size, "%s hook %s: exit code %d", kind, h->path, exit_code_from_status (status));
  return status == 0 ? 0 : -1;
}

int
runc_hooks_run (const struct oci_config *cfg, enum oci_hook_kind kind, const struct runc_container *c, enum runc_status status,
                char *why, size_t size)
{
  json_object *state;
  int r = 0;

  if (cfg->n_hooks[kind] == 0)
    return 0;
  state = runc_state_json (c, status);
  for (size_t i = 0; i < cfg->n_hooks[kind] && r == 0; i++)
    r = run_hook (&cfg->hooks[kind][i], oci_hook_name (kind), json_object_to_json_string_ext (state, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
                  why, size);
  json_object_put (state);
  return r;
}

bool
runc_hooks_reload (const struct runc_container *c, struct oci_config *cfg)
{
  char err[1024] = "";

  if (!c->late_hooks)
    return false;
  if (oci_config_load (c->bundle, cfg, err, sizeof err) < 0)
    {
      runc_warn ("container \"%s\": its poststart and poststop hooks cannot be run: %s", c->id, err);
      return false;
    }
  return true;
}
