/* --dev: a small /dev of the sandbox's own. */
#pragma once

#include "plan.h"
#include "setup.h"

void setup_dev (struct setup_ctx *ctx, const struct op *op);
