/* --seccomp-profile default: nestbox's built-in profile.
 *
 * The same policy as the container runtimes' default (Docker's, containerd's
 * RuntimeDefault, containers-common's): an allow list of the calls ordinary
 * programs make; calls that act on the whole machine only for a command that
 * keeps the capability the kernel would check; everything else refused.
 *
 * The tables below are written as JSON text for the same compiler as a
 * --seccomp-profile file, so the built-in profile gets no special
 * treatment.
 *
 * Unknown calls get ENOSYS rather than EPERM: a call newer than this table
 * then looks unimplemented, and libc falls back to an older one (clone3 to
 * clone, faccessat2 to faccessat, fchmodat2 to fchmodat).  The calls that
 * are refused on purpose get EPERM.  Names libseccomp does not know (newer
 * than it, or of other architectures) are skipped by the compiler. */
#include "seccomp_profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "seccomp_arches.h"
#include "util.h"

#define END NULL

/* Allowed for every command. */
static const char *const allowed[] = {
  /* processes */
  "execve", "execveat", "exit", "exit_group", "fork", "vfork", "wait4", "waitid", "waitpid",
  "kill", "tkill", "tgkill", "getpid", "getppid", "gettid", "getpgid", "getpgrp", "getsid",
  "setsid", "setpgid", "prctl", "arch_prctl", "set_tid_address", "set_robust_list",
  "get_robust_list", "rseq", "restart_syscall", "pidfd_open", "pidfd_send_signal",
  "process_mrelease", "capget", "capset", "uname", "sysinfo", "umask", "getrusage", "times",
  "getpriority", "setpriority", "getrlimit", "setrlimit", "prlimit64", "ugetrlimit",
  "membarrier", "seccomp", "getcpu", "syscall",
  /* ids (the kernel checks the capabilities) */
  "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups", "setuid",
  "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid",
  "setgroups", "getuid32", "geteuid32", "getgid32", "getegid32", "getresuid32", "getresgid32",
  "getgroups32", "setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
  "setresgid32", "setfsuid32", "setfsgid32", "setgroups32",
  /* signals */
  "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending",
  "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
  "sigaltstack", "signalfd", "signalfd4", "sigaction", "sigprocmask", "sigreturn",
  "sigsuspend", "sigpending", "signal", "pause", "alarm",
  /* time (setting the clock needs CAP_SYS_TIME, below) */
  "nanosleep", "clock_nanosleep", "clock_nanosleep_time64", "clock_gettime", "clock_gettime64",
  "clock_getres", "clock_getres_time64", "gettimeofday", "time", "getitimer", "setitimer",
  "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64",
  "timer_settime", "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
  "timerfd_settime", "timerfd_settime64", "adjtimex", "clock_adjtime", "clock_adjtime64",
  /* memory */
  "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise", "mincore", "msync", "mlock",
  "mlock2", "mlockall", "munlock", "munlockall", "remap_file_pages", "pkey_alloc", "pkey_free",
  "pkey_mprotect", "memfd_create", "memfd_secret", "get_thread_area", "set_thread_area",
  "modify_ldt", "readahead",
  /* scheduling and futexes */
  "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam", "sched_setparam",
  "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max",
  "sched_get_priority_min", "sched_rr_get_interval", "sched_rr_get_interval_time64",
  "sched_getattr", "sched_setattr", "ioprio_get", "ioprio_set", "futex", "futex_time64",
  "futex_waitv", "futex_wake", "futex_wait", "futex_requeue",
  /* file descriptors and I/O */
  "open", "openat", "openat2", "creat", "close", "close_range", "read", "write", "readv",
  "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2", "lseek",
  "_llseek", "dup", "dup2", "dup3", "fcntl", "fcntl64", "flock", "fsync", "fdatasync", "sync",
  "syncfs", "sync_file_range", "sync_file_range2", "arm_sync_file_range", "fallocate",
  "fadvise64", "fadvise64_64", "arm_fadvise64_64", "ftruncate", "ftruncate64", "truncate",
  "truncate64", "sendfile", "sendfile64", "splice", "tee", "vmsplice", "copy_file_range",
  "ioctl", "pipe", "pipe2", "eventfd", "eventfd2", "poll", "ppoll", "ppoll_time64", "select",
  "_newselect", "pselect6", "pselect6_time64", "epoll_create", "epoll_create1", "epoll_ctl",
  "epoll_ctl_old", "epoll_wait", "epoll_wait_old", "epoll_pwait", "epoll_pwait2",
  "io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents",
  "io_pgetevents_time64",
  /* files and directories (the kernel checks permissions and CAP_MKNOD) */
  "stat", "fstat", "lstat", "stat64", "fstat64", "lstat64", "fstatat64", "newfstatat", "statx",
  "statfs", "fstatfs", "statfs64", "fstatfs64", "access", "faccessat", "faccessat2", "getcwd",
  "chdir", "fchdir", "mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link",
  "linkat", "unlink", "unlinkat", "symlink", "symlinkat", "readlink", "readlinkat", "chmod",
  "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "chown32",
  "fchown32", "lchown32", "utime", "utimes", "utimensat", "utimensat_time64", "futimesat",
  "getdents", "getdents64", "readdir", "mknod", "mknodat", "name_to_handle_at", "getxattr",
  "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr", "listxattr", "llistxattr",
  "flistxattr", "removexattr", "lremovexattr", "fremovexattr", "inotify_init",
  "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark",
  /* IPC */
  "mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
  "mq_timedreceive_time64", "mq_notify", "mq_getsetattr", "ipc", "msgget", "msgsnd", "msgrcv",
  "msgctl", "semget", "semop", "semtimedop", "semtimedop_time64", "semctl", "shmget", "shmat",
  "shmdt", "shmctl",
  /* sockets */
  "socket", "socketpair", "socketcall", "bind", "connect", "listen", "accept", "accept4",
  "getsockname", "getpeername", "getsockopt", "setsockopt", "send", "sendto", "sendmsg",
  "sendmmsg", "recv", "recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64", "shutdown",
  /* sandboxing a command may do to itself */
  "getrandom", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
  /* architecture-specific (the compiler skips those of other machines) */
  "breakpoint", "cacheflush", "set_tls", "riscv_flush_icache", "s390_pci_mmio_read",
  "s390_pci_mmio_write", "s390_runtime_instr",
  END
};

