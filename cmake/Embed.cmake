# cmake -DINPUT=file -DOUTPUT=file.cpp -DFUNCTION=qualified::name -P Embed.cmake
# Embeds a file's bytes in C++ so that both targets carry the same data without a filesystem.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR size "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
string(REGEX MATCH "^(.*)::([^:]+)$" _ "${FUNCTION}")
set(ns "${CMAKE_MATCH_1}")
set(fn "${CMAKE_MATCH_2}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/Embed.cmake. Do not edit.
#include <string_view>
namespace ${ns} {
namespace {
constexpr unsigned char kData[] = {
${bytes}0};
}  // namespace
std::string_view ${fn}() { return std::string_view(reinterpret_cast<const char*>(kData), ${size}); }
}  // namespace ${ns}
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
