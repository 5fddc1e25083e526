// Building a connect step's credentials: token or minted JWT, placed where the scenario says.
#pragma once

#include <string>
#include <vector>

#include "core/redactor.h"
#include "engine/connection.h"
#include "scenario/model.h"
#include "scenario/variables.h"

namespace wscheck {

/// Expands the auth spec, mints the JWT if asked, registers every secret
/// with the redactor, and adds the credential to `options` as a header,
/// query parameter, cookie, or a `jwt.<token>` entry in `subprotocols`.
void apply_auth(const AuthSpec& auth, const VariableScope& scope, Redactor& redactor, ConnectOptions& options,
                std::vector<std::string>& subprotocols);

}  // namespace wscheck
