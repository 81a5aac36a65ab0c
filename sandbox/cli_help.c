/* --help, grouped by topic and wrapped to 80 columns, and --version. */
#include "cli_help.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_options.h"

#define HELP_INDENT 4
#define HELP_TEXT_COLUMN 32
#define HELP_WIDTH 79

static const char *const topic_titles[N_TOPICS] = {
  [TOPIC_GENERAL] = "General",
  [TOPIC_NAMESPACES] = "Namespaces",
  [TOPIC_IDS] = "User and group ids",
  [TOPIC_FILESYSTEM] = "Files and mounts, applied in the order given",
  [TOPIC_PROCESS] = "The command",
  [TOPIC_LIMITS] = "Limits (the cgroup ones need a delegated cgroup v2 subtree)",
  [TOPIC_SECURITY] = "Security",
  [TOPIC_CALLER] = "Working with the caller",
};

/* text from the current column on, broken at spaces so that no line
 * passes HELP_WIDTH; continuation lines start at HELP_TEXT_COLUMN. */
static void
print_wrapped (const char *text, int column)
{
  while (*text != '\0')
    {
      int room = HELP_WIDTH - column;
      int len = (int) strlen (text);
      int cut = len;

      if (len > room)
        {
          for (cut = room; cut > 0 && text[cut] != ' '; cut--)
            ;
          if (cut == 0)
            cut = (int) strcspn (text, " ");
        }
      printf ("%.*s\n", cut, text);
      text += cut;
      text += strspn (text, " ");
      if (*text != '\0')
        printf ("%*s", HELP_TEXT_COLUMN, "");
      column = HELP_TEXT_COLUMN;
    }
}

static void
print_option (const struct option_def *def)
{
  int width = printf ("%*s%s%s%s", HELP_INDENT, "", def->name,
                      def->arg_names ? " " : "", def->arg_names ? def->arg_names : "");

  /* A long option and its arguments get a line of their own. */
  if (width >= HELP_TEXT_COLUMN)
    printf ("\n%*s", HELP_TEXT_COLUMN, "");
  else
    printf ("%*s", HELP_TEXT_COLUMN - width, "");
  print_wrapped (def->help, HELP_TEXT_COLUMN);
}

_Noreturn void
cli_print_help (const char *invoked_as)
{
  printf ("usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n", invoked_as);
  printf ("       %s doctor [--json]    check whether sandboxes can run here\n", invoked_as);
  for (int topic = 0; topic < N_TOPICS; topic++)
    {
      printf ("\n%s:\n", topic_titles[topic]);
      for (size_t i = 0; i < cli_n_options; i++)
        if (cli_options[i].topic == (enum option_topic) topic)
          print_option (&cli_options[i]);
    }
  fflush (stdout);
  _exit (ferror (stdout) ? 1 : 0);
}

_Noreturn void
cli_print_version (void)
{
  printf ("%s\n", NESTBOX_VERSION_LINE);
  fflush (stdout);
  _exit (ferror (stdout) ? 1 : 0);
}
