/* Unit tests of the security-module detection (sandbox/lsm.c) and the
 * remedy chosen for a mount it refuses (sandbox/causes.c).
 *
 * Each file in tests/lsm/ is one case: what the kernel showed in
 * /proc/self/attr/apparmor/current, /proc/self/attr/current and
 * /sys/kernel/security/lsm (with C escapes, so that a trailing NUL or
 * newline is exact; "errno ENOENT" for a file that could not be read; a
 * file not named is missing), and the verdict expected.  Every case runs
 * twice: through the parser on the contents, and through the reader on a
 * directory laid out like / with those files in it.
 *
 *   test-lsm CASE_DIR */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sandbox/causes.h"
#include "sandbox/lsm.h"
#include "sandbox/util.h"

static int count, failed;

static void __attribute__ ((format (printf, 2, 3)))
ok (bool cond, const char *fmt, ...)
{
  va_list ap;

  count++;
  if (!cond)
    failed++;
  printf ("%sok %d - ", cond ? "" : "not ", count);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  printf ("\n");
  fflush (stdout);
}

enum source
{
  SRC_APPARMOR,
  SRC_CURRENT,
  SRC_LSM,
  N_SOURCES
};
static const char *const source_keys[N_SOURCES] = { "apparmor", "current", "lsm" };
static const char *const source_paths[N_SOURCES] = { "proc/self/attr/apparmor/current", "proc/self/attr/current",
                                                     "sys/kernel/security/lsm" };

enum expectation
{
  EXP_KIND,
  EXP_NAME,
  EXP_MODE,
  EXP_NS,
  EXP_STACKED,
  EXP_CONFINES,
  EXP_DESCRIBE,
  EXP_REMEDY,
  N_EXPECTATIONS
};
static const char *const expectation_keys[N_EXPECTATIONS] = { "kind", "name", "mode", "ns", "stacked", "confines", "describe", "remedy" };

struct test_case
{
  const char *name;
  bool proc_absent;
  struct lsm_file files[N_SOURCES]; /* data NULL and err ENOENT: missing */
  char *want[N_EXPECTATIONS];
};

static int
errno_named (const char *name)
{
  static const struct
  {
    const char *name;
    int err;
  } names[] = { { "ENOENT", ENOENT }, { "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EPERM", EPERM } };

  for (size_t i = 0; i < N_ELEMENTS (names); i++)
    if (strcmp (name, names[i].name) == 0)
      return names[i].err;
  die ("unknown errno name %s in a case file", name);
}

/* \n \t \0 \\ \xHH into bytes; returns the length. */
static size_t
unescape (const char *s, char *out)
{
  size_t n = 0;

  while (*s)
    {
      unsigned byte;

      if (*s != '\\')
        out[n++] = *s++;
      else if (s[1] == 'x' && sscanf (s + 2, "%2x", &byte) == 1)
        {
          out[n++] = (char) byte;
          s += 4;
        }
      else
        {
          out[n++] = s[1] == 'n' ? '\n' : s[1] == 't' ? '\t'
                                      : s[1] == '0'   ? '\0'
                                                      : s[1];
          s += s[1] ? 2 : 1;
        }
    }
  out[n] = '\0';
  return n;
}

static void
set_source (struct lsm_file *f, const char *value)
{
  char *data;

  if (strncmp (value, "errno ", 6) == 0)
    {
      f->err = errno_named (value + 6);
      return;
    }
  data = xmalloc (strlen (value) + 1);
  f->len = unescape (value, data);
  f->data = data;
  f->err = 0;
}

/* One "key: value" line of a case file. */
static void
take_line (struct test_case *tc, const char *key, const char *value)
{
  if (strcmp (key, "proc") == 0)
    {
      tc->proc_absent = strcmp (value, "absent") == 0;
      return;
    }
  for (int i = 0; i < N_SOURCES; i++)
    if (strcmp (key, source_keys[i]) == 0)
      {
        set_source (&tc->files[i], value);
        return;
      }
  for (int i = 0; i < N_EXPECTATIONS; i++)
    if (strcmp (key, expectation_keys[i]) == 0)
      {
        tc->want[i] = xstrdup (value);
        return;
      }
  die ("%s: unknown key %s", tc->name, key);
}

