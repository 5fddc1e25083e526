#include "watch/exposition.h"

#include <cmath>
#include <cstdio>

namespace wscheck {

void Exposition::family(const std::string& name, const std::string& type, const std::string& help) {
  std::string h;
  for (char c : help) {
    if (c == '\\') h += "\\\\";
    else if (c == '\n') h += "\\n";
    else h += c;
  }
  text_ += "# HELP " + name + " " + h + "\n# TYPE " + name + " " + type + "\n";
}

std::string Exposition::escape_label(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string Exposition::format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", value);
  return buf;
}

void Exposition::labels_into(const Labels& labels, const std::string* le) {
  if (labels.empty() && !le) return;
  text_ += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) text_ += ',';
    first = false;
    text_ += k + "=\"" + escape_label(v) + "\"";
  }
  if (le) text_ += std::string(first ? "" : ",") + "le=\"" + *le + "\"";
  text_ += '}';
}

void Exposition::sample(const std::string& name, const Labels& labels, double value) {
  text_ += name;
  labels_into(labels, nullptr);
  text_ += ' ' + format_value(value) + '\n';
}

void Exposition::histogram(const std::string& name, const Labels& labels, const BucketHistogram& h) {
  for (size_t i = 0; i < BucketHistogram::kBounds.size(); ++i) {
    std::string le = format_value(BucketHistogram::kBounds[i]);
    text_ += name + "_bucket";
    labels_into(labels, &le);
    text_ += ' ' + std::to_string(h.cumulative(i)) + '\n';
  }
  std::string inf = "+Inf";
  text_ += name + "_bucket";
  labels_into(labels, &inf);
  text_ += ' ' + std::to_string(h.count()) + '\n';
  sample(name + "_sum", labels, h.sum());
  sample(name + "_count", labels, static_cast<double>(h.count()));
}

}  // namespace wscheck
