// Turning engine observations into a named failure class and a plain sentence.
#pragma once

#include <string>

#include "core/url.h"
#include "diagnose/diagnosis.h"
#include "engine/connection.h"

namespace wscheck {

/// Why a connect step did not open. When our deadline ended the attempt,
/// `seen.deadline_us` is the budget quoted in the sentence.
Diagnosis classify_connect_failure(const ConnectObservation& seen, const Url& url);

/// The connection closed (or was dropped) while a step needed it open.
Diagnosis describe_closed(const Connection& conn, const std::string& while_doing);

/// "403 Forbidden" style text for a status code.
std::string http_status_text(int status);

/// "12.3 ms" / "0.4 ms" / "2.1 s": how wscheck prints durations.
std::string format_ms(double ms);

}  // namespace wscheck
