/* config.json's root and mounts into the plan's ops (oci_mounts.h).
 *
 * The first op binds root.path on "/" (as --bind ROOT /); the mounts
 * follow in their order; then oci_paths.c adds the devices, the
 * read-only and masked paths and, for root.readonly, makes the root
 * read-only last, as runc does once the mounts are made.
 *
 * Mount types:
 *   bind, rbind   (type "bind", "none" or none with a bind or rbind
 *                 option): --bind; nestbox's binds are always recursive,
 *                 so "bind" shows the sub-mounts of the source too
 *   tmpfs         --tmpfs with size= and mode= (the kernel's default mode
 *                 1777 when none is given); on /dev: --dev, nestbox's own
 *                 /dev (null, zero, full, random, urandom, tty, a pts of
 *                 its own), whose size= and mode= are not used
 *   proc          --proc, re-masked by the plan's proc policy
 *   sysfs         a read-only bind of the host's /sys, as rootless
 *                 runtimes do (a fresh sysfs needs a network namespace
 *                 owned by the mounter, and shows host devices anyway)
 *   devpts        the pts that --dev makes (newinstance, ptmxmode=0666,
 *                 mode=0620): accepted on the /dev/pts of a tmpfs /dev
 *   mqueue        --mqueue
 *   cgroup, cgroup2  a read-only bind of the host's /sys/fs/cgroup
 *
 * Options: ro and rw; nosuid, nodev (every mount of nestbox is nosuid and
 * nodev, but for device binds); dev on a bind (the devices under it can
 * be opened, as --dev-bind); noexec is not applied (nestbox's binds and
 * tmpfs stay executable), which a warning says; proc and mqueue are
 * always noexec.  atime options are ignored (the kernel's relatime
 * stays).  Propagation: private, rprivate, slave, rslave, unbindable,
 * runbindable are accepted and every mount stays private (nothing made on
 * the host later reaches the container); shared and rshared are refused.
 * Anything else is refused by name. */
#include "oci_mounts.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "oci_paths.h"
#include "util.h"

struct mount_req
{
  const char *place;
  const char *type, *source, *dest;
  bool ro, bind, dev, noexec, has_mode;
  int mode;
  uint64_t size;
};

static void
add_place (struct oci_places *places, const char *dest, const char *host, bool readonly, ssize_t op)
{
  struct oci_placed *p = oci_append (&places->list, &places->n, sizeof *p);

  *p = (struct oci_placed){ dest, host, readonly, false, op };
}

/* root.path (absolute, or relative to the bundle) bound on "/". */
static int
read_root (struct oci_ctx *ctx, struct json_object *root, struct oci_places *places)
{
  struct json_object *obj;
  const char *path;
  char resolved[PATH_MAX];
  _cleanup_free_ char *joined = NULL;
  struct op *op;

  if (oci_member (ctx, root, "", "root", json_type_object, &obj) < 0 || oci_string (ctx, obj, "root", "path", &path) < 0
      || oci_bool (ctx, obj, "root", "readonly", &ctx->cfg->root_readonly) < 0)
    return -1;
  if (path == NULL || *path == '\0')
    return oci_fail (ctx, "root.path", "missing");
  joined = path[0] == '/' ? xstrdup (path) : xasprintf ("%s/%s", ctx->cfg->bundle, path);
  if (realpath (joined, resolved) == NULL)
    return oci_fail (ctx, "root.path", "%s: %s", joined, strerror (errno));
  ctx->cfg->root_path = xstrdup (resolved);
  op = oci_add_op (ctx, OP_BIND, "/");
  op->source = oci_own (ctx, resolved);
  add_place (places, "/", op->source, false, 0);
  return 0;
}

/* A size as tmpfs takes it: bytes with an optional k, m, g or t; at most
 * half the address space, as --size. */
static bool
parse_tmpfs_size (const char *s, uint64_t *out)
{
  static const char units[] = "kmgt";
  char digits[32];
  size_t len = strlen (s);
  unsigned shift = 0;
  const char *unit;
  uint64_t v;

  if (len == 0 || len >= sizeof digits)
    return false;
  memcpy (digits, s, len + 1);
  unit = memchr (units, tolower ((unsigned char) digits[len - 1]), sizeof units - 1);
  if (unit != NULL)
    {
      shift = 10 * (unsigned) (unit - units + 1);
      digits[--len] = '\0';
    }
  if (!parse_uint64 (digits, 10, &v) || v > ((uint64_t) SIZE_MAX >> 1) >> shift)
    return false;
  *out = v << shift;
  return true;
}

