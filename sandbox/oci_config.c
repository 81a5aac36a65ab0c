/* config.json (OCI runtime-spec 1.x) into a plan (oci_config.h).
 *
 * This file reads the file, checks ociVersion and hands each part to its
 * reader: the namespaces and the rest of "linux" (oci_linux.c), "process"
 * (oci_process.c), the root, mounts, devices and path lists
 * (oci_mounts.c), "linux.resources" (oci_resources.c); hooks and
 * annotations are read here.
 *
 * Unknown members are ignored, as the spec asks of runtimes ("MUST ignore
 * unknown properties") and as the Go runtimes' decoders do.  Members the
 * spec defines and nestbox cannot honour are refused by name, each in the
 * reader of its part; here: solaris, windows, vm, zos and freebsd (the
 * other platforms' sections).  Null, an empty array, object or string
 * count as absent, as in runc. */
#include "oci_config.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "oci_json.h"
#include "oci_linux.h"
#include "oci_mounts.h"
#include "oci_process.h"
#include "oci_resources.h"
#include "util.h"

/* Far above any real config.json (buildah's are a few KiB, with a
 * seccomp profile some tens). */
#define CONFIG_MAX_BYTES (16u << 20)

static void
line_column (const char *text, size_t off, size_t *line, size_t *col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++)
    {
      *col = text[i] == '\n' ? 1 : *col + 1;
      *line += text[i] == '\n';
    }
}

/* Strict JSON (no comments, no trailing commas), one document and
 * nothing after it but white space. */
static int
parse_json (struct oci_ctx *ctx, const char *file, const char *text, size_t len, struct json_object **out)
{
  struct json_tokener *tok = json_tokener_new ();
  enum json_tokener_error jerr;
  size_t end, line, col;

  if (tok == NULL)
    die_oom ();
  json_tokener_set_flags (tok, JSON_TOKENER_STRICT);
  *out = json_tokener_parse_ex (tok, text, (int) len);
  jerr = json_tokener_get_error (tok);
  end = json_tokener_get_parse_end (tok);
  json_tokener_free (tok);
  if (*out == NULL && jerr == json_tokener_continue)
    return oci_fail (ctx, file, "truncated JSON: the file ends inside the document");
  while (*out != NULL && end < len && isspace ((unsigned char) text[end]))
    end++;
  line_column (text, end, &line, &col);
  if (*out == NULL)
    return oci_fail (ctx, file, "invalid JSON at line %zu, column %zu: %s", line, col, json_tokener_error_desc (jerr));
  if (end < len)
    return oci_fail (ctx, file, "invalid JSON at line %zu, column %zu: data after the document", line, col);
  if (!json_object_is_type (*out, json_type_object))
    return oci_fail (ctx, file, "must hold a JSON object");
  return 0;
}

