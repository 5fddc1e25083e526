#include "diagnose/semver.h"

#include <cctype>
#include <charconv>

namespace wscheck {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_number(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

/// A version as written in a range: parts may be missing or x / X / *.
struct Partial {
  long part[3] = {0, 0, 0};
  int given = 0;  // how many leading parts are numbers
  std::vector<std::string> pre;
  SemVer floor() const { return SemVer{part[0], part[1], part[2], pre}; }
  /// The first version above the given parts: 1.2 -> 1.3.0, 1 -> 2.0.0.
  SemVer ceiling() const {
    SemVer v{part[0], part[1], 0, {}};
    if (given == 1) return SemVer{part[0] + 1, 0, 0, {}};
    v.minor += 1;
    return v;
  }
};

std::optional<Partial> parse_partial(std::string_view s) {
  s = trim(s);
  if (!s.empty() && (s.front() == 'v' || s.front() == '=')) s.remove_prefix(1);
  s = s.substr(0, s.find('+'));
  Partial p;
  auto dash = s.find('-');
  std::string_view core = s.substr(0, dash);
  if (dash != std::string_view::npos) {
    std::string_view pre = s.substr(dash + 1);
    while (!pre.empty()) {
      auto dot = pre.find('.');
      p.pre.emplace_back(pre.substr(0, dot));
      pre = dot == std::string_view::npos ? std::string_view{} : pre.substr(dot + 1);
    }
  }
  if (core.empty() || core == "*" || core == "x" || core == "X") return p;
  for (int i = 0; i < 3 && !core.empty(); ++i) {
    auto dot = core.find('.');
    std::string_view part = core.substr(0, dot);
    core = dot == std::string_view::npos ? std::string_view{} : core.substr(dot + 1);
    if (part == "x" || part == "X" || part == "*") break;
    if (!is_number(part) || p.given != i) return std::nullopt;
    std::from_chars(part.data(), part.data() + part.size(), p.part[i]);
    p.given = i + 1;
    if (dot == std::string_view::npos) break;
    if (i == 2 && !core.empty()) return std::nullopt;
  }
  return p;
}

/// op + version: one primitive comparator.
struct Comparator {
  enum class Op { kLt, kLe, kGt, kGe, kEq } op;
  SemVer v;
  bool test(const SemVer& x) const {
    int c = compare(x, v);
    switch (op) {
      case Op::kLt: return c < 0;
      case Op::kLe: return c <= 0;
      case Op::kGt: return c > 0;
      case Op::kGe: return c >= 0;
      case Op::kEq: return c == 0;
    }
    return false;
  }
};
using Op = Comparator::Op;

/// One token ("^1.2", ">=1.0.0", "1.x") as primitive comparators; false if unreadable.
bool desugar(std::string_view token, std::vector<Comparator>& out) {
  std::string_view op;
  for (std::string_view o : {">=", "<=", ">", "<", "=", "^", "~>", "~"})
    if (token.substr(0, o.size()) == o) {
      op = o;
      break;
    }
  auto p = parse_partial(token.substr(op.size()));
  if (!p) return false;
  const int g = p->given;
  if (op == "^") {
    out.push_back({Op::kGe, p->floor()});
    if (g == 0) return true;
    SemVer up{p->part[0] + 1, 0, 0, {}};
    if (p->part[0] == 0 && g >= 2) up = p->part[1] > 0 || g == 2 ? SemVer{0, p->part[1] + 1, 0, {}} : SemVer{0, 0, p->part[2] + 1, {}};
    out.push_back({Op::kLt, up});
    return true;
  }
  if (op == "~" || op == "~>") {
    out.push_back({Op::kGe, p->floor()});
    if (g > 0) out.push_back({Op::kLt, g == 1 ? SemVer{p->part[0] + 1, 0, 0, {}} : SemVer{p->part[0], p->part[1] + 1, 0, {}}});
    return true;
  }
  if (g == 0) {  // *, x, >=*: anything (< * matches nothing)
    if (op == "<" || op == ">") out.push_back({Op::kLt, SemVer{0, 0, 0, {"0"}}});
    return true;
  }
  if (g == 3) {
    Op o = op == ">=" ? Op::kGe : op == "<=" ? Op::kLe : op == ">" ? Op::kGt : op == "<" ? Op::kLt : Op::kEq;
    out.push_back({o, p->floor()});
    return true;
  }
  // partial: 1.2 with an operator
  if (op == ">") out.push_back({Op::kGe, p->ceiling()});
  else if (op == ">=") out.push_back({Op::kGe, p->floor()});
  else if (op == "<") out.push_back({Op::kLt, p->floor()});
  else if (op == "<=") out.push_back({Op::kLt, p->ceiling()});
  else {
    out.push_back({Op::kGe, p->floor()});
    out.push_back({Op::kLt, p->ceiling()});
  }
  return true;
}

bool hyphen(std::string_view a, std::string_view b, std::vector<Comparator>& out) {
  auto lo = parse_partial(a), hi = parse_partial(b);
  if (!lo || !hi) return false;
  out.push_back({Op::kGe, lo->floor()});
  if (hi->given == 3) out.push_back({Op::kLe, hi->floor()});
  else if (hi->given > 0) out.push_back({Op::kLt, hi->ceiling()});
  return true;
}

/// One ||-separated set: every comparator must hold; a prerelease only
/// matches a comparator set naming a prerelease of the same x.y.z.
std::optional<bool> set_satisfied(const SemVer& v, std::string_view set) {
  std::vector<Comparator> cs;
  auto h = set.find(" - ");
  if (h != std::string_view::npos) {
    if (!hyphen(set.substr(0, h), set.substr(h + 3), cs)) return std::nullopt;
  } else {
    std::string token;
    std::string_view rest = trim(set);
    while (!rest.empty()) {
      size_t end = 0;
      while (end < rest.size() && std::string_view("<>=~^").find(rest[end]) != std::string_view::npos) ++end;
      while (end < rest.size() && std::isspace(static_cast<unsigned char>(rest[end]))) ++end;  // ">= 1.2"
      while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end]))) ++end;
      std::string t;
      for (char c : rest.substr(0, end))
        if (!std::isspace(static_cast<unsigned char>(c))) t += c;
      if (!desugar(t, cs)) return std::nullopt;
      rest = trim(rest.substr(end));
    }
  }
  for (const auto& c : cs)
    if (!c.test(v)) return false;
  if (v.pre.empty()) return true;
  for (const auto& c : cs)
    if (!c.v.pre.empty() && c.v.major == v.major && c.v.minor == v.minor && c.v.patch == v.patch) return true;
  return false;
}

}  // namespace

