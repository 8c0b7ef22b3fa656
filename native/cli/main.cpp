// doui: the command-line interface. Thin over the core: it reads files, calls the core and
// writes what the core returns. Exit status: 0 done; 1 the thing judged (a record, the consent
// inputs, a birth date) breaks a rule or is invalid; 2 something doui needs for the job is
// unusable (command line, options, policy and links files, unreadable input, unwritable output).
// core/codes/codes.json states the status of each code in each command (docs/error-codes.md).
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "command.hpp"
#include "doui/age.hpp"
#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "doui/export.hpp"
#include "doui/policy.hpp"
#include "doui/render.hpp"
#include "doui/text.hpp"
#include "doui/verify.hpp"
#include "receipt_cmd.hpp"
#include "records_io.hpp"
#include "server_cmd.hpp"
#include "site_cmd.hpp"

namespace {

using doui::Code;
using doui::cli::cli_problem;
using doui::cli::error_line;
using doui::cli::g_out;
using doui::cli::help;
using doui::cli::kOk;
using doui::cli::kRuleBroken;
using doui::cli::kUnusable;
using doui::cli::report;
using doui::cli::usage_error;

// The core's limit on a policy or links document (ParseLimits::max_bytes, json_strict.hpp),
// enforced here while reading so that an input that never ends is not held in memory first.
constexpr std::size_t kMaxDocumentBytes = std::size_t{8} << 20;

constexpr std::string_view kHelpHead =
    "doui — consent and disclosure, one core for the browser and the server\n\nUsage:\n";

constexpr std::string_view kHelpRender =
    R"(  doui render [--format html|text|json] [--width N] [--fragment] [--links FILE] [POLICY_FILE]
      Render the policy (the bundled one unless POLICY_FILE is given).
      --format html   a complete, accessible HTML page (the default)
      --format text   plain text wrapped at --width display columns (kinsoku rules apply)
      --format json   the policy's canonical JSON (RFC 8785), the bytes its digest is taken of
      --width N       with text: the width, 8 to 1000 columns (default 80)
      --fragment      with html: an <article> to embed instead of a page
      --links FILE    a JSON object giving URLs for the policy's named link targets
)";

static_assert(doui::kMinTextWidth == 8 && doui::kMaxTextWidth == 1000, "render's help states them");

constexpr std::string_view kHelpPolicy =
    R"(  doui policy digest [POLICY_FILE]       SHA-256 of the policy's canonical JSON
  doui policy disclosures [POLICY_FILE]  the third-party provisions, as canonical JSON
  doui policy check [POLICY_FILE]        validate a policy file; prints its id, version, digest
)";

constexpr std::string_view kHelpAge =
    R"(  doui age --birthdate DATE --at INSTANT
      {"age":N,"guardian_required":BOOL}: legal age in Japan time at INSTANT (RFC 3339).
      --birthdate DATE  as typed in Japan (2009-04-01, 2009/4/1, ２００９年４月１日, 平成21年4月1日)
      --at INSTANT      the time to count the age at
      Exit 1 when DATE is not a usable birth date, 2 when INSTANT is unusable.
)";

