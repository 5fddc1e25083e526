#include "engine/failure.h"

namespace wscheck {

bool may_be_environment(const FailureFact& fact) {
  return std::visit([](const auto& f) { return std::decay_t<decltype(f)>::kMayBeEnvironment; }, fact);
}

}  // namespace wscheck