static void
load_case (const char *dir, const char *name, struct test_case *tc)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", dir, name);
  _cleanup_free_ char *text = NULL;
  char *save = NULL;

  memset (tc, 0, sizeof *tc);
  tc->name = name;
  for (int i = 0; i < N_SOURCES; i++)
    tc->files[i].err = ENOENT;
  if (read_file_at (AT_FDCWD, path, 1 << 16, &text) < 0)
    die ("cannot read %s", path);
  for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *colon = strchr (line, ':');

      if (line[0] == '#' || colon == NULL)
        continue;
      *colon = '\0';
      take_line (tc, line, colon[1] == ' ' ? colon + 2 : colon + 1);
    }
  for (int i = 0; i < N_EXPECTATIONS; i++)
    if (tc->want[i] == NULL)
      die ("%s: no %s: line", name, expectation_keys[i]);
}

static const char *
kind_name (enum lsm_kind k)
{
  static const char *const names[] = { "unknown", "none", "apparmor", "selinux" };
  return names[k];
}

static const char *
mode_name (enum apparmor_mode m)
{
  static const char *const names[] = { "none", "enforce", "complain", "kill", "unconfined", "user", "mixed", "other" };
  return names[m];
}

/* "@APPARMOR_PROFILE@" stands for the installed path, which the prefix
 * decides. */
static char *
expand (const char *want)
{
  const char *at = strstr (want, "@APPARMOR_PROFILE@");

  if (at == NULL)
    return xstrdup (want);
  return xasprintf ("%.*s%s%s", (int) (at - want), want, NESTBOX_APPARMOR_PROFILE, at + strlen ("@APPARMOR_PROFILE@"));
}

/* One test point: every expectation of the case against c. */
static void
check_case (const struct test_case *tc, const struct lsm_confinement *c, const char *how)
{
  _cleanup_free_ char *remedy = lsm_refusal_remedy (c, "the mount");
  char describe[1024];
  const char *got[N_EXPECTATIONS];
  bool all = true;

  lsm_describe (c, describe, sizeof describe);
  got[EXP_KIND] = kind_name (c->kind);
  got[EXP_NAME] = c->name;
  got[EXP_MODE] = mode_name (c->mode);
  got[EXP_NS] = c->ns;
  got[EXP_STACKED] = c->stacked ? "yes" : "no";
  got[EXP_CONFINES] = lsm_confines (c) ? "yes" : "no";
  got[EXP_DESCRIBE] = describe;
  got[EXP_REMEDY] = remedy;
  for (int i = 0; i < N_EXPECTATIONS; i++)
    {
      _cleanup_free_ char *want = expand (tc->want[i]);

      if (strcmp (got[i], want) != 0)
        {
          printf ("# %s: %s is \"%s\", want \"%s\"\n", tc->name, expectation_keys[i], got[i], want);
          all = false;
        }
    }
  ok (all, "%s (%s): %s, remedy chosen", tc->name, how, describe);
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st, (void) flag, (void) ftw;
  return remove (path);
}

static void
write_file (const char *root, const char *rel, const char *data, size_t len)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", root, rel);
  _cleanup_close_ int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0 || write_all (fd, data, len) < 0)
    die_errno (errno, "writing %s", path);
}

static void
make_dirs (const char *root)
{
  static const char *const dirs[] = { "proc", "proc/self", "proc/self/attr", "proc/self/attr/apparmor", "sys", "sys/kernel", "sys/kernel/security" };

  for (size_t i = 0; i < N_ELEMENTS (dirs); i++)
    {
      _cleanup_free_ char *path = xasprintf ("%s/%s", root, dirs[i]);
      if (mkdir (path, 0755) != 0)
        die_errno (errno, "mkdir %s", path);
    }
}

/* The reader on a directory laid out like /: missing files stand for
 * both ENOENT and EINVAL, which mean the same; other errors cannot be
 * made with plain files. */
