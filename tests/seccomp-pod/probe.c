/* Seccomp prober for tests/seccomp-pod/seccomp-pod.sh.
 *
 * Makes one system call per line of the table below, each in a child of its
 * own, and prints "NAME RESULT" (RESULT: "ok" or the errno's name).  The
 * arguments are chosen so that the kernel, when the call reaches it,
 * usually answers something other than EPERM (a bad pointer, flag, fd or
 * path), while a seccomp filter refuses before looking at them: comparing
 * the results under Unconfined, RuntimeDefault and nestbox.json then shows
 * which profile refused what.  Calls whose first kernel check is a
 * capability answer EPERM either way; they are compared all the same.
 *
 * Every call is harmless if it runs: bad magic for reboot, paths that do not
 * exist for swapon/acct/chroot, no module, no image.  Still, it refuses to
 * run with any effective capability (it is meant for a pod's non-root user).
 *
 * usage: probe [NAME...]   (default: every probe) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/fanotify.h>
#include <linux/kcmp.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>

#ifndef SYS_lsm_list_modules
#define SYS_lsm_list_modules 461 /* the same number on every architecture */
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

#define NOWHERE "/nonexistent-nestbox-probe"

struct probe
{
  const char *name;
  /* Enter a user, mount and UTS namespace of its own first (when the
   * profile lets it): for calls whose first kernel check is a capability
   * over the mount or UTS namespace. */
  int own_ns;
  long (*call) (void);
};

static long
clone_ns (void)
{
  long pid = syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid ((pid_t) pid, NULL, 0);
  return pid;
}

static long
clone3_flags (uint64_t flags)
{
  struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
  long pid = syscall (SYS_clone3, &args, sizeof args);
  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid ((pid_t) pid, NULL, 0);
  return pid;
}

/* One line a probe: the table reads better than clang-format's layout. */
/* clang-format off */
static long clone3_ns (void) { return clone3_flags (CLONE_NEWUSER); }
static long clone3_plain (void) { return clone3_flags (0); }
static long unshare_user (void) { return unshare (CLONE_NEWUSER); }
static long setns_bad (void) { return syscall (SYS_setns, -1, 0); }
static long mount_nowhere (void) { return syscall (SYS_mount, "none", NOWHERE, "tmpfs", 0, NULL); }
static long umount2_bad (void) { return syscall (SYS_umount2, "/", 0x80000000UL); }
static long pivot_root_nowhere (void) { return syscall (SYS_pivot_root, NOWHERE, NOWHERE); }
static long open_tree_root (void) { return syscall (SYS_open_tree, AT_FDCWD, "/", 0); }
static long move_mount_bad (void) { return syscall (SYS_move_mount, -1, "", -1, "", 0); }
static long mount_setattr_bad (void) { return syscall (SYS_mount_setattr, -1, "", 0, NULL, 0); }
static long fsopen_nofs (void) { return syscall (SYS_fsopen, "nestbox-no-such-fs", 0); }
static long fsconfig_bad (void) { return syscall (SYS_fsconfig, -1, 0, NULL, NULL, 0); }
static long fsmount_bad (void) { return syscall (SYS_fsmount, -1, 0, 0); }
static long fspick_nowhere (void) { return syscall (SYS_fspick, AT_FDCWD, NOWHERE, 0); }
static long sethostname_own (void) { return sethostname ("probe", 5); }

