#include "server_cmd.hpp"

#include <string>
#include <vector>

#include "args.hpp"
#include "command.hpp"

#if DOUI_SERVER
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "doui/age.hpp"
#include "doui/receipt.hpp"
#include "ledger.hpp"
#include "records_io.hpp"
#include "server.hpp"
#include "site_cmd.hpp"
#endif

namespace doui::cli {

#if !DOUI_SERVER

int cmd_serve(int, char**) {
  return usage_error("serve", "doui serve needs the native build (build/native/doui)");
}
int cmd_ledger(int, char**) {
  return usage_error("ledger", "doui ledger needs the native build (build/native/doui)");
}

#else

namespace {

constexpr std::size_t kMaxSmallFile = 64 * 1024;

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  auto args = parse(argc, argv, 2,
                    {{"--host"},
                     {"--port"},
                     {"--db"},
                     {"--key"},
                     {"--policy", true, true},
                     {"--api-key-file"},
                     {"--web"},
                     {"--dist"},
                     {"--links"},
                     {"--reference"},
                     {"--request-timeout"},
                     {"--cors-origin", true, true}});
  if (!args.error.empty()) return usage_error("serve", args.error);
  if (args.has("--help")) return help(kHelpServe);
  if (!args.positional.empty()) return usage_error("serve", "serve takes no file arguments");

  server::ServeConfig config;
  config.host = args.value("--host").value_or("127.0.0.1");
  if (auto p = args.value("--port")) {
    char* end = nullptr;
    const long port = std::strtol(p->c_str(), &end, 10);
    if (p->empty() || *end != '\0' || port < 0 || port > 65535) {
      return usage_error("serve", "--port takes a number from 0 to 65535");
    }
    config.port = static_cast<int>(port);
  }
  config.db = args.value("--db").value_or("sqlite:doui-ledger.db");
  for (const auto& origin : args.all("--cors-origin")) {
    if (!is_web_origin(origin)) {
      return usage_error("serve", "--cors-origin takes an origin: http(s)://host[:port], no path");
    }
    config.cors_origins.push_back(origin);
  }
  if (auto t = args.value("--request-timeout")) {
    char* end = nullptr;
    const long seconds = std::strtol(t->c_str(), &end, 10);
    if (t->empty() || *end != '\0' || seconds < 1 || seconds > 600) {
      return usage_error("serve", "--request-timeout takes a number of seconds from 1 to 600");
    }
    config.deadlines.request = std::chrono::seconds(seconds);
  }

  int status = kOk;
  const std::string key_path = args.value("--key").value_or("doui.key");
  std::string key_text;
  struct stat key_stat {};
  if (::stat(key_path.c_str(), &key_stat) != 0) {
    cli_problem(key_path, Code::CliReadFailed,
                "no signing key here: make one with doui key new --out " + key_path);
    return kUnusable;
  }
  if (!read_limited(key_path, kMaxSmallFile, key_text)) return kUnusable;
  auto key = load_signing_key(key_text);
  if (!key) return report(key_path, key.errors(), kUnusable);
  config.key = std::move(*key);

  if (auto f = args.value("--api-key-file")) {
    std::string text;
    if (!read_limited(*f, kMaxSmallFile, text)) return kUnusable;
    config.api_key = text.substr(0, text.find_first_of("\r\n"));
    if (config.api_key.size() < 32) {
      cli_problem(*f, Code::CliUsage, "an API key has 32 characters or more");
      return kUnusable;
    }
  }
  config.web_dir = args.value("--web").value_or(is_dir("web") ? "web" : "");
  config.dist_dir = args.value("--dist").value_or(is_dir("build/wasm/web") ? "build/wasm/web" : "");
  for (const auto* dir : {&config.web_dir, &config.dist_dir}) {
    if (!dir->empty() && !is_dir(*dir)) {
      cli_problem(*dir, Code::CliReadFailed, "not a directory");
      return kUnusable;
    }
  }

  std::vector<Policy> policies;
  if (!load_policies(args, policies, status)) return status;
  // The privacy center, rendered once, with the version in effect at the start: the policies do
  // not change while the server runs (a restart picks up a version that has since taken effect).
  // `policies` and `reference` outlive the server: the consents page is rendered per request
  // from them (its forms, answered by the server, work with JavaScript off).
  Policy reference;
  SiteInput site;
  if (!site_input(args, policies, now_instant(), reference, site, status)) return status;
  site.search = !config.dist_dir.empty();
  site.consents = site.search;
  site.server_forms = true;
  config.site = build_site(site);
  if (site.consents) config.consents_site = site;

