#include "scenario/server_block.h"

#include <filesystem>

#include "scenario/matcher.h"

namespace wscheck {

using json = nlohmann::json;

namespace {

/// Strings of the block, read with their templates recorded.
void read_strings(const FieldReader& r, const json& v, const std::string& p, ServerSpec& spec) {
  struct Field {
    const char* key;
    std::string* into;
  };
  for (const Field& f : {Field{"command", &spec.command}, Field{"ready", &spec.ready}, Field{"ready_log", &spec.ready_log},
                         Field{"log", &spec.log}, Field{"cwd", &spec.cwd}}) {
    if (auto s = r.get_string(v, p, f.key, std::string(f.key) == "command")) {
      *f.into = *s;
      r.add_template(spec.templates, *s, pointer_append(p, f.key));
    }
  }
  std::string why;
  if (!spec.ready_log.empty() && spec.ready_log.find("${") == std::string::npos && !is_valid_regex(spec.ready_log, why))
    r.note(pointer_append(p, "ready_log"), "invalid regex: " + why);
  if (v.contains("command") && v["command"].is_string() && spec.command.find_first_not_of(" \t") == std::string::npos)
    r.note(pointer_append(p, "command"), "\"command\" must not be empty");
}

void read_env(const FieldReader& r, const json& env, const std::string& ep, ServerSpec& spec) {
  if (!env.is_object()) {
    r.note(ep, "\"env\" must be an object of NAME: \"value\" strings, found " + type_word(env));
    return;
  }
  for (auto it = env.begin(); it != env.end(); ++it) {
    std::string p = pointer_append(ep, it.key());
    if (it.key().empty() || it.key().find('=') != std::string::npos) {
      r.note_key(p, "invalid environment variable name \"" + it.key() + "\"");
    } else if (!it.value().is_string()) {
      r.note(p, "env values must be strings, found " + type_word(it.value()), "quote the value, e.g. \"PORT\": \"8000\"");
    } else {
      spec.env.emplace_back(it.key(), it.value().get<std::string>());
      r.add_template(spec.templates, it.value().get<std::string>(), p);
    }
  }
}

std::string absolute_in(const std::string& base, const std::string& path) {
  if (path.empty() || base.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(base) / p).lexically_normal().string();
}

}  // namespace

std::optional<ServerSpec> read_server_block(const FieldReader& r, const json& v, const std::string& p) {
  if (!v.is_object()) {
    r.note(p, "\"server\" must be an object like {\"command\": \"...\", \"ready\": \"tcp://127.0.0.1:8000\"}, found " +
                  type_word(v));
    return std::nullopt;
  }
  ServerSpec spec;
  spec.where = r.at(p);
  std::error_code ec;
  std::filesystem::path file = std::filesystem::absolute(r.file(), ec);
  spec.base_dir = ec ? std::filesystem::path(r.file()).parent_path().string() : file.parent_path().string();
  r.check_keys(v, p, keys::kServer);
  read_strings(r, v, p, spec);
  if (v.contains("ready_timeout_ms"))
    spec.ready_timeout_ms = r.get_int32(v["ready_timeout_ms"], pointer_append(p, "ready_timeout_ms"), "ready_timeout_ms", 1, 3600000);
  if (v.contains("grace_ms"))
    spec.grace_ms = r.get_int32(v["grace_ms"], pointer_append(p, "grace_ms"), "grace_ms", 0, 600000);
  if (v.contains("env")) read_env(r, v["env"], pointer_append(p, "env"), spec);
  return spec;
}

ServerSpec resolve_server_spec(const ServerSpec& spec, const VariableScope& scope) {
  ServerSpec out = spec;
  out.command = expand_template(spec.command, scope);
  out.ready = expand_template(spec.ready, scope);
  out.ready_log = expand_template(spec.ready_log, scope);
  out.log = absolute_in(spec.base_dir, expand_template(spec.log, scope));
  std::string cwd = expand_template(spec.cwd, scope);
  out.cwd = cwd.empty() ? spec.base_dir : absolute_in(spec.base_dir, cwd);
  for (auto& [name, value] : out.env) value = expand_template(value, scope);
  out.templates.clear();
  return out;
}

}  // namespace wscheck