/* BUNDLE/config.json, parsed; cfg->bundle is the bundle's absolute path. */
static int
read_config (struct oci_ctx *ctx, const char *bundle, struct json_object **out)
{
  char resolved[PATH_MAX];
  _cleanup_free_ char *file = NULL, *text = NULL;
  _cleanup_close_ int fd = -1;
  size_t len;
  int r;

  *out = NULL;
  if (realpath (bundle, resolved) == NULL)
    return oci_fail (ctx, bundle, "cannot open the bundle: %s", strerror (errno));
  ctx->cfg->bundle = xstrdup (resolved);
  file = xasprintf ("%s/config.json", resolved);
  fd = RETRY_EINTR (open (file, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd < 0)
    return oci_fail (ctx, file, "cannot open: %s", strerror (errno));
  r = read_all (fd, CONFIG_MAX_BYTES, &text, &len);
  if (r == -EFBIG || (r == 0 && len > CONFIG_MAX_BYTES))
    return oci_fail (ctx, file, "larger than %u MiB, the most nestbox-runc reads", CONFIG_MAX_BYTES >> 20);
  if (r < 0)
    return oci_fail (ctx, file, "cannot read: %s", strerror (-r));
  if (len == 0)
    return oci_fail (ctx, file, "empty file");
  return parse_json (ctx, file, text, len, out);
}

static int
check_version (struct oci_ctx *ctx, struct json_object *root)
{
  const char *version;

  if (oci_string (ctx, root, "", "ociVersion", &version) < 0)
    return -1;
  if (version == NULL)
    return oci_fail (ctx, "ociVersion", "missing (nestbox-runc reads runtime-spec 1.x)");
  if (strncmp (version, "1.", 2) != 0 || !isdigit ((unsigned char) version[2]))
    return oci_fail (ctx, "ociVersion", "\"%s\" is not supported: nestbox-runc reads runtime-spec 1.x", version);
  return 0;
}

static int
refuse_other_platforms (struct oci_ctx *ctx, struct json_object *root)
{
  static const char *const platforms[] = { "solaris", "windows", "vm", "zos", "freebsd" };

  for (size_t i = 0; i < N_ELEMENTS (platforms); i++)
    if (oci_has (root, platforms[i]))
      return oci_fail (ctx, platforms[i], "not supported by nestbox-runc (a runtime for Linux containers)");
  return 0;
}

/* A NULL-terminated copy of a string array's elements, strings owned by
 * the plan. */
static char **
string_list (struct oci_ctx *ctx, struct json_object *arr)
{
  size_t n = arr ? json_object_array_length (arr) : 0;
  char **list = xcalloc (n + 1, sizeof (char *));

  for (size_t i = 0; i < n; i++)
    list[i] = (char *) oci_own (ctx, json_object_get_string (json_object_array_get_idx (arr, i)));
  return list;
}

static int
read_hook (struct oci_ctx *ctx, struct json_object *obj, const char *place, struct oci_hook *hook)
{
  struct json_object *args, *env;
  bool has_timeout;
  int64_t timeout;
  char sub[OCI_PLACE_MAX];

  if (!json_object_is_type (obj, json_type_object))
    return oci_fail (ctx, place, "must be an object");
  if (oci_string (ctx, obj, place, "path", (const char **) &hook->path) < 0
      || oci_string_array (ctx, obj, place, "args", &args) < 0
      || oci_string_array (ctx, obj, place, "env", &env) < 0
      || oci_int64 (ctx, obj, place, "timeout", &has_timeout, &timeout) < 0)
    return -1;
  if (hook->path == NULL || hook->path[0] != '/')
    return oci_fail (ctx, oci_key_place (sub, place, "path"), "an absolute path is required");
  /* The spec: "timeout ... MUST be greater than zero". */
  if (has_timeout && (timeout <= 0 || timeout > INT_MAX))
    return oci_fail (ctx, oci_key_place (sub, place, "timeout"), "must be a number of seconds above 0");
  hook->timeout = has_timeout ? (int) timeout : 0;
  hook->args = string_list (ctx, args);
  hook->env = string_list (ctx, env);
  return 0;
}

const char *
oci_hook_name (enum oci_hook_kind kind)
{
  static const char *const names[N_OCI_HOOK_KINDS] = {
    [OCI_HOOK_PRESTART] = "prestart",
    [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
    [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
    [OCI_HOOK_START_CONTAINER] = "startContainer",
    [OCI_HOOK_POSTSTART] = "poststart",
    [OCI_HOOK_POSTSTOP] = "poststop",
  };

  return names[kind];
}

static int
read_hooks (struct oci_ctx *ctx, struct json_object *root)
{
  struct json_object *hooks, *list;
  char place[OCI_PLACE_MAX], elem[OCI_PLACE_MAX];

  if (oci_member (ctx, root, "", "hooks", json_type_object, &hooks) < 0)
    return -1;
  for (int k = 0; hooks != NULL && k < N_OCI_HOOK_KINDS; k++)
    {
      if (oci_member (ctx, hooks, "hooks", oci_hook_name ((enum oci_hook_kind) k), json_type_array, &list) < 0)
        return -1;
      oci_key_place (place, "hooks", oci_hook_name ((enum oci_hook_kind) k));
      for (size_t i = 0; list != NULL && i < json_object_array_length (list); i++)
        {
          struct oci_hook *h = oci_append (&ctx->cfg->hooks[k], &ctx->cfg->n_hooks[k], sizeof *h);

          if (read_hook (ctx, json_object_array_get_idx (list, i), oci_index_place (elem, place, i), h) < 0)
            return -1;
        }
    }
  return 0;
}

/* nestbox's own annotations: what the launcher's options would ask. */
static int
nestbox_annotation (struct oci_ctx *ctx, const char *key, const char *value)
{
  static const char *const fallbacks[] = {
    [PROC_FALLBACK_NONE] = "none",
    [PROC_FALLBACK_BIND] = "bind",
    [PROC_FALLBACK_SUBSET] = "subset",
    [PROC_FALLBACK_AUTO] = "auto",
  };
  struct plan *plan = ctx->plan;
  char place[OCI_PLACE_MAX];

  snprintf (place, sizeof place, "annotations[\"%s\"]", key);
  if (strcmp (key, "run.oci.nestbox.proc-fallback") == 0)
    {
      for (size_t i = 0; i < N_ELEMENTS (fallbacks); i++)
        if (strcmp (value, fallbacks[i]) == 0)
          {
            plan->proc_fallback = (enum proc_fallback) i;
            return 0;
          }
      return oci_fail (ctx, place, "\"%s\": give auto, bind, subset or none", value);
    }
  if (strcmp (key, "run.oci.nestbox.landlock") == 0)
    {
      plan->landlock = strcmp (value, "true") == 0;
      plan->landlock_try = strcmp (value, "try") == 0;
      if (!plan->landlock && !plan->landlock_try && strcmp (value, "false") != 0)
        return oci_fail (ctx, place, "\"%s\": give true, try or false", value);
      return 0;
    }
  return oci_fail (ctx, place, "unknown nestbox annotation (run.oci.nestbox.proc-fallback and run.oci.nestbox.landlock are)");
}

static int
read_annotations (struct oci_ctx *ctx, struct json_object *root)
{
  char **list;

  if (oci_string_map (ctx, root, "", "annotations", &ctx->cfg->annotations) < 0)
    return -1;
  /* The front end writes them into the state: an empty list, not none. */
  if (ctx->cfg->annotations == NULL)
    ctx->cfg->annotations = xcalloc (1, sizeof (char *));
  for (list = ctx->cfg->annotations; *list != NULL; list += 2)
    if (strncmp (list[0], "run.oci.nestbox.", 16) == 0 && nestbox_annotation (ctx, list[0], list[1]) < 0)
      return -1;
  return 0;
}

static int
read_parts (struct oci_ctx *ctx, struct json_object *root)
{
  struct json_object *linux_obj, *process, *resources;

  if (check_version (ctx, root) < 0 || refuse_other_platforms (ctx, root) < 0
      || oci_member (ctx, root, "", "linux", json_type_object, &linux_obj) < 0
      || oci_member (ctx, root, "", "process", json_type_object, &process) < 0
      || oci_member (ctx, linux_obj, "linux", "resources", json_type_object, &resources) < 0)
    return -1;
  if (process == NULL)
    return oci_fail (ctx, "process", "missing: nestbox-runc needs a process to run");
  /* Namespaces first: the hostname, the maps and pid 1 depend on them;
   * the process before the seccomp profile, whose rules may depend on the
   * capabilities it keeps. */
  if (oci_namespaces_read (ctx, linux_obj) < 0 || oci_process_read (ctx, process) < 0
      || oci_names_read (ctx, root) < 0 || oci_mounts_read (ctx, root, linux_obj) < 0
      || oci_linux_read (ctx, linux_obj) < 0 || oci_resources_read (ctx, resources) < 0
      || read_hooks (ctx, root) < 0 || read_annotations (ctx, root) < 0)
    return -1;
  /* runc takes process.user in the caller's own namespace when the config
   * asks for none, with additionalGids as the only supplementary groups. */
  ctx->plan->ids_in_caller_ns = !ctx->plan->unshare_user && ctx->plan->userns_fd == -1;
  ctx->plan->groups = ctx->cfg->additional_gids;
  ctx->plan->n_groups = ctx->cfg->n_additional_gids;
  return 0;
}

int
oci_config_load (const char *bundle, struct oci_config *cfg, char *err, size_t size)
{
  struct oci_ctx ctx = { cfg, &cfg->plan, err, size };
  struct json_object *root = NULL;
  int r;

  memset (cfg, 0, sizeof *cfg);
  plan_init (&cfg->plan);
  cfg->umask = -1;
  cfg->seccomp_fd = -1;
  if (size > 0)
    err[0] = '\0';
  r = read_config (&ctx, bundle, &root);
  if (r == 0)
    r = read_parts (&ctx, root);
  json_object_put (root);
  if (r < 0)
    oci_config_free (cfg);
  return r;
}

void
oci_config_free (struct oci_config *cfg)
{
  for (int k = 0; k < N_OCI_HOOK_KINDS; k++)
    {
      for (size_t i = 0; i < cfg->n_hooks[k]; i++)
        {
          free (cfg->hooks[k][i].args);
          free (cfg->hooks[k][i].env);
        }
      free (cfg->hooks[k]);
    }
  /* Opened here for the plan: the namespaces to join, the profile. */
  if (cfg->plan.userns_fd >= 0)
    close (cfg->plan.userns_fd);
  if (cfg->plan.pidns_fd >= 0)
    close (cfg->plan.pidns_fd);
  if (cfg->seccomp_fd >= 0)
    close (cfg->seccomp_fd);
  free (cfg->plan.command);
  free (cfg->annotations);
  free (cfg->sysctl);
  free (cfg->additional_gids);
  free (cfg->bundle);
  free (cfg->root_path);
  plan_free (&cfg->plan);
  memset (cfg, 0, sizeof *cfg);
  cfg->umask = -1;
  cfg->seccomp_fd = -1;
  cfg->plan.userns_fd = cfg->plan.pidns_fd = -1;
}
