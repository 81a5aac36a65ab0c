/* The plan's filesystem operations, run in order on the new root. */
#pragma once

#include "plan.h"
#include "setup.h"

/* Before the root changes: resolve every host source path the way the
 * caller sees it.  Dies with bwrap's message for a missing source. */
void setup_resolve_sources (struct plan *plan);

/* Run the plan's filesystem operations in order.  Dies on the first error. */
void setup_run_ops (struct setup_ctx *ctx);
