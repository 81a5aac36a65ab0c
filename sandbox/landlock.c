/* --landlock and --landlock-try (landlock.h).
 *
 * Rules are attached to inodes, and an access is allowed when a rule on
 * any directory on the way from the file up to the root grants it.  Inside
 * the sandbox every path leads up to the sandbox's own root, so the mount
 * flags (read-only binds, nodev) stay what decides there; the rules matter
 * for what the mounts do not cover: a file reached through an fd the
 * caller passed in, whose way up runs through the caller's tree.  There
 * only the inodes the command line bound carry rights. */
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "util.h"

/* Newer than Debian 12's <linux/landlock.h>; values from the kernel's
 * UAPI, which never changes them. */
#define ACCESS_FS_TRUNCATE (1ULL << 14)  /* ABI 3 */
#define ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1) /* both ABI 6 */

/* The ABI 6 layout of struct landlock_ruleset_attr; older kernels accept
 * it as long as the fields they do not know are zero. */
struct ruleset_attr
{
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

#define ACCESS_READ (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* What a rule on a file (not a directory) may hold. */
#define ACCESS_ON_FILES (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE \
                         | ACCESS_FS_TRUNCATE | ACCESS_FS_IOCTL_DEV)

int
landlock_abi (const char **why)
{
  long abi = syscall (SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  const char *reason = NULL;

  if (abi > 0)
    return (int) abi;
  if (errno == EOPNOTSUPP)
    reason = "Landlock is built into the kernel but not enabled (add landlock to its lsm= boot parameter)";
  else if (errno == ENOSYS)
    reason = "the kernel has no Landlock (Linux 5.13 or later built with CONFIG_SECURITY_LANDLOCK), or a seccomp filter around nestbox refuses its system calls";
  else
    reason = "a seccomp filter around nestbox refuses Landlock's system calls";
  if (why)
    *why = reason;
  return 0;
}

const char *
landlock_coverage (int abi)
{
  if (abi >= 6)
    return "files (reading, writing, truncating, device ioctls), abstract unix sockets and signals";
  if (abi == 5)
    return "files (reading, writing, truncating, device ioctls); not abstract unix sockets or signals (ABI 6)";
  if (abi >= 3)
    return "files (reading, writing, truncating); not device ioctls (ABI 5), abstract unix sockets or signals (ABI 6)";
  if (abi >= 1)
    return "files (reading and writing; not truncation, ABI 3), not abstract unix sockets or signals (ABI 6)";
  return "nothing";
}

/* A Landlock domain refuses every mount change to the command; asking for
 * the capability that makes them is a contradiction.  Only what the
 * --cap-add/--cap-drop steps add counts (--cap-add ALL --cap-drop ALL asks
 * for nothing), not what a root caller keeps by default. */
static bool
asks_for_mounts (const struct plan *plan)
{
  return caps_requested (plan, false, 0) & (1ULL << CAP_SYS_ADMIN);
}

int
landlock_decide (const struct plan *plan)
{
  const char *why = NULL;
  int abi;

  if (!plan->landlock && !plan->landlock_try)
    return 0;
  if (plan->landlock && plan->landlock_try)
    die ("--landlock and --landlock-try ask for different things on an older kernel: give one");
  if (asks_for_mounts (plan))
    die ("--landlock: the command could not mount anything (a Landlock domain refuses mount changes), which --cap-add CAP_SYS_ADMIN asks for");
  abi = landlock_abi (&why);
  if (plan->landlock && abi == 0)
    die ("--landlock: %s", why);
  if (plan->landlock && abi < LANDLOCK_FULL_ABI)
    die ("--landlock: this kernel's Landlock ABI %d covers %s; --landlock-try runs with that", abi, landlock_coverage (abi));
  if (abi == 0)
    warn_msg ("--landlock-try: no Landlock here, %s; the command runs without it", why);
  else if (abi < LANDLOCK_FULL_ABI)
    warn_msg ("--landlock-try: this kernel's Landlock ABI %d covers only %s", abi, landlock_coverage (abi));
  return abi;
}

static uint64_t
handled_access (int abi)
{
  uint64_t fs = ACCESS_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR
                | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR
                | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO
                | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;

  if (abi >= 2)
    fs |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3)
    fs |= ACCESS_FS_TRUNCATE;
  if (abi >= 5)
    fs |= ACCESS_FS_IOCTL_DEV;
  return fs;
}

/* The rights an operation grants below its destination: 0 for those that
 * only make files in a parent that already has its rule. */
static uint64_t
rights_of (const struct op *op, uint64_t all)
{
  switch (op->type)
    {
    case OP_BIND:
    case OP_BIND_FD:
      return op->readonly ? ACCESS_READ : all;
    case OP_OVERLAY:
      return op->overlay == OVERLAY_RO ? ACCESS_READ : all;
    case OP_PROC:
    case OP_DEV:
    case OP_TMPFS:
    case OP_MQUEUE:
      return all;
    /* Made in (or over) a parent whose own rule covers them. */
    case OP_REMOUNT_RO:
    case OP_DIR:
    case OP_FILE:
    case OP_BIND_DATA:
    case OP_SYMLINK:
    case OP_CHMOD:
    case OP_MASK:
      return 0;
    }
  return 0;
}

static void
add_rule (int ruleset, const char *path, uint64_t rights)
{
  struct landlock_path_beneath_attr rule = { .allowed_access = rights };
  struct stat st;

  rule.parent_fd = RETRY_EINTR (open (path, O_PATH | O_CLOEXEC));
  /* A -try bind whose source was missing made nothing there. */
  if (rule.parent_fd < 0 && errno == ENOENT)
    return;
  if (rule.parent_fd < 0)
    die_errno (errno, "--landlock: Can't open %s", path);
  if (fstat (rule.parent_fd, &st) == 0 && !S_ISDIR (st.st_mode))
    rule.allowed_access &= ACCESS_ON_FILES;
  if (rule.allowed_access != 0
      && syscall (SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
    die_errno (errno, "--landlock: Can't add the rule for %s", path);
  close (rule.parent_fd);
}

int
landlock_build_ruleset (const struct plan *plan, int abi, bool root_is_own)
{
  struct ruleset_attr attr = { .handled_access_fs = handled_access (abi) };
  int ruleset;

  if (abi >= 6)
    attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
  ruleset = (int) syscall (SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (ruleset < 0)
    die_errno (errno, "--landlock: Can't create the ruleset");
  /* nestbox's own tmpfs: the command may write there as the mounts allow
   * (a bind of the caller's / gets its rights from its op instead). */
  if (root_is_own)
    add_rule (ruleset, "/", attr.handled_access_fs);
  for (size_t i = 0; i < plan->n_ops; i++)
    {
      uint64_t rights = rights_of (&plan->ops[i], attr.handled_access_fs);

      if (rights != 0)
        add_rule (ruleset, plan->ops[i].dest, rights);
    }
  return ruleset;
}

int
landlock_enforce (int ruleset_fd)
{
  /* no_new_privs is set for the whole sandbox (launch.c), as Landlock
   * requires of a process without CAP_SYS_ADMIN. */
  if (syscall (SYS_landlock_restrict_self, ruleset_fd, 0) != 0)
    return -errno;
  close (ruleset_fd);
  return 0;
}