/* An option that takes a value: mode= and size= (tmpfs), and devpts's. */
static int
valued_option (struct oci_ctx *ctx, const char *place, const char *opt, struct mount_req *m)
{
  static const char *const devpts_options[] = { "ptmxmode=", "mode=", "gid=", "uid=" };
  uint64_t v;

  if (strcmp (m->type, "devpts") == 0)
    {
      for (size_t i = 0; i < N_ELEMENTS (devpts_options); i++)
        if (strncmp (opt, devpts_options[i], strlen (devpts_options[i])) == 0)
          return 0;
    }
  else if (strcmp (m->type, "tmpfs") == 0 && strncmp (opt, "mode=", 5) == 0)
    {
      if (!parse_uint64 (opt + 5, 8, &v) || v > 07777)
        return oci_fail (ctx, place, "\"%s\": an octal mode is expected", opt);
      m->mode = (int) v;
      m->has_mode = true;
      return 0;
    }
  else if (strcmp (m->type, "tmpfs") == 0 && strncmp (opt, "size=", 5) == 0)
    {
      if (!parse_tmpfs_size (opt + 5, &m->size))
        return oci_fail (ctx, place, "\"%s\": a size in bytes, with k, m, g or t, is expected", opt);
      return 0;
    }
  return oci_fail (ctx, place, "unsupported option \"%s\" for a %s mount", opt, m->type);
}

static bool
in_list (const char *const *list, size_t n, const char *s)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (list[i], s) == 0)
      return true;
  return false;
}

static int
mount_option (struct oci_ctx *ctx, const char *place, const char *opt, struct mount_req *m)
{
  static const char *const ignored[] = { "nosuid", "nodev", "exec", "newinstance", "atime", "noatime", "relatime",
                                         "norelatime", "strictatime", "nostrictatime", "diratime", "nodiratime",
                                         "lazytime", "nolazytime", "private", "rprivate", "slave", "rslave",
                                         "unbindable", "runbindable" };

  if (in_list (ignored, N_ELEMENTS (ignored), opt))
    return 0;
  if (strcmp (opt, "ro") == 0 || strcmp (opt, "rw") == 0)
    m->ro = opt[1] == 'o';
  else if (strcmp (opt, "bind") == 0 || strcmp (opt, "rbind") == 0)
    m->bind = true;
  else if (strcmp (opt, "noexec") == 0)
    m->noexec = true;
  else if (strcmp (opt, "dev") == 0)
    m->dev = true;
  else if (strcmp (opt, "suid") == 0)
    return oci_fail (ctx, place, "\"suid\" is not supported: nestbox mounts everything nosuid");
  else if (strcmp (opt, "shared") == 0 || strcmp (opt, "rshared") == 0)
    return oci_fail (ctx, place, "\"%s\" is not supported: nestbox-runc's mounts are private", opt);
  else if (strchr (opt, '=') != NULL)
    return valued_option (ctx, place, opt, m);
  else
    return oci_fail (ctx, place, "unsupported option \"%s\"", opt);
  return 0;
}

static int
read_options (struct oci_ctx *ctx, struct json_object *mount, const char *place, struct mount_req *m)
{
  struct json_object *opts;
  char sub[OCI_PLACE_MAX], elem[OCI_PLACE_MAX];

  if (oci_string_array (ctx, mount, place, "options", &opts) < 0)
    return -1;
  oci_key_place (sub, place, "options");
  for (size_t i = 0; opts != NULL && i < json_object_array_length (opts); i++)
    if (mount_option (ctx, oci_index_place (elem, sub, i), json_object_get_string (json_object_array_get_idx (opts, i)), m) < 0)
      return -1;
  if (m->dev && !m->bind)
    return oci_fail (ctx, sub, "\"dev\" is supported on bind mounts only");
  return 0;
}

static void
warn_noexec (const struct mount_req *m)
{
  char sub[OCI_PLACE_MAX];

  oci_warn (oci_key_place (sub, m->place, "options"), "noexec is not applied: nestbox's %s mounts stay executable (%s)",
            m->bind ? "bind" : "tmpfs", m->dest);
}

static int
add_bind (struct oci_ctx *ctx, struct mount_req *m, struct oci_places *places)
{
  const char *source = m->source;
  char sub[OCI_PLACE_MAX];
  struct stat st;
  struct op *op;

  if (source == NULL || *source == '\0')
    return oci_fail (ctx, oci_key_place (sub, m->place, "source"), "a bind mount needs a source");
  /* runc: a relative source is relative to the bundle. */
  if (source[0] != '/')
    source = oci_own_printf (ctx, "%s/%s", ctx->cfg->bundle, source);
  if (stat (source, &st) < 0)
    return oci_fail (ctx, oci_key_place (sub, m->place, "source"), "%s: %s", source, strerror (errno));
  if (m->noexec)
    warn_noexec (m);
  op = oci_add_op (ctx, OP_BIND, m->dest);
  op->source = source;
  op->readonly = m->ro;
  op->allow_devices = m->dev;
  add_place (places, m->dest, source, m->ro, (ssize_t) ctx->plan->n_ops - 1);
  return 0;
}

/* A read-only bind of a host directory (sysfs, cgroup). */
static void
add_host_bind (struct oci_ctx *ctx, const struct mount_req *m, const char *host, struct oci_places *places)
{
  struct op *op = oci_add_op (ctx, OP_BIND, m->dest);

  op->source = host;
  op->readonly = true;
  add_place (places, m->dest, host, true, (ssize_t) ctx->plan->n_ops - 1);
}

