// Problems found in scenario files: data (where, what, what to try), never printed here.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/model.h"

namespace wscheck {

/// A problem in a scenario file, located precisely, with an optional hint.
/// Rendering (the source line with a caret) is done by report/source_excerpt.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(SourceRef where, const std::string& message, std::string hint = "")
      : std::runtime_error(message), where_(std::move(where)), hint_(std::move(hint)) {}
  const SourceRef& where() const { return where_; }
  const std::string& hint() const { return hint_; }
  /// "file:line:col: message"
  std::string str() const { return where_.str() + ": " + what(); }

 private:
  SourceRef where_;
  std::string hint_;
};

/// The errors of one file, in source order, without duplicates and capped
/// so a hostile file cannot make the list grow without bound.
class ErrorList {
 public:
  static constexpr size_t kMaxPerFile = 500;

  /// Adds an error; returns false once the cap is reached (stop reading).
  bool add(ScenarioError error);
  bool full() const { return errors_.size() >= kMaxPerFile; }
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  /// Sorted by line and column (object keys are visited in sorted order, not source order).
  std::vector<ScenarioError> sorted() const;

 private:
  std::vector<ScenarioError> errors_;
};

}  // namespace wscheck
