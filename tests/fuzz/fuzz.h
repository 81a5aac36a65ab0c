/* Shared by the libFuzzer targets in tests/fuzz.
 *
 * Built with -DNESTBOX_FUZZING: die() then longjmps to nestbox_fuzz_die_jmp
 * (util.c) instead of exiting, so a parser's "exit 1 on bad input" becomes
 * an ordinary return and one process can try millions of inputs.  The same
 * sources also build with gcc and replay.c as a plain program that replays
 * the seed corpora and the saved crash inputs (a meson unit test). */
#pragma once

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sandbox/util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A broken invariant is a bug even when no sanitizer notices: crash, so
 * that libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                       \
  do                                                                            \
    {                                                                           \
      if (!(cond))                                                              \
        {                                                                       \
          fprintf (stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
                   #cond);                                                      \
          abort ();                                                             \
        }                                                                       \
    }                                                                           \
  while (0)

/* Run STMT; a die() inside it lands back here and sets *died. */
#define FUZZ_CATCH(died, STMT)          \
  do                                    \
    {                                   \
      jmp_buf fuzz_jb_;                 \
      *(died) = false;                  \
      nestbox_fuzz_die_jmp = &fuzz_jb_; \
      if (setjmp (fuzz_jb_) == 0)       \
        {                               \
          STMT;                         \
        }                               \
      else                              \
        *(died) = true;                 \
      nestbox_fuzz_die_jmp = NULL;      \
    }                                   \
  while (0)
