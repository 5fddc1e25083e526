#include "author/starter_files.h"

#include <nlohmann/json.hpp>

#include "author/secret_book.h"

namespace wscheck {

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

const char* const kAuthComment =
    "// Credentials: an HS256 JWT signed with $JWT_SECRET (default test-secret, the reference servers')\n"
    "// in the \"token\" query parameter. Other forms: {\"token\": \"${API_TOKEN}\"} instead of \"jwt\", and\n"
    "// \"in\": \"header\" (Authorization: Bearer), \"cookie\" (\"name\") or \"subprotocol\" (jwt.<token>).\n";

const char* const kAuth =
    R"(, "auth": {"jwt": {"secret": "${JWT_SECRET:-test-secret}", "claims": {"sub": "wscheck"}, "expires_in_s": 900}, "in": "query", "param": "token"})";

std::string connect_scenario(const std::string& url_json, bool auth) {
  return std::string("// The endpoint accepts a client with credentials and closes cleanly.\n") + (auth ? kAuthComment : "") +
         "{\n"
         "  \"name\": \"connect\",\n"
         "  \"tags\": [\"smoke\"],\n"
         "  \"steps\": [\n"
         "    {\"connect\": {\"url\": " + url_json + (auth ? kAuth : "") + "}},\n"
         "    {\"close\": {\"code\": 1000}}\n"
         "  ]\n"
         "}\n";
}

std::string rejection_scenario(const std::string& url_json, int status) {
  std::string statuses = status == 401 || status == 403 ? std::to_string(status) : "401, 403";
  std::string head = "// Without credentials the server must refuse: an HTTP status on the upgrade, or an\n"
                     "// accept followed at once by a policy-violation close (1008).\n";
  if (status == 101)
    head = "// DISABLED by `wscheck init`: the upgrade WITHOUT credentials was accepted (HTTP 101) when\n"
           "// init probed the target, so this rejection check would fail today. The .disabled suffix\n"
           "// keeps `wscheck run` from loading it; rename it to .json once the endpoint requires\n"
           "// credentials (or delete it if the endpoint is public by design).\n";
  else if (status == 401 || status == 403)
    head += "// `wscheck init` saw HTTP " + std::to_string(status) + " for an upgrade without credentials.\n";
  return head +
         "{\n"
         "  \"name\": \"rejection without credentials\",\n"
         "  \"tags\": [\"smoke\", \"auth\"],\n"
         "  \"steps\": [\n"
         "    {\"connect\": {\"url\": " + url_json + ", \"expect_rejected\": {\"status\": [" + statuses +
         "], \"close_code\": [1008]}},\n"
         "     \"timeout_ms\": 3000}\n"
         "  ]\n"
         "}\n";
}

std::string ping_scenario(const std::string& url_json, bool auth) {
  return "// Liveness: the server answers a WebSocket ping frame with a pong (most servers do this in\n"
         "// their WebSocket layer, so a failure here points below the application).\n"
         "{\n"
         "  \"name\": \"ping\",\n"
         "  \"tags\": [\"smoke\"],\n"
         "  \"steps\": [\n"
         "    {\"connect\": {\"url\": " + url_json + (auth ? kAuth : "") + "}},\n"
         "    {\"ping\": {\"payload\": \"wscheck\"}, \"timeout_ms\": 1000},\n"
         "    {\"close\": {\"code\": 1000}}\n"
         "  ]\n"
         "}\n";
}

std::string request_response_scenario(const std::string& url_json, bool auth) {
  return "// One request and its response. EDIT the two messages below: they are the echo message of\n"
         "// wscheck's reference protocol (`wscheck serve`); put a message your server answers and the\n"
         "// fields its answer must have. The expect is a subset match: extra fields are fine, and\n"
         "// {\"$type\": \"string\"}, {\"$regex\": \"...\"} or {\"$gt\": 0} match values that change.\n"
         "{\n"
         "  \"name\": \"request and response\",\n"
         "  \"tags\": [\"smoke\"],\n"
         "  \"steps\": [\n"
         "    {\"connect\": {\"url\": " + url_json + (auth ? kAuth : "") + "}},\n"
         "    {\"send\": {\"json\": {\"type\": \"echo\", \"payload\": \"hello\"}}},\n"
         "    {\"expect\": {\"json\": {\"type\": \"echo_response\", \"payload\": \"hello\"}}, \"timeout_ms\": 2000},\n"
         "    {\"close\": {\"code\": 1000}}\n"
         "  ]\n"
         "}\n";
}

const char* const kWorkflow = R"(# GitHub Actions workflow written by `wscheck init`: copy it to .github/workflows/wscheck.yml.
# Before these steps, install wscheck on the runner and start the server under test (or let
# wscheck start it: `wscheck run --server "CMD" --ready http://127.0.0.1:8000/health ...`).
# Exit codes: 0 passed, 1 a scenario failed (the server misbehaved), 2 invalid scenario file,
# 3 the environment was not ready (nothing listening, server died, a requires check failed).
name: websocket-scenarios
on: [push, pull_request]
jobs:
  wscheck:
    runs-on: ubuntu-latest
    env:
      WSCHECK_URL: @ORIGIN@   # the target; relative scenario URLs (@PATH@) are joined to it
    steps:
      - uses: actions/checkout@v4
      # - run: <install wscheck and start your server here>
      - name: Wait until the WebSocket endpoint answers (exit 3 if it never does)
        run: wscheck wait --url "$WSCHECK_URL@PATH@" --timeout 60000
      - name: WebSocket scenarios
        run: wscheck run scenarios/ --report-junit wscheck.xml
        env:
          JWT_SECRET: ${{ secrets.JWT_SECRET }}
      - uses: actions/upload-artifact@v4
        if: always()
        with: {name: wscheck-report, path: wscheck.xml}
)";

}  // namespace

std::vector<GeneratedFile> starter_files(const std::string& dir, const StarterTarget& target) {
  const std::string url_json = nlohmann::json(escape_template(target.path.empty() ? "/" : target.path)).dump();
  const bool open_without_credentials = target.upgrade_status == 101;
  const bool auth = !open_without_credentials;
  std::string scenarios = join(dir, "scenarios");
  std::vector<GeneratedFile> files;
  files.push_back({join(scenarios, "connect.json"), connect_scenario(url_json, auth)});
  files.push_back({join(scenarios, open_without_credentials ? "no_credentials_rejection.json.disabled"
                                                             : "no_credentials_rejection.json"),
                   rejection_scenario(url_json, target.upgrade_status)});
  files.push_back({join(scenarios, "ping.json"), ping_scenario(url_json, auth)});
  files.push_back({join(scenarios, "request_response.json"), request_response_scenario(url_json, auth)});
  std::string workflow = replace_all(kWorkflow, "@ORIGIN@", target.origin.empty() ? "ws://127.0.0.1:8000" : target.origin);
  files.push_back({join(dir, "wscheck-ci.yml"), replace_all(workflow, "@PATH@", target.path)});
  return files;
}

}  // namespace wscheck
