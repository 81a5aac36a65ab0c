/* linux.devices, linux.readonlyPaths, linux.maskedPaths and
 * root.readonly, after the mounts (oci_paths.h).
 *
 * Devices: each is the host's node of that type and number, bound at the
 * config's path (as --dev-bind-try; nestbox creates no device node, which
 * needs privilege a user namespace never has).  The node is looked for at
 * that path, at udev's /dev/char or /dev/block name, then anywhere
 * directly in /dev; a device the host has no node for is refused by name.
 * fileMode, uid and gid are not applied: the node keeps the host's.
 *
 * Read-only and masked paths are resolved against what the mounts made:
 *   - under a procfs, the entries of the plan's proc policy (the
 *     runtimes' own lists, sandbox/proc-masks.def) are masked or made
 *     read-only by --proc already, and a config that lists fewer does not
 *     unmask them;
 *   - under an empty new file system (tmpfs, mqueue, /dev) nothing exists
 *     yet, so nothing is there to change (runc skips missing paths);
 *   - elsewhere the host path where the contents can be seen now says
 *     whether the path exists: missing ones are skipped, as runc does.
 * A read-only path that is a mount's own destination makes that mount
 * read-only; under a read-only mount it already is; otherwise the path is
 * bound onto itself read-only (as runc does) from where the host sees it.
 * That bind refuses a path that goes through a symbolic link, which would
 * be followed on the host.  A /proc entry outside the policy cannot be
 * bound from the host's procfs (it would show the host's namespaces) and
 * is refused. */
#include "oci_paths.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "proc.h"
#include "util.h"

/* Whether mount point dest holds path; *rest is the part of path below it. */
static bool
holds (const char *dest, const char *path, const char **rest)
{
  size_t n = strlen (dest);

  while (n > 0 && dest[n - 1] == '/')
    n--;
  if (strncmp (dest, path, n) != 0 || (path[n] != '/' && path[n] != '\0'))
    return false;
  for (*rest = path + n; **rest == '/'; (*rest)++)
    ;
  return true;
}

/* The last mount that holds path (the root holds everything). */
static const struct oci_placed *
covering (const struct oci_places *places, const char *path, const char **rest)
{
  for (size_t i = places->n; i-- > 1;)
    if (holds (places->list[i].dest, path, rest))
      return &places->list[i];
  holds ("/", path, rest);
  return &places->list[0];
}

static bool
listed (const char *const *list, const char *entry)
{
  for (; *list; list++)
    if (strcmp (*list, entry) == 0)
      return true;
  return false;
}

/* Whether the host path base/rest exists with no symbolic link in rest:
 * 1 yes, 0 no, -ELOOP for a link.  One component at a time, with
 * O_NOFOLLOW (openat2's RESOLVE_NO_SYMLINKS would do it in one call, but
 * seccomp profiles of older runtimes refuse openat2 with ENOSYS). */
