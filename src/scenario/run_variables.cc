#include "scenario/run_variables.h"

#include <openssl/rand.h>

#include <array>
#include <random>

namespace wscheck {

const std::vector<std::string>& run_variable_names() {
  static const std::vector<std::string> names = {"WSCHECK_RUN_ID", "WSCHECK_SCENARIO"};
  return names;
}

std::string new_run_id() {
  std::array<unsigned char, 8> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    std::random_device device;  // OpenSSL's generator failed to seed: fall back to the OS directly
    for (auto& b : bytes) b = static_cast<unsigned char>(device() & 0xff);
  }
  static const char* digits = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(digits[b >> 4]);
    id.push_back(digits[b & 15]);
  }
  return id;
}

void set_run_variables(VariableScope& scope, const std::string& scenario_name) {
  scope.set_builtin("WSCHECK_RUN_ID", new_run_id());
  scope.set_builtin("WSCHECK_SCENARIO", scenario_name);
}

}  // namespace wscheck
