// A one-shot timer on the lws event loop (wraps lws_sorted_usec_list_t).
#pragma once

#include <libwebsockets.h>

#include <functional>

#include "core/clock.h"

namespace wscheck {

/// Fires `callback` once on the loop thread after a relative delay.
/// Rescheduling moves it; destroying it cancels it. Not copyable: lws keeps
/// a pointer to the embedded list node.
class Timer {
 public:
  explicit Timer(lws_context* context) : context_(context) {}
  ~Timer() { cancel(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void start(Micros delay_us, std::function<void()> callback);
  void cancel();
  bool active() const { return active_; }

 private:
  static void on_fire(lws_sorted_usec_list_t* sul);

  struct Node {
    lws_sorted_usec_list_t sul;
    Timer* owner;
  };
  lws_context* context_;
  Node node_{};
  std::function<void()> callback_;
  bool active_ = false;
};

}  // namespace wscheck
