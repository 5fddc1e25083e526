#include "scenario/model.h"

#include "scenario/utf8.h"

namespace wscheck {

std::string SourceRef::str() const {
  if (pos.line == 0) return file;
  return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
}

std::string Matcher::describe() const {
  switch (kind) {
    case Kind::Json:
      if (!prefix.empty()) return "prefix /" + truncate_utf8(prefix, 60) + "/ then " + truncate_utf8(json.dump(), 200);
      return truncate_utf8(json.dump(), 200);
    case Kind::Text:
      return "text " + truncate_utf8(nlohmann::json(text).dump(), 200);
    case Kind::Regex:
      return "regex /" + truncate_utf8(text, 200) + "/";
    case Kind::BinaryHex:
      return "binary " + truncate_utf8(text, 200);
  }
  return "";
}

std::string Step::label() const {
  if (!name.empty()) return name;
  std::string detail = std::visit(
      [](const auto& body) -> std::string {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, ConnectStep>) {
          return body.url;
        } else if constexpr (std::is_same_v<T, SendStep>) {
          return body.kind == SendStep::Kind::Json ? truncate_utf8(body.prefix + body.json.dump(), 80)
                                                   : truncate_utf8(body.text, 80);
        } else if constexpr (std::is_same_v<T, ExpectStep>) {
          return truncate_utf8(body.matcher.describe(), 80);
        } else if constexpr (std::is_same_v<T, ExpectSequenceStep>) {
          return std::to_string(body.match.size()) + " messages" + (body.ordered ? " in order" : "");
        } else if constexpr (std::is_same_v<T, ExpectSilenceStep>) {
          return std::to_string(body.ms) + " ms";
        } else if constexpr (std::is_same_v<T, CloseStep>) {
          return std::to_string(body.code);
        } else if constexpr (std::is_same_v<T, SleepStep>) {
          return std::to_string(body.ms) + " ms";
        } else {
          return "";
        }
      },
      body);
  std::string out = kind;
  if (!detail.empty()) out += " " + detail;
  if (conn != "default") out += " [" + conn + "]";
  return out;
}

}  // namespace wscheck
