#include "scenario/regex_cache.h"

namespace wscheck {

const Regex* RegexCache::get(const std::string& pattern, std::string& error) {
  auto it = entries_.find(pattern);
  if (it == entries_.end()) {
    Entry entry;
    entry.regex = Regex::compile(pattern, entry.error);
    ++compilations_;
    it = entries_.emplace(pattern, std::move(entry)).first;
  }
  if (!it->second.regex) {
    error = it->second.error;
    return nullptr;
  }
  return &*it->second.regex;
}

std::optional<RegexMatch> regex_find(const std::string& pattern, std::string_view subject, std::string& why,
                                     RegexCache* cache, bool anchored) {
  std::string error;
  std::optional<Regex> local;
  const Regex* re = nullptr;
  if (cache) re = cache->get(pattern, error);
  else if ((local = Regex::compile(pattern, error))) re = &*local;
  if (!re) {
    why = "invalid regex: " + error;
    return std::nullopt;
  }
  return re->find(subject, why, anchored);
}

}  // namespace wscheck
