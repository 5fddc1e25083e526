#include "cli/cli_spec.h"

#include <CLI/CLI.hpp>

namespace wscheck {
namespace {

// The values of an IsMember check, from its description "{auto,always,never}"
// (CLI11 appends each validator's description to the type name after ':').
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> values;
  size_t open = type_name.find(":{");
  if (open == std::string::npos) return values;
  size_t close = type_name.find('}', open);
  if (close == std::string::npos) return values;
  std::string list = type_name.substr(open + 2, close - open - 2);
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) values.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return values;
}

ValueKind kind_of(const std::string& value_name, bool has_choices) {
  if (value_name.empty()) return ValueKind::kNone;
  if (has_choices) return ValueKind::kChoice;
  if (value_name == "INT" || value_name == "UINT" || value_name == "FLOAT" || value_name == "NUMBER") {
    return ValueKind::kNumber;
  }
  return ValueKind::kPath;
}

OptionSpec describe_option(const CLI::Option& opt) {
  OptionSpec spec;
  spec.positional = !opt.nonpositional();
  if (spec.positional) {
    spec.names.push_back(opt.get_name(true, false));
  } else {
    for (const std::string& s : opt.get_snames()) spec.names.push_back("-" + s);
    for (const std::string& l : opt.get_lnames()) spec.names.push_back("--" + l);
  }
  const bool is_flag = opt.get_type_size_max() == 0;
  const std::string type_name = is_flag ? "" : opt.get_type_name();
  spec.value_name = type_name.substr(0, type_name.find(':'));
  spec.choices = choices_of(type_name);
  spec.kind = kind_of(spec.value_name, !spec.choices.empty());
  spec.description = opt.get_description();
  spec.default_value = opt.get_default_str();
  spec.repeatable = !is_flag && (opt.get_items_expected_max() > 1 ||
                                 opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll);
  spec.required = opt.get_required();
  return spec;
}

CommandSpec describe_app(const CLI::App& app, std::vector<std::string> path) {
  CommandSpec command;
  command.path = std::move(path);
  command.description = app.get_description();
  for (const CLI::Option* opt : app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); })) {
    command.options.push_back(describe_option(*opt));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
    if (sub->get_name().empty()) {  // an option group: its options belong to this command
      CommandSpec group = describe_app(*sub, command.path);
      command.options.insert(command.options.end(), group.options.begin(), group.options.end());
      continue;
    }
    std::vector<std::string> sub_path = command.path;
    sub_path.push_back(sub->get_name());
    command.subcommands.push_back(describe_app(*sub, std::move(sub_path)));
  }
  return command;
}

}  // namespace

std::string CommandSpec::full_name() const {
  std::string name;
  for (const std::string& part : path) name += (name.empty() ? "" : " ") + part;
  return name;
}

bool CommandSpec::has_positional() const {
  for (const OptionSpec& o : options) {
    if (o.positional) return true;
  }
  return false;
}

CommandSpec describe_cli(const CLI::App& app, const std::string& program) { return describe_app(app, {program}); }

}  // namespace wscheck
