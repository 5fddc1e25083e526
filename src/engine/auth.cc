#include "engine/auth.h"

#include <ctime>

#include "scenario/jwt.h"

namespace wscheck {

void apply_auth(const AuthSpec& auth, const VariableScope& scope, Redactor& redactor, ConnectOptions& options,
                std::vector<std::string>& subprotocols) {
  std::string token;
  if (auth.token) {
    token = expand_template(*auth.token, scope);
  } else {
    const JwtSpec& spec = *auth.jwt;
    std::string secret = expand_template(spec.secret, scope);
    redactor.add(secret);
    nlohmann::json claims = expand_json(spec.claims, scope);
    long long now = static_cast<long long>(std::time(nullptr));
    if (!claims.contains("iat")) claims["iat"] = now;
    if (spec.expires_in_s) claims["exp"] = now + *spec.expires_in_s;
    token = make_jwt(claims, secret, spec.alg);
  }
  redactor.add(token);
  switch (auth.in) {
    case AuthSpec::Placement::Header:
      options.headers.emplace_back("Authorization", "Bearer " + token);
      break;
    case AuthSpec::Placement::Query:
      options.url.path = add_query_param(options.url.path, auth.param, token);
      break;
    case AuthSpec::Placement::Subprotocol:
      subprotocols.insert(subprotocols.begin(), "jwt." + token);
      break;
    case AuthSpec::Placement::Cookie:
      options.headers.emplace_back("Cookie", auth.cookie_name + "=" + token);
      break;
  }
}

}  // namespace wscheck
