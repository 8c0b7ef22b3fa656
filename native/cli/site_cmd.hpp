// `doui site build`: the privacy center as static files; and what `doui serve` needs to serve it.
#pragma once

#include <string_view>

#include "args.hpp"
#include "doui/site.hpp"

namespace doui::cli {

inline constexpr std::string_view kHelpSite =
    R"(  doui site build OUT_DIR [--policy FILE ...] [--links FILE] [--reference FILE] [--now INSTANT]
                  [--dist DIR [--api ORIGIN]]
      Write the privacy center's pages (the policy, who receives what, its revisions, and with
      --dist a person's own consents; in Japanese and, under en/, in English) and their
      stylesheet into OUT_DIR, for any static host. The same pages doui serve answers under
      /privacy/. Every file is written whole or not at all.
      --policy FILE       another version of the bundled policy (repeatable): the one in effect
                          at --now is the site's policy, the others its revisions
      --links FILE        URLs for the policy's link targets (a links file)
      --reference FILE    the English reference translation (default: the bundled one)
      --now INSTANT       the time that decides the version in effect (default now)
      --dist DIR          the wasm build's web files (build/wasm/web): the policy pages get an
                          in-page search, and the consents page (consents/) is written; the
                          browser modules they use are copied into OUT_DIR/dist/
      --api ORIGIN        where the consents page finds the API (doui serve), when the site is
                          hosted elsewhere: http(s)://host[:port] (default: the site's own
                          origin). That server must allow the site's origin (--cors-origin).
)";

/// The policies and links a site is made of: of `policies` (the bundled policy first, then each
/// --policy FILE), the versions of the bundled one, the version in effect at `now` its policy;
/// the English reference (--reference FILE or the bundled one: a translation of one of those
/// versions); the links of --links FILE. `input` points into `policies` and `reference`.
/// False: reported, `status` set.
bool site_input(const Args& args, const std::vector<Policy>& policies, Instant now,
                Policy& reference, SiteInput& input, int& status);

int cmd_site(int argc, char** argv);

}  // namespace doui::cli
