// Certificate expiry of the wss:// targets, checked now and then off the loop.
#pragma once

#include <libwebsockets.h>

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "core/url.h"
#include "diagnose/probe.h"
#include "engine/timer.h"
#include "watch/metrics_page.h"

namespace wscheck {

/// Runs the diagnose/ TLS probe (blocking sockets) on a worker thread for
/// each wss:// target every `every_us`, so the event loop never blocks on
/// it; the result is collected by poll() on the loop thread.
class CertMonitor {
 public:
  CertMonitor(lws_context* context, std::vector<Url> targets, ProbeOptions defaults, std::int64_t every_us);
  ~CertMonitor();
  CertMonitor(const CertMonitor&) = delete;
  CertMonitor& operator=(const CertMonitor&) = delete;

  void start();
  /// On the loop thread: collects a finished check.
  void poll();
  /// Stops scheduling; waits for a running check (bounded by its timeouts).
  void stop();
  const std::vector<CertStatus>& status() const { return status_; }

 private:
  void launch();

  lws_context* context_;
  std::vector<Url> targets_;
  ProbeOptions defaults_;
  std::int64_t every_us_;
  std::vector<CertStatus> status_;
  std::future<std::vector<CertStatus>> running_;
  Timer timer_;
  bool stopped_ = false;
};

}  // namespace wscheck
