// Prometheus text exposition format 0.0.4: the writer of /metrics and /probe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "watch/histogram.h"

namespace wscheck {

using Labels = std::vector<std::pair<std::string, std::string>>;

/// Builds one exposition document. Each metric family is announced once
/// (HELP, TYPE) and then gets its samples; label values are escaped.
class Exposition {
 public:
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  /// Starts a family; `type` is counter, gauge, histogram or untyped.
  void family(const std::string& name, const std::string& type, const std::string& help);
  void sample(const std::string& name, const Labels& labels, double value);
  void histogram(const std::string& name, const Labels& labels, const BucketHistogram& h);
  const std::string& text() const { return text_; }

  /// Label value escaping: backslash, double quote and newline.
  static std::string escape_label(const std::string& value);
  static std::string format_value(double value);

 private:
  void labels_into(const Labels& labels, const std::string* le);
  std::string text_;
};

}  // namespace wscheck
