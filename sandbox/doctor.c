/* nestbox doctor [--json]: can this environment run sandboxes, and if not,
 * which setting is the cause and what to change.
 *
 * Each check reads the same facts the launcher acts on (the mount table
 * through procview.c, capabilities, sysctls); the last one runs the
 * launcher itself on `--unshare-all --proc /proc --dev /dev`, so that the
 * verdict is the launcher's own.  Exit 0 when that sandbox works. */
#include "doctor.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "caps.h"
#include "causes.h"
#include "cgroup_where.h"
#include "landlock.h"
#include "lsm.h"
#include "mountinfo.h"
#include "procview.h"
#include "util.h"

enum state
{
  STATE_OK,
  STATE_INFO,
  STATE_WARN,
  STATE_FAIL
};
static const char *const state_names[] = { "ok", "info", "warn", "fail" };

struct check
{
  const char *name;
  enum state state;
  char *detail;
  char *remedy;
};

struct report
{
  struct check checks[24];
  size_t n;
};

static void __attribute__ ((format (printf, 5, 6)))
add (struct report *rep, const char *name, enum state state, const char *remedy, const char *fmt, ...)
{
  struct check *c;
  va_list ap;

  if (rep->n >= N_ELEMENTS (rep->checks))
    return;
  c = &rep->checks[rep->n++];
  c->name = name;
  c->state = state;
  c->remedy = remedy ? xstrdup (remedy) : NULL;
  va_start (ap, fmt);
  if (vasprintf (&c->detail, fmt, ap) < 0)
    die_oom ();
  va_end (ap);
}

static char *
read_trimmed (const char *path)
{
  char *s = NULL;

  if (read_file_at (AT_FDCWD, path, 4096, &s) < 0)
    return NULL;
  s[strcspn (s, "\n")] = '\0';
  return s;
}

static void
check_identity (struct report *rep)
{
  uint64_t eff = 0;
  bool root = getuid () == 0;

  caps_get_effective (&eff);
  add (rep, "uid", STATE_INFO, NULL, "uid %u, gid %u; CAP_SYS_ADMIN %s, CAP_SETFCAP %s, CAP_SETUID %s",
       getuid (), getgid (), (eff >> CAP_SYS_ADMIN) & 1 ? "yes" : "no",
       (eff >> CAP_SETFCAP) & 1 ? "yes" : "no", (eff >> CAP_SETUID) & 1 ? "yes" : "no");
  if (root && !((eff >> CAP_SETFCAP) & 1))
    {
      if ((eff >> CAP_SETUID) & 1 && (eff >> CAP_SETGID) & 1)
        add (rep, "setfcap", STATE_WARN,
             "add SETFCAP to the container's capabilities to keep uid 0 as itself",
             "uid 0 without CAP_SETFCAP: the sandbox's root will be the overflow uid outside");
      else
        add (rep, "setfcap", STATE_FAIL, cause_remedy (CAUSE_NO_SETFCAP),
             "uid 0 without CAP_SETFCAP or CAP_SETUID cannot map itself into a user namespace");
    }
}

static void
check_kernel (struct report *rep)
{
  struct utsname u;
  const char *release = uname (&u) == 0 ? u.release : "?";

  if (kernel_too_old ())
    add (rep, "kernel", STATE_FAIL, cause_remedy (CAUSE_OLD_KERNEL), "Linux %s is older than 5.12", release);
  else
    add (rep, "kernel", STATE_OK, NULL, "Linux %s (nestbox needs 5.12 or later)", release);
}

static void
check_userns_limits (struct report *rep)
{
  _cleanup_free_ char *max = read_trimmed ("/proc/sys/user/max_user_namespaces");
  enum cause cause = userns_refusal (getuid ());
  static const char *const what[N_CAUSES] = {
    [CAUSE_NO_USERNS_KERNEL] = "this kernel has no user namespaces",
    [CAUSE_USERNS_DISABLED] = "user.max_user_namespaces is 0",
    [CAUSE_UNPRIVILEGED_USERNS_OFF] = "kernel.unprivileged_userns_clone is 0",
    [CAUSE_APPARMOR_USERNS] = "AppArmor restricts unprivileged user namespaces",
  };

  if (cause == N_CAUSES)
    add (rep, "userns", STATE_OK, NULL, "user namespaces available (user.max_user_namespaces = %s)", max ? max : "?");
  else
    add (rep, "userns", cause == CAUSE_APPARMOR_USERNS ? STATE_WARN : STATE_FAIL,
         cause_remedy (cause), "%s", what[cause]);
}

