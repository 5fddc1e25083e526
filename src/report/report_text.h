// Plain-text pieces the file formats share (before format escaping).
#pragma once

#include <string>

#include "engine/results.h"

namespace wscheck {

/// The failed step, if any.
const StepResult* failed_step(const ScenarioResult& r);

/// "step 5 at scenarios/x.json:15:5: expect {...}", or "" without a failed step.
std::string failed_step_line(const ScenarioResult& r);

/// The whole failure as a person reads it: "class: headline", the failed
/// step, the details (indented), "hint: ...". Lines end in "\n".
/// The managed server's words about a failure ("server log while ..."), or "".
std::string server_words_text(const ScenarioResult& r, const std::string& indent);

std::string failure_text(const ScenarioResult& r);

/// "connection default ws://h:p/ws: dns 0.0 ms · tcp 0.1 ms · upgrade 0.7 ms;
/// 3 messages; closed 1000 by the client".
std::string connection_line(const ConnectionReport& c);

/// A log of the scenario: one connection_line per connection, one line per
/// step that ran (status and duration), and for a failure the last frames.
std::string scenario_log(const ScenarioResult& r);

}  // namespace wscheck
