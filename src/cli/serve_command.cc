#include "cli/serve_command.h"

#include <cstdio>
#include <cstdlib>

#include "core/exit_status.h"
#include "engine/event_loop.h"
#include "server/reference_server.h"

namespace wscheck {

int serve_command(const ServeCommandOptions& o) {
  ServerOptions server;
  server.iface = o.host;
  server.port = o.port;
  const char* env_secret = std::getenv("JWT_SECRET");
  server.jwt_secret = !o.jwt_secret.empty() ? o.jwt_secret : (env_secret && *env_secret ? env_secret : "test-secret");
  for (const auto& f : o.faults) {
    std::string error = parse_fault(f, server.faults);
    if (!error.empty()) {
      std::fprintf(stderr, "wscheck serve: %s\n", error.c_str());
      return to_int(ExitStatus::kUsage);
    }
  }
  server.faults.seed = o.seed;
  EventLoop loop(EventLoop::Options{});
  ReferenceServer reference(server);
  std::string error;
  if (!reference.start(loop.context(), error)) {
    std::fprintf(stderr, "wscheck serve: %s\n", error.c_str());
    return to_int(ExitStatus::kEnvironment);
  }
  std::printf("LISTENING %d\n", reference.port());
  std::printf("wscheck reference server on ws://%s:%d/ws (health: http://%s:%d/health); Ctrl-C to stop\n",
              o.host.c_str(), reference.port(), o.host.c_str(), reference.port());
  std::fflush(stdout);
  loop.install_signal_handlers();
  loop.run([] { return false; });
  return 0;
}

}  // namespace wscheck
