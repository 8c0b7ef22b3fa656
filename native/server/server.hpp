// `doui serve`: the consent API over the ledger, and the web pages, in one native process.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "doui/receipt.hpp"
#include "doui/site.hpp"
#include "doui/verify.hpp"

namespace doui::server {

/// How long a connection may take (deadline_server.hpp says why).
struct Deadlines {
  std::chrono::milliseconds request{10000};   ///< from a request's first byte to its last
  std::chrono::milliseconds response{30000};  ///< from a response's first byte to its last
  std::chrono::milliseconds idle{5000};       ///< a kept-alive connection waiting for a request
  /// Kept-alive connections are closed after their response while more than this many
  /// connections are open: an idle connection must not hold a worker others are waiting for.
  int busy_connections = 96;
};

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                     ///< 0: any free port (the one bound is printed)
  std::string db;                      ///< sqlite:PATH, a path, or postgresql://…
  std::string api_key;                 ///< the operator's key; empty: none
  SigningKey key;                      ///< signs receipts
  std::vector<PublicKey> verify_keys;  ///< keys whose receipts this server still vouches for
  std::string web_dir;                 ///< served at / (the pages); empty: none
  std::string dist_dir;                ///< served at /dist/ (the wasm build's modules); empty: none
  std::vector<SiteFile> site;          ///< the privacy center, served at /privacy/; empty: none
  /// The site the consents page is rendered from when the server answers its forms (JavaScript
  /// off); its policies outlive serve(). None: no consents page.
  std::optional<SiteInput> consents_site;
  /// Origins whose pages may call the API from a browser (CORS): a privacy center hosted
  /// elsewhere (doui site build --api). Empty: the API answers its own origin only.
  std::vector<std::string> cors_origins;
  /// HTTP workers. cpp-httplib gives a connection one worker for as long as it is kept alive,
  /// so there are more workers than clients are expected to keep connections open.
  int threads = 128;
  Deadlines deadlines;  ///< keep deadlines.busy_connections under threads
};

/// What /api/policies lists of each policy the server holds.
struct PolicySummary {
  std::string id, version, effective_date, digest, title, lang;
};

/// Runs until SIGINT or SIGTERM; returns the process's exit status. Prints
/// "doui serve: listening on http://HOST:PORT" on standard output once it accepts connections.
int serve(const ServeConfig& config, const PolicyRegistry& registry,
          const std::vector<PolicySummary>& policies);

/// The OpenAPI 3.1 description of the API (docs/openapi.json, compiled in).
std::string_view openapi_json();

}  // namespace doui::server
