// Keeps secrets out of every line wscheck prints or writes.
#pragma once

#include <mutex>
#include <set>
#include <string>

namespace wscheck {

/// Collects secret values (tokens, JWT secrets, minted JWTs, Authorization
/// and Cookie values) as they are created, and replaces them with "***" in
/// any text before it leaves the process.
class Redactor {
 public:
  void add(const std::string& secret);
  std::string apply(std::string text) const;

 private:
  mutable std::mutex mutex_;
  std::set<std::string, std::greater<>> secrets_;  // longest-first is not guaranteed; see apply()
};

}  // namespace wscheck
