// A suite file's "server" block: read into a typed ServerSpec, and resolved for a run.
#pragma once

#include <optional>
#include <string>

#include "scenario/field_reader.h"
#include "scenario/model.h"
#include "scenario/variables.h"

namespace wscheck {

/// Reads and checks the block at `pointer`; nullopt when it is unusable
/// (every problem is recorded in the reader's error list).
std::optional<ServerSpec> read_server_block(const FieldReader& reader, const nlohmann::json& v, const std::string& pointer);

/// The block with every ${VAR} expanded (--var, then the environment, then
/// the ${X:-default}) and `cwd` / `log` made absolute against the suite
/// file's folder; `cwd` defaults to that folder. Throws TemplateError.
ServerSpec resolve_server_spec(const ServerSpec& spec, const VariableScope& scope);

}  // namespace wscheck
