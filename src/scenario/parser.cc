#include "scenario/parser.h"

#include <algorithm>
#include <set>

#include "core/url.h"
#include "scenario/field_reader.h"
#include "scenario/server_block.h"
#include "scenario/step_parser.h"
#include "scenario/matcher.h"
#include "scenario/requires_parser.h"
#include "scenario/variables.h"

namespace wscheck {

namespace {

using json = nlohmann::json;

/// Reads one file's document: a single scenario, or a suite file with
/// defaults, a server block and a list of scenarios.
class ScenarioReader : public FieldReader {
 public:
  using FieldReader::FieldReader;

  Suite read() const {
    Suite suite;
    const json& doc = root();
    if (!doc.is_object())
      fail("", "a scenario file holds a JSON object (one scenario, or {\"scenarios\": [...]})");
    if (!doc.contains("scenarios")) {
      check_keys(doc, "", with_schema_key(keys::kScenario));
      read_scenario_into(suite, doc, "", json::object());
      return suite;
    }
    check_keys(doc, "", with_schema_key(keys::kSuiteFile));
    json defaults = json::object();
    if (doc.contains("defaults") && doc["defaults"].is_object()) {
      defaults = doc["defaults"];
      check_keys(defaults, "/defaults", keys::kDefaults);
    } else if (doc.contains("defaults")) {
      note("/defaults", "expected an object, found " + type_word(doc["defaults"]));
    }
    if (doc.contains("server")) suite.server = read_server_block(*this, doc["server"], "/server");
    const json& list = doc["scenarios"];
    if (!list.is_array()) fail("/scenarios", "\"scenarios\" must be an array of scenario objects");
    if (list.empty()) fail("/scenarios", "\"scenarios\" is empty");
    for (size_t i = 0; i < list.size(); ++i) read_scenario_into(suite, list[i], pointer_append("/scenarios", i), defaults);
    return suite;
  }

 private:
  static keys::KeySet with_schema_key(keys::KeySet set) {
    set.insert(keys::kSchemaKey.begin(), keys::kSchemaKey.end());
    return set;
  }

  void read_scenario_into(Suite& suite, const json& v, const std::string& pointer, const json& defaults) const {
    try {
      suite.scenarios.push_back(read_scenario(v, pointer, defaults));
    } catch (const Abandon&) {
      // recorded; the next scenario is still read
    }
  }

  Requirements read_requires(const json& v, const std::string& pointer) const {
    require_object(v, pointer);
    std::set<std::string> keys = {"env", "commands", "files", "python_modules", "tcp", "http"};
    keys.merge(dependency_require_keys());
    check_keys(v, pointer, keys);
    Requirements r;
    r.deps = read_dependency_requires(v, pointer, file(), [this](const std::string& p) { return at(p); });
    auto list = [&](const char* key, std::vector<std::string>& out) {
      if (v.contains(key)) out = get_string_list(v[key], pointer_append(pointer, key), std::string("requires.") + key);
    };
    list("env", r.env);
    list("commands", r.commands);
    list("files", r.files);
    list("python_modules", r.python_modules);
    list("tcp", r.tcp);
    list("http", r.http);
    for (size_t i = 0; i < r.http.size(); ++i) {
      std::string error;
      if (r.http[i].find("${") == std::string::npos && !parse_url(r.http[i], error))
        fail(pointer_append(pointer_append(pointer, "http"), i), error);
    }
    return r;
  }

  Scenario read_scenario(const json& v, const std::string& pointer, const json& defaults) const {
    Scenario s;
    s.where = at(pointer);
    require_object(v, pointer);
    if (!pointer.empty()) check_keys(v, pointer, keys::kScenario);
    if (auto name = get_string(v, pointer, "name", true)) {
      if (name->empty()) note(pointer_append(pointer, "name"), "\"name\" must not be empty");
      s.name = *name;
    }
    (void)get_string(v, pointer, "description");
    if (defaults.contains("tags")) s.tags = get_string_list(defaults["tags"], "/defaults/tags", "tags");
    if (v.contains("tags"))
      for (auto& t : get_string_list(v["tags"], pointer_append(pointer, "tags"), "tags"))
        if (std::find(s.tags.begin(), s.tags.end(), t) == s.tags.end()) s.tags.push_back(t);
    if (defaults.contains("timeout_ms"))
      s.timeout_ms = get_int32(defaults["timeout_ms"], "/defaults/timeout_ms", "timeout_ms", 1, 3600000);
    if (v.contains("timeout_ms"))
      s.timeout_ms = get_int32(v["timeout_ms"], pointer_append(pointer, "timeout_ms"), "timeout_ms", 1, 3600000);
    read_scenario_requires(s, v, pointer, defaults);
    std::optional<int> step_timeout;
    if (defaults.contains("step_timeout_ms"))
      step_timeout = get_int32(defaults["step_timeout_ms"], "/defaults/step_timeout_ms", "step_timeout_ms", 1, 3600000);
    read_steps(s, v, pointer, step_timeout);
    return s;
  }