static void
check_seccomp (struct report *rep)
{
  long mode = seccomp_mode ();

  if (mode == 2)
    add (rep, "seccomp", STATE_INFO, NULL,
         "a seccomp filter is active (a runtime's default profile may refuse namespaces and mounts; see the trial run)");
  else
    add (rep, "seccomp", STATE_OK, NULL, "no seccomp filter (mode %ld)", mode);
}

/* What the label in the lsm line means for nestbox's mounts. */
static const char *
lsm_effect (const struct lsm_confinement *c)
{
  if (lsm_confines (c))
    return " confines nestbox: a refused mount is blamed on it (see the trial run)";
  if (c->kind == LSM_APPARMOR && c->mode == APPARMOR_MODE_COMPLAIN)
    return ": complain mode logs, it refuses nothing";
  if (c->kind == LSM_APPARMOR || c->kind == LSM_SELINUX)
    return ": nestbox is not confined";
  return "";
}

/* The module and label that confine nestbox, read as the launcher reads
 * them when a mount is refused (lsm.c), so that both name the same one. */
static void
check_lsm (struct report *rep)
{
  _cleanup_free_ char *active = read_trimmed ("/sys/kernel/security/lsm");
  _cleanup_free_ char *enforce = read_trimmed ("/sys/fs/selinux/enforce");
  struct lsm_confinement c;
  char who[2 * LSM_TEXT_MAX];

  lsm_detect ("", &c);
  if (c.kind == LSM_NONE)
    snprintf (who, sizeof who, "none: %s", c.why);
  else
    lsm_describe (&c, who, sizeof who);
  add (rep, "lsm", STATE_INFO, NULL, "%s%s; active LSMs: %s", who, lsm_effect (&c),
       active ? active : "unknown (no /sys/kernel/security/lsm here)");
  if (enforce)
    add (rep, "selinux", c.kind == LSM_SELINUX && strcmp (c.name, "container_t") == 0 ? STATE_WARN : STATE_INFO,
         cause_remedy (CAUSE_SELINUX_MOUNT), "SELinux %s, context %s",
         strcmp (enforce, "1") == 0 ? "enforcing" : "permissive", c.kind == LSM_SELINUX ? c.label : "?");
}

static void
check_landlock (struct report *rep)
{
  const char *why = NULL;
  int abi = landlock_abi (&why);

  if (abi >= LANDLOCK_FULL_ABI)
    add (rep, "landlock", STATE_OK, NULL, "ABI %d: --landlock covers %s", abi, landlock_coverage (abi));
  else if (abi > 0)
    add (rep, "landlock", STATE_INFO, "--landlock needs ABI 6 (Linux 6.12); --landlock-try uses what there is",
         "ABI %d covers %s", abi, landlock_coverage (abi));
  else
    add (rep, "landlock", STATE_INFO, "--landlock-try runs without it; --landlock refuses", "none: %s", why);
}

/* Which cgroup limits this environment can apply, controller by
 * controller, and where (cgroup_where.c decides it for the launcher). */
static void
check_limits (struct report *rep)
{
  static const char *const names[N_CONTROLLERS] = { "limit-memory", "limit-pids", "limit-cpu", "limit-io" };
  static const char *const options[N_CONTROLLERS] = { "--memory-max, --memory-swap-max", "--pids-max",
                                                      "--cpu-max, --cpus, --cpu-weight", "--io-weight" };

  for (unsigned i = 0; i < N_CONTROLLERS; i++)
    {
      struct cgroup_where where;

      if (cgroup_where_find (1u << i, &where))
        add (rep, names[i], STATE_OK, NULL, "%s: the sandbox's cgroup goes below %s%s", options[i], where.path,
             where.beside_own ? " (beside nestbox's own)" : "");
      else
        add (rep, names[i], STATE_INFO, where.remedy, "%s refuse (--limits-try runs without): %s", options[i], where.why);
      cgroup_where_free (&where);
    }
}

