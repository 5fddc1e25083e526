#include "cli/record_command.h"

#include <cstdio>

#include "author/authoring_error.h"
#include "author/output_files.h"
#include "author/scenario_writer.h"
#include "cli/authoring_output.h"
#include "core/exit_status.h"
#include "engine/event_loop.h"
#include "engine/timer.h"
#include "record/recording_proxy.h"

namespace wscheck {

namespace {

constexpr Micros kDrainUs = 2'000'000;  // how long open connections get to close after the stop

int usage(const std::string& message) {
  std::fprintf(stderr, "wscheck record: %s\n", message.c_str());
  return to_int(ExitStatus::kUsage);
}

bool parse_listen(const std::string& text, std::string& host, int& port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    return used == text.size() - colon - 1 && port >= 0 && port <= 65535;
  } catch (const std::exception&) {
    return false;
  }
}

void print_notice(const ProxyNotice& n) {
  const char* what = "";
  switch (n.kind) {
    case ProxyNotice::Kind::kAccepted: what = "client connected"; break;
    case ProxyNotice::Kind::kUpstreamOpen: what = "upstream open"; break;
    case ProxyNotice::Kind::kUpstreamRefused: what = "upstream refused the upgrade"; break;
    case ProxyNotice::Kind::kUpstreamFailed: what = "upstream unreachable"; break;
    case ProxyNotice::Kind::kClosed: what = "closed by the"; break;
  }
  std::string extra = n.kind == ProxyNotice::Kind::kAccepted         ? " (upstream path " + n.detail + ")"
                      : n.kind == ProxyNotice::Kind::kUpstreamRefused ? ": HTTP " + std::to_string(n.status)
                      : n.kind == ProxyNotice::Kind::kUpstreamFailed  ? ": " + n.detail
                      : n.kind == ProxyNotice::Kind::kClosed ? " " + n.detail + " with " + std::to_string(n.status) : "";
  std::fprintf(stderr, "  conn %zu: %s%s\n", n.conn + 1, what, extra.c_str());
}

/// Services the loop until the proxy's connections are closed or the drain deadline.
void drain(EventLoop& loop, RecordingProxy& proxy) {
  bool expired = false;
  Timer deadline(loop.context());
  deadline.start(kDrainUs, [&] { expired = true; });
  while (proxy.live_sessions() > 0 && !expired)
    if (lws_service(loop.context(), 0) < 0) break;
}

}  // namespace

int record_command(const RecordCommandOptions& o) {
  ProxyOptions p;
  if (!parse_listen(o.listen, p.listen_host, p.listen_port))
    return usage("--listen \"" + o.listen + "\": expected HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free one)");
  std::string error;
  auto upstream = parse_url(o.upstream, error);
  if (!upstream) return usage("--upstream: " + error);
  if (upstream->scheme != "ws" && upstream->scheme != "wss")
    return usage("--upstream: use the server's ws:// or wss:// URL");
  p.upstream = *upstream;
  p.max_message_bytes = o.max_message_bytes;
  p.extra_headers = o.headers;
  p.insecure = o.insecure;
  p.ca_file = o.ca_file;
  WriterOptions w;
  w.name = o.name.empty() ? "recorded from " + upstream->scheme + "://" + upstream->authority() +
                                upstream->path.substr(0, upstream->path.find('?'))
                          : o.name;
  w.command = "record";
  w.drop_patterns = o.drops;
  w.absolute_urls = o.absolute_urls;
  try {
    if (o.output != "-") refuse_existing({o.output}, o.force);
    check_drop_patterns(o.drops);
  } catch (const AuthoringError& e) {
    return usage(e.what());
  }

  RecordingProxy proxy(p);  // declared before the loop: lws calls into it while the context is destroyed
  proxy.set_notice_handler(print_notice);
  EventLoop loop(EventLoop::Options{});
  if (!proxy.start(loop.context(), error)) {
    std::fprintf(stderr, "wscheck record: %s\n", error.c_str());
    return to_int(ExitStatus::kEnvironment);
  }
  std::printf("LISTENING %d\n", proxy.port());
  std::fflush(stdout);
  // The upstream's query may carry a credential: it is not printed.
  std::string shown = upstream->scheme + "://" + upstream->authority() + upstream->path.substr(0, upstream->path.find('?'));
  std::fprintf(stderr, "wscheck record: point your client at ws://%s:%d/ (forwarded to %s); Ctrl-C stops and writes %s\n",
               p.listen_host.c_str(), proxy.port(), shown.c_str(), o.output == "-" ? "stdout" : o.output.c_str());
  loop.install_signal_handlers();
  bool time_is_up = false;
  Timer max_duration(loop.context());
  if (o.max_duration_ms > 0) max_duration.start(Micros(o.max_duration_ms) * 1000, [&] { time_is_up = true; });
  loop.run([&] { return time_is_up; });
  proxy.shut_down();
  drain(loop, proxy);

  proxy.detach();
  const Conversation& c = proxy.conversation();
  if (c.connections.empty()) {
    std::fprintf(stderr, "wscheck record: no client connected, nothing was written\n");
    return to_int(ExitStatus::kFailed);
  }
  try {
    return save_written_scenario(write_scenario(c, w), o.output, o.force, "record");
  } catch (const AuthoringError& e) {
    return usage(e.what());
  }
}

}  // namespace wscheck
