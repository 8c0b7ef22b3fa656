# Dependencies as imported targets, the same names on both platforms:
#   doui::json (nlohmann_json), doui::sodium, doui::icu_uc (doui::icu_uc_size: for the browser),
#   doui::icu_i18n, doui::icudata_browser, doui::icudata_cli; in wasm also doui::icu_norm (ICU's
#   normaliser with compiled-in data; natively the core uses ICU's public Normalizer2 API)
# Natively they come from Debian's -dev packages; for wasm from scripts/setup.sh's cache, built
# from Debian's source packages (Emscripten's ports cannot be downloaded here).
if(EMSCRIPTEN)
  set(_wasm "${DOUI_CACHE}/wasm")
  if(NOT EXISTS "${_wasm}/lib/libicuuc.a" OR NOT EXISTS "${_wasm}/lib/libsodium.a"
     OR NOT EXISTS "${DOUI_CACHE}/wasm-size/lib/libicuuc.a")
    message(FATAL_ERROR "wasm libraries missing in ${_wasm}: run scripts/setup.sh")
  endif()
  # Never -I/usr/include in a wasm build (it drags glibc headers in): give nlohmann its own dir.
  set(_json_inc "${CMAKE_BINARY_DIR}/deps-include")
  file(MAKE_DIRECTORY "${_json_inc}")
  file(CREATE_LINK /usr/include/nlohmann "${_json_inc}/nlohmann" SYMBOLIC)
  add_library(doui_json INTERFACE)
  target_include_directories(doui_json SYSTEM INTERFACE "${_json_inc}")
  add_library(doui::json ALIAS doui_json)

  add_library(doui::sodium STATIC IMPORTED)
  set_target_properties(doui::sodium PROPERTIES IMPORTED_LOCATION "${_wasm}/lib/libsodium.a"
                        INTERFACE_INCLUDE_DIRECTORIES "${_wasm}/include")
  add_library(doui::icu_uc STATIC IMPORTED)
  set_target_properties(doui::icu_uc PROPERTIES IMPORTED_LOCATION "${_wasm}/lib/libicuuc.a"
                        INTERFACE_INCLUDE_DIRECTORIES "${_wasm}/include")
  # ICU built for size (-Os) for the browser module; the node programs use the -O2 build above.
  add_library(doui::icu_uc_size STATIC IMPORTED)
  set_target_properties(doui::icu_uc_size PROPERTIES
                        IMPORTED_LOCATION "${DOUI_CACHE}/wasm-size/lib/libicuuc.a"
                        INTERFACE_INCLUDE_DIRECTORIES "${DOUI_CACHE}/wasm-size/include")
  add_library(doui::icu_i18n STATIC IMPORTED)
  set_target_properties(doui::icu_i18n PROPERTIES IMPORTED_LOCATION "${_wasm}/lib/libicui18n.a"
                        INTERFACE_LINK_LIBRARIES doui::icu_uc)
  # NFC (and NFKC over it, compat_map.hpp) through ICU's Normalizer2Impl over ICU's own NFC data
  # compiled in (core/src/normalize.cpp): its header and norm2_nfc_data.h are ICU-internal, from
  # the ICU source tree setup.sh unpacks; -idirafter keeps the installed unicode/*.h (with doui's
  # UCONFIG switches) ahead of the source tree's.
  add_library(doui_icu_norm INTERFACE)
  target_compile_definitions(doui_icu_norm INTERFACE DOUI_ICU_COMPILED_NORM=1)
  target_compile_options(doui_icu_norm INTERFACE
                         "SHELL:-idirafter ${DOUI_CACHE}/icu-src/source/common")
  add_library(doui::icu_norm ALIAS doui_icu_norm)
  # Trimmed ICU data (icupkg), compiled in: the browser gets NFKC only; the CLI adds line breaking.
  foreach(kind browser cli)
    add_library(doui_icudata_${kind} STATIC "${DOUI_CACHE}/icu-data/${kind}/icudt72_dat.c")
    target_include_directories(doui_icudata_${kind} PRIVATE "${_wasm}/include")
    add_library(doui::icudata_${kind} ALIAS doui_icudata_${kind})
  endforeach()
else()
  find_package(nlohmann_json 3.11 REQUIRED)
  add_library(doui_json INTERFACE)
  target_link_libraries(doui_json INTERFACE nlohmann_json::nlohmann_json)
  add_library(doui::json ALIAS doui_json)
  find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
  add_library(doui_icu_uc INTERFACE)
  target_link_libraries(doui_icu_uc INTERFACE ICU::uc ICU::data)
  add_library(doui::icu_uc ALIAS doui_icu_uc)
  add_library(doui::icu_uc_size ALIAS doui_icu_uc)
  add_library(doui_icu_i18n INTERFACE)
  target_link_libraries(doui_icu_i18n INTERFACE ICU::i18n doui::icu_uc)
  add_library(doui::icu_i18n ALIAS doui_icu_i18n)
  # Native ICU carries its full data in libicudata; the trimmed packages are a wasm concern.
  add_library(doui_icudata_browser INTERFACE)
  add_library(doui::icudata_browser ALIAS doui_icudata_browser)
  add_library(doui_icudata_cli INTERFACE)
  add_library(doui::icudata_cli ALIAS doui_icudata_cli)
  find_package(PkgConfig REQUIRED)
  # A prefix of doui's own: the installed package config (cmake/doui-config.cmake.in) makes the
  # same target in the consumer's project, where SODIUM_* could be the consumer's variables.
  pkg_check_modules(DOUI_SODIUM REQUIRED IMPORTED_TARGET libsodium)
  add_library(doui_sodium INTERFACE)
  target_link_libraries(doui_sodium INTERFACE PkgConfig::DOUI_SODIUM)
  add_library(doui::sodium ALIAS doui_sodium)
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
