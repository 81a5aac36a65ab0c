/* linux.namespaces, the id mappings, hostname, domainname and the rest of
 * "linux" (oci_linux.h).
 *
 * Namespaces: each type asks for a new one, as the launcher's --unshare-*
 * options; a "path" joins one, which the plan can do for the user
 * namespace (--userns) and the pid namespace (--pidns).  Joining any other
 * is refused by name: the core has no setns for them yet.  nestbox always
 * makes a mount namespace, so the list must ask for one.
 *
 * Ignored on purpose: linux.cgroupsPath (the sandbox's cgroup is always
 * made below nestbox's own, cgroup.c); rootfsPropagation private,
 * rprivate, slave, rslave, unbindable and runbindable (the new root is
 * built from mounts made detached, which are private: no mount made on
 * the host later reaches the container, and none of the container's
 * reaches the host).  shared and rshared, which need the second, are
 * refused. */
#include "oci_linux.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "seccomp_profile.h"
#include "util.h"

enum ns_kind
{
  NS_PID,
  NS_NETWORK,
  NS_MOUNT,
  NS_IPC,
  NS_UTS,
  NS_USER,
  NS_CGROUP,
  NS_TIME,
  N_NS_KINDS
};

static const struct
{
  const char *name;
  int clone_flag;
} ns_kinds[N_NS_KINDS] = {
  [NS_PID] = { "pid", CLONE_NEWPID },
  [NS_NETWORK] = { "network", CLONE_NEWNET },
  [NS_MOUNT] = { "mount", CLONE_NEWNS },
  [NS_IPC] = { "ipc", CLONE_NEWIPC },
  [NS_UTS] = { "uts", CLONE_NEWUTS },
  [NS_USER] = { "user", CLONE_NEWUSER },
  [NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
  [NS_TIME] = { "time", CLONE_NEWTIME },
};

/* The namespace file at path, checked to be one of kind. */
static int
open_namespace (struct oci_ctx *ctx, const char *place, const char *path, enum ns_kind kind, int *out)
{
  int fd = RETRY_EINTR (open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  int type;

  if (fd < 0)
    return oci_fail (ctx, place, "cannot open %s: %s", path, strerror (errno));
  type = ioctl (fd, NS_GET_NSTYPE);
  if (type != ns_kinds[kind].clone_flag)
    {
      close (fd);
      return oci_fail (ctx, place, "%s is not a %s namespace", path, ns_kinds[kind].name);
    }
  *out = fd;
  return 0;
}

/* Join the namespace at path (only user and pid: the others have no
 * plan field yet). */
static int
join_namespace (struct oci_ctx *ctx, const char *place, enum ns_kind kind, const char *path)
{
  char sub[OCI_PLACE_MAX];

  oci_key_place (sub, place, "path");
  if (kind == NS_USER)
    return open_namespace (ctx, sub, path, kind, &ctx->plan->userns_fd);
  if (kind == NS_PID)
    return open_namespace (ctx, sub, path, kind, &ctx->plan->pidns_fd);
  return oci_fail (ctx, sub, "joining an existing %s namespace is not supported by nestbox-runc (only user and pid)",
                   ns_kinds[kind].name);
}

static void
new_namespace (struct plan *plan, enum ns_kind kind)
{
  switch (kind)
    {
    case NS_PID: plan->unshare_pid = true; break;
    case NS_NETWORK: plan->unshare_net = true; break;
    case NS_IPC: plan->unshare_ipc = true; break;
    case NS_UTS: plan->unshare_uts = true; break;
    case NS_USER: plan->unshare_user = true; break;
    case NS_CGROUP: plan->unshare_cgroup = true; break;
    case NS_MOUNT:
    case NS_TIME:
    case N_NS_KINDS:
      break;
    }
}

static int
read_namespace (struct oci_ctx *ctx, struct json_object *ns, const char *place, bool seen[N_NS_KINDS])
{
  const char *type, *path;
  char sub[OCI_PLACE_MAX];
  int kind;

  if (!json_object_is_type (ns, json_type_object))
    return oci_fail (ctx, place, "must be an object");
  if (oci_string (ctx, ns, place, "type", &type) < 0 || oci_string (ctx, ns, place, "path", &path) < 0)
    return -1;
  oci_key_place (sub, place, "type");
  if (type == NULL)
    return oci_fail (ctx, sub, "missing");
  for (kind = 0; kind < N_NS_KINDS && strcmp (ns_kinds[kind].name, type) != 0; kind++)
    ;
  if (kind == N_NS_KINDS)
    return oci_fail (ctx, sub, "unknown namespace \"%s\"", type);
  if (kind == NS_TIME)
    return oci_fail (ctx, sub, "time namespaces are not supported by nestbox-runc");
  if (seen[kind])
    return oci_fail (ctx, sub, "the %s namespace is given twice", type);
  seen[kind] = true;
  if (path != NULL && *path)
    return join_namespace (ctx, place, (enum ns_kind) kind, path);
  new_namespace (ctx->plan, (enum ns_kind) kind);
  return 0;
}

/* linux.uidMappings or gidMappings into the plan's ranges. */
static int
read_mappings (struct oci_ctx *ctx, struct json_object *linux_obj, const char *key, struct id_range **ranges,
               size_t *n)
{
  struct json_object *list;
  char place[OCI_PLACE_MAX], elem[OCI_PLACE_MAX];

  if (oci_member (ctx, linux_obj, "linux", key, json_type_array, &list) < 0)
    return -1;
  oci_key_place (place, "linux", key);
  for (size_t i = 0; list != NULL && i < json_object_array_length (list); i++)
    {
      struct json_object *m = json_object_array_get_idx (list, i);
      uint64_t v[3] = { 0, 0, 0 };
      bool given[3];
      struct id_range *r;

      oci_index_place (elem, place, i);
      if (!json_object_is_type (m, json_type_object))
        return oci_fail (ctx, elem, "must be an object");
      if (oci_uint64 (ctx, m, elem, "containerID", UINT32_MAX, &given[0], &v[0]) < 0
          || oci_uint64 (ctx, m, elem, "hostID", UINT32_MAX, &given[1], &v[1]) < 0
          || oci_uint64 (ctx, m, elem, "size", UINT32_MAX, &given[2], &v[2]) < 0)
        return -1;
      if (!given[0] || !given[1] || !given[2])
        return oci_fail (ctx, elem, "containerID, hostID and size are all required");
      if (v[2] == 0 || v[0] + v[2] > UINT32_MAX || v[1] + v[2] > UINT32_MAX)
        return oci_fail (ctx, elem, "empty, or past the last id");
      r = oci_append (ranges, n, sizeof *r);
      *r = (struct id_range){ (uint32_t) v[0], (uint32_t) v[1], (uint32_t) v[2] };
    }
  return 0;
}

static int
check_namespaces (struct oci_ctx *ctx, const bool seen[N_NS_KINDS])
{
  struct plan *plan = ctx->plan;

  if (!seen[NS_MOUNT])
    return oci_fail (ctx, "linux.namespaces", "no mount namespace: nestbox-runc always makes one, add {\"type\": \"mount\"}");
  if ((plan->n_uid_map > 0 || plan->n_gid_map > 0) && !plan->unshare_user)
    return oci_fail (ctx, plan->n_uid_map > 0 ? "linux.uidMappings" : "linux.gidMappings",
                     "mappings need a new user namespace in linux.namespaces");
  /* The container's process is pid 1 of a new pid namespace, as with
   * runc; in a joined one it is not. */
  plan->as_pid_1 = plan->unshare_pid && plan->pidns_fd < 0;
  /* runc starts the process in a session of its own. */
  plan->new_session = true;
  return 0;
}

int
oci_namespaces_read (struct oci_ctx *ctx, struct json_object *linux_obj)
{
  struct json_object *list;
  bool seen[N_NS_KINDS] = { false };
  char place[OCI_PLACE_MAX];

  if (oci_member (ctx, linux_obj, "linux", "namespaces", json_type_array, &list) < 0)
    return -1;
  for (size_t i = 0; list != NULL && i < json_object_array_length (list); i++)
    if (read_namespace (ctx, json_object_array_get_idx (list, i), oci_index_place (place, "linux.namespaces", i), seen) < 0)
      return -1;
  if (read_mappings (ctx, linux_obj, "uidMappings", &ctx->plan->uid_map, &ctx->plan->n_uid_map) < 0
      || read_mappings (ctx, linux_obj, "gidMappings", &ctx->plan->gid_map, &ctx->plan->n_gid_map) < 0)
    return -1;
  return check_namespaces (ctx, seen);
}

int
oci_names_read (struct oci_ctx *ctx, struct json_object *root)
{
  const char *hostname, *domainname;

  if (oci_string (ctx, root, "", "hostname", &hostname) < 0 || oci_string (ctx, root, "", "domainname", &domainname) < 0)
    return -1;
  if (hostname != NULL && *hostname && !ctx->plan->unshare_uts)
    return oci_fail (ctx, "hostname", "needs a new uts namespace in linux.namespaces");
  if (domainname != NULL && *domainname && !ctx->plan->unshare_uts)
    return oci_fail (ctx, "domainname", "needs a new uts namespace in linux.namespaces");
  ctx->plan->hostname = hostname != NULL && *hostname ? hostname : NULL;
  ctx->cfg->domainname = domainname != NULL && *domainname ? domainname : NULL;
  return 0;
}

/* The profile's text in a sealed memfd, named for the launcher's
 * compiler by a path it can open: the plan holds profiles by name. */
static int
profile_memfd (struct oci_ctx *ctx, const char *text, size_t len)
{
  int fd = memfd_create ("nestbox-oci-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);

  if (fd < 0)
    return oci_fail (ctx, "linux.seccomp", "cannot hold the profile: memfd_create: %s", strerror (errno));
  ctx->cfg->seccomp_fd = fd;
  if (write_all (fd, text, len) < 0
      || fcntl (fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0)
    return oci_fail (ctx, "linux.seccomp", "cannot hold the profile: %s", strerror (errno));
  ctx->plan->seccomp_profile = oci_own_printf (ctx, "/proc/self/fd/%d", fd);
  return 0;
}

/* linux.seccomp: compiled once here so that a bad profile is refused by
 * name before anything exists; the launcher compiles it again from the
 * memfd (the same text, the same capabilities). */
static int
read_seccomp (struct oci_ctx *ctx, struct json_object *linux_obj)
{
  struct json_object *profile;
  struct bpf_program_data prog = { NULL, 0, 0 };
  _cleanup_free_ char *error = NULL;
  const char *text;
  size_t len;
  int r;

  if (oci_member (ctx, linux_obj, "linux", "seccomp", json_type_object, &profile) < 0)
    return -1;
  if (profile == NULL)
    return 0;
  if (oci_has (profile, "listenerPath"))
    return oci_fail (ctx, "linux.seccomp.listenerPath", "seccomp agents (SCMP_ACT_NOTIFY) are not supported by nestbox-runc");
  text = json_object_to_json_string_ext (profile, JSON_C_TO_STRING_PLAIN);
  len = strlen (text);
  r = seccomp_profile_compile_text (text, len, ctx->keep_caps, &prog, &error);
  free (prog.code);
  if (r < 0)
    return oci_fail (ctx, "linux.seccomp", "%s", error != NULL ? error : strerror (-r));
  return profile_memfd (ctx, text, len);
}

/* linux.sysctl, kept for the front end (the core writes no sysctl). */
static int
read_sysctl (struct oci_ctx *ctx, struct json_object *linux_obj)
{
  return oci_string_map (ctx, linux_obj, "linux", "sysctl", &ctx->cfg->sysctl);
}

static int
refuse_unsupported (struct oci_ctx *ctx, struct json_object *linux_obj)
{
  static const char *const unsupported[] = { "intelRdt", "memoryPolicy", "personality", "timeOffsets", "netDevices" };
  static const char *const private_kinds[] = { "private", "rprivate", "slave", "rslave", "unbindable", "runbindable" };
  const char *propagation;
  char place[OCI_PLACE_MAX];

  for (size_t i = 0; i < N_ELEMENTS (unsupported); i++)
    if (oci_has (linux_obj, unsupported[i]))
      return oci_fail (ctx, oci_key_place (place, "linux", unsupported[i]), "not supported by nestbox-runc");
  if (oci_string (ctx, linux_obj, "linux", "rootfsPropagation", &propagation) < 0)
    return -1;
  if (propagation == NULL || *propagation == '\0')
    return 0;
  for (size_t i = 0; i < N_ELEMENTS (private_kinds); i++)
    if (strcmp (propagation, private_kinds[i]) == 0)
      return 0;
  if (strcmp (propagation, "shared") == 0 || strcmp (propagation, "rshared") == 0)
    return oci_fail (ctx, "linux.rootfsPropagation", "\"%s\" is not supported: nestbox-runc's mounts are private", propagation);
  return oci_fail (ctx, "linux.rootfsPropagation", "unknown propagation \"%s\"", propagation);
}

int
oci_linux_read (struct oci_ctx *ctx, struct json_object *linux_obj)
{
  const char *mount_label;

  if (refuse_unsupported (ctx, linux_obj) < 0 || oci_string (ctx, linux_obj, "linux", "mountLabel", &mount_label) < 0)
    return -1;
  if (mount_label != NULL && *mount_label)
    ctx->plan->file_label = mount_label;
  if (read_sysctl (ctx, linux_obj) < 0)
    return -1;
  return read_seccomp (ctx, linux_obj);
}
