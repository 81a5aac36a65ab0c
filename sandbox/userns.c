/* The user namespaces of a sandbox, phase by phase.
 *
 * Caller side, before clone: who writes the first namespace's id maps and
 * which (userns_decide_maps).  Monitor, right after clone: write them when
 * it is the one (userns_write_maps_from_monitor).  Sandbox, before set-up:
 * map itself or wait for the monitor, then take the set-up ids
 * (userns_map_for_setup).  Sandbox, before the command starts: the nested
 * namespace's preparation (userns_prepare_nested), and in the command's
 * process the nested namespace itself (userns_enter_nested) and the final
 * ids (userns_switch_ids_in_place).  Whether there is a nested namespace at
 * all is decided with the other namespaces in launch.c (docs/security.md,
 * "nestbox's own processes"). */
#include "userns.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "channels.h"
#include "diagnose.h"
#include "mountapi.h"
#include "userns_filter.h"
#include "userns_maps.h"
#include "util.h"

static bool
range_maps_zero (const struct id_range *ranges, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (ranges[i].inside == 0)
      return true;
  return false;
}

static uint32_t
overflow_id (const char *path)
{
  _cleanup_free_ char *s = NULL;
  uint64_t v;

  if (read_file_at (AT_FDCWD, path, 32, &s) == 0)
    {
      s[strcspn (s, "\n")] = '\0';
      if (parse_uint64 (s, 10, &v) && v < UINT32_MAX)
        return (uint32_t) v;
    }
  return 65534;
}

/* Who writes the id maps of the first user namespace, and which.
 * - --uid-map/--gid-map: the monitor, directly when it holds CAP_SETUID and
 *   CAP_SETGID, else through newuidmap/newgidmap (/etc/subuid).
 * - uid 0 without CAP_SETFCAP (CRI-O's default capabilities): a map that
 *   covers parent uid 0 is refused (Linux >= 5.12), so the monitor maps the
 *   sandbox's root to the overflow uid instead, if it may (CAP_SETUID).
 * - otherwise the sandbox maps itself (one id, the caller's). */
void
userns_decide_maps (struct launch *l)
{
  const struct plan *plan = l->plan;
  bool can_set_ids = ((l->caller_caps >> CAP_SETUID) & 1) && ((l->caller_caps >> CAP_SETGID) & 1);

  l->setup_uid = l->nested_userns ? 0 : l->sandbox_uid;
  l->setup_gid = l->nested_userns ? 0 : l->sandbox_gid;
  l->setup_outside_uid = l->real_uid;
  l->setup_outside_gid = l->real_gid;
  if (!l->own_userns || plan->userns_block_fd != -1)
    return;
  if (plan->n_uid_map > 0 || plan->n_gid_map > 0)
    {
      if (plan->n_uid_map == 0 || plan->n_gid_map == 0)
        die ("--uid-map and --gid-map go together: give both");
      if (!range_maps_zero (plan->uid_map, plan->n_uid_map) || !range_maps_zero (plan->gid_map, plan->n_gid_map))
        die ("--uid-map and --gid-map must map id 0 inside the sandbox: setup runs as it");
      l->map_by_parent = true;
      l->map_direct = can_set_ids;
      /* The ranges define the ids: a nested namespace keeps them as they
       * are, and --uid/--gid switch among them. */
      l->setup_uid = l->setup_gid = 0;
      l->sandbox_uid = plan->uid_set ? plan->uid : 0;
      l->sandbox_gid = plan->gid_set ? plan->gid : 0;
      return;
    }
  if (l->real_uid == 0 && !((l->caller_caps >> CAP_SETFCAP) & 1))
    {
      if (!can_set_ids)
        diagnose_no_setfcap ();
      l->map_by_parent = true;
      l->map_direct = true;
      l->setup_outside_uid = overflow_id ("/proc/sys/kernel/overflowuid");
      l->setup_outside_gid = overflow_id ("/proc/sys/kernel/overflowgid");
      warn_msg ("no CAP_SETFCAP to map uid 0 into the sandbox: its root is uid %u outside (files it creates on shared directories belong to that uid)",
                l->setup_outside_uid);
    }
}

/* The monitor's half of map_by_parent: write the maps, then let the
 * sandbox go on. */
void
userns_write_maps_from_monitor (struct launch *l, pid_t pid)
{
  const struct plan *plan = l->plan;
  const char *file = NULL;
  int r;

  if (plan->n_uid_map > 0)
    r = userns_write_range_maps (AT_FDCWD, pid, plan, l->map_direct, &file);
  else
    r = userns_write_single_map (AT_FDCWD, pid, l->setup_uid, l->setup_outside_uid,
                                 l->setup_gid, l->setup_outside_gid, false, &file);
  if (r < 0)
    {
      kill (pid, SIGKILL);
      diagnose_map_failure (-r, file, l);
    }
  (void) write_all (l->ch.map_pipe[1], "m", 1);
  channel_close (l->ch.map_pipe);
}

/* The monitor writes our maps: wait for it, then take the setup ids (our
 * own ids, the caller's, may not be mapped at all). */
