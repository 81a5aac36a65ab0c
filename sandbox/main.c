/* nestbox: a setuid-free, bubblewrap-compatible sandbox launcher. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "cli.h"
#include "doctor.h"
#include "launch.h"
#include "plan.h"
#include "runc_cli.h"
#include "util.h"

/* nestbox never runs with privileges it was not given by its caller: a
 * setuid or file-capability install would hand them to anyone. */
static void
refuse_elevated_start (void)
{
  if (getauxval (AT_SECURE) || getuid () != geteuid () || getgid () != getegid ())
    die ("refusing to run setuid, setgid or with file capabilities: nestbox needs no privilege; install it as a plain executable (chmod u-s,g-s; setcap -r)");
}

int
main (int argc, char **argv)
{
  struct plan plan;
  struct sigaction sa = { .sa_handler = SIG_DFL };
  int code;

  set_program_name (argv[0]);
  refuse_elevated_start ();

  /* A caller that ignores SIGCHLD (some supervisors do) would make our
   * waits fail: we need our children's exit statuses. */
  sigemptyset (&sa.sa_mask);
  sigaction (SIGCHLD, &sa, NULL);

  /* A nestbox-runc link speaks runc's command line (runc_cli.h). */
#ifdef HAVE_JSONC
  if (strcmp (program_name, "nestbox-runc") == 0)
    {
      /* Each nestbox-runc command is one short step that leaves by
       * _exit, as nestbox's other processes do: what it read (the
       * config, the state) is let go with the process, not freed piece
       * by piece.  The parsers' own frees are checked by their tests. */
      code = runc_main (argc, argv);
      fflush (NULL);
      _exit (code);
    }
#else
  if (strcmp (program_name, "nestbox-runc") == 0)
    die ("this nestbox was built without json-c, which nestbox-runc needs (config.json)");
#endif
  if (argc >= 2 && strcmp (argv[1], "doctor") == 0)
    return doctor_main (argc - 1, argv + 1);

  plan_init (&plan);
  if (argc <= 1)
    die ("No command given (see --help)");
  cli_parse (&plan, argc - 1, argv + 1, argv[0]);
  cli_validate (&plan);
  code = launch_run (&plan);
  plan_free (&plan);
  return code;
}
