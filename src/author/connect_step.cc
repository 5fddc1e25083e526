#include "author/connect_step.h"

#include <cctype>

#include "author/secret_rules.h"

namespace wscheck {

namespace {

using ojson = nlohmann::ordered_json;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Builder state for one connect step.
struct ConnectBuilder {
  explicit ConnectBuilder(SecretBook& book) : secrets(book) {}
  SecretBook& secrets;
  ojson body = ojson::object();
  bool auth_used = false;
  std::vector<std::string> notes;

  void set_auth(const std::string& var, const char* in, const char* key = nullptr, const std::string& param = "") {
    ojson auth{{"token", "${" + var + "}"}, {"in", in}};
    if (key) auth[key] = param;
    body["auth"] = auth;
    auth_used = true;
  }

  std::string query(const std::string& raw) {
    std::string out;
    size_t pos = 0;
    while (pos <= raw.size()) {
      size_t amp = raw.find('&', pos);
      std::string part = raw.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
      pos = amp == std::string::npos ? raw.size() + 1 : amp + 1;
      if (part.empty()) continue;
      size_t eq = part.find('=');
      std::string name = percent_decode(part.substr(0, eq));
      std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
      std::string decoded = percent_decode(value);
      if (!decoded.empty() && (is_secret_name(name) || looks_like_token(decoded))) {
        std::string var = secrets.variable_for(decoded, name, "query parameter \"" + name + "\"");
        secrets.also_hide(value, var);
        if (!auth_used) {
          set_auth(var, "query", "param", name);
          continue;
        }
        part = part.substr(0, eq) + "=${" + var + "}";
      } else {
        part = escape_template(part);
      }
      out += (out.empty() ? "" : "&") + part;
    }
    return out;
  }

  void header(const std::string& name, const std::string& value) {
    HeaderUse use = classify_header(name);
    if (use == HeaderUse::kDrop) return;
    if (use == HeaderUse::kKeep) {
      body["headers"][name] = secrets.scrub(escape_template(value));
      return;
    }
    std::string lname = lower(name);
    if (lname == "authorization" && lower(value.substr(0, 7)) == "bearer " && !auth_used) {
      std::string token = value.substr(7);
      std::string var = secrets.variable_for(token, "token", "Authorization: Bearer header");
      set_auth(var, "header");
      return;
    }
    std::string var = secrets.variable_for(value, name, "\"" + name + "\" header");
    if (lname == "cookie") {
      // Each cookie's value is hidden too, should it appear in a message.
      size_t pos = 0;
      while (pos < value.size()) {
        size_t semi = value.find(';', pos);
        std::string part = value.substr(pos, semi == std::string::npos ? std::string::npos : semi - pos);
        if (size_t eq = part.find('='); eq != std::string::npos) secrets.also_hide(part.substr(eq + 1), var);
        pos = semi == std::string::npos ? value.size() : semi + 1;
      }
    }
    if (lname == "authorization" || lname == "proxy-authorization") {
      if (size_t sp = value.find(' '); sp != std::string::npos) secrets.also_hide(value.substr(sp + 1), var);
    }
    body["headers"][name] = "${" + var + "}";
  }

  void subprotocols(const std::vector<std::string>& offered) {
    ojson kept = ojson::array();
    for (const std::string& p : offered) {
      if (p.rfind("jwt.", 0) == 0 && p.size() > 4) {
        std::string var = secrets.variable_for(p.substr(4), "token", "jwt.<token> subprotocol");
        if (!auth_used) {
          set_auth(var, "subprotocol");
        } else {
          notes.push_back("a second credential was offered as a jwt.<token> subprotocol and is left out");
        }
        continue;
      }
      if (looks_like_token(p) || is_secret_name(p)) {
        secrets.variable_for(p, "subprotocol", "a subprotocol");
        notes.push_back("a subprotocol that looks like a credential is left out (subprotocols take no variables)");
        continue;
      }
      kept.push_back(p);
    }
    if (!kept.empty()) body["subprotocols"] = kept;
  }
};

}  // namespace

std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i] == '+' ? ' ' : text[i]);
    }
  }
  return out;
}

std::string url_origin(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  size_t path = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, path);
}

ConnectStepDraft build_connect_step(const RecordedConnection& conn, const std::string& as,
                                    const std::string& base_origin, SecretBook& secrets) {
  ConnectBuilder b(secrets);
  ConnectStepDraft draft;
  draft.origin = url_origin(conn.url);
  std::string rest = conn.url.substr(draft.origin.size());
  if (size_t hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
  std::string path = rest.substr(0, rest.find('?'));
  if (path.empty()) path = "/";
  b.body["url"] = "";  // keeps "url" first in the object
  std::string query = rest.find('?') == std::string::npos ? "" : b.query(rest.substr(rest.find('?') + 1));
  for (const auto& [name, value] : conn.headers) b.header(name, value);
  b.subprotocols(conn.subprotocols);
  std::string url = escape_template(path) + (query.empty() ? "" : "?" + query);
  b.body["url"] = draft.origin == base_origin ? url : escape_template(draft.origin) + url;
  if (as != "default") b.body["as"] = as;
  if (conn.rejected_status > 0) b.body["expect_rejected"] = ojson{{"status", ojson::array({conn.rejected_status})}};
  draft.step = ojson{{"connect", b.body}};
  draft.notes = std::move(b.notes);
  return draft;
}

}  // namespace wscheck
