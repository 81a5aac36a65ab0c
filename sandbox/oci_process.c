/* config.json's "process" into the plan (oci_process.h).
 *
 * Capabilities: nestbox gives the command one set, used as its bounding,
 * permitted, effective and inheritable sets and raised into the ambient
 * set for a non-zero uid (caps.c).  The spec's five sets are reduced to
 * it as the kernel would leave them after exec: for uid 0 the effective
 * set (kept only where permitted and bounding allow it), for another uid
 * the ambient set (where permitted, inheritable and bounding allow it).
 * What this cannot express: a bounding set wider than that (a setuid or
 * file-capability program in the container gains nothing beyond it), and
 * sets that differ from each other.  Without "capabilities" nothing is
 * dropped, as in runc.  Names libcap does not know are warned about and
 * skipped, as runc does.
 *
 * noNewPrivileges: nestbox always sets it (launch.c), whatever the
 * config says; setuid programs in the container do not gain privileges.
 *
 * Ignored on purpose: consoleSize (the front end sizes the console it
 * hands over), commandLine and user.username (Windows only).  Refused:
 * scheduler, ioPriority, execCPUAffinity (the core sets none of them) and
 * apparmorProfile where AppArmor is active (nestbox cannot change
 * profile); where it is not, the profile is ignored as runc ignores it. */
#include "oci_process.h"

#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "caps.h"
#include "rlimits.h"
#include "util.h"

static int
read_args (struct oci_ctx *ctx, struct json_object *process)
{
  struct json_object *args;
  size_t n;

  if (oci_string_array (ctx, process, "process", "args", &args) < 0)
    return -1;
  n = args ? json_object_array_length (args) : 0;
  if (n == 0)
    return oci_fail (ctx, "process.args", "missing or empty: the command to run is required");
  ctx->plan->command = xcalloc (n + 1, sizeof (char *));
  for (size_t i = 0; i < n; i++)
    ctx->plan->command[i] = (char *) oci_own (ctx, json_object_get_string (json_object_array_get_idx (args, i)));
  return 0;
}

/* The environment is exactly the config's: clear, then set in order. */
static int
read_env (struct oci_ctx *ctx, struct json_object *process)
{
  struct json_object *env;
  struct plan *plan = ctx->plan;
  char place[OCI_PLACE_MAX];

  if (oci_string_array (ctx, process, "process", "env", &env) < 0)
    return -1;
  ((struct env_op *) oci_append (&plan->env_ops, &plan->n_env_ops, sizeof (struct env_op)))->type = ENV_CLEAR;
  for (size_t i = 0; env != NULL && i < json_object_array_length (env); i++)
    {
      char *entry = (char *) oci_own (ctx, json_object_get_string (json_object_array_get_idx (env, i)));
      char *eq = strchr (entry, '=');
      struct env_op *e;

      if (eq == NULL || eq == entry)
        return oci_fail (ctx, oci_index_place (place, "process.env", i), "\"%s\" is not NAME=VALUE", entry);
      *eq = '\0';
      e = oci_append (&plan->env_ops, &plan->n_env_ops, sizeof *e);
      *e = (struct env_op){ ENV_SET, entry, eq + 1 };
    }
  return 0;
}

