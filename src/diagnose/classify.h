// Turning engine observations into a named failure class and a plain sentence.
#pragma once

#include <string>

#include "core/diagnosis.h"
#include "core/format.h"
#include "core/url.h"
#include "engine/observation.h"

namespace wscheck {

/// Why a connect step did not open. When our deadline ended the attempt,
/// `seen.deadline_us` is the budget quoted in the sentence.
Diagnosis classify_connect_failure(const ConnectObservation& seen, const Url& url);

/// The connection closed (or was dropped) while a step needed it open.
Diagnosis describe_closed(const ConnectionFacts& conn, const std::string& while_doing);

/// "403 Forbidden" style text for a status code.
std::string http_status_text(int status);

// format_ms() lives in core/format.h (included above for existing callers).

}  // namespace wscheck
