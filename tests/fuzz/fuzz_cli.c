/* The command line: cli_parse() and cli_validate() on an argv made from the
 * input, with --args data read from a real fd.
 *
 * Input: NUL-separated words make argv (a final NUL ends the last word, so
 * "a\0\0b" is "a", "", "b").  If the marker ARGS_MARKER occurs, what follows
 * its first occurrence is the data behind fd ARGS_FD, raw (embedded NULs,
 * thousands of words, unterminated last word all reach the parser). */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz.h"
#include "sandbox/cli.h"
#include "sandbox/plan.h"

#define ARGS_MARKER "%%ARGS%%"
#define ARGS_FD 30

/* An fd the parser may read: ours, or a closed one (EBADF is bad input
 * worth fuzzing).  Any other open fd belongs to libFuzzer: reading it could
 * block (a terminal, a pipe) or steal its data. */
static bool
args_fd_is_safe (const char *value)
{
  int fd;

  if (!parse_fd (value, &fd))
    return true;
  return fd == ARGS_FD || fcntl (fd, F_GETFD) < 0;
}

/* Inputs the harness cannot run in-process: --help and --version print and
 * _exit(0) by design, and --args of an fd we do not own. */
static bool
runnable (char **words, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      const char *w = words[i];

      if (strcmp (w, "--help") == 0 || strcmp (w, "--version") == 0)
        return false;
      if (strcmp (w, "--args") == 0 && i + 1 < n && !args_fd_is_safe (words[i + 1]))
        return false;
      if (strncmp (w, "--args=", 7) == 0 && !args_fd_is_safe (w + 7))
        return false;
    }
  return true;
}

/* Split buf[0..len) (with buf[len] == '\0') at NULs; words point into buf. */
static char **
split_words (char *buf, size_t len, size_t *n_out)
{
  size_t n = 0, i;
  char **words;

  for (i = 0; i < len; i++)
    if (buf[i] == '\0')
      n++;
  if (len > 0 && buf[len - 1] != '\0')
    n++;
  words = xcalloc (n + 1, sizeof *words);
  for (i = 0, n = 0; i < len; i += strlen (buf + i) + 1)
    words[n++] = buf + i;
  *n_out = n;
  return words;
}

/* What a plan that passed the parser must look like, whatever the input. */
static void
check_plan (const struct plan *plan)
{
  FUZZ_ASSERT (plan->command != NULL && plan->command[0] != NULL);
  for (size_t i = 0; i < plan->n_ops; i++)
    {
      const struct op *op = &plan->ops[i];

      FUZZ_ASSERT (op->dest != NULL);
      FUZZ_ASSERT (op->perms >= -1 && op->perms <= 07777);
      if (op->type == OP_BIND_FD || op->type == OP_FILE || op->type == OP_BIND_DATA)
        FUZZ_ASSERT (op->fd >= 0);
      else
        FUZZ_ASSERT (op->fd == -1);
      if (op->type == OP_TMPFS)
        FUZZ_ASSERT (op->size <= (uint64_t) (SIZE_MAX >> 1));
      else
        FUZZ_ASSERT (op->size == 0);
      if (op->type == OP_OVERLAY)
        {
          FUZZ_ASSERT (op->n_overlay_sources >= (op->overlay == OVERLAY_RO ? 2u : 1u));
          for (size_t k = 0; k < op->n_overlay_sources; k++)
            FUZZ_ASSERT (op->overlay_sources[k] != NULL);
        }
      else
        FUZZ_ASSERT (op->overlay_sources == NULL);
    }
  for (size_t i = 0; i < plan->n_env_ops; i++)
    if (plan->env_ops[i].type != ENV_CLEAR)
      FUZZ_ASSERT (plan->env_ops[i].name[0] != '\0' && strchr (plan->env_ops[i].name, '=') == NULL);
  for (size_t i = 0; i < plan->n_uid_map; i++)
    FUZZ_ASSERT (plan->uid_map[i].count > 0
                 && (uint64_t) plan->uid_map[i].inside + plan->uid_map[i].count <= UINT32_MAX
                 && (uint64_t) plan->uid_map[i].outside + plan->uid_map[i].count <= UINT32_MAX);
  for (size_t i = 0; i < plan->n_gid_map; i++)
    FUZZ_ASSERT (plan->gid_map[i].count > 0
                 && (uint64_t) plan->gid_map[i].inside + plan->gid_map[i].count <= UINT32_MAX
                 && (uint64_t) plan->gid_map[i].outside + plan->gid_map[i].count <= UINT32_MAX);
  if (plan->uid_set)
    FUZZ_ASSERT (plan->uid != UINT32_MAX);
  if (plan->gid_set)
    FUZZ_ASSERT (plan->gid != UINT32_MAX);
  for (size_t i = 0; i < plan->n_add_seccomp_fds; i++)
    FUZZ_ASSERT (plan->add_seccomp_fds[i] >= 0);
  FUZZ_ASSERT (plan->seccomp_fd == -1 || plan->n_add_seccomp_fds == 0);
}

/* The --args data behind ARGS_FD, in a memfd (a pipe would block past
 * 64 KiB). */
static void
provide_args_fd (const char *data, size_t len)
{
  int fd = memfd_create ("fuzz-args", MFD_CLOEXEC);

  if (fd < 0 || write_all (fd, data, len) < 0 || lseek (fd, 0, SEEK_SET) != 0
      || dup2 (fd, ARGS_FD) != ARGS_FD)
    abort (); /* the harness itself failed: not an input's fault */
  close (fd);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *buf = xmalloc (size + 1), *marker;
  size_t argv_len = size, n_words;
  char **words, **args_words = NULL;
  const char *args_data = NULL;
  size_t args_len = 0, n_args_words = 0;
  struct plan plan;
  bool died;

  memcpy (buf, data, size);
  buf[size] = '\0';
  marker = memmem (buf, size, ARGS_MARKER, strlen (ARGS_MARKER));
  if (marker != NULL)
    {
      argv_len = (size_t) (marker - buf);
      args_data = marker + strlen (ARGS_MARKER);
      args_len = size - argv_len - strlen (ARGS_MARKER);
      *marker = '\0';
    }
  words = split_words (buf, argv_len, &n_words);
  if (args_data != NULL)
    {
      /* The words of the --args data, only to see what they ask for. */
      char *copy = xmalloc (args_len + 1);

      memcpy (copy, args_data, args_len);
      copy[args_len] = '\0';
      args_words = split_words (copy, args_len, &n_args_words);
      if (!runnable (args_words, n_args_words))
        n_words = 0;
      free (args_words);
      free (copy);
    }
  if (n_words == 0 || !runnable (words, n_words))
    {
      /* Never added to the corpus (an empty argv is main.c's case). */
      free (words);
      free (buf);
      return -1;
    }

  provide_args_fd (args_data ? args_data : "", args_len);
  log_level_prefix = false;
  plan_init (&plan);
  FUZZ_CATCH (&died, {
    cli_parse (&plan, (int) n_words, words, "nestbox");
    cli_validate (&plan);
    check_plan (&plan);
  });
  (void) died;
  plan_free (&plan);
  close (ARGS_FD); /* if the parser did not consume it */
  free (words);
  free (buf);
  return 0;
}
