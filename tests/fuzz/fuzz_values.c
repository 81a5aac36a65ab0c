/* Option values: --uid-map/--gid-map INSIDE:OUTSIDE:COUNT, --uid/--gid,
 * fds, --perms/--chmod (octal) and --size, through the real parser, each
 * checked against a reference written here from the documented grammar:
 * the parser must accept exactly what the reference accepts, and read the
 * same numbers.  The input is one value (up to its first NUL). */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "sandbox/cli.h"
#include "sandbox/plan.h"

/* Digits of the given base only, at least one, value <= max. */
static bool
ref_number (const char *s, size_t len, unsigned base, uint64_t max, uint64_t *out)
{
  uint64_t v = 0;

  if (len == 0)
    return false;
  for (size_t i = 0; i < len; i++)
    {
      unsigned d = (unsigned) (s[i] - '0');

      if (s[i] < '0' || d >= base)
        return false;
      if (v > (max - d) / base)
        return false;
      v = v * base + d;
    }
  *out = v;
  return true;
}

/* INSIDE:OUTSIDE:COUNT, each an id (decimal, < 2^32-1), COUNT > 0, neither
 * range past the last id, and (the parser's buffer) shorter than 64. */
static bool
ref_id_map (const char *s, struct id_range *r)
{
  const char *c1 = strchr (s, ':'), *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  uint64_t v[3];

  if (strlen (s) >= 64 || c2 == NULL
      || !ref_number (s, (size_t) (c1 - s), 10, UINT32_MAX - 1, &v[0])
      || !ref_number (c1 + 1, (size_t) (c2 - c1 - 1), 10, UINT32_MAX - 1, &v[1])
      || !ref_number (c2 + 1, strlen (c2 + 1), 10, UINT32_MAX - 1, &v[2]))
    return false;
  if (v[2] == 0 || v[0] + v[2] > UINT32_MAX || v[1] + v[2] > UINT32_MAX)
    return false;
  *r = (struct id_range){ (uint32_t) v[0], (uint32_t) v[1], (uint32_t) v[2] };
  return true;
}

/* A --memory-max size: digits with one optional K, M, G or T (any case,
 * powers of 1024), at most INT64_MAX bytes, and (the parser's buffer)
 * shorter than 64. */
static bool
ref_size (const char *s, uint64_t *bytes)
{
  static const char suffixes[] = "kmgt";
  size_t len = strlen (s);
  const char *suffix = len ? strchr (suffixes, s[len - 1] | 0x20) : NULL;
  unsigned shift = 0;
  uint64_t v;

  if (len >= 64)
    return false;
  if (suffix)
    {
      shift = 10 * (unsigned) (suffix - suffixes + 1);
      len--;
    }
  if (!ref_number (s, len, 10, (uint64_t) INT64_MAX >> shift, &v))
    return false;
  *bytes = v << shift;
  return true;
}

static bool
value_is (const struct plan *plan, enum cgroup_limit which, uint64_t want)
{
  char text[32];

  snprintf (text, sizeof text, "%llu", (unsigned long long) want);
  return strcmp (plan->limits[which].value, text) == 0;
}

static int
count_args (char **argv)
{
  int argc = 0;

  while (argv[argc])
    argc++;
  return argc;
}

/* Parse argv with the real parser; true if it was accepted. */
static bool
try_parse (struct plan *plan, char **argv)
{
  bool died;

  plan_init (plan);
  FUZZ_CATCH (&died, cli_parse (plan, count_args (argv), argv, "nestbox"));
  return !died;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *s = xmalloc (size + 1);
  struct plan plan;
  struct id_range want;
  uint64_t ref, got;
  uint32_t id;
  int fd;
  bool ok;

  memcpy (s, data, size);
  s[size] = '\0';

  {
    char *argv[] = { "--uid-map", s, "--gid-map", s, "true", NULL };

    ok = try_parse (&plan, argv);
    FUZZ_ASSERT (ok == ref_id_map (s, &want));
    if (ok)
      FUZZ_ASSERT (plan.n_uid_map == 1 && plan.n_gid_map == 1
                   && plan.uid_map[0].inside == want.inside && plan.uid_map[0].outside == want.outside
                   && plan.uid_map[0].count == want.count
                   && memcmp (&plan.uid_map[0], &plan.gid_map[0], sizeof want) == 0);
    plan_free (&plan);
  }
  {
    char *argv[] = { "--uid", s, "--gid", s, "true", NULL };

    ok = try_parse (&plan, argv);
    FUZZ_ASSERT (ok == ref_number (s, strlen (s), 10, UINT32_MAX - 1, &ref));
    if (ok)
      FUZZ_ASSERT (plan.uid_set && plan.uid == ref && plan.gid_set && plan.gid == ref);
    plan_free (&plan);
    FUZZ_ASSERT (parse_id (s, &id) == ok && (!ok || id == ref));
  }
  {
    char *argv[] = { "--perms", s, "--dir", "/d", "--chmod", s, "/d", "true", NULL };

    ok = try_parse (&plan, argv);
    FUZZ_ASSERT (ok == ref_number (s, strlen (s), 8, 07777, &ref));
    if (ok)
      FUZZ_ASSERT (plan.n_ops == 2 && plan.ops[0].perms == (int) ref && plan.ops[1].perms == (int) ref);
    plan_free (&plan);
  }
  {
    char *argv[] = { "--info-fd", s, "--bind-fd", s, "/x", "true", NULL };

    ok = try_parse (&plan, argv);
    FUZZ_ASSERT (ok == ref_number (s, strlen (s), 10, INT32_MAX, &ref));
    if (ok)
      FUZZ_ASSERT (plan.info_fd == (int) ref && plan.ops[0].fd == (int) ref);
    plan_free (&plan);
    FUZZ_ASSERT (parse_fd (s, &fd) == ok && (!ok || fd == (int) ref));
  }
  {
    /* --size takes C's base prefixes (strtoull base 0): no reference for
     * the grammar, but what it accepts must be a non-zero size within the
     * limit, and parse_uint64 must agree with the parser. */
    char *argv[] = { "--size", s, "--tmpfs", "/t", "true", NULL };
    bool parsed = parse_uint64 (s, 0, &got);

    ok = try_parse (&plan, argv);
    FUZZ_ASSERT (ok == (parsed && got != 0 && got <= (uint64_t) (SIZE_MAX >> 1)));
    if (ok)
      FUZZ_ASSERT (plan.ops[0].size == got);
    plan_free (&plan);
    if (parse_uint64 (s, 10, &got))
      FUZZ_ASSERT (ref_number (s, strlen (s), 10, UINT64_MAX, &ref) && ref == got);
  }
  {
    char *argv[] = { "--memory-max", s, "--pids-max", s, "true", NULL };
    bool is_max = strcmp (s, "max") == 0;
    bool size_ok = ref_size (s, &got) && got > 0, pids_ok = ref_number (s, strlen (s), 10, 4194304, &ref) && ref > 0;

    ok = try_parse (&plan, argv);
    FUZZ_ASSERT (ok == (is_max || (size_ok && pids_ok)));
    if (ok && !is_max)
      FUZZ_ASSERT (value_is (&plan, LIMIT_MEMORY_MAX, got) && value_is (&plan, LIMIT_PIDS_MAX, ref));
    plan_free (&plan);
  }
  free (s);
  return 0;
}