static void
check_reader (const struct test_case *tc)
{
  char root[] = "/tmp/test-lsm.XXXXXX";
  struct lsm_confinement c;

  for (int i = 0; i < N_SOURCES; i++)
    if (tc->files[i].data == NULL && tc->files[i].err != ENOENT && tc->files[i].err != EINVAL)
      {
        printf ("ok %d - %s (reader) # SKIP %s cannot be made with a plain file\n", ++count, tc->name, strerror (tc->files[i].err));
        return;
      }
  if (mkdtemp (root) == NULL)
    die_errno (errno, "mkdtemp");
  make_dirs (root);
  /* Without /proc/self/stat there is no procfs, whatever else is there. */
  if (!tc->proc_absent)
    write_file (root, "proc/self/stat", "1 (test-lsm) R\n", 15);
  else
    write_file (root, "proc/self/attr/current", "unconfined\n", 11);
  for (int i = 0; i < N_SOURCES; i++)
    if (tc->files[i].data)
      write_file (root, source_paths[i], tc->files[i].data, tc->files[i].len);
  lsm_detect (root, &c);
  check_case (tc, &c, "reader");
  nftw (root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
run_case (const char *dir, const char *name)
{
  struct test_case tc;
  struct lsm_sources src;
  struct lsm_confinement c;

  load_case (dir, name, &tc);
  src = (struct lsm_sources){ .proc_seen = !tc.proc_absent, .apparmor = tc.files[SRC_APPARMOR], .current = tc.files[SRC_CURRENT], .active_modules = tc.files[SRC_LSM] };
  lsm_parse (&src, &c);
  check_case (&tc, &c, "parser");
  check_reader (&tc);
  for (int i = 0; i < N_SOURCES; i++)
    free ((char *) tc.files[i].data);
  for (int i = 0; i < N_EXPECTATIONS; i++)
    free (tc.want[i]);
}

static int
is_case_file (const struct dirent *d)
{
  return d->d_name[0] != '.' && strchr (d->d_name, '.') == NULL;
}

static int
run_case_files (const char *dir)
{
  struct dirent **names;
  int n = scandir (dir, &names, is_case_file, alphasort);

  if (n < 0)
    die_errno (errno, "scandir %s", dir);
  for (int i = 0; i < n; i++)
    {
      run_case (dir, names[i]->d_name);
      free (names[i]);
    }
  free (names);
  return n;
}

/* The edges the case files do not reach. */
static void
check_edges (void)
{
  struct lsm_confinement c;
  char long_label[600];

  memset (long_label, 'p', 400);
  strcpy (long_label + 400, " (enforce)");
  ok (lsm_parse_apparmor (long_label, &c) && c.mode == APPARMOR_MODE_ENFORCE && strlen (c.name) == LSM_TEXT_MAX - 1
          && strcmp (c.name + LSM_TEXT_MAX - 4, "...") == 0,
      "a 400-character profile name is cut to %d characters ending in ...", LSM_TEXT_MAX - 1);
  ok (lsm_parse_apparmor ("future-profile (prompt)", &c) && c.mode == APPARMOR_MODE_OTHER && lsm_confines (&c),
      "a mode word this version does not know counts as confining");
  ok (lsm_parse_apparmor ("a (mixed)", &c) && c.mode == APPARMOR_MODE_MIXED && lsm_confines (&c), "mixed confines");
  ok (lsm_parse_apparmor ("a (user)", &c) && c.mode == APPARMOR_MODE_USER && lsm_confines (&c), "user mode confines");
  ok (lsm_parse_apparmor (":ns:unconfined", &c) && !lsm_confines (&c) && strcmp (c.ns, "ns") == 0,
      "a child namespace's unconfined, without a mode, does not confine");
  ok (!lsm_parse_apparmor ("", &c) && !lsm_parse_apparmor (" (enforce)", &c) && !lsm_parse_apparmor ("(enforce)", &c),
      "AppArmor labels without a name are refused");
  ok (!lsm_parse_apparmor (":ns (enforce)", &c) && !lsm_parse_apparmor ("::p (enforce)", &c),
      "a namespace prefix without its closing colon, or empty, is refused");
  ok (!lsm_parse_apparmor ("profile", &c) && !lsm_parse_apparmor ("a//&b", &c),
      "a name without a mode that is not unconfined is not AppArmor's");
  ok (!lsm_parse_selinux ("a:b", &c) && !lsm_parse_selinux ("a::c", &c) && !lsm_parse_selinux ("a:b:c:", &c)
          && !lsm_parse_selinux ("a b:c:d", &c) && !lsm_parse_selinux ("unconfined", &c),
      "SELinux contexts need user, role and type, and no blanks");
  ok (lsm_list_has ("capability,selinux\n", "selinux") && !lsm_list_has ("capability,selinux", "selin")
          && !lsm_list_has ("capability,selinux", "linux") && !lsm_list_has ("", "selinux") && !lsm_list_has (NULL, "selinux"),
      "the module list is matched name by name");
}

int
main (int argc, char **argv)
{
  int n;

  if (argc != 2)
    die ("usage: test-lsm CASE_DIR");
  n = run_case_files (argv[1]);
  ok (n >= 10, "read %d case files from %s", n, argv[1]);
  check_edges ();
  printf ("1..%d\n", count);
  return failed ? 1 : 0;
}
