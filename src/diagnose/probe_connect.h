// The probe's TCP phase: every resolved address, Happy Eyeballs style (RFC 8305).
#pragma once

#include <string>
#include <vector>

#include "engine/clock.h"

namespace wscheck {

/// One address the TCP phase tried, with its own outcome.
struct AddressAttempt {
  std::string address;
  bool started = false;
  bool connected = false;
  int error = 0;  // errno of a failed attempt (ECONNREFUSED, ...); 0 otherwise
  double ms = 0;  // from its start to its outcome (or to the deadline)
};

/// The outcome of racing the addresses: `fd` is the winner's connected,
/// non-blocking socket (the caller owns it), or -1 when none connected.
struct TcpRace {
  int fd = -1;
  std::string winner;
  std::vector<AddressAttempt> attempts;
  bool deadline_hit = false;
};

/// Starts the first address, and the next one each time an attempt fails or
/// `stagger_ms` passes without an answer; the first to connect wins and the
/// others are closed. Ends at `deadline`.
TcpRace connect_happy_eyeballs(const std::vector<std::string>& addresses, int port, Micros deadline, int stagger_ms = 250);

/// "::1 refused (0.1 ms), 127.0.0.1 timed out (5.0 s)".
std::string describe_attempts(const std::vector<AddressAttempt>& attempts);

/// True when an IPv6 address was refused and an IPv4 one was not (or the
/// reverse is not the case): the classic localhost → ::1 trap.
bool ipv6_refused_ipv4_alive(const std::vector<AddressAttempt>& attempts);

}  // namespace wscheck
