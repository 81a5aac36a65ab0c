/* A 64-bit kernel also runs the system calls of its 32-bit (and x32, n32)
 * ABIs.  A filter that knows only the native ABI kills every program of
 * another one (libseccomp's default action for a foreign architecture), and
 * one told to let them pass lets their calls past every rule.  So each
 * filter nestbox builds names all of the machine's ABIs. */
#include "seccomp_arches.h"

#include <errno.h>

#include "util.h"

const struct abi_family seccomp_abi_families[] = {
  { "x86_64", { "x86", "x32" } },
  { "aarch64", { "arm", NULL } },
  { "ppc64le", { NULL, NULL } },
  { "ppc64", { "ppc", NULL } },
  { "s390x", { "s390", NULL } },
  { "mips64", { "mips", "mips64n32" } },
  { "mipsel64", { "mipsel", "mipsel64n32" } },
  { "riscv64", { NULL, NULL } },
};
const size_t seccomp_n_abi_families = N_ELEMENTS (seccomp_abi_families);

#ifdef HAVE_SECCOMP
#include <seccomp.h>

int
seccomp_add_compat_abis (void *ctx)
{
  uint32_t native = seccomp_arch_native ();

  for (size_t i = 0; i < seccomp_n_abi_families; i++)
    {
      const struct abi_family *f = &seccomp_abi_families[i];

      if (seccomp_arch_resolve_name (f->native) != native)
        continue;
      for (size_t j = 0; j < N_ELEMENTS (f->compat) && f->compat[j] != NULL; j++)
        {
          uint32_t token = seccomp_arch_resolve_name (f->compat[j]);
          /* 0: this libseccomp does not know the ABI. */
          int r = token == 0 ? 0 : seccomp_arch_add (ctx, token);

          if (r < 0 && r != -EEXIST)
            return r;
        }
    }
  return 0;
}

#else

int
seccomp_add_compat_abis (void *ctx)
{
  (void) ctx;
  return -ENOSYS;
}

#endif
