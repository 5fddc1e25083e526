#include "diagnose/connect_notes.h"

namespace wscheck {

void note_addresses(const ConnectObservation& seen, const Url& url, Diagnosis& d) {
  if (seen.address_results.size() < 2) return;
  std::string list;
  bool v6_refused = false, v4_other = false;
  for (const auto& [address, outcome] : seen.address_results) {
    bool v6 = address.find(':') != std::string::npos;
    list += (list.empty() ? "" : ", ") + (v6 ? "[" + address + "]" : address) + " " + outcome;
    if (v6 && outcome == "refused") v6_refused = true;
    if (!v6 && outcome != "refused") v4_other = true;
  }
  d.headline = "cannot connect to " + url.host + ":" + std::to_string(url.port) + " on any of its " +
               std::to_string(seen.address_results.size()) + " addresses: " + list;
  if (v6_refused && v4_other)
    d.details.emplace_back("IPv6 was refused while IPv4 did not refuse: the server may listen on IPv4 only");
}

std::string rejection_hint(const ConnectObservation& seen) {
  if (seen.credentials_sent)
    return "the credentials sent (Authorization/Cookie header or token in the query) were rejected: "
           "check that the token is valid for this server (secret, expiry, audience)";
  return "no credentials were sent (no auth, no Authorization or Cookie header, no token in the query): "
         "if the endpoint needs them, add \"auth\" to the connect step; a 403 before accept can also be the "
         "app refusing the request for another reason (a missing query or cookie parameter, a validation "
         "error, an Origin check): read the server's log";
}

}  // namespace wscheck
