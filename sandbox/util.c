/* Errors, messages and small safe wrappers. */
#include "util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

const char *program_name = "nestbox";
bool log_level_prefix;

void
set_program_name (const char *argv0)
{
  const char *slash;

  if (argv0 == NULL || *argv0 == '\0')
    return;
  slash = strrchr (argv0, '/');
  program_name = slash ? slash + 1 : argv0;
  if (*program_name == '\0')
    program_name = "nestbox";
}

static void
vlog (int level, const char *fmt, va_list ap, const char *detail)
{
  /* One buffer and one write, so that lines from several processes of the
   * sandbox never interleave mid-line.  An overlong message (a huge path)
   * is cut, but the reason after it always fits. */
  char line[4096];
  size_t cap = sizeof line - 256, n = 0;
  int r;

  if (log_level_prefix)
    n = (size_t) snprintf (line, sizeof line, "<%d>", level);
  /* The name is argv[0]'s, the caller's choice and of any length: cut, so
   * that the message and its reason keep their room. */
  n += (size_t) snprintf (line + n, sizeof line - n, "%.64s: ", program_name);
  r = vsnprintf (line + n, cap - n, fmt, ap);
  if (r >= 0 && n + (size_t) r >= cap)
    {
      n = cap - 1;
      n += (size_t) snprintf (line + n, sizeof line - n, "...");
    }
  else if (r >= 0)
    n += (size_t) r;
  if (detail != NULL)
    n += (size_t) snprintf (line + n, sizeof line - n, ": %.200s", detail);
  line[n++] = '\n';
  (void) write_all (STDERR_FILENO, line, n);
}

/* warn_msg, error_msg and remedy_msg: one line at their level; errno is
 * left as it was, so that a caller can still report it. */
#define DEFINE_LOG_FUNCTION(name, level) \
  void name (const char *fmt, ...)       \
  {                                      \
    va_list ap;                          \
    int saved = errno;                   \
                                         \
    va_start (ap, fmt);                  \
    vlog (level, fmt, ap, NULL);         \
    va_end (ap);                         \
    errno = saved;                       \
  }

DEFINE_LOG_FUNCTION (warn_msg, 4)
DEFINE_LOG_FUNCTION (error_msg, 3)
DEFINE_LOG_FUNCTION (remedy_msg, 6)

#ifdef NESTBOX_FUZZING
jmp_buf *nestbox_fuzz_die_jmp;
#endif

/* The one way out on an error.  In fuzzing builds (tests/fuzz) a harness
 * may catch it, so that one process can parse millions of inputs. */
static _Noreturn void
exit_failure (void)
{
#ifdef NESTBOX_FUZZING
  if (nestbox_fuzz_die_jmp != NULL)
    longjmp (*nestbox_fuzz_die_jmp, 1);
#endif
  _exit (1);
}

void
die (const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vlog (3, fmt, ap, NULL);
  va_end (ap);
  exit_failure ();
}

void
die_errno (int err, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vlog (3, fmt, ap, strerror (err));
  va_end (ap);
  exit_failure ();
}

void
die_oom (void)
{
  static const char msg[] = "out of memory\n";

  (void) write_all (STDERR_FILENO, msg, sizeof msg - 1);
  exit_failure ();
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);

  if (p == NULL)
    die_oom ();
  return p;
}

void *
xcalloc (size_t n, size_t size)
{
  void *p = calloc (n ? n : 1, size ? size : 1);

  if (p == NULL)
    die_oom ();
  return p;
}

void *
xreallocarray (void *p, size_t n, size_t size)
{
  void *r = reallocarray (p, n ? n : 1, size ? size : 1);

  if (r == NULL)
    die_oom ();
  return r;
}

char *
xstrdup (const char *s)
{
  char *r = strdup (s);

  if (r == NULL)
    die_oom ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *r;
  int n;

  va_start (ap, fmt);
  n = vasprintf (&r, fmt, ap);
  va_end (ap);
  if (n < 0)
    die_oom ();
  return r;
}

int
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (n == 0)
        return -EIO;
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

int
read_all (int fd, size_t max_len, char **out, size_t *out_len)
{
  size_t cap = 4096, len = 0;
  char *buf = xmalloc (cap);

  for (;;)
    {
      ssize_t n;

      if (len + 1 >= cap)
        {
          if (cap > max_len)
            {
              free (buf);
              return -EFBIG;
            }
          cap *= 2;
          buf = xreallocarray (buf, cap, 1);
        }
      n = read (fd, buf + len, cap - len - 1);
      if (n < 0)
        {
          int err = errno;

          if (err == EINTR)
            continue;
          free (buf);
          return -err;
        }
      if (n == 0)
        break;
      len += (size_t) n;
      if (len > max_len)
        {
          free (buf);
          return -EFBIG;
        }
    }
  buf[len] = '\0';
  *out = buf;
  if (out_len)
    *out_len = len;
  return 0;
}

int
read_file_at (int dirfd, const char *path, size_t max_len, char **out)
{
  _cleanup_close_ int fd = RETRY_EINTR (openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY));

  if (fd < 0)
    return -errno;
  return read_all (fd, max_len, out, NULL);
}

int
write_file_at (int dirfd, const char *path, const char *content)
{
  _cleanup_close_ int fd = RETRY_EINTR (openat (dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY));

  if (fd < 0)
    return -errno;
  return write_all (fd, content, strlen (content));
}

bool
parse_uint64 (const char *s, int base, uint64_t *out)
{
  char *end = NULL;
  unsigned long long v;

  /* strtoull accepts leading blanks and a minus sign: refuse both. */
  if (s == NULL || *s < '0' || *s > '9')
    return false;
  errno = 0;
  v = strtoull (s, &end, base);
  if (errno != 0 || end == s || *end != '\0')
    return false;
  *out = v;
  return true;
}

bool
parse_fd (const char *s, int *fd)
{
  uint64_t v;

  if (!parse_uint64 (s, 10, &v) || v > INT32_MAX)
    return false;
  *fd = (int) v;
  return true;
}

bool
parse_id (const char *s, uint32_t *out)
{
  uint64_t v;

  /* (uint32_t)-1 is "no id" for the kernel: never a valid uid or gid. */
  if (!parse_uint64 (s, 10, &v) || v >= UINT32_MAX)
    return false;
  *out = (uint32_t) v;
  return true;
}

int
exit_code_from_status (int status)
{
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return 1;
}