static void
add_tmpfs (struct oci_ctx *ctx, const struct mount_req *m, struct oci_places *places)
{
  struct op *op;

  if (strcmp (m->dest, "/dev") == 0)
    {
      oci_add_op (ctx, OP_DEV, m->dest);
      add_place (places, m->dest, NULL, false, (ssize_t) ctx->plan->n_ops - 1);
      return;
    }
  if (m->noexec)
    warn_noexec (m);
  op = oci_add_op (ctx, OP_TMPFS, m->dest);
  op->perms = m->has_mode ? m->mode : 01777;
  op->size = m->size;
  add_place (places, m->dest, NULL, m->ro, (ssize_t) ctx->plan->n_ops - 1);
  /* A mount point of its own: --remount-ro makes exactly it read-only. */
  if (m->ro)
    oci_add_op (ctx, OP_REMOUNT_RO, m->dest);
}

/* devpts: what --dev already made, when a tmpfs /dev holds it. */
static int
check_devpts (struct oci_ctx *ctx, const struct mount_req *m)
{
  for (size_t i = 0; i < ctx->plan->n_ops; i++)
    if (ctx->plan->ops[i].type == OP_DEV && strcmp (m->dest, "/dev/pts") == 0 && strcmp (ctx->plan->ops[i].dest, "/dev") == 0)
      return 0;
  return oci_fail (ctx, m->place, "a devpts mount is supported only on /dev/pts, after a tmpfs on /dev (nestbox's /dev brings its own pts)");
}

static int
add_mount (struct oci_ctx *ctx, struct mount_req *m, struct oci_places *places)
{
  const char *type = m->type;
  char sub[OCI_PLACE_MAX];

  if (m->bind || strcmp (type, "bind") == 0)
    return add_bind (ctx, m, places);
  if (strcmp (type, "tmpfs") == 0)
    add_tmpfs (ctx, m, places);
  else if (strcmp (type, "proc") == 0)
    {
      oci_add_op (ctx, OP_PROC, m->dest);
      add_place (places, m->dest, "/proc", false, (ssize_t) ctx->plan->n_ops - 1);
      places->list[places->n - 1].proc = true;
    }
  else if (strcmp (type, "sysfs") == 0)
    add_host_bind (ctx, m, "/sys", places);
  else if (strcmp (type, "cgroup") == 0 || strcmp (type, "cgroup2") == 0)
    add_host_bind (ctx, m, "/sys/fs/cgroup", places);
  else if (strcmp (type, "mqueue") == 0)
    {
      oci_add_op (ctx, OP_MQUEUE, m->dest);
      add_place (places, m->dest, NULL, false, (ssize_t) ctx->plan->n_ops - 1);
    }
  else if (strcmp (type, "devpts") == 0)
    return check_devpts (ctx, m);
  else
    return oci_fail (ctx, oci_key_place (sub, m->place, "type"), "unknown or unsupported mount type \"%s\"", type);
  return 0;
}

static int
read_mount (struct oci_ctx *ctx, struct json_object *mount, const char *place, struct oci_places *places)
{
  struct mount_req m = { .place = place };
  char sub[OCI_PLACE_MAX];

  if (!json_object_is_type (mount, json_type_object))
    return oci_fail (ctx, place, "must be an object");
  if (oci_string (ctx, mount, place, "destination", &m.dest) < 0 || oci_string (ctx, mount, place, "type", &m.type) < 0
      || oci_string (ctx, mount, place, "source", &m.source) < 0)
    return -1;
  if (oci_has (mount, "uidMappings") || oci_has (mount, "gidMappings"))
    return oci_fail (ctx, oci_key_place (sub, place, oci_has (mount, "uidMappings") ? "uidMappings" : "gidMappings"),
                     "id-mapped mounts are not supported by nestbox-runc");
  if (m.dest == NULL || m.dest[0] != '/')
    return oci_fail (ctx, oci_key_place (sub, place, "destination"), "an absolute path is required");
  if (m.type == NULL || strcmp (m.type, "none") == 0)
    m.type = "";
  if (read_options (ctx, mount, place, &m) < 0)
    return -1;
  if (m.type[0] == '\0' && !m.bind)
    return oci_fail (ctx, oci_key_place (sub, place, "type"), "missing, and the options do not say bind or rbind");
  return add_mount (ctx, &m, places);
}

int
oci_mounts_read (struct oci_ctx *ctx, struct json_object *root, struct json_object *linux_obj)
{
  struct oci_places places = { NULL, 0 };
  struct json_object *mounts;
  char place[OCI_PLACE_MAX];
  int r = -1;

  if (read_root (ctx, root, &places) < 0 || oci_member (ctx, root, "", "mounts", json_type_array, &mounts) < 0)
    goto out;
  for (size_t i = 0; mounts != NULL && i < json_object_array_length (mounts); i++)
    if (read_mount (ctx, json_object_array_get_idx (mounts, i), oci_index_place (place, "mounts", i), &places) < 0)
      goto out;
  r = oci_paths_read (ctx, linux_obj, &places);
out:
  free (places.list);
  return r;
}