static int
host_path_state (const char *base, const char *rest)
{
  _cleanup_close_ int dir = RETRY_EINTR (open (base, O_PATH | O_DIRECTORY | O_CLOEXEC));
  char name[256];

  if (dir < 0)
    return errno == ENOENT ? 0 : -errno;
  while (*rest != '\0')
    {
      size_t len = strcspn (rest, "/");
      struct stat st;
      int next;

      if (len >= sizeof name)
        return -ENAMETOOLONG;
      memcpy (name, rest, len);
      name[len] = '\0';
      for (rest += len; *rest == '/'; rest++)
        ;
      if (len == 0 || strcmp (name, ".") == 0)
        continue;
      next = RETRY_EINTR (openat (dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
      if (next < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
      close (dir);
      dir = next;
      if (fstat (dir, &st) < 0)
        return -errno;
      if (S_ISLNK (st.st_mode))
        return -ELOOP;
    }
  return 1;
}

static int
checked_path (struct oci_ctx *ctx, const char *place, const char *path)
{
  if (path[0] != '/')
    return oci_fail (ctx, place, "\"%s\": an absolute path is required", path);
  if (strstr (path, "/../") != NULL || (strlen (path) >= 3 && strcmp (path + strlen (path) - 3, "/..") == 0))
    return oci_fail (ctx, place, "\"%s\": \"..\" is not allowed", path);
  return 0;
}

static int
mask_path (struct oci_ctx *ctx, const struct oci_places *places, const char *place, const char *path)
{
  const char *rest;
  const struct oci_placed *m;
  _cleanup_free_ char *host = NULL;
  struct stat st;

  if (checked_path (ctx, place, path) < 0)
    return -1;
  m = covering (places, path, &rest);
  if ((m->proc && listed (proc_masked_paths (ctx->plan->proc_policy), rest)) || m->host == NULL)
    return 0;
  /* Only a prediction, so symbolic links may be followed on the host:
   * the mask itself is placed inside the new root. */
  host = xasprintf ("%s/%s", m->host, rest);
  if (lstat (host, &st) < 0)
    return 0;
  oci_add_op (ctx, OP_MASK, oci_own (ctx, path));
  return 0;
}

static int
readonly_path (struct oci_ctx *ctx, const struct oci_places *places, const char *place, const char *path)
{
  const char *rest;
  const struct oci_placed *m;
  struct op *op;
  int state;

  if (checked_path (ctx, place, path) < 0)
    return -1;
  m = covering (places, path, &rest);
  if (m->proc && (listed (proc_readonly_paths (ctx->plan->proc_policy), rest) || listed (proc_masked_paths (ctx->plan->proc_policy), rest)))
    return 0;
  if (m->readonly || (m == &places->list[0] && ctx->cfg->root_readonly))
    return 0;
  /* A mount's own destination: that mount read-only (the root's bind
   * only once the mounts on it are made). */
  if (*rest == '\0' && m->op >= 0)
    {
      if (m->op > 0 && ctx->plan->ops[m->op].type == OP_BIND)
        ctx->plan->ops[m->op].readonly = true;
      else
        oci_add_op (ctx, OP_REMOUNT_RO, oci_own (ctx, path));
      return 0;
    }
  if (m->host == NULL)
    return 0;
  if (m->proc)
    return oci_fail (ctx, place, "%s: nestbox-runc makes read-only only the /proc entries of its proc policy", path);
  state = host_path_state (m->host, rest);
  if (state == -ELOOP)
    return oci_fail (ctx, place, "%s goes through a symbolic link: nestbox-runc cannot make it read-only safely", path);
  if (state < 0)
    return oci_fail (ctx, place, "%s: %s", path, strerror (-state));
  if (state == 0)
    return 0;
  op = oci_add_op (ctx, OP_BIND, oci_own (ctx, path));
  op->source = oci_own_printf (ctx, "%s/%s", strcmp (m->host, "/") == 0 ? "" : m->host, rest);
  op->readonly = op->skip_missing = true;
  return 0;
}

static bool
node_matches (const char *path, mode_t want, dev_t rdev)
{
  struct stat st;

  return lstat (path, &st) == 0 && (st.st_mode & S_IFMT) == want && (want == S_IFIFO || st.st_rdev == rdev);
}

/* The host's node for the device: at the config's path, else at udev's
 * /dev/char or /dev/block name, else anywhere directly in /dev (podman's
 * --device /dev/sda:/dev/xvda names the container's path). */
static const char *
host_node (struct oci_ctx *ctx, const char *path, mode_t want, dev_t rdev)
{
  _cleanup_free_ char *by_number = NULL;
  struct stat st;
  DIR *dir;
  struct dirent *e;
  const char *found = NULL;

  if (node_matches (path, want, rdev))
    return path;
  if (want == S_IFIFO)
    return NULL;
  by_number = xasprintf ("/dev/%s/%u:%u", want == S_IFBLK ? "block" : "char", major (rdev), minor (rdev));
  if (stat (by_number, &st) == 0 && (st.st_mode & S_IFMT) == want && st.st_rdev == rdev)
    return oci_own (ctx, by_number);
  dir = opendir ("/dev");
  while (dir != NULL && found == NULL && (e = readdir (dir)) != NULL)
    {
      _cleanup_free_ char *candidate = xasprintf ("/dev/%s", e->d_name);

      if (node_matches (candidate, want, rdev))
        found = oci_own (ctx, candidate);
    }
  if (dir != NULL)
    closedir (dir);
  return found;
}

static int
read_device (struct oci_ctx *ctx, struct json_object *dev, const char *place)
{
  const char *path, *type;
  int64_t major = 0, minor = 0;
  bool has_major, has_minor;
  const char *source;
  mode_t want;
  struct op *op;

  if (!json_object_is_type (dev, json_type_object))
    return oci_fail (ctx, place, "must be an object");
  if (oci_string (ctx, dev, place, "path", &path) < 0 || oci_string (ctx, dev, place, "type", &type) < 0
      || oci_int64 (ctx, dev, place, "major", &has_major, &major) < 0
      || oci_int64 (ctx, dev, place, "minor", &has_minor, &minor) < 0)
    return -1;
  if (path == NULL || checked_path (ctx, place, path) < 0)
    return path == NULL ? oci_fail (ctx, place, "path is required") : -1;
  if (type == NULL || strlen (type) != 1 || strchr ("cbup", type[0]) == NULL)
    return oci_fail (ctx, place, "type must be c, b, u or p");
  if (type[0] != 'p' && (!has_major || !has_minor))
    return oci_fail (ctx, place, "major and minor are required for a %s device", type);
  if (major < 0 || major > 4095 || minor < 0 || minor > 1048575)
    return oci_fail (ctx, place, "%lld:%lld is not a device number", (long long) major, (long long) minor);
  want = type[0] == 'b' ? S_IFBLK : type[0] == 'p' ? S_IFIFO
                                                   : S_IFCHR;
  source = host_node (ctx, path, want, makedev ((unsigned) major, (unsigned) minor));
  if (source == NULL && want == S_IFIFO)
    return oci_fail (ctx, place, "no fifo at %s on this host; nestbox-runc binds the host's node and cannot create one", path);
  if (source == NULL)
    return oci_fail (ctx, place, "no %s %lld:%lld device on this host (at %s or elsewhere in /dev); nestbox-runc binds the host's node and cannot create one",
                     type, (long long) major, (long long) minor, path);
  op = oci_add_op (ctx, OP_BIND, path);
  op->source = source;
  op->allow_devices = op->skip_missing = true;
  return 0;
}

typedef int (*path_reader) (struct oci_ctx *ctx, const struct oci_places *places, const char *place, const char *path);

static int
read_list (struct oci_ctx *ctx, struct json_object *linux_obj, const char *key, const struct oci_places *places,
           path_reader reader)
{
  struct json_object *list;
  char place[OCI_PLACE_MAX], elem[OCI_PLACE_MAX];

  if (oci_string_array (ctx, linux_obj, "linux", key, &list) < 0)
    return -1;
  oci_key_place (place, "linux", key);
  for (size_t i = 0; list != NULL && i < json_object_array_length (list); i++)
    if (reader (ctx, places, oci_index_place (elem, place, i), json_object_get_string (json_object_array_get_idx (list, i))) < 0)
      return -1;
  return 0;
}

int
oci_paths_read (struct oci_ctx *ctx, struct json_object *linux_obj, const struct oci_places *places)
{
  struct json_object *devices;
  char place[OCI_PLACE_MAX];

  if (oci_member (ctx, linux_obj, "linux", "devices", json_type_array, &devices) < 0)
    return -1;
  for (size_t i = 0; devices != NULL && i < json_object_array_length (devices); i++)
    if (read_device (ctx, json_object_array_get_idx (devices, i), oci_index_place (place, "linux.devices", i)) < 0)
      return -1;
  /* runc's order: read-only paths, then masks, then the root. */
  if (read_list (ctx, linux_obj, "readonlyPaths", places, readonly_path) < 0
      || read_list (ctx, linux_obj, "maskedPaths", places, mask_path) < 0)
    return -1;
  if (ctx->cfg->root_readonly)
    oci_add_op (ctx, OP_REMOUNT_RO, "/");
  return 0;
}
