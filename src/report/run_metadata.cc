#include "report/run_metadata.h"

#include <libwebsockets.h>
#include <openssl/crypto.h>

#include "wscheck_config.h"

namespace wscheck {

RunMetadata current_run_metadata() {
  RunMetadata m;
  m.version = WSCHECK_VERSION;
  if (const char* lws = lws_get_library_version()) m.lws_version = lws;
  if (const char* ssl = OpenSSL_version(OPENSSL_VERSION)) m.openssl_version = ssl;
  return m;
}

}  // namespace wscheck
