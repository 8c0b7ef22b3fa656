// doui: the command-line interface. Thin over the core: it reads files, calls the core and
// writes what the core returns. Exit status: 0 done, 1 a rule was broken, 2 unusable input.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "args.hpp"
#include "doui/disclosure.hpp"
#include "doui/policy.hpp"
#include "doui/render.hpp"
#include "doui/text.hpp"

namespace {

constexpr int kOk = 0;
constexpr int kUnusable = 2;

constexpr const char* kHelp =
    R"(doui — consent and disclosure, one core for the browser and the server

Usage:
  doui render [--format html|text|json] [--width N] [--fragment] [--links FILE] [POLICY_FILE]
      Render the policy (the bundled one unless POLICY_FILE is given).
      html   a complete, accessible HTML page (--fragment: an <article> to embed)
      text   plain text wrapped at --width display columns (default 80; kinsoku rules apply)
      json   the policy's canonical JSON (RFC 8785), the bytes its digest is taken of
      --links FILE  a JSON object giving URLs for the policy's named link targets
  doui policy digest [POLICY_FILE]       SHA-256 of the policy's canonical JSON
  doui policy disclosures [POLICY_FILE]  the third-party provisions, as canonical JSON
  doui policy check [POLICY_FILE]        validate a policy file; prints its id, version, digest
  doui --help                            this text

POLICY_FILE or FILE may be - for standard input.
Exit status: 0 success; 2 unusable input (the error's code and JSON pointer go to stderr).
)";

struct Input {
  bool ok = false;
  std::string data;
};

Input read_file(const std::string& path) {
  Input in;
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    in.data = ss.str();
    in.ok = !std::cin.bad();
    return in;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) return in;
  in.data.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  in.ok = !f.bad();
  return in;
}

int usage_error(const std::string& message) {
  std::cerr << "doui: cli.usage: " << message << "\n(see doui --help)\n";
  return kUnusable;
}

int report(const std::string& what, const std::vector<doui::Error>& errors) {
  for (const auto& e : errors)
    std::cerr << "doui: " << what << ": " << doui::format_error(e) << "\n";
  return kUnusable;
}

// Loads the policy named by the first positional argument, or the bundled one.
bool load_policy(const doui::cli::Args& args, doui::Policy& out, int& status) {
  std::string name = "bundled policy";
  std::string text(doui::bundled_policy_json());
  if (!args.positional.empty()) {
    name = args.positional.front();
    Input in = read_file(name);
    if (!in.ok) {
      std::cerr << "doui: " << name << ": cli.read_failed: cannot read the file\n";
      status = kUnusable;
      return false;
    }
    text = std::move(in.data);
  }
  auto policy = doui::load_policy(text);
  if (!policy) {
    status = report(name, policy.errors());
    return false;
  }
  out = std::move(*policy);
  return true;
}

int cmd_render(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2, {"--format", "--width", "--links"}, {"--fragment"});
  if (!args.error.empty()) return usage_error(args.error);
  if (args.positional.size() > 1) return usage_error("render takes at most one POLICY_FILE");
  std::string format = args.value("--format").value_or("html");
  if (format != "html" && format != "text" && format != "json") {
    return usage_error("--format must be html, text or json, not \"" + format + "\"");
  }
  int width = 80;
  if (auto w = args.value("--width")) {
    if (format != "text") return usage_error("--width applies to --format text");
    char* end = nullptr;
    long v = std::strtol(w->c_str(), &end, 10);
    if (w->empty() || *end != '\0' || v < doui::kMinTextWidth || v > doui::kMaxTextWidth) {
      return usage_error("--width must be a whole number from " +
                         std::to_string(doui::kMinTextWidth) + " to " +
                         std::to_string(doui::kMaxTextWidth) + ", not \"" + *w + "\"");
    }
    width = static_cast<int>(v);
  }
  if (args.has("--fragment") && format != "html")
    return usage_error("--fragment applies to --format html");
  int status = kOk;
  doui::Policy policy;
  if (!load_policy(args, policy, status)) return status;
  doui::Links links;
  if (auto file = args.value("--links")) {
    Input in = read_file(*file);
    if (!in.ok) {
      std::cerr << "doui: " << *file << ": cli.read_failed: cannot read the file\n";
      return kUnusable;
    }
    auto loaded = doui::load_links(in.data, policy);
    if (!loaded) return report(*file, loaded.errors());
    links = std::move(*loaded);
  }
  if (format == "html") {
    doui::HtmlOptions opt;
    opt.fragment = args.has("--fragment");
    std::cout << doui::render_html(policy, links, opt);
  } else if (format == "text") {
    auto text = doui::render_text(policy, links, width);
    if (!text) return report("render", text.errors());
    std::cout << *text;
  } else {
    std::cout << policy.canonical_json << "\n";
  }
  return kOk;
}

int cmd_policy(int argc, char** argv) {
  if (argc < 3) return usage_error("policy needs a subcommand: digest, disclosures or check");
  std::string sub = argv[2];
  auto args = doui::cli::parse(argc, argv, 3, {}, {});
  if (!args.error.empty()) return usage_error(args.error);
  if (args.positional.size() > 1)
    return usage_error("policy " + sub + " takes at most one POLICY_FILE");
  if (sub != "digest" && sub != "disclosures" && sub != "check") {
    return usage_error("unknown policy subcommand \"" + sub + "\"");
  }
  int status = kOk;
  doui::Policy policy;
  if (!load_policy(args, policy, status)) return status;
  if (sub == "digest") {
    std::cout << policy.digest << "\n";
  } else if (sub == "disclosures") {
    std::cout << doui::disclosures_json(doui::derive_disclosures(policy)) << "\n";
  } else {
    std::cout << "ok " << policy.id << " " << policy.version << " " << policy.digest << "\n";
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kHelp;
    return kUnusable;
  }
  std::string cmd = argv[1];
  int status;
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kHelp;
    status = kOk;
  } else if (cmd == "render") {
    status = cmd_render(argc, argv);
  } else if (cmd == "policy") {
    status = cmd_policy(argc, argv);
  } else {
    status = usage_error("unknown command \"" + cmd + "\"");
  }
  std::cout.flush();
  return status;
}