static long kexec_load_bad (void) { return syscall (SYS_kexec_load, 0, 0, NULL, 0xffff0000UL); }
static long kexec_file_load_bad (void) { return syscall (SYS_kexec_file_load, -1, -1, 0, NULL, 0xffffUL); }
static long init_module_null (void) { return syscall (SYS_init_module, NULL, 0, ""); }
static long finit_module_bad (void) { return syscall (SYS_finit_module, -1, "", 0); }
static long delete_module_none (void) { return syscall (SYS_delete_module, "nestbox_no_such_module", O_NONBLOCK); }
static long reboot_bad_magic (void) { return syscall (SYS_reboot, 0, 0, 0, NULL); }
static long swapon_nowhere (void) { return syscall (SYS_swapon, NOWHERE, 0); }
static long swapoff_nowhere (void) { return syscall (SYS_swapoff, NOWHERE); }
static long acct_nowhere (void) { return syscall (SYS_acct, NOWHERE); }
static long settimeofday_fault (void) { return syscall (SYS_settimeofday, (void *) 1, NULL); }
static long clock_settime_fault (void) { return syscall (SYS_clock_settime, CLOCK_REALTIME, NULL); }
#ifdef SYS_iopl
static long iopl_bad (void) { return syscall (SYS_iopl, 4); }
static long ioperm_bad (void) { return syscall (SYS_ioperm, 0x10000UL, 1UL, 1); }
#endif
#ifdef SYS_lookup_dcookie
static long lookup_dcookie_null (void) { return syscall (SYS_lookup_dcookie, 0, NULL, 0); }
#endif
static long quotactl_bad_type (void) { return syscall (SYS_quotactl, (long) (int) ((0x800004U << 8) | 99), NULL, 0, NULL); }
static long quotactl_fd_bad (void) { return syscall (SYS_quotactl_fd, -1, (long) (int) (0x800004U << 8), 0, NULL); }
static long add_key_notype (void) { return syscall (SYS_add_key, "nestbox-no-such-type", "d", NULL, 0, KEY_SPEC_PROCESS_KEYRING); }
static long request_key_notype (void) { return syscall (SYS_request_key, "nestbox-no-such-type", "d", NULL, 0); }
static long keyctl_session (void) { return syscall (SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0); }
static long keyctl_join (void) { return syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL); }
static long bpf_null (void) { return syscall (SYS_bpf, 0, NULL, 0); }
static long perf_event_open_bad (void) { return syscall (SYS_perf_event_open, NULL, 0, -1, -1, ~0UL); }
static long userfaultfd_user (void) { return syscall (SYS_userfaultfd, UFFD_USER_MODE_ONLY | O_CLOEXEC); }
static long io_uring_setup_fault (void) { return syscall (SYS_io_uring_setup, 1, NULL); }
static long fanotify_init_fid (void) { return syscall (SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY); }
static long open_by_handle_at_bad (void) { return syscall (SYS_open_by_handle_at, -1, NULL, 0); }
static long kcmp_self (void) { return syscall (SYS_kcmp, getpid (), getpid (), KCMP_VM, 0, 0); }
static long pidfd_getfd_bad (void) { return syscall (SYS_pidfd_getfd, -1, 0, 0); }
static long process_madvise_bad (void) { return syscall (SYS_process_madvise, -1, NULL, 0, 0, 0); }
static long get_mempolicy_none (void) { return syscall (SYS_get_mempolicy, NULL, NULL, 0, NULL, 0); }
static long set_mempolicy_default (void) { return syscall (SYS_set_mempolicy, 0, NULL, 0); }
static long mbind_bad_mode (void) { return syscall (SYS_mbind, NULL, 0, 99, NULL, 0, 0); }
static long migrate_pages_none (void) { return syscall (SYS_migrate_pages, 0, 0, NULL, NULL); }
static long move_pages_none (void) { return syscall (SYS_move_pages, 0, 0, NULL, NULL, NULL, 0); }
static long socket_alg (void) { return socket (AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0); }
static long socket_vsock (void) { return socket (AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0); }
static long chroot_nowhere (void) { return syscall (SYS_chroot, NOWHERE); }
static long syslog_size (void) { return syscall (SYS_syslog, 10, NULL, 0); }
static long vhangup_call (void) { return syscall (SYS_vhangup); }
static long setdomainname_call (void) { return syscall (SYS_setdomainname, "x", 1); }
static long personality_norandom (void) { return syscall (SYS_personality, 0x0040000UL); }
static long lsm_list_modules_fault (void) { return syscall (SYS_lsm_list_modules, NULL, NULL, 0); }
#ifdef SYS__sysctl
static long sysctl_null (void) { return syscall (SYS__sysctl, NULL); }
#endif
#ifdef SYS_nfsservctl
static long nfsservctl_null (void) { return syscall (SYS_nfsservctl, 0, NULL, NULL); }
#endif
#ifdef SYS_create_module
static long create_module_null (void) { return syscall (SYS_create_module, NULL, 0); }
#endif
#ifdef SYS_uselib
static long uselib_nowhere (void) { return syscall (SYS_uselib, NOWHERE); }
#endif
#ifdef SYS_ustat
static long ustat_null (void) { return syscall (SYS_ustat, 0, NULL); }
#endif
#ifdef SYS_sysfs
static long sysfs_count (void) { return syscall (SYS_sysfs, 3); }
#endif

