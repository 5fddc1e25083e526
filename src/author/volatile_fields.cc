#include "author/volatile_fields.h"

#include <cctype>
#include <string>

#include "author/secret_rules.h"

namespace wscheck {

namespace {

using ojson = nlohmann::ordered_json;

constexpr size_t kLongString = 1024;

bool all_of_class(std::string_view s, int (*pred)(int)) {
  for (char c : s)
    if (!pred(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool is_iso_datetime(std::string_view s) {
  // 2026-11-29T06:42:14 or 2026-11-29 06:42:14, anything after
  if (s.size() < 16) return false;
  auto digits = [&](size_t from, size_t n) { return all_of_class(s.substr(from, n), isdigit); };
  return digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2) && (s[10] == 'T' || s[10] == ' ') &&
         digits(11, 2) && s[13] == ':' && digits(14, 2);
}

bool is_epoch_number(const ojson& v) {
  if (!v.is_number() || v.is_boolean()) return false;
  double d = v.get<double>();
  return (d >= 1e9 && d < 1e10) || (d >= 1e12 && d < 1e13);
}

}  // namespace

const char* json_type_name(const ojson& value) {
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  if (value.is_null()) return "null";
  if (value.is_array()) return "array";
  return "object";
}

bool is_volatile_key(std::string_view key) {
  std::vector<std::string> words = identifier_words(key);
  if (words.empty()) return false;
  static const char* const kLastWords[] = {"id",   "ids",  "uuid",    "guid",     "timestamp", "time",  "ts",
                                           "at",   "date", "datetime", "nonce",   "seq",       "etag",  "exp",
                                           "iat",  "nbf",  "expires",  "expiry",  "elapsed",   "duration",
                                           "latency", "uptime", "now", "trace",   "span",      "rtt"};
  const std::string& last = words.back();
  for (const char* w : kLastWords)
    if (last == w) return true;
  for (const std::string& w : words)
    if (w == "timestamp" || w == "uuid" || w == "nonce") return true;
  return is_secret_name(key);
}

bool is_volatile_value(const ojson& value) {
  if (is_epoch_number(value)) return true;
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  if (is_uuid(s) || is_iso_datetime(s) || looks_like_token(s)) return true;
  return s.size() >= 16 && all_of_class(s, isxdigit) && !all_of_class(s, isdigit);
}

ojson stable_matcher(const ojson& message) {
  if (message.is_object()) {
    ojson out = ojson::object();
    for (auto it = message.begin(); it != message.end(); ++it) {
      if (!it.key().empty() && it.key()[0] == '$') continue;
      const ojson& v = it.value();
      bool scalar = !v.is_object() && !v.is_array();
      if ((scalar && is_volatile_key(it.key())) || is_volatile_value(v) ||
          (v.is_string() && v.get_ref<const std::string&>().size() > kLongString)) {
        out[it.key()] = v.is_null() ? ojson{{"$exists", true}} : ojson{{"$type", json_type_name(v)}};
      } else {
        out[it.key()] = stable_matcher(v);
      }
    }
    return out;
  }
  if (message.is_array()) {
    ojson out = ojson::array();
    for (const auto& v : message) {
      if (is_volatile_value(v) || (v.is_string() && v.get_ref<const std::string&>().size() > kLongString))
        out.push_back(ojson{{"$type", json_type_name(v)}});
      else
        out.push_back(stable_matcher(v));
    }
    return out;
  }
  return message;
}

}  // namespace wscheck