/* Allowed only when the command keeps CAP; refused with EPERM otherwise.
 * A call may be listed under several caps (bpf: CAP_SYS_ADMIN or CAP_BPF). */
static const struct { const char *cap; const char *const *names; } by_cap[] = {
  { "CAP_SYS_ADMIN", (const char *const[]) {
      "mount", "umount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick",
      "open_tree", "move_mount", "mount_setattr", "unshare", "setns", "sethostname",
      "setdomainname", "quotactl", "quotactl_fd", "lookup_dcookie", "fanotify_init",
      "bpf", "perf_event_open", "syslog", END } },
  { "CAP_BPF", (const char *const[]) { "bpf", END } },
  { "CAP_PERFMON", (const char *const[]) { "perf_event_open", END } },
  { "CAP_SYSLOG", (const char *const[]) { "syslog", END } },
  { "CAP_SYS_BOOT", (const char *const[]) { "reboot", END } },
  { "CAP_SYS_CHROOT", (const char *const[]) { "chroot", END } },
  { "CAP_SYS_MODULE", (const char *const[]) { "init_module", "finit_module", "delete_module", END } },
  { "CAP_SYS_PACCT", (const char *const[]) { "acct", END } },
  { "CAP_SYS_PTRACE", (const char *const[]) { "kcmp", "pidfd_getfd", "process_madvise", END } },
  { "CAP_SYS_RAWIO", (const char *const[]) { "iopl", "ioperm", END } },
  { "CAP_SYS_TIME", (const char *const[]) { "settimeofday", "stime", "clock_settime", "clock_settime64", END } },
  { "CAP_SYS_TTY_CONFIG", (const char *const[]) { "vhangup", END } },
  { "CAP_SYS_NICE", (const char *const[]) { "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node", END } },
  { "CAP_DAC_READ_SEARCH", (const char *const[]) { "open_by_handle_at", END } },
};

/* Refused with EPERM whatever the command keeps: the machine's kernel,
 * keyrings shared with the caller, and obsolete or risky interfaces. */
static const char *const refused[] = {
  "kexec_load", "kexec_file_load", "keyctl", "add_key", "request_key", "userfaultfd", "uselib",
  "ustat", "sysfs", "_sysctl", "swapon", "swapoff", "nfsservctl", "create_module",
  "get_kernel_syms", "query_module", "vm86", "vm86old", "bdflush",
  END
};

/* The namespace flags of clone(2): a command without CAP_SYS_ADMIN may
 * clone, but not into new namespaces (the runtimes' rule). */
#define CLONE_NAMESPACE_FLAGS "2114060288" /* CLONE_NEWNS|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWCGROUP = 0x7E020000 */

struct text
{
  char *s;
  size_t len, cap;
};

