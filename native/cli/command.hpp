// What the commands share with main.cpp: standard output, the help text's frame, and the one
// way a problem is told (one line on stderr; see main.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doui/result.hpp"
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

}  // namespace doui::cli
