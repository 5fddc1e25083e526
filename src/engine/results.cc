#include "engine/results.h"

namespace wscheck {

const char* status_name(Status s) {
  switch (s) {
    case Status::kPassed: return "passed";
    case Status::kFailed: return "failed";
    case Status::kNotRun: return "not_run";
  }
  return "?";
}

}  // namespace wscheck