std::optional<SemVer> parse_semver(std::string_view text) {
  auto p = parse_partial(text);
  if (!p || p->given != 3) return std::nullopt;
  return p->floor();
}

int compare(const SemVer& a, const SemVer& b) {
  for (auto [x, y] : {std::pair{a.major, b.major}, {a.minor, b.minor}, {a.patch, b.patch}})
    if (x != y) return x < y ? -1 : 1;
  if (a.pre.empty() || b.pre.empty()) return a.pre.empty() == b.pre.empty() ? 0 : a.pre.empty() ? 1 : -1;
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    const std::string &x = a.pre[i], &y = b.pre[i];
    if (x == y) continue;
    bool nx = is_number(x), ny = is_number(y);
    if (nx && ny) return x.size() != y.size() ? (x.size() < y.size() ? -1 : 1) : (x < y ? -1 : 1);
    if (nx != ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.size() == b.pre.size() ? 0 : a.pre.size() < b.pre.size() ? -1 : 1;
}

std::optional<bool> range_satisfied(std::string_view version, std::string_view range) {
  auto v = parse_semver(trim(version));
  if (!v) return std::nullopt;
  bool any = false;
  while (true) {
    auto bar = range.find("||");
    auto r = set_satisfied(*v, trim(range.substr(0, bar)));
    if (!r) return std::nullopt;
    any = any || *r;
    if (bar == std::string_view::npos) break;
    range = range.substr(bar + 2);
  }
  return any;
}

}  // namespace wscheck
