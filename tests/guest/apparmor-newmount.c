/* apparmor-newmount FSTYPE TARGET: make a new FSTYPE file system with the
 * new mount API (fsopen, fsconfig, fsmount) and attach it on TARGET with
 * move_mount(2), the way nestbox attaches its mounts.  AppArmor sees only
 * the attach, as a move to TARGET; the AppArmor guest test uses this to
 * show that nestbox's profile allows it below /newroot only.
 *
 * Exit status: 0 attached; 1 refused, with one line naming the step and
 * the error; 2 bad usage.  Built static by tests/guest/apparmor.sh. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static int
refused (const char *step)
{
  fprintf (stderr, "apparmor-newmount: %s: %s\n", step, strerror (errno));
  return 1;
}

int
main (int argc, char **argv)
{
  int fs, mnt;

  if (argc != 3)
    {
      fprintf (stderr, "usage: apparmor-newmount FSTYPE TARGET\n");
      return 2;
    }
  fs = fsopen (argv[1], FSOPEN_CLOEXEC);
  if (fs < 0)
    return refused ("fsopen");
  if (fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return refused ("fsconfig");
  mnt = fsmount (fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
  if (mnt < 0)
    return refused ("fsmount");
  if (move_mount (mnt, "", AT_FDCWD, argv[2], MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return refused ("move_mount");
  return 0;
}
