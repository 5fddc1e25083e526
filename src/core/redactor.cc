#include "core/redactor.h"

#include <algorithm>
#include <vector>

#include "core/url.h"

namespace wscheck {

void Redactor::add(const std::string& secret) {
  // Very short values would blank out ordinary words; they are not secrets worth the noise.
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(mutex_);
  secrets_.insert(secret);
  // Secrets also travel percent-encoded in query strings.
  std::string encoded = percent_encode(secret);
  if (encoded != secret) secrets_.insert(encoded);
}

std::string Redactor::apply(std::string text) const {
  std::vector<std::string> list;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    list.assign(secrets_.begin(), secrets_.end());
  }
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(list.begin(), list.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& s : list) {
    size_t pos = 0;
    while ((pos = text.find(s, pos)) != std::string::npos) {
      text.replace(pos, s.size(), "***");
      pos += 3;
    }
  }
  return text;
}

}  // namespace wscheck