static const struct probe probes[] = {
  /* The calls nestbox.json adds (deploy/seccomp/make-profile.py). */
  { "clone", 0, clone_ns },
  { "clone3", 0, clone3_ns },
  { "clone3:no-flags", 0, clone3_plain },
  { "unshare", 0, unshare_user },
  { "setns", 0, setns_bad },
  { "mount", 1, mount_nowhere },
  { "umount2", 0, umount2_bad },
  { "pivot_root", 1, pivot_root_nowhere },
  { "open_tree", 0, open_tree_root },
  { "move_mount", 1, move_mount_bad },
  { "mount_setattr", 0, mount_setattr_bad },
  { "fsopen", 1, fsopen_nofs },
  { "fsconfig", 0, fsconfig_bad },
  { "fsmount", 1, fsmount_bad },
  { "fspick", 1, fspick_nowhere },
  { "sethostname", 1, sethostname_own },
  /* Calls RuntimeDefault refuses to a pod without privileges. */
  { "kexec_load", 0, kexec_load_bad },
  { "kexec_file_load", 0, kexec_file_load_bad },
  { "init_module", 0, init_module_null },
  { "finit_module", 0, finit_module_bad },
  { "delete_module", 0, delete_module_none },
  { "reboot", 0, reboot_bad_magic },
  { "swapon", 0, swapon_nowhere },
  { "swapoff", 0, swapoff_nowhere },
  { "acct", 0, acct_nowhere },
  { "settimeofday", 0, settimeofday_fault },
  { "clock_settime", 0, clock_settime_fault },
#ifdef SYS_iopl
  { "iopl", 0, iopl_bad },
  { "ioperm", 0, ioperm_bad },
#endif
#ifdef SYS_lookup_dcookie
  { "lookup_dcookie", 0, lookup_dcookie_null },
#endif
  { "quotactl", 0, quotactl_bad_type },
  { "quotactl_fd", 0, quotactl_fd_bad },
  { "add_key", 0, add_key_notype },
  { "request_key", 0, request_key_notype },
  { "keyctl", 0, keyctl_session },
  { "keyctl:join-session", 0, keyctl_join },
  { "bpf", 0, bpf_null },
  { "perf_event_open", 0, perf_event_open_bad },
  { "userfaultfd", 0, userfaultfd_user },
  { "io_uring_setup", 0, io_uring_setup_fault },
  { "fanotify_init", 0, fanotify_init_fid },
  { "open_by_handle_at", 0, open_by_handle_at_bad },
  { "kcmp", 0, kcmp_self },
  { "pidfd_getfd", 0, pidfd_getfd_bad },
  { "process_madvise", 0, process_madvise_bad },
  { "get_mempolicy", 0, get_mempolicy_none },
  { "set_mempolicy", 0, set_mempolicy_default },
  { "mbind", 0, mbind_bad_mode },
  { "migrate_pages", 0, migrate_pages_none },
  { "move_pages", 0, move_pages_none },
  { "socket:AF_ALG", 0, socket_alg },
  { "socket:AF_VSOCK", 0, socket_vsock },
  { "chroot", 0, chroot_nowhere },
  { "syslog", 0, syslog_size },
  { "vhangup", 0, vhangup_call },
  { "setdomainname", 0, setdomainname_call },
  { "personality", 0, personality_norandom },
  { "lsm_list_modules", 0, lsm_list_modules_fault },
#ifdef SYS__sysctl
  { "_sysctl", 0, sysctl_null },
#endif
#ifdef SYS_nfsservctl
  { "nfsservctl", 0, nfsservctl_null },
#endif
#ifdef SYS_create_module
  { "create_module", 0, create_module_null },
#endif
#ifdef SYS_uselib
  { "uselib", 0, uselib_nowhere },
#endif
#ifdef SYS_ustat
  { "ustat", 0, ustat_null },
#endif
#ifdef SYS_sysfs
  { "sysfs", 0, sysfs_count },
#endif
};

/* clang-format on */

static int
wanted (const char *name, int argc, char **argv)
{
  if (argc < 2)
    return 1;
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], name) == 0)
      return 1;
  return 0;
}

static int
has_capabilities (void)
{
  char line[256];
  FILE *f = fopen ("/proc/self/status", "re");
  int any = 0;

  if (f == NULL)
    return 1;
  while (fgets (line, sizeof line, f))
    if (strncmp (line, "CapEff:", 7) == 0)
      any = strtoull (line + 7, NULL, 16) != 0;
  fclose (f);
  return any;
}

int
main (int argc, char **argv)
{
  if (has_capabilities ())
    {
      fprintf (stderr, "probe: refusing to run with capabilities (run it as a pod's non-root user)\n");
      return 2;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);
  for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
    {
      const struct probe *p = &probes[i];
      int status;
      pid_t pid;

      if (!wanted (p->name, argc, argv))
        continue;
      pid = fork ();
      if (pid < 0)
        {
          perror ("fork");
          return 2;
        }
      if (pid == 0)
        {
          long r;
          const char *e;
          if (p->own_ns)
            (void) unshare (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS);
          errno = 0;
          r = p->call ();
          e = r >= 0 ? "ok" : strerrorname_np (errno);
          printf ("%s %s\n", p->name, e ? e : "E?");
          _exit (0);
        }
      if (waitpid (pid, &status, 0) < 0)
        return 2;
      if (WIFSIGNALED (status))
        printf ("%s signal-%d\n", p->name, WTERMSIG (status));
    }
  return 0;
}
