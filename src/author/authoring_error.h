// The one error type of the authoring commands.
#pragma once

#include <stdexcept>
#include <string>

namespace wscheck {

/// Bad input to init / import-har / record (an unreadable HAR, a HAR without
/// WebSocket frames, an invalid --drop pattern, a file that exists): the
/// message says what happened and what to try; the command exits 2.
class AuthoringError : public std::runtime_error {
 public:
  explicit AuthoringError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace wscheck
