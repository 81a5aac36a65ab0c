/* The filesystem operations of the plan, run in command-line order inside
 * the new mount namespace.  Each mount is built detached and attached to an
 * fd resolved inside the new root, so setup cost is linear in the number of
 * operations and no destination can lead outside the new root. */
#include "ops.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "dev.h"
#include "mountapi.h"
#include "mountpoints.h"
#include "proc.h"
#include "rootpath.h"
#include "selinux.h"
#include "util.h"

/* Canonical host path of an open fd, as the caller's root sees it. */
static char *
fd_host_path (int fd)
{
  char link[64], buf[4096];
  ssize_t n;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, buf, sizeof buf - 1);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return xstrdup (buf);
}

/* Resolve one host path; NULL (with errno) if it cannot be opened. */
static char *
resolve_host_path (const char *path)
{
  _cleanup_close_ int fd = RETRY_EINTR (open (path, O_PATH | O_CLOEXEC));

  if (fd < 0)
    return NULL;
  return fd_host_path (fd);
}

static char *
resolve_required (const char *path)
{
  char *r = resolve_host_path (path);

  if (r == NULL)
    die_errno (errno, "Can't find source path %s", path);
  return r;
}

/* A bind source as a host path; or, for what has no path (a namespace
 * file such as /proc/self/ns/user, which flatpak binds), the open fd it
 * is cloned from later.  Resolved here, in the sandbox's own namespaces,
 * so /proc/self means the sandbox, as with bwrap. */
static void
resolve_bind_source (struct op *op)
{
  int fd = RETRY_EINTR (open (op->source, O_PATH | O_CLOEXEC));

  if (fd < 0)
    {
      if (!(op->skip_missing && errno == ENOENT))
        die_errno (errno, "Can't find source path %s", op->source);
      return;
    }
  op->resolved_source = fd_host_path (fd);
  if (op->resolved_source != NULL && op->resolved_source[0] == '/')
    {
      close (fd);
      return;
    }
  free (op->resolved_source);
  op->resolved_source = xstrdup (op->source);
  op->fd = fd;
}

void
setup_resolve_sources (struct plan *plan)
{
  for (size_t i = 0; i < plan->n_ops; i++)
    {
      struct op *op = &plan->ops[i];

      if (op->type == OP_BIND)
        resolve_bind_source (op);
      else if (op->type == OP_BIND_FD)
        {
          op->resolved_source = fd_host_path (op->fd);
          if (op->resolved_source == NULL)
            die_errno (errno, "Can't use fd %d for --bind-fd", op->fd);
        }
      else if (op->type == OP_OVERLAY)
        {
          for (size_t k = 0; k < op->n_overlay_sources; k++)
            op->overlay_sources[k] = resolve_required (op->overlay_sources[k]);
          if (op->overlay == OVERLAY_RW)
            {
              op->source = resolve_required (op->source);
              op->workdir = resolve_required (op->workdir);
            }
        }
    }
}

/* After something is mounted on the new root itself, its fd must point at
 * the new topmost mount. */
