/* Parsing the cgroup v2 limits (cgroup_limits.h).  Every value is checked
 * against what the kernel's file accepts, so that a bad one ends nestbox
 * with one line before a namespace or a cgroup exists. */
#include "cgroup_limits.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static const struct cgroup_limit_kind kinds[N_CGROUP_LIMITS] = {
  [LIMIT_MEMORY_MAX] = { "--memory-max", "memory.max", "memory" },
  [LIMIT_MEMORY_SWAP_MAX] = { "--memory-swap-max", "memory.swap.max", "memory" },
  [LIMIT_PIDS_MAX] = { "--pids-max", "pids.max", "pids" },
  [LIMIT_CPU_MAX] = { "--cpu-max", "cpu.max", "cpu" },
  [LIMIT_CPU_WEIGHT] = { "--cpu-weight", "cpu.weight", "cpu" },
  [LIMIT_IO_WEIGHT] = { "--io-weight", "io.weight", "io" },
};

/* The kernel's bounds: pids.max below PID_MAX_LIMIT + 1, a CFS period
 * between 1 ms and 1 s and a quota of at least 1 ms, weights 1-10000. */
#define PIDS_LIMIT_MAX 4194304u
#define CPU_PERIOD_MIN 1000u
#define CPU_PERIOD_MAX 1000000u
#define CPU_PERIOD_DEFAULT 100000u
#define CPU_QUOTA_MAX ((UINT64_C (1) << 44) - 1)
#define WEIGHT_MAX 10000u
/* Arguments are copied to the stack: die() leaves by longjmp in the
 * fuzzing build, where a heap copy would leak. */
#define ARG_MAX_LEN 64

const struct cgroup_limit_kind *
cgroup_limit_kind (enum cgroup_limit which)
{
  return &kinds[which];
}

bool
cgroup_limits_wanted (const struct plan *plan)
{
  for (int i = 0; i < N_CGROUP_LIMITS; i++)
    if (plan->limits[i].arg != NULL)
      return true;
  return false;
}

/* A byte count with an optional binary suffix (K, M, G, T); false on
 * anything else or past INT64_MAX (the kernel's counters are signed). */
static bool
parse_size (const char *s, uint64_t *bytes)
{
  static const char suffixes[4] = { 'K', 'M', 'G', 'T' };
  char digits[ARG_MAX_LEN];
  size_t len = strlen (s);
  unsigned shift = 0;
  const char *suffix;
  uint64_t v;

  if (len == 0 || len >= sizeof digits)
    return false;
  memcpy (digits, s, len + 1);
  suffix = memchr (suffixes, toupper ((unsigned char) digits[len - 1]), sizeof suffixes);
  if (suffix != NULL)
    {
      shift = 10 * (unsigned) (suffix - suffixes + 1);
      digits[len - 1] = '\0';
    }
  if (!parse_uint64 (digits, 10, &v) || v > ((uint64_t) INT64_MAX >> shift))
    return false;
  *bytes = v << shift;
  return true;
}

static void __attribute__ ((format (printf, 4, 5)))
set_value (struct plan *plan, enum cgroup_limit which, const char *arg, const char *fmt, ...)
{
  struct cgroup_limit_value *limit = &plan->limits[which];
  va_list ap;

  limit->arg = arg;
  va_start (ap, fmt);
  vsnprintf (limit->value, sizeof limit->value, fmt, ap);
  va_end (ap);
}

static bool
parse_memory (struct plan *plan, enum cgroup_limit which, const char *arg)
{
  uint64_t bytes;

  if (strcmp (arg, "max") == 0)
    set_value (plan, which, arg, "max");
  /* No memory at all would end the command before it starts; no swap is
   * a real choice. */
  else if (parse_size (arg, &bytes) && (bytes > 0 || which == LIMIT_MEMORY_SWAP_MAX))
    set_value (plan, which, arg, "%" PRIu64, bytes);
  else
    return false;
  return true;
}

static bool
parse_pids (struct plan *plan, const char *arg)
{
  uint64_t n;

  if (strcmp (arg, "max") == 0)
    set_value (plan, LIMIT_PIDS_MAX, arg, "max");
  else if (parse_uint64 (arg, 10, &n) && n >= 1 && n <= PIDS_LIMIT_MAX)
    set_value (plan, LIMIT_PIDS_MAX, arg, "%" PRIu64, n);
  else
    return false;
  return true;
}

