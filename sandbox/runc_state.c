/* nestbox-runc's state directory (runc_state.h). */
#include "runc_state.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "runc_log.h"
#include "runc_process.h"
#include "util.h"

/* The runtime-spec version of the state nestbox-runc reports. */
#define RUNC_OCI_VERSION "1.0.2"

/* Whether this process runs in a user namespace other than the machine's
 * first one, whose uid_map is the identity over every uid. */
static bool
in_child_userns (void)
{
  FILE *map = fopen ("/proc/self/uid_map", "re");
  unsigned long inside, outside, count;
  bool child = true;

  if (map == NULL)
    return false;
  if (fscanf (map, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0 && outside == 0 && count == 4294967295UL)
    child = false;
  fclose (map);
  return child;
}

char *
runc_default_root (void)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  const char *user = getenv ("USER");

  /* Root of a user namespace made for a user (a rootless buildah or podman)
   * cannot write the machine's /run: such a caller's runtime directory is
   * used, as runc does, unless it says it is root. */
  if (getuid () == 0 && (xdg == NULL || xdg[0] != '/' || !in_child_userns () || (user != NULL && strcmp (user, "root") == 0)))
    return xstrdup ("/run/nestbox-runc");
  if (xdg == NULL || xdg[0] != '/')
    runc_fail ("no state directory: XDG_RUNTIME_DIR is not set; give one with --root DIR");
  return xasprintf ("%s/nestbox-runc", xdg);
}

