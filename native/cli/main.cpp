// doui: the command-line interface. Thin over the core: it reads files, calls the core and
// writes what the core returns. Exit status: 0 done, 1 a rule was broken, 2 unusable input.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "args.hpp"
#include "doui/age.hpp"
#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "doui/export.hpp"
#include "doui/policy.hpp"
#include "doui/render.hpp"
#include "doui/text.hpp"
#include "doui/verify.hpp"
#include "records_io.hpp"

namespace {

constexpr int kOk = 0;
constexpr int kRuleBroken = 1;
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
  doui age --birthdate DATE --at INSTANT
      {"age":N,"guardian_required":BOOL} — legal age in Japan time at INSTANT (RFC 3339)
  doui consent --subject ID --birthdate DATE [--at INSTANT] [--agree | --no-agree]
               [--guardian-name NAME [--guardian-kana KANA] --guardian-relation REL
                [--guardian-covers ID ...]] [--link ID ...] [--locale ja|en] [--id UUID]
               [--surface S] [--event given|changed|withdrawn --previous UUID] [--policy FILE]
      Build a consent record (canonical JSON) on stdout. DATE as typed in Japan
      (2009-04-01, 2009/4/1, ２００９年４月１日, 平成21年4月1日); --at defaults to now;
      REL is parent|guardian|other (親権者|未成年後見人|その他の法定代理人); a guardian's
      consent covers the linkages they name with --guardian-covers (by default every --link).
      Exit 1 with the broken rules' codes on stderr when the inputs break a rule.
  doui verify [--now INSTANT] [--policy FILE ...] [FILE|-]
      Verify one record or NDJSON (one per line), streaming; one verdict per record as NDJSON.
      Exit 0 all valid, 1 any invalid, 2 unusable input.
  doui export --as dpv [FILE|-]   records (one or NDJSON) as W3C DPV JSON-LD, one per line
  doui --help                            this text

POLICY_FILE or FILE may be - for standard input.
Exit status: 0 success; 1 a consent rule is broken or a record is invalid; 2 unusable input
(the error's code and JSON pointer go to stderr).
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

// One line per error on stderr; returns `status` (unusable input unless said otherwise).
int report(const std::string& what, const std::vector<doui::Error>& errors,
           int status = kUnusable) {
  for (const auto& e : errors)
    std::cerr << "doui: " << what << ": " << doui::format_error(e) << "\n";
  return status;
}

// Loads the policy at `path` ("-": standard input), or the bundled one when `path` is empty.
bool load_policy(const std::string& path, doui::Policy& out, int& status) {
  std::string name = "bundled policy";
  std::string text(doui::bundled_policy_json());
  if (!path.empty()) {
    name = path;
    Input in = read_file(path);
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

// The policy named by a command's first positional argument, or the bundled one.
bool load_policy(const doui::cli::Args& args, doui::Policy& out, int& status) {
  return load_policy(args.positional.empty() ? std::string() : args.positional.front(), out,
                     status);
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

doui::Instant now_instant() {
  // The system clock, read once per command; tests pin it with --at / --now.
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return doui::Instant{static_cast<std::int64_t>(ms)};
}

bool instant_arg(const doui::cli::Args& args, const char* flag, doui::Instant& out, int& status) {
  auto v = args.value(flag);
  if (!v) {
    out = now_instant();
    return true;
  }
  auto t = doui::parse_instant(*v);
  if (!t) {
    status = report(flag, t.errors());
    return false;
  }
  out = *t;
  return true;
}

int cmd_age(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2, {"--birthdate", "--at"}, {});
  if (!args.error.empty()) return usage_error(args.error);
  if (!args.positional.empty()) return usage_error("age takes no positional arguments");
  auto birth_text = args.value("--birthdate");
  if (!birth_text) return usage_error("age needs --birthdate DATE");
  if (!args.value("--at")) return usage_error("age needs --at INSTANT");
  int status = kOk;
  doui::Instant at;
  if (!instant_arg(args, "--at", at, status)) return status;
  auto birth = doui::parse_birthdate(*birth_text);
  if (!birth) return report("--birthdate", birth.errors());
  auto age = doui::check_age(*birth, at);
  if (!age) return report("--birthdate", age.errors());
  std::cout << "{\"age\":" << age->age
            << ",\"guardian_required\":" << (age->guardian_required ? "true" : "false") << "}\n";
  return kOk;
}

int cmd_consent(int argc, char** argv) {
  auto args =
      doui::cli::parse(argc, argv, 2,
                       {"--subject", "--birthdate", "--at", "--guardian-name", "--guardian-kana",
                        "--guardian-relation", "--guardian-covers", "--link", "--locale", "--id",
                        "--surface", "--event", "--previous", "--policy"},
                       {"--agree", "--no-agree"});
  if (!args.error.empty()) return usage_error(args.error);
  if (!args.positional.empty()) return usage_error("consent takes no positional arguments");
  if (!args.value("--subject")) return usage_error("consent needs --subject ID");
  if (!args.value("--birthdate")) return usage_error("consent needs --birthdate DATE");
  int status = kOk;
  doui::Policy policy;
  if (!load_policy(args.value("--policy").value_or(""), policy, status)) return status;
  doui::Instant at;
  if (!instant_arg(args, "--at", at, status)) return status;
  doui::ConsentInputs in;
  in.subject = *args.value("--subject");
  in.birthdate = *args.value("--birthdate");
  in.event = args.value("--event").value_or("given");
  in.policy_agreed = in.event != "withdrawn" && !args.has("--no-agree");
  if (args.values.count("--link")) in.linkages = args.values.at("--link");
  in.guardian_name_kana = args.value("--guardian-kana").value_or("");
  in.guardian_relationship = args.value("--guardian-relation").value_or("");
  if (auto name = args.value("--guardian-name")) {
    in.guardian_name = *name;
    // Naming themselves on the command line is the representative's affirmation.
    in.guardian_affirmed = true;
    in.guardian_covers =
        args.values.count("--guardian-covers") ? args.values.at("--guardian-covers") : in.linkages;
  }
  in.locale = args.value("--locale").value_or("ja");
  in.surface = args.value("--surface").value_or("cli");
  in.agent = "doui-cli/" DOUI_VERSION;
  in.previous_record = args.value("--previous").value_or("");
  auto record = doui::build_record(policy, in, at, args.value("--id").value_or(""));
  if (!record) return report("consent", record.errors(), kRuleBroken);
  std::cout << *record << "\n";
  return kOk;
}

// The input FILE (stdin for none or "-"), closed when done.
struct InputFile {
  std::FILE* file = nullptr;
  bool owned = false;
  InputFile() = default;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() {
    if (owned) std::fclose(file);
  }
};

bool open_input(const doui::cli::Args& args, InputFile& input) {
  if (args.positional.empty() || args.positional.front() == "-") {
    input.file = stdin;
    return true;
  }
  input.file = std::fopen(args.positional.front().c_str(), "rb");
  if (input.file == nullptr) {
    std::cerr << "doui: " << args.positional.front() << ": cli.read_failed: cannot read the file\n";
    return false;
  }
  input.owned = true;
  return true;
}

// Runs each record of FILE|- (args' positional) through `to_line` and writes the lines it
// returns (none: it reported a problem itself). kOk, or kUnusable when the input cannot be read
// or holds no record (said on stderr), or the output cannot be written.
template <class ToLine>
int stream_records(const doui::cli::Args& args, const char* command, ToLine to_line) {
  InputFile input;
  if (!open_input(args, input)) return kUnusable;
  doui::cli::LineReader in(input.file);
  doui::cli::LineWriter out;
  const bool any = doui::cli::for_each_record(in, [&](std::string_view text) {
    if (auto line = to_line(text)) out.line(*line);
  });
  if (!out.flush()) return kUnusable;  // main() reports cli.write_failed, for every command
  if (in.failed()) {
    std::cerr << "doui: " << command << ": cli.read_failed: the input could not be read\n";
    return kUnusable;
  }
  if (!any) return usage_error(std::string(command) + ": no record in the input");
  return kOk;
}

int cmd_verify(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2, {"--now", "--policy"}, {});
  if (!args.error.empty()) return usage_error(args.error);
  if (args.positional.size() > 1) return usage_error("verify takes at most one FILE");
  int status = kOk;
  // The bundled policy ("") first, then each --policy: of two with one id and version, the first.
  std::vector<std::string> paths{""};
  if (args.values.count("--policy")) {
    const auto& more = args.values.at("--policy");
    paths.insert(paths.end(), more.begin(), more.end());
  }
  doui::PolicyRegistry registry;
  for (const auto& path : paths) {
    doui::Policy p;
    if (!load_policy(path, p, status)) return status;
    registry.add(std::move(p));
  }
  doui::Instant now;
  if (!instant_arg(args, "--now", now, status)) return status;
  bool all_valid = true;
  int status_io = stream_records(args, "verify", [&](std::string_view text) {
    auto verdict = doui::verify_record(text, registry, now);
    all_valid = all_valid && verdict.valid;
    return std::optional<std::string>(doui::verdict_json(verdict));
  });
  if (status_io != kOk) return status_io;
  return all_valid ? kOk : kRuleBroken;
}

int cmd_export(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2, {"--as"}, {});
  if (!args.error.empty()) return usage_error(args.error);
  if (args.value("--as").value_or("") != "dpv") return usage_error("export needs --as dpv");
  if (args.positional.size() > 1) return usage_error("export takes at most one FILE");
  bool ok = true;
  int status_io = stream_records(args, "export", [&](std::string_view text) {
    auto dpv = doui::export_dpv(text);
    if (!dpv) {
      ok = false;
      report("export", dpv.errors());
      return std::optional<std::string>();
    }
    return std::optional<std::string>(std::move(*dpv));
  });
  if (status_io != kOk) return status_io;
  return ok ? kOk : kUnusable;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kHelp;
    return kUnusable;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << kHelp;
    return kOk;
  }
  static constexpr struct {
    std::string_view name;
    int (*run)(int, char**);
  } kCommands[] = {{"render", cmd_render},   {"policy", cmd_policy}, {"age", cmd_age},
                   {"consent", cmd_consent}, {"verify", cmd_verify}, {"export", cmd_export}};
  int status = -1;
  for (const auto& c : kCommands) {
    if (cmd == c.name) status = c.run(argc, argv);
  }
  if (status < 0) status = usage_error("unknown command \"" + cmd + "\"");
  // Output that never arrived (disk full, closed pipe) must not look like success: a record
  // printed by `consent` would be lost silently.
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::cerr << "doui: " << cmd << ": cli.write_failed: the output could not be written\n";
    return kUnusable;
  }
  return status;
}
