/* --seccomp-profile: the OCI runtime-spec / Docker JSON seccomp format.
 *
 * Accepted (the union of what runc, crun, Docker and containers/common
 * read): defaultAction, defaultErrnoRet (or containers' defaultErrno name),
 * architectures or archMap, flags, and syscalls[] with names (or Docker's
 * old single name), action, errnoRet (or errno name), args[] {index, value,
 * valueTwo, op} and includes/excludes {arches, caps, minKernel}.  Keys we
 * do not know are ignored, as the Go runtimes' JSON decoding does; known
 * keys with the wrong type, unknown actions, operators or architectures are
 * errors.  Every error names its place in the profile.
 *
 * Rule selection follows Docker's: a rule is skipped when excludes names
 * our architecture, a capability the command keeps, or a kernel at most as
 * new as ours; it is kept only if includes (when given) names our
 * architecture, every listed capability is kept, and the kernel is new
 * enough.  A capability name libcap does not know counts as not kept.
 *
 * Unknown system call names: runc and crun ignore names libseccomp cannot
 * resolve (profiles list syscalls of newer kernels and other
 * architectures).  That is safe where the default action denies too: the
 * call is still refused (maybe with another errno).  Where a rule denies a
 * call the default lets run (a deny list), ignoring the name would let
 * through a call the profile means to stop, so that is an error.
 * Names that exist only on other architectures resolve to libseccomp's
 * pseudo numbers and are handled by libseccomp. */
#include "seccomp_profile.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "seccomp_bpf.h"
#include "seccomp_default.h"
#include "util.h"

#if defined(HAVE_SECCOMP) && defined(HAVE_JSONC)
#include <ctype.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <sys/utsname.h>

/* More conditions than any real rule has; bounds the array below. */
#define MAX_ARGS 32

struct compiler
{
  scmp_filter_ctx filter;
  uint64_t caps;
  uint32_t default_action;
  unsigned kernel[2]; /* major, minor of the running kernel */
  unsigned flags;     /* SECCOMP_FILTER_FLAG_* */
  char *error;
};