constexpr std::string_view kHelpConsent =
    R"(  doui consent --subject ID --birthdate DATE [--agree] [--link ID ...] [--at INSTANT]
               [--guardian-name NAME [--guardian-kana KANA] --guardian-relation REL
                [--guardian-affirm] [--guardian-covers ID ...]] [--locale ja|en] [--id UUID]
               [--surface S] [--event given|changed|withdrawn --previous UUID] [--policy FILE]
      Build a consent record (canonical JSON) on stdout. Every choice is explicit, as on a form:
      --subject ID          the operator's opaque id for the person
      --birthdate DATE      as typed in Japan (2009-04-01, 平成21年4月1日, …)
      --agree               the person agrees to the policy (without it: consent.not_given)
      --link ID             an optional linkage chosen (ponta, d-account, amazon); repeatable
      --guardian-name NAME  the legal representative of a person aged 15 or under
      --guardian-kana KANA  the representative's name in kana
      --guardian-relation REL  parent|guardian|other (親権者|未成年後見人|その他の法定代理人)
      --guardian-affirm     the representative consents on the person's behalf
      --guardian-covers ID  a linkage the representative consents to; repeatable, no default
      --at INSTANT          when consent was given (RFC 3339; default now)
      --locale ja|en        the language the person was shown (default ja)
      --id UUID             the record's id (default a fresh UUID v4)
      --surface S           where consent was collected (default cli)
      --event E             given (default), changed or withdrawn (a withdrawal states what
                            remains: --agree and --link for what it keeps, nothing to take all)
      --previous UUID       the record a changed or withdrawn one follows
      --policy FILE         the policy consented to (default the bundled one)
      Exit 1 with the broken rules' codes on stderr when the inputs break a rule.
)";

constexpr std::string_view kHelpVerify =
    R"(  doui verify [--now INSTANT] [--policy FILE ...] [FILE|-]
      Verify one record or NDJSON (one per line), streaming; one verdict per record as NDJSON.
      --now INSTANT   the time to verify at (default now)
      --policy FILE   a policy besides the bundled one; repeatable (of two with one id and
                      version, the first: the bundled one, then these in order)
      Exit 0 all valid, 1 any invalid, 2 unusable input.
)";

constexpr std::string_view kHelpExport =
    R"(  doui export --as dpv [--now INSTANT] [--policy FILE ...] [FILE|-]
      Records (one or NDJSON) as W3C DPV JSON-LD, one per line. Each record is verified first,
      as by verify with the same --now and --policy: a record verify refuses is not exported.
      All or nothing: exit 1 naming the line of each refused record, and no output.
      --as dpv        the vocabulary (W3C Data Privacy Vocabulary)
      --now INSTANT   the time to verify at (default now)
      --policy FILE   a policy besides the bundled one; repeatable
)";

constexpr std::string_view kHelpHelp =
    R"(  doui --help, doui COMMAND --help      this text, or one command's
)";

constexpr std::string_view kHelpFoot = R"(
POLICY_FILE, FILE, RECEIPT_FILE and the FILE of --policy, --links and --pub may be - (standard
input), a pipe or a device; at most 8 MiB is read of a policy or links file, 1 MiB of a record
and 64 KiB of a receipt or key file.
Exit status, in every command: 0 done; 1 the thing judged (a record, the consent inputs, a
birth date, a receipt) breaks a rule or is invalid; 2 doui cannot do the job (command line,
options, policy, links or key file, unreadable input, unwritable output). One line per problem
on stderr, doui: WHAT: code at /json/pointer: detail, or in the verdicts of verify and receipt
verify (docs/error-codes.md lists every code and its exit status in each command).
)";

}  // namespace