  void read_scenario_requires(Scenario& s, const json& v, const std::string& pointer, const json& defaults) const {
    if (defaults.contains("requires")) s.requires_ = read_requires(defaults["requires"], "/defaults/requires");
    if (v.contains("requires")) {
      Requirements own = read_requires(v["requires"], pointer_append(pointer, "requires"));
      auto merge = [](std::vector<std::string>& into, const std::vector<std::string>& from) {
        for (const auto& x : from)
          if (std::find(into.begin(), into.end(), x) == into.end()) into.push_back(x);
      };
      merge(s.requires_.env, own.env);
      merge(s.requires_.commands, own.commands);
      merge(s.requires_.files, own.files);
      merge(s.requires_.python_modules, own.python_modules);
      merge(s.requires_.tcp, own.tcp);
      merge(s.requires_.http, own.http);
      merge_dependency_requires(s.requires_.deps, own.deps);
    }
    for (const auto& list : {s.requires_.tcp, s.requires_.http, s.requires_.files})
      for (const auto& item : list) add_template(s.templates, item, pointer_append(pointer, "requires"));
  }

  void read_steps(Scenario& s, const json& v, const std::string& pointer, std::optional<int> default_timeout) const {
    if (!v.contains("steps")) fail(pointer, "missing required key \"steps\"");
    const json& steps = v["steps"];
    std::string steps_ptr = pointer_append(pointer, "steps");
    if (!steps.is_array()) fail(steps_ptr, "\"steps\" must be an array, found " + type_word(steps));
    if (steps.empty()) fail(steps_ptr, "\"steps\" is empty: a scenario needs at least one step");
    std::set<std::string> opened;
    StepParser parser(*this, s);
    for (size_t i = 0; i < steps.size(); ++i) {
      std::string sp = pointer_append(steps_ptr, i);
      try {
        Step step = parser.read_step(steps[i], sp);
        if (!step.timeout_ms) step.timeout_ms = default_timeout;
        if (step.kind == "connect") opened.insert(std::get<ConnectStep>(step.body).as);
        else if (!opened.count(step.conn) && step.kind != "sleep") note_unopened(step, sp);
        s.steps.push_back(std::move(step));
      } catch (const Abandon&) {
        opened.insert(connection_named_by(steps[i]));  // no second error for the steps that use it
      }
    }
  }

  void note_unopened(const Step& step, const std::string& pointer) const {
    note(pointer, "step \"" + step.kind + "\" uses connection \"" + step.conn + "\" before any connect step opened it",
         "add {\"connect\": {...}} first" + (step.conn == "default" ? "" : ", with \"as\": \"" + step.conn + "\""));
  }

  /// The connection a step that could not be read would have opened ("" if none).
  static std::string connection_named_by(const json& step) {
    if (!step.is_object() || !step.contains("connect")) return "";
    const json& c = step["connect"];
    if (c.is_object() && c.contains("as") && c["as"].is_string()) return c["as"].get<std::string>();
    return "default";
  }
};

}  // namespace

Suite parse_scenario_text(std::string_view text, const std::string& file, std::vector<ScenarioError>& errors) {
  ParsedJson doc;
  try {
    doc = parse_json_with_comments(text);
  } catch (const JsonSyntaxError& e) {
    errors.emplace_back(SourceRef{file, e.pos()}, e.what());
    return Suite{};
  }
  ErrorList found;
  Suite suite;
  try {
    suite = ScenarioReader(file, doc, found).read();
  } catch (const Abandon&) {
    // recorded
  }
  for (auto& e : found.sorted()) errors.push_back(std::move(e));
  if (found.full())
    errors.emplace_back(SourceRef{file, {}}, "too many errors in this file; stopped after " +
                                                 std::to_string(ErrorList::kMaxPerFile));
  return suite;
}

Suite parse_scenario_text(std::string_view text, const std::string& file) {
  std::vector<ScenarioError> errors;
  Suite suite = parse_scenario_text(text, file, errors);
  if (!errors.empty()) throw errors.front();
  return suite;
}

}  // namespace wscheck
