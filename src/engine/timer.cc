#include "engine/timer.h"

#include <cstddef>

namespace wscheck {

void Timer::start(Micros delay_us, std::function<void()> callback) {
  callback_ = std::move(callback);
  node_.owner = this;
  active_ = true;
  lws_sul_schedule(context_, 0, &node_.sul, &Timer::on_fire, delay_us < 0 ? 0 : delay_us);
}

void Timer::cancel() {
  if (!active_) return;
  active_ = false;
  lws_sul_cancel(&node_.sul);
}

void Timer::on_fire(lws_sorted_usec_list_t* sul) {
  Node* node = reinterpret_cast<Node*>(reinterpret_cast<char*>(sul) - offsetof(Node, sul));
  Timer* self = node->owner;
  self->active_ = false;
  auto callback = self->callback_;  // the callback may destroy or restart the timer
  if (callback) callback();
}

}  // namespace wscheck