namespace doui::cli {

Output* g_out = nullptr;

// One problem line; the usage hint shares it, so one problem is always one line.
int usage_error(std::string_view command, const std::string& message) {
  std::string hint = " (see doui ";
  if (!command.empty()) hint.append(command).append(" ");
  error_line("doui: " + std::string(to_string(Code::CliUsage)) + ": " + message + hint + "--help)");
  return kUnusable;
}

void cli_problem(const std::string& what, Code code, const std::string& detail) {
  error_line("doui: " + what + ": " + std::string(to_string(code)) + ": " + detail);
}

int report(const std::string& what, const std::vector<Error>& errors, int status) {
  for (const auto& e : errors) error_line("doui: " + what + ": " + format_error(e));
  return status;
}

int help(std::string_view section) {
  g_out->write(kHelpHead);
  g_out->write(section);
  g_out->write(kHelpFoot);
  return kOk;
}

bool read_limited(const std::string& path, std::size_t limit, std::string& text) {
  switch (read_all(path, limit, text)) {
    case ReadStatus::kOk:
      return true;
    case ReadStatus::kFailed:
      cli_problem(path, Code::CliReadFailed, "cannot read the file");
      return false;
    case ReadStatus::kTooLarge:
      // As the core reports it (json_strict.cpp), but without a count: reading stopped there.
      report(path,
             {Error{Code::JsonTooLarge, "",
                    "more than " + std::to_string(limit) + " bytes; the limit is " +
                        std::to_string(limit),
                    -1}},
             kUnusable);
      return false;
  }
  return false;
}

// A policy or links document: read to the core's limit, and no further.
bool read_document(const std::string& path, std::string& text, int& status) {
  if (read_limited(path, kMaxDocumentBytes, text)) return true;
  status = kUnusable;
  return false;
}

// Loads the policy at `path` ("-": standard input), or the bundled one when `path` is empty.
bool load_policy(const std::string& path, Policy& out, int& status) {
  std::string name = "bundled policy";
  std::string text;
  if (path.empty()) {
    text = doui::bundled_policy_json();
  } else {
    name = path;
    if (!read_document(path, text, status)) return false;
  }
  auto policy = doui::load_policy(text);
  if (!policy) {
    status = report(name, policy.errors(), kUnusable);
    return false;
  }
  out = std::move(*policy);
  return true;
}

bool load_policies(const Args& args, std::vector<Policy>& out, int& status) {
  std::vector<std::string> paths{""};
  for (auto& p : args.all("--policy")) paths.push_back(std::move(p));
  for (const auto& path : paths) {
    if (!load_policy(path, out.emplace_back(), status)) return false;
  }
  return true;
}

bool load_registry(const Args& args, PolicyRegistry& registry, int& status) {
  std::vector<Policy> policies;
  if (!load_policies(args, policies, status)) return false;
  for (auto& p : policies) registry.add(std::move(p));
  return true;
}

Instant now_instant() {
  // The system clock, read once per command; tests pin it with --at / --now.
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return Instant{static_cast<std::int64_t>(ms)};
}

}  // namespace doui::cli

namespace {

using doui::cli::load_policy;
using doui::cli::load_registry;
using doui::cli::now_instant;
using doui::cli::read_document;

int cmd_render(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2,
                               {{"--format"}, {"--width"}, {"--links"}, {"--fragment", false}});
  if (!args.error.empty()) return usage_error("render", args.error);
  if (args.has("--help")) return help(kHelpRender);
  if (args.positional.size() > 1)
    return usage_error("render", "render takes at most one POLICY_FILE");
  std::string format = args.value("--format").value_or("html");
  if (format != "html" && format != "text" && format != "json") {
    return usage_error("render", "--format must be html, text or json, not \"" + format + "\"");
  }
  int width = 80;
  if (auto w = args.value("--width")) {
    if (format != "text") return usage_error("render", "--width applies to --format text");
    char* end = nullptr;
    long v = std::strtol(w->c_str(), &end, 10);
    if (w->empty() || *end != '\0' || v < doui::kMinTextWidth || v > doui::kMaxTextWidth) {
      return usage_error(
          "render", "--width must be a whole number from " + std::to_string(doui::kMinTextWidth) +
                        " to " + std::to_string(doui::kMaxTextWidth) + ", not \"" + *w + "\"");
    }
    width = static_cast<int>(v);
  }
  if (args.has("--fragment") && format != "html")
    return usage_error("render", "--fragment applies to --format html");
  int status = kOk;
  doui::Policy policy;
  if (!load_policy(args.positional.empty() ? "" : args.positional.front(), policy, status))
    return status;
  doui::Links links;
  if (auto file = args.value("--links")) {
    std::string text;
    if (!read_document(*file, text, status)) return status;
    auto loaded = doui::load_links(text, policy);
    if (!loaded) return report(*file, loaded.errors(), kUnusable);
    links = std::move(*loaded);
  }
  if (format == "html") {
    doui::HtmlOptions opt;
    opt.fragment = args.has("--fragment");
    g_out->write(doui::render_html(policy, links, opt));
  } else if (format == "text") {
    auto text = doui::render_text(policy, links, width);
    if (!text) return report("render", text.errors(), kUnusable);
    g_out->write(*text);
  } else {
    g_out->line(policy.canonical_json);
  }
  return kOk;
}

