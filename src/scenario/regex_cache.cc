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

}  // namespace wscheck
