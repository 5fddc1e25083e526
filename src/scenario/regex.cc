#define PCRE2_CODE_UNIT_WIDTH 8
#include "scenario/regex.h"

#include <pcre2.h>

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

bool Regex::search(std::string_view subject, std::string& why) const {
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(code_->code, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(context, kMatchLimit);
  pcre2_set_depth_limit(context, kDepthLimit);
  pcre2_set_heap_limit(context, kHeapLimitKiB);
  // PCRE2_NO_UTF_CHECK is not set: a subject that is not UTF-8 is an error, not UB.
  int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, data, context);
  pcre2_match_context_free(context);
  pcre2_match_data_free(data);
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
    why = "the regex gave up: it backtracks too much on this " + std::to_string(subject.size()) +
          "-byte text (simplify nested quantifiers like (a*)*)";
  } else {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(rc, buffer, sizeof buffer);
    why = std::string("regex matching failed: ") + reinterpret_cast<char*>(buffer);
  }
  return false;
}

}  // namespace wscheck