int cmd_policy(int argc, char** argv) {
  if (argc < 3)
    return usage_error("policy", "policy needs a subcommand: digest, disclosures or check");
  const std::string sub = argv[2];
  if (sub == "--help") return help(kHelpPolicy);
  if (sub != "digest" && sub != "disclosures" && sub != "check") {
    if (!doui::cli::clean_utf8(sub))
      return usage_error("policy",
                         "the subcommand (argument 2) is not valid UTF-8 or holds U+FFFD");
    return usage_error("policy", "unknown policy subcommand \"" + sub + "\"");
  }
  auto args = doui::cli::parse(argc, argv, 3, {});
  if (!args.error.empty()) return usage_error("policy", args.error);
  if (args.has("--help")) return help(kHelpPolicy);
  if (args.positional.size() > 1)
    return usage_error("policy", "policy " + sub + " takes at most one POLICY_FILE");
  int status = kOk;
  doui::Policy policy;
  if (!load_policy(args.positional.empty() ? "" : args.positional.front(), policy, status))
    return status;
  if (sub == "digest") {
    g_out->line(policy.digest);
  } else if (sub == "disclosures") {
    g_out->line(doui::disclosures_json(doui::derive_disclosures(policy)));
  } else {
    g_out->line("ok " + policy.id + " " + policy.version + " " + policy.digest);
  }
  return kOk;
}

// An option's instant (the clock's when absent). Unusable: exit 2, an option is not judged.
bool instant_arg(const doui::cli::Args& args, const char* flag, doui::Instant& out, int& status) {
  auto v = args.value(flag);
  if (!v) {
    out = now_instant();
    return true;
  }
  auto t = doui::parse_instant(*v);
  if (!t) {
    status = report(flag, t.errors(), kUnusable);
    return false;
  }
  out = *t;
  return true;
}

int cmd_age(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2, {{"--birthdate"}, {"--at"}});
  if (!args.error.empty()) return usage_error("age", args.error);
  if (args.has("--help")) return help(kHelpAge);
  if (!args.positional.empty()) return usage_error("age", "age takes no positional arguments");
  auto birth_text = args.value("--birthdate");
  if (!birth_text) return usage_error("age", "age needs --birthdate DATE");
  if (!args.value("--at")) return usage_error("age", "age needs --at INSTANT");
  int status = kOk;
  doui::Instant at;
  if (!instant_arg(args, "--at", at, status)) return status;
  // The birth date is what `age` judges, as `consent` does: exit 1, like there.
  auto birth = doui::parse_birthdate(*birth_text);
  if (!birth) return report("--birthdate", birth.errors(), kRuleBroken);
  auto age = doui::check_age(*birth, at);
  if (!age) return report("--birthdate", age.errors(), kRuleBroken);
  g_out->line(doui::age_json(*age));
  return kOk;
}