static int
read_user (struct oci_ctx *ctx, struct json_object *process)
{
  struct json_object *user, *gids;
  uint64_t uid = 0, gid = 0, umask_value;
  bool given;
  char place[OCI_PLACE_MAX];

  if (oci_member (ctx, process, "process", "user", json_type_object, &user) < 0
      || oci_uint64 (ctx, user, "process.user", "uid", UINT32_MAX - 1, &given, &uid) < 0
      || oci_uint64 (ctx, user, "process.user", "gid", UINT32_MAX - 1, &given, &gid) < 0
      || oci_uint64 (ctx, user, "process.user", "umask", 0777, &given, &umask_value) < 0
      || oci_member (ctx, user, "process.user", "additionalGids", json_type_array, &gids) < 0)
    return -1;
  ctx->plan->uid = (uint32_t) uid;
  ctx->plan->gid = (uint32_t) gid;
  ctx->plan->uid_set = ctx->plan->gid_set = true;
  if (given)
    ctx->cfg->umask = (int) umask_value;
  for (size_t i = 0; gids != NULL && i < json_object_array_length (gids); i++)
    {
      uint64_t g;

      if (oci_uint_value (ctx, json_object_array_get_idx (gids, i), oci_index_place (place, "process.user.additionalGids", i),
                          UINT32_MAX - 1, &g)
          < 0)
        return -1;
      *(gid_t *) oci_append (&ctx->cfg->additional_gids, &ctx->cfg->n_additional_gids, sizeof (gid_t)) = (gid_t) g;
    }
  return 0;
}

/* One capability set as a bit set; unknown names warned about. */
static int
cap_set (struct oci_ctx *ctx, struct json_object *caps, const char *key, uint64_t *out)
{
  struct json_object *names;
  char place[OCI_PLACE_MAX], elem[OCI_PLACE_MAX];

  *out = 0;
  if (oci_string_array (ctx, caps, "process.capabilities", key, &names) < 0)
    return -1;
  oci_key_place (place, "process.capabilities", key);
  for (size_t i = 0; names != NULL && i < json_object_array_length (names); i++)
    {
      const char *name = json_object_get_string (json_object_array_get_idx (names, i));
      cap_value_t cap;

      if (cap_from_name (name, &cap) < 0 || cap < 0 || cap > 63)
        oci_warn (oci_index_place (elem, place, i), "unknown capability %s, skipped", name);
      else
        *out |= UINT64_C (1) << cap;
    }
  return 0;
}

static int
read_capabilities (struct oci_ctx *ctx, struct json_object *process)
{
  struct json_object *caps;
  uint64_t bounding, effective, inheritable, permitted, ambient, keep;
  struct plan *plan = ctx->plan;

  if (oci_member (ctx, process, "process", "capabilities", json_type_object, &caps) < 0)
    return -1;
  if (caps == NULL)
    return caps_get_effective (&ctx->keep_caps) < 0 ? oci_fail (ctx, "process.capabilities", "cannot read ours") : 0;
  if (cap_set (ctx, caps, "bounding", &bounding) < 0 || cap_set (ctx, caps, "effective", &effective) < 0
      || cap_set (ctx, caps, "inheritable", &inheritable) < 0 || cap_set (ctx, caps, "permitted", &permitted) < 0
      || cap_set (ctx, caps, "ambient", &ambient) < 0)
    return -1;
  if (plan->uid == 0)
    keep = effective & permitted & bounding;
  else
    keep = ambient & permitted & inheritable & bounding;
  ctx->keep_caps = keep;
  *(struct cap_step *) oci_append (&plan->cap_steps, &plan->n_cap_steps, sizeof (struct cap_step)) = (struct cap_step){ false, -1 };
  for (int cap = 0; cap < 64; cap++)
    if (keep & (UINT64_C (1) << cap))
      *(struct cap_step *) oci_append (&plan->cap_steps, &plan->n_cap_steps, sizeof (struct cap_step)) = (struct cap_step){ true, cap };
  return 0;
}

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE, through the launcher's names. */
static int
rlimit_by_name (const char *type)
{
  if (strncmp (type, "RLIMIT_", 7) != 0)
    return -1;
  for (int r = 0; r < RLIM_NLIMITS; r++)
    if (strcmp (rlimit_name (r), type + 7) == 0)
      return r;
  return -1;
}

