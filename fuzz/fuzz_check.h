// Shared helper for the libFuzzer targets: a violated invariant is a finding.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzzcheck {

[[noreturn]] inline void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "\n==%s== INVARIANT VIOLATED: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();  // libFuzzer reports a deadly signal and saves the input
}

}  // namespace fuzzcheck

#define FUZZ_CHECK(target, cond, what) \
  do {                                 \
    if (!(cond)) ::fuzzcheck::fail(target, what); \
  } while (0)
