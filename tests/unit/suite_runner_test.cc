// Unit tests for src/engine/suite_runner.h: why a scenario did not run.
#include "engine/suite_runner.h"

#include <doctest/doctest.h>

using wscheck::Diagnosis;
using wscheck::DiagnosisClass;
using wscheck::not_run_reason;

TEST_CASE("not-run reasons name the real cause") {
  CHECK(not_run_reason(true, false, std::nullopt) == "interrupted");
  // lws_service failing is not --fail-fast (it used to be reported as such)
  CHECK(not_run_reason(false, true, std::nullopt) == "the event loop failed (lws_service returned an error)");
  Diagnosis died;
  died.cls = DiagnosisClass::kServerExited;
  CHECK(not_run_reason(false, false, died) == "the run stopped: server_exited");
  CHECK(not_run_reason(false, false, std::nullopt) == "--fail-fast stopped the run");
}