int cmd_consent(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2,
                               {{"--subject"},
                                {"--birthdate"},
                                {"--at"},
                                {"--agree", false},
                                {"--link", true, true},
                                {"--guardian-name"},
                                {"--guardian-kana"},
                                {"--guardian-relation"},
                                {"--guardian-affirm", false},
                                {"--guardian-covers", true, true},
                                {"--locale"},
                                {"--id"},
                                {"--surface"},
                                {"--event"},
                                {"--previous"},
                                {"--policy"}});
  if (!args.error.empty()) return usage_error("consent", args.error);
  if (args.has("--help")) return help(kHelpConsent);
  if (!args.positional.empty())
    return usage_error("consent", "consent takes no positional arguments");
  if (!args.value("--subject")) return usage_error("consent", "consent needs --subject ID");
  if (!args.value("--birthdate")) return usage_error("consent", "consent needs --birthdate DATE");
  int status = kOk;
  doui::Policy policy;
  if (!load_policy(args.value("--policy").value_or(""), policy, status)) return status;
  doui::Instant at;
  if (!instant_arg(args, "--at", at, status)) return status;
  // Each field as the person (or their representative) set it: nothing is implied, so the same
  // choices give the same record here and in the browser. What is not given keeps the core's
  // default (ConsentInputs: locale ja, event given), the one place defaults are kept; only where
  // and by what consent was collected are the CLI's own (the core has no default for them).
  doui::ConsentInputs in;
  in.subject = *args.value("--subject");
  in.birthdate = *args.value("--birthdate");
  if (auto event = args.value("--event")) in.event = *event;
  in.policy_agreed = args.has("--agree");
  in.linkages = args.all("--link");
  in.guardian_name = args.value("--guardian-name").value_or("");
  in.guardian_name_kana = args.value("--guardian-kana").value_or("");
  in.guardian_relationship = args.value("--guardian-relation").value_or("");
  in.guardian_affirmed = args.has("--guardian-affirm");
  in.guardian_covers = args.all("--guardian-covers");
  if (auto locale = args.value("--locale")) in.locale = *locale;
  in.surface = args.value("--surface").value_or("cli");
  in.agent = "doui-cli/" DOUI_VERSION;
  in.previous_record = args.value("--previous").value_or("");
  auto record = doui::build_record(policy, in, at, args.value("--id").value_or(""));
  if (!record) return report("consent", record.errors(), kRuleBroken);
  g_out->line(*record);
  return kOk;
}

// Reads the records of FILE|- (args' positional), calling on_record(text, line) for each.
// kOk, or kUnusable when the input cannot be read, has a line too long to skip, or holds no
// record (each said on stderr).
template <class OnRecord>
int read_records(const doui::cli::Args& args, const char* command, OnRecord on_record) {
  const std::string path = args.positional.empty() ? "-" : args.positional.front();
  doui::cli::Source source;
  if (!source.open(path)) {
    cli_problem(path, Code::CliReadFailed, "cannot read the file");
    return kUnusable;
  }
  doui::cli::LineReader in(source);
  const bool any = doui::cli::for_each_record(in, on_record);
  if (in.failed()) {
    cli_problem(path, Code::CliReadFailed, "the input could not be read");
    return kUnusable;
  }
  if (in.too_long()) {
    report(path,
           {doui::Error{Code::JsonTooLarge, "",
                        "line " + std::to_string(in.line_number()) + " is longer than " +
                            std::to_string(doui::cli::LineReader::kMaxSkip) +
                            " bytes; the input is not read further",
                        -1}},
           kUnusable);
    return kUnusable;
  }
  if (!any) return usage_error(command, "no record in the input");
  return kOk;
}

int cmd_verify(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2, {{"--now"}, {"--policy", true, true}});
  if (!args.error.empty()) return usage_error("verify", args.error);
  if (args.has("--help")) return help(kHelpVerify);
  if (args.positional.size() > 1) return usage_error("verify", "verify takes at most one FILE");
  int status = kOk;
  doui::PolicyRegistry registry;
  if (!load_registry(args, registry, status)) return status;
  doui::Instant now;
  if (!instant_arg(args, "--now", now, status)) return status;
  bool all_valid = true;
  status = read_records(args, "verify", [&](std::string_view text, std::size_t) {
    if (g_out->failed()) return;  // the reader has gone: main() reports cli.write_failed
    auto verdict = doui::verify_record(text, registry, now);
    all_valid = all_valid && verdict.valid;
    g_out->line(doui::verdict_json(verdict));
  });
  if (status != kOk) return status;
  return all_valid ? kOk : kRuleBroken;
}

