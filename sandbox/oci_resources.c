/* linux.resources into plan->limits (oci_resources.h), converted from the
 * spec's cgroup v1 terms to the v2 files as runc and crun convert them:
 *
 *   memory.limit      memory.max (-1: max)
 *   memory.swap       memory.swap.max; the spec's value is memory plus
 *                     swap, so the swap alone is swap - limit (-1: max;
 *                     equal to the limit: no swap; without a limit it
 *                     cannot be told and is refused)
 *   pids.limit        pids.max (negative: max)
 *   cpu.quota/period  cpu.max (a quota of -1: max; period 100000 by default)
 *   cpu.shares        cpu.weight: 10^((l^2 + 125 l) / 612 - 7/34) rounded
 *                     up, l = log2(shares), which maps 2, 1024 and 262144
 *                     to 1, 100 and 10000 (the curve crun documents)
 *   blockIO.weight    io.weight: 1 + (w - 10) * 9999 / 990, from 10-1000
 *                     to 1-10000
 *   unified           the v2 files themselves, for those six files
 *
 * A zero means "not set", as in runc.  Every other field with a value
 * gets a warning line naming it: nestbox has no such limit.  The device
 * rules are the exception: nestbox has no device cgroup, but every mount
 * it makes is nodev except /dev's own nodes and linux.devices, so "deny
 * all" holds without one, and an allow rule cannot open more than that;
 * only a deny rule for one device (which nestbox cannot enforce on a
 * node it binds) is warned about. */
#include "oci_resources.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_limits.h"
#include "util.h"

/* The limit from text as the kernel's file takes it (spaces turned into
 * the command line's "/" for cpu.max). */
static int
set_limit (struct oci_ctx *ctx, const char *place, enum cgroup_limit which, const char *value)
{
  char *arg = oci_own_printf (ctx, "%s", value);

  if (which == LIMIT_CPU_MAX && strchr (arg, ' ') != NULL)
    *strchr (arg, ' ') = '/';
  if (!cgroup_limit_try_parse (ctx->plan, which, false, arg))
    return oci_fail (ctx, place, "%s is out of range for %s", value, cgroup_limit_kind (which)->file);
  return 0;
}

static int
set_number (struct oci_ctx *ctx, const char *place, enum cgroup_limit which, int64_t v)
{
  char text[32];

  if (v == -1)
    return set_limit (ctx, place, which, "max");
  snprintf (text, sizeof text, "%" PRId64, v);
  return set_limit (ctx, place, which, text);
}

/* Warn about each member of obj with a value that is not in mapped. */
static void
warn_unmapped (struct json_object *obj, const char *place, const char *const *mapped, size_t n)
{
  char sub[OCI_PLACE_MAX];

  json_object_object_foreach (obj, key, value)
  {
    bool known = false;

    for (size_t i = 0; i < n && !known; i++)
      known = strcmp (mapped[i], key) == 0;
    /* false says "not asked for" as much as absence does. */
    if (!known && oci_has (obj, key) && !(json_object_is_type (value, json_type_boolean) && !json_object_get_boolean (value)))
      oci_warn (oci_key_place (sub, place, key), "not applied: nestbox has no such limit");
  }
}

static int
read_memory (struct oci_ctx *ctx, struct json_object *resources)
{
  static const char *const mapped[] = { "limit", "swap" };
  struct json_object *mem;
  int64_t limit = 0, swap = 0;
  bool has_limit, has_swap;

  if (oci_member (ctx, resources, "linux.resources", "memory", json_type_object, &mem) < 0)
    return -1;
  if (mem == NULL)
    return 0;
  if (oci_int64 (ctx, mem, "linux.resources.memory", "limit", &has_limit, &limit) < 0
      || oci_int64 (ctx, mem, "linux.resources.memory", "swap", &has_swap, &swap) < 0)
    return -1;
  warn_unmapped (mem, "linux.resources.memory", mapped, N_ELEMENTS (mapped));
  if (limit < -1 || swap < -1)
    return oci_fail (ctx, limit < -1 ? "linux.resources.memory.limit" : "linux.resources.memory.swap", "must be -1 (no limit) or above");
  if (limit != 0 && set_number (ctx, "linux.resources.memory.limit", LIMIT_MEMORY_MAX, limit) < 0)
    return -1;
  /* Unlimited memory and no word on swap: unlimited swap, as runc. */
  if (limit == -1 && swap == 0)
    swap = -1;
  if (swap == 0)
    return 0;
  if (swap == -1 || limit == -1)
    return set_number (ctx, "linux.resources.memory.swap", LIMIT_MEMORY_SWAP_MAX, swap);
  if (limit == 0)
    return oci_fail (ctx, "linux.resources.memory.swap", "a swap limit needs a memory limit (it counts memory and swap together)");
  if (swap < limit)
    return oci_fail (ctx, "linux.resources.memory.swap", "must be at least memory.limit (it counts memory and swap together)");
  return set_number (ctx, "linux.resources.memory.swap", LIMIT_MEMORY_SWAP_MAX, swap - limit);
}

static uint64_t
shares_to_weight (uint64_t shares)
{
  double l;

  if (shares <= 2)
    return 1;
  if (shares >= 262144)
    return 10000;
  l = log2 ((double) shares);
  return (uint64_t) ceil (pow (10.0, (l * l + 125.0 * l) / 612.0 - 7.0 / 34.0));
}

