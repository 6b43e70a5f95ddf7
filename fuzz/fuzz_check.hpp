// CHECK(cond) for the fuzz targets: a broken invariant traps, which libFuzzer reports as a crash with its input.
#pragma once

#define CHECK(cond)                 \
  do {                              \
    if (!(cond)) __builtin_trap();  \
  } while (0)