static int
fail (struct compiler *c, const char *place, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

static int
fail (struct compiler *c, const char *place, const char *fmt, ...)
{
  _cleanup_free_ char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    die_oom ();
  va_end (ap);
  free (c->error);
  c->error = *place ? xasprintf ("%s: %s", place, msg) : take_ptr (&msg);
  return -EINVAL;
}

static const char *
type_name (struct json_object *o)
{
  switch (json_object_get_type (o))
    {
    case json_type_null: return "null";
    case json_type_boolean: return "a boolean";
    case json_type_double: return "a non-integer number";
    case json_type_int: return "a number";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    }
  return "something else";
}

static const char *
want_name (enum json_type t)
{
  switch (t)
    {
    case json_type_boolean: return "a boolean";
    case json_type_int: return "a non-negative integer";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    case json_type_null:
    case json_type_double:
      break;
    }
  return "something else";
}

/* Member KEY of OBJ: NULL when absent or null (Go decodes null as absent);
 * -EINVAL when of another type than T. */
static int
member (struct compiler *c, struct json_object *obj, const char *place, const char *key,
        enum json_type t, struct json_object **out)
{
  struct json_object *v = NULL;

  *out = NULL;
  if (!json_object_object_get_ex (obj, key, &v) || v == NULL)
    return 0;
  if (json_object_get_type (v) != t)
    {
      char sub[160];

      snprintf (sub, sizeof sub, "%s%s%s", place, *place ? "." : "", key);
      return fail (c, sub, "must be %s, not %s", want_name (t), type_name (v));
    }
  *out = v;
  return 0;
}

static int
string_member (struct compiler *c, struct json_object *obj, const char *place, const char *key,
               const char **out)
{
  struct json_object *v;
  int r = member (c, obj, place, key, json_type_string, &v);

  *out = v ? json_object_get_string (v) : NULL;
  return r;
}

/* A non-negative integer no larger than max. */
static int
uint_value (struct compiler *c, struct json_object *v, const char *place, uint64_t max, uint64_t *out)
{
  if (json_object_get_type (v) != json_type_int)
    return fail (c, place, "must be a non-negative integer, not %s", type_name (v));
  if (json_object_get_int64 (v) < 0)
    return fail (c, place, "must not be negative");
  errno = 0;
  *out = json_object_get_uint64 (v);
  if (errno != 0 || *out > max)
    return fail (c, place, "%s is out of range (at most %" PRIu64 ")", json_object_to_json_string (v), max);
  return 0;
}

/* Each element of ARR (found at PLACE) must be a string. */
static int
check_strings (struct compiler *c, struct json_object *arr, const char *place)
{
  for (size_t i = 0; arr && i < json_object_array_length (arr); i++)
    {
      struct json_object *s = json_object_array_get_idx (arr, i);

      if (json_object_get_type (s) != json_type_string)
        {
          char sub[160];

          snprintf (sub, sizeof sub, "%s[%zu]", place, i);
          return fail (c, sub, "must be a string, not %s", type_name (s));
        }
    }
  return 0;
}

/* ---- actions and errno values ------------------------------------------- */

static const struct
{
  const char *name;
  uint32_t action;
} actions[] = {
  { "SCMP_ACT_KILL", SCMP_ACT_KILL },
  { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
  { "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
  { "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
  { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO (0) },
  { "SCMP_ACT_TRACE", SCMP_ACT_TRACE (0) },
  { "SCMP_ACT_LOG", SCMP_ACT_LOG },
  { "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
};

/* Whether the call does not run (LOG runs it, and logs). */
static bool
denies (uint32_t action)
{
  return action != SCMP_ACT_ALLOW && action != SCMP_ACT_LOG;
}

/* containers/common writes errno names ("EPERM") beside errnoRet. */
static int
errno_from_name (const char *name)
{
  for (int e = 1; e < 4096; e++)
    {
      const char *n = strerrorname_np (e);

      if (n != NULL && strcmp (n, name) == 0)
        return e;
    }
  return -1;
}

/* ACTION_KEY, ERRNO_KEY and ERRNO_NAME_KEY of OBJ into a libseccomp action. */
static int
parse_action (struct compiler *c, struct json_object *obj, const char *place, const char *action_key,
              const char *errno_key, const char *errno_name_key, uint32_t *out)
{
  const char *name, *errno_name;
  struct json_object *ret;
  uint64_t value = EPERM; /* the runtime spec's default for errnoRet */
  char sub[160];
  size_t i;
  int r;

  if ((r = string_member (c, obj, place, action_key, &name)) < 0
      || (r = member (c, obj, place, errno_key, json_type_int, &ret)) < 0
      || (r = string_member (c, obj, place, errno_name_key, &errno_name)) < 0)
    return r;
  snprintf (sub, sizeof sub, "%s%s%s", place, *place ? "." : "", action_key);
  if (name == NULL)
    return fail (c, sub, "missing");
  if (strcmp (name, "SCMP_ACT_NOTIFY") == 0)
    return fail (c, sub, "SCMP_ACT_NOTIFY needs a seccomp agent (listenerPath), which nestbox does not support");
  for (i = 0; i < N_ELEMENTS (actions); i++)
    if (strcmp (actions[i].name, name) == 0)
      break;
  if (i == N_ELEMENTS (actions))
    return fail (c, sub, "unknown action \"%s\" (known: SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG)",
                 name);
  *out = actions[i].action;
  if (*out != SCMP_ACT_ERRNO (0) && *out != SCMP_ACT_TRACE (0))
    {
      if (ret != NULL)
        return fail (c, place, "\"%s\" only goes with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s", errno_key, name);
      return 0;
    }
  snprintf (sub, sizeof sub, "%s%s%s", place, *place ? "." : "", ret ? errno_key : errno_name_key);
  if (ret != NULL)
    {
      /* The kernel hands back at most MAX_ERRNO; TRACE's data is 16 bits. */
      if ((r = uint_value (c, ret, sub, *out == SCMP_ACT_ERRNO (0) ? 4095 : 0xffff, &value)) < 0)
        return r;
    }
  else if (errno_name != NULL)
    {
      int e = errno_from_name (errno_name);

      if (e < 0)
        return fail (c, sub, "unknown errno name \"%s\"", errno_name);
      value = (uint64_t) e;
    }
  *out = *out == SCMP_ACT_ERRNO (0) ? SCMP_ACT_ERRNO ((uint32_t) value) : SCMP_ACT_TRACE ((uint32_t) value);
  return 0;
}

/* ---- architectures -------------------------------------------------------- */

/* "SCMP_ARCH_X86_64" -> libseccomp's token (0: unknown). */
static uint32_t
arch_token (const char *name)
{
  char lower[32];
  size_t i;

  if (strncmp (name, "SCMP_ARCH_", 10) != 0 || strlen (name + 10) >= sizeof lower)
    return 0;
  for (i = 0; name[10 + i]; i++)
    lower[i] = (char) tolower ((unsigned char) name[10 + i]);
  lower[i] = '\0';
  return seccomp_arch_resolve_name (lower);
}

/* What includes/excludes.arches call the machine we run on: Docker
 * compares Go's GOARCH names; the kernel's names are accepted too. */
static bool
is_native_arch_name (const char *name)
{
  static const struct
  {
    uint32_t token;
    const char *names[3];
  } table[] = {
    { SCMP_ARCH_X86_64, { "amd64", "x86_64", NULL } },
    { SCMP_ARCH_X86, { "386", "x86", "i386" } },
    { SCMP_ARCH_X32, { "x32", NULL, NULL } },
    { SCMP_ARCH_AARCH64, { "arm64", "aarch64", NULL } },
    { SCMP_ARCH_ARM, { "arm", NULL, NULL } },
    { SCMP_ARCH_PPC64LE, { "ppc64le", NULL, NULL } },
    { SCMP_ARCH_PPC64, { "ppc64", NULL, NULL } },
    { SCMP_ARCH_PPC, { "ppc", NULL, NULL } },
    { SCMP_ARCH_S390X, { "s390x", NULL, NULL } },
    { SCMP_ARCH_S390, { "s390", NULL, NULL } },
    { SCMP_ARCH_RISCV64, { "riscv64", NULL, NULL } },
    { SCMP_ARCH_MIPS64, { "mips64", NULL, NULL } },
    { SCMP_ARCH_MIPSEL64, { "mips64le", NULL, NULL } },
    { SCMP_ARCH_MIPS, { "mips", NULL, NULL } },
    { SCMP_ARCH_MIPSEL, { "mipsle", NULL, NULL } },
  };
  uint32_t native = seccomp_arch_native ();

  for (size_t i = 0; i < N_ELEMENTS (table); i++)
    if (table[i].token == native)
      for (size_t j = 0; j < 3 && table[i].names[j]; j++)
        if (strcmp (table[i].names[j], name) == 0)
          return true;
  return false;
}

static int
add_arch (struct compiler *c, const char *place, const char *name)
{
  uint32_t token = arch_token (name);
  int r;

  if (token == 0)
    return fail (c, place, "unknown architecture \"%s\" (libseccomp %u.%u knows SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ...)",
                 name, seccomp_version ()->major, seccomp_version ()->minor);
  r = seccomp_arch_add (c->filter, token);
  if (r < 0 && r != -EEXIST)
    return fail (c, place, "cannot add architecture %s: %s", name, strerror (-r));
  return 0;
}

/* "architectures" (OCI) lists every ABI to filter; Docker's "archMap"
 * gives, per native architecture, the ABIs that come with it.  The native
 * one is always filtered (libseccomp adds it). */
static int
parse_arches (struct compiler *c, struct json_object *root)
{
  struct json_object *list, *map;
  uint32_t native = seccomp_arch_native ();
  char place[96];
  int r;

  if ((r = member (c, root, "", "architectures", json_type_array, &list)) < 0
      || (r = member (c, root, "", "archMap", json_type_array, &map)) < 0
      || (r = check_strings (c, list, "architectures")) < 0)
    return r;
  if (list != NULL && map != NULL && json_object_array_length (list) > 0 && json_object_array_length (map) > 0)
    return fail (c, "", "both \"architectures\" and \"archMap\" are given: use one");
  for (size_t i = 0; list && i < json_object_array_length (list); i++)
    {
      snprintf (place, sizeof place, "architectures[%zu]", i);
      if ((r = add_arch (c, place, json_object_get_string (json_object_array_get_idx (list, i)))) < 0)
        return r;
    }
  for (size_t i = 0; map && i < json_object_array_length (map); i++)
    {
      struct json_object *entry = json_object_array_get_idx (map, i), *subs;
      const char *arch;

      snprintf (place, sizeof place, "archMap[%zu]", i);
      if (json_object_get_type (entry) != json_type_object)
        return fail (c, place, "must be an object, not %s", type_name (entry));
      if ((r = string_member (c, entry, place, "architecture", &arch)) < 0
          || (r = member (c, entry, place, "subArchitectures", json_type_array, &subs)) < 0)
        return r;
      snprintf (place, sizeof place, "archMap[%zu].subArchitectures", i);
      if ((r = check_strings (c, subs, place)) < 0)
        return r;
      /* Entries for other machines may name ABIs this libseccomp is too
       * old to know: only ours must make sense. */
      if (arch == NULL || arch_token (arch) != native)
        continue;
      for (size_t j = 0; subs && j < json_object_array_length (subs); j++)
        {
          snprintf (place, sizeof place, "archMap[%zu].subArchitectures[%zu]", i, j);
          if ((r = add_arch (c, place, json_object_get_string (json_object_array_get_idx (subs, j)))) < 0)
            return r;
        }
    }
  return 0;
}

static int
parse_flags (struct compiler *c, struct json_object *root)
{
  static const struct
  {
    const char *name;
    unsigned flag;
  } known[] = {
    /* The command is one thread when the filter is installed. */
    { "SECCOMP_FILTER_FLAG_TSYNC", 0 },
    { "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
    { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
    /* Only meaningful with a seccomp agent, which we never have. */
    { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 0 },
  };
  struct json_object *flags;
  const char *listener;
  char place[64];
  int r;

  if ((r = member (c, root, "", "flags", json_type_array, &flags)) < 0
      || (r = check_strings (c, flags, "flags")) < 0
      || (r = string_member (c, root, "", "listenerPath", &listener)) < 0)
    return r;
  if (listener != NULL && *listener != '\0')
    return fail (c, "listenerPath", "seccomp agents (SCMP_ACT_NOTIFY) are not supported by nestbox");
  for (size_t i = 0; flags && i < json_object_array_length (flags); i++)
    {
      const char *name = json_object_get_string (json_object_array_get_idx (flags, i));
      size_t k;

      for (k = 0; k < N_ELEMENTS (known); k++)
        if (strcmp (known[k].name, name) == 0)
          break;
      snprintf (place, sizeof place, "flags[%zu]", i);
      if (k == N_ELEMENTS (known))
        return fail (c, place, "unknown flag \"%s\"", name);
      c->flags |= known[k].flag;
    }
  return 0;
}

/* ---- rule selection --------------------------------------------------------- */

static bool
keeps_cap (const struct compiler *c, const char *name)
{
  cap_value_t cap;

  return cap_from_name (name, &cap) == 0 && cap >= 0 && cap < 64 && ((c->caps >> cap) & 1);
}

static int
parse_kernel_version (const char *s, unsigned v[2])
{
  char tail;

  return sscanf (s, "%u.%u%c", &v[0], &v[1], &tail) == 2 ? 0 : -EINVAL;
}

static bool
kernel_at_least (const struct compiler *c, const unsigned v[2])
{
  return c->kernel[0] > v[0] || (c->kernel[0] == v[0] && c->kernel[1] >= v[1]);
}

/* includes/excludes: checks the types and says whether each part matches:
 * any_cap (a listed cap is kept), all_caps (every listed cap is kept). */
struct filter_match
{
  bool has_arches, arch;
  bool has_caps, any_cap, all_caps;
  bool has_kernel, kernel;
};

static int
parse_filter (struct compiler *c, struct json_object *rule, const char *rule_place, const char *key,
              struct filter_match *m)
{
  struct json_object *obj, *arches, *caps;
  const char *min_kernel;
  char place[96];
  int r;

  memset (m, 0, sizeof *m);
  if ((r = member (c, rule, rule_place, key, json_type_object, &obj)) < 0 || obj == NULL)
    return r;
  snprintf (place, sizeof place, "%s.%s", rule_place, key);
  if ((r = member (c, obj, place, "arches", json_type_array, &arches)) < 0
      || (r = member (c, obj, place, "caps", json_type_array, &caps)) < 0
      || (r = string_member (c, obj, place, "minKernel", &min_kernel)) < 0)
    return r;
  snprintf (place, sizeof place, "%s.%s.arches", rule_place, key);
  if ((r = check_strings (c, arches, place)) < 0)
    return r;
  snprintf (place, sizeof place, "%s.%s.caps", rule_place, key);
  if ((r = check_strings (c, caps, place)) < 0)
    return r;
  m->has_arches = arches && json_object_array_length (arches) > 0;
  for (size_t i = 0; m->has_arches && i < json_object_array_length (arches); i++)
    if (is_native_arch_name (json_object_get_string (json_object_array_get_idx (arches, i))))
      m->arch = true;
  m->has_caps = caps && json_object_array_length (caps) > 0;
  m->all_caps = true;
  for (size_t i = 0; m->has_caps && i < json_object_array_length (caps); i++)
    {
      bool kept = keeps_cap (c, json_object_get_string (json_object_array_get_idx (caps, i)));

      m->any_cap |= kept;
      m->all_caps &= kept;
    }
  if (min_kernel != NULL)
    {
      unsigned v[2];

      snprintf (place, sizeof place, "%s.%s.minKernel", rule_place, key);
      if (parse_kernel_version (min_kernel, v) < 0)
        return fail (c, place, "\"%s\" is not a kernel version like \"5.8\"", min_kernel);
      m->has_kernel = true;
      m->kernel = kernel_at_least (c, v);
    }
  return 0;
}

/* ---- conditions ------------------------------------------------------------ */

static int
parse_op (struct compiler *c, const char *place, const char *name, enum scmp_compare *out)
{
  static const struct
  {
    const char *name;
    enum scmp_compare op;
  } ops[] = {
    { "SCMP_CMP_NE", SCMP_CMP_NE },
    { "SCMP_CMP_LT", SCMP_CMP_LT },
    { "SCMP_CMP_LE", SCMP_CMP_LE },
    { "SCMP_CMP_EQ", SCMP_CMP_EQ },
    { "SCMP_CMP_GE", SCMP_CMP_GE },
    { "SCMP_CMP_GT", SCMP_CMP_GT },
    { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
  };

  if (name == NULL)
    return fail (c, place, "\"op\" is missing");
  for (size_t i = 0; i < N_ELEMENTS (ops); i++)
    if (strcmp (ops[i].name, name) == 0)
      {
        *out = ops[i].op;
        return 0;
      }
  return fail (c, place, "unknown op \"%s\" (known: SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)",
               name);
}

/* args[] into libseccomp comparisons; *same_index: two of them test the
 * same argument. */
static int
parse_args (struct compiler *c, struct json_object *rule, const char *rule_place,
            struct scmp_arg_cmp *conds, unsigned *n, bool *same_index)
{
  struct json_object *args;
  unsigned seen = 0;
  char place[96], sub[128];
  int r;

  *n = 0;
  *same_index = false;
  if ((r = member (c, rule, rule_place, "args", json_type_array, &args)) < 0 || args == NULL)
    return r;
  if (json_object_array_length (args) > MAX_ARGS)
    return fail (c, rule_place, "more than %d argument conditions", MAX_ARGS);
  for (size_t i = 0; i < json_object_array_length (args); i++)
    {
      struct json_object *a = json_object_array_get_idx (args, i), *index, *value, *value2;
      uint64_t idx, v1 = 0, v2 = 0;
      const char *op_name;
      enum scmp_compare op = SCMP_CMP_EQ;

      snprintf (place, sizeof place, "%s.args[%zu]", rule_place, i);
      if (json_object_get_type (a) != json_type_object)
        return fail (c, place, "must be an object, not %s", type_name (a));
      if ((r = member (c, a, place, "index", json_type_int, &index)) < 0
          || (r = member (c, a, place, "value", json_type_int, &value)) < 0
          || (r = member (c, a, place, "valueTwo", json_type_int, &value2)) < 0
          || (r = string_member (c, a, place, "op", &op_name)) < 0
          || (r = parse_op (c, place, op_name, &op)) < 0)
        return r;
      if (index == NULL)
        return fail (c, place, "\"index\" is missing");
      snprintf (sub, sizeof sub, "%s.index", place);
      if ((r = uint_value (c, index, sub, 5, &idx)) < 0)
        return r;
      snprintf (sub, sizeof sub, "%s.value", place);
      if (value != NULL && (r = uint_value (c, value, sub, UINT64_MAX, &v1)) < 0)
        return r;
      snprintf (sub, sizeof sub, "%s.valueTwo", place);
      if (value2 != NULL && (r = uint_value (c, value2, sub, UINT64_MAX, &v2)) < 0)
        return r;
      if (seen & (1u << idx))
        *same_index = true;
      seen |= 1u << idx;
      /* MASKED_EQ: value is the mask, valueTwo the datum, as libseccomp. */
      conds[(*n)++] = (struct scmp_arg_cmp){ (unsigned) idx, op, v1, v2 };
    }
  return 0;
}

/* ---- rules ------------------------------------------------------------------ */

static int
add_rule (struct compiler *c, const char *place, const char *name, uint32_t action,
          const struct scmp_arg_cmp *conds, unsigned n, bool same_index)
{
  int nr = seccomp_syscall_resolve_name (name);
  int r = 0;

  if (nr == __NR_SCMP_ERROR)
    {
      if (denies (action) && !denies (c->default_action))
        return fail (c, place, "unknown system call \"%s\": the rule denies it where defaultAction lets it run, and a call libseccomp %u.%u cannot name cannot be denied",
                     name, seccomp_version ()->major, seccomp_version ()->minor);
      return 0; /* as runc and crun: the call keeps the default action */
    }
  /* The runtimes' reading of several conditions on one argument: each is a
   * rule of its own (libseccomp refuses them in one rule). */
  if (same_index)
    for (unsigned i = 0; r == 0 && i < n; i++)
      r = seccomp_rule_add_array (c->filter, action, nr, 1, &conds[i]);
  else
    r = seccomp_rule_add_array (c->filter, action, nr, n, conds);
  if (r < 0)
    return fail (c, place, "libseccomp refused the rule for \"%s\": %s", name, strerror (-r));
  return 0;
}

static int
parse_rule (struct compiler *c, struct json_object *rule, size_t i)
{
  struct scmp_arg_cmp conds[MAX_ARGS];
  struct json_object *names;
  struct filter_match inc, exc;
  const char *single;
  uint32_t action;
  unsigned n;
  bool same_index, skip;
  char place[64], sub[96];
  int r;

  snprintf (place, sizeof place, "syscalls[%zu]", i);
  if (json_object_get_type (rule) != json_type_object)
    return fail (c, place, "must be an object, not %s", type_name (rule));
  if ((r = member (c, rule, place, "names", json_type_array, &names)) < 0
      || (r = string_member (c, rule, place, "name", &single)) < 0)
    return r;
  snprintf (sub, sizeof sub, "%s.names", place);
  if ((r = check_strings (c, names, sub)) < 0)
    return r;
  if (names != NULL && single != NULL)
    return fail (c, place, "both \"name\" and \"names\" are given: use one");
  if ((names == NULL || json_object_array_length (names) == 0) && single == NULL)
    return fail (c, place, "\"names\" is missing or empty");
  if ((r = parse_action (c, rule, place, "action", "errnoRet", "errno", &action)) < 0
      || (r = parse_args (c, rule, place, conds, &n, &same_index)) < 0
      || (r = parse_filter (c, rule, place, "includes", &inc)) < 0
      || (r = parse_filter (c, rule, place, "excludes", &exc)) < 0)
    return r;

  skip = (exc.has_arches && exc.arch) || (exc.has_caps && exc.any_cap) || (exc.has_kernel && exc.kernel)
         || (inc.has_arches && !inc.arch) || (inc.has_caps && !inc.all_caps) || (inc.has_kernel && !inc.kernel)
         /* libseccomp refuses a rule that repeats the default action */
         || action == c->default_action;
  if (skip)
    return 0;
  if (single != NULL)
    return add_rule (c, place, single, action, conds, n, same_index);
  for (size_t j = 0; j < json_object_array_length (names); j++)
    {
      snprintf (sub, sizeof sub, "%s.names[%zu]", place, j);
      if ((r = add_rule (c, sub, json_object_get_string (json_object_array_get_idx (names, j)),
                         action, conds, n, same_index))
          < 0)
        return r;
    }
  return 0;
}

static int
compile_root (struct compiler *c, struct json_object *root, struct bpf_program_data *out)
{
  struct json_object *rules;
  int r;

  if (json_object_get_type (root) != json_type_object)
    return fail (c, "", "the profile must be a JSON object, not %s", type_name (root));
  if ((r = parse_action (c, root, "", "defaultAction", "defaultErrnoRet", "defaultErrno", &c->default_action)) < 0)
    return r;
  c->filter = seccomp_init (c->default_action);
  if (c->filter == NULL)
    return fail (c, "defaultAction", "libseccomp refused it");
  /* Big profiles (Docker's lists ~350 calls) run as a binary search
   * rather than a linear scan; older libseccomp may not offer it. */
  (void) seccomp_attr_set (c->filter, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  if ((r = parse_arches (c, root)) < 0
      || (r = parse_flags (c, root)) < 0
      || (r = member (c, root, "", "syscalls", json_type_array, &rules)) < 0)
    return r;
  for (size_t i = 0; rules && i < json_object_array_length (rules); i++)
    if ((r = parse_rule (c, json_object_array_get_idx (rules, i), i)) < 0)
      return r;
  r = seccomp_export_program (c->filter, out);
  if (r == -E2BIG)
    return fail (c, "", "the profile compiles to more than %d BPF instructions, the kernel's limit for one filter",
                 BPF_MAXINSNS);
  if (r < 0)
    return fail (c, "", "libseccomp could not compile the profile: %s", strerror (-r));
  out->flags = c->flags;
  return 0;
}

/* Line and column (from 1) of byte offset OFF, for JSON syntax errors. */
static void
line_column (const char *text, size_t off, size_t *line, size_t *col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++)
    {
      if (text[i] == '\n')
        {
          (*line)++;
          *col = 1;
        }
      else
        (*col)++;
    }
}

static int
parse_json (struct compiler *c, const char *text, size_t len, struct json_object **out)
{
  struct json_tokener *tok = json_tokener_new ();
  enum json_tokener_error jerr;
  size_t end, line, col;

  if (tok == NULL)
    return -ENOMEM;
  /* Strict: no comments, single quotes or trailing commas, as Go's JSON. */
  json_tokener_set_flags (tok, JSON_TOKENER_STRICT);
  *out = json_tokener_parse_ex (tok, text, (int) len);
  jerr = json_tokener_get_error (tok);
  end = json_tokener_get_parse_end (tok);
  json_tokener_free (tok);
  if (*out == NULL && jerr == json_tokener_continue)
    return fail (c, "", "truncated JSON: the file ends inside the profile");
  line_column (text, end, &line, &col);
  if (*out == NULL)
    return fail (c, "", "invalid JSON at line %zu, column %zu: %s", line, col, json_tokener_error_desc (jerr));
  while (end < len && isspace ((unsigned char) text[end]))
    end++;
  if (end < len)
    {
      json_object_put (*out);
      *out = NULL;
      line_column (text, end, &line, &col);
      return fail (c, "", "invalid JSON at line %zu, column %zu: data after the profile", line, col);
    }
  return 0;
}

int
seccomp_profile_compile_text (const char *text, size_t len, uint64_t keep_caps,
                              struct bpf_program_data *out, char **error)
{
  struct compiler c = { .caps = keep_caps };
  struct json_object *root = NULL;
  struct utsname u;
  int r;

  *error = NULL;
  /* "6.18.44-foo": major and minor are all minKernel compares. */
  if (uname (&u) < 0 || sscanf (u.release, "%u.%u", &c.kernel[0], &c.kernel[1]) != 2)
    c.kernel[0] = c.kernel[1] = 0;
  if (len > SECCOMP_PROFILE_MAX_BYTES)
    r = fail (&c, "", "larger than %u MiB, the most nestbox reads for a profile", SECCOMP_PROFILE_MAX_BYTES >> 20);
  else if ((r = parse_json (&c, text, len, &root)) == 0)
    r = compile_root (&c, root, out);
  if (c.filter != NULL)
    seccomp_release (c.filter);
  json_object_put (root);
  *error = c.error;
  return r;
}

#else /* !(HAVE_SECCOMP && HAVE_JSONC) */

int
seccomp_profile_compile_text (const char *text, size_t len, uint64_t keep_caps,
                              struct bpf_program_data *out, char **error)
{
  (void) text;
  (void) len;
  (void) keep_caps;
  (void) out;
  *error = xstrdup ("nestbox was built without libseccomp or json-c");
  return -ENOTSUP;
}

#endif

int
seccomp_profile_compile (const char *path, uint64_t keep_caps, struct bpf_program_data *out, char **error)
{
  _cleanup_free_ char *text = NULL;
  _cleanup_close_ int fd = -1;
  struct stat st;
  size_t len;
  int r;

  *error = NULL;
  /* "./default" names a file called default. */
  if (strcmp (path, "default") == 0)
    {
      const char *built_in = seccomp_default_profile (&len);

      return seccomp_profile_compile_text (built_in, len, keep_caps, out, error);
    }
  fd = RETRY_EINTR (open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd < 0)
    return -errno;
  if (fstat (fd, &st) < 0)
    return -errno;
  if (S_ISDIR (st.st_mode))
    return -EISDIR;
  /* read_all stops somewhere past the limit (at most twice it): enough
   * to know the file is too big without reading all of a huge one. */
  r = read_all (fd, SECCOMP_PROFILE_MAX_BYTES, &text, &len);
  if (r == -EFBIG || (r == 0 && len > SECCOMP_PROFILE_MAX_BYTES))
    {
      *error = xasprintf ("larger than %u MiB, the most nestbox reads for a profile", SECCOMP_PROFILE_MAX_BYTES >> 20);
      return -EFBIG;
    }
  if (r < 0)
    return r;
  return seccomp_profile_compile_text (text, len, keep_caps, out, error);
}
