// --echo: pipelined send/receive of fixed-size messages, payloads verified.
#pragma once

#include <libwebsockets.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench/load_threads.h"
#include "core/url.h"

namespace wscheck {

struct EchoOptions {
  Url url;
  std::string address;             // numeric address of url.host, resolved once
  std::size_t size = 64;           // payload bytes per message
  unsigned window = 100;           // messages in flight per connection
  std::uint64_t messages = 10000;  // per connection
  bool text = false;               // text frames (payload must then be valid UTF-8: we send ASCII)
  Micros duration_us = 0;          // 0: until every message came back
  Micros stall_timeout_us = 10000000;  // no progress on a connection for this long: message_timeout
  Micros connect_timeout_us = 10000000;
  bool insecure = false;
};

/// One thread's share of the echo connections. Buffers are allocated once
/// per connection; sending and checking a message allocates nothing.
class EchoWorkload : public ThreadWorkload {
 public:
  EchoWorkload(EventLoop& loop, const EchoOptions& options, std::uint32_t first_id, std::uint32_t count,
               Recorder& recorder);
  ~EchoWorkload() override;

  void start() override;
  bool poll(Micros now) override;
  void stop() override;
  std::uint64_t active() const override { return open_; }

 private:
  enum class State { kIdle, kConnecting, kOpen, kClosing, kDone };
  struct Conn {
    EchoWorkload* owner = nullptr;
    std::uint32_t id = 0;
    lws* wsi = nullptr;
    State state = State::kIdle;
    bool tcp_up = false;
    bool failed = false;
    std::uint64_t sent = 0, received = 0;
    Micros started = 0, progress = 0;
    std::vector<Micros> sent_at;        // ring of `window` send times
    std::vector<unsigned char> tx, rx;  // LWS_PRE + size; size
    std::size_t rx_len = 0;
    bool rx_overflow = false;
  };

  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
  int handle(Conn& c, lws* wsi, lws_callback_reasons reason, void* in, size_t len);
  void connect(Conn& c);
  int on_writeable(Conn& c);
  bool on_message(Conn& c);
  void fail(Conn& c, const char* cls, const std::string& example);
  void finished(Conn& c);
  void check_deadlines(Micros now);

  EventLoop& loop_;
  const EchoOptions& options_;
  Recorder& recorder_;
  lws_vhost* vhost_ = nullptr;
  std::vector<Conn> conns_;
  std::uint64_t open_ = 0;
  std::uint32_t done_ = 0;
  std::size_t next_connect_ = 0;       // conns_[next_connect_..] not started yet
  std::size_t next_connect_from_ = 0;  // conns_[..from) are past connecting
  bool stopping_ = false;
  Micros started_ = 0;
  Micros next_check_ = 0;
  std::string vhost_name_;
};

}  // namespace wscheck