static void
put (struct text *t, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
put (struct text *t, const char *fmt, ...)
{
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (t->s + t->len, t->cap - t->len, fmt, ap);
  va_end (ap);
  if (n < 0)
    die_oom ();
  if ((size_t) n >= t->cap - t->len)
    {
      t->cap = (t->len + (size_t) n + 1) * 2;
      t->s = xreallocarray (t->s, t->cap, 1);
      va_start (ap, fmt);
      vsnprintf (t->s + t->len, t->cap - t->len, fmt, ap);
      va_end (ap);
    }
  t->len += (size_t) n;
}

static void
put_names (struct text *t, const char *const *names)
{
  put (t, "\"names\": [");
  for (size_t i = 0; names[i]; i++)
    put (t, "%s\"%s\"", i ? ", " : "", names[i]);
  put (t, "]");
}

/* One rule: names, an action, and extra members as JSON text ("" if none). */
static void
put_rule (struct text *t, const char *const *names, const char *action, const char *extra)
{
  put (t, "%s{", t->s[t->len - 1] == '[' ? "" : ",\n");
  put_names (t, names);
  put (t, ", \"action\": \"%s\"%s%s}", action, *extra ? ", " : "", extra);
}

static void
put_upper (struct text *t, const char *name)
{
  put (t, "\"SCMP_ARCH_");
  for (const char *c = name; *c; c++)
    put (t, "%c", *c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
  put (t, "\"");
}

/* The ABIs that come with each native one (else 32-bit programs would be
 * killed as "bad architecture"), from the table every filter uses. */
static void
put_arch_map (struct text *t)
{
  put (t, "\"archMap\": [");
  for (size_t i = 0; i < seccomp_n_abi_families; i++)
    {
      const struct abi_family *f = &seccomp_abi_families[i];

      put (t, "%s{\"architecture\": ", i ? ", " : "");
      put_upper (t, f->native);
      put (t, ", \"subArchitectures\": [");
      for (size_t j = 0; j < N_ELEMENTS (f->compat) && f->compat[j] != NULL; j++)
        {
          put (t, j ? ", " : "");
          put_upper (t, f->compat[j]);
        }
      put (t, "]}");
    }
  put (t, "],\n");
}

char *
seccomp_default_profile (void)
{
  struct text t = { xmalloc (4096), 0, 4096 };
  char extra[160];

  put (&t, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": %d,\n", ENOSYS);
  put_arch_map (&t);
  put (&t, "\"syscalls\": [");
  put_rule (&t, allowed, "SCMP_ACT_ALLOW", "");
  snprintf (extra, sizeof extra, "\"errnoRet\": %d", EPERM);
  put_rule (&t, refused, "SCMP_ACT_ERRNO", extra);

  for (size_t i = 0; i < N_ELEMENTS (by_cap); i++)
    {
      snprintf (extra, sizeof extra, "\"includes\": {\"caps\": [\"%s\"]}", by_cap[i].cap);
      put_rule (&t, by_cap[i].names, "SCMP_ACT_ALLOW", extra);
      /* EPERM unless one of the caps that allow the call is kept. */
      for (size_t j = 0; by_cap[i].names[j]; j++)
        {
          const char *name = by_cap[i].names[j];
          const char *one[] = { name, END };
          bool first = true;

          /* Once per call, at its first listing. */
          for (size_t k = 0; k < i && first; k++)
            for (size_t m = 0; by_cap[k].names[m] && first; m++)
              first = strcmp (by_cap[k].names[m], name) != 0;
          if (!first)
            continue;
          put (&t, "%s{", ",\n");
          put_names (&t, one);
          put (&t, ", \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": %d, \"excludes\": {\"caps\": [", EPERM);
          for (size_t k = i, n = 0; k < N_ELEMENTS (by_cap); k++)
            for (size_t m = 0; by_cap[k].names[m]; m++)
              if (strcmp (by_cap[k].names[m], name) == 0)
                put (&t, "%s\"%s\"", n++ ? ", " : "", by_cap[k].cap);
          put (&t, "]}}");
        }
    }

  /* ptrace can no longer be used to slip past seccomp since Linux 4.8:
   * debuggers and strace may trace the command's own processes (the
   * kernel's ptrace access checks keep them to those). */
  put_rule (&t, (const char *const[]) { "ptrace", "process_vm_readv", "process_vm_writev", END },
            "SCMP_ACT_ALLOW", "\"includes\": {\"minKernel\": \"4.8\"}");

  /* clone3's flags are in memory a filter cannot read: only for
   * CAP_SYS_ADMIN; others get the default ENOSYS, and libc falls back to
   * clone (EPERM would make posix_spawn and pthread_create fail). */
  put_rule (&t, (const char *const[]) { "clone3", END }, "SCMP_ACT_ALLOW",
            "\"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}");
  /* clone: flags are the first argument, the second on s390. */
  put_rule (&t, (const char *const[]) { "clone", END }, "SCMP_ACT_ALLOW",
            "\"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}");
  put_rule (&t, (const char *const[]) { "clone", END }, "SCMP_ACT_ALLOW",
            "\"args\": [{\"index\": 0, \"value\": " CLONE_NAMESPACE_FLAGS ", \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}],"
            " \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"], \"arches\": [\"s390\", \"s390x\"]}");
  put_rule (&t, (const char *const[]) { "clone", END }, "SCMP_ACT_ALLOW",
            "\"args\": [{\"index\": 1, \"value\": " CLONE_NAMESPACE_FLAGS ", \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}],"
            " \"includes\": {\"arches\": [\"s390\", \"s390x\"]}, \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}");

  /* personality: querying, and the flavours 32-bit programs ask for
   * (PER_LINUX, PER_LINUX32, UNAME26 with each). */
  {
    static const unsigned long personas[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

    for (size_t i = 0; i < N_ELEMENTS (personas); i++)
      {
        snprintf (extra, sizeof extra,
                  "\"args\": [{\"index\": 0, \"value\": %lu, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\"}]",
                  personas[i]);
        put_rule (&t, (const char *const[]) { "personality", END }, "SCMP_ACT_ALLOW", extra);
      }
  }
  put (&t, "]}\n");
  return t.s;
}
