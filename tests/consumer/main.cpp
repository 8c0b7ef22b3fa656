// A verifier outside doui's tree, built only from the installed package: every public header
// (so each is installed and compiles on its own terms), the bundled policy, verify_record.
//   doui_consumer --now INSTANT [FILE|-]
// prints the record's verdict line (the bytes `doui verify` prints); exit 0 valid, 1 not, 2 usage.
#include <doui/age.hpp>
#include <doui/canonical.hpp>
#include <doui/codes.hpp>
#include <doui/consent.hpp>
#include <doui/digest.hpp>
#include <doui/disclosure.hpp>
#include <doui/export.hpp>
#include <doui/messages.hpp>
#include <doui/normalize.hpp>
#include <doui/policy.hpp>
#include <doui/render.hpp>
#include <doui/result.hpp>
#include <doui/text.hpp>
#include <doui/uuid.hpp>
#include <doui/verify.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4 || std::string_view(argv[1]) != "--now") {
    std::cerr << "usage: doui_consumer --now INSTANT [FILE|-]\n";
    return 2;
  }
  auto now = doui::parse_instant(argv[2]);
  if (!now) {
    std::cerr << "--now: " << doui::format_error(now.error()) << '\n';
    return 2;
  }
  std::string record;
  const std::string path = argc == 4 ? argv[3] : "-";
  if (path == "-") {
    record.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << path << ": cannot read the file\n";
      return 2;
    }
    record.assign(std::istreambuf_iterator<char>(in), {});
  }
  // One record, as one line of `doui verify`'s input: without its line end.
  if (!record.empty() && record.back() == '\n') record.pop_back();
  if (!record.empty() && record.back() == '\r') record.pop_back();

  auto policy = doui::load_policy(doui::bundled_policy_json());
  if (!policy) {
    for (const auto& e : policy.errors()) std::cerr << doui::format_error(e) << '\n';
    return 2;
  }
  doui::PolicyRegistry registry;
  registry.add(std::move(*policy));
  const doui::Verdict verdict = doui::verify_record(record, registry, *now);
  std::cout << doui::verdict_json(verdict) << '\n';
  return verdict.valid ? 0 : 1;
}
