#include "scenario/matcher.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <set>
#include <stdexcept>

#include "scenario/json_source.h"
#include "scenario/regex_cache.h"
#include "scenario/unordered_pairing.h"
#include "scenario/utf8.h"

namespace wscheck {

namespace {

const std::set<std::string>& operator_names() {
  static const std::set<std::string> names = {"$regex", "$type", "$exists", "$any", "$gt", "$gte",
                                              "$lt",    "$lte",  "$ne",     "$contains", "$unordered"};
  return names;
}

bool is_operator_object(const nlohmann::json& v) {
  if (!v.is_object() || v.empty()) return false;
  for (auto it = v.begin(); it != v.end(); ++it)
    if (it.key().empty() || it.key()[0] != '$') return false;
  return true;
}

std::string brief(const nlohmann::json& v) { return truncate_utf8(v.dump(), 120); }

std::string type_name(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "integer";
    case nlohmann::json::value_t::number_float: return "number";
    case nlohmann::json::value_t::string: return "string";
    case nlohmann::json::value_t::array: return "array";
    case nlohmann::json::value_t::object: return "object";
    default: return "other";
  }
}

bool has_type(const nlohmann::json& v, const std::string& t) {
  if (t == "number") return v.is_number();
  if (t == "integer") {
    if (v.is_number_integer()) return true;
    if (v.is_number_float()) {
      double d = v.get<double>();
      return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
  }
  return type_name(v) == t;
}

bool json_equal(const nlohmann::json& a, const nlohmann::json& b) {
  // Integers compare exactly (ids above 2^53 must not collapse); mixed
  // integer/float values compare numerically.
  if (a.is_number_integer() && b.is_number_integer()) {
    if (a.is_number_unsigned() || b.is_number_unsigned()) {
      if ((a.is_number_unsigned() || a.get<std::int64_t>() >= 0) && (b.is_number_unsigned() || b.get<std::int64_t>() >= 0))
        return a.get<std::uint64_t>() == b.get<std::uint64_t>();
      return false;
    }
    return a.get<std::int64_t>() == b.get<std::int64_t>();
  }
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

bool regex_search_bounded(const std::string& pattern, const std::string& subject, std::string& why, RegexCache* cache) {
  return regex_find(pattern, subject, why, cache).has_value();
}

class JsonMatcher {
 public:
  explicit JsonMatcher(RegexCache* cache) : cache_(cache) {}
  MatchResult run(const nlohmann::json& pattern, const nlohmann::json& actual) {
    MatchResult r;
    r.ok = match(pattern, &actual, "");
    r.path = path_;
    r.reason = reason_;
    r.agreed = agreed_;
    return r;
  }

 private:
  bool fail(const std::string& path, const std::string& reason) {
    if (reason_.empty()) {
      path_ = path;
      reason_ = reason;
    }
    return false;
  }

  // `actual` is null when the key is absent.
  bool match(const nlohmann::json& pattern, const nlohmann::json* actual, const std::string& path) {
    if (is_operator_object(pattern)) return match_operators(pattern, actual, path);
    if (!actual) return fail(path, "missing (expected " + brief(pattern) + ")");
    if (pattern.is_object()) {
      if (!actual->is_object()) return fail(path, "expected an object, got " + type_name(*actual) + " " + brief(*actual));
      bool all = true;
      for (auto it = pattern.begin(); it != pattern.end(); ++it) {
        auto found = actual->find(it.key());
        const nlohmann::json* child = found == actual->end() ? nullptr : &*found;
        if (!match(it.value(), child, pointer_append(path, it.key()))) all = false;
      }
      return all;
    }
    if (pattern.is_array()) {
      if (!actual->is_array()) return fail(path, "expected an array, got " + type_name(*actual) + " " + brief(*actual));
      if (actual->size() != pattern.size())
        return fail(path, "expected an array of " + std::to_string(pattern.size()) + " elements, got " +
                              std::to_string(actual->size()));
      bool all = true;
      for (size_t i = 0; i < pattern.size(); ++i)
        if (!match(pattern[i], &(*actual)[i], pointer_append(path, i))) all = false;
      return all;
    }
    if (json_equal(pattern, *actual)) {
      ++agreed_;
      return true;
    }
    return fail(path, "expected " + brief(pattern) + ", got " + brief(*actual));
  }

  bool match_operators(const nlohmann::json& ops, const nlohmann::json* actual, const std::string& path) {
    bool all = true;
    for (auto it = ops.begin(); it != ops.end(); ++it) {
      if (!match_operator(it.key(), it.value(), actual, path)) all = false;
      else ++agreed_;
    }
    return all;
  }

  bool match_operator(const std::string& op, const nlohmann::json& arg, const nlohmann::json* actual,
                      const std::string& path) {
    if (op == "$exists") {
      bool want = arg.get<bool>();
      if (want == (actual != nullptr)) return true;
      return fail(path, want ? "missing (expected it to exist)" : "present (expected it to be absent): " + brief(*actual));
    }
    if (!actual) return fail(path, "missing (expected {\"" + op + "\": " + brief(arg) + "})");
    if (op == "$regex") {
      if (!actual->is_string()) return fail(path, "expected a string matching /" + arg.get<std::string>() + "/, got " + brief(*actual));
      std::string why;
      if (regex_search_bounded(arg.get<std::string>(), actual->get<std::string>(), why, cache_)) return true;
      return fail(path, why.empty() ? brief(*actual) + " does not match /" + arg.get<std::string>() + "/" : why);
    }
    if (op == "$type") {
      if (has_type(*actual, arg.get<std::string>())) return true;
      return fail(path, "expected type " + arg.get<std::string>() + ", got " + type_name(*actual) + " " + brief(*actual));
    }
    if (op == "$any") {
      for (const auto& alt : arg) {
        JsonMatcher sub(cache_);
        if (sub.run(alt, *actual).ok) return true;
      }
      return fail(path, brief(*actual) + " matches none of " + brief(arg));
    }
    if (op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte") {
      if (!actual->is_number()) return fail(path, "expected a number (" + op + " " + brief(arg) + "), got " + brief(*actual));
      double a = actual->get<double>(), b = arg.get<double>();
      bool ok = op == "$gt" ? a > b : op == "$gte" ? a >= b : op == "$lt" ? a < b : a <= b;
      if (ok) return true;
      return fail(path, "expected " + op.substr(1) + " " + brief(arg) + ", got " + brief(*actual));
    }
    if (op == "$ne") {
      if (!json_equal(arg, *actual)) return true;
      return fail(path, "expected anything but " + brief(arg));
    }
    if (op == "$unordered") return match_unordered(arg, *actual, path);
    if (op == "$contains") {
      if (actual->is_array()) {
        for (const auto& item : *actual) {
          JsonMatcher sub(cache_);
          if (sub.run(arg, item).ok) return true;
        }
        return fail(path, "no element matches " + brief(arg) + " in " + brief(*actual));
      }
      if (actual->is_string() && arg.is_string()) {
        if (actual->get<std::string>().find(arg.get<std::string>()) != std::string::npos) return true;
        return fail(path, brief(*actual) + " does not contain " + brief(arg));
      }
      return fail(path, "expected an array containing " + brief(arg) + ", got " + brief(*actual));
    }
    return fail(path, "unknown operator " + op);
  }

  // One-to-one, any order: each pattern takes a different element.
  bool match_unordered(const nlohmann::json& patterns, const nlohmann::json& actual, const std::string& path) {
    if (!actual.is_array()) return fail(path, "expected an array (any order), got " + type_name(actual) + " " + brief(actual));
    if (actual.size() != patterns.size())
      return fail(path, "expected an array of " + std::to_string(patterns.size()) + " elements in any order, got " +
                            std::to_string(actual.size()) + ": " + brief(actual));
    std::vector<std::vector<size_t>> fits(patterns.size());
    for (size_t p = 0; p < patterns.size(); ++p)
      for (size_t e = 0; e < actual.size(); ++e)
        if (JsonMatcher(cache_).run(patterns[p], actual[e]).ok) fits[p].push_back(e);
    Pairing pairing = pair_one_to_one(fits, actual.size());
    std::vector<bool> taken(actual.size(), false);
    for (const auto& e : pairing.element_of)
      if (e) {
        taken[*e] = true;
        ++agreed_;
      }
    std::optional<size_t> missing = pairing.first_unpaired();
    if (!missing) return true;
    size_t spare = static_cast<size_t>(std::find(taken.begin(), taken.end(), false) - taken.begin());
    std::string head = "$unordered: pattern [" + std::to_string(*missing) + "] " + brief(patterns[*missing]);
    if (fits[*missing].empty()) {
      MatchResult why = JsonMatcher(cache_).run(patterns[*missing], actual[spare]);
      return fail(path, head + " matches no element; left over: [" + std::to_string(spare) + "] " + brief(actual[spare]) +
                            " (" + (why.path.empty() ? "" : why.path + ": ") + why.reason + ")");
    }
    std::string others;
    for (size_t e : fits[*missing]) others += (others.empty() ? "" : ", ") + std::to_string(e);
    return fail(path, head + " matches only element(s) [" + others + "], which other patterns need; left over: [" +
                          std::to_string(spare) + "] " + brief(actual[spare]));
  }

  RegexCache* cache_;
  std::string path_;
  std::string reason_;
  int agreed_ = 0;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

MatchResult match_json(const nlohmann::json& pattern, const nlohmann::json& actual, RegexCache* cache) {
  JsonMatcher m(cache);
  return m.run(pattern, actual);
}

std::optional<std::pair<std::string, std::string>> validate_json_pattern(const nlohmann::json& pattern) {
  using Error = std::pair<std::string, std::string>;
  std::optional<Error> error;
  std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& p,
                                                                          const std::string& path) {
    if (error) return;
    if (p.is_object()) {
      bool any_dollar = false, any_plain = false;
      for (auto it = p.begin(); it != p.end(); ++it) (it.key().size() && it.key()[0] == '$' ? any_dollar : any_plain) = true;
      if (any_dollar && any_plain) {
        error = Error{"an object mixes $operators with plain keys; put operators in an object of their own", path};
        return;
      }
      for (auto it = p.begin(); it != p.end(); ++it) {
        const std::string& k = it.key();
        std::string child = pointer_append(path, k);
        if (!any_dollar) {
          walk(it.value(), child);
          continue;
        }
        const auto& arg = it.value();
        if (!operator_names().count(k)) {
          error = Error{"unknown operator \"" + k + "\" (known: $regex $type $exists $any $gt $gte $lt $lte $ne $contains $unordered)", child};
          return;
        }
        if (k == "$regex") {
          std::string why;
          if (!arg.is_string()) error = Error{"$regex takes a string", child};
          else if (!is_valid_regex(arg.get<std::string>(), why)) error = Error{"invalid $regex: " + why, child};
        } else if (k == "$type") {
          static const std::set<std::string> types = {"string", "number", "integer", "boolean", "null", "object", "array"};
          if (!arg.is_string() || !types.count(arg.get<std::string>()))
            error = Error{"$type takes one of string, number, integer, boolean, null, object, array", child};
        } else if (k == "$exists") {
          if (!arg.is_boolean()) error = Error{"$exists takes true or false", child};
        } else if (k == "$any") {
          if (!arg.is_array() || arg.empty()) error = Error{"$any takes a non-empty array of alternatives", child};
          else
            for (size_t i = 0; i < arg.size() && !error; ++i) walk(arg[i], pointer_append(child, i));
        } else if (k == "$gt" || k == "$gte" || k == "$lt" || k == "$lte") {
          if (!arg.is_number()) error = Error{k + " takes a number", child};
        } else if (k == "$contains") {
          walk(arg, child);
        } else if (k == "$unordered") {
          if (!arg.is_array()) error = Error{"$unordered takes an array of patterns, one per element, in any order", child};
          else
            for (size_t i = 0; i < arg.size() && !error; ++i) walk(arg[i], pointer_append(child, i));
        }
        if (error) return;
      }
    } else if (p.is_array()) {
      for (size_t i = 0; i < p.size() && !error; ++i) walk(p[i], pointer_append(path, i));
    }
  };
  walk(pattern, "");
  return error;
}

bool is_valid_regex(const std::string& s, std::string& error) { return Regex::compile(s, error).has_value(); }

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

std::string from_hex(std::string_view hex) {
  std::string clean;
  for (char c : hex)
    if (c != ' ' && c != ':') clean.push_back(c);
  if (clean.size() % 2) throw std::invalid_argument("hex string has an odd number of digits");
  std::string out;
  for (size_t i = 0; i < clean.size(); i += 2) {
    int hi = hex_value(clean[i]), lo = hex_value(clean[i + 1]);
    if (hi < 0 || lo < 0) throw std::invalid_argument("invalid hex digit in \"" + truncate_utf8(clean, 40) + "\"");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

const std::set<std::string>& json_pattern_operators() { return operator_names(); }

}  // namespace wscheck