static int
read_rlimit (struct oci_ctx *ctx, struct json_object *obj, const char *place)
{
  const char *type;
  uint64_t soft, hard;
  bool has_soft, has_hard;
  struct rlimit_step *step;
  int resource;

  if (!json_object_is_type (obj, json_type_object))
    return oci_fail (ctx, place, "must be an object");
  if (oci_string (ctx, obj, place, "type", &type) < 0
      || oci_uint64 (ctx, obj, place, "soft", UINT64_MAX, &has_soft, &soft) < 0
      || oci_uint64 (ctx, obj, place, "hard", UINT64_MAX, &has_hard, &hard) < 0)
    return -1;
  resource = type ? rlimit_by_name (type) : -1;
  if (resource < 0)
    return oci_fail (ctx, place, "unknown type %s", type ? type : "(missing)");
  if (!has_soft || !has_hard)
    return oci_fail (ctx, place, "soft and hard are both required");
  if (soft > hard)
    return oci_fail (ctx, place, "the soft limit is above the hard one");
  step = oci_append (&ctx->plan->rlimits, &ctx->plan->n_rlimits, sizeof *step);
  /* RLIM_INFINITY is 2^64-1, which is how the spec writes "unlimited". */
  *step = (struct rlimit_step){ resource, true, true, soft, hard };
  return 0;
}

static int
read_rlimits (struct oci_ctx *ctx, struct json_object *process)
{
  struct json_object *list;
  char place[OCI_PLACE_MAX];

  if (oci_member (ctx, process, "process", "rlimits", json_type_array, &list) < 0)
    return -1;
  for (size_t i = 0; list != NULL && i < json_object_array_length (list); i++)
    if (read_rlimit (ctx, json_object_array_get_idx (list, i), oci_index_place (place, "process.rlimits", i)) < 0)
      return -1;
  return 0;
}

static bool
apparmor_enabled (void)
{
  _cleanup_free_ char *v = NULL;

  return read_file_at (-1, "/sys/module/apparmor/parameters/enabled", 16, &v) == 0 && v[0] == 'Y';
}

static int
read_labels_and_more (struct oci_ctx *ctx, struct json_object *process)
{
  static const char *const unsupported[] = { "scheduler", "ioPriority", "execCPUAffinity" };
  const char *selinux;
  char place[OCI_PLACE_MAX];
  bool has_oom;
  int64_t oom = 0;

  for (size_t i = 0; i < N_ELEMENTS (unsupported); i++)
    if (oci_has (process, unsupported[i]))
      return oci_fail (ctx, oci_key_place (place, "process", unsupported[i]), "not supported by nestbox-runc");
  if (oci_has (process, "apparmorProfile") && apparmor_enabled ())
    return oci_fail (ctx, "process.apparmorProfile", "AppArmor profiles are not supported by nestbox-runc");
  if (oci_string (ctx, process, "process", "selinuxLabel", &selinux) < 0
      || oci_bool (ctx, process, "process", "terminal", &ctx->cfg->terminal) < 0
      || oci_int64 (ctx, process, "process", "oomScoreAdj", &has_oom, &oom) < 0)
    return -1;
  if (has_oom && (oom < -1000 || oom > 1000))
    return oci_fail (ctx, "process.oomScoreAdj", "must be from -1000 to 1000");
  ctx->cfg->oom_score_adj_set = has_oom;
  ctx->cfg->oom_score_adj = (int) oom;
  if (selinux != NULL && *selinux)
    ctx->plan->exec_label = selinux;
  return 0;
}

int
oci_process_read (struct oci_ctx *ctx, struct json_object *process)
{
  const char *cwd;

  if (read_args (ctx, process) < 0 || read_env (ctx, process) < 0 || read_user (ctx, process) < 0
      || oci_string (ctx, process, "process", "cwd", &cwd) < 0)
    return -1;
  if (cwd == NULL || cwd[0] != '/')
    return oci_fail (ctx, "process.cwd", "an absolute path is required");
  ctx->plan->chdir_path = cwd;
  if (read_capabilities (ctx, process) < 0 || read_rlimits (ctx, process) < 0)
    return -1;
  return read_labels_and_more (ctx, process);
}
