/* --rlimit (rlimits.h). */
#include "rlimits.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <linux/capability.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "caps.h"
#include "util.h"

static const struct
{
  const char *name;
  int resource;
} resources[] = {
  { "AS", RLIMIT_AS },
  { "CORE", RLIMIT_CORE },
  { "CPU", RLIMIT_CPU },
  { "DATA", RLIMIT_DATA },
  { "FSIZE", RLIMIT_FSIZE },
  { "LOCKS", RLIMIT_LOCKS },
  { "MEMLOCK", RLIMIT_MEMLOCK },
  { "MSGQUEUE", RLIMIT_MSGQUEUE },
  { "NICE", RLIMIT_NICE },
  { "NOFILE", RLIMIT_NOFILE },
  { "NPROC", RLIMIT_NPROC },
  { "RSS", RLIMIT_RSS },
  { "RTPRIO", RLIMIT_RTPRIO },
  { "RTTIME", RLIMIT_RTTIME },
  { "SIGPENDING", RLIMIT_SIGPENDING },
  { "STACK", RLIMIT_STACK },
};

const char *
rlimit_name (int resource)
{
  for (size_t i = 0; i < N_ELEMENTS (resources); i++)
    if (resources[i].resource == resource)
      return resources[i].name;
  return "?";
}

static int
resource_by_name (const char *name, size_t len)
{
  for (size_t i = 0; i < N_ELEMENTS (resources); i++)
    if (strlen (resources[i].name) == len && strncasecmp (resources[i].name, name, len) == 0)
      return resources[i].resource;
  return -1;
}

/* A number or "unlimited"; false on anything else. */
static bool
parse_limit (const char *s, rlim_t *out)
{
  uint64_t v;

  if (strcasecmp (s, "unlimited") == 0)
    {
      *out = RLIM_INFINITY;
      return true;
    }
  if (!parse_uint64 (s, 10, &v) || v >= (uint64_t) RLIM_INFINITY)
    return false;
  *out = (rlim_t) v;
  return true;
}

/* SOFT sets both limits, as prlimit does; "SOFT:" the soft one only,
 * ":HARD" the hard one only.  One exception: CPU=N puts the hard limit a
 * second later, since the kernel kills with SIGKILL at the hard limit and
 * the command (and nestbox's report) should see SIGXCPU first. */
static void
parse_values (const char *arg, const char *values, struct rlimit_step *step)
{
  /* On the stack, not the heap: die() leaves by longjmp in the fuzzing
   * build, where a cleanup attribute would not run. */
  char copy[64];
  char *colon;
  const char *soft = copy, *hard;

  if (strlen (values) >= sizeof copy)
    die ("--rlimit %s: a limit is a number below 2^64-1 or \"unlimited\"", arg);
  strcpy (copy, values);
  colon = strchr (copy, ':');
  hard = colon ? colon + 1 : copy;
  if (colon)
    *colon = '\0';
  step->set_soft = *soft != '\0';
  step->set_hard = *hard != '\0';
  if (!step->set_soft && !step->set_hard)
    die ("--rlimit %s: no value (SOFT, SOFT:HARD, SOFT: or :HARD)", arg);
  if ((step->set_soft && !parse_limit (soft, &step->soft)) || (step->set_hard && !parse_limit (hard, &step->hard)))
    die ("--rlimit %s: a limit is a number below 2^64-1 or \"unlimited\"", arg);
  if (!colon && step->resource == RLIMIT_CPU && step->soft != RLIM_INFINITY)
    step->hard = step->soft + 1;
  if (step->set_soft && step->set_hard && step->soft > step->hard)
    die ("--rlimit %s: the soft limit is above the hard one", arg);
}

void
rlimit_parse (const char *arg, struct rlimit_step *step)
{
  const char *eq = strchr (arg, '=');

  if (eq == NULL)
    die ("--rlimit %s: give NAME=SOFT[:HARD], such as NOFILE=1024:4096", arg);
  step->resource = resource_by_name (arg, (size_t) (eq - arg));
  if (step->resource < 0)
    die ("--rlimit %s: unknown limit (one of AS CORE CPU DATA FSIZE LOCKS MEMLOCK MSGQUEUE NICE NOFILE NPROC RSS RTPRIO RTTIME SIGPENDING STACK)", arg);
  parse_values (arg, eq + 1, step);
}

/* The limits the command would get for one resource: ours, changed by
 * every --rlimit for it in order. */
static void
resulting_limit (const struct plan *plan, int resource, struct rlimit *out)
{
  if (getrlimit (resource, out) != 0)
    out->rlim_cur = out->rlim_max = RLIM_INFINITY;
  for (size_t i = 0; i < plan->n_rlimits; i++)
    {
      const struct rlimit_step *s = &plan->rlimits[i];

      if (s->resource != resource)
        continue;
      if (s->set_soft)
        out->rlim_cur = s->soft;
      if (s->set_hard)
        out->rlim_max = s->hard;
    }
}

void
rlimits_check (const struct plan *plan)
{
  for (size_t i = 0; i < plan->n_rlimits; i++)
    {
      int resource = plan->rlimits[i].resource;
      struct rlimit now, want;

      if (getrlimit (resource, &now) != 0)
        die_errno (errno, "getrlimit %s", rlimit_name (resource));
      resulting_limit (plan, resource, &want);
      if (want.rlim_cur > want.rlim_max)
        die ("--rlimit %s: the soft limit would be above the hard one (%llu)", rlimit_name (resource),
             (unsigned long long) want.rlim_max);
      /* Raising a hard limit takes CAP_SYS_RESOURCE. */
      if (want.rlim_max > now.rlim_max && !caps_have (CAP_SYS_RESOURCE))
        die ("--rlimit %s: the hard limit can only be lowered here (it is %llu; raising it needs CAP_SYS_RESOURCE)",
             rlimit_name (resource), (unsigned long long) now.rlim_max);
    }
}

/* A limit that signals must be able to end the command: a SIGXCPU or
 * SIGXFSZ the caller ignores (Python does, and its children inherit it)
 * goes back to its default for the command. */
static void
restore_limit_signal (int resource)
{
  if (resource == RLIMIT_CPU)
    signal (SIGXCPU, SIG_DFL);
  else if (resource == RLIMIT_FSIZE)
    signal (SIGXFSZ, SIG_DFL);
}

int
rlimits_apply (const struct plan *plan, const char **failed)
{
  for (size_t i = 0; i < plan->n_rlimits; i++)
    {
      int resource = plan->rlimits[i].resource;
      struct rlimit want;

      resulting_limit (plan, resource, &want);
      if (setrlimit (resource, &want) != 0)
        {
          *failed = rlimit_name (resource);
          return -errno;
        }
      restore_limit_signal (resource);
    }
  return 0;
}

bool
rlimit_that_ended (const struct plan *plan, int exit_code, char *buf, size_t size)
{
  static const struct
  {
    int resource, signal;
  } signalled[] = { { RLIMIT_CPU, SIGXCPU }, { RLIMIT_FSIZE, SIGXFSZ } };

  for (size_t k = 0; k < N_ELEMENTS (signalled); k++)
    for (size_t i = 0; i < plan->n_rlimits; i++)
      if (plan->rlimits[i].resource == signalled[k].resource && exit_code == 128 + signalled[k].signal)
        {
          struct rlimit got;

          resulting_limit (plan, signalled[k].resource, &got);
          snprintf (buf, size, "%s=%llu", rlimit_name (signalled[k].resource), (unsigned long long) got.rlim_cur);
          return true;
        }
  return false;
}
