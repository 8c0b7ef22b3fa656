# `cmake --install build/native --prefix P`: the core as a CMake package for servers that embed
# the verifier (issue #8). P/include/doui/ holds the public headers (codes.hpp and ui_keys.hpp
# generated); the static libraries carry the bundled policy and messages; P/lib/cmake/doui/ the
# package config.
#   find_package(doui REQUIRED)  target_link_libraries(app PRIVATE doui::core)
# doui::text (render_text, ICU line breaking) and doui::site (the privacy center's pages,
# flow.hpp) are installed too, since their headers are.
include(CMakePackageConfigHelpers)

set(DOUI_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/doui")

# The dependency targets go into the export set as they are named in the tree (doui::json,
# doui::sodium, doui::icu_uc); the package config finds what they stand on.
set_target_properties(doui_core PROPERTIES EXPORT_NAME core)
set_target_properties(doui_text PROPERTIES EXPORT_NAME text)
set_target_properties(doui_site PROPERTIES EXPORT_NAME site)
set_target_properties(doui_json PROPERTIES EXPORT_NAME json)
set_target_properties(doui_sodium PROPERTIES EXPORT_NAME sodium)
set_target_properties(doui_icu_uc PROPERTIES EXPORT_NAME icu_uc)
install(TARGETS doui_core doui_text doui_site doui_json doui_sodium doui_icu_uc
        EXPORT doui-targets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/core/include/doui"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.hpp")
install(FILES "${DOUI_GEN_DIR}/doui/codes.hpp" "${DOUI_GEN_DIR}/doui/ui_keys.hpp" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/doui")
install(EXPORT doui-targets NAMESPACE doui:: DESTINATION "${DOUI_INSTALL_CMAKEDIR}")

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/doui-config.cmake.in"
                              "${PROJECT_BINARY_DIR}/doui-config.cmake"
                              INSTALL_DESTINATION "${DOUI_INSTALL_CMAKEDIR}")
# 0.x: a minor version may change the API.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/doui-config-version.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/doui-config.cmake"
              "${PROJECT_BINARY_DIR}/doui-config-version.cmake"
        DESTINATION "${DOUI_INSTALL_CMAKEDIR}")
