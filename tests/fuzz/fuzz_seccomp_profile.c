/* --seccomp-profile: the OCI/Docker JSON profile compiler
 * (seccomp_profile_compile_text), from JSON text to BPF.  The first byte of
 * the input picks the capabilities the command keeps (they decide which
 * rules' includes/excludes apply); the rest is the profile. */
#include <linux/filter.h>
#include <string.h>

#include "fuzz.h"
#include "sandbox/seccomp_profile.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const uint64_t caps_choices[] = {
    0,
    ~0ULL >> 23 /* every capability up to CAP_CHECKPOINT_RESTORE */,
    1ULL << 21 /* CAP_SYS_ADMIN */,
    (1ULL << 21) | (1ULL << 19) /* + CAP_SYS_PTRACE */,
  };
  struct bpf_program_data out = { 0 };
  char *error = NULL;
  uint64_t caps;
  bool died;
  int r = 0;

  if (size < 1)
    return -1;
  caps = caps_choices[data[0] % N_ELEMENTS (caps_choices)];
  /* The compiler returns errors; a die() in it would be a bug too. */
  FUZZ_CATCH (&died, r = seccomp_profile_compile_text ((const char *) data + 1, size - 1, caps, &out, &error));
  FUZZ_ASSERT (!died);
  if (r == 0)
    {
      FUZZ_ASSERT (error == NULL);
      FUZZ_ASSERT (out.code != NULL && out.len > 0 && out.len % sizeof (struct sock_filter) == 0
                   && out.len <= BPF_MAXINSNS * sizeof (struct sock_filter));
    }
  else
    {
      /* Bad input is named (only running out of memory may go unexplained). */
      FUZZ_ASSERT (r < 0 && (error != NULL || r == -ENOMEM));
      FUZZ_ASSERT (out.code == NULL);
    }
  free (out.code);
  free (error);
  return 0;
}