static void
check_proc (struct report *rep)
{
  struct mount_table table;
  struct proc_view view;
  struct statvfs sv;

  if (mountinfo_read (&table) < 0)
    {
      add (rep, "proc", STATE_WARN, NULL, "cannot read /proc/self/mountinfo");
      return;
    }
  procview_predict (&table, &view);
  mountinfo_free (&table);
  if (view.fresh_allowed)
    add (rep, "proc", STATE_OK, NULL, "%s is unmasked: a fresh /proc can be mounted%s", view.proc_mount,
         view.readonly ? " (read-only, as the visible one)" : "");
  else
    add (rep, "proc", STATE_FAIL, cause_remedy (CAUSE_PROC_MASKED),
         "%s is masked by %zu mount%s (first: %s): a fresh /proc in a user namespace is refused",
         view.proc_mount ? view.proc_mount : "/proc", view.n_blockers, view.n_blockers == 1 ? "" : "s",
         view.n_blockers ? view.blockers[0] : "none");
  procview_free (&view);

  if (statvfs ("/proc/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
    add (rep, "proc_sys", STATE_INFO, NULL,
         "/proc/sys is read-only: --disable-userns uses the sandbox's own procfs, or a seccomp filter");
  else
    add (rep, "proc_sys", STATE_OK, NULL, "/proc/sys is writable");
}

/* The caller's name from /etc/passwd (NULL if not there).  Not
 * getpwuid(): nestbox is linked statically, and glibc's NSS modules cannot
 * be loaded safely into a static program.  Users only known to other NSS
 * sources are matched by uid in /etc/subuid, which newuidmap accepts too. */
static char *
own_user_name (void)
{
  _cleanup_free_ char *text = NULL;
  char *save = NULL;

  if (read_file_at (AT_FDCWD, "/etc/passwd", 1 << 22, &text) < 0)
    return NULL;
  for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      /* name:password:uid:gid:... */
      char *password = strchr (line, ':');
      char *uid = password ? strchr (password + 1, ':') : NULL;
      uint64_t v;

      if (uid == NULL)
        continue;
      *password = '\0';
      uid++;
      uid[strcspn (uid, ":")] = '\0';
      if (parse_uint64 (uid, 10, &v) && v == getuid ())
        return xstrdup (line);
    }
  return NULL;
}

/* Whether FILE (/etc/subuid, /etc/subgid) has a range for our uid or name. */
static bool
user_has_subids (const char *file, const char *name)
{
  _cleanup_free_ char *text = NULL;
  char uid_prefix[32];

  if (read_file_at (AT_FDCWD, file, 1 << 20, &text) < 0)
    return false;
  snprintf (uid_prefix, sizeof uid_prefix, "%u:", getuid ());
  for (char *line = text; line && *line; line = strchr (line, '\n') ? strchr (line, '\n') + 1 : NULL)
    {
      if (strncmp (line, uid_prefix, strlen (uid_prefix)) == 0
          || (name && strncmp (line, name, strlen (name)) == 0 && line[strlen (name)] == ':'))
        return true;
    }
  return false;
}

static void
check_id_mapping_tools (struct report *rep)
{
  bool tool = access ("/usr/bin/newuidmap", X_OK) == 0 && access ("/usr/bin/newgidmap", X_OK) == 0;
  _cleanup_free_ char *name = own_user_name ();
  bool ranges = user_has_subids ("/etc/subuid", name) && user_has_subids ("/etc/subgid", name);

  add (rep, "subids", tool && ranges ? STATE_OK : STATE_INFO,
       cause_remedy (tool ? CAUSE_NO_SUBIDS : CAUSE_NO_UIDMAP_TOOL),
       "newuidmap %s, subordinate id ranges %s (only --uid-map/--gid-map as a non-root user needs them)",
       tool ? "installed" : "missing", ranges ? "present" : "absent");
}

/* The first line of stderr the launcher printed at syslog level (its
 * --level-prefix form "<N>name: text"), without the prefix; "" if none. */
static void
trial_line (const char *err, int level, char *out, size_t size)
{
  char prefix[8];

  snprintf (prefix, sizeof prefix, "<%d>", level);
  out[0] = '\0';
  for (const char *line = err; line && *line; line = strchr (line, '\n') ? strchr (line, '\n') + 1 : NULL)
    if (strncmp (line, prefix, strlen (prefix)) == 0)
      {
        const char *text = strstr (line, ": ");
        size_t len = strcspn (text ? text + 2 : line, "\n");

        snprintf (out, size, "%.*s", (int) len, text ? text + 2 : line);
        return;
      }
}

/* Run the launcher itself on the reference sandbox.  With --level-prefix
 * its error (level 3) and its remedy (level 6) can be told apart, so that
 * doctor reports the launcher's own cause and fix. */
static void
check_trial (struct report *rep)
{
  static char *const argv[] = {
    "nestbox",
    "--level-prefix",
    "--ro-bind",
    "/",
    "/",
    "--unshare-all",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--die-with-parent",
    "true",
    NULL,
  };
  _cleanup_free_ char *err = NULL;
  char cause[512], remedy[1024];
  size_t len;
  int p[2], status;
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    return;
  pid = fork ();
  if (pid == 0)
    {
      dup2 (p[1], STDERR_FILENO);
      execv ("/proc/self/exe", argv);
      _exit (127);
    }
  close (p[1]);
  if (read_all (p[0], 1 << 16, &err, &len) < 0)
    err = xstrdup ("");
  close (p[0]);
  RETRY_EINTR (waitpid (pid, &status, 0));
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    {
      add (rep, "sandbox", STATE_OK, NULL, "nestbox --unshare-all --proc /proc --dev /dev works here");
      return;
    }
  trial_line (err, 3, cause, sizeof cause);
  trial_line (err, 6, remedy, sizeof remedy);
  add (rep, "sandbox", STATE_FAIL, remedy[0] ? remedy : "see the failing checks above",
       "nestbox --unshare-all --proc /proc --dev /dev fails: %s", cause[0] ? cause : "no message");
}

static void
print_json_string (const char *s)
{
  putchar ('"');
  for (; s && *s; s++)
    {
      if (*s == '"' || *s == '\\')
        printf ("\\%c", *s);
      else if ((unsigned char) *s < 0x20)
        printf ("\\u%04x", *s);
      else
        putchar (*s);
    }
  putchar ('"');
}

static void
print_json (const struct report *rep, bool ok)
{
  printf ("{\n  \"ok\": %s,\n  \"checks\": [\n", ok ? "true" : "false");
  for (size_t i = 0; i < rep->n; i++)
    {
      const struct check *c = &rep->checks[i];

      printf ("    { \"name\": ");
      print_json_string (c->name);
      printf (", \"state\": \"%s\", \"detail\": ", state_names[c->state]);
      print_json_string (c->detail);
      printf (", \"remedy\": ");
      if (c->remedy && c->state >= STATE_WARN)
        print_json_string (c->remedy);
      else
        printf ("null");
      printf (" }%s\n", i + 1 < rep->n ? "," : "");
    }
  printf ("  ]\n}\n");
}

static void
print_text (const struct report *rep, bool ok)
{
  for (size_t i = 0; i < rep->n; i++)
    {
      const struct check *c = &rep->checks[i];

      printf ("[%-4s] %-9s %s\n", state_names[c->state], c->name, c->detail);
      if (c->remedy && c->state >= STATE_WARN)
        printf ("         %-9s fix: %s\n", "", c->remedy);
    }
  printf ("%s\n", ok ? "sandboxes work here" : "sandboxes do not work here: see the checks marked fail");
}

int
doctor_main (int argc, char **argv)
{
  struct report rep = { .n = 0 };
  bool json = false, ok;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--json") == 0)
        json = true;
      else
        die ("doctor: unknown argument %s (usage: nestbox doctor [--json])", argv[i]);
    }
  check_kernel (&rep);
  check_identity (&rep);
  check_userns_limits (&rep);
  check_seccomp (&rep);
  check_lsm (&rep);
  check_landlock (&rep);
  check_proc (&rep);
  check_id_mapping_tools (&rep);
  check_limits (&rep);
  check_trial (&rep);
  ok = rep.checks[rep.n - 1].state == STATE_OK;
  if (json)
    print_json (&rep, ok);
  else
    print_text (&rep, ok);
  for (size_t i = 0; i < rep.n; i++)
    {
      free (rep.checks[i].detail);
      free (rep.checks[i].remedy);
    }
  fflush (stdout);
  return ok ? 0 : 1;
}
