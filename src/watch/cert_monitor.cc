#include "watch/cert_monitor.h"

#include <chrono>

namespace wscheck {

CertMonitor::CertMonitor(lws_context* context, std::vector<Url> targets, ProbeOptions defaults, std::int64_t every_us)
    : context_(context), targets_(std::move(targets)), defaults_(std::move(defaults)), every_us_(every_us), timer_(context) {}

CertMonitor::~CertMonitor() { stop(); }

void CertMonitor::start() {
  if (!targets_.empty()) launch();
}

void CertMonitor::launch() {
  if (stopped_ || running_.valid()) return;
  running_ = std::async(std::launch::async, [targets = targets_, defaults = defaults_, context = context_] {
    std::vector<CertStatus> out;
    for (const Url& target : targets) {
      ProbeOptions o = defaults;
      o.url = target;
      o.url.path = "/";
      ProbeResult r = probe_target(o);
      CertStatus s;
      s.target = target.authority();
      s.ok = r.cert_not_after.has_value();
      s.not_after_s = r.cert_not_after ? double(*r.cert_not_after) : 0;
      out.push_back(s);
    }
    lws_cancel_service(context);  // thread-safe: wakes the loop so poll() collects this
    return out;
  });
}

void CertMonitor::poll() {
  if (!running_.valid() || running_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  status_ = running_.get();
  if (!stopped_) timer_.start(every_us_, [this] { launch(); });
}

void CertMonitor::stop() {
  stopped_ = true;
  timer_.cancel();
  if (running_.valid()) running_.wait();
}

}  // namespace wscheck