static void
refresh_root_fd (struct setup_ctx *ctx, const char *dest)
{
  const char *p = dest;
  int fd;

  while (*p == '/')
    p++;
  if (*p != '\0' && strcmp (p, ".") != 0)
    return;
  fd = RETRY_EINTR (open (NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (fd < 0)
    die_errno (errno, "Can't open the new root");
  close (ctx->root_fd);
  ctx->root_fd = fd;
}

/* Attach a detached mount at dest, creating the mount point. */
static void
attach_at (struct setup_ctx *ctx, const struct op *op, int mnt_fd, bool dir)
{
  _cleanup_close_ int dest_fd = -1;
  int r = setup_mount_point (ctx, op->dest, dir, -1, &dest_fd);

  if (r < 0)
    setup_die (op, -r, "create mount point");
  r = mnt_attach (mnt_fd, dest_fd);
  if (r < 0)
    setup_die (op, -r, NULL);
  refresh_root_fd (ctx, op->dest);
}

static uint64_t
bind_attrs (const struct op *op)
{
  return MOUNT_ATTR_NOSUID | (op->allow_devices ? 0 : MOUNT_ATTR_NODEV)
         | (op->readonly ? MOUNT_ATTR_RDONLY : 0);
}

static void
do_bind (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_free_ char *src = NULL;
  _cleanup_close_ int tree = -1;
  struct stat st;
  int r;

  if (op->resolved_source == NULL)
    return; /* a -try form whose source is missing */
  src = setup_host_path (op->resolved_source);
  if (op->type == OP_BIND && op->fd >= 0)
    r = mnt_clone_tree (op->fd, "", false, &tree);
  else
    r = mnt_clone_tree (AT_FDCWD, src, false, &tree);
  if (r < 0)
    die_errno (-r, "Can't bind mount %s on %s", op->source ? op->source : src, op->dest);
  r = mnt_set_attr (tree, bind_attrs (op), true);
  if (r < 0)
    setup_die (op, -r, "set mount flags");
  if (fstat (tree, &st) < 0)
    setup_die (op, errno, "stat bind source");
  attach_at (ctx, op, tree, S_ISDIR (st.st_mode));

  /* --bind-fd promises the mount is exactly the object the fd names. */
  if (op->type == OP_BIND_FD)
    {
      struct stat want, got;
      _cleanup_close_ int check = -1;

      if (fstat (op->fd, &want) < 0 || rootpath_open (ctx->root_fd, op->dest, O_PATH, &check) < 0
          || fstat (check, &got) < 0 || want.st_dev != got.st_dev || want.st_ino != got.st_ino)
        die ("Can't bind fd %d on %s: the mounted object is not the one the fd refers to", op->fd, op->dest);
      close (op->fd);
    }
}

static void
do_tmpfs (struct setup_ctx *ctx, const struct op *op)
{
  char mode[16], size[32];
  const char *opts[8];
  size_t n = 0;
  _cleanup_close_ int mnt = -1;
  int r;

  snprintf (mode, sizeof mode, "0%o", op->perms >= 0 ? (unsigned) op->perms : 0755u);
  opts[n++] = "mode";
  opts[n++] = mode;
  if (op->size)
    {
      snprintf (size, sizeof size, "%llu", (unsigned long long) op->size);
      opts[n++] = "size";
      opts[n++] = size;
    }
  if (selinux_mount_label (ctx->plan->file_label))
    {
      opts[n++] = "context";
      opts[n++] = ctx->plan->file_label;
    }
  opts[n] = NULL;
  r = mnt_new_fs ("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, &mnt);
  if (r < 0)
    setup_die (op, -r, NULL);
  attach_at (ctx, op, mnt, true);
}

static void
do_mqueue (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_close_ int mnt = -1;
  int r = mnt_new_fs ("mqueue", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &mnt);

  if (r < 0)
    setup_die (op, -r, NULL);
  attach_at (ctx, op, mnt, true);
}

static void
do_remount_ro (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_close_ int fd = -1;
  int r = rootpath_open (ctx->root_fd, op->dest, O_PATH, &fd);

  if (r == 0)
    r = mnt_set_attr_at (fd, MOUNT_ATTR_RDONLY, false);
  if (r < 0)
    setup_die (op, -r, NULL);
}

/* The directory that will hold op's destination (made as needed, with
 * --perms), and the destination's last name in *name; dies on error. */
static int
open_dest_parent (struct setup_ctx *ctx, const struct op *op, char **name_buf, const char **name)
{
  int dir_fd = -1;
  int r = rootpath_create_parent (ctx->root_fd, op->dest, op->perms, &dir_fd, name_buf, name);

  if (r < 0)
    setup_die (op, -r, NULL);
  return dir_fd;
}

static void
do_dir (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_free_ char *name_buf = NULL;
  const char *name;
  _cleanup_close_ int dir_fd = open_dest_parent (ctx, op, &name_buf, &name), check = -1;
  mode_t mode = op->perms >= 0 ? (mode_t) op->perms : 0755;
  int r;
  if (mkdirat (dir_fd, name, mode) == 0)
    {
      /* mkdir ignores the setgid bit: set the mode exactly. */
      if ((mode & 07000) && fchmodat (dir_fd, name, mode, 0) < 0)
        setup_die (op, errno, "chmod");
      return;
    }
  if (errno != EEXIST)
    setup_die (op, errno, NULL);
  /* An existing directory (or a symlink to one) keeps its mode. */
  r = rootpath_open (ctx->root_fd, op->dest, O_PATH | O_DIRECTORY, &check);
  if (r < 0)
    setup_die (op, -r, NULL);
}

static int
copy_fd (int from, int to)
{
  char buf[65536];

  for (;;)
    {
      ssize_t n = read (from, buf, sizeof buf);
      int r;

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (n == 0)
        return 0;
      r = write_all (to, buf, (size_t) n);
      if (r < 0)
        return r;
    }
}

static bool
is_regular_file (int fd)
{
  struct stat st;

  return fstat (fd, &st) == 0 && S_ISREG (st.st_mode);
}

static void
do_file (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_free_ char *name_buf = NULL;
  const char *name;
  _cleanup_close_ int dir_fd = open_dest_parent (ctx, op, &name_buf, &name), fd = -1;
  mode_t mode = op->perms >= 0 ? (mode_t) op->perms : 0666;
  int r;
  /* The destination may have been planted by the command of an earlier
   * run: a FIFO would block this open forever (O_NONBLOCK: no reader gives
   * ENXIO), a device would take the data.  Only a regular file is
   * written, and only once it is known to be one is it truncated. */
  fd = openat (dir_fd, name, O_CREAT | O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
  if (fd < 0 && errno != ENXIO)
    setup_die (op, errno, NULL);
  if (fd < 0 || !is_regular_file (fd))
    die ("Can't create file at %s: something other than a regular file is there", op->dest);
  if (ftruncate (fd, 0) < 0)
    setup_die (op, errno, "truncate");
  if (fchmod (fd, mode) < 0)
    setup_die (op, errno, "chmod");
  r = copy_fd (op->fd, fd);
  if (r < 0)
    setup_die (op, -r, "write data to file");
  close (op->fd);
}

static void
do_bind_data (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_free_ char *hidden = xasprintf ("/.nestbox-data-%u", ctx->serial++);
  _cleanup_close_ int fd = -1, tree = -1;
  mode_t mode = op->perms >= 0 ? (mode_t) op->perms : 0600;
  int r;

  /* The data lives in the staging tmpfs, which nothing can reach once the
   * root has changed: only the bind mount shows it. */
  fd = open (hidden, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0 || fchmod (fd, mode) < 0)
    setup_die (op, errno, "create temporary file");
  r = copy_fd (op->fd, fd);
  if (r < 0)
    setup_die (op, -r, "write data to file");
  close (op->fd);
  r = mnt_clone_tree (AT_FDCWD, hidden, false, &tree);
  if (r == 0)
    r = mnt_set_attr (tree, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (op->readonly ? MOUNT_ATTR_RDONLY : 0), true);
  if (r < 0)
    setup_die (op, -r, NULL);
  attach_at (ctx, op, tree, false);
}

static void
do_symlink (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_close_ int dir_fd = -1;
  _cleanup_free_ char *name_buf = NULL;
  const char *name;
  char existing[4096];
  ssize_t n;
  int r = rootpath_create_parent (ctx->root_fd, op->dest, -1, &dir_fd, &name_buf, &name);

  if (r < 0)
    die_errno (-r, "Can't make symlink at %s", op->dest);
  if (symlinkat (op->source, dir_fd, name) == 0)
    return;
  if (errno != EEXIST)
    die_errno (errno, "Can't make symlink at %s", op->dest);
  /* Idempotent when the same link is already there (bwrap >= 0.9). */
  n = readlinkat (dir_fd, name, existing, sizeof existing - 1);
  if (n < 0)
    {
      if (errno == EINVAL)
        die ("Can't make symlink at %s: destination exists and is not a symlink", op->dest);
      die_errno (errno, "Can't make symlink at %s: destination exists, and cannot read symlink target", op->dest);
    }
  existing[n] = '\0';
  if (strcmp (existing, op->source) != 0)
    die ("Can't make symlink at %s: existing destination is %s", op->dest, existing);
}

static void
do_chmod (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_close_ int fd = -1;
  char path[64];
  int r = rootpath_open (ctx->root_fd, op->dest, O_PATH, &fd);

  if (r < 0)
    die_errno (-r, "Can't chmod %#o %s", (unsigned) op->perms, op->dest);
  /* An O_PATH fd cannot be fchmod'ed; its /proc/self/fd link can. */
  snprintf (path, sizeof path, "self/fd/%d", fd);
  if (fchmodat (ctx->proc_fd, path, (mode_t) op->perms, 0) < 0)
    die_errno (errno, "Can't chmod %#o %s", (unsigned) op->perms, op->dest);
}

/* A growing string for overlayfs's option data. */
struct strbuf
{
  char *s;
  size_t len, cap;
};

static void
sb_add_char (struct strbuf *sb, char c)
{
  if (sb->len + 2 > sb->cap)
    {
      sb->cap = sb->cap * 2 + 64;
      sb->s = xreallocarray (sb->s, sb->cap, 1);
    }
  sb->s[sb->len++] = c;
  sb->s[sb->len] = '\0';
}

static void
sb_add (struct strbuf *sb, const char *str)
{
  for (; *str; str++)
    sb_add_char (sb, *str);
}

/* overlayfs splits its options on ',' and its layers on ':'; a backslash
 * escapes either (and itself). */
static void
sb_add_escaped (struct strbuf *sb, const char *str)
{
  for (; *str; str++)
    {
      if (*str == '\\' || *str == ',' || *str == ':')
        sb_add_char (sb, '\\');
      sb_add_char (sb, *str);
    }
}

static void
sb_add_path (struct strbuf *sb, const char *key, const char *path, bool host)
{
  _cleanup_free_ char *p = host ? setup_host_path (path) : xstrdup (path);

  if (sb->len > 0)
    sb_add_char (sb, ',');
  sb_add (sb, key);
  sb_add_escaped (sb, p);
}

static void
do_overlay (struct setup_ctx *ctx, const struct op *op)
{
  struct strbuf sb = { NULL, 0, 0 };
  _cleanup_close_ int dest_fd = -1;
  unsigned long flags = MS_NOSUID | MS_NODEV;
  char target[64];
  int r;

  sb_add (&sb, "lowerdir=");
  /* lowerdir lists the top layer first; the first --overlay-src is the bottom. */
  for (size_t i = op->n_overlay_sources; i-- > 0;)
    {
      _cleanup_free_ char *p = setup_host_path (op->overlay_sources[i]);

      if (i != op->n_overlay_sources - 1)
        sb_add_char (&sb, ':');
      sb_add_escaped (&sb, p);
    }
  if (op->overlay == OVERLAY_RW)
    {
      sb_add_path (&sb, "upperdir=", op->source, true);
      sb_add_path (&sb, "workdir=", op->workdir, true);
    }
  else if (op->overlay == OVERLAY_TMP)
    {
      /* Upper and work dirs in the staging tmpfs: gone with the sandbox. */
      unsigned id = ctx->serial++;
      _cleanup_free_ char *upper = xasprintf ("/.nestbox-overlay-%u-upper", id);
      _cleanup_free_ char *work = xasprintf ("/.nestbox-overlay-%u-work", id);

      if (mkdir (upper, 0755) < 0 || mkdir (work, 0755) < 0)
        setup_die (op, errno, "create overlay upper directory");
      sb_add_path (&sb, "upperdir=", upper, false);
      sb_add_path (&sb, "workdir=", work, false);
    }
  else
    flags |= MS_RDONLY;
  /* In a user namespace overlayfs must keep its metadata in user.* xattrs. */
  if (ctx->own_userns && op->overlay != OVERLAY_RO)
    sb_add (&sb, ",userxattr");

  r = setup_mount_point (ctx, op->dest, true, -1, &dest_fd);
  if (r < 0)
    setup_die (op, -r, "create mount point");
  /* overlayfs is mounted with mount(2): its option parser handles the
   * escapes the same way on every kernel. */
  snprintf (target, sizeof target, OLDROOT "/proc/self/fd/%d", dest_fd);
  if (mount ("overlay", target, "overlay", flags, sb.s) < 0)
    die_errno (errno, "Can't make overlay mount on %s with options %s", op->dest, sb.s);
  free (sb.s);
  refresh_root_fd (ctx, op->dest);
}

void
setup_run_ops (struct setup_ctx *ctx)
{
  for (size_t i = 0; i < ctx->plan->n_ops; i++)
    {
      const struct op *op = &ctx->plan->ops[i];

      switch (op->type)
        {
        case OP_BIND:
        case OP_BIND_FD: do_bind (ctx, op); break;
        case OP_REMOUNT_RO: do_remount_ro (ctx, op); break;
        case OP_PROC: setup_proc (ctx, op); break;
        case OP_DEV: setup_dev (ctx, op); break;
        case OP_TMPFS: do_tmpfs (ctx, op); break;
        case OP_MQUEUE: do_mqueue (ctx, op); break;
        case OP_DIR: do_dir (ctx, op); break;
        case OP_FILE: do_file (ctx, op); break;
        case OP_BIND_DATA: do_bind_data (ctx, op); break;
        case OP_SYMLINK: do_symlink (ctx, op); break;
        case OP_CHMOD: do_chmod (ctx, op); break;
        case OP_OVERLAY: do_overlay (ctx, op); break;
        case OP_MASK: setup_mask (ctx, op->dest, true); break;
        default: die ("Unexpected operation %d", (int) op->type);
        }
    }
}
