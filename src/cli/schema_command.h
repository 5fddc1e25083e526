// `wscheck schema`: print the JSON Schema of scenario and suite files.
#pragma once

namespace wscheck {

/// Prints docs/scenario.schema.json (built into the binary) to stdout; returns 0.
int schema_command();

}  // namespace wscheck
