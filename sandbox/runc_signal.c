/* nestbox-runc's kill (runc_signal.h). */
#include "runc_signal.h"

#include <signal.h>
#include <string.h>
#include <strings.h>

#include "runc_log.h"
#include "runc_process.h"
#include "runc_state.h"
#include "util.h"

/* "RTMIN+3", "RTMAX-1", "RTMIN": the real-time signals by their place. */
static int
realtime_signal (const char *name)
{
  bool from_min = strncasecmp (name, "RTMIN", 5) == 0;
  uint64_t offset = 0;
  int sig;

  if (!from_min && strncasecmp (name, "RTMAX", 5) != 0)
    return -1;
  if (name[5] != '\0' && (name[5] != (from_min ? '+' : '-') || !parse_uint64 (name + 6, 10, &offset)))
    return -1;
  if (offset > (uint64_t) (SIGRTMAX - SIGRTMIN))
    return -1;
  sig = from_min ? SIGRTMIN + (int) offset : SIGRTMAX - (int) offset;
  return sig;
}

int
runc_parse_signal (const char *text)
{
  const char *name = text;
  uint64_t number;

  if (parse_uint64 (text, 10, &number))
    return number <= (uint64_t) SIGRTMAX ? (int) number : -1;
  if (strncasecmp (name, "SIG", 3) == 0)
    name += 3;
  for (int sig = 1; sig < SIGRTMIN; sig++)
    {
      const char *abbrev = sigabbrev_np (sig);

      if (abbrev && strcasecmp (abbrev, name) == 0)
        return sig;
    }
  return realtime_signal (name);
}

int
runc_kill (const char *root, const char *id, const char *signal_text, bool all)
{
  struct runc_container c;
  enum runc_status status;
  int sig = signal_text ? runc_parse_signal (signal_text) : SIGTERM;
  int dir_fd;

  runc_check_id (id);
  if (sig < 0)
    runc_fail ("unknown signal \"%s\": give a name (TERM, SIGKILL) or a number", signal_text);
  dir_fd = runc_load (runc_open_root (root, false), id, &c, false);
  status = runc_status_of (dir_fd, &c);
  if (status != RUNC_CREATED && status != RUNC_RUNNING)
    runc_fail ("container \"%s\" is not running (%s)", id, runc_status_name (status));
  runc_debug ("container \"%s\": SIG%s to %s %d", id, sigabbrev_np (sig) ? sigabbrev_np (sig) : "?", all ? "every process of" : "process", (int) c.pid);
  if (all)
    (void) runc_signal_all (c.pid, sig);
  else if (kill (c.pid, sig) < 0)
    runc_fail ("container \"%s\": kill %d: %s", id, (int) c.pid, strerror (errno));
  close (dir_fd);
  runc_container_free (&c);
  return 0;
}
