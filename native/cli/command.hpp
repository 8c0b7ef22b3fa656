// What the commands share with main.cpp: standard output, the help text's frame, and the one
// way a problem is told (one line on stderr; see main.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "doui/age.hpp"
#include "doui/policy.hpp"
#include "doui/result.hpp"
#include "doui/verify.hpp"
#include "records_io.hpp"

namespace doui::cli {

/// Exit status: done; the thing judged breaks a rule or is invalid; doui cannot do the job.
constexpr int kOk = 0;
constexpr int kRuleBroken = 1;
constexpr int kUnusable = 2;

/// Standard output, for the command that runs.
extern Output* g_out;

/// Writes the help text with `section` for its commands; kOk.
int help(std::string_view section);

/// "doui: cli.usage: MESSAGE (see doui COMMAND --help)"; kUnusable.
int usage_error(std::string_view command, const std::string& message);

/// "doui: WHAT: CODE: DETAIL".
void cli_problem(const std::string& what, Code code, const std::string& detail);

/// One line per error, "doui: WHAT: code at /pointer: detail"; returns `status`.
int report(const std::string& what, const std::vector<Error>& errors, int status);

/// The whole of `path` ("-": standard input), at most `limit` bytes; false (reported:
/// cli.read_failed or json.too_large, exit 2) when it cannot be read or is larger.
bool read_limited(const std::string& path, std::size_t limit, std::string& text);

/// A policy or links document at `path` ("-": standard input), read to the core's limit and no
/// further; false (reported, `status` 2) when it cannot be.
bool read_document(const std::string& path, std::string& text, int& status);

/// The policy at `path` ("-": standard input), or the bundled one when `path` is empty; false
/// (every problem reported, `status` 2) when it does not load.
bool load_policy(const std::string& path, Policy& out, int& status);

/// The bundled policy, then each --policy FILE, in that order.
bool load_policies(const Args& args, std::vector<Policy>& out, int& status);

/// The same, added to `registry`: of two with one id and version, the first is used.
bool load_registry(const Args& args, PolicyRegistry& registry, int& status);

/// The system clock, read once per command; tests pin it with --at / --now.
Instant now_instant();

}  // namespace doui::cli
