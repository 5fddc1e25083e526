#define PCRE2_CODE_UNIT_WIDTH 8
#include "scenario/regex.h"

#include <pcre2.h>

#include <algorithm>

namespace wscheck {

namespace {
// Bounds that keep one match well under a millisecond-scale budget on
// pathological patterns while leaving ordinary ones untouched.
constexpr uint32_t kMatchLimit = 1'000'000;
constexpr uint32_t kDepthLimit = 1'000'000;
constexpr uint32_t kHeapLimitKiB = 64 * 1024;  // backtracking frames live on the heap in PCRE2 10.30+
}  // namespace

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

std::optional<Regex> Regex::compile(const std::string& pattern, std::string& error) {
  int error_code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF,
                                   &error_code, &offset, nullptr);
  if (!code) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof buffer);
    error = std::string(reinterpret_cast<char*>(buffer)) + " at offset " + std::to_string(offset);
    return std::nullopt;
  }
  Regex r;
  r.code_ = std::make_shared<Code>();
  r.code_->code = code;
  return r;
}

bool Regex::search(std::string_view subject, std::string& why) const { return find(subject, why).has_value(); }

std::optional<RegexMatch> Regex::find(std::string_view subject, std::string& why, bool anchored) const {
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(code_->code, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(context, kMatchLimit);
  pcre2_set_depth_limit(context, kDepthLimit);
  pcre2_set_heap_limit(context, kHeapLimitKiB);
  // PCRE2_NO_UTF_CHECK is not set: a subject that is not UTF-8 is an error, not UB.
  int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0,
                       anchored ? PCRE2_ANCHORED : 0, data, context);
  std::optional<RegexMatch> found;
  if (rc >= 0) {
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    found.emplace();
    found->start = ovector[0];
    found->end = ovector[1];
    for (const std::string& name : group_names()) {
      PCRE2_SIZE length = 0;
      auto sptr = reinterpret_cast<PCRE2_SPTR>(name.c_str());
      if (pcre2_substring_length_byname(data, sptr, &length) != 0) continue;  // the group took no part
      PCRE2_SIZE size = length + 1;
      std::string buffer(size, '\0');
      if (pcre2_substring_copy_byname(data, sptr, reinterpret_cast<PCRE2_UCHAR*>(buffer.data()), &size) == 0)
        found->groups[name] = buffer.substr(0, size);
    }
  }
  pcre2_match_context_free(context);
  pcre2_match_data_free(data);
  if (found || rc == PCRE2_ERROR_NOMATCH) return found;
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
    why = "the regex gave up: it backtracks too much on this " + std::to_string(subject.size()) +
          "-byte text (simplify nested quantifiers like (a*)*)";
  } else {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(rc, buffer, sizeof buffer);
    why = std::string("regex matching failed: ") + reinterpret_cast<char*>(buffer);
  }
  return std::nullopt;
}

std::vector<std::string> Regex::group_names() const {
  uint32_t count = 0, entry_size = 0;
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMECOUNT, &count);
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMETABLE, &table);
  // Each entry: a 2-byte group number, then the NUL-terminated name (sorted by name).
  std::vector<std::pair<int, std::string>> entries;
  for (uint32_t i = 0; i < count; ++i) {
    PCRE2_SPTR entry = table + i * entry_size;
    entries.emplace_back((entry[0] << 8) | entry[1], reinterpret_cast<const char*>(entry + 2));
  }
  std::sort(entries.begin(), entries.end());
  std::vector<std::string> names;
  for (auto& [number, name] : entries)
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  return names;
}

}  // namespace wscheck
