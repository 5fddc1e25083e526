// libFuzzer target: ${NAME} / ${NAME:-default} templates.
//
// Input: a template string. find_var_refs(), expand_template() and
// expand_json() may reject it with wscheck::TemplateError; any other
// exception, a crash or a sanitizer report is a finding. If the input is a
// JSON document (comments allowed), every string in it is expanded too, the
// way send/expect JSON bodies and JWT claims are at run time.
//
// The scope is fixed and does not read the environment (deterministic):
//   --var: A=alpha, EMPTY="", NESTED="${A}", B_2=x
//   captures: n=42, obj={"k":[1,2]}, s="str", blank=""
//
// Invariants checked:
//   * every reference lies inside the text, starts with "${", ends with '}',
//     and references do not overlap;
//   * a string expands the same through expand_json() as through
//     expand_template(), unless it is exactly one reference to a non-string
//     value (that one keeps its JSON type by design).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "scenario/json_source.h"
#include "scenario/utf8.h"
#include "scenario/variables.h"

namespace {

constexpr const char* kTarget = "variables_fuzz";

const wscheck::VariableScope& scope() {
  static const wscheck::VariableScope s = [] {
    wscheck::VariableScope v({{"A", "alpha"}, {"EMPTY", ""}, {"NESTED", "${A}"}, {"B_2", "x"}},
                             /*use_environment=*/false);
    v.set_capture("n", 42);
    v.set_capture("obj", nlohmann::json{{"k", {1, 2}}});
    v.set_capture("s", "str");
    v.set_capture("blank", "");
    return v;
  }();
  return s;
}

std::string show(std::string_view s) { return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

void check_string(const std::string& text) {
  std::vector<wscheck::VarRef> refs;
  try {
    refs = wscheck::find_var_refs(text);
  } catch (const wscheck::TemplateError& e) {
    FUZZ_CHECK(kTarget, e.offset() < text.size(), "TemplateError offset past the end of " + show(text));
    // expand_template and expand_json must reject it the same way.
    bool threw = false;
    try {
      (void)wscheck::expand_template(text, scope());
    } catch (const wscheck::TemplateError&) {
      threw = true;
    }
    FUZZ_CHECK(kTarget, threw, "expand_template accepted what find_var_refs rejects: " + show(text));
    return;
  }
  size_t end = 0;
  for (const auto& r : refs) {
    FUZZ_CHECK(kTarget, r.offset >= end, "overlapping references in " + show(text));
    FUZZ_CHECK(kTarget, r.offset + r.length <= text.size(), "reference past the end of " + show(text));
    FUZZ_CHECK(kTarget, r.length >= 3 && text.compare(r.offset, 2, "${") == 0 && text[r.offset + r.length - 1] == '}',
               "reference is not ${...}: " + show(text));
    FUZZ_CHECK(kTarget, wscheck::is_valid_var_name(r.name), "invalid name accepted in " + show(text));
    end = r.offset + r.length;
  }

  std::string expanded;
  bool template_ok = true;
  try {
    expanded = wscheck::expand_template(text, scope());
  } catch (const wscheck::TemplateError&) {
    template_ok = false;
  }

  if (wscheck::find_invalid_utf8(text)) return;  // JSON strings are UTF-8
  nlohmann::json value;
  bool json_ok = true;
  try {
    value = wscheck::expand_json(nlohmann::json(text), scope());
  } catch (const wscheck::TemplateError&) {
    json_ok = false;
  }
  bool single_typed = refs.size() == 1 && refs[0].offset == 0 && refs[0].length == text.size() &&
                      scope().lookup(refs[0].name) && !scope().lookup(refs[0].name)->is_string();
  if (single_typed) return;
  FUZZ_CHECK(kTarget, json_ok == template_ok,
             "expand_json and expand_template disagree on whether " + show(text) + " expands");
  if (json_ok) {
    FUZZ_CHECK(kTarget, value.is_string(), "expand_json turned " + show(text) + " into a non-string");
    FUZZ_CHECK(kTarget, value.get<std::string>() == expanded,
               "expand_json gives " + show(value.get<std::string>()) + " but expand_template gives " +
                   show(expanded) + " for " + show(text));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  check_string(text);

  // As a JSON body: expand every string inside it.
  try {
    wscheck::ParsedJson doc = wscheck::parse_json_with_comments(text);
    try {
      nlohmann::json out = wscheck::expand_json(doc.value, scope());
      (void)out.dump();
    } catch (const wscheck::TemplateError&) {
    }
  } catch (const wscheck::JsonSyntaxError&) {
  }
  return 0;
}
