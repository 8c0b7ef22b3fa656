// doui serve and doui ledger: the server and its ledger. Native only: the wasm CLI lists them in
// its help (both CLIs print the same help) and refuses them as usage errors.
#pragma once

#include <string_view>

namespace doui::cli {

inline constexpr std::string_view kHelpServe =
    R"(  doui serve [--host H] [--port N] [--db URL] [--key FILE] [--policy FILE ...]
             [--api-key-file FILE] [--web DIR] [--dist DIR] [--links FILE]
             [--reference FILE] [--request-timeout S] [--cors-origin ORIGIN ...]
                                                                      (native build only)
      Verify consent records over HTTP (POST /api/consents), keep them in the ledger and answer
      with signed receipts; serve the pages, and the privacy center at /privacy/ (doui site
      build's pages). The API is described at /api/openapi.json.
      --host H            the address to listen on (default 127.0.0.1)
      --port N            the port, 0 for any free one (default 8080)
      --db URL            sqlite:PATH or a path (default sqlite:doui-ledger.db), or
                          postgresql://USER@HOST:PORT/DB (several servers may share one)
      --key FILE          the key that signs receipts (doui key new; default doui.key)
      --policy FILE       another policy version to verify against (repeatable); versions of
                          the bundled policy are the privacy center's revisions, the one in
                          effect when the server starts its policy
      --api-key-file FILE the operator's API key (its first line, 32 characters or more):
                          access to every subject's records
      --web DIR           pages served at / (default web, when it exists)
      --dist DIR          modules served at /dist/ (default build/wasm/web, when it exists);
                          with them, the privacy center's policy pages get an in-page search
      --links FILE        URLs for the policy's link targets, in the privacy center
      --reference FILE    the English reference translation (default: the bundled one)
      --request-timeout S a request must arrive whole within S seconds of its first byte, or
                          its connection is closed (default 10; 1 to 600)
      --cors-origin ORIGIN a site on another origin whose pages may call the API (repeatable):
                          the privacy center built with doui site build --api
)";

inline constexpr std::string_view kHelpLedger =
    R"(  doui ledger check --db URL [--policy FILE ...] [--now INSTANT]      (native build only)
      Check every hash chain of the ledger and re-verify every stored record with the core at the
      instant it was received. Prints {"entries":N,"commits":N,"valid":BOOL}; exit 1 with one
      line per break on stderr (the first one first).
  doui ledger export --db URL --subject S
      The subject's records exactly as received, with where and when each was stored: the
      person's disclosure request (APPI Art. 33), as one JSON document.
  doui ledger prune --db URL --before DATE [--now INSTANT]
      Delete the records received before DATE (00:00 Japan time) that stopped being in force
      before it (the subject has a later record, also from before DATE); a subject's latest
      record is always kept. Each pruned row leaves a tombstone (position, record id, subject,
      times, hashes) so every chain still checks. Refuses (exit 2, ledger.retention) a DATE later
      than 3 years before today (APPI Art. 29), and (exit 1) a ledger that does not check.
      Prints {"before":INSTANT,"pruned":N,"pruned_at":INSTANT}.
      --db URL            as for doui serve
      --policy FILE       another policy version the stored records may name (repeatable)
      --subject S         the subject whose records to export
      --before DATE       the cut-off, YYYY-MM-DD
      --now INSTANT       the clock (RFC 3339), for tests; a prune records it in its tombstones
)";

int cmd_serve(int argc, char** argv);
int cmd_ledger(int argc, char** argv);

}  // namespace doui::cli