int cmd_export(int argc, char** argv) {
  auto args = doui::cli::parse(argc, argv, 2, {{"--as"}, {"--now"}, {"--policy", true, true}});
  if (!args.error.empty()) return usage_error("export", args.error);
  if (args.has("--help")) return help(kHelpExport);
  if (args.value("--as").value_or("") != "dpv")
    return usage_error("export", "export needs --as dpv");
  if (args.positional.size() > 1) return usage_error("export", "export takes at most one FILE");
  int status = kOk;
  doui::PolicyRegistry registry;
  if (!load_registry(args, registry, status)) return status;
  doui::Instant now;
  if (!instant_arg(args, "--now", now, status)) return status;
  // An export states that consent was given: only what verify accepts, and all of it or none
  // (held in a Spool: memory up to 8 MiB, then a temporary file).
  doui::cli::Spool spool;
  bool all_valid = true;
  status = read_records(args, "export", [&](std::string_view text, std::size_t line) {
    const std::string where = "export: line " + std::to_string(line);
    auto verdict = doui::verify_record(text, registry, now);
    if (!verdict.valid) {
      all_valid = false;
      report(where, verdict.errors, kRuleBroken);
      return;
    }
    if (!all_valid) return;  // nothing will be written: spare the conversion
    auto dpv = doui::export_dpv(text, registry);
    if (!dpv) {
      all_valid = false;
      report(where, dpv.errors(), kRuleBroken);
      return;
    }
    spool.line(*dpv);
  });
  if (status != kOk) return status;
  if (!all_valid) return kRuleBroken;
  if (!spool.copy_to(*g_out)) {
    cli_problem("export", Code::CliWriteFailed, "the output could not be held until complete");
    return kUnusable;
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
#ifndef __EMSCRIPTEN__
  // A closed pipe is EPIPE, reported as cli.write_failed (node ignores SIGPIPE too).
  std::signal(SIGPIPE, SIG_IGN);
#endif
  doui::cli::init_io();
  doui::cli::Output out;
  g_out = &out;
  int status = -1;
  std::string cmd = argc > 1 ? argv[1] : "";
  if (argc < 2) {
    status = usage_error("", "no command given");
  } else if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    status =
        argc == 2
            ? help(std::string(kHelpRender) + std::string(kHelpPolicy) + std::string(kHelpAge) +
                   std::string(kHelpConsent) + std::string(kHelpVerify) + std::string(kHelpExport) +
                   std::string(doui::cli::kHelpKey) + std::string(doui::cli::kHelpReceipt) +
                   std::string(doui::cli::kHelpSite) + std::string(doui::cli::kHelpServe) +
                   std::string(doui::cli::kHelpLedger) + std::string(kHelpHelp))
            : usage_error("", "--help takes no arguments; doui COMMAND --help");
  } else if (!doui::cli::clean_utf8(cmd)) {
    cmd = "doui";
    status = usage_error("", "the command (argument 1) is not valid UTF-8 or holds U+FFFD");
  } else {
    static constexpr struct {
      std::string_view name;
      int (*run)(int, char**);
    } kCommands[] = {{"render", cmd_render},
                     {"policy", cmd_policy},
                     {"age", cmd_age},
                     {"consent", cmd_consent},
                     {"verify", cmd_verify},
                     {"export", cmd_export},
                     {"key", doui::cli::cmd_key},
                     {"receipt", doui::cli::cmd_receipt},
                     {"site", doui::cli::cmd_site},
                     {"serve", doui::cli::cmd_serve},
                     {"ledger", doui::cli::cmd_ledger}};
    for (const auto& c : kCommands) {
      if (cmd == c.name) status = c.run(argc, argv);
    }
    if (status < 0) status = usage_error("", "unknown command \"" + cmd + "\"");
  }
  // Output that never arrived (disk full, closed pipe or descriptor) must not look like success:
  // a record printed by `consent` would be lost silently.
  if (!out.flush()) {
    cli_problem(cmd.empty() ? "doui" : cmd, Code::CliWriteFailed,
                "the output could not be written");
    return kUnusable;
  }
  return status;
}
