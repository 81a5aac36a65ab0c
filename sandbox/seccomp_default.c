/* --seccomp-profile default: nestbox's built-in profile.
 *
 * The same policy as the container runtimes' default (Docker's, containerd's
 * RuntimeDefault, containers-common's): an allow list of the calls ordinary
 * programs make; calls that act on the whole machine only for a command that
 * keeps the capability the kernel would check; everything else refused.
 *
 * The profile is a JSON file, sandbox/seccomp-default.json, built into the
 * program (tools/embed-file.py): it goes through the same compiler as a
 * --seccomp-profile file, so the built-in profile gets no special
 * treatment, and it is laid out as the runtimes' own seccomp.json so that
 * `diff` against theirs shows what differs, rule by rule and call by call.
 * Each rule's "comment" says why it is there.
 *
 * Unknown calls get ENOSYS rather than EPERM: a call newer than the allow
 * list then looks unimplemented, and libc falls back to an older one
 * (clone3 to clone, faccessat2 to faccessat, fchmodat2 to fchmodat).  The
 * calls that are refused on purpose get EPERM.  The file names the errno
 * ("defaultErrno": "ENOSYS") rather than giving its number, which differs
 * between architectures (38 on x86 and arm, 89 on mips).  Names libseccomp
 * does not know (newer than it, or of other architectures) are skipped by
 * the compiler.
 *
 * The archMap must list the ABIs of seccomp_arches.c's table (the unit
 * tests check that it does). */
#include "seccomp_default.h"

/* Defined by the source the build generates from the JSON file. */
extern const char seccomp_default_json[];
extern const size_t seccomp_default_json_size;

const char *
seccomp_default_profile (size_t *len)
{
  *len = seccomp_default_json_size;
  return seccomp_default_json;
}