static int
read_cpu (struct oci_ctx *ctx, struct json_object *resources)
{
  static const char *const mapped[] = { "shares", "quota", "period" };
  struct json_object *cpu;
  int64_t quota = 0;
  uint64_t period = 0, shares = 0;
  bool has_quota, has_period, has_shares;
  char text[64];

  if (oci_member (ctx, resources, "linux.resources", "cpu", json_type_object, &cpu) < 0)
    return -1;
  if (cpu == NULL)
    return 0;
  if (oci_int64 (ctx, cpu, "linux.resources.cpu", "quota", &has_quota, &quota) < 0
      || oci_uint64 (ctx, cpu, "linux.resources.cpu", "period", UINT64_MAX, &has_period, &period) < 0
      || oci_uint64 (ctx, cpu, "linux.resources.cpu", "shares", UINT64_MAX, &has_shares, &shares) < 0)
    return -1;
  warn_unmapped (cpu, "linux.resources.cpu", mapped, N_ELEMENTS (mapped));
  if (shares != 0)
    {
      snprintf (text, sizeof text, "%" PRIu64, shares_to_weight (shares));
      if (set_limit (ctx, "linux.resources.cpu.shares", LIMIT_CPU_WEIGHT, text) < 0)
        return -1;
    }
  if (quota == 0 && period == 0)
    return 0;
  if (quota > 0)
    snprintf (text, sizeof text, "%" PRId64 " %" PRIu64, quota, period ? period : 100000);
  else
    snprintf (text, sizeof text, "max %" PRIu64, period ? period : 100000);
  return set_limit (ctx, quota != 0 ? "linux.resources.cpu.quota" : "linux.resources.cpu.period", LIMIT_CPU_MAX, text);
}

static int
read_pids_and_io (struct oci_ctx *ctx, struct json_object *resources)
{
  static const char *const mapped_io[] = { "weight" };
  struct json_object *pids, *io;
  int64_t limit = 0;
  uint64_t weight = 0;
  bool given;
  char text[32];

  if (oci_member (ctx, resources, "linux.resources", "pids", json_type_object, &pids) < 0
      || oci_int64 (ctx, pids, "linux.resources.pids", "limit", &given, &limit) < 0
      || oci_member (ctx, resources, "linux.resources", "blockIO", json_type_object, &io) < 0
      || oci_uint64 (ctx, io, "linux.resources.blockIO", "weight", UINT16_MAX, &given, &weight) < 0)
    return -1;
  if (limit != 0 && set_number (ctx, "linux.resources.pids.limit", LIMIT_PIDS_MAX, limit < 0 ? -1 : limit) < 0)
    return -1;
  if (io != NULL)
    warn_unmapped (io, "linux.resources.blockIO", mapped_io, N_ELEMENTS (mapped_io));
  if (weight == 0)
    return 0;
  if (weight < 10 || weight > 1000)
    return oci_fail (ctx, "linux.resources.blockIO.weight", "must be from 10 to 1000");
  snprintf (text, sizeof text, "%" PRIu64, 1 + (weight - 10) * 9999 / 990);
  return set_limit (ctx, "linux.resources.blockIO.weight", LIMIT_IO_WEIGHT, text);
}

/* The v2 files by name; applied last, so they win, as in runc. */
static int
read_unified (struct oci_ctx *ctx, struct json_object *resources)
{
  struct json_object *unified;
  char place[OCI_PLACE_MAX];

  if (oci_member (ctx, resources, "linux.resources", "unified", json_type_object, &unified) < 0)
    return -1;
  if (unified == NULL)
    return 0;
  json_object_object_foreach (unified, key, value)
  {
    int which = 0;

    oci_key_place (place, "linux.resources.unified", key);
    if (!json_object_is_type (value, json_type_string))
      return oci_fail (ctx, place, "must be a string");
    while (which < N_CGROUP_LIMITS && strcmp (cgroup_limit_kind ((enum cgroup_limit) which)->file, key) != 0)
      which++;
    if (which == N_CGROUP_LIMITS)
      oci_warn (place, "not applied: nestbox has no such limit");
    else if (set_limit (ctx, place, (enum cgroup_limit) which, json_object_get_string (value)) < 0)
      return -1;
  }
  return 0;
}

static int
read_device_rules (struct oci_ctx *ctx, struct json_object *resources)
{
  struct json_object *rules;
  char place[OCI_PLACE_MAX];

  if (oci_member (ctx, resources, "linux.resources", "devices", json_type_array, &rules) < 0)
    return -1;
  for (size_t i = 0; rules != NULL && i < json_object_array_length (rules); i++)
    {
      struct json_object *rule = json_object_array_get_idx (rules, i);
      bool allow = false;
      const char *type;

      oci_index_place (place, "linux.resources.devices", i);
      if (!json_object_is_type (rule, json_type_object))
        return oci_fail (ctx, place, "must be an object");
      if (oci_bool (ctx, rule, place, "allow", &allow) < 0 || oci_string (ctx, rule, place, "type", &type) < 0)
        return -1;
      if (!allow && ((type != NULL && strcmp (type, "a") != 0) || oci_has (rule, "major") || oci_has (rule, "minor")))
        oci_warn (place, "a deny rule for some devices is not enforced: nestbox-runc has no device cgroup (its mounts are nodev but for the nodes it binds)");
    }
  return 0;
}

int
oci_resources_read (struct oci_ctx *ctx, struct json_object *resources)
{
  static const char *const mapped[] = { "devices", "memory", "cpu", "pids", "blockIO", "unified" };

  if (resources == NULL)
    return 0;
  warn_unmapped (resources, "linux.resources", mapped, N_ELEMENTS (mapped));
  if (read_device_rules (ctx, resources) < 0 || read_memory (ctx, resources) < 0 || read_cpu (ctx, resources) < 0
      || read_pids_and_io (ctx, resources) < 0)
    return -1;
  return read_unified (ctx, resources);
}