void
runc_check_id (const char *id)
{
  size_t len = strlen (id);

  if (len == 0 || len > 1024 || id[0] == '.' || strspn (id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") != len)
    runc_fail ("invalid container id \"%.64s\": use letters, digits, '_', '+', '-' and '.' (not first), at most 1024 of them", id);
}

int
runc_open_root (const char *root, bool create)
{
  int fd;

  /* Only the last component is made: a missing parent is more likely a
   * typing error than a wish. */
  if (create && mkdir (root, 0700) < 0 && errno != EEXIST)
    runc_fail ("can't make the state directory %s: %s", root, strerror (errno));
  fd = RETRY_EINTR (open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  /* No state directory yet: no container either (runc_load says so). */
  if (fd < 0 && errno == ENOENT && !create)
    return -1;
  if (fd < 0)
    runc_fail ("can't open the state directory %s: %s", root, strerror (errno));
  return fd;
}

int
runc_make_container_dir (int root_fd, const char *id)
{
  int fd;

  /* mkdir is the lock: of two creates of one id, one gets EEXIST. */
  if (mkdirat (root_fd, id, 0700) < 0)
    {
      if (errno == EEXIST)
        runc_fail ("container \"%s\" already exists", id);
      runc_fail ("can't make the directory of container \"%s\": %s", id, strerror (errno));
    }
  fd = RETRY_EINTR (openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (fd < 0)
    runc_fail ("can't open the directory of container \"%s\": %s", id, strerror (errno));
  return fd;
}

int
runc_remove_container_dir (int root_fd, const char *id)
{
  int fd = RETRY_EINTR (openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  DIR *dir;
  struct dirent *e;

  if (fd < 0)
    return errno == ENOENT ? 0 : -errno;
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return -errno;
    }
  while ((e = readdir (dir)) != NULL)
    if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
      (void) unlinkat (fd, e->d_name, 0);
  closedir (dir);
  return unlinkat (root_fd, id, AT_REMOVEDIR) < 0 ? -errno : 0;
}

static char *
string_member (json_object *obj, const char *key)
{
  json_object *v;

  if (!json_object_object_get_ex (obj, key, &v) || !json_object_is_type (v, json_type_string))
    return xstrdup ("");
  return xstrdup (json_object_get_string (v));
}

static long long
number_member (json_object *obj, const char *key)
{
  json_object *v;

  return json_object_object_get_ex (obj, key, &v) ? json_object_get_int64 (v) : 0;
}

static void
state_from_json (json_object *obj, struct runc_container *c)
{
  json_object *annotations;

  c->pid = (pid_t) number_member (obj, "pid");
  c->pid_start = (unsigned long long) number_member (obj, "nestbox-pid-start");
  c->monitor_pid = (pid_t) number_member (obj, "nestbox-monitor-pid");
  c->monitor_start = (unsigned long long) number_member (obj, "nestbox-monitor-start");
  c->late_hooks = number_member (obj, "nestbox-late-hooks") != 0;
  c->bundle = string_member (obj, "bundle");
  c->rootfs = string_member (obj, "rootfs");
  c->created = string_member (obj, "created");
  c->owner = string_member (obj, "owner");
  if (json_object_object_get_ex (obj, "annotations", &annotations) && json_object_is_type (annotations, json_type_object))
    c->annotations = json_object_get (annotations);
}

int
runc_load (int root_fd, const char *id, struct runc_container *c, bool missing_ok)
{
  int dir_fd, state_fd;
  json_object *obj;

  memset (c, 0, sizeof *c);
  c->id = xstrdup (id);
  dir_fd = root_fd < 0 ? (errno = ENOENT, -1) : RETRY_EINTR (openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  /* missing_ok (list, delete --force): a stray file in --root is no
   * container either. */
  if (dir_fd < 0 && (errno == ENOENT || errno == ENOTDIR) && missing_ok)
    return -1;
  if (dir_fd < 0 && errno == ENOENT)
    runc_fail ("container \"%s\" does not exist", id);
  if (dir_fd < 0)
    runc_fail ("can't open the directory of container \"%s\": %s", id, strerror (errno));
  state_fd = RETRY_EINTR (openat (dir_fd, RUNC_STATE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (state_fd < 0)
    return dir_fd; /* being created: no state yet */
  obj = json_object_from_fd (state_fd);
  close (state_fd);
  if (obj == NULL)
    runc_fail ("container \"%s\": its %s cannot be read: %s", id, RUNC_STATE_FILE, json_util_get_last_err ());
  state_from_json (obj, c);
  json_object_put (obj);
  return dir_fd;
}

static json_object *
state_to_json (const struct runc_container *c)
{
  json_object *obj = runc_state_json (c, RUNC_CREATED);

  json_object_object_del (obj, "status");
  json_object_object_add (obj, "nestbox-pid-start", json_object_new_int64 ((int64_t) c->pid_start));
  json_object_object_add (obj, "nestbox-monitor-pid", json_object_new_int (c->monitor_pid));
  json_object_object_add (obj, "nestbox-monitor-start", json_object_new_int64 ((int64_t) c->monitor_start));
  json_object_object_add (obj, "nestbox-late-hooks", json_object_new_int (c->late_hooks));
  return obj;
}

int
runc_save (int dir_fd, const struct runc_container *c)
{
  json_object *obj = state_to_json (c);
  const char *text = json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  int fd, r = 0;

  /* Written aside and renamed: a reader sees the whole state or none. */
  fd = RETRY_EINTR (openat (dir_fd, RUNC_STATE_FILE ".new", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd < 0)
    r = -errno;
  else if ((r = write_all (fd, text, strlen (text))) == 0 && renameat (dir_fd, RUNC_STATE_FILE ".new", dir_fd, RUNC_STATE_FILE) < 0)
    r = -errno;
  if (fd >= 0)
    close (fd);
  json_object_put (obj);
  return r;
}

void
runc_container_free (struct runc_container *c)
{
  free (c->id);
  free (c->bundle);
  free (c->rootfs);
  free (c->created);
  free (c->owner);
  if (c->annotations)
    json_object_put (c->annotations);
  memset (c, 0, sizeof *c);
}

enum runc_status
runc_status_of (int dir_fd, const struct runc_container *c)
{
  struct stat st;

  if (c->pid <= 0)
    return RUNC_CREATING;
  if (fstatat (dir_fd, RUNC_EXIT_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0 || !runc_process_is (c->pid, c->pid_start))
    return RUNC_STOPPED;
  /* `start` removes the FIFO before it lets the container go on. */
  if (fstatat (dir_fd, RUNC_FIFO_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return RUNC_CREATED;
  return RUNC_RUNNING;
}

const char *
runc_status_name (enum runc_status status)
{
  switch (status)
    {
    case RUNC_CREATING: return "creating";
    case RUNC_CREATED: return "created";
    case RUNC_RUNNING: return "running";
    case RUNC_STOPPED: return "stopped";
    }
  return "unknown";
}

json_object *
runc_state_json (const struct runc_container *c, enum runc_status status)
{
  json_object *obj = json_object_new_object ();
  /* runc reports no pid for a container whose process is gone. */
  bool has_pid = status == RUNC_CREATED || status == RUNC_RUNNING;

  json_object_object_add (obj, "ociVersion", json_object_new_string (RUNC_OCI_VERSION));
  json_object_object_add (obj, "id", json_object_new_string (c->id));
  json_object_object_add (obj, "pid", json_object_new_int (has_pid || status == RUNC_CREATING ? c->pid : 0));
  json_object_object_add (obj, "status", json_object_new_string (runc_status_name (status)));
  json_object_object_add (obj, "bundle", json_object_new_string (c->bundle ? c->bundle : ""));
  json_object_object_add (obj, "rootfs", json_object_new_string (c->rootfs ? c->rootfs : ""));
  json_object_object_add (obj, "created", json_object_new_string (c->created ? c->created : ""));
  json_object_object_add (obj, "owner", json_object_new_string (c->owner ? c->owner : ""));
  json_object_object_add (obj, "annotations", c->annotations ? json_object_get (c->annotations) : json_object_new_object ());
  return obj;
}

int
runc_record_exit (int dir_fd, int exit_code)
{
  char text[16];
  int fd = RETRY_EINTR (openat (dir_fd, RUNC_EXIT_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  int r;

  if (fd < 0)
    return -errno;
  snprintf (text, sizeof text, "%d\n", exit_code);
  r = write_all (fd, text, strlen (text));
  close (fd);
  return r;
}
