// `doui site build`: the privacy center as static files; and what `doui serve` needs to serve it.
#pragma once

#include <string_view>

#include "args.hpp"
#include "doui/site.hpp"

namespace doui::cli {

inline constexpr std::string_view kHelpSite =
    R"(  doui site build OUT_DIR [--links FILE] [--reference FILE]
      Write the privacy center's pages (the policy, who receives what; in Japanese and, under en/,
      in English) and their stylesheet into OUT_DIR, for any static host. The same pages
      doui serve answers under /privacy/. Every file is written whole or not at all.
      --links FILE        URLs for the policy's link targets (a links file)
      --reference FILE    the English reference translation (default: the bundled one)
)";

/// The policies and links a site is made of: the bundled policy, the English reference
/// (--reference FILE or the bundled one), each with the links of --links FILE. The policies live
/// in `policy` and `reference`, which `input` points to. False: reported, `status` set.
bool site_input(const Args& args, Policy& policy, Policy& reference, SiteInput& input, int& status);

int cmd_site(int argc, char** argv);

}  // namespace doui::cli
