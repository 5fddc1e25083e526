// Sentences about what a connect attempt actually did: which addresses it
// tried, and whether it sent credentials.
#pragma once

#include "core/url.h"
#include "diagnose/diagnosis.h"
#include "engine/connection.h"

namespace wscheck {

/// When more than one address was tried, names each with its own result in
/// the headline; says it plainly when IPv6 was refused and IPv4 was not.
void note_addresses(const ConnectObservation& seen, const Url& url, Diagnosis& d);

/// The hint for a 401/403 to the upgrade, worded from what was sent: blame
/// the token only when one went out.
std::string rejection_hint(const ConnectObservation& seen);

}  // namespace wscheck
