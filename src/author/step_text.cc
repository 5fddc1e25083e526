#include "author/step_text.h"

namespace wscheck {

std::string one_line_json(const nlohmann::ordered_json& value) {
  using ojson = nlohmann::ordered_json;
  if (value.is_object()) {
    std::string out = "{";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      out += first ? "" : ", ";
      first = false;
      out += ojson(it.key()).dump(-1, ' ', false, ojson::error_handler_t::replace) + ": " + one_line_json(it.value());
    }
    return out + "}";
  }
  if (value.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + one_line_json(value[i]);
    return out + "]";
  }
  return value.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

}  // namespace wscheck
