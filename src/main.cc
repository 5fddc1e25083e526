// wscheck: CLI11 wiring only. Each subcommand lives in src/cli/.
#include <libwebsockets.h>
#include <openssl/opensslv.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command_line.h"
#include "core/exit_status.h"
#include "wscheck_config.h"

int main(int argc, char** argv) {
  using wscheck::ExitStatus;
  CLI::App app{"wscheck: run WebSocket conversation scenarios against any server, and say why they fail"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print versions of wscheck, libwebsockets and OpenSSL");
  wscheck::CommandLine cl;
  wscheck::define_commands(app, cl);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : wscheck::to_int(ExitStatus::kUsage);
  }
  if (!cl.generate.what.empty()) return wscheck::generate_command(app, cl.generate, WSCHECK_VERSION);
  if (show_version) {
    std::printf("wscheck %s\nlibwebsockets %s\n%s\n", WSCHECK_VERSION, lws_get_library_version(), OPENSSL_VERSION_TEXT);
    return 0;
  }
  if (auto rc = wscheck::run_chosen_command(cl)) return *rc;
  std::fputs(app.help().c_str(), stdout);
  return wscheck::to_int(ExitStatus::kUsage);
}