  PolicyRegistry registry;
  std::vector<server::PolicySummary> summaries;
  for (const auto& p : policies) {
    summaries.push_back({p.id, p.version, p.effective_date, p.digest, p.title, p.lang});
    registry.add(p);
  }
  g_out->flush();
  return server::serve(config, registry, summaries);
}

namespace {

// Runs `body` on the ledger at `url`, migrated to this version's schema. The store failing, at
// the start or midway, is exit 2 (ledger.unavailable), said here once for every subcommand.
template <class Body>
int on_ledger(const std::string& url, Body&& body) {
  try {
    auto store = server::open_store(url);
    store->migrate();
    return body(*store);
  } catch (const server::StoreError& e) {
    cli_problem(url, Code::LedgerUnavailable, e.what);
    return kUnusable;
  }
}

// What checking a ledger needs besides the ledger: the policies its records may name (--policy)
// and the clock (--now INSTANT, which tests pin; else now). False with `status` set when unusable.
bool checking_context(const Args& args, PolicyRegistry& registry, Instant& now, int& status) {
  if (!load_registry(args, registry, status)) return false;
  now = now_instant();
  if (auto v = args.value("--now")) {
    auto t = parse_instant(*v);
    if (!t) {
      status = report("--now", t.errors(), kUnusable);
      return false;
    }
    now = *t;
  }
  return true;
}

// Every problem on stderr; whether the ledger holds.
bool ledger_holds(server::Store& store, const PolicyRegistry& registry, Instant now) {
  const auto problems = server::check_ledger(store, registry, now);
  for (const auto& p : problems) cli_problem("ledger", Code::LedgerBroken, p.what);
  return problems.empty();
}

int ledger_check(const Args& args) {
  const auto url = args.value("--db");
  if (!url) return usage_error("ledger", "ledger check needs --db URL");
  int status = kOk;
  PolicyRegistry registry;
  Instant now;
  if (!checking_context(args, registry, now, status)) return status;
  return on_ledger(*url, [&](server::Store& store) {
    const bool holds = ledger_holds(store, registry, now);
    const server::Head head = store.head();
    g_out->line(
        nlohmann::json{{"commits", head.commit}, {"entries", head.position}, {"valid", holds}}
            .dump());
    return holds ? kOk : kRuleBroken;
  });
}

int ledger_prune(const Args& args) {
  const auto url = args.value("--db");
  const auto before = args.value("--before");
  if (!url || !before)
    return usage_error("ledger", "ledger prune needs --db URL and --before DATE");
  const auto cutoff = tokyo_midnight(*before);
  if (!cutoff) return usage_error("ledger", "--before takes a date, YYYY-MM-DD");
  int status = kOk;
  PolicyRegistry registry;
  Instant now;
  if (!checking_context(args, registry, now, status)) return status;
  return on_ledger(*url, [&](server::Store& store) {
    // A ledger that does not check is evidence: pruning would destroy some of it.
    if (!ledger_holds(store, registry, now)) return kRuleBroken;
    auto pruned = server::prune_ledger(store, *cutoff, now);
    if (!pruned) return report("--before", pruned.errors(), kUnusable);
    g_out->line(nlohmann::json{{"before", format_instant(*cutoff)},
                               {"pruned", *pruned},
                               {"pruned_at", format_instant(now)}}
                    .dump());
    return kOk;
  });
}

int ledger_export(const Args& args) {
  const auto url = args.value("--db");
  const auto subject = args.value("--subject");
  if (!url || !subject)
    return usage_error("ledger", "ledger export needs --db URL and --subject S");
  return on_ledger(*url, [&](server::Store& store) {
    const auto entries = store.subject_entries(*subject);
    // The records exactly as stored, so the person can check each digest themselves.
    std::string out = "{\"exported_at\":" + nlohmann::json(format_instant(now_instant())).dump() +
                      ",\"records\":[";
    for (std::size_t i = entries.size(); i-- > 0;) {  // oldest first: the order they happened
      const auto& e = entries[i];
      out += nlohmann::json{{"ledger_position", e.position},
                            {"ledger_entry", e.hash},
                            {"received_at", e.received_at}}
                 .dump();
      out.pop_back();  // the object stays open for the record's own bytes
      out += ",\"record\":" + e.body + "}";
      if (i > 0) out += ",";
    }
    out += "],\"subject\":" + nlohmann::json(*subject).dump() + "}";
    g_out->line(out);
    return kOk;
  });
}

}  // namespace

int cmd_ledger(int argc, char** argv) {
  auto args = parse(argc, argv, 3,
                    {{"--db"}, {"--subject"}, {"--before"}, {"--now"}, {"--policy", true, true}});
  if (!args.error.empty()) return usage_error("ledger", args.error);
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "--help" || args.has("--help")) return help(kHelpLedger);
  if (!args.positional.empty()) return usage_error("ledger", "ledger takes no file arguments");
  if (sub == "check") return ledger_check(args);
  if (sub == "export") return ledger_export(args);
  if (sub == "prune") return ledger_prune(args);
  return usage_error("ledger", sub.empty() ? "which: check, export or prune?"
                                           : "unknown ledger command \"" + sub + "\"");
}

#endif

}  // namespace doui::cli
