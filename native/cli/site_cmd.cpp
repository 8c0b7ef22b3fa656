#include "site_cmd.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "command.hpp"

namespace doui::cli {

bool site_input(const Args& args, const std::vector<Policy>& policies, Instant now,
                Policy& reference, SiteInput& input, int& status) {
  const Policy& bundled = policies.front();
  for (const auto& p : policies) {
    if (p.id != bundled.id) continue;
    for (const Policy* seen : input.versions) {
      if (seen->version == p.version) {
        cli_problem("--policy", Code::CliUsage,
                    "two policies are version " + p.version + " of " + p.id);
        status = kUnusable;
        return false;
      }
    }
    input.versions.push_back(&p);
  }
  input.policy = policy_in_effect(input.versions, now);
  const Policy& policy = *input.policy;

  const auto ref_path = args.value("--reference");
  if (ref_path) {
    if (!load_policy(*ref_path, reference, status)) return false;
  } else {
    auto loaded = doui::load_policy(bundled_reference_policy_json());
    if (!loaded) {
      status = report("the bundled reference translation", loaded.errors(), kUnusable);
      return false;
    }
    reference = std::move(*loaded);
  }
  const std::string ref_name = ref_path.value_or("the reference translation");
  const bool known_version =
      std::any_of(input.versions.begin(), input.versions.end(),
                  [&](const Policy* p) { return p->version == reference.version; });
  if (reference.id != policy.id || !known_version) {
    cli_problem(ref_name, Code::CliUsage,
                "a reference translation has its policy's id (" + policy.id +
                    ") and the version it translates");
    status = kUnusable;
    return false;
  }
  input.reference = &reference;
  if (auto file = args.value("--links")) {
    std::string text;
    if (!read_document(*file, text, status)) return false;
    for (auto [p, links] : {std::pair{&policy, &input.links},
                            std::pair<const Policy*, Links*>{&reference, &input.reference_links}}) {
      auto loaded = load_links(text, *p);
      if (!loaded) {
        status = report(*file, loaded.errors(), kUnusable);
        return false;
      }
      *links = std::move(*loaded);
    }
  }
  return true;
}

namespace {

bool make_dirs(const std::string& path) {
  std::string at;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    at = path.substr(0, j);
    if (!at.empty() && ::mkdir(at.c_str(), 0755) != 0 && errno != EEXIST) return false;
    i = j + 1;
  }
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Written beside its place and renamed into it: a reader sees the old file or the new one.
bool write_whole(const std::string& path, const std::string& body) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(body.data(), 1, body.size(), f) == body.size();
  if (std::fclose(f) != 0 || !ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

int cmd_site(int argc, char** argv) {
  if (argc < 3) return usage_error("site", "site needs a subcommand: build");
  const std::string sub = argv[2];
  if (sub == "--help") return help(kHelpSite);
  if (sub != "build") {
    if (!clean_utf8(sub))
      return usage_error("site", "the subcommand (argument 2) is not valid UTF-8 or holds U+FFFD");
    return usage_error("site", "unknown site subcommand \"" + sub + "\"");
  }
  auto args = parse(
      argc, argv, 3,
      {{"--links"}, {"--reference"}, {"--now"}, {"--dist"}, {"--api"}, {"--policy", true, true}});
  if (!args.error.empty()) return usage_error("site", args.error);
  if (args.has("--help")) return help(kHelpSite);
  if (args.positional.size() != 1) return usage_error("site", "site build takes one OUT_DIR");
  const std::string out_dir = args.positional.front();

  int status = kOk;
  Instant now = now_instant();
  if (auto v = args.value("--now")) {
    auto t = parse_instant(*v);
    if (!t) return report("--now", t.errors(), kUnusable);
    now = *t;
  }
  std::vector<Policy> policies;
  Policy reference;
  SiteInput input;
  if (auto api = args.value("--api")) {
    // An origin only (scheme, host, port): the page adds the API's paths, and the origin is
    // written into an HTML attribute, so nothing else may be in it.
    const bool plain = is_web_origin(*api);
    if (!plain) {
      return usage_error("site",
                         "--api takes an origin: http(s)://host[:port], no path (e.g. "
                         "https://consent.example.com)");
    }
    input.api_origin = *api;
  }
  if (!load_policies(args, policies, status)) return status;
  if (!site_input(args, policies, now, reference, input, status)) return status;
  // The in-page search's browser module, copied beside the pages (dist/), read before anything
  // is written.
  std::vector<SiteFile> module;
  if (auto dist = args.value("--dist")) {
    // The search module and the receipt module, their shared wrapper code and error class, and
    // the browser module (doui.mjs, its glue and wasm): the consents page builds withdrawals
    // with it.
    for (const char* name :
         {"doui-search.mjs", "doui-search-core.mjs", "doui-search-core.wasm", "small-core.mjs",
          "doui-error.mjs", "doui-receipt.mjs", "doui-receipt-core.mjs", "doui-receipt-core.wasm",
          "doui.mjs", "doui-core.mjs", "doui-core.wasm"}) {
      SiteFile f{std::string("dist/") + name, "", ""};
      if (!read_limited(*dist + "/" + name, 16u << 20, f.body)) return kUnusable;
      module.push_back(std::move(f));
    }
    input.search = true;
    input.consents = true;
  }
  // Everything is rendered before anything is written.
  auto files = build_site(input);
  for (auto& f : module) files.push_back(std::move(f));
  for (const auto& f : files) {
    const std::string path = out_dir + "/" + f.path;
    const std::string dir = path.substr(0, path.rfind('/'));
    if (!make_dirs(dir)) {
      cli_problem(dir, Code::CliWriteFailed,
                  std::string("cannot make the directory: ") + std::strerror(errno));
      return kUnusable;
    }
    if (!write_whole(path, f.body)) {
      cli_problem(path, Code::CliWriteFailed, "cannot write it");
      return kUnusable;
    }
  }
  g_out->line("wrote " + std::to_string(files.size()) + " files to " + out_dir);
  return kOk;
}

}  // namespace doui::cli
