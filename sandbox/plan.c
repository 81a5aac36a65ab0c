/* The plan's lifetime. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

void
plan_init (struct plan *plan)
{
  memset (plan, 0, sizeof *plan);
  plan->userns_fd = plan->userns2_fd = plan->pidns_fd = -1;
  plan->info_fd = plan->json_status_fd = plan->sync_fd = -1;
  plan->block_fd = plan->userns_block_fd = plan->seccomp_fd = -1;
  plan->setup_done_fd = plan->console_socket_fd = -1;
  plan->proc_policy = PROC_POLICY_OCI;
  plan->proc_fallback = PROC_FALLBACK_NONE;
}

void
plan_free (struct plan *plan)
{
  for (size_t i = 0; i < plan->n_ops; i++)
    {
      free (plan->ops[i].resolved_source);
      free (plan->ops[i].overlay_sources);
    }
  free (plan->ops);
  free (plan->env_ops);
  free (plan->lock_files);
  free (plan->add_seccomp_fds);
  free (plan->cap_steps);
  free (plan->rlimits);
  free (plan->uid_map);
  free (plan->gid_map);
  for (size_t i = 0; i < plan->n_owned; i++)
    free (plan->owned[i]);
  free (plan->owned);
  memset (plan, 0, sizeof *plan);
}