static void
become_setup_ids (struct launch *l)
{
  char b;

  if (RETRY_EINTR (read (l->ch.map_pipe[0], &b, 1)) != 1)
    _exit (1); /* the monitor failed and said why */
  channel_close (l->ch.map_pipe);
  if (setresgid (l->setup_gid, l->setup_gid, l->setup_gid) != 0)
    die_errno (errno, "unable to switch to gid %u", l->setup_gid);
  if (setresuid (l->setup_uid, l->setup_uid, l->setup_uid) != 0)
    die_errno (errno, "unable to switch to uid %u", l->setup_uid);
  /* The caller's supplementary groups mean nothing here. */
  (void) setgroups (0, NULL);
  /* Changing ids made us non-dumpable, which makes our /proc files root's
   * outside: the nested map written later through them would be refused.
   * Only the namespace's owner could ptrace us anyway. */
  if (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
    die_errno (errno, "can't set dumpable");
}

void
userns_map_for_setup (struct launch *l)
{
  const struct plan *plan = l->plan;
  const char *file = NULL;
  int r;

  if (plan->userns_block_fd != -1)
    {
      /* Someone outside (newuidmap) writes the maps; wait for their word. */
      char b;
      (void) RETRY_EINTR (read (plan->userns_block_fd, &b, 1));
      close (plan->userns_block_fd);
      return;
    }
  if (!l->own_userns)
    return;
  if (l->map_by_parent)
    {
      become_setup_ids (l);
      return;
    }
  /* Setup runs as uid 0 when the command gets a nested namespace of its
   * own, else directly as the requested ids. */
  r = userns_write_single_map (AT_FDCWD, 0, l->setup_uid, l->real_uid, l->setup_gid, l->real_gid, true, &file);
  if (r < 0)
    diagnose_map_failure (-r, file, l);
}

/* --disable-userns: limit user namespaces below ours to the one we are
 * about to make.  The sysctl is written through a procfs instance of our
 * own when we have a pid namespace: the caller's /proc/sys may be
 * read-only (it is in a pod).  Where neither is writable (a masked /proc
 * with a read-only /proc/sys), a seccomp filter does the job; it is
 * returned in *use_filter and installed once the nested namespace exists. */
static void
limit_nested_userns (const struct launch *l, int host_proc_fd, bool *use_filter)
{
  _cleanup_close_ int own_proc = -1, fd = -1;
  int err;

  *use_filter = false;
  if (l->new_pidns && mnt_new_fs ("proc", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &own_proc) == 0)
    fd = openat (own_proc, "sys/user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    fd = openat (host_proc_fd, "sys/user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && write_all (fd, "1", 1) == 0)
    return;
  err = errno;
  if (err == EROFS || err == EACCES || err == EPERM)
    {
      *use_filter = true;
      return;
    }
  die_errno (err, "cannot open /proc/sys/user/max_user_namespaces");
}

/* Before the command's process starts, in the namespace that owns the
 * mounts: --disable-userns's limit (the nested namespace is the one still
 * allowed), and the nested namespace itself when it keeps ranges of ids:
 * its maps can only be written from here. */
void
userns_prepare_nested (struct launch *l, int host_proc_fd)
{
  int r;

  if (!l->nested_userns)
    return;
  if (l->plan->disable_userns)
    limit_nested_userns (l, host_proc_fd, &l->userns_by_filter);
  if (l->nested_mirror && (r = userns_create_mirror (host_proc_fd, &l->nested_userns_fd)) < 0)
    die_errno (-r, "Can't create the command's user namespace (with the ids of the sandbox's)");
}

void
userns_enter_nested (struct launch *l, int host_proc_fd)
{
  const struct plan *plan = l->plan;
  const char *file = NULL;
  int r;

  if (plan->userns2_fd != -1 && setns (plan->userns2_fd, CLONE_NEWUSER) != 0)
    die_errno (errno, "Setting userns2 failed");
  if (l->nested_mirror)
    {
      if (setns (l->nested_userns_fd, CLONE_NEWUSER) != 0)
        die_errno (errno, "Can't enter the command's user namespace");
      close (l->nested_userns_fd);
    }
  else if (l->nested_userns)
    {
      if (unshare (CLONE_NEWUSER) != 0)
        die_errno (errno, "unshare user ns");
      r = userns_write_single_map (host_proc_fd, 0, l->sandbox_uid, 0, l->sandbox_gid, 0, true, &file);
      if (r < 0)
        diagnose_map_failure (-r, file, l);
    }
  if (l->userns_by_filter && (r = userns_filter_install ()) < 0)
    die_errno (-r, "/proc/sys is read-only and the seccomp filter that would disable user namespaces instead failed");
  if (plan->disable_userns || plan->assert_userns_disabled)
    {
      if (unshare (CLONE_NEWUSER) == 0)
        die ("creation of new user namespaces was not disabled as requested");
    }
}

/* Ids the namespace we end in does not rename for us (no nested one, or
 * one that keeps ranges, or maps that are someone else's): take
 * --uid/--gid, if given, directly. */
void
userns_switch_ids_in_place (const struct launch *l)
{
  bool in_caller_ns = l->plan->ids_in_caller_ns && !l->own_userns && l->plan->userns_fd == -1;

  if ((l->nested_userns && !l->nested_mirror) || (!l->own_userns && l->plan->userns_fd == -1 && !in_caller_ns))
    return;
  /* In the caller's namespace the caller's supplementary groups (root's,
   * often) would stay with the command: the config's list replaces them. */
  if (in_caller_ns && setgroups (l->plan->n_groups, l->plan->groups) != 0)
    die_errno (errno, "unable to set the supplementary groups (process.user.additionalGids)");
  /* With --uid-map the command's ids are 0 unless --uid/--gid say otherwise. */
  if (l->plan->gid_set && getgid () != l->sandbox_gid && setresgid (l->sandbox_gid, l->sandbox_gid, l->sandbox_gid) != 0)
    die_errno (errno, "unable to switch to gid %u", l->sandbox_gid);
  if (l->plan->uid_set && getuid () != l->sandbox_uid)
    {
      if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0
          || setresuid (l->sandbox_uid, l->sandbox_uid, l->sandbox_uid) != 0)
        die_errno (errno, "unable to switch to uid %u", l->sandbox_uid);
    }
}