/* QUOTA[/PERIOD] in microseconds, QUOTA "max" for no bound. */
static bool
parse_cpu_max (struct plan *plan, const char *arg)
{
  char copy[ARG_MAX_LEN];
  char *slash;
  uint64_t quota = 0, period = CPU_PERIOD_DEFAULT;
  bool unbounded = false, ok;

  ok = strlen (arg) < sizeof copy;
  if (ok)
    {
      strcpy (copy, arg);
      slash = strchr (copy, '/');
      if (slash)
        *slash++ = '\0';
      unbounded = strcmp (copy, "max") == 0;
      ok = (unbounded || (parse_uint64 (copy, 10, &quota) && quota >= CPU_PERIOD_MIN && quota <= CPU_QUOTA_MAX))
           && (!slash || (parse_uint64 (slash, 10, &period) && period >= CPU_PERIOD_MIN && period <= CPU_PERIOD_MAX));
    }
  if (!ok)
    return false;
  if (unbounded)
    set_value (plan, LIMIT_CPU_MAX, arg, "max %" PRIu64, period);
  else
    set_value (plan, LIMIT_CPU_MAX, arg, "%" PRIu64 " %" PRIu64, quota, period);
  return true;
}

/* --cpus N: N CPUs' worth of time per 100 ms period, to five decimals
 * (the microsecond of quota). */
static bool
parse_cpus (struct plan *plan, const char *arg)
{
  char whole[ARG_MAX_LEN];
  const char *dot = strchr (arg, '.');
  size_t whole_len = dot ? (size_t) (dot - arg) : strlen (arg);
  uint64_t n = 0, quota;
  bool ok = whole_len > 0 && whole_len < sizeof whole;

  if (ok)
    {
      memcpy (whole, arg, whole_len);
      whole[whole_len] = '\0';
      ok = parse_uint64 (whole, 10, &n) && n <= CPU_QUOTA_MAX / CPU_PERIOD_DEFAULT - 1;
    }
  quota = n * CPU_PERIOD_DEFAULT;
  if (ok && dot)
    {
      uint64_t scale = CPU_PERIOD_DEFAULT / 10;

      ok = dot[1] != '\0';
      for (const char *c = dot + 1; ok && *c; c++, scale /= 10)
        {
          ok = *c >= '0' && *c <= '9' && (scale > 0 || *c == '0');
          quota += (uint64_t) (*c - '0') * scale;
        }
    }
  if (!ok || quota < CPU_PERIOD_MIN)
    return false;
  set_value (plan, LIMIT_CPU_MAX, arg, "%" PRIu64 " %u", quota, CPU_PERIOD_DEFAULT);
  return true;
}

static bool
parse_weight (struct plan *plan, enum cgroup_limit which, const char *arg)
{
  uint64_t w;

  if (!parse_uint64 (arg, 10, &w) || w < 1 || w > WEIGHT_MAX)
    return false;
  set_value (plan, which, arg, "%" PRIu64, w);
  return true;
}

bool
cgroup_limit_try_parse (struct plan *plan, enum cgroup_limit which, bool cpus, const char *arg)
{
  switch (which)
    {
    case LIMIT_MEMORY_MAX:
    case LIMIT_MEMORY_SWAP_MAX:
      return parse_memory (plan, which, arg);
    case LIMIT_PIDS_MAX:
      return parse_pids (plan, arg);
    case LIMIT_CPU_MAX:
      return cpus ? parse_cpus (plan, arg) : parse_cpu_max (plan, arg);
    case LIMIT_CPU_WEIGHT:
    case LIMIT_IO_WEIGHT:
    case N_CGROUP_LIMITS:
      break;
    }
  return parse_weight (plan, which, arg);
}

void
cgroup_limit_parse (struct plan *plan, enum cgroup_limit which, bool cpus, const char *arg)
{
  if (cgroup_limit_try_parse (plan, which, cpus, arg))
    return;
  switch (which)
    {
    case LIMIT_MEMORY_MAX:
    case LIMIT_MEMORY_SWAP_MAX:
      die ("%s %s: give a size in bytes, with K, M, G or T for KiB, MiB, GiB or TiB, or max%s", kinds[which].option, arg,
           which == LIMIT_MEMORY_MAX ? "; it must be above 0" : "");
    case LIMIT_PIDS_MAX:
      die ("--pids-max %s: give a number of processes from 1 to %u, or max", arg, PIDS_LIMIT_MAX);
    case LIMIT_CPU_MAX:
      if (cpus)
        die ("--cpus %s: give a number of CPUs from 0.01, such as 0.5 or 2", arg);
      die ("--cpu-max %s: give QUOTA[/PERIOD] in microseconds (QUOTA from %u, or max; PERIOD from %u to %u, default %u)", arg,
           CPU_PERIOD_MIN, CPU_PERIOD_MIN, CPU_PERIOD_MAX, CPU_PERIOD_DEFAULT);
    case LIMIT_CPU_WEIGHT:
    case LIMIT_IO_WEIGHT:
    case N_CGROUP_LIMITS:
      break;
    }
  die ("%s %s: give a weight from 1 to %u (100 is the default)", kinds[which].option, arg, WEIGHT_MAX);
}
